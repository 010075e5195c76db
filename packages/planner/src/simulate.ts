/**
 * `simulate(plan, trace, events)`: replays demand step by step against what the stacks deploy from a plan — each
 * pool's tiers with their bounds, the gateway's routing, and each autoscaled tier's scaler with the settings its
 * ScaledObject carries (`tierScaler`) — and reports cost, unmet demand and service during outages.
 *
 * Each step, per model:
 *  1. Outages take providers away (their nodes are lost and billing stops; fixed nodes stay paid and boot again
 *     after), and spot falling below what is held reclaims the newest spot nodes.
 *  2. The gateway routes the load in LiteLLM's order: fixed capacity, then spot, then on-demand burst; within an
 *     order by the plan's weights, among the backends that pass health checks (one ready replica), each up to its
 *     cap (maxReplicas × per-replica concurrency). What no order takes is unplaceable; what a backend takes beyond
 *     its ready replicas waits, and past the gateway's timeout is not served either.
 *  3. Each autoscaled tier's scaler: KEDA activates it when the model's spill reaches its order or beyond (the wake
 *     trigger, which also asks for its share of that spill), when it has load, or while a window of its schedule
 *     holds (the cron triggers); the HPA wants the largest of the wake's ask, `replicasWanted` of its load in flight
 *     (the in-flight trigger) and the schedule's level, keeps the highest want over the scale-down window, and KEDA
 *     scales it to zero that long after its last activity. Nodes follow its pods, within the tier's node bounds and
 *     the spot obtainable; new ones are billed at once and serve after the pool's scale-up time (provisioning +
 *     weights + engine start); a node its pods left goes after the node autoscaler's own delay.
 *  4. Ready replicas serve; demand beyond them goes to the hosted fallback when the model has one, up to its rate
 *     limit (`requestsPerMinute` and `tokensPerMinute` × the step, `hostedShare`), and is unmet beyond it (dropped
 *     requests in proportion).
 *
 * The only forecast is the plan's own: each tier's schedule (`PoolTierPlan.schedule`, from `tierSchedule`) asks for
 * the hour's planned replicas a boot time before the hour, step 0 being Monday 00:00 UTC (hour 0 of the profile).
 * Above it the scalers react to load. Outside the schedule nothing holds a provider's worth of hot spare: the steps
 * where paid capacity falls short of the policy the plan prices are counted in `policyViolationSteps`, and
 * `lowerBound`, which holds that policy, is then no bound on this cost. The spot cap is held by the deployed tier
 * maxima themselves while every provider is up (`spotOverCapSteps`).
 */
import { replicasWanted } from "@switchyard/catalog";
import type { Provider } from "@switchyard/catalog";
import { spotBudgetReplicas } from "./allocate";
import { replicasFor } from "./demand";
import { hostedShare, hostedUsd, outageHostedReplicas, survivorReplicas } from "./hosted-capacity";
import { scalesToZero, tierScaler } from "./scaler";
import { scheduledReplicas } from "./schedule";
import type { TierScaler } from "./scaler";
import { isDown, spotFractionAt } from "./events";
import type { Outage, SimulationEvents } from "./events";
import type { FleetPlan, ModelPlan, PoolPlan, PoolTierPlan } from "./types";

/** Counts per step for each model of the plan (all models share the step and the length). */
export interface DemandTrace {
  stepMinutes: number;
  models: Record<string, { requests: number[]; inputTokens: number[]; outputTokens: number[] }>;
}

export interface SimulateOptions {
  /** Called as steps complete (about every 1%), for progress displays. */
  onProgress?: (doneSteps: number, totalSteps: number) => void;
  /** Send unmet demand to the model's hosted fallback, where it has one. Defaults to true. */
  useHostedFallback?: boolean;
}

export interface OutageReport extends Outage {
  /** Minutes after the outage counted with it: the provider's nodes need a scale-up to serve again. */
  recoveryMinutes: number;
  requests: number;
  droppedRequests: number;
  unmetGpuHours: number;
  /** Share of the window's requests served by the GPU fleet (hosted fallback not counted), percent. */
  servedPercent: number;
}

export interface SimulationResult {
  stepMinutes: number;
  horizonHours: number;
  cost: { reserved: number; spot: number; onDemand: number; compute: number; hostedFallback: number; total: number };
  costByProvider: { provider: Provider; compute: number }[];
  demand: { requests: number; gpuHours: number };
  unmet: { requests: number; gpuHours: number; requestPercent: number };
  unmetOutsideOutages: { requests: number; gpuHours: number };
  servedByFallback: { requests: number; gpuHours: number };
  outages: OutageReport[];
  nodeStarts: number;
  spotReclaims: number;
  /** Steps where the paid capacity could not meet the policy (autoscaler bounds too tight for the load). */
  policyViolationSteps: number;
  /** Steps with every provider up where paid spot went over the spot budget (spotBudgetReplicas). */
  spotOverCapSteps: number;
}

interface Node {
  spot: boolean;
  readyAt: number;
}

interface PoolState {
  plan: PoolPlan;
  reservedReadyAt: number;
  wasDown: boolean;
}

/** One deployed tier: a fixed one (its nodes run around the clock), or an autoscaled one with its scaler's state. */
interface TierState {
  pool: number;
  tier: PoolTierPlan;
  /** The gateway's weight for it within its model and order. */
  weight: number;
  scaler: TierScaler;
  spot: boolean;
  nodes: Node[];
  /** Replicas its Deployment asks for (KEDA and the HPA's decision). */
  pods: number;
  /** The HPA's recommendations over its scale-down window. */
  wants: { minute: number; replicas: number }[];
  /** Nodes wanted over the node autoscaler's scale-down delay. */
  nodeNeeds: { minute: number; nodes: number }[];
  /** When a trigger was last above 0; KEDA scales to zero a cooldown after it. */
  lastActive: number;
}

const EPS = 1e-9;

/** Replays `trace` against `plan` under `events`. Deterministic: no clock, no unseeded randomness. */
export function simulate(plan: FleetPlan, trace: DemandTrace, events: SimulationEvents = {}, options: SimulateOptions = {}): SimulationResult {
  const step = trace.stepMinutes;
  const steps = Math.max(0, ...plan.models.map((m) => trace.models[m.name]?.requests.length ?? 0));
  for (const m of plan.models) {
    if (trace.models[m.name] === undefined) throw new Error(`trace has no demand for model ${m.name}; give trace.models["${m.name}"]`);
  }
  const horizonHours = (steps * step) / 60;
  const result: SimulationResult = {
    stepMinutes: step,
    horizonHours,
    cost: { reserved: 0, spot: 0, onDemand: 0, compute: 0, hostedFallback: 0, total: 0 },
    costByProvider: [],
    demand: { requests: 0, gpuHours: 0 },
    unmet: { requests: 0, gpuHours: 0, requestPercent: 0 },
    unmetOutsideOutages: { requests: 0, gpuHours: 0 },
    servedByFallback: { requests: 0, gpuHours: 0 },
    outages: (events.outages ?? []).map((o) => ({
      ...o,
      recoveryMinutes: Math.max(0, ...plan.models.flatMap((m) => m.pools.filter((p) => p.provider === o.provider).map((p) => p.scaleUpMinutes))),
      requests: 0,
      droppedRequests: 0,
      unmetGpuHours: 0,
      servedPercent: 100,
    })),
    nodeStarts: 0,
    spotReclaims: 0,
    policyViolationSteps: 0,
    spotOverCapSteps: 0,
  };
  const byProvider = new Map<Provider, number>();
  const charge = (p: Provider, usd: number) => byProvider.set(p, (byProvider.get(p) ?? 0) + usd);
  const progressEvery = Math.max(1, Math.floor((steps * plan.models.length) / 100));
  let done = 0;

  for (const model of plan.models) {
    const demand = trace.models[model.name]!;
    const pools: PoolState[] = model.pools.map((p) => ({ plan: p, reservedReadyAt: 0, wasDown: false }));
    const hf = (options.useHostedFallback ?? true) ? model.hostedFallback : null;
    const headroom = plan.policy.headroom;
    const tiers = tierStates(plan, model);

    for (let t = 0; t < steps; t++) {
      const minute = t * step;
      const up = pools.map((s) => !isDown(events, s.plan.provider, minute));
      const outageActive = up.some((u) => !u);
      const obtainable = pools.map((s, i) => (up[i] ? spotObtainable(s.plan, spotFractionAt(events, s.plan.provider, minute)) : 0));

      // 1. Outages take a provider's nodes; spot below what is held reclaims the newest.
      pools.forEach((s, i) => {
        if (!up[i]) s.wasDown = true;
        else if (s.wasDown) {
          s.wasDown = false;
          s.reservedReadyAt = minute + s.plan.scaleUpMinutes;
        }
      });
      for (const ts of tiers) {
        if (!up[ts.pool]) ts.nodes = [];
        while (ts.spot && ts.nodes.length > obtainable[ts.pool]!) {
          ts.nodes.splice(newest(ts.nodes), 1);
          result.spotReclaims++;
        }
      }

      // 2. What serves now, and 3. the gateway's routing: each order in turn, up to each backend's cap (its
      // maxReplicas × per-replica concurrency), by weight among the backends of the order that pass health checks
      // (one ready replica); what no order takes is unplaceable. A backend's load beyond its ready replicas waits.
      const ready = tiers.map((ts) => readyReplicas(ts, pools[ts.pool]!, up[ts.pool]!, minute));
      const d = demandAt(demand, t, step, model);
      const routed = tiers.map(() => 0);
      let unplaceable = d.replicas;
      for (const order of [1, 2, 3]) {
        const open = tiers.map((_, j) => j).filter((j) => tiers[j]!.tier.order === order && ready[j]! > 0);
        unplaceable = fill(unplaceable, open, tiers, routed);
      }
      const served = tiers.reduce((a, _, j) => a + Math.min(routed[j]!, ready[j]!), 0);

      // 4. Each autoscaled tier's scaler, as deployed: KEDA wakes it on the model's spill reaching its order (or
      // on nothing placeable) or on a schedule window, the HPA wants the larger of replicasWanted of its load in
      // flight and the schedule's level, holds the highest want over the scale-down window, and KEDA scales to zero
      // a cooldown after its last activity. Then the node autoscaler.
      const reachedFrom = (order: number) => tiers.reduce((a, ts, j) => a + (ts.tier.order >= order ? routed[j]! : 0), 0);
      // The wake query counts requests per second: the spill's replicas at this step's mix of tokens per request.
      const requestsPerReplicaSecond = d.replicas > 0 ? d.requests / (d.replicas * step * 60) : 0;
      tiers.forEach((ts, j) => {
        if (ts.tier.fixed) return;
        const spill = unplaceable + reachedFrom(ts.tier.order);
        // The schedule's cron triggers: active while a window holds, and KEDA's HPA wants at least its level.
        const scheduled = scheduledReplicas(ts.tier.schedule, minute, step);
        const active = routed[j]! > EPS || spill > EPS || scheduled > 0;
        if (active) ts.lastActive = minute;
        // Only a tier that scales to zero has the wake trigger (VllmServing renders it for minReplicas 0 alone).
        const woken = scalesToZero(ts.tier) ? Math.ceil((spill * requestsPerReplicaSecond) / ts.scaler.wakeRequestsPerSecondPerReplica - EPS) : 0;
        const want = Math.max(active ? 1 : 0, replicasWanted(routed[j]!, headroom), woken, scheduled);
        const windowMinutes = ts.scaler.scaleDownCooldownSeconds / 60;
        ts.wants.push({ minute, replicas: want });
        while (ts.wants[0]!.minute <= minute - windowMinutes) ts.wants.shift();
        const held = Math.max(...ts.wants.map((w) => w.replicas));
        const idle = minute - ts.lastActive >= windowMinutes;
        const pods = scalesToZero(ts.tier) && (idle || ts.pods === 0) && !active ? 0 : Math.max(ts.tier.minReplicas, 1, held);
        ts.pods = Math.min(pods, ts.tier.maxReplicas);
        const pool = pools[ts.pool]!.plan;
        const need = Math.min(Math.ceil(ts.pods / pool.replicasPerNode), ts.tier.maxNodes, ts.spot ? obtainable[ts.pool]! : Infinity);
        ts.nodeNeeds.push({ minute, nodes: need });
        while (ts.nodeNeeds[0]!.minute <= minute - ts.scaler.nodeScaleDownDelayMinutes) ts.nodeNeeds.shift();
        if (!up[ts.pool]) return;
        while (ts.nodes.length < need) {
          ts.nodes.push({ spot: ts.spot, readyAt: minute + pool.scaleUpMinutes });
          result.nodeStarts++;
        }
        const keep = Math.max(...ts.nodeNeeds.map((n) => n.nodes));
        while (ts.nodes.length > keep) {
          const pending = ts.nodes.findIndex((n) => n.readyAt > minute);
          ts.nodes.splice(pending >= 0 ? pending : newest(ts.nodes), 1);
        }
      });

      // Paid capacity against the policy (what the plan prices and lowerBound assumes; the deployed scalers do not
      // hold it, so the steps where it falls short are counted).
      const paid = pools.map((s, i) => (up[i] ? s.plan.replicasPerNode * (s.plan.reservedNodes + tiers.reduce((a, ts) => a + (ts.pool === i ? ts.nodes.length : 0), 0)) : 0));
      const paidTotal = paid.reduce((a, b) => a + b, 0);
      const spotByPool = pools.map((s, i) => (up[i] ? s.plan.replicasPerNode * tiers.reduce((a, ts) => a + (ts.pool === i && ts.spot ? ts.nodes.length : 0), 0) : 0));
      const paidSpot = spotByPool.reduce((a, b) => a + b, 0);
      const spotBudget = spotBudgetReplicas(pools.map((s, i) => ({ k: s.plan.replicasPerNode, reserved: s.plan.reservedNodes, up: up[i]! })), plan.policy.maxSpotShare);
      const overCap = paidSpot > spotBudget + EPS;
      if (overCap && up.every(Boolean)) result.spotOverCapSteps++;
      const resilient = plan.policy.resilience === "provider";
      const wanted = replicasWanted(d.replicas, headroom);
      const hostedCover = hf === null ? 0 : d.replicas * hostedShare(hf, d.requests, d.inputTokens + d.outputTokens, step);
      const survivor = resilient ? survivorReplicas(plan.policy.outageCover, plan.policy.outageShare, d.replicas, hostedCover) : 0;
      // While a provider is down, what the policy lets the hosted API carry is not asked of the GPUs still up.
      const needed = outageActive && resilient ? Math.max(0, Math.ceil(wanted - outageHostedReplicas(plan.policy.outageCover, plan.policy.outageShare, d.replicas, hostedCover) - EPS)) : wanted;
      const neededSurvivor = outageActive ? 0 : survivor;
      const neededSpotSurvivor = outageActive ? survivor : 0;
      if (
        paidTotal < needed ||
        paid.some((c) => paidTotal - c < neededSurvivor) ||
        spotByPool.some((c) => paidTotal - c < neededSpotSurvivor) ||
        overCap
      ) {
        result.policyViolationSteps++;
      }

      // 5. Serve: what ready replicas did not, unplaceable or waiting past its timeout, goes to the hosted fallback
      // where the model has one, or is unmet.
      const unmetReplicas = Math.max(0, d.replicas - served);
      const unmetFraction = d.replicas > 0 ? unmetReplicas / d.replicas : 0;
      const unmetGpuHours = (unmetReplicas * model.gpusPerReplica * step) / 60;
      const dropped = d.requests * unmetFraction;
      result.demand.requests += d.requests;
      result.demand.gpuHours += (d.replicas * model.gpusPerReplica * step) / 60;
      // The hosted API takes what its rate limit (requests and tokens per minute, over the step) allows; the rest is unmet.
      const taken = hf === null || dropped <= 0 ? 0 : hostedShare(hf, dropped, unmetFraction * (d.inputTokens + d.outputTokens), step);
      if (hf !== null && taken > 0) {
        result.servedByFallback.requests += dropped * taken;
        result.servedByFallback.gpuHours += unmetGpuHours * taken;
        result.cost.hostedFallback += taken * unmetFraction * hostedUsd(hf, d.inputTokens, d.outputTokens);
      }
      if (taken < 1 && unmetReplicas > 0) {
        const left = 1 - taken;
        result.unmet.requests += dropped * left;
        result.unmet.gpuHours += unmetGpuHours * left;
        if (!result.outages.some((o) => within(o, minute))) {
          result.unmetOutsideOutages.requests += dropped * left;
          result.unmetOutsideOutages.gpuHours += unmetGpuHours * left;
        }
      }
      for (const o of result.outages) {
        if (within(o, minute)) {
          o.requests += d.requests;
          o.droppedRequests += dropped;
          o.unmetGpuHours += unmetGpuHours;
        }
      }

      // 6. Bill autoscaled nodes for the step (pending ones too: they are running while they boot).
      const hours = step / 60;
      for (const ts of tiers) {
        const pool = pools[ts.pool]!.plan;
        for (const n of ts.nodes) {
          const price = n.spot ? pool.pricePerNodeHour.spot! : pool.pricePerNodeHour.onDemand!;
          if (n.spot) result.cost.spot += price * hours;
          else result.cost.onDemand += price * hours;
          charge(pool.provider, price * hours);
        }
      }
      done++;
      if (options.onProgress !== undefined && done % progressEvery === 0) options.onProgress(done, steps * plan.models.length);
    }
    for (const p of model.pools) {
      const reserved = p.reservedNodes * (p.pricePerNodeHour.reserved ?? 0) * horizonHours;
      result.cost.reserved += reserved;
      charge(p.provider, reserved);
    }
  }
  options.onProgress?.(steps * plan.models.length, steps * plan.models.length);
  for (const o of result.outages) o.servedPercent = o.requests > 0 ? (1 - o.droppedRequests / o.requests) * 100 : 100;
  result.cost.compute = result.cost.reserved + result.cost.spot + result.cost.onDemand;
  result.cost.total = result.cost.compute + result.cost.hostedFallback;
  result.unmet.requestPercent = result.demand.requests > 0 ? (result.unmet.requests / result.demand.requests) * 100 : 0;
  result.costByProvider = [...byProvider.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([provider, compute]) => ({ provider, compute }));
  return result;
}

/** The model's deployed tiers, started warm: the plan's burst nodes for hour 0 running and ready. */
function tierStates(plan: FleetPlan, model: ModelPlan): TierState[] {
  return model.pools.flatMap((p, pool) =>
    p.tiers.map((tier) => {
      const spot = tier.capacityType === "spot";
      const warm = tier.fixed ? 0 : Math.min(tier.maxNodes, (spot ? p.schedule.spotNodes[0] : p.schedule.onDemandNodes[0]) ?? 0);
      const pods = Math.min(tier.maxReplicas, warm * p.replicasPerNode);
      return {
        pool,
        tier,
        weight: plan.backends.find((b) => b.name === tier.backend)?.weight ?? 1,
        scaler: tierScaler(plan, model, tier.backend),
        spot,
        nodes: Array.from({ length: warm }, () => ({ spot, readyAt: 0 })),
        pods,
        wants: [],
        nodeNeeds: [],
        lastActive: pods > 0 ? 0 : -Infinity,
      };
    }),
  );
}

/** Replicas of a tier that can serve now: a fixed tier's all, once its pool is up and booted; else its pods on ready nodes. */
function readyReplicas(ts: TierState, pool: PoolState, up: boolean, minute: number): number {
  if (!up) return 0;
  if (ts.tier.fixed) return minute >= pool.reservedReadyAt ? ts.tier.maxReplicas : 0;
  return Math.min(ts.pods, pool.plan.replicasPerNode * ts.nodes.filter((n) => n.readyAt <= minute).length);
}

/** Spreads `load` over the `open` tiers by weight, each up to its maxReplicas; returns what none could take. */
function fill(load: number, open: number[], tiers: readonly TierState[], routed: number[]): number {
  let remaining = load;
  let room = open.filter((j) => tiers[j]!.tier.maxReplicas - routed[j]! > EPS);
  while (remaining > EPS && room.length > 0) {
    const weights = room.map((j) => Math.max(tiers[j]!.weight, EPS));
    const total = weights.reduce((a, b) => a + b, 0);
    let used = 0;
    room.forEach((j, n) => {
      const take = Math.min((remaining * weights[n]!) / total, tiers[j]!.tier.maxReplicas - routed[j]!);
      routed[j] = routed[j]! + take;
      used += take;
    });
    remaining -= used;
    const left = room.filter((j) => tiers[j]!.tier.maxReplicas - routed[j]! > EPS);
    if (left.length === room.length) break;
    room = left;
  }
  return Math.max(0, remaining);
}

/** Whether `minute` falls in the outage or its recovery (the provider's nodes booting again). */
function within(o: OutageReport, minute: number): boolean {
  return minute >= o.startMinute && minute < o.startMinute + o.durationMinutes + o.recoveryMinutes;
}


/** Spot nodes obtainable at this fraction: all the plan may use at 1, none at 0, pro rata between. */
function spotObtainable(p: PoolPlan, fraction: number): number {
  if (p.pricePerNodeHour.spot === null) return 0;
  return fraction >= 1 ? p.spotNodes.max : Math.floor(fraction * p.spotNodes.max + EPS);
}

/** The node that became (or becomes) ready last. */
function newest(nodes: readonly Node[]): number {
  let best = 0;
  nodes.forEach((n, i) => {
    if (n.readyAt >= nodes[best]!.readyAt) best = i;
  });
  return best;
}

function demandAt(series: { requests: number[]; inputTokens: number[]; outputTokens: number[] }, t: number, step: number, model: ModelPlan) {
  const inputTokens = series.inputTokens[t] ?? 0;
  const outputTokens = series.outputTokens[t] ?? 0;
  return {
    requests: series.requests[t] ?? 0,
    inputTokens,
    outputTokens,
    replicas: replicasFor(inputTokens, outputTokens, step * 60, model.throughput),
  };
}


