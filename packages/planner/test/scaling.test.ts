/**
 * What keeps plan() linear in demand (issue 15, point 6) must not change its answers: the allocator's binary
 * search over the node total still finds the MIP optimum at large demand, the reserved-level search finds the
 * exhaustive optimum on a large profile, the classic rule keeps its definition, and an absurd demand is
 * refused with its spec path. Speed itself is measured by bench/plan-time, never asserted here.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FleetSpecError, allocate, classicReservedUnits, parseFleetSpec, plan } from "../src";
import type { AllocPool, FleetSpecInput } from "../src";
import { cycleCostFor, demandSizeIssues, modelLevels, planCapacity } from "../src/capacity";
import { resolveFleet } from "../src/resolve";
import { LpBuilder, loadSolver } from "../src/solver";
import { ALL_PROVIDERS, specWith } from "./helpers";

/** The allocator's model as one HiGHS MIP (no spot-survivor row): the optimum cost, or undefined if infeasible. */
function mipCost(highs: Awaited<ReturnType<typeof loadSolver>>, pools: readonly AllocPool[], required: number, survivor: number, sigma: number): number | undefined {
  const lp = new LpBuilder();
  const all: [number, number][] = [];
  const per: [number, number][][] = pools.map(() => []);
  const spot: [number, number][] = [];
  const fixed = pools.reduce((a, p) => a + p.k * p.reserved, 0);
  for (const [i, p] of pools.entries()) {
    const room = p.maxNodes - p.reserved;
    if (room < 0) return undefined;
    if (p.onDemandPrice !== undefined) per[i]!.push([lp.addVariable({ name: `o${i}`, cost: p.onDemandPrice, lower: 0, upper: room, integer: true }), p.k]);
    if (p.spotPrice !== undefined && sigma > 0) {
      const s = lp.addVariable({ name: `s${i}`, cost: p.spotPrice, lower: 0, upper: room, integer: true });
      per[i]!.push([s, p.k]);
      spot.push([s, (1 - sigma) * p.k]);
    }
    if (per[i]!.length > 0) lp.addRow(`q${i}`, per[i]!.map(([v]) => [v, 1] as [number, number]), -Infinity, room);
    all.push(...per[i]!);
  }
  lp.addRow("cap", all, required - fixed, Infinity);
  pools.forEach((p, q) => lp.addRow(`n${q}`, per.filter((_, j) => j !== q).flat(), survivor - (fixed - p.k * p.reserved), Infinity));
  lp.addRow("spot", spot, -Infinity, sigma * fixed);
  const s = lp.solve(highs);
  return s.status === "optimal" ? s.objective : undefined;
}

describe("allocate at large demand", () => {
  it("finds the MIP optimum (same cost, or both infeasible) with thousands of replicas per pool", async () => {
    const highs = await loadSolver();
    const poolArb = fc.record({
      reserved: fc.integer({ min: 0, max: 300 }),
      maxNodes: fc.oneof(fc.constant(Infinity), fc.integer({ min: 50, max: 2000 })),
      od: fc.integer({ min: 10, max: 90 }),
      spotFactor: fc.option(fc.integer({ min: 30, max: 90 }), { nil: undefined }),
      hasOd: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(4, 8),
        fc.array(poolArb, { minLength: 2, maxLength: 4 }),
        fc.integer({ min: 500, max: 8000 }),
        fc.boolean(),
        fc.constantFrom(0, 0.3, 0.6),
        (k, raw, demand, resilient, sigma) => {
          const pools: AllocPool[] = raw.map((r) => ({
            k,
            reserved: r.reserved,
            up: true,
            maxNodes: r.maxNodes,
            spotPrice: r.spotFactor === undefined ? undefined : Math.round((r.od * r.spotFactor) / 100),
            spotMax: Infinity,
            onDemandPrice: r.hasOd || r.spotFactor === undefined ? r.od : undefined,
          }));
          const required = Math.ceil(demand * 1.2);
          const survivor = resilient ? demand : 0;
          const ours = allocate({ pools, required, survivor, maxSpotShare: sigma });
          const mip = mipCost(highs, pools, required, survivor, sigma);
          if (mip === undefined) expect(ours).toBeUndefined();
          else expect(ours?.cost).toBeCloseTo(mip, 6);
        },
      ),
      { numRuns: 80, seed: 15 },
    );
  });
});

describe("reserved levels at large demand", () => {
  it("finds the exhaustive optimum on a profile too large to try every level (the search, not the enumeration, runs)", () => {
    // A diurnal profile peaking at 1,600 replicas: CoreWeave's reserved range alone is ~400 levels.
    const replicas = Array.from({ length: 24 }, (_, h) => Math.round(900 + 700 * Math.sin((Math.PI * h) / 24)));
    const spec = parseFleetSpec(specWith({ providers: [ALL_PROVIDERS[0]!, { provider: "lambda", capacityTypes: ["on-demand"], maxNodes: 6 }, ALL_PROVIDERS[2]!], replicas }));
    const fleet = resolveFleet(spec);
    const model = fleet.models[0]!;
    const { policy } = fleet.spec;
    const levels = modelLevels(model, policy);
    const planned = planCapacity(model, levels, policy.maxSpotShare, false);
    expect(planned.search).toBe("coordinate");
    let best = Infinity;
    for (let cw = 0; cw <= Math.ceil(Math.max(...levels.required) / model.pools[0]!.k) + 1; cw++) {
      for (let lambda = 0; lambda <= 6; lambda++) best = Math.min(best, cycleCostFor(model.pools, levels, [cw, lambda, 0], policy.maxSpotShare, new Map()) ?? Infinity);
    }
    expect(planned.cycleCost).toBeCloseTo(best, 6);
  });
});

describe("classicReservedUnits without a loop over units", () => {
  /** The rule as written: raise k while the fraction of hours needing ≥ k + 1 units is above the ratio. */
  const byDefinition = (units: readonly number[], ratio: number) => {
    let k = 0;
    while (units.filter((u) => u >= k + 1 - 1e-9).length / units.length > ratio) k++;
    return k;
  };
  it("agrees with the rule's definition on random needs and ratios", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4000 }).map((x) => x / 8), { minLength: 1, maxLength: 48 }), fc.integer({ min: 0, max: 150 }).map((x) => x / 100), (units, ratio) => {
        expect(classicReservedUnits(units, ratio)).toBe(byDefinition(units, ratio));
      }),
      { numRuns: 300, seed: 6 },
    );
  });
});

describe("absurd demand", () => {
  const scaled = (scale: number): FleetSpecInput => {
    const spec = specWith({ providers: ALL_PROVIDERS, replicas: [10, 20, 40, 20] });
    spec.models[0]!.demand.hourly!.scale = scale;
    return spec;
  };

  it("is refused before planning, naming demand.hourly.scale, the peak it asks for, and the largest scale allowed", () => {
    // Peak 40 replicas × 1.2 headroom × 2 GPUs = 96 GPUs at scale 1: 1e12 asks for ~1e14 GPUs.
    let error: unknown;
    try {
      plan(scaled(1e12));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FleetSpecError);
    const issue = (error as FleetSpecError).issues[0]!;
    expect(issue.path).toMatch(/^models\[(0|"m")\]\.demand\.hourly\.scale$/);
    expect(issue.message).toBe("1e+12 makes m's peak hour need 4.80e+13 replicas (9.60e+13 GPUs), more than the 1,000,000 GPUs one model may plan for");
    expect(issue.fix).toBe("use a scale of at most 10,416 for this demand, or check the demand's units (requests and tokens per second)");
  });

  it("lists every model too large with its index, and none at the largest scale allowed", () => {
    expect(demandSizeIssues(resolveFleet(parseFleetSpec(scaled(1e12)))).map((i) => i.path)).toEqual(["models[0].demand.hourly.scale"]);
    expect(demandSizeIssues(resolveFleet(parseFleetSpec(scaled(10_416))))).toEqual([]);
    expect(demandSizeIssues(resolveFleet(parseFleetSpec(scaled(10_417)))).map((i) => i.path)).toEqual(["models[0].demand.hourly.scale"]);
  });
});
