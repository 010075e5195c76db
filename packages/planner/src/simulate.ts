/**
 * `simulate(plan, trace, events)`: replays demand step by step against a plan, with the runtime policy
 * the gateway and autoscalers implement, and reports cost, unmet demand and service during outages.
 *
 * Each step, per model:
 *  1. Outages take providers away (their nodes are lost and billing stops; reserved nodes stay paid),
 *     and spot falling below what is held reclaims the newest spot nodes.
 *  2. The controller sizes `replicasWanted` (the rule each deployed scaler's in-flight target computes; see
 *     `tierScaler`) of the larger of the load it sees now and the plan's profile over the next scale-up window
 *     (scheduled pre-scaling, which the deployed scalers do not do yet), and asks the allocator for the cheapest mix that meets the
 *     policy on what is reachable now: reserved first (sunk), then spot up to the cap, then on-demand,
 *     keeping any one provider's loss survivable while no outage is under way (and, during one, any
 *     remaining provider's spot reclaim), within the plan's autoscaler bounds.
 *  3. Nodes it adds are billed at once and serve after the pool's scale-up time (provisioning + weights +
 *     engine start). Surplus nodes are kept for the deployed scalers' scale-down window (`tierScaler`) and
 *     released only when what is ready still meets the requirement.
 *  4. Ready replicas serve; demand beyond them is unmet (dropped requests in proportion), or goes to the
 *     hosted fallback when the model has one.
 *
 * Paid capacity meets the policy at every step whenever the bounds allow it (counted otherwise in
 * `policyViolationSteps`), which is what makes `lowerBound` a true lower bound on the simulated cost.
 */
import { replicasWanted } from "@switchyard/catalog";
import type { Provider } from "@switchyard/catalog";
import { allocate } from "./allocate";
import type { AllocPool } from "./allocate";
import { replicasFor } from "./demand";
import { tierScaler } from "./scaler";
import { isDown, spotFractionAt } from "./events";
import type { Outage, SimulationEvents } from "./events";
import type { FleetPlan, ModelPlan, PoolPlan } from "./types";

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
}

interface Node {
  spot: boolean;
  readyAt: number;
}

interface PoolState {
  plan: PoolPlan;
  nodes: Node[];
  reservedReadyAt: number;
  wasDown: boolean;
  history: { minute: number; spot: number; od: number }[];
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
  };
  const byProvider = new Map<Provider, number>();
  const charge = (p: Provider, usd: number) => byProvider.set(p, (byProvider.get(p) ?? 0) + usd);
  const progressEvery = Math.max(1, Math.floor((steps * plan.models.length) / 100));
  let done = 0;

  for (const model of plan.models) {
    const demand = trace.models[model.name]!;
    const pools: PoolState[] = model.pools.map((p) => ({ plan: p, nodes: [], reservedReadyAt: 0, wasDown: false, history: [] }));
    const maxScaleUp = Math.max(0, ...model.pools.map((p) => p.scaleUpMinutes));
    // The deployed scalers' scale-down window (tierScaler), so what is simulated keeps what is deployed keeps.
    const cooldown = tierScaler(plan, model).scaleDownCooldownSeconds / 60;
    const useFallback = (options.useHostedFallback ?? true) && model.hostedFallback !== null;
    const H = model.profile.hours;
    const cache = new Map<string, ReturnType<typeof allocate>>();

    // Start warm: the plan's allocation for hour 0 is running and ready.
    pools.forEach((s, i) => {
      const p = model.pools[i]!;
      for (let n = 0; n < (p.schedule.spotNodes[0] ?? 0); n++) s.nodes.push({ spot: true, readyAt: 0 });
      for (let n = 0; n < (p.schedule.onDemandNodes[0] ?? 0); n++) s.nodes.push({ spot: false, readyAt: 0 });
    });

    for (let t = 0; t < steps; t++) {
      const minute = t * step;
      const up = pools.map((s) => !isDown(events, s.plan.provider, minute));
      const outageActive = up.some((u) => !u);

      // 1. Outages and spot reclaims.
      pools.forEach((s, i) => {
        if (!up[i]) {
          s.nodes = [];
          s.wasDown = true;
          return;
        }
        if (s.wasDown) {
          s.wasDown = false;
          s.reservedReadyAt = minute + s.plan.scaleUpMinutes;
        }
        const obtainable = spotObtainable(s.plan, spotFractionAt(events, s.plan.provider, minute));
        let held = s.nodes.filter((n) => n.spot).length;
        while (held > obtainable) {
          const idx = newest(s.nodes, true);
          s.nodes.splice(idx, 1);
          held--;
          result.spotReclaims++;
        }
      });

      // 2. Target.
      const d = demandAt(demand, t, step, model);
      // A node ordered now serves from the first step after it is ready: look that far ahead.
      const ahead = profileAhead(model, minute, maxScaleUp + step, H);
      const dStar = Math.max(d.replicas, ahead);
      const required = replicasWanted(dStar, plan.policy.headroom);
      const resilient = plan.policy.resilience === "provider";
      const survivor = resilient && !outageActive ? Math.ceil(plan.policy.outageCover * dStar - EPS) : 0;
      // While a provider is down, a spot reclaim elsewhere must not become a second failure.
      const spotSurvivor = resilient && outageActive ? Math.ceil(plan.policy.outageCover * dStar - EPS) : 0;
      const fractions = pools.map((s, i) => (up[i] ? spotObtainable(s.plan, spotFractionAt(events, s.plan.provider, minute)) : 0));
      const allocPools: AllocPool[] = pools.map((s, i) => ({
        k: s.plan.replicasPerNode,
        reserved: s.plan.reservedNodes,
        up: up[i]!,
        maxNodes: s.plan.autoscaler.maxNodes,
        spotPrice: s.plan.pricePerNodeHour.spot ?? undefined,
        spotMax: fractions[i]!,
        onDemandPrice: s.plan.pricePerNodeHour.onDemand ?? undefined,
      }));
      const key = `${required},${survivor},${spotSurvivor},${up.map((u) => (u ? 1 : 0)).join("")},${fractions.join(",")}`;
      if (!cache.has(key)) cache.set(key, allocate({ pools: allocPools, required, survivor, spotSurvivor, maxSpotShare: plan.policy.maxSpotShare }));
      const found = cache.get(key);
      const violated = found === undefined;
      const target = found ?? allocate({ pools: allocPools, required, survivor: 0, maxSpotShare: plan.policy.maxSpotShare }) ?? everything(allocPools, plan.policy.maxSpotShare);

      // 3. Desired = target plus surplus kept for the scale-down delay, within the cap and the bounds.
      const desired = pools.map((s, i) => {
        s.history.push({ minute, spot: target.spot[i]!, od: target.onDemand[i]! });
        while (s.history.length > 0 && s.history[0]!.minute <= minute - cooldown) s.history.shift();
        const heldSpot = s.nodes.filter((n) => n.spot).length;
        const heldOd = s.nodes.length - heldSpot;
        const windowSpot = Math.max(...s.history.map((h) => h.spot));
        const windowOd = Math.max(...s.history.map((h) => h.od));
        let spot = Math.max(target.spot[i]!, Math.min(heldSpot, windowSpot, fractions[i]!));
        let od = Math.max(target.onDemand[i]!, Math.min(heldOd, windowOd));
        const room = s.plan.autoscaler.maxNodes - s.plan.reservedNodes;
        while (spot + od > room && od > target.onDemand[i]!) od--;
        while (spot + od > room && spot > target.spot[i]!) spot--;
        return { spot: up[i] ? spot : 0, od: up[i] ? od : 0 };
      });
      const capOf = (sel: (i: number) => number) => pools.reduce((a, s, i) => a + (up[i] ? s.plan.replicasPerNode * sel(i) : 0), 0);
      for (;;) {
        const spotCap = capOf((i) => desired[i]!.spot);
        const total = capOf((i) => s0(pools, i) + desired[i]!.spot + desired[i]!.od);
        if (spotCap <= plan.policy.maxSpotShare * total + EPS) break;
        const i = desired.findIndex((x, j) => x.spot > target.spot[j]!);
        if (i < 0) break;
        desired[i]!.spot--;
      }

      // Never release a ready node while what is ready falls short of the requirement.
      const readyCap = (extra: (i: number) => number) =>
        pools.map((s, i) => (up[i] ? s.plan.replicasPerNode * ((minute >= s.reservedReadyAt ? s.plan.reservedNodes : 0) + s.nodes.filter((n) => n.readyAt <= minute).length + extra(i)) : 0));
      const readyNow = readyCap(() => 0);
      const readyOk = (caps: number[]) => {
        const total = caps.reduce((a, b) => a + b, 0);
        if (total < required) return false;
        return survivor === 0 || caps.every((c) => total - c >= survivor);
      };
      const neededSpotSurvivor = resilient && outageActive ? Math.ceil(plan.policy.outageCover * d.replicas - EPS) : 0;

      // 4. Apply: order what is missing; then release surplus, spot before on-demand, pending before
      // ready, never a ready node the requirement still needs, never so much on-demand that spot
      // would exceed its cap.
      const sigma = plan.policy.maxSpotShare;
      const paidSpotNow = () => pools.reduce((a, s, i) => a + (up[i] ? s.plan.replicasPerNode * s.nodes.filter((n) => n.spot).length : 0), 0);
      const paidAllNow = () => pools.reduce((a, s, i) => a + (up[i] ? s.plan.replicasPerNode * (s.plan.reservedNodes + s.nodes.length) : 0), 0);
      pools.forEach((s, i) => {
        if (!up[i]) return;
        for (const spot of [true, false]) {
          const want = spot ? desired[i]!.spot : desired[i]!.od;
          for (let have = s.nodes.filter((n) => n.spot === spot).length; have < want; have++) {
            s.nodes.push({ spot, readyAt: minute + s.plan.scaleUpMinutes });
            result.nodeStarts++;
          }
        }
      });
      for (const spot of [true, false]) {
        pools.forEach((s, i) => {
          if (!up[i]) return;
          const want = spot ? desired[i]!.spot : desired[i]!.od;
          let have = s.nodes.filter((n) => n.spot === spot).length;
          while (have > want) {
            if (!spot && paidSpotNow() > sigma * (paidAllNow() - s.plan.replicasPerNode) + EPS) break;
            const pending = s.nodes.findIndex((n) => n.spot === spot && n.readyAt > minute);
            if (pending >= 0) {
              s.nodes.splice(pending, 1);
              have--;
              continue;
            }
            const after = [...readyNow];
            after[i] = after[i]! - s.plan.replicasPerNode;
            if (!readyOk(after)) break;
            s.nodes.splice(newest(s.nodes, spot), 1);
            readyNow[i] = after[i]!;
            have--;
          }
        });
      }
      // Spot kept for safety can still leave spot over the cap: add on-demand where it is cheapest.
      while (paidSpotNow() > sigma * paidAllNow() + EPS) {
        const options = pools
          .map((s, i) => ({ s, i, price: s.plan.pricePerNodeHour.onDemand }))
          .filter(({ s, i, price }) => up[i] && price !== null && s.plan.reservedNodes + s.nodes.length < s.plan.autoscaler.maxNodes)
          .sort((a, b) => a.price! / a.s.plan.replicasPerNode - b.price! / b.s.plan.replicasPerNode);
        const pick = options[0];
        if (pick === undefined) break;
        pick.s.nodes.push({ spot: false, readyAt: minute + pick.s.plan.scaleUpMinutes });
        result.nodeStarts++;
      }

      // Paid capacity against the policy (what the lower bound assumes).
      const paid = pools.map((s, i) => (up[i] ? s.plan.replicasPerNode * (s.plan.reservedNodes + s.nodes.length) : 0));
      const paidTotal = paid.reduce((a, b) => a + b, 0);
      const paidSpot = pools.reduce((a, s, i) => a + (up[i] ? s.plan.replicasPerNode * s.nodes.filter((n) => n.spot).length : 0), 0);
      const needed = replicasWanted(d.replicas, plan.policy.headroom);
      const neededSurvivor = resilient && !outageActive ? Math.ceil(plan.policy.outageCover * d.replicas - EPS) : 0;
      const spotByPool = pools.map((s, i) => (up[i] ? s.plan.replicasPerNode * s.nodes.filter((n) => n.spot).length : 0));
      if (
        violated ||
        paidTotal < needed ||
        paid.some((c) => paidTotal - c < neededSurvivor) ||
        spotByPool.some((c) => paidTotal - c < neededSpotSurvivor) ||
        paidSpot > plan.policy.maxSpotShare * paidTotal + EPS
      ) {
        result.policyViolationSteps++;
      }

      // 5. Serve.
      const ready = readyCap(() => 0).reduce((a, b) => a + b, 0);
      const unmetReplicas = Math.max(0, d.replicas - ready);
      const unmetFraction = d.replicas > 0 ? unmetReplicas / d.replicas : 0;
      const unmetGpuHours = (unmetReplicas * model.gpusPerReplica * step) / 60;
      const dropped = d.requests * unmetFraction;
      result.demand.requests += d.requests;
      result.demand.gpuHours += (d.replicas * model.gpusPerReplica * step) / 60;
      if (useFallback && unmetReplicas > 0) {
        const hf = model.hostedFallback!;
        result.servedByFallback.requests += dropped;
        result.servedByFallback.gpuHours += unmetGpuHours;
        result.cost.hostedFallback += unmetFraction * (d.inputTokens * hf.pricePerMillionInputTokens + d.outputTokens * hf.pricePerMillionOutputTokens) / 1e6;
      } else {
        result.unmet.requests += dropped;
        result.unmet.gpuHours += unmetGpuHours;
        if (!result.outages.some((o) => within(o, minute))) {
          result.unmetOutsideOutages.requests += dropped;
          result.unmetOutsideOutages.gpuHours += unmetGpuHours;
        }
      }
      for (const o of result.outages) {
        if (within(o, minute)) {
          o.requests += d.requests;
          o.droppedRequests += dropped;
          o.unmetGpuHours += unmetGpuHours;
        }
      }

      // 6. Bill burst nodes for the step (pending ones too: they are running while they boot).
      const hours = step / 60;
      pools.forEach((s) => {
        for (const n of s.nodes) {
          const price = n.spot ? s.plan.pricePerNodeHour.spot! : s.plan.pricePerNodeHour.onDemand!;
          if (n.spot) result.cost.spot += price * hours;
          else result.cost.onDemand += price * hours;
          charge(s.plan.provider, price * hours);
        }
      });
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

/** Whether `minute` falls in the outage or its recovery (the provider's nodes booting again). */
function within(o: OutageReport, minute: number): boolean {
  return minute >= o.startMinute && minute < o.startMinute + o.durationMinutes + o.recoveryMinutes;
}

function s0(pools: readonly PoolState[], i: number): number {
  return pools[i]!.plan.reservedNodes;
}

/** Spot nodes obtainable at this fraction: all the plan may use at 1, none at 0, pro rata between. */
function spotObtainable(p: PoolPlan, fraction: number): number {
  if (p.pricePerNodeHour.spot === null) return 0;
  return fraction >= 1 ? p.spotNodes.max : Math.floor(fraction * p.spotNodes.max + EPS);
}

function newest(nodes: readonly Node[], spot: boolean): number {
  let best = -1;
  nodes.forEach((n, i) => {
    if (n.spot === spot && (best < 0 || n.readyAt >= nodes[best]!.readyAt)) best = i;
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

/** Highest profile demand over [minute, minute + window]. */
function profileAhead(model: ModelPlan, minute: number, window: number, H: number): number {
  let best = 0;
  const first = Math.floor(minute / 60);
  const last = Math.floor((minute + window) / 60);
  for (let h = first; h <= last; h++) best = Math.max(best, model.profile.demandReplicas[h % H] ?? 0);
  return best;
}

/** Last resort when nothing meets the policy: every reachable node the bounds allow, spot within the cap. */
function everything(pools: readonly AllocPool[], sigma: number): { cost: number; spot: number[]; onDemand: number[] } {
  const total = pools.reduce((a, p) => a + (p.up ? p.k * p.maxNodes : 0), 0);
  let spotRoom = Number.isFinite(total) ? sigma * total : 0;
  const spot: number[] = [];
  const onDemand: number[] = [];
  for (const p of pools) {
    const room = p.up && Number.isFinite(p.maxNodes) ? p.maxNodes - p.reserved : 0;
    const s = p.spotPrice === undefined ? 0 : Math.max(0, Math.min(room, p.spotMax, Math.floor(spotRoom / p.k)));
    spotRoom -= s * p.k;
    spot.push(s);
    onDemand.push(p.onDemandPrice === undefined ? 0 : Math.max(0, room - s));
  }
  return { cost: 0, spot, onDemand };
}
