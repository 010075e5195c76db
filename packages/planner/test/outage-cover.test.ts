/**
 * policy.outageCover: who carries a lost provider's load — the other providers' GPUs (spare), the hosted API (hosted),
 * or the hosted API up to its rate limit and GPUs the rest (both) — in the plan, its lower bound and the simulator.
 *
 * The fleet: 8 replicas of demand around the clock (8 requests/s = 480 a minute, 8,000 generated tokens/s = 480,000
 * a minute), headroom 1, an AWS on-demand pool and a Lambda one (4 replicas per node on each), and a hosted API at
 * $2 per million generated tokens: $57.60 an hour for all of the demand.
 */
import { describe, expect, it } from "vitest";
import { FleetSpecError, PlanInfeasibleError, lowerBound, plan, simulate, traceFromSpec } from "../src";
import type { FleetSpecInput } from "../src";
import { DECODE, specWith } from "./helpers";

const HOSTED = { name: "hosted", model: "openai/gpt-4o-mini", pricePerMillionInputTokens: 1, pricePerMillionOutputTokens: 2 };
const HOSTED_PER_HOUR = (8 * DECODE * 3600 * 2) / 1e6;
const lambdaDown = { outages: [{ provider: "lambda" as const, startMinute: 600, durationMinutes: 180 }] };

function fleet(policy: FleetSpecInput["policy"], hosted: Record<string, unknown> | null = HOSTED): FleetSpecInput {
  const spec: FleetSpecInput = {
    ...specWith({ providers: [], replicas: new Array<number>(24).fill(8) }),
    providers: [
      { provider: "aws", region: "us-east-1", capacityTypes: ["on-demand"] },
      { provider: "lambda", region: "us-east-1", capacityTypes: ["on-demand"] },
    ],
    policy: { resilience: "provider", headroom: 1, ...policy },
    simulation: { stepMinutes: 5, days: 1 },
  };
  if (hosted !== null) (spec.models[0] as Record<string, unknown>).hostedFallback = hosted;
  return spec;
}

/** Replicas running per pool at hour 0 (fixed + burst). */
const running = (p: ReturnType<typeof plan>) => p.models[0]!.pools.map((x) => (x.reservedNodes + x.schedule.onDemandNodes[0]! + x.schedule.spotNodes[0]!) * x.replicasPerNode);

describe("policy.outageCover", () => {
  it("spare: each provider alone runs all of the demand, and the hosted API is not priced", () => {
    const p = plan(fleet({ outageCover: "spare" }));
    expect(running(p)).toEqual([8, 8]);
    expect(p.models[0]!.profile.survivorReplicas).toEqual(new Array<number>(24).fill(8));
    expect(p.models[0]!.profile.outageHostedReplicas).toEqual(new Array<number>(24).fill(0));
    expect(p.cost.hosted).toBe(0);
  });

  it("hosted: no hot spare; the plan prices the hosted API for the hours a provider is expected down, and a Lambda outage drops nothing", () => {
    const spare = plan(fleet({ outageCover: "spare" }));
    const p = plan(fleet({ outageCover: "hosted" }));
    // Lambda (the cheaper replica) runs all of it; AWS runs nothing and does not scale after a loss either: the hosted
    // API carries it (a scaler that could would also chase every spike the hosted API serves for less).
    expect(running(p)).toEqual([0, 8]);
    expect(p.models[0]!.pools[0]!.autoscaler.maxNodes).toBe(0);
    expect(p.models[0]!.profile.survivorReplicas).toEqual(new Array<number>(24).fill(0));
    expect(p.models[0]!.profile.outageHostedReplicas).toEqual(new Array<number>(24).fill(8));
    // Losing Lambda (availability 0.999) hands all 8 replicas' demand to the hosted API; losing AWS hands it nothing.
    expect(p.cost.hosted).toBeCloseTo(Math.round((1 - 0.999) * 730 * HOSTED_PER_HOUR * 100) / 100, 2);
    expect(p.models[0]!.monthlyHosted).toBe(p.cost.hosted);
    expect(p.cost.compute.total).toBeLessThan(spare.cost.compute.total * 0.55);
    expect(p.cost.total).toBeCloseTo(p.cost.compute.total + p.cost.hosted + p.cost.storage + p.cost.weightEgress + p.cost.gatewayEgress, 1);

    const sim = simulate(p, traceFromSpec(fleet({ outageCover: "hosted" })), lambdaDown);
    expect(sim.unmet.requests).toBe(0);
    expect(sim.outages[0]!.droppedRequests).toBeGreaterThan(0); // the GPUs missed it...
    expect(sim.servedByFallback.requests).toBeCloseTo(sim.outages[0]!.droppedRequests, 6); // ...and the hosted API served all of it
    expect(sim.policyViolationSteps).toBe(0);
  });

  it("hosted: refuses a rate limit that cannot carry the demand, naming the limit to raise and the alternative", () => {
    for (const limit of [{ requestsPerMinute: 240 }, { tokensPerMinute: 240_000 }]) {
      const attempt = () => plan(fleet({ outageCover: "hosted" }, { ...HOSTED, ...limit }));
      expect(attempt).toThrow(PlanInfeasibleError);
      expect(attempt).toThrow(/policy\.outageCover is hosted.*leaves 4 replicas' worth uncovered; raise models\[0\]\.hostedFallback\.requestsPerMinute to at least 480 and models\[0\]\.hostedFallback\.tokensPerMinute to at least 480000 .*or set policy\.outageCover: both/);
    }
  });

  it("both: the GPUs hold what the rate limit cannot, whether requests or tokens bind", () => {
    for (const limit of [{ requestsPerMinute: 240 }, { tokensPerMinute: 240_000 }, { requestsPerMinute: 240, tokensPerMinute: 1_000_000 }]) {
      const spec = fleet({ outageCover: "both" }, { ...HOSTED, ...limit });
      const p = plan(spec);
      // Half the demand fits the limit: 4 replicas must survive the loss of either provider, so each runs 4.
      expect(p.models[0]!.profile.outageHostedReplicas).toEqual(new Array<number>(24).fill(4));
      expect(p.models[0]!.profile.survivorReplicas).toEqual(new Array<number>(24).fill(4));
      expect(running(p)).toEqual([4, 4]);
      const sim = simulate(p, traceFromSpec(spec), lambdaDown);
      expect(sim.unmet.requests).toBeCloseTo(0, 6);
      expect(sim.policyViolationSteps).toBe(0);
    }
  });

  it("gives the lower bound the same options: hosted is the no-resilience bound, both lies between, spare is the highest", async () => {
    const bound = async (policy: FleetSpecInput["policy"], hosted: Record<string, unknown> = HOSTED) => {
      const spec = fleet(policy, hosted);
      const lb = await lowerBound(spec, traceFromSpec(spec));
      expect(lb.status).toBe("optimal");
      // Every plan's simulated compute, Lambda outage or not, is at least its bound, and keeps the policy the bound holds
      // (without resilience nothing covers the outage, so only the day without one is checked).
      for (const events of policy?.resilience === "none" ? [{}] : [{}, lambdaDown]) {
        const sim = simulate(plan(spec), traceFromSpec(spec), events);
        const withEvents = await lowerBound(spec, traceFromSpec(spec), events);
        expect(sim.policyViolationSteps).toBe(0);
        expect(sim.cost.compute).toBeGreaterThanOrEqual(withEvents.cost - 1e-6);
      }
      return lb.cost;
    };
    const spare = await bound({ outageCover: "spare" });
    const both = await bound({ outageCover: "both" }, { ...HOSTED, requestsPerMinute: 240 });
    const hosted = await bound({ outageCover: "hosted" });
    const none = await bound({ resilience: "none" });
    expect(hosted).toBeCloseTo(none, 6);
    expect(both).toBeGreaterThan(hosted + 1);
    expect(spare).toBeGreaterThan(both + 1);
  });

  it("is validated with the spec: a number (the old outageCover), no hosted API to cover with, or nothing to cover", () => {
    const issues = (spec: FleetSpecInput) => {
      try {
        plan(spec);
      } catch (error) {
        if (error instanceof FleetSpecError) return error.issues.map((i) => `${i.path}: ${i.message} | ${i.fix}`);
        throw error;
      }
      throw new Error("planned");
    };
    expect(issues(fleet({ outageCover: 1 as unknown as "spare" }))).toEqual([expect.stringMatching(/^policy\.outageCover: .*\| "spare" .*"hosted" .*"both" .*the share itself is policy\.outageShare/)]);
    expect(issues(fleet({ outageCover: "both" }, null))).toEqual([
      "models[0].hostedFallback: is missing, but policy.outageCover is both: m has no hosted API to cover an outage with | give the model a hostedFallback, or set policy.outageCover: spare",
    ]);
    expect(issues(fleet({ outageCover: "hosted", resilience: "none" }))).toEqual([
      "policy.outageCover: is hosted, but resilience is none: nothing covers an outage | set resilience: provider, or leave outageCover out",
    ]);
    expect(issues(fleet({ outageShare: 1.5 }))).toEqual(["policy.outageShare: (1.5) exceeds headroom (1) | set outageShare ≤ headroom (1 = all of the demand is still served)"]);
  });
});

describe("the hosted API's token rate limit in simulate", () => {
  it("serves no more than tokensPerMinute: at 240,000 of the 480,000 tokens a minute, half of what the GPUs miss is dropped", () => {
    const spec = fleet({ resilience: "none" });
    const all = simulate(plan(spec), traceFromSpec(spec), lambdaDown);
    const limitedSpec = fleet({ resilience: "none" }, { ...HOSTED, tokensPerMinute: 240_000 });
    const limited = simulate(plan(limitedSpec), traceFromSpec(limitedSpec), lambdaDown);
    expect(all.unmet.requests).toBe(0);
    expect(limited.servedByFallback.requests).toBeCloseTo(all.servedByFallback.requests / 2, 6);
    expect(limited.unmet.requests).toBeCloseTo(all.servedByFallback.requests / 2, 6);
    expect(limited.cost.hostedFallback).toBeCloseTo(all.cost.hostedFallback / 2, 6);
  });
});

describe("lowerBound with the hosted tier for spikes (hostedSpikes)", () => {
  // Lambda is planned as what its stack deploys (fixed nodes at its on-demand price): its replica-hour is the cheaper.
  const gpuPerReplicaHour = (spec: FleetSpecInput) => Math.min(...plan(spec).models[0]!.pools.map((x) => (x.pricePerNodeHour.reserved ?? x.pricePerNodeHour.onDemand!) / x.replicasPerNode));

  it("buys the hosted API where a replica of it costs less than a GPU replica, up to its limit, and GPUs for the rest", async () => {
    // 240 requests a minute is half the demand: the hosted API may serve 4 of the 8 replicas, at $7.20 a replica-hour.
    const spec = fleet({ resilience: "none" }, { ...HOSTED, requestsPerMinute: 240 });
    expect(gpuPerReplicaHour(spec)).toBeGreaterThan(HOSTED_PER_HOUR / 8);
    const lb = await lowerBound(spec, traceFromSpec(spec), {}, { hostedSpikes: true });
    expect(lb.status).toBe("optimal");
    expect(lb.method).toBe("lp-relaxation");
    expect(lb.hosted).toBeCloseTo((24 * HOSTED_PER_HOUR) / 2, 6);
    expect(lb.cost).toBeCloseTo(24 * 4 * gpuPerReplicaHour(spec) + lb.hosted, 6);
    const gpuOnly = await lowerBound(spec, traceFromSpec(spec), {}, { exact: false });
    expect(gpuOnly.hosted).toBe(0);
    expect(gpuOnly.cost).toBeCloseTo(24 * 8 * gpuPerReplicaHour(spec), 6);
  });

  it("without a limit, all of it goes to the cheaper hosted API; priced above a GPU replica, none does", async () => {
    const open = fleet({ resilience: "none" });
    const all = await lowerBound(open, traceFromSpec(open), {}, { hostedSpikes: true });
    expect(all.hosted).toBeCloseTo(24 * HOSTED_PER_HOUR, 6);
    expect(all.cost).toBeCloseTo(all.hosted, 6);

    const dear = fleet({ resilience: "none" }, { ...HOSTED, pricePerMillionOutputTokens: 20 });
    const none = await lowerBound(dear, traceFromSpec(dear), {}, { hostedSpikes: true });
    expect(none.hosted).toBeCloseTo(0, 9);
    expect(none.cost).toBeCloseTo(24 * 8 * gpuPerReplicaHour(dear), 6);
  });

  it("pays a GPU spike's boot: a 5-minute spike goes to the hosted API at 1.5× a GPU replica's price, a 6-hour one to GPUs", async () => {
    // AWS alone, 4 replicas of demand around the clock; a GPU node serving at step u was paid from u − b (its boot) on.
    const awsOnly = (outputPrice: number): FleetSpecInput => ({
      ...fleet({ resilience: "none" }, { ...HOSTED, pricePerMillionInputTokens: 0, pricePerMillionOutputTokens: outputPrice }),
      providers: [{ provider: "aws", region: "us-east-1", capacityTypes: ["on-demand"] }],
    });
    const gpu = gpuPerReplicaHour(awsOnly(2));
    // $/million output tokens at which a replica-hour of the hosted API (DECODE tokens/s) costs 1.5 GPU replica-hours.
    const spec = awsOnly((1.5 * gpu * 1e6) / (DECODE * 3600));
    const flat = traceFromSpec({ ...spec, models: [{ ...spec.models[0]!, demand: { hourly: { requestsPerSecond: new Array<number>(24).fill(4), inputTokensPerSecond: new Array<number>(24).fill(0), outputTokensPerSecond: new Array<number>(24).fill(4 * DECODE) } } }] });
    const withSpike = (from: number, steps: number) => {
      const s = structuredClone(flat);
      const m = s.models[spec.models[0]!.name]!;
      for (let t = from; t < from + steps; t++) {
        m.requests[t] = m.requests[t]! * 3;
        m.outputTokens[t] = m.outputTokens[t]! * 3;
      }
      return s;
    };
    const stepHours = 5 / 60;
    const base = 4 * 24 * gpu;

    const short = await lowerBound(spec, withSpike(100, 1), {}, { hostedSpikes: true });
    expect(short.status).toBe("optimal");
    expect(short.hosted).toBeCloseTo(8 * stepHours * 1.5 * gpu, 6);
    expect(short.cost).toBeCloseTo(base + short.hosted, 6);

    const sustained = await lowerBound(spec, withSpike(100, 72), {}, { hostedSpikes: true });
    expect(sustained.hosted).toBeCloseTo(0, 9);
    // Eight more replicas for the 72 steps and the b before them: the pool's boot (provisioning, weights read
    // in-cloud, engine start), as the plan states it, in whole steps.
    const b = Math.ceil(plan(spec).models[0]!.pools[0]!.scaleUpMinutes / 5);
    expect(b).toBeGreaterThanOrEqual(2);
    expect(sustained.cost).toBeCloseTo(base + 8 * (72 + b) * stepHours * gpu, 6);
  });

  it("keeps the resilience rows: under outageCover spare each provider still runs all of the demand, so the hosted API buys nothing", async () => {
    const spec = fleet({ outageCover: "spare" });
    const lb = await lowerBound(spec, traceFromSpec(spec), {}, { hostedSpikes: true });
    const gpuOnly = await lowerBound(spec, traceFromSpec(spec), {}, { exact: false });
    expect(lb.hosted).toBeCloseTo(0, 9);
    expect(lb.cost).toBeCloseTo(gpuOnly.cost, 6);
  });
});
