/**
 * `lowerBound(spec, trace, events)`: the cheapest the same trace could be served under the same
 * constraints with perfect foresight. Two bounds, both true lower bounds on `simulate`'s compute cost
 * for a run that keeps the policy at every step (`policyViolationSteps === 0`) and whose GPUs serve
 * every step outside outages (`unmetOutsideOutages.gpuHours === 0`, no hosted fallback needed there):
 *
 * **Exact (whole nodes)** — what `cost` reports. With perfect foresight and the boot look-ahead row
 * below (which moves what boot time costs into each step's own requirement) nothing couples one step to
 * the next, so for fixed reserved levels R the optimum is the sum over steps of the cheapest whole-node
 * spot/on-demand mix meeting that step's rows — exactly what `allocate` computes (min-cost flow; checked against a HiGHS MIP in the
 * tests). The reserved levels are then searched exhaustively: a vector whose reserved cost alone
 * reaches the best total found cannot win, which bounds the search. Steps with the same rows are solved
 * once. If the search would take too long (many reservable pools), `cost` falls back to the relaxation.
 *
 * **LP relaxation (fractional nodes)** — `relaxation`, solved with HiGHS. Per model, continuous
 * reserved nodes R_p for the whole run and, at every step, spot s and on-demand o on the pools that are up:
 *   Σ_p k_p(R_p + s + o)              ≥ capacity_t                     (headroom · D_t and the boot look-ahead below)
 *   Σ_{p≠q} k_p(R_p + s + o)          ≥ B_t   for all q   (resilience; not during an outage)
 *   Σ_p k_p(R_p + s + o) − k_q·s_q     ≥ B_t   for all q   (during an outage: spot reclaims)
 * where B_t = survivorReplicas(outageCover, outageShare, D_t, hosted_t): ⌈outageShare · D_t⌉ under `spare`, less what
 * the hosted API takes of step t within its rate limit under `both`, 0 under `hosted` (the same options as `plan`).
 *   (1 − σ) · Σ_p k_p·s               ≤ σ · Σ_p k_p·R_p                 (spot cap: spotBudgetReplicas)
 *   R_p + s + o ≤ quota_p;  s = 0 while the provider's spot is unavailable
 * minimising Σ_p c^R_p·R_p·hours + Σ_t Σ_p (c^S_p·s + c^O_p·o)·stepHours, with the actual spot price.
 *
 * **With the hosted tier for spikes** (`hostedSpikes: true`, LP only) — for models with a hosted fallback, a bound on
 * the GPU plus hosted spend of a run whose GPUs *or hosted API* serve every step outside outages, as `simulate`
 * bills them: per step a hosted amount h_t ∈ [0, what the rate limit takes of the step] at the step's hosted price per
 * replica, and in place of the capacity row
 *   Σ_p k_p(R_p + s + o) at τ + h_u  ≥ D_u   for every u ∈ [τ, τ+b]   (served, and its boot paid)
 * What the GPUs serve at step u (D_u − h_u) ran on nodes ready at u, which were paid at every step since u − b: a
 * spike the GPUs take costs its boot, so a short one is cheaper on the hosted API, as it is in a real run. With
 * perfect foresight no headroom is needed. The rows couple the steps, so this LP keeps every step (no grouping). The
 * resilience rows stay. It is the bound for plans sized against the hosted price (`forecast.confidence: cost`),
 * whose runs let the hosted API serve spikes and so fall outside the GPU-only bound's premise.
 *
 * Both know every outage, reclaim and demand spike in advance. They do pay for boot time: a burst node
 * serves only after its pool's scale-up (provisioning, weights, engine start), and it is paid from the
 * moment it is ordered, so the nodes ready at step t were paid at every step from t − b to t, where b is
 * the shortest scale-up of any pool in steps. A run that serves step t fully (ready replicas ≥ D_t)
 * therefore paid, at every step τ, at least the largest demand of steps τ … τ + b:
 *   Σ_p k_p(R_p + s + o) at τ  ≥  max(headroom · D_τ, max_{t ∈ [τ, τ+b]} D_t)            (boot look-ahead)
 * Steps inside an outage or its recovery are left out of the max (a run may miss demand there), as
 * are runs that miss demand elsewhere: the bounds hold for runs whose GPUs serve every step outside
 * outages and keep the policy (`policyViolationSteps === 0`). The shortest scale-up is a floor:
 * weights at same-cloud speed, whatever the strategy. Where the spot market gives only part of what is
 * wanted (a replayed trace's fraction strictly between 0 and 1), both let spot be unlimited, which keeps
 * them below any controller.
 */
import type { Provider } from "@switchyard/catalog";
import type { Highs } from "highs";
import { allocate } from "./allocate";
import type { AllocPool } from "./allocate";
import { replicasFor } from "./demand";
import { hostedShare, hostedUsd, outageHostedReplicas, rateLimitOf, survivorReplicas } from "./hosted-capacity";
import { isDown, spotFractionAt } from "./events";
import type { SimulationEvents } from "./events";
import { resolveFleet } from "./resolve";
import type { ResolvedFleet, ResolvedModel, ResolvedPool } from "./resolve";
import type { DemandTrace } from "./simulate";
import { LpBuilder, loadSolver } from "./solver";
import { parseFleetSpec } from "./spec";
import type { FleetSpec, FleetSpecInput } from "./spec";
import type { FleetPlan } from "./types";
import { weightLoadMinutes } from "./weight-distribution";

export interface LowerBoundResult {
  status: "optimal" | "infeasible" | "error";
  /** USD of compute over the trace: the exact whole-node bound (or the relaxation, see `method`); NaN unless optimal. */
  cost: number;
  /** USD of compute of the LP relaxation (fractional nodes), ≤ `cost`; NaN unless optimal. */
  relaxation: number;
  /** How `cost` was obtained: the exact whole-node search, or the LP relaxation where that search was too large. */
  method: "exact" | "lp-relaxation";
  /** USD of the hosted API inside `cost` (`hostedSpikes` only; 0 otherwise). */
  hosted: number;
  models: {
    model: string;
    cost: number;
    relaxation: number;
    method: "exact" | "lp-relaxation";
    /** Reserved nodes per pool at the bound's optimum (whole nodes when exact, fractional otherwise). */
    reservedNodes: { provider: Provider; nodes: number }[];
    /** Distinct (demand, market) steps the trace reduced to. */
    distinctSteps: number;
    /** Size of the LP relaxation. */
    variables: number;
    constraints: number;
  }[];
  detail: string;
}

/** Reserved-level vectors the exact search may evaluate per model before falling back to the relaxation. */
const EXACT_SEARCH_LIMIT = 4000;
const EPS = 1e-9;

/** One group of steps with the same demand and market state, and how many steps it stands for. */
interface StepGroup {
  weight: number;
  demand: number;
  /** Replicas the step must pay for: headroom × demand, or more when a spike within the boot look-ahead needs nodes ordered now. */
  capacity: number;
  up: boolean[];
  /** Per pool: the spot fraction obtainable (0 where the pool has no spot). */
  spotOpen: number[];
  /** Replicas the GPUs keep after losing any one provider or its spot (`survivorReplicas`: the policy's cover, less what the hosted API carries). */
  survivor: number;
  /** `hostedSpikes` only: replicas of the step the hosted API may serve within its limit, and its USD per replica-hour. */
  hosted?: { cap: number; usdPerReplicaHour: number; serve: number; lookAheadSteps: number };
}

/**
 * The shortest time any burst node of `model` can take from order to serving, in minutes: provisioning,
 * weights at same-cloud speed (the fastest any strategy reads them) and engine start.
 */
function shortestScaleUpMinutes(spec: FleetSpec, model: ResolvedModel): number {
  const load = weightLoadMinutes("replicate", true, model.weightsGB, spec.weightLoading);
  const burst = model.pools.filter((p) => p.spotPrice !== undefined || p.onDemandPrice !== undefined);
  // Reserved-only fleets order nothing during the run, so nothing waits for a boot.
  return burst.length === 0 ? 0 : Math.min(...burst.map((p) => p.provider.nodeProvisionMinutes + load + model.engineStartMinutes));
}

/**
 * The longest any model's nodes on `provider` can take to serve again after an outage: a ceiling on the
 * recovery `simulate` counts with the outage (cross-cloud weights, whatever the strategy).
 */
function longestScaleUpMinutes(spec: FleetSpec, models: readonly ResolvedModel[], provider: Provider): number {
  return Math.max(
    0,
    ...models.flatMap((m) =>
      m.pools
        .filter((p) => p.provider.provider === provider)
        .map((p) => p.provider.nodeProvisionMinutes + weightLoadMinutes("stream", false, m.weightsGB, spec.weightLoading) + m.engineStartMinutes),
    ),
  );
}

function stepGroups(
  spec: FleetSpec,
  fleet: ResolvedFleet,
  model: ResolvedModel,
  series: DemandTrace["models"][string],
  step: number,
  events: SimulationEvents,
  hostedSpikes: boolean,
): StepGroup[] {
  const steps = series.requests.length;
  const demand = Array.from({ length: steps }, (_, t) => replicasFor(series.inputTokens[t] ?? 0, series.outputTokens[t] ?? 0, step * 60, model.throughput));
  const excused = (events.outages ?? []).map((o) => ({ from: o.startMinute, to: o.startMinute + o.durationMinutes + longestScaleUpMinutes(spec, fleet.models, o.provider) }));
  // Demand a run must serve from ready nodes: everything outside outages and their recovery.
  const mustServe = demand.map((d, t) => (excused.some((w) => t * step >= w.from && t * step < w.to) ? 0 : d));
  const boot = Math.ceil(shortestScaleUpMinutes(spec, model) / step - EPS);
  const { policy } = spec;
  const h = model.spec.hostedFallback;
  const limit = h === undefined ? undefined : rateLimitOf(h);
  const resilient = policy.resilience === "provider";
  const hosted = (t: number) => (limit === undefined ? 0 : demand[t]! * hostedShare(limit, series.requests[t] ?? 0, (series.inputTokens[t] ?? 0) + (series.outputTokens[t] ?? 0), step));
  const survivor = (t: number) => (resilient ? survivorReplicas(policy.outageCover, policy.outageShare, demand[t]!, hosted(t)) : 0);
  // While a provider is down, the hosted API's part of the outage cover is not asked of the GPUs still up (as in simulate).
  const outageHosted = (t: number) => (resilient ? outageHostedReplicas(policy.outageCover, policy.outageShare, demand[t]!, hosted(t)) : 0);
  // The hosted tier for spikes: what it may serve of each step, and what a step leaves to GPUs within the limit.
  const spikes = hostedSpikes && h !== undefined;
  const hostedCap = (t: number) => (spikes ? Math.min(mustServe[t]!, hosted(t)) : 0);
  const groups = new Map<string, StepGroup>();
  for (let t = 0; t < steps; t++) {
    const minute = t * step;
    let ahead = 0;
    for (let u = t; u <= Math.min(steps - 1, t + boot); u++) ahead = Math.max(ahead, mustServe[u]!);
    const up = model.pools.map((p) => !isDown(events, p.provider.provider, minute));
    const capacity = Math.max(spec.policy.headroom * demand[t]! - (up.every(Boolean) ? 0 : outageHosted(t)), ahead);
    const spotOpen = model.pools.map((p) => (p.spotPrice === undefined ? 0 : spotFractionAt(events, p.provider.provider, minute)));
    const covered = survivor(t);
    const tokens = { input: series.inputTokens[t] ?? 0, output: series.outputTokens[t] ?? 0 };
    const hostedStep = spikes
      ? {
          cap: hostedCap(t),
          usdPerReplicaHour: demand[t]! > 0 ? (hostedUsd(h, tokens.input, tokens.output) / demand[t]!) * (60 / step) : 0,
          serve: mustServe[t]!,
          lookAheadSteps: boot,
        }
      : undefined;
    // With the hosted tier, steps are coupled (a step's GPUs were paid a boot before): each step stays its own group, in order.
    const key = `${spikes ? `${t}|` : ""}${demand[t]}|${capacity}|${up.map(Number).join("")}|${spotOpen.join(",")}|${covered}|${hostedStep === undefined ? "" : Object.values(hostedStep).join(",")}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { weight: 1, demand: demand[t]!, capacity, up, spotOpen, survivor: covered, ...(hostedStep ? { hosted: hostedStep } : {}) });
    else g.weight++;
  }
  return [...groups.values()];
}

/** The LP relaxation of one model (see the module comment), solved with HiGHS. */
function relaxedBound(highs: Highs, spec: FleetSpec, pools: readonly ResolvedPool[], groups: readonly StepGroup[], step: number, hours: number, fixedReserved: readonly number[] | undefined) {
  const { policy } = spec;
  const lp = new LpBuilder();
  const R = pools.map((p, i) => {
    if (p.reservedPrice === undefined) return -1;
    const held = fixedReserved?.[i];
    return lp.addVariable({ name: `R${i}`, cost: p.reservedPrice * hours, lower: held ?? 0, upper: held ?? p.maxNodes, integer: false });
  });
  const stepHours = step / 60;
  // Indexed by group: with the hosted tier every group has one, so the list has no holes.
  const hostedVars: number[] = [];
  const paidTerms: [number, number][][] = [];
  groups.forEach((g, gi) => {
    const cap: [number, number][] = [];
    const perPool: [number, number][][] = pools.map(() => []);
    const spot: [number, number][] = [];
    const spotOf: [number, number][][] = pools.map(() => []);
    pools.forEach((p, i) => {
      if (!g.up[i]) return;
      const terms: [number, number][] = [];
      if (R[i]! >= 0) terms.push([R[i]!, p.k]);
      if (p.spotPrice !== undefined && g.spotOpen[i]! > 0) {
        const s = lp.addVariable({ name: `s${gi}_${i}`, cost: p.spotPrice * stepHours * g.weight, lower: 0, upper: p.maxNodes, integer: false });
        terms.push([s, p.k]);
        spot.push([s, p.k]);
        spotOf[i] = [[s, p.k]];
      }
      if (p.onDemandPrice !== undefined) {
        const o = lp.addVariable({ name: `o${gi}_${i}`, cost: p.onDemandPrice * stepHours * g.weight, lower: 0, upper: p.maxNodes, integer: false });
        terms.push([o, p.k]);
      }
      perPool[i] = terms;
      cap.push(...terms);
      if (Number.isFinite(p.maxNodes)) lp.addRow(`q${gi}_${i}`, terms.map(([v]) => [v, 1] as [number, number]), -Infinity, p.maxNodes);
    });
    if (g.hosted === undefined) {
      lp.addRow(`cap${gi}`, cap, g.capacity, Infinity);
    } else {
      const hv = lp.addVariable({ name: `h${gi}`, cost: g.hosted.usdPerReplicaHour * stepHours * g.weight, lower: 0, upper: g.hosted.cap, integer: false });
      hostedVars[gi] = hv;
      lp.addRow(`serve${gi}`, [...cap, [hv, 1]], g.hosted.serve, Infinity);
    }
    paidTerms[gi] = cap;
    if (g.survivor > 0 && g.up.every(Boolean)) {
      pools.forEach((_, q) => lp.addRow(`n1_${gi}_${q}`, perPool.filter((_, j) => j !== q).flat(), g.survivor, Infinity));
    } else if (g.survivor > 0) {
      pools.forEach((_, q) => {
        if (spotOf[q]!.length > 0) lp.addRow(`ns_${gi}_${q}`, [...cap, ...spotOf[q]!.map(([v, c]) => [v, -c] as [number, number])], g.survivor, Infinity);
      });
    }
    // The spot budget (spotBudgetReplicas): (1 − σ)·spot − σ·reserved ≤ 0, over the pools that are up.
    const sigma = Math.min(1, Math.max(0, policy.maxSpotShare));
    const reservedUp = pools.flatMap((p, i) => (g.up[i] && R[i]! >= 0 ? [[R[i]!, -sigma * p.k] as [number, number]] : []));
    if (sigma < 1) lp.addRow(`spot${gi}`, [...spot.map(([v, c]) => [v, (1 - sigma) * c] as [number, number]), ...reservedUp], -Infinity, 0);
  });
  // Boot look-ahead with the hosted tier (groups are single steps in order here): what GPUs serve at step u was
  // ready then, so paid at every step τ from u − b on — paid(τ) + h_u ≥ D_u. A spike the GPUs take costs its boot.
  groups.forEach((g, tau) => {
    if (g.hosted === undefined) return;
    for (let u = tau + 1; u <= Math.min(groups.length - 1, tau + g.hosted.lookAheadSteps); u++) {
      const later = groups[u]!.hosted!;
      if (later.serve > EPS) lp.addRow(`ahead${tau}_${u}`, [...paidTerms[tau]!, [hostedVars[u]!, 1]], later.serve, Infinity);
    }
  });
  const solution = lp.solve(highs);
  const hostedCost = solution.status === "optimal" ? hostedVars.reduce((a, v) => a + lp.variables[v]!.cost * solution.values[v]!, 0) : Number.NaN;
  return { solution, R, hostedCost, variables: lp.variables.length, constraints: lp.rows.length };
}

/**
 * The exact whole-node bound of one model: min over reserved vectors R of
 * reserved(R) + Σ_groups weight · stepHours · allocate(group's rows, R).cost, or undefined when the
 * search is larger than {@link EXACT_SEARCH_LIMIT} vectors or nothing is feasible.
 */
function exactBound(spec: FleetSpec, pools: readonly ResolvedPool[], groups: readonly StepGroup[], step: number, hours: number, fixedReserved: readonly number[] | undefined): { cost: number; reserved: number[] } | undefined {
  const { policy } = spec;
  const stepHours = step / 60;
  // The same rows `simulate` checks its paid capacity against (policyViolationSteps).
  const rows = groups.map((g) => {
    const outage = g.up.some((u) => !u);
    return {
      g,
      required: Math.ceil(g.capacity - EPS),
      survivor: outage ? 0 : g.survivor,
      spotSurvivor: outage ? g.survivor : 0,
    };
  });
  const evaluate = (R: readonly number[], budget: number): number | undefined => {
    let cost = pools.reduce((a, p, i) => a + (p.reservedPrice ?? 0) * (R[i] ?? 0) * hours, 0);
    const cache = new Map<string, number | undefined>();
    for (const r of rows) {
      const key = `${r.required},${r.survivor},${r.spotSurvivor},${r.g.up.map(Number).join("")},${r.g.spotOpen.map((f) => (f > 0 ? 1 : 0)).join("")}`;
      let c = cache.get(key);
      if (!cache.has(key)) {
        const allocPools: AllocPool[] = pools.map((p, i) => ({
          k: p.k,
          reserved: R[i] ?? 0,
          up: r.g.up[i]!,
          maxNodes: p.maxNodes,
          spotPrice: p.spotPrice,
          spotMax: r.g.spotOpen[i]! > 0 ? Infinity : 0,
          onDemandPrice: p.onDemandPrice,
        }));
        c = allocate({ pools: allocPools, required: r.required, survivor: r.survivor, spotSurvivor: r.spotSurvivor, maxSpotShare: policy.maxSpotShare })?.cost;
        cache.set(key, c);
      }
      if (c === undefined) return undefined;
      cost += c * stepHours * r.g.weight;
      if (cost >= budget) return cost; // already no better than the incumbent
    }
    return cost;
  };

  if (fixedReserved !== undefined) {
    const cost = evaluate(fixedReserved, Infinity);
    return cost === undefined ? undefined : { cost, reserved: [...fixedReserved] };
  }
  const reservable = pools.map((p, i) => ({ p, i })).filter(({ p }) => p.reservedPrice !== undefined);
  const R = pools.map(() => 0);
  let best = evaluate(R, Infinity);
  let bestR = best === undefined ? undefined : [...R];
  if (best === undefined) {
    // Without reserved nodes nothing is feasible (a pool that sells only reserved): start from the
    // largest useful reserved level so the budget below has an incumbent to prune against.
    const peak = Math.max(0, ...rows.map((r) => r.required));
    const start = pools.map((p) => (p.reservedPrice === undefined ? 0 : Math.min(p.maxNodes, Math.ceil(peak / p.k))));
    best = evaluate(start, Infinity);
    if (best === undefined) return undefined;
    bestR = start;
  }
  let visited = 0;
  // Depth-first over reserved vectors; a vector whose reserved cost alone reaches the best total cannot win.
  const walk = (depth: number, reservedCost: number): boolean => {
    if (depth === reservable.length) {
      visited++;
      if (visited > EXACT_SEARCH_LIMIT) return false;
      const cost = evaluate(R, best!);
      if (cost !== undefined && cost < best! - 1e-9) {
        best = cost;
        bestR = [...R];
      }
      return true;
    }
    const { p, i } = reservable[depth]!;
    const perNode = p.reservedPrice! * hours;
    for (let n = 0; n <= p.maxNodes && reservedCost + n * perNode < best!; n++) {
      R[i] = n;
      if (!walk(depth + 1, reservedCost + n * perNode)) return false;
    }
    R[i] = 0;
    return true;
  };
  if (!walk(0, 0)) return undefined;
  return { cost: best, reserved: bestR! };
}

export interface LowerBoundOptions {
  /**
   * Search the exact whole-node bound (up to 4,000 reserved vectors, each a pass over the trace's distinct steps).
   * `false` keeps the HiGHS relaxation alone: a looser bound, for traces of many weeks where the search takes minutes.
   * Defaults to true.
   */
  exact?: boolean;
  /**
   * Let each model's hosted fallback serve any step within its rate limit at its token prices (see the module
   * comment): `cost` is then GPUs plus hosted, `hosted` the hosted part, and the bound is the LP relaxation. Defaults
   * to false (the GPU-only bound of runs that keep the policy).
   */
  hostedSpikes?: boolean;
  /**
   * Hold each pool's reserved (fixed) nodes at what this plan of the same spec commits to, instead of choosing them
   * with the rest: the cheapest run given the plan's commitments, with perfect foresight of everything after them.
   * Its gap to the free bound is what the commitments cost; a run's gap to it is what the runtime costs.
   */
  reservedAsIn?: FleetPlan;
}

/** The reserved (fixed) nodes `committed` runs per pool of `model`, in the model's pool order. */
function committedReserved(committed: FleetPlan, model: ResolvedModel): number[] {
  const planned = committed.models.find((m) => m.name === model.name);
  if (planned === undefined) throw new Error(`lowerBound: options.reservedAsIn has no model ${model.name}; pass the plan of the same spec`);
  return model.pools.map((p) => {
    const pool = planned.pools.find((x) => x.provider === p.provider.provider && x.instanceType === p.instance.name);
    if (pool === undefined && p.reservedPrice !== undefined) {
      throw new Error(`lowerBound: options.reservedAsIn has no ${p.provider.provider} ${p.instance.name} pool for ${model.name}; pass the plan of the same spec`);
    }
    return pool?.reservedNodes ?? 0;
  });
}

export async function lowerBound(input: FleetSpecInput | FleetSpec, trace: DemandTrace, events: SimulationEvents = {}, options: LowerBoundOptions = {}): Promise<LowerBoundResult> {
  const spec = parseFleetSpec(input);
  const fleet = resolveFleet(spec);
  const highs = await loadSolver();
  const step = trace.stepMinutes;
  const result: LowerBoundResult = { status: "optimal", cost: 0, relaxation: 0, method: "exact", hosted: 0, models: [], detail: "" };
  const hostedSpikes = options.hostedSpikes === true;
  for (const model of fleet.models) {
    const series = trace.models[model.name];
    if (series === undefined) throw new Error(`trace has no demand for model ${model.name}; give trace.models["${model.name}"]`);
    const hours = (series.requests.length * step) / 60;
    const groups = stepGroups(spec, fleet, model, series, step, events, hostedSpikes);
    const fixedReserved = options.reservedAsIn === undefined ? undefined : committedReserved(options.reservedAsIn, model);
    const relaxed = relaxedBound(highs, spec, model.pools, groups, step, hours, fixedReserved);
    if (relaxed.solution.status !== "optimal") {
      result.status = relaxed.solution.status === "infeasible" ? "infeasible" : "error";
      result.cost = Number.NaN;
      result.relaxation = Number.NaN;
      result.detail = `${model.name}: ${relaxed.solution.detail}`;
      return result;
    }
    // The exact search has no hosted tier: with one, the relaxation is the bound.
    const exact = options.exact === false || hostedSpikes ? undefined : exactBound(spec, model.pools, groups, step, hours, fixedReserved);
    const relaxation = relaxed.solution.objective;
    // The exact bound can only be higher; max() guards against solver tolerance.
    const cost = exact === undefined ? relaxation : Math.max(exact.cost, relaxation);
    const method = exact === undefined ? "lp-relaxation" : "exact";
    if (method === "lp-relaxation") result.method = "lp-relaxation";
    result.cost += cost;
    result.relaxation += relaxation;
    if (hostedSpikes) result.hosted += relaxed.hostedCost;
    result.models.push({
      model: model.name,
      cost,
      relaxation,
      method,
      reservedNodes: model.pools.map((p, i) => ({
        provider: p.provider.provider,
        nodes: exact !== undefined ? exact.reserved[i]! : relaxed.R[i]! >= 0 ? relaxed.solution.values[relaxed.R[i]!]! : 0,
      })),
      distinctSteps: groups.length,
      variables: relaxed.variables,
      constraints: relaxed.constraints,
    });
  }
  return result;
}
