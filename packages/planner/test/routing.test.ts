import { routingOrder } from "@switchyard/catalog";
import { describe, expect, it } from "vitest";
import { routeModel } from "../src";
import type { BackendCandidate } from "../src";

const c = (o: Partial<BackendCandidate> & Pick<BackendCandidate, "provider" | "capacityType">): BackendCandidate => ({
  order: routingOrder(o.capacityType, o.capacityType === "reserved"),
  costPerReplicaHour: 8,
  expectedLatencyMs: 1000,
  availability: 1,
  plannedReplicas: { mean: 0, max: 8 },
  ...o,
});

describe("routing, hand-computed", () => {
  // Best latency 1,000 ms, best cost $4, best availability 1. Default weights 0.3 / 0.4 / 0.3:
  //   coreweave reserved  1,000 ms  $8  1.0 → 0.3·1   + 0.4·0.5 + 0.3·1   = 0.80
  //   coreweave spot      1,000 ms  $4  0.5 → 0.3·1   + 0.4·1   + 0.3·0.5 = 0.85
  //   aws spot            1,250 ms  $5  0.5 → 0.3·0.8 + 0.4·0.8 + 0.3·0.5 = 0.71
  //   lambda on-demand    1,250 ms $10  0.8 → 0.3·0.8 + 0.4·0.4 + 0.3·0.8 = 0.64
  const backends = routeModel(
    "m",
    [
      c({ provider: "coreweave", capacityType: "reserved", plannedReplicas: { mean: 4, max: 4 } }),
      c({ provider: "coreweave", capacityType: "spot", costPerReplicaHour: 4, availability: 0.5, plannedReplicas: { mean: 2, max: 8 } }),
      c({ provider: "aws", capacityType: "spot", costPerReplicaHour: 5, expectedLatencyMs: 1250, availability: 0.5 }),
      c({ provider: "lambda", capacityType: "on-demand", costPerReplicaHour: 10, expectedLatencyMs: 1250, availability: 0.8 }),
    ],
    { latency: 0.3, cost: 0.4, availability: 0.3 },
    { name: "hosted-m", model: "openai/gpt-4o-mini", requestsPerMinute: null, tokensPerMinute: null, pricePerMillionInputTokens: 1, pricePerMillionOutputTokens: 2, rttMs: 40, availability: 0.99 },
    1000,
    2000,
    80,
  );

  it("scores 0.3·latency + 0.4·cost + 0.3·availability, each normalised to the best backend", () => {
    expect(backends.map((b) => [b.name, b.score])).toEqual([
      ["coreweave-m-reserved", 0.8],
      ["coreweave-m-spot", 0.85],
      ["aws-m-spot", 0.71],
      ["lambda-m-on-demand", 0.64],
      ["hosted-m", null],
    ]);
  });

  it("orders reserved 1, spot 2, on-demand 3, hosted fallback last", () => {
    expect(backends.map((b) => b.order)).toEqual([1, 2, 2, 3, 4]);
    expect(backends.at(-1)).toMatchObject({ provider: "hosted", capacityType: "hosted", expectedLatencyMs: 1040 });
  });

  it("weights by score × (mean planned replicas + 1) within a tier, so a standby backend keeps a positive weight", () => {
    // spot tier: coreweave 0.85 × 3 = 2.55, aws 0.71 × 1 = 0.71 → 2.55 / 3.26 and 0.71 / 3.26
    expect(backends.find((b) => b.name === "coreweave-m-spot")!.weight).toBe(0.7822);
    expect(backends.find((b) => b.name === "aws-m-spot")!.weight).toBe(0.2178);
    expect(backends.filter((b) => b.order !== 2).map((b) => b.weight)).toEqual([1, 1, 1]);
  });
});
