import { describe, expect, it } from "vitest";
import { EGRESS_DESTINATIONS, EGRESS_PRICES, PROVIDERS, egressPricePerGB, egressPriceTable } from "../src";
import type { EgressDestination, Provider } from "../src";

describe("egressPricePerGB (sender pays; USD per GB)", () => {
  it.each<[Provider, EgressDestination, number]>([
    // Same provider: same-region assumption → 0.
    ["aws", "aws", 0],
    ["gcp", "gcp", 0],
    ["coreweave", "coreweave", 0],
    ["lambda", "lambda", 0],
    // AWS: first paid internet tier, and other clouds are internet.
    ["aws", "internet", 0.09],
    ["aws", "gcp", 0.09],
    ["aws", "coreweave", 0.09],
    ["aws", "lambda", 0.09],
    // GCP: premium tier, first tier.
    ["gcp", "internet", 0.12],
    ["gcp", "aws", 0.12],
    ["gcp", "coreweave", 0.12],
    ["gcp", "lambda", 0.12],
    // CoreWeave and Lambda: egress free.
    ["coreweave", "internet", 0],
    ["coreweave", "aws", 0],
    ["coreweave", "gcp", 0],
    ["coreweave", "lambda", 0],
    ["lambda", "internet", 0],
    ["lambda", "aws", 0],
    ["lambda", "gcp", 0],
    ["lambda", "coreweave", 0],
  ])("%s → %s: $%d/GB", (from, to, price) => {
    expect(egressPricePerGB(from, to)).toBe(price);
  });

  it("is asymmetric: the sender pays", () => {
    expect(egressPricePerGB("aws", "coreweave")).toBeGreaterThan(egressPricePerGB("coreweave", "aws"));
  });

  it("moving 140 GB of weights (70B bf16) from AWS to CoreWeave costs $12.60", () => {
    expect(140 * egressPricePerGB("aws", "coreweave")).toBeCloseTo(12.6, 9);
  });

  it("table covers every provider × destination", () => {
    expect(egressPriceTable()).toHaveLength(PROVIDERS.length * EGRESS_DESTINATIONS.length);
    expect(EGRESS_DESTINATIONS).toEqual(["aws", "gcp", "coreweave", "lambda", "internet"]);
    expect(EGRESS_PRICES.map((e) => e.provider).sort()).toEqual([...PROVIDERS].sort());
  });

  it("rejects unknown endpoints, listing the allowed ones", () => {
    expect(() => egressPricePerGB("azure" as Provider, "internet")).toThrow('unknown provider "azure"; allowed: aws, gcp, coreweave, lambda');
    expect(() => egressPricePerGB("aws", "mars" as EgressDestination)).toThrow(
      'unknown egress destination "mars"; allowed: aws, gcp, coreweave, lambda, internet',
    );
  });
});
