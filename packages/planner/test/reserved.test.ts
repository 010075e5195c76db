import { describe, expect, it } from "vitest";
import { getInstanceType } from "@switchyard/catalog";
import { classicReservedUnits, plan, simulate, traceFromSpec } from "../src";
import { specWith } from "./helpers";

describe("classicReservedUnits", () => {
  it.each([
    { why: "everything needed all the time is reserved", units: [2, 2, 2, 2], ratio: 0.7, expected: 2 },
    { why: "unit 2 needed half the time: above a 0.4 ratio, below 0.7", units: [1, 1, 2, 2], ratio: 0.4, expected: 2 },
    { why: "unit 2 needed half the time: not at ratio 0.7", units: [1, 1, 2, 2], ratio: 0.7, expected: 1 },
    { why: "exactly at the ratio is not above it", units: [1, 1, 2, 2], ratio: 0.5, expected: 1 },
    { why: "a reserved price above the burst price never reserves", units: [5, 5, 5], ratio: 1.2, expected: 0 },
    { why: "fractional needs count for the unit they reach", units: [0.5, 1.5, 1.5, 3], ratio: 0.6, expected: 1 },
  ])("$why", ({ units, ratio, expected }) => {
    expect(classicReservedUnits(units, ratio)).toBe(expected);
  });
});

// One CoreWeave H100 pool (8 GPUs, 2 per replica → 4 replicas per node), no spot, no resilience,
// headroom 1: 12 hours need 1 node, 6 hours 2 nodes, 6 hours 3 nodes.
const profile = [...new Array<number>(12).fill(4), ...new Array<number>(6).fill(8), ...new Array<number>(6).fill(12)];
const policy = { resilience: "none" as const, headroom: 1, maxSpotShare: 0 };

describe("reserved level on a hand-computed profile", () => {
  it("reserves 1 node at CoreWeave's 30% discount (ratio 0.7: unit 2 is needed only 50% of hours)", () => {
    const p = plan(specWith({ providers: [{ provider: "coreweave", capacityTypes: ["reserved", "on-demand"] }], replicas: profile, policy }));
    const pool = p.models[0]!.pools[0]!;
    expect(pool.reservedNodes).toBe(1);
    expect(p.models[0]!.reserved).toMatchObject({ provider: "coreweave", plannedNodes: 1, classicRuleNodes: 1, priceRatio: 0.7, burstReference: "coreweave on-demand" });
    // reserved: 1 × 49.24 × 0.7 × 730 = 25,161.64; on-demand: (6 × 1 + 6 × 2) node-hours a day × 49.24 × 730/24 = 26,958.90
    expect(p.cost.compute.reserved).toBeCloseTo(25161.64, 2);
    expect(p.cost.compute.onDemand).toBeCloseTo(26958.9, 2);
    expect(pool.schedule.onDemandNodes).toEqual([...new Array<number>(12).fill(0), ...new Array<number>(6).fill(1), ...new Array<number>(6).fill(2)]);
  });

  it("reserves 2 nodes when the contract gives 60% off (ratio 0.4 < 50% of hours)", () => {
    const p = plan(
      specWith({ providers: [{ provider: "coreweave", capacityTypes: ["reserved", "on-demand"], prices: { "gd-8xh100ib-i128": { reservedDiscount: 0.6 } } }], replicas: profile, policy }),
    );
    expect(p.models[0]!.pools[0]!.reservedNodes).toBe(2);
    expect(p.models[0]!.reserved?.classicRuleNodes).toBe(2);
    // reserved: 2 × 19.696 × 730 = 28,756.16; on-demand: 6 node-hours a day × 49.24 × 730/24 = 8,986.30
    expect(p.cost.compute.reserved).toBeCloseTo(28756.16, 2);
    expect(p.cost.compute.onDemand).toBeCloseTo(8986.3, 2);
  });

  it("is never more expensive than the classic level, and can be cheaper (it sees the whole cost model)", () => {
    // Four providers, spot, resilience: the classic rule against the cheapest burst price says 0.
    const p = plan(specWith({ providers: [
      { provider: "coreweave", capacityTypes: ["reserved", "spot", "on-demand"] },
      { provider: "lambda", capacityTypes: ["on-demand"], maxNodes: 2 },
      { provider: "aws", capacityTypes: ["spot", "on-demand"] },
    ], replicas: profile.map((r) => r * 3) }));
    const r = p.models[0]!.reserved!;
    expect(r.monthlyComputeAtClassic).not.toBeNull();
    expect(r.monthlyComputeAtPlanned).toBeLessThanOrEqual(r.monthlyComputeAtClassic! + 1e-6);
  });
});

describe("Lambda, planned as its stack deploys it", () => {
  it("runs fixed on-demand nodes around the clock at the on-demand price, with no burst tier, and simulate bills them so", () => {
    const spec = specWith({
      providers: [
        { provider: "lambda", capacityTypes: ["on-demand"], maxNodes: 3 },
        { provider: "aws", capacityTypes: ["on-demand"] },
      ],
      replicas: Array.from({ length: 24 }, (_, h) => (h < 8 ? 4 : 10)),
      simulation: { stepMinutes: 5, days: 1 },
    });
    const p = plan(spec);
    const lambda = p.models[0]!.pools.find((x) => x.provider === "lambda")!;
    const price = getInstanceType("lambda", lambda.instanceType).onDemandPerNodeHour;
    // The stack launches `reservedNodes` instances through Lambda's API (environments/lambda): no autoscaler, no spot.
    expect(lambda.reservedNodes).toBeGreaterThan(0);
    expect(lambda.tiers.map((t) => ({ capacityType: t.capacityType, fixed: t.fixed, nodes: [t.minNodes, t.maxNodes], price: t.pricePerNodeHour, schedule: t.schedule }))).toEqual([
      { capacityType: "on-demand", fixed: true, nodes: [lambda.reservedNodes, lambda.reservedNodes], price, schedule: [] },
    ]);
    expect(lambda.monthlyCompute).toBeCloseTo(lambda.reservedNodes * price * p.hoursPerMonth, 2);
    const sim = simulate(p, traceFromSpec(spec), {});
    expect(sim.costByProvider.find((c) => c.provider === "lambda")!.compute).toBeCloseTo(lambda.reservedNodes * price * 24, 6);
  });
});
