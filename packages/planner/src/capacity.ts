/**
 * Capacity planning for one model: the reserved level per pool, the hour-by-hour spot and on-demand
 * burst, and the autoscaler bounds that let the other providers absorb any one provider's loss.
 *
 * The cost model (per profile cycle of H hours):
 *   Σ_p H·c^R_p·R_p  +  Σ_h Σ_p (c^S_p·s_{p,h} + c^O_p·o_{p,h})
 * with c^S the expected spot price (spot while obtainable, the pool's on-demand price otherwise), and
 * the constraints of `allocate` at every hour. Hours with the same requirement share one allocation;
 * reserved levels are searched exhaustively (every combination up to the useful maximum), so the
 * result is the exact optimum of this model — never worse than the classic reserved rule, whose level
 * is also evaluated and reported. One step follows the search: `fitSpotToBudget` fits the deployed spot
 * maxima to the spot budget together, and when it trims the hours' spot they are allocated again (the
 * reserved level is not searched again for that rare case).
 */
import { replicasWanted } from "@switchyard/catalog";
import { allocate, spotBudgetReplicas } from "./allocate";
import type { AllocPool } from "./allocate";
import { PlanInfeasibleError } from "./errors";
import type { ResolvedModel, ResolvedPool } from "./resolve";

/** Requirement per profile hour, in replicas. */
export interface Levels {
  required: number[];
  survivor: number[];
}

export function levelsFor(demandReplicas: readonly number[], headroom: number, resilience: boolean, outageCover: number): Levels {
  const up = (x: number) => Math.max(0, Math.ceil(x - 1e-9));
  return {
    required: demandReplicas.map((d) => replicasWanted(d, headroom)),
    survivor: demandReplicas.map((d) => (resilience ? up(outageCover * d) : 0)),
  };
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

const EXHAUSTIVE_LIMIT = 20_000;

/**
 * The cheapest reserved (fixed) levels and burst schedule for one model. With `resilience`, a level that leaves
 * the fleet unable to reach peak × headroom after losing a provider is not a candidate: fixed-only pools (Lambda)
 * add nothing in an outage, so their fixed nodes must already be there. When no level passes, the cheapest one
 * is returned and the caller reports the shortfall.
 */
export function planCapacity(model: ResolvedModel, levels: Levels, sigma: number, resilience = false): CapacityResult {
  if (resilience) {
    try {
      return searchCapacity(model, levels, sigma, (R) => outageBounds(model.pools, R, levels, sigma, true).shortfalls.length === 0);
    } catch (error) {
      if (!(error instanceof PlanInfeasibleError)) throw error;
    }
  }
  return searchCapacity(model, levels, sigma, () => true);
}

function searchCapacity(model: ResolvedModel, levels: Levels, sigma: number, survivesOutages: (reserved: readonly number[]) => boolean): CapacityResult {
  const pools = model.pools;
  const n = pools.length;
  const ranges = reservedRange(pools, levels);
  const combos = ranges.reduce((a, r) => a * (r + 1), 1);
  let bestR: number[] | undefined;
  let bestCost = Infinity;
  const consider = (R: number[]) => {
    const cost = cycleCostFor(pools, levels, R, sigma, new Map());
    // Ties go to fewer reserved nodes (less commitment), then to earlier pools.
    const better = cost !== undefined && (cost < bestCost - 1e-7 || (Math.abs(cost - bestCost) <= 1e-7 && bestR !== undefined && compareReserved(R, bestR) < 0));
    // Checked only for a new best: the outage scenarios cost more than the hourly ones.
    if (better && survivesOutages(R)) {
      bestCost = cost;
      bestR = [...R];
    }
    return cost;
  };
  let search: CapacityResult["search"] = "exhaustive";
  if (combos <= EXHAUSTIVE_LIMIT) {
    const R = new Array<number>(n).fill(0);
    const walk = (i: number) => {
      if (i === n) {
        consider(R);
        return;
      }
      for (let r = 0; r <= ranges[i]!; r++) {
        R[i] = r;
        walk(i + 1);
      }
      R[i] = 0;
    };
    walk(0);
  } else {
    search = "coordinate";
    const R = new Array<number>(n).fill(0);
    consider(R);
    for (let round = 0; round < 20; round++) {
      const before = bestCost;
      for (let i = 0; i < n; i++) {
        for (let r = 0; r <= ranges[i]!; r++) consider(bestR !== undefined ? bestR.map((x, j) => (j === i ? r : x)) : R.map((x, j) => (j === i ? r : x)));
      }
      if (bestCost >= before - 1e-9) break;
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
 * node count any of these needs.
 */
export function outageBounds(pools: readonly ResolvedPool[], reserved: readonly number[], levels: Levels, sigma: number, resilience: boolean): OutageBounds {
  const aMax = Math.max(0, ...levels.required);
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
    const a = allocate({ pools: allocPools, required: aMax, survivor: 0, spotSurvivor, maxSpotShare: sigma });
    if (a === undefined) {
      if (sc.down >= 0 && sc.spot) {
        const reachable = pools.reduce((acc, p, i) => (i === sc.down ? acc : acc + p.k * (Number.isFinite(p.maxNodes) ? p.maxNodes : 0)), 0);
        shortfalls.push({ pool: sc.down, reachable, needed: aMax });
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
 */
export function classicReservedUnits(unitsNeeded: readonly number[], priceRatio: number): number {
  if (unitsNeeded.length === 0) return 0;
  let k = 0;
  for (;;) {
    const next = k + 1;
    const fraction = unitsNeeded.filter((u) => u >= next - 1e-9).length / unitsNeeded.length;
    if (fraction > priceRatio) k = next;
    else return k;
  }
}
