import { PROVIDER_CAPACITY_TYPES, getInstanceType, instanceTypesFor, supportsCapacityType } from "@switchyard/catalog";
import type { CapacityType, Provider } from "@switchyard/catalog";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PlanInfeasibleError, drillEvents, lowerBound, plan, scheduledReplicas, simulate, traceFromSpec } from "../src";
import type { FleetPlan, FleetSpecInput } from "../src";
import { specWith } from "./helpers";
import type { ProviderInput } from "./helpers";

// Uniform hundredths: fc.double leans on extremes (0, 1, denormals), which would hide most binding cases.
const pct = (min: number, max: number) => fc.integer({ min, max }).map((x) => x / 100);

const providerArb: fc.Arbitrary<ProviderInput> = fc
  .record({
    provider: fc.constantFrom<Provider>("coreweave", "lambda", "aws", "gcp"),
    tiers: fc.subarray(["reserved", "spot", "on-demand"] as CapacityType[], { minLength: 1 }),
    maxNodes: fc.option(fc.integer({ min: 2, max: 12 }), { nil: undefined }),
    discount: fc.option(pct(0, 70), { nil: undefined }),
  })
  .map(({ provider, tiers, maxNodes, discount }) => {
    const sold = tiers.filter((t) => PROVIDER_CAPACITY_TYPES[provider].includes(t));
    const capacityTypes: CapacityType[] = sold.length === 0 ? ["on-demand"] : sold;
    const p: ProviderInput = { provider, capacityTypes, ...(maxNodes === undefined ? {} : { maxNodes }) };
    if (discount !== undefined && provider !== "lambda") p.prices = { [provider === "aws" ? "p5.48xlarge" : provider === "gcp" ? "a3-highgpu-8g" : "gd-8xh100ib-i128"]: { reservedDiscount: discount } };
    return p;
  });

const specArb: fc.Arbitrary<FleetSpecInput> = fc
  .record({
    providers: fc.uniqueArray(providerArb, { minLength: 2, maxLength: 4, selector: (p) => p.provider }),
    replicas: fc.array(pct(0, 3000), { minLength: 1, maxLength: 24 }),
    gpusPerReplica: fc.constantFrom(1, 2, 4, 8),
    maxSpotShare: pct(0, 100),
    headroom: pct(100, 160),
    coverFraction: pct(0, 100),
    resilience: fc.constantFrom("provider" as const, "provider" as const, "none" as const),
  })
  .map((r) =>
    specWith({
      providers: r.providers,
      replicas: r.replicas,
      gpusPerReplica: r.gpusPerReplica,
      policy: { maxSpotShare: r.maxSpotShare, headroom: r.headroom, outageShare: Math.min(r.headroom, 1) * r.coverFraction, resilience: r.resilience },
    }),
  );

/** Plans, or returns undefined when the random quotas leave no feasible plan (a correct answer, not a bug). */
function tryPlan(spec: FleetSpecInput): FleetPlan | undefined {
  try {
    return plan(spec);
  } catch (error) {
    if (error instanceof PlanInfeasibleError) return undefined;
    throw error;
  }
}

const RUNS = { numRuns: 60, seed: 20261101 };

function capacity(p: FleetPlan, h: number, only?: (pool: FleetPlan["models"][number]["pools"][number]) => boolean) {
  const m = p.models[0]!;
  return m.pools.filter((pool) => only?.(pool) ?? true).reduce((a, pool) => a + pool.replicasPerNode * (pool.reservedNodes + pool.schedule.spotNodes[h]! + pool.schedule.onDemandNodes[h]!), 0);
}

describe("plan properties", () => {
  it("runs at least headroom × demand (and so ≥ demand) in every hour of its own profile", () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const p = tryPlan(spec);
        fc.pre(p !== undefined);
        const m = p.models[0]!;
        m.profile.demandReplicas.forEach((d, h) => {
          expect(capacity(p, h)).toBeGreaterThanOrEqual(m.profile.requiredReplicas[h]!);
          expect(capacity(p, h)).toBeGreaterThanOrEqual(d - 1e-9);
        });
      }),
      RUNS,
    );
  });

  it("survives the loss of any one provider: running capacity elsewhere ≥ outageShare × demand every hour, and the others' autoscaler maxima reach peak × headroom", () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const p = tryPlan(spec);
        fc.pre(p !== undefined && p.policy.resilience === "provider");
        const m = p.models[0]!;
        const peak = Math.max(0, ...m.profile.requiredReplicas);
        for (const lost of m.pools) {
          m.profile.demandReplicas.forEach((_, h) => {
            expect(capacity(p, h, (pool) => pool !== lost)).toBeGreaterThanOrEqual(m.profile.survivorReplicas[h]!);
          });
          const reach = m.pools.filter((pool) => pool !== lost).reduce((a, pool) => a + pool.autoscaler.maxReplicas, 0);
          expect(reach).toBeGreaterThanOrEqual(peak);
        }
      }),
      RUNS,
    );
  });

  it("keeps spot at or under the cap at any load the deployed tiers can reach, and plans no spot where the provider or the SKU has none", () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const p = tryPlan(spec);
        fc.pre(p !== undefined);
        const m = p.models[0]!;
        const fixed = m.pools.reduce((a, pool) => a + pool.replicasPerNode * pool.reservedNodes, 0);
        // Spot fills before on-demand and each tier scales on its own load: the worst case is every spot tier at
        // its maximum and no on-demand, and even then spot is at most σ of what runs.
        const spotMax = m.pools.reduce((a, pool) => a + pool.replicasPerNode * pool.spotNodes.max, 0);
        expect(spotMax).toBeLessThanOrEqual(p.policy.maxSpotShare * (fixed + spotMax) + 1e-9);
        m.profile.demandReplicas.forEach((_, h) => {
          const spot = m.pools.reduce((a, pool) => a + pool.replicasPerNode * pool.schedule.spotNodes[h]!, 0);
          expect(spot).toBeLessThanOrEqual(p.policy.maxSpotShare * capacity(p, h) + 1e-9);
          expect(spot).toBeLessThanOrEqual(spotMax);
        });
        for (const pool of m.pools) {
          const sellsSpot = supportsCapacityType(getInstanceType(pool.provider, pool.instanceType), "spot") && p.providers.find((x) => x.provider === pool.provider)!.capacityTypes.includes("spot");
          if (!sellsSpot) {
            expect(pool.spotNodes.max).toBe(0);
            expect(pool.schedule.spotNodes.every((n) => n === 0)).toBe(true);
            expect(p.backends.some((b) => b.provider === pool.provider && b.capacityType === "spot")).toBe(false);
          }
          if (pool.provider === "lambda") expect(pool.pricePerNodeHour.spot).toBeNull();
        }
      }),
      RUNS,
    );
  });

  it("schedules each autoscaled tier within its bounds and never above what the plan allocates it at an hour the schedule covers", () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const p = tryPlan(spec);
        fc.pre(p !== undefined);
        for (const pool of p.models[0]!.pools) {
          for (const t of pool.tiers) {
            if (t.fixed) expect(t.schedule).toEqual([]);
            for (const w of t.schedule) {
              expect(Number.isInteger(w.minReplicas) && w.minReplicas > t.minReplicas && w.minReplicas <= t.maxReplicas).toBe(true);
              expect(Number.isInteger(w.startMinuteOfWeek) && w.startMinuteOfWeek >= 0 && w.startMinuteOfWeek < 10_080).toBe(true);
              expect(Number.isInteger(w.endMinuteOfWeek) && w.endMinuteOfWeek >= 1 && w.endMinuteOfWeek <= 10_080 && w.endMinuteOfWeek % 10_080 !== w.startMinuteOfWeek).toBe(true);
            }
            if (t.fixed) continue;
            // Profiles of any length (1–24 hours here): hour w of the first week is profile hour w mod H, and at its
            // start the schedule holds no more than the plan gives the tier then (the boot lead is under an hour).
            const nodes = t.capacityType === "spot" ? pool.schedule.spotNodes : pool.schedule.onDemandNodes;
            for (let w = 0; w < 168; w++) {
              expect(scheduledReplicas(t.schedule, w * 60)).toBeLessThanOrEqual(Math.max(t.minReplicas, nodes[w % nodes.length]! * pool.replicasPerNode));
            }
          }
        }
      }),
      RUNS,
    );
  });

  it("buys whole nodes: integer node counts, replicas in multiples of the node's replicas, CoreWeave in 8-GPU units", () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const p = tryPlan(spec);
        fc.pre(p !== undefined);
        for (const pool of p.models[0]!.pools) {
          const counts = [pool.reservedNodes, pool.autoscaler.maxNodes, pool.spotNodes.max, pool.onDemandNodes.max, ...pool.schedule.spotNodes, ...pool.schedule.onDemandNodes];
          for (const n of counts) expect(Number.isInteger(n) && n >= 0).toBe(true);
          expect(pool.autoscaler.maxReplicas).toBe(pool.autoscaler.maxNodes * pool.replicasPerNode);
          // Fixed nodes, plus the burst nodes the plan runs every hour (its hot spare), which the tiers keep.
          expect(pool.spotNodes.min).toBe(Math.min(pool.spotNodes.max, ...pool.schedule.spotNodes));
          expect(pool.onDemandNodes.min).toBe(Math.min(pool.onDemandNodes.max, ...pool.schedule.onDemandNodes));
          expect(pool.autoscaler.minReplicas).toBe((pool.reservedNodes + pool.spotNodes.min + pool.onDemandNodes.min) * pool.replicasPerNode);
          expect(pool.tiers.reduce((a, t) => a + t.minNodes, 0)).toBe(pool.autoscaler.minNodes);
          if (pool.provider === "coreweave") expect(pool.gpusPerNode).toBe(8);
          if (pool.quotaNodes !== null) expect(pool.autoscaler.maxNodes).toBeLessThanOrEqual(pool.quotaNodes);
        }
      }),
      RUNS,
    );
  });

  it("never gives a provider more GPU-hours, or a larger share of them, when its price goes up", () => {
    fc.assert(
      fc.property(specArb, fc.integer({ min: 0, max: 3 }), pct(5, 300), (spec, which, bumpPerGpuHour) => {
        const base = tryPlan(spec);
        fc.pre(base !== undefined);
        const target = spec.providers[which % spec.providers.length]!;
        // Raise every instance type of that provider, every tier, by the same USD per GPU-hour, so the
        // provider gets dearer across the board (its own shapes keep their order).
        const prices: NonNullable<ProviderInput["prices"]> = {};
        for (const it of instanceTypesFor(target.provider)) {
          const own = target.prices?.[it.name];
          const od = own?.onDemandPerNodeHour ?? it.onDemandPerNodeHour;
          const reserved = od * (1 - (own?.reservedDiscount ?? it.reservedDiscount));
          const bump = bumpPerGpuHour * it.gpusPerNode;
          prices[it.name] = {
            onDemandPerNodeHour: od + bump,
            ...(it.spotPerNodeHour === undefined || target.provider === "lambda" ? {} : { spotPerNodeHour: (own?.spotPerNodeHour ?? it.spotPerNodeHour) + bump }),
            ...(target.provider === "lambda" ? {} : { reservedDiscount: 1 - (reserved + bump) / (od + bump) }),
          };
        }
        const raised: FleetSpecInput = { ...spec, providers: spec.providers.map((p) => (p === target ? { ...p, prices } : p)) };
        const after = tryPlan(raised);
        fc.pre(after !== undefined);
        const pool = (pl: FleetPlan) => pl.models[0]!.pools.find((x) => x.provider === target.provider);
        expect(pool(after)?.gpuHoursPerMonth ?? 0).toBeLessThanOrEqual((pool(base)?.gpuHoursPerMonth ?? 0) + 1e-6);
        expect(pool(after)?.share ?? 0).toBeLessThanOrEqual((pool(base)?.share ?? 0) + 1e-9);
      }),
      { ...RUNS, numRuns: 100 },
    );
  });

  it("routes every backend with its tier's order (fixed nodes 1, spot 2, on-demand burst 3, hosted 4) and positive weights summing to 1 per tier", () => {
    // Lambda cannot autoscale: its on-demand nodes are fixed ones, paid around the clock, and routed first.
    const order = (b: { provider: string; capacityType: string }) => (b.capacityType === "hosted" ? 4 : b.capacityType === "reserved" || b.provider === "lambda" ? 1 : b.capacityType === "spot" ? 2 : 3);
    fc.assert(
      fc.property(specArb, (spec) => {
        const p = tryPlan(spec);
        fc.pre(p !== undefined);
        for (const b of p.backends) {
          expect(b.order).toBe(order(b));
          expect(b.weight).toBeGreaterThan(0);
        }
        for (const tier of [1, 2, 3]) {
          const group = p.backends.filter((b) => b.order === tier);
          if (group.length > 0) expect(group.reduce((a, b) => a + b.weight, 0)).toBeCloseTo(1, 3);
        }
        // A backend exists exactly where the pool may hold nodes of that tier.
        for (const pool of p.models[0]!.pools) {
          const has = (ct: string) => p.backends.some((b) => b.provider === pool.provider && b.capacityType === ct);
          const fixed = (tier: string) => pool.fixedTier === tier && pool.reservedNodes > 0;
          expect(has("reserved")).toBe(fixed("reserved"));
          expect(has("spot")).toBe(pool.spotNodes.max > 0);
          expect(has("on-demand")).toBe(pool.onDemandNodes.max > 0 || fixed("on-demand"));
          expect(pool.tiers.map((t) => t.backend).sort()).toEqual(p.backends.filter((b) => b.provider === pool.provider && b.model === p.models[0]!.name).map((b) => b.name).sort());
        }
      }),
      RUNS,
    );
  });

  it("is deterministic and JSON-stable", () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const a = tryPlan(spec);
        fc.pre(a !== undefined);
        const b = plan(spec);
        expect(b).toEqual(a);
        expect(JSON.parse(JSON.stringify(a))).toEqual(a);
      }),
      { ...RUNS, numRuns: 25 },
    );
  });

  it("bounds every run whose GPUs or hosted API serve each step: the GPU + hosted bound (hostedSpikes) is at most the simulated spend", async () => {
    // Without resilience rows nothing excuses a run from the bound; 5-minute steps scaled at random make spikes
    // shorter than any boot, which the bound must price as a real run pays them (hosted, or GPUs paid from a boot before).
    const hostedArb = fc.constantFrom(0.5, 2, 8, 30).map((usd) => ({ name: "hosted", model: "openai/gpt-4o-mini", pricePerMillionInputTokens: 0, pricePerMillionOutputTokens: usd }));
    await fc.assert(
      fc.asyncProperty(specArb, hostedArb, fc.array(pct(0, 300), { minLength: 288, maxLength: 288 }), async (spec0, hosted, noise) => {
        const spec: FleetSpecInput = { ...spec0, policy: { ...spec0.policy, resilience: "none" }, models: [{ ...spec0.models[0]!, hostedFallback: hosted }], simulation: { stepMinutes: 5, days: 1 } };
        const p = tryPlan(spec);
        fc.pre(p !== undefined);
        const trace = traceFromSpec(spec, 1);
        const m = trace.models[p.models[0]!.name]!;
        noise.forEach((x, t) => {
          m.requests[t] = m.requests[t]! * x;
          m.inputTokens[t] = m.inputTokens[t]! * x;
          m.outputTokens[t] = m.outputTokens[t]! * x;
        });
        const sim = simulate(p, trace);
        fc.pre(sim.spotOverCapSteps === 0);
        expect(sim.unmet.requests).toBeCloseTo(0, 6);
        const lb = await lowerBound(spec, trace, {}, { hostedSpikes: true });
        expect(lb.status).toBe("optimal");
        expect(lb.cost).toBeLessThanOrEqual(sim.cost.total * (1 + 1e-6) + 1e-6);
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it("simulates deterministically, accounting for every request and dollar once", async () => {
    await fc.assert(
      fc.asyncProperty(specArb, fc.integer({ min: 1, max: 1000 }), async (spec0, seed) => {
        const spec = { ...spec0, simulation: { stepMinutes: 15, days: 2, seed } };
        const p = tryPlan(spec);
        fc.pre(p !== undefined);
        const trace = traceFromSpec(spec, 2);
        const events = drillEvents(p, 2 * 1440, 15, { outageHours: 3 });
        const sim = simulate(p, trace, events);
        expect(simulate(p, trace, events)).toEqual(sim);
        // The deployed scalers hold no policy, so the lower bound (which does) bounds nothing here; what holds:
        const demand = trace.models[p.models[0]!.name]!.requests.reduce((a, b) => a + b, 0);
        expect(sim.demand.requests).toBeCloseTo(demand, 6);
        expect(sim.unmet.requests + sim.servedByFallback.requests).toBeLessThanOrEqual(demand * (1 + 1e-9));
        expect(sim.unmetOutsideOutages.requests).toBeLessThanOrEqual(sim.unmet.requests * (1 + 1e-9));
        expect(sim.cost.compute).toBeCloseTo(sim.cost.reserved + sim.cost.spot + sim.cost.onDemand, 6);
        expect(sim.costByProvider.reduce((a, c) => a + c.compute, 0)).toBeCloseTo(sim.cost.compute, 6);
        // Fixed nodes are paid around the clock, whatever happens.
        const fixed = p.models.flatMap((m) => m.pools).reduce((a, x) => a + x.reservedNodes * (x.pricePerNodeHour.reserved ?? 0) * sim.horizonHours, 0);
        expect(sim.cost.reserved).toBeCloseTo(fixed, 6);
        const lb = await lowerBound(spec, trace, events);
        if (lb.status === "optimal") expect(lb.relaxation).toBeLessThanOrEqual(lb.cost + 1e-6 * Math.max(1, lb.cost));
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
