/**
 * Capacity planning for one model: the reserved level per pool, the hour-by-hour spot and on-demand
 * burst, and the autoscaler bounds that let the other providers absorb any one provider's loss.
 *
 * The cost model (per profile cycle of H hours):
 *   Σ_p H·c^R_p·R_p  +  Σ_h Σ_p (c^S_p·s_{p,h} + c^O_p·o_{p,h})
 * with c^S the expected spot price (spot while obtainable, the pool's on-demand price otherwise), and
 * the constraints of `allocate` at every hour. Hours with the same requirement share one allocation.
 * Reserved levels are searched exhaustively (every combination up to the useful maximum) while there are
 * at most 256 combinations: the exact optimum of this model. Past that (large demand) a grid search per
 * pool finds them in a number of tries that grows with the logarithm of the demand (see searchCapacity);
 * it matched the exhaustive optimum on the example fleet at 10×, 100× and 1000× its demand, but is not
 * guaranteed to, and the plan says so in a warning. The classic reserved rule's level is evaluated and
 * reported beside it. One step follows the search: `fitSpotToBudget` fits the deployed spot
 * maxima to the spot budget together, and when it trims the hours' spot they are allocated again (the
 * reserved level is not searched again for that rare case).
 */
import { replicasWanted } from "@switchyard/catalog";
import { allocate, spotBudgetReplicas } from "./allocate";
import type { AllocPool } from "./allocate";
import { FleetSpecError, PlanInfeasibleError } from "./errors";
import type { SpecIssue } from "./errors";
import { hostedShare, outageHostedReplicas, rateLimitOf, survivorReplicas } from "./hosted-capacity";
import type { OutageCover } from "./hosted-capacity";
import type { ResolvedFleet, ResolvedModel, ResolvedPool } from "./resolve";
import type { FleetSpec } from "./spec";

/** Requirement per profile hour, in replicas. */
export interface Levels {
  required: number[];
  /** Replicas the GPUs keep after losing any one provider (`survivorReplicas`). */
  survivor: number[];
  /** Replicas of demand the hosted API carries when a provider fails (0 under `spare`, or without resilience). */
  outageHosted: number[];
}

/** How an outage is covered (the policy's `outageShare` and `outageCover`). */
export interface OutagePolicy {
  resilience: boolean;
  outageShare: number;
  outageCover: OutageCover;
}

/**
 * Each hour's requirement: `headroom` × demand, and the survivor row of `outagePolicy` given what the hosted API can
 * take (`hostedReplicas`, per hour; zeros without a hosted fallback).
 */
export function levelsFor(demandReplicas: readonly number[], headroom: number, outage: OutagePolicy, hostedReplicas: readonly number[] = []): Levels {
  const hosted = (h: number) => hostedReplicas[h] ?? 0;
  return {
    required: demandReplicas.map((d) => replicasWanted(d, headroom)),
    survivor: demandReplicas.map((d, h) => (outage.resilience ? survivorReplicas(outage.outageCover, outage.outageShare, d, hosted(h)) : 0)),
    outageHosted: demandReplicas.map((d, h) => (outage.resilience ? outageHostedReplicas(outage.outageCover, outage.outageShare, d, hosted(h)) : 0)),
  };
}

/** Replicas of each profile hour's demand the model's hosted API takes within its rate limit (zeros without one). */
export function hostedReplicasByHour(model: ResolvedModel): number[] {
  const h = model.spec.hostedFallback;
  const p = model.profile;
  if (h === undefined) return p.demandReplicas.map(() => 0);
  const limit = rateLimitOf(h);
  return p.demandReplicas.map((d, i) => d * hostedShare(limit, p.requestsPerSecond[i]! * 60, (p.inputTokensPerSecond[i]! + p.outputTokensPerSecond[i]!) * 60, 1));
}

/** The spec's policy as `levelsFor` reads it. */
export function outagePolicy(policy: FleetSpec["policy"]): OutagePolicy {
  return { resilience: policy.resilience === "provider", outageShare: policy.outageShare, outageCover: policy.outageCover };
}

/** One model's hourly requirement under the fleet's policy. */
export function modelLevels(model: ResolvedModel, policy: FleetSpec["policy"]): Levels {
  return levelsFor(model.profile.demandReplicas, policy.headroom, outagePolicy(policy), hostedReplicasByHour(model));
}

export interface CapacityResult {
  reserved: number[];
  /** [hour][pool] nodes. */
  spot: number[][];
  onDemand: number[][];
  /** Expected cost of one profile cycle, reserved included. */
  cycleCost: number;
  maxNodes: number[];
  maxSpot: number[];
  search: "exhaustive" | "coordinate";
}

/** Allocator view of the pools for planning: everything up, spot at its expected price. */
export function planningPools(pools: readonly ResolvedPool[], reserved: readonly number[]): AllocPool[] {
  return pools.map((p, i) => ({
    k: p.k,
    reserved: reserved[i] ?? 0,
    up: true,
    maxNodes: p.maxNodes,
    spotPrice: p.spotExpected,
    spotMax: Infinity,
    onDemandPrice: p.onDemandPrice,
  }));
}

/** Expected cost of one profile cycle with reserved levels fixed; undefined if some hour is infeasible. */
export function cycleCostFor(pools: readonly ResolvedPool[], levels: Levels, reserved: readonly number[], sigma: number, cache?: Map<string, number | undefined>): number | undefined {
  const allocPools = planningPools(pools, reserved);
  let cost = pools.reduce((a, p, i) => a + levels.required.length * (p.reservedPrice ?? 0) * (reserved[i] ?? 0), 0);
  for (let h = 0; h < levels.required.length; h++) {
    const key = `${levels.required[h]},${levels.survivor[h]}`;
    let c = cache?.get(key);
    if (c === undefined && !(cache?.has(key) ?? false)) {
      c = allocate({ pools: allocPools, required: levels.required[h]!, survivor: levels.survivor[h]!, maxSpotShare: sigma })?.cost;
      cache?.set(key, c);
    }
    if (c === undefined) return undefined;
    cost += c;
  }
  return cost;
}

/** The largest reserved level worth trying on each pool (more only adds idle capacity). */
function reservedRange(pools: readonly ResolvedPool[], levels: Levels): number[] {
  const aMax = Math.max(0, ...levels.required);
  return pools.map((p) => (p.reservedPrice === undefined ? 0 : Math.min(p.maxNodes, Math.ceil(aMax / p.k) + 1)));
}

/** Reserved-level vectors tried one by one; above this the search below takes over (its cost does not grow with demand). */
const EXHAUSTIVE_LIMIT = 256;
/** A pool whose reserved range is at most this wide is always tried level by level. */
const SCAN_WIDTH = 16;
/** Points per grid in the 1-D search (see searchLevel). */
const GRID = 8;

/**
 * The cheapest reserved (fixed) levels and burst schedule for one model. With `resilience`, a level that leaves
 * the fleet unable to reach peak × headroom after losing a provider is not a candidate: fixed-only pools (Lambda)
 * add nothing in an outage, so their fixed nodes must already be there. When no level passes, the cheapest one
 * is returned and the caller reports the shortfall.
 *
 * `index` (the model's place in `models`) names the spec path in the error for a demand too large to plan.
 */
export function planCapacity(model: ResolvedModel, levels: Levels, sigma: number, resilience = false, index?: number): CapacityResult {
  refuseAbsurdDemand(model, levels, index);
  if (resilience) {
    try {
      return searchCapacity(model, levels, sigma, (R) => outageBounds(model.pools, R, levels, sigma, true).shortfalls.length === 0);
    } catch (error) {
      if (!(error instanceof PlanInfeasibleError)) throw error;
    }
  }
  return searchCapacity(model, levels, sigma, () => true);
}

/**
 * GPUs one model may ask for at its peak hour. The largest GPU clusters built hold a few hundred thousand GPUs;
 * a demand past this is a unit mistake or a runaway `scale`, and planning it would only produce absurd numbers
 * (and node counts past where floating-point arithmetic stays exact).
 */
export const MAX_PEAK_GPUS_PER_MODEL = 1_000_000;

/** Refuses, before any search, a demand whose peak needs more than {@link MAX_PEAK_GPUS_PER_MODEL} GPUs. */
function refuseAbsurdDemand(model: ResolvedModel, levels: Levels, index: number | undefined): void {
  const issue = demandSizeIssue(model, levels, index);
  if (issue !== undefined) throw new FleetSpecError([issue]);
}

/**
 * Every model whose peak needs more than {@link MAX_PEAK_GPUS_PER_MODEL} GPUs, with its spec path, for one
 * `FleetSpecError` before planning starts (planCapacity refuses such a model on its own too).
 */
export function demandSizeIssues(fleet: ResolvedFleet): SpecIssue[] {
  return fleet.models
    .map((m, i) => demandSizeIssue(m, modelLevels(m, fleet.spec.policy), i))
    .filter((x): x is SpecIssue => x !== undefined);
}

function demandSizeIssue(model: ResolvedModel, levels: Levels, index: number | undefined): SpecIssue | undefined {
  const peak = Math.max(0, ...levels.required, ...levels.survivor);
  const gpus = peak * model.spec.serving.gpusPerReplica;
  if (gpus <= MAX_PEAK_GPUS_PER_MODEL) return undefined;
  const kind = model.spec.demand.hourly !== undefined ? "hourly" : "series";
  const scale = model.spec.demand.hourly?.scale ?? model.spec.demand.series?.scale ?? 1;
  const fmt = (x: number) => (x < 1e9 ? Math.round(x).toLocaleString("en-US") : x.toExponential(2));
  const most = Number.isFinite(gpus) ? (scale * MAX_PEAK_GPUS_PER_MODEL) / gpus : 0;
  return {
    path: `models[${index ?? JSON.stringify(model.name)}].demand.${kind}.scale`,
    message: `${scale >= 1e9 ? scale.toExponential() : scale} makes ${model.name}'s peak hour need ${fmt(peak)} replicas (${fmt(gpus)} GPUs), more than the ${fmt(MAX_PEAK_GPUS_PER_MODEL)} GPUs one model may plan for`,
    fix:
      `use a scale of at most ${most >= 1 ? fmt(Math.floor(most)) : most.toPrecision(2)} for this demand, ` +
      `or check the demand's units (${kind === "hourly" ? "requests and tokens per second" : "requests and tokens per step"})`,
  };
}

/**
 * Small searches (at most {@link EXHAUSTIVE_LIMIT} vectors) try every vector: the exact optimum. Larger ones
 * try every combination of the narrow pools (at most {@link SCAN_WIDTH} levels each, e.g. Lambda's quota),
 * find the wide pools' levels by coordinate descent with a grid search each (searchLevel), then move the
 * winner to its best neighbour (±1 on every pool, ±GRID on each wide one) until none is cheaper. The wide searches grow with the
 * logarithm of the demand, not with the demand; their result is not guaranteed optimal (the cycle cost is
 * convex in the reserved levels only up to whole-node rounding), and `search` says which ran.
 */
function searchCapacity(model: ResolvedModel, levels: Levels, sigma: number, survivesOutages: (reserved: readonly number[]) => boolean): CapacityResult {
  const pools = model.pools;
  const n = pools.length;
  const ranges = reservedRange(pools, levels);
  const combos = ranges.reduce((a, r) => a * (r + 1), 1);
  const H = levels.required.length;
  const reservedCost = (R: readonly number[]) => pools.reduce((a, p, i) => a + H * (p.reservedPrice ?? 0) * (R[i] ?? 0), 0);
  let bestR: number[] | undefined;
  let bestCost = Infinity;
  const seen = new Map<string, number>();
  /** Cost of one cycle at R; Infinity when some hour is infeasible or the fleet would not survive an outage. */
  const consider = (R: readonly number[], exhaustive: boolean): number => {
    const key = R.join(",");
    const known = seen.get(key);
    if (known !== undefined) return known;
    // A vector whose reserved cost alone loses to the best cannot win (used where only the best matters).
    if (exhaustive && reservedCost(R) > bestCost + 1e-7) return Infinity;
    const cost = cycleCostFor(pools, levels, R, sigma, new Map()) ?? Infinity;
    // Ties go to fewer reserved nodes (less commitment), then to earlier pools.
    const better = cost < bestCost - 1e-7 || (Math.abs(cost - bestCost) <= 1e-7 && bestR !== undefined && compareReserved(R, bestR) < 0);
    // The outage scenarios cost more than the hourly ones: checked for a new best only, or once per vector
    // in the search (which compares every value it sees).
    const value = Number.isFinite(cost) && (exhaustive ? better : true) && !survivesOutages(R) ? Infinity : cost;
    if (better && Number.isFinite(value)) {
      bestCost = cost;
      bestR = [...R];
    }
    seen.set(key, value);
    return value;
  };
  let search: CapacityResult["search"] = "exhaustive";
  if (combos <= EXHAUSTIVE_LIMIT) {
    walkLevels(ranges, pools.map((_, i) => i), new Array<number>(n).fill(0), (R) => consider(R, true));
  } else {
    search = "coordinate";
    const cost = (R: readonly number[]) => consider(R, false);
    const wide = pools.map((_, i) => i).filter((i) => ranges[i]! > SCAN_WIDTH);
    const narrow = pools.map((_, i) => i).filter((i) => ranges[i]! <= SCAN_WIDTH);
    const narrowCombos = narrow.reduce((a, i) => a * (ranges[i]! + 1), 1);
    if (narrowCombos <= EXHAUSTIVE_LIMIT) walkLevels(ranges, narrow, new Array<number>(n).fill(0), (R) => descend(ranges, wide, R, cost));
    else descend(ranges, pools.map((_, i) => i), new Array<number>(n).fill(0), cost);
    // Polish, until nothing is cheaper: every neighbour within ±1 on all pools, then ±GRID levels on each wide
    // pool alone (whole-node rounding of the spot budget makes the cost ripple with a period of a few levels).
    for (let from = bestR; from !== undefined; ) {
      walkLevels(ranges.map((r, i) => Math.min(r, from![i]! + 1)), pools.map((_, i) => i), from.map((r) => Math.max(0, r - 1)), cost);
      for (const i of wide) walkLevels(ranges.map((r) => Math.min(r, from![i]! + GRID)), [i], from.map((r, j) => (j === i ? Math.max(0, r - GRID) : r)), cost);
      from = bestR === from ? undefined : bestR;
    }
  }
  if (bestR === undefined) {
    const worst = levels.required.reduce((a, x, h) => (x > (levels.required[a] ?? 0) ? h : a), 0);
    throw new PlanInfeasibleError(
      `no plan for ${model.name} meets the policy at hour ${worst} (${levels.required[worst]} replicas, ${levels.survivor[worst]} after losing a provider) ` +
        `with pools ${pools.map((p) => `${p.provider.provider}${Number.isFinite(p.maxNodes) ? ` (≤ ${p.maxNodes} nodes)` : ""}`).join(", ")}; ` +
        "raise providers[].maxNodes, enable another provider, or relax policy.maxSpotShare / policy.outageCover",
    );
  }
  const reserved = bestR;
  const hours = allocateHours(planningPools(pools, reserved), levels, sigma)!;
  return { reserved, ...hours, cycleCost: bestCost, ...hourlyMaxima(reserved, hours), search };
}

/** Calls `visit` with every vector that takes each of `coords` from its value in `start` up to `upTo` (the rest as in `start`). */
function walkLevels(upTo: readonly number[], coords: readonly number[], start: readonly number[], visit: (R: number[]) => void): void {
  const R = [...start];
  const walk = (d: number) => {
    if (d === coords.length) {
      visit([...R]);
      return;
    }
    const i = coords[d]!;
    for (let r = start[i]!; r <= upTo[i]!; r++) {
      R[i] = r;
      walk(d + 1);
    }
    R[i] = start[i]!;
  };
  walk(0);
}

/** Coordinate descent over `coords` from `start`: each level by searchLevel in turn, until a round gains nothing. */
function descend(ranges: readonly number[], coords: readonly number[], start: readonly number[], cost: (R: readonly number[]) => number): void {
  let R = [...start];
  for (let round = 0; round < 20 && coords.length > 0; round++) {
    const before = cost(R);
    for (const i of coords) {
      const base = R;
      const at = (r: number) => base.map((x, j) => (j === i ? r : x));
      R = at(searchLevel(ranges[i]!, (r) => cost(at(r))));
    }
    if (cost(R) >= before - 1e-9) return;
  }
  if (coords.length === 0) cost(R);
}

/**
 * A cheap level in [0, range] in O(GRID · log(range)) evaluations: evaluate GRID + 1 evenly spaced levels, keep
 * the window one spacing either side of the cheapest, and repeat until the spacing is one level (a window of at
 * most 2·GRID levels, each tried). Exact for a cost convex in the level; whole-node rounding makes it only nearly
 * so, which the last window and the caller's ±1 polish absorb. Infeasible levels (Infinity) need no special
 * case as long as some grid point is feasible: the top of the range, with the most fixed nodes, usually is.
 */
function searchLevel(range: number, cost: (r: number) => number): number {
  let lo = 0;
  let hi = range;
  for (;;) {
    const spacing = hi - lo <= 2 * GRID ? 1 : Math.ceil((hi - lo) / GRID);
    let best = lo;
    for (let r = lo; r <= hi; r += spacing) if (cost(r) < cost(best) - 1e-9) best = r;
    if (cost(hi) < cost(best) - 1e-9) best = hi;
    if (spacing === 1) return best;
    lo = Math.max(0, best - spacing);
    hi = Math.min(range, best + spacing);
  }
}

function hourlyMaxima(reserved: readonly number[], hours: { spot: number[][]; onDemand: number[][] }): { maxNodes: number[]; maxSpot: number[] } {
  const maxNodes = reserved.map((r, i) => r + Math.max(0, ...hours.spot.map((s, h) => s[i]! + hours.onDemand[h]![i]!)));
  return { maxNodes, maxSpot: maxPerPool(hours.spot) };
}

/**
 * The deployed spot maxima, fitted to the spot budget (see spotBudgetReplicas). Hours and outage scenarios pick
 * their spot pools independently, but each deployed tier scales on its own load, so the maxima must fit the
 * budget together. They are granted in turn: what pools without on-demand need (they have nothing else), the
 * hourly plan's maxima, then what the outage scenarios add; within each, the cheapest spot replica first. What a
 * pool with on-demand loses here its on-demand tier covers (its node maximum is unchanged); when the hourly plan
 * loses some, its hours are allocated again under the new maxima.
 */
export function fitSpotToBudget(model: ResolvedModel, levels: Levels, sigma: number, cap: CapacityResult, outageSpot: readonly number[]): CapacityResult {
  const pools = model.pools;
  const allocPools = planningPools(pools, cap.reserved);
  const budget = spotBudgetReplicas(allocPools, sigma);
  const onlySpot = pools.map((p, i) => (p.onDemandPrice === undefined ? Math.max(cap.maxSpot[i]!, outageSpot[i]!) : 0));
  const maxSpot = grantSpot(pools, [onlySpot, cap.maxSpot, outageSpot], budget);
  const trimmed = maxSpot.some((m, i) => m < cap.maxSpot[i]!);
  const hours = trimmed ? allocateHours(allocPools.map((p, i) => ({ ...p, spotMax: maxSpot[i]! })), levels, sigma) : undefined;
  if ((trimmed && hours === undefined) || maxSpot.some((m, i) => m < onlySpot[i]!)) {
    const spotOnly = pools.filter((p) => p.onDemandPrice === undefined).map((p) => p.provider.provider);
    throw new PlanInfeasibleError(
      `${model.name}: its spot cannot stay under policy.maxSpotShare at every load: ${pools.map((p, i) => `${cap.reserved[i]} reserved ${p.provider.provider} node(s)`).join(", ")} allow ${budget} spot replicas, ` +
        `and ${spotOnly.join(", ")} can add capacity only as spot; allow on-demand there, reserve more, or raise policy.maxSpotShare`,
    );
  }
  if (hours === undefined) return { ...cap, maxSpot };
  const reservedCost = pools.reduce((a, p, i) => a + levels.required.length * (p.reservedPrice ?? 0) * cap.reserved[i]!, 0);
  return { ...cap, spot: hours.spot, onDemand: hours.onDemand, cycleCost: reservedCost + hours.cost, maxNodes: hourlyMaxima(cap.reserved, hours).maxNodes, maxSpot };
}

/** Each hour's allocation with the pools fixed; undefined when some hour has none. */
function allocateHours(allocPools: readonly AllocPool[], levels: Levels, sigma: number): { spot: number[][]; onDemand: number[][]; cost: number } | undefined {
  const result = { spot: [] as number[][], onDemand: [] as number[][], cost: 0 };
  for (let h = 0; h < levels.required.length; h++) {
    const a = allocate({ pools: allocPools, required: levels.required[h]!, survivor: levels.survivor[h]!, maxSpotShare: sigma });
    if (a === undefined) return undefined;
    result.spot.push(a.spot);
    result.onDemand.push(a.onDemand);
    result.cost += a.cost;
  }
  return result;
}

function maxPerPool(byHour: readonly (readonly number[])[]): number[] {
  return (byHour[0] ?? []).map((_, i) => Math.max(0, ...byHour.map((row) => row[i]!)));
}

/** Spot nodes per pool, granted layer by layer (cheapest spot replica first) while `budget` replicas last. */
function grantSpot(pools: readonly Pick<ResolvedPool, "k" | "spotExpected">[], layers: readonly (readonly number[])[], budget: number): number[] {
  const granted = pools.map(() => 0);
  let left = budget;
  const cheapestFirst = pools.map((_, i) => i).sort((a, b) => (pools[a]!.spotExpected ?? Infinity) / pools[a]!.k - (pools[b]!.spotExpected ?? Infinity) / pools[b]!.k || a - b);
  for (const layer of layers) {
    for (const i of cheapestFirst) {
      const more = Math.min(Math.max(0, layer[i]! - granted[i]!), Math.floor(left / pools[i]!.k));
      granted[i]! += more;
      left -= more * pools[i]!.k;
    }
  }
  return granted;
}

function compareReserved(a: readonly number[], b: readonly number[]): number {
  const sa = a.reduce((x, y) => x + y, 0);
  const sb = b.reduce((x, y) => x + y, 0);
  if (sa !== sb) return sa - sb;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

export interface OutageBounds {
  maxNodes: number[];
  maxSpot: number[];
  /** Per lost pool: replicas the others can reach at most, vs what peak × headroom needs. */
  shortfalls: { pool: number; reachable: number; needed: number }[];
}

/**
 * Bounds that let the fleet ride out the loss of any one pool at peak: for each pool q, the cheapest
 * way for the others to carry peak × headroom (with spot, and again with no spot obtainable anywhere),
 * plus the no-outage case with no spot obtainable. The autoscaler maximum of each pool is the largest
 * node count any of these needs. Under outageCover hosted or both, the others carry only what the hosted API
 * does not.
 */
export function outageBounds(pools: readonly ResolvedPool[], reserved: readonly number[], levels: Levels, sigma: number, resilience: boolean): OutageBounds {
  const aMax = Math.max(0, ...levels.required);
  const peakHour = levels.required.indexOf(aMax);
  const hostedAtPeak = Math.floor((levels.outageHosted[peakHour] ?? 0) + 1e-9);
  const maxNodes = pools.map((_, i) => reserved[i] ?? 0);
  const maxSpot = pools.map(() => 0);
  const shortfalls: OutageBounds["shortfalls"] = [];
  const scenarios: { down: number; spot: boolean }[] = [{ down: -1, spot: false }];
  if (resilience) pools.forEach((_, q) => scenarios.push({ down: q, spot: true }, { down: q, spot: false }));
  for (const sc of scenarios) {
    const allocPools: AllocPool[] = pools.map((p, i) => ({
      k: p.k,
      reserved: reserved[i] ?? 0,
      up: i !== sc.down,
      maxNodes: p.maxNodes,
      spotPrice: sc.spot ? p.spotExpected : undefined,
      spotMax: Infinity,
      // Without spot, a pool that sells only spot has nothing to add.
      onDemandPrice: p.onDemandPrice,
    }));
    const spotSurvivor = sc.down >= 0 && sc.spot ? Math.max(0, ...levels.survivor) : 0;
    // After a loss the survivors scale to carry peak × headroom less what the hosted API carries then (outageCover
    // hosted or both). Not more: the deployed scalers follow any spill up to these maxima, and a GPU booted for a
    // spike the hosted API could take costs its boot and scale-down window on top.
    const required = sc.down >= 0 ? Math.max(0, aMax - hostedAtPeak) : aMax;
    const a = allocate({ pools: allocPools, required, survivor: 0, spotSurvivor, maxSpotShare: sigma });
    if (a === undefined) {
      if (sc.down >= 0 && sc.spot) {
        const reachable = pools.reduce((acc, p, i) => (i === sc.down ? acc : acc + p.k * (Number.isFinite(p.maxNodes) ? p.maxNodes : 0)), 0);
        shortfalls.push({ pool: sc.down, reachable, needed: required });
      }
      continue;
    }
    pools.forEach((_, i) => {
      if (i === sc.down) return;
      maxNodes[i] = Math.max(maxNodes[i]!, (reserved[i] ?? 0) + a.spot[i]! + a.onDemand[i]!);
      maxSpot[i] = Math.max(maxSpot[i]!, a.spot[i]!);
    });
  }
  return { maxNodes, maxSpot, shortfalls };
}

/**
 * The classic rule: reserve unit k while the fraction of hours needing at least k units is above
 * `priceRatio` (reserved price / burst price, per unit-hour). `unitsNeeded` may be fractional.
 *
 * The fraction only falls as k grows, so the answer is the largest k that at least c hours reach, c being the
 * fewest hours whose fraction is above the ratio: the c-th largest need, rounded down. No loop over units.
 */
export function classicReservedUnits(unitsNeeded: readonly number[], priceRatio: number): number {
  const H = unitsNeeded.length;
  let c = 1;
  while (c <= H && !(c / H > priceRatio)) c++;
  if (c > H) return 0;
  const cth = [...unitsNeeded].sort((a, b) => b - a)[c - 1]!;
  return Math.max(0, Math.floor(cth + 1e-9));
}
