import { describe, expect, it } from "vitest";
import { costDiff, costDiffMarkdown, drillEvents, lowerBound, plan, seededSpotAvailability, simulate, spotAvailabilityFromTrace, spotBudgetReplicas, tierScaler, traceFromSpec } from "../src";
import type { FleetSpecInput } from "../src";
import { DECODE, specWith } from "./helpers";

const hourly = (replicas: number, hours = 24) => specWith({ providers: [], replicas: new Array<number>(hours).fill(replicas) });
const constant = (replicas: number, providers: FleetSpecInput["providers"], policy: FleetSpecInput["policy"], extra: Partial<FleetSpecInput> = {}): FleetSpecInput => ({
  ...hourly(replicas),
  providers,
  policy,
  simulation: { stepMinutes: 5, days: 1 },
  ...extra,
});

describe("lowerBound and simulate, hand-computed", () => {
  it("match when whole nodes fit exactly: 10 replicas × 1.2 = 12 = 3 p5 nodes × $55.04 × 24 h", async () => {
    const spec = constant(10, [{ provider: "aws", region: "us-east-1", capacityTypes: ["on-demand"] }], { resilience: "none" });
    const trace = traceFromSpec(spec);
    const lb = await lowerBound(spec, trace);
    expect(lb.status).toBe("optimal");
    expect(lb.cost).toBeCloseTo(3 * 55.04 * 24, 6);
    const sim = simulate(plan(spec), trace);
    expect(sim.cost.compute).toBeCloseTo(3 * 55.04 * 24, 6);
    expect(sim.unmet.requests).toBe(0);
  });

  it("differ by node rounding only in the relaxation: 13.2 replicas is 3.3 nodes there, 4 whole nodes in the exact bound and in practice", async () => {
    const spec = constant(11, [{ provider: "aws", region: "us-east-1", capacityTypes: ["on-demand"] }], { resilience: "none" });
    const trace = traceFromSpec(spec);
    const lb = await lowerBound(spec, trace);
    expect(lb.method).toBe("exact");
    expect(lb.relaxation).toBeCloseTo(3.3 * 55.04 * 24, 6);
    expect(lb.cost).toBeCloseTo(4 * 55.04 * 24, 6);
    expect(simulate(plan(spec), trace).cost.compute).toBeCloseTo(4 * 55.04 * 24, 6);
  });

  it("choose the reserved level that is cheapest for the whole trace, in whole nodes", async () => {
    // One CoreWeave pool (4 replicas per node), headroom 1, no resilience, no spot: 12 hours need 1 node,
    // 12 hours need 3. Reserved is 49.24 × 0.7 = 34.468/node-hour, on-demand 49.24. A CoreWeave node
    // takes 29.17 minutes to serve, so the hour before the rise already pays for 3 nodes. Over 24 h:
    //   R = 0: 11·1 + 13·3 = 50 on-demand node-hours                  = 2,462.00
    //   R = 1: 24 reserved + 26 on-demand node-hours                   = 827.232 + 1,280.24 = 2,107.472
    //   R = 2: 48 reserved + 13 on-demand                              = 1,654.464 + 640.12 = 2,294.584
    // so the exact bound reserves 1 node; the relaxation may reserve a fraction but is never higher.
    const spec: FleetSpecInput = {
      ...specWith({ providers: [{ provider: "coreweave", capacityTypes: ["reserved", "on-demand"] }], replicas: [...new Array<number>(12).fill(4), ...new Array<number>(12).fill(12)], policy: { resilience: "none", headroom: 1, maxSpotShare: 0 } }),
      simulation: { stepMinutes: 60, days: 1 },
    };
    const lb = await lowerBound(spec, traceFromSpec(spec));
    expect(lb.models[0]!.reservedNodes).toEqual([{ provider: "coreweave", nodes: 1 }]);
    expect(lb.cost).toBeCloseTo(2107.472, 6);
    expect(lb.relaxation).toBeLessThanOrEqual(lb.cost + 1e-6);

    // Held at a plan's commitments (reservedAsIn), the bound prices the rest around them: the R = 0 and R = 2 rows.
    const committing = (nodes: number) => {
      const p = structuredClone(plan(spec));
      p.models[0]!.pools[0]!.reservedNodes = nodes;
      return p;
    };
    const none = await lowerBound(spec, traceFromSpec(spec), {}, { reservedAsIn: committing(0) });
    expect(none.models[0]!.reservedNodes).toEqual([{ provider: "coreweave", nodes: 0 }]);
    expect(none.cost).toBeCloseTo(2462, 6);
    const two = await lowerBound(spec, traceFromSpec(spec), {}, { reservedAsIn: committing(2) });
    expect(two.cost).toBeCloseTo(2294.584, 6);
    expect(two.relaxation).toBeCloseTo(2294.584, 6);
    const other = plan({ ...spec, models: [{ ...spec.models[0]!, name: "another-model" }] });
    await expect(lowerBound(spec, traceFromSpec(spec), {}, { reservedAsIn: other })).rejects.toThrow(/options\.reservedAsIn has no model .*; pass the plan of the same spec/);
  });
});

describe("lowerBound pays for boot time", () => {
  // One AWS on-demand pool, p5 (8 GPUs, 4 replicas of 2 GPUs), headroom 1, no resilience, 5-minute steps.
  // Shortest scale-up = 8 min provisioning + 70 GB at 1 GB/s (1.17 min) + 3 min engine start = 12.17 min,
  // so a node serving at step t was ordered by step t − 3 and paid at steps t − 3 … t.
  const spec: FleetSpecInput = {
    ...specWith({ providers: [{ provider: "aws", capacityTypes: ["on-demand"] }], replicas: [4], policy: { resilience: "none", headroom: 1, maxSpotShare: 0 } }),
    simulation: { stepMinutes: 5, days: 1 },
  };
  const traceOf = (replicas: number[]) => ({
    stepMinutes: 5,
    models: { m: { requests: replicas, inputTokens: replicas.map(() => 0), outputTokens: replicas.map((r) => r * DECODE * 300) } },
  });
  const nodeStep = (55.04 * 5) / 60;

  it("a one-step spike to 2 nodes costs the second node for the spike and the 3 steps before it: (24 + 4) node-steps", async () => {
    const replicas = new Array<number>(24).fill(4);
    replicas[12] = 8;
    const lb = await lowerBound(spec, traceOf(replicas));
    expect(lb.cost).toBeCloseTo(28 * nodeStep, 6);
    expect(lb.relaxation).toBeCloseTo(28 * nodeStep, 6);
  });

  it("a spike at the first steps is served by the warm start: nothing before step 0 is billed", async () => {
    const replicas = new Array<number>(24).fill(4);
    replicas[1] = 8;
    const lb = await lowerBound(spec, traceOf(replicas));
    expect(lb.cost).toBeCloseTo(26 * nodeStep, 6);
  });

  it("a spike inside an outage or its recovery is not required (a run may miss it there)", async () => {
    const replicas = new Array<number>(24).fill(4);
    replicas[12] = 8;
    const twoProviders: FleetSpecInput = { ...spec, providers: [...spec.providers, { provider: "gcp", region: "us-central1", capacityTypes: ["on-demand"] }] };
    const lb = await lowerBound(twoProviders, traceOf(replicas), { outages: [{ provider: "gcp", startMinute: 50, durationMinutes: 5 }] });
    // AWS ($55.04) is the cheaper pool: the spike at minute 60 falls in GCP's outage recovery, so 24 node-steps plus the spike step itself.
    expect(lb.cost).toBeCloseTo(25 * nodeStep, 6);
  });
});

describe("the deployed scalers' scale-down window", () => {
  it("keeps surplus nodes exactly tierScaler's window: 12 → 4 replicas leaves 2 p5 nodes billed 20 or 40 more minutes", () => {
    const dropAtNoon = (delay: number): FleetSpecInput => ({
      ...specWith({ providers: [], replicas: [...new Array<number>(12).fill(12), ...new Array<number>(12).fill(4)] }),
      providers: [{ provider: "aws", region: "us-east-1", capacityTypes: ["on-demand"] }],
      policy: { resilience: "none", headroom: 1 },
      simulation: { stepMinutes: 5, days: 1, scaleDownDelayMinutes: delay },
    });
    const [p20, p40] = [plan(dropAtNoon(20)), plan(dropAtNoon(40))];
    const backend = p20.models[0]!.pools[0]!.tiers[0]!.backend;
    expect([tierScaler(p20, p20.models[0]!, backend).scaleDownCooldownSeconds, tierScaler(p40, p40.models[0]!, backend).scaleDownCooldownSeconds]).toEqual([1200, 2400]);
    const [s20, s40] = [simulate(p20, traceFromSpec(dropAtNoon(20))), simulate(p40, traceFromSpec(dropAtNoon(40)))];
    expect(s40.cost.onDemand - s20.cost.onDemand).toBeCloseTo((2 * 55.04 * 20) / 60, 6);
    expect(s20.unmet.requests).toBe(0);
  });

  it("never lets a tier go sooner than its pool boots: a 10-minute spec window becomes the 12.2-minute scale-up, rounded up", () => {
    const spec: FleetSpecInput = { ...hourly(8), providers: [{ provider: "aws", region: "us-east-1", capacityTypes: ["on-demand"] }], policy: { resilience: "none" }, simulation: { scaleDownDelayMinutes: 10 } };
    const p = plan(spec);
    expect(p.models[0]!.pools[0]!.scaleUpMinutes).toBe(12.2);
    expect(tierScaler(p, p.models[0]!, p.models[0]!.pools[0]!.tiers[0]!.backend).scaleDownCooldownSeconds).toBe(13 * 60);
  });

  it("refuses a window Kubernetes cannot deploy (an HPA scale-down window is at most an hour)", () => {
    expect(() => plan({ ...hourly(4), providers: [{ provider: "aws", region: "us-east-1", capacityTypes: ["on-demand"] }], simulation: { scaleDownDelayMinutes: 90 } })).toThrow(
      /simulation\.scaleDownDelayMinutes.*0–60: Kubernetes allows at most 1 hour/,
    );
  });
});

describe("the spot cap", () => {
  it("holds at every load the deployed tiers reach: spot is budgeted against the fixed nodes, not the hour's capacity", () => {
    // CoreWeave with reserved, spot and on-demand; a day that rises from 4 to 40 replicas. σ = 0.6.
    const replicas = [4, 4, 4, 4, 6, 10, 20, 36, 40, 40, 38, 30, 24, 20, 16, 12, 8, 6, 4, 4, 4, 4, 4, 4];
    const spec = specWith({ providers: [{ provider: "coreweave", capacityTypes: ["reserved", "spot", "on-demand"] }], replicas, policy: { resilience: "none", maxSpotShare: 0.6 }, simulation: { stepMinutes: 5, days: 2 } });
    const p = plan(spec);
    const pool = p.models[0]!.pools[0]!;
    // 2 reserved nodes (8 replicas) allow σ/(1−σ) × 8 = 12 spot replicas: 3 nodes, even at the peak, where
    // σ × capacity would allow 7 — and once load falls, those 7 would run beside the 8 fixed replicas alone (78 %).
    expect({ reserved: pool.reservedNodes, spotMax: pool.spotNodes.max, peakSpot: Math.max(...pool.schedule.spotNodes), peakOnDemand: Math.max(...pool.schedule.onDemandNodes) }).toEqual({ reserved: 2, spotMax: 3, peakSpot: 3, peakOnDemand: 7 });
    expect(spotBudgetReplicas([{ k: 4, reserved: 2, up: true }], 0.6)).toBe(12);
    // With the drill: spot reclaims and an outage of the provider (the cap is counted while it is up).
    const sim = simulate(p, traceFromSpec(spec), drillEvents(p, 2 * 24 * 60, 5));
    expect(sim.cost.spot).toBeGreaterThan(0);
    expect(sim.spotOverCapSteps).toBe(0);
  });
});

describe("outages", () => {
  const providers: FleetSpecInput["providers"] = [
    { provider: "aws", region: "us-east-1", capacityTypes: ["on-demand"] },
    { provider: "lambda", region: "us-east-1", capacityTypes: ["on-demand"] },
  ];
  const outage = { outages: [{ provider: "lambda" as const, startMinute: 600, durationMinutes: 180 }] };

  it("are absorbed with resilience: the other provider already runs enough for all demand", () => {
    const spec = constant(8, providers, { resilience: "provider", headroom: 1 });
    const p = plan(spec);
    // Each provider alone must carry 8 replicas: 2 nodes each (Lambda's fixed, AWS's on demand).
    expect(p.models[0]!.pools.map((x) => x.reservedNodes + x.schedule.onDemandNodes[0]!)).toEqual([2, 2]);
    const sim = simulate(p, traceFromSpec(spec), outage);
    expect(sim.outages[0]).toMatchObject({ provider: "lambda", droppedRequests: 0, servedPercent: 100 });
    expect(sim.unmet.requests).toBe(0);
  });

  it("drop everything without resilience: the cheaper provider holds all of it and the other may not scale", () => {
    const spec = constant(8, providers, { resilience: "none", headroom: 1 });
    const p = plan(spec);
    expect(p.models[0]!.pools.map((x) => x.autoscaler.maxNodes)).toEqual([0, 2]);
    const sim = simulate(p, traceFromSpec(spec), outage);
    // 3 hours down, then Lambda's nodes take its scale-up time (whole 5-minute steps) to serve again.
    const lambda = p.models[0]!.pools[1]!;
    const recoverySteps = Math.ceil(lambda.scaleUpMinutes / 5);
    expect(sim.outages[0]!.recoveryMinutes).toBe(lambda.scaleUpMinutes);
    expect(sim.outages[0]!.servedPercent).toBeCloseTo(0, 9);
    // 8 replicas × 2 GPUs × (3 hours + recovery)
    expect(sim.outages[0]!.unmetGpuHours).toBeCloseTo(16 * (3 + (recoverySteps * 5) / 60), 9);
    expect(sim.unmetOutsideOutages.requests).toBe(0);
  });

  it("send what the GPUs miss to the hosted fallback, priced per token", () => {
    const spec = constant(8, providers, { resilience: "none", headroom: 1 });
    spec.models[0]!.hostedFallback = { name: "hosted", model: "openai/gpt-4o-mini", pricePerMillionInputTokens: 1, pricePerMillionOutputTokens: 2 };
    const p = plan(spec);
    const sim = simulate(p, traceFromSpec(spec), outage);
    // (3 hours + Lambda's recovery) × 8 replicas × 1,000 completion tokens/s × $2 per million
    const hours = 3 + (Math.ceil(p.models[0]!.pools[1]!.scaleUpMinutes / 5) * 5) / 60;
    expect(sim.cost.hostedFallback).toBeCloseTo((hours * 3600 * 8 * DECODE * 2) / 1e6, 6);
    expect(sim.unmet.requests).toBe(0);
    expect(sim.servedByFallback.gpuHours).toBeCloseTo(16 * hours, 9);
    expect(sim.outages[0]!.servedPercent).toBeCloseTo(0, 9); // served, but not by the GPU fleet
  });

  it("sends the hosted fallback no more than its rate limit: at 240 of the 480 requests a minute, half is dropped", () => {
    const spec = constant(8, providers, { resilience: "none", headroom: 1 });
    const unlimited = { name: "hosted", model: "openai/gpt-4o-mini", pricePerMillionInputTokens: 1, pricePerMillionOutputTokens: 2 };
    spec.models[0]!.hostedFallback = unlimited;
    const all = simulate(plan(spec), traceFromSpec(spec), outage);
    spec.models[0]!.hostedFallback = { ...unlimited, requestsPerMinute: 240 };
    const limited = simulate(plan(spec), traceFromSpec(spec), outage);
    expect(limited.servedByFallback.requests).toBeCloseTo(all.servedByFallback.requests / 2, 6);
    expect(limited.unmet.requests).toBeCloseTo(all.servedByFallback.requests / 2, 6);
    expect(limited.cost.hostedFallback).toBeCloseTo(all.cost.hostedFallback / 2, 6);
    expect(limited.unmetOutsideOutages.requests).toBe(0);
  });
});

describe("spot", () => {
  it("replays an availability trace: reclaims, a gap while on-demand wakes and boots, then recovery", () => {
    const spec = constant(8, [{ provider: "aws", region: "us-east-1", capacityTypes: ["spot", "on-demand"] }], { resilience: "none", headroom: 1, maxSpotShare: 1 });
    const p = plan(spec);
    expect(p.models[0]!.pools[0]!.schedule.spotNodes[0]).toBe(2);
    const spot = spotAvailabilityFromTrace({ metadata: { gap_seconds: 3600 }, data: [1, 1, 1, 1, 0, 0, 1, 1] }, 5, 1440);
    expect(spot.fraction.slice(45, 50)).toEqual([1, 1, 1, 0, 0]);
    const sim = simulate(p, traceFromSpec(spec), { spotAvailability: { aws: spot } });
    // Spot leaves at hours 4, 12 and 20 (the 8-hour trace wraps), 2 nodes each time. The on-demand tier is at zero
    // (it carried nothing); the spill wakes it, and its wake trigger asks at once for the 8 replicas the spill needs
    // (2 nodes). A node takes 12.2 minutes (8 provisioning + 70 GB from the same-cloud origin at 1 GB/s + 3 engine
    // start): 3 five-minute steps with nothing serving, 8 replicas × 2 GPUs × 15 minutes, three times; each time 2
    // on-demand nodes and then 2 spot nodes start.
    expect(p.models[0]!.pools[0]!.scaleUpMinutes).toBe(12.2);
    expect(p.models[0]!.pools[0]!.tiers.map((t) => [t.capacityType, t.minNodes, t.maxNodes])).toEqual([["spot", 2, 2], ["on-demand", 0, 2]]);
    expect(sim.spotReclaims).toBe(6);
    expect(sim.nodeStarts).toBe(12);
    expect(sim.unmet.gpuHours).toBeCloseTo(3 * 16 * (15 / 60), 9);
    expect(simulate(p, traceFromSpec(spec), { spotAvailability: { aws: spot } })).toEqual(sim);
  });

  it("seeds an on/off process with the requested long-run availability, reproducibly", () => {
    const a = seededSpotAvailability({ aws: { availability: 0.7, meanUpHours: 4 }, lambda: null }, 365 * 1440, 60, 1);
    expect(Object.keys(a)).toEqual(["aws"]);
    const mean = a.aws!.fraction.reduce((x, y) => x + y, 0) / a.aws!.fraction.length;
    expect(mean).toBeGreaterThan(0.65);
    expect(mean).toBeLessThan(0.75);
    expect(seededSpotAvailability({ aws: { availability: 0.7, meanUpHours: 4 } }, 365 * 1440, 60, 1)).toEqual(a);
    expect(seededSpotAvailability({ aws: { availability: 0.7, meanUpHours: 4 } }, 365 * 1440, 60, 2)).not.toEqual(a);
  });

  it("keeps spot obtainable at every step when its availability is 1 (the schema's upper end), and at none when it is near 0", () => {
    const always = seededSpotAvailability({ aws: { availability: 1, meanUpHours: 4 } }, 365 * 1440, 60, 1);
    expect(always.aws!.fraction.length).toBe(365 * 24);
    expect(always.aws!.fraction.every((f) => f === 1)).toBe(true);
    const rarely = seededSpotAvailability({ aws: { availability: 1e-6, meanUpHours: 4 } }, 365 * 1440, 60, 1);
    expect(rarely.aws!.fraction.filter((f) => f === 1).length).toBeLessThan(24);
    // Up-runs of no length (possible through this export, not through the spec's schema): never obtainable, and it ends.
    expect(seededSpotAvailability({ aws: { availability: 1, meanUpHours: 0 } }, 1440, 60, 1).aws!.fraction).toEqual(new Array<number>(24).fill(0));
  });
});

describe("costDiff", () => {
  it("shows every cost line and the pools whose nodes changed, as a Markdown table", () => {
    const providers: FleetSpecInput["providers"] = [
      { provider: "coreweave", region: "US-EAST-04", capacityTypes: ["reserved", "on-demand"] },
      { provider: "aws", region: "us-east-1", capacityTypes: ["on-demand"] },
    ];
    const base = plan({ ...constant(8, providers, {}), name: "base" });
    const head = plan({ ...constant(16, providers, {}), name: "head" });
    const rows = costDiff(base, head);
    const total = rows.find((r) => r.item === "total / month")!;
    expect(total.delta).toBeCloseTo(head.cost.total - base.cost.total, 6);
    expect(rows.some((r) => r.item === "coreweave-m: reserved nodes")).toBe(true);
    const md = costDiffMarkdown(base, head);
    expect(md).toMatch(/^### Switchyard cost diff: base → head\n\n\| \| base \| head \| Δ \|\n\|---\|---:\|---:\|---:\|\n/);
    expect(md).toMatch(/\| \*\*total \/ month\*\* \| \$[\d,.]+ \| \$[\d,.]+ \| \+\$[\d,.]+ \(\+\d+\.\d%\) \|/);
  });
});
