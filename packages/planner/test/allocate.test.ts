import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocate, minCostFill, spotBudgetReplicas } from "../src";
import type { AllocPool } from "../src";
import { LpBuilder, loadSolver } from "../src/solver";

const pool = (o: Partial<AllocPool>): AllocPool => ({ k: 4, reserved: 0, up: true, maxNodes: Infinity, spotPrice: undefined, spotMax: Infinity, onDemandPrice: 10, ...o });

describe("minCostFill", () => {
  it("reroutes spot where a greedy fill would not: the hub goes to the pool whose on-demand is dearest", () => {
    // Pool A: spot 1, od 5; pool B: spot 2, od 10; one node each; one spot slot. Greedy (cheapest first)
    // takes A-spot then B-od = 11; the optimum is A-od + B-spot = 7.
    const r = minCostFill(2, 1, [
      { cap: 1, spotCap: 1, spotPrice: 1, odPrice: 5 },
      { cap: 1, spotCap: 1, spotPrice: 2, odPrice: 10 },
    ]);
    expect(r).toEqual({ cost: 7, spot: [0, 1], onDemand: [1, 0] });
  });

  it("is infeasible when the pools cannot hold the units", () => {
    expect(minCostFill(3, 0, [{ cap: 1, spotCap: 0, spotPrice: Infinity, odPrice: 1 }])).toBeUndefined();
  });
});

describe("allocate, hand-computed", () => {
  it("spreads over three pools so that losing any one leaves the demand (N+1)", () => {
    // 12 replicas needed after losing one pool; 4 replicas per node; all on-demand at 10, 11, 12.
    const a = allocate({ pools: [pool({ onDemandPrice: 10 }), pool({ onDemandPrice: 11 }), pool({ onDemandPrice: 12 })], required: 12, survivor: 12, maxSpotShare: 0 });
    // Total T with each pool ≤ T − 12: cheapest is 18 replicas? No: nodes, T = 24 (2+2+2 nodes) or
    // T = 20 (2+2+1): pool caps ⌊(20−12)/4⌋ = 2 → 2+2+1 = 5 nodes = 20 replicas: 2·10 + 2·11 + 1·12 = 54.
    expect(a).toEqual({ cost: 54, spot: [0, 0, 0], onDemand: [2, 2, 1] });
  });

  it("budgets spot against the reserved nodes, so the cap holds at any load, and counts reserved nodes as capacity", () => {
    // 20 replicas, no resilience; 2 reserved nodes (8 replicas) are sunk; spot at 3 vs on-demand at 10; σ = 0.6.
    const a = allocate({ pools: [pool({ reserved: 2, spotPrice: 3, onDemandPrice: 10 })], required: 20, survivor: 0, maxSpotShare: 0.6 });
    // Budget σ/(1−σ)·8 = 12 replicas = 3 spot nodes (σ × 20 would allow the same); nothing else is needed: 3·3 = 9.
    expect(a).toEqual({ cost: 9, spot: [3], onDemand: [0] });
    // 32 replicas: σ × capacity would allow 19 replicas (4 nodes) of spot, the budget still 12 (3 nodes); 3·3 + 3·10.
    expect(allocate({ pools: [pool({ reserved: 2, spotPrice: 3, onDemandPrice: 10 })], required: 32, survivor: 0, maxSpotShare: 0.6 })).toEqual({ cost: 39, spot: [3], onDemand: [3] });
    // No reserved nodes: no spot at all.
    expect(allocate({ pools: [pool({ spotPrice: 3, onDemandPrice: 10 })], required: 8, survivor: 0, maxSpotShare: 0.6 })).toEqual({ cost: 20, spot: [0], onDemand: [2] });
  });

  it("prices the spot budget from the reserved nodes of the pools that are up", () => {
    expect(spotBudgetReplicas([pool({ reserved: 2 }), pool({ reserved: 3, k: 8 })], 0.6)).toBe(48); // 1.5 × (8 + 24)
    expect(spotBudgetReplicas([pool({ reserved: 2 }), pool({ reserved: 3, k: 8, up: false })], 0.6)).toBe(12);
    expect(spotBudgetReplicas([pool({ reserved: 1 })], 0.5)).toBe(4);
    expect(spotBudgetReplicas([pool({ reserved: 1 })], 1)).toBe(Infinity);
    expect(spotBudgetReplicas([pool({ reserved: 1 })], 0)).toBe(0);
  });

  it("gives nothing from a pool that is down, and fails when the rest cannot reach the requirement", () => {
    expect(allocate({ pools: [pool({ up: false }), pool({ maxNodes: 1 })], required: 8, survivor: 0, maxSpotShare: 0 })).toBeUndefined();
    expect(allocate({ pools: [pool({ up: false }), pool({ maxNodes: 2 })], required: 8, survivor: 0, maxSpotShare: 0 })).toEqual({ cost: 20, spot: [0, 0], onDemand: [0, 2] });
  });
});

/** The same model as one HiGHS MIP: the allocator must find the same optimum. */
function mipOptimum(highs: Awaited<ReturnType<typeof loadSolver>>, pools: AllocPool[], required: number, survivor: number, sigma: number, spotSurvivor: number): number | undefined {
  if (!pools.some((p) => p.up)) return required <= 0 && survivor <= 0 ? 0 : undefined;
  const lp = new LpBuilder();
  const cap: [number, number][] = [];
  const per: [number, number][][] = pools.map(() => []);
  const spot: [number, number][] = [];
  const spotOf: [number, number][][] = pools.map(() => []);
  let fixed = 0;
  const fixedPer = pools.map((p) => (p.up ? p.k * p.reserved : 0));
  for (const [i, p] of pools.entries()) {
    if (!p.up) continue;
    fixed += p.k * p.reserved;
    const room = Math.min(p.maxNodes - p.reserved, 500);
    if (room < 0) return undefined;
    if (p.onDemandPrice !== undefined) {
      const o = lp.addVariable({ name: `o${i}`, cost: p.onDemandPrice, lower: 0, upper: room, integer: true });
      cap.push([o, p.k]);
      per[i]!.push([o, p.k]);
    }
    if (p.spotPrice !== undefined && sigma > 0 && p.spotMax >= 1) {
      const s = lp.addVariable({ name: `s${i}`, cost: p.spotPrice, lower: 0, upper: Math.min(room, p.spotMax), integer: true });
      cap.push([s, p.k]);
      per[i]!.push([s, p.k]);
      spot.push([s, (1 - sigma) * p.k]);
      spotOf[i]!.push([s, -p.k]);
    }
    if (per[i]!.length > 0) lp.addRow(`q${i}`, per[i]!.map(([v]) => [v, 1] as [number, number]), -Infinity, room);
  }
  lp.addRow("cap", cap, required - fixed, Infinity);
  for (const [q, p] of pools.entries()) if (p.up) lp.addRow(`n${q}`, per.filter((_, j) => j !== q).flat(), survivor - (fixed - fixedPer[q]!), Infinity);
  // The spot budget: (1 − σ)·spot ≤ σ·reserved on the pools that are up.
  lp.addRow("spot", spot, -Infinity, sigma * fixed);
  if (spotSurvivor > 0) for (const [q, p] of pools.entries()) if (p.up) lp.addRow(`ns${q}`, [...cap, ...spotOf[q]!], spotSurvivor - fixed, Infinity);
  const s = lp.solve(highs);
  return s.status === "optimal" ? s.objective : undefined;
}

const poolArb = fc.record({
  k: fc.constantFrom(4, 4, 4, 8, 1),
  reserved: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 })),
  up: fc.integer({ min: 0, max: 9 }).map((x) => x > 0),
  maxNodes: fc.oneof(fc.constant(Infinity), fc.integer({ min: 1, max: 8 })),
  od: fc.integer({ min: 10, max: 60 }),
  spotFactor: fc.option(fc.double({ min: 0.3, max: 0.9, noNaN: true }), { nil: undefined }),
  spotMax: fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 4 })),
  hasOd: fc.boolean(),
});

describe("allocate, against HiGHS", () => {
  it("finds the MIP optimum (same cost, or both infeasible) on random small fleets", async () => {
    const highs = await loadSolver();
    fc.assert(
      fc.property(
        fc.array(poolArb, { minLength: 2, maxLength: 4 }),
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        fc.constantFrom(0, 0.3, 0.6, 1),
        fc.boolean(),
        (raw, demand, resilient, sigma, spotResilient) => {
          const pools: AllocPool[] = raw.map((r) => ({
            k: r.k,
            reserved: r.reserved,
            up: r.up,
            maxNodes: r.maxNodes,
            spotPrice: r.spotFactor === undefined ? undefined : Math.round(r.od * r.spotFactor),
            spotMax: r.spotMax,
            onDemandPrice: r.hasOd || r.spotFactor === undefined ? r.od : undefined,
          }));
          const required = Math.ceil(demand * 1.2);
          const survivor = resilient ? demand : 0;
          const spotSurvivor = !resilient && spotResilient ? demand : 0;
          const ours = allocate({ pools, required, survivor, spotSurvivor, maxSpotShare: sigma });
          const mip = mipOptimum(highs, pools, required, survivor, sigma, spotSurvivor);
          if (mip === undefined) expect(ours).toBeUndefined();
          else expect(ours?.cost).toBeCloseTo(mip, 6);
        },
      ),
      { numRuns: 200, seed: 42 },
    );
  });
});
