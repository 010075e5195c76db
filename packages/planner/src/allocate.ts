/**
 * The exact capacity allocator: for one demand level, the cheapest whole-node mix of spot and
 * on-demand nodes across pools (one pool = one provider's node group for one model) on top of fixed
 * reserved nodes, such that
 *
 *   - capacity covers the requirement:        Σ_p C_p ≥ A                   (headroom × demand)
 *   - losing any one pool leaves enough:      Σ_p C_p − C_q ≥ B  for all q  (resilience; B = 0 turns it off)
 *   - spot stays under the cap:               Σ_p k_p·s_p ≤ σ/(1−σ)·Σ_p k_p·R_p   (see spotBudgetReplicas)
 *   - losing any one pool's spot leaves enough: Σ_p C_p − k_q·s_q ≥ B_s  for all q  (used while an outage
 *     is under way, when the full rule is off: a spot reclaim must not become a second failure)
 *   - quotas and spot obtainability hold:     R_p + s_p + o_p ≤ M_p,  s_p ≤ S_p
 *
 * where C_p = k_p·(R_p + s_p + o_p) replicas (k_p replicas per node) on pools that are up.
 *
 * Why this is exact without a MIP solver: for a fixed total T the resilience rows become per-pool caps
 * C_q ≤ T − B, and the spot cap is a constant budget. When the pools share one node size k
 * (the common case: 8-GPU nodes everywhere), what is left is a min-cost flow — units = nodes, a spot
 * hub with capacity ⌊budget/k⌋ feeding each pool's spot arc, an on-demand arc per pool, a capacity per
 * pool — and min-cost flow has integral optimal solutions (total unimodularity). Its cost is convex in
 * T (see bestGroupFill), so T is found by binary search, not a scan: the work does not grow with demand.
 * Pools with a different node size
 * are enumerated exhaustively (node count × spot split) around that flow. HiGHS solved the same model
 * as one MIP in seconds (symmetry across providers makes branch-and-bound slow); this takes
 * microseconds and is what keeps `plan()` exact *and* fast.
 */

/** One pool as the allocator sees it at one moment. */
export interface AllocPool {
  /** Replicas per node. */
  k: number;
  /** Reserved nodes: fixed, already paid, capacity only while the pool is up. */
  reserved: number;
  /** Whether the provider is reachable (false during an outage: no capacity, no new nodes). */
  up: boolean;
  /** Quota / autoscaler ceiling in nodes, reserved included (Infinity for none). */
  maxNodes: number;
  /** USD per spot node-hour as the allocator should weigh it; undefined where there is no spot. */
  spotPrice: number | undefined;
  /** Spot nodes obtainable right now (Infinity when the market is open and unlimited). */
  spotMax: number;
  /** USD per on-demand node-hour; undefined where the pool may not use on-demand. */
  onDemandPrice: number | undefined;
}

export interface AllocRequest {
  pools: readonly AllocPool[];
  /** A: replicas the up pools must provide together. */
  required: number;
  /** B: replicas the up pools must still provide after losing any one of them (0 = no resilience row). */
  survivor: number;
  /** σ: the largest fraction of running capacity that may be spot (budgeted by {@link spotBudgetReplicas}). */
  maxSpotShare: number;
  /** B_s: replicas left after losing any one pool's spot nodes (0 = no such row). */
  spotSurvivor?: number;
}

export interface Allocation {
  /** USD per hour of the spot and on-demand nodes chosen (reserved nodes are sunk and not included). */
  cost: number;
  spot: number[];
  onDemand: number[];
}

const EPS = 1e-9;

/** Cheapest allocation meeting the request, or undefined when no allocation can. */
export function allocate(req: AllocRequest): Allocation | undefined {
  const { pools } = req;
  const n = pools.length;
  const A = Math.max(0, Math.ceil(req.required - EPS));
  const B = Math.max(0, Math.ceil(req.survivor - EPS));
  const Bs = Math.max(0, Math.ceil((req.spotSurvivor ?? 0) - EPS));
  const spotBudget = spotBudgetReplicas(pools, req.maxSpotShare);
  const up = pools.map((p) => p.up);
  const canSpot = pools.map((p) => p.up && p.spotPrice !== undefined && p.spotMax >= 1 && spotBudget >= p.k);
  const canOd = pools.map((p) => p.up && p.onDemandPrice !== undefined);

  // Group: the most common node size among up pools goes through the flow; the rest are enumerated.
  const sizes = new Map<number, number>();
  pools.forEach((p, i) => {
    if (up[i]) sizes.set(p.k, (sizes.get(p.k) ?? 0) + 1);
  });
  if (sizes.size === 0) return A === 0 && B === 0 ? { cost: 0, spot: zeros(n), onDemand: zeros(n) } : undefined;
  const kG = [...sizes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
  const group = pools.map((_, i) => i).filter((i) => up[i] && pools[i]!.k === kG);
  const others = pools.map((_, i) => i).filter((i) => up[i] && pools[i]!.k !== kG);

  // No pool needs more than max(A, B, B_s) plus one node, unless its reserved nodes alone are more: past that a
  // burst node can go (a spot one first) and every row still holds, for less. (The bound the scan used before,
  // about 1.5·B in all, missed optima where a quota forces the others above it.)
  const need = Math.max(A, B, Bs);
  const nodesAtMost = (p: AllocPool) => Math.min(p.maxNodes, Math.max(p.reserved, Math.ceil((need + p.k) / p.k)));
  const tCap = pools.reduce((a, p, i) => a + (up[i] ? p.k * nodesAtMost(p) : 0), 0);

  let best: Allocation | undefined;
  const spot = zeros(n);
  const od = zeros(n);

  // Enumerate the odd-sized pools (usually none): node count and spot split each.
  const oddChoices = others.map((i) => {
    const p = pools[i]!;
    const choices: { s: number; o: number; cost: number }[] = [];
    const maxN = nodesAtMost(p);
    for (let total = p.reserved; total <= maxN; total++) {
      const burst = total - p.reserved;
      const sMax = canSpot[i] ? Math.min(burst, p.spotMax) : 0;
      for (let s = 0; s <= sMax; s++) {
        const o = burst - s;
        if (o > 0 && !canOd[i]) continue;
        choices.push({ s, o, cost: s * (p.spotPrice ?? 0) + o * (p.onDemandPrice ?? 0) });
      }
    }
    return choices;
  });

  const recurse = (depth: number, fixedCap: number, fixedSpot: number, fixedCost: number, maxOddCap: number, maxOddSpot = 0): void => {
    if (best !== undefined && fixedCost >= best.cost - EPS) return;
    if (fixedSpot > spotBudget + EPS) return; // spot placed on odd pools already exceeds the budget
    if (depth < others.length) {
      const i = others[depth]!;
      const p = pools[i]!;
      for (const c of oddChoices[depth]!) {
        spot[i] = c.s;
        od[i] = c.o;
        const cap = p.k * (p.reserved + c.s + c.o);
        recurse(depth + 1, fixedCap + cap, fixedSpot + p.k * c.s, fixedCost + c.cost, Math.max(maxOddCap, cap), Math.max(maxOddSpot, p.k * c.s));
      }
      spot[i] = 0;
      od[i] = 0;
      return;
    }
    const flow = bestGroupFill(pools, group, kG, A, B, Bs, spotBudget, canSpot, canOd, fixedCap, fixedSpot, fixedCost, maxOddCap, maxOddSpot, tCap, best?.cost);
    if (flow !== undefined && (best === undefined || flow.cost < best.cost - EPS)) {
      const s = [...spot];
      const o = [...od];
      group.forEach((gi, j) => {
        s[gi] = flow.spot[j]!;
        o[gi] = flow.onDemand[j]!;
      });
      best = { cost: flow.cost, spot: s, onDemand: o };
    }
  };
  recurse(0, 0, 0, 0, 0);
  return best;
}

/**
 * The spot cap in replicas: at most σ/(1−σ) × the reserved (fixed) replicas on the pools that are up.
 *
 * Why against the fixed floor and not σ × the hour's capacity: the gateway sends spill to spot before
 * on-demand and each tier scales on its own load, so at some load the fleet runs its spot with no on-demand
 * beside it. spot / (fixed + spot) ≤ σ then holds for every load only under this budget, and the deployed
 * spot maxima sum to at most it, so the cap the plan prices is the one that runs. It implies spot ≤ σ × capacity.
 */
export function spotBudgetReplicas(pools: readonly Pick<AllocPool, "k" | "reserved" | "up">[], maxSpotShare: number): number {
  const sigma = Math.min(1, Math.max(0, maxSpotShare));
  if (sigma >= 1) return Infinity;
  const fixed = pools.reduce((a, p) => a + (p.up ? p.k * p.reserved : 0), 0);
  return Math.floor((sigma / (1 - sigma)) * fixed + EPS);
}

function zeros(n: number): number[] {
  return new Array<number>(n).fill(0);
}

/**
 * Best fill of the equal-size group given what the odd pools already contribute, over the group's total
 * node count N. Why a binary search is exact: once N is fixed every constraint is linear with N on its
 * right-hand side (the per-pool caps are N + constant nodes), so the cheapest fill is the value of a
 * linear program parametric in N — convex in N — and it is integral (see minCostFill). Its feasible N form
 * an interval (the flow's slack, maximum flow minus units, is concave in N). So: find that interval, then
 * the first N from which one more node no longer lowers the cost. About 3·log2(range) small flows,
 * whatever the demand.
 */
function bestGroupFill(
  pools: readonly AllocPool[],
  group: readonly number[],
  k: number,
  A: number,
  B: number,
  Bs: number,
  spotBudget: number,
  canSpot: readonly boolean[],
  canOd: readonly boolean[],
  fixedCap: number,
  fixedSpot: number,
  fixedCost: number,
  maxOddCap: number,
  maxOddSpot: number,
  tCap: number,
  incumbent: number | undefined,
): { cost: number; spot: number[]; onDemand: number[] } | undefined {
  const reservedG = group.reduce((a, i) => a + pools[i]!.reserved, 0);
  const prices = group.flatMap((i) => [canSpot[i] ? pools[i]!.spotPrice! : Infinity, canOd[i] ? pools[i]!.onDemandPrice! : Infinity]);
  const minPrice = Math.min(...prices);
  const quotaG = group.reduce((a, i) => a + pools[i]!.maxNodes, 0);
  const nStart = Math.max(reservedG, Math.ceil((A - fixedCap) / k - EPS));
  const nEnd = Math.min(quotaG, reservedG + Math.ceil(tCap / k) + 1);
  const spotNodes = Math.floor((spotBudget - fixedSpot) / k + EPS);

  /** The flow's pools at group total N; undefined below the totals the requirement rows allow. */
  const fillAt = (N: number): FillPool[] | undefined => {
    const T = fixedCap + k * N;
    if (T < A) return undefined;
    if (T - maxOddCap < B) return undefined; // losing the largest odd pool would leave too little
    if (T - maxOddSpot < Bs) return undefined; // losing the largest odd pool's spot would leave too little
    const spotPerPool = Math.floor((T - Bs) / k + EPS);
    const perPoolCap = Math.floor((T - B) / k + EPS); // N+1 as a per-pool node cap
    const caps = group.map((i) => Math.min(pools[i]!.maxNodes, perPoolCap) - pools[i]!.reserved);
    if (caps.some((c) => c < 0)) return undefined; // reserved alone breaks the per-pool cap at this total
    return group.map((i, j) => ({
      cap: caps[j]!,
      spotCap: canSpot[i] ? Math.max(0, Math.min(caps[j]!, pools[i]!.spotMax, spotPerPool)) : 0,
      spotPrice: canSpot[i] ? pools[i]!.spotPrice! : Infinity,
      odPrice: canOd[i] ? pools[i]!.onDemandPrice! : Infinity,
    }));
  };
  /** Maximum flow minus units at N (what minCostFill can route: on-demand fills a pool, spot-only pools share the hub). */
  const slack = (N: number): number => {
    const fill = fillAt(N)!;
    const direct = fill.reduce((a, p) => a + (Number.isFinite(p.odPrice) ? p.cap : 0), 0);
    const viaHub = fill.reduce((a, p) => a + (!Number.isFinite(p.odPrice) && Number.isFinite(p.spotPrice) ? p.spotCap : 0), 0);
    return direct + Math.min(spotNodes, viaHub) - (N - reservedG);
  };
  const flows = new Map<number, ReturnType<typeof minCostFill>>();
  const flowAt = (N: number) => {
    if (!flows.has(N)) flows.set(N, minCostFill(N - reservedG, spotNodes, fillAt(N)!));
    return flows.get(N);
  };
  const costAt = (N: number) => flowAt(N)?.cost ?? Infinity;

  const low = firstTrue(nStart, nEnd, (N) => fillAt(N) !== undefined);
  if (low > nEnd) return undefined;
  if (incumbent !== undefined && fixedCost + (low - reservedG) * (Number.isFinite(minPrice) ? minPrice : 0) >= incumbent - EPS) return undefined;
  const rise = firstTrue(low, nEnd, (N) => N === nEnd || slack(N) >= 0 || slack(N + 1) <= slack(N));
  if (slack(rise) < 0) return undefined;
  // Past the last feasible N the slack stays negative, so "one more node does not help" holds there too.
  const best = firstTrue(rise, nEnd, (N) => N === nEnd || slack(N + 1) < 0 || costAt(N + 1) > costAt(N) - EPS);
  const flow = flowAt(best);
  if (flow === undefined) return undefined;
  const cost = fixedCost + flow.cost;
  if (incumbent !== undefined && cost >= incumbent - EPS) return undefined;
  return { cost, spot: flow.spot, onDemand: flow.onDemand };
}

/**
 * The first integer in [lo, hi] where a monotone predicate (false…false true…true) holds; hi + 1 if none.
 * Galloping from lo, then bisecting: O(log(answer − lo)) calls, and the answer is usually close to lo.
 */
function firstTrue(lo: number, hi: number, holds: (n: number) => boolean): number {
  let failed = lo - 1;
  let a = lo;
  let step = 1;
  while (a <= hi && !holds(a)) {
    failed = a;
    a += step;
    step *= 2;
  }
  let from = failed + 1;
  let to = Math.min(a, hi + 1);
  while (from < to) {
    const mid = from + Math.floor((to - from) / 2);
    if (holds(mid)) to = mid;
    else from = mid + 1;
  }
  return from;
}

interface FillPool {
  cap: number;
  spotCap: number;
  spotPrice: number;
  odPrice: number;
}

/**
 * Min-cost flow for `units` nodes over pools with per-pool capacity, where spot nodes also pass
 * through one shared hub of capacity `spotBudget`. Successive shortest paths (Bellman–Ford on the
 * residual graph, which has negative reverse arcs), augmenting by the path bottleneck.
 * Node ids: 0 source, 1 hub, 2..m+1 pools, m+2 sink.
 */
export function minCostFill(units: number, spotBudget: number, pools: readonly FillPool[]): { cost: number; spot: number[]; onDemand: number[] } | undefined {
  const m = pools.length;
  if (units === 0) return { cost: 0, spot: zeros(m), onDemand: zeros(m) };
  const totalCap = pools.reduce((a, p) => a + (Number.isFinite(p.odPrice) ? p.cap : Math.min(p.cap, p.spotCap)), 0);
  if (totalCap < units) return undefined;

  interface Arc { to: number; cap: number; cost: number; rev: number; }
  const nodes = m + 3;
  const graph: Arc[][] = Array.from({ length: nodes }, () => []);
  const addArc = (from: number, to: number, cap: number, cost: number): [number, number] => {
    graph[from]!.push({ to, cap, cost, rev: graph[to]!.length });
    graph[to]!.push({ to: from, cap: 0, cost: -cost, rev: graph[from]!.length - 1 });
    return [from, graph[from]!.length - 1];
  };
  const source = 0;
  const hub = 1;
  const sink = m + 2;
  addArc(source, hub, Math.min(spotBudget, units), 0);
  const spotArcs: [number, number][] = [];
  const odArcs: [number, number][] = [];
  pools.forEach((p, j) => {
    const node = 2 + j;
    spotArcs.push(addArc(hub, node, Number.isFinite(p.spotPrice) ? Math.min(p.spotCap, units) : 0, Number.isFinite(p.spotPrice) ? p.spotPrice : 0));
    odArcs.push(addArc(source, node, Number.isFinite(p.odPrice) ? units : 0, Number.isFinite(p.odPrice) ? p.odPrice : 0));
    addArc(node, sink, Math.min(p.cap, units), 0);
  });

  let flow = 0;
  let cost = 0;
  while (flow < units) {
    const dist = new Array<number>(nodes).fill(Infinity);
    const prevNode = new Array<number>(nodes).fill(-1);
    const prevArc = new Array<number>(nodes).fill(-1);
    dist[source] = 0;
    for (let iter = 0; iter < nodes; iter++) {
      let changed = false;
      for (let u = 0; u < nodes; u++) {
        if (dist[u] === Infinity) continue;
        graph[u]!.forEach((arc, ai) => {
          if (arc.cap > 0 && dist[u]! + arc.cost < dist[arc.to]! - EPS) {
            dist[arc.to] = dist[u]! + arc.cost;
            prevNode[arc.to] = u;
            prevArc[arc.to] = ai;
            changed = true;
          }
        });
      }
      if (!changed) break;
    }
    if (dist[sink] === Infinity) return undefined;
    let push = units - flow;
    for (let v = sink; v !== source; v = prevNode[v]!) push = Math.min(push, graph[prevNode[v]!]![prevArc[v]!]!.cap);
    for (let v = sink; v !== source; v = prevNode[v]!) {
      const arc = graph[prevNode[v]!]![prevArc[v]!]!;
      arc.cap -= push;
      graph[v]![arc.rev]!.cap += push;
    }
    flow += push;
    cost += push * dist[sink]!;
  }
  const used = (ref: [number, number]) => graph[graph[ref[0]]![ref[1]]!.to]![graph[ref[0]]![ref[1]]!.rev]!.cap;
  return { cost, spot: spotArcs.map(used), onDemand: odArcs.map(used) };
}
