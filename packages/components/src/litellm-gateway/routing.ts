import { HOSTED_ROUTING_ORDER, routingOrder } from "@switchyard/catalog";
import type { CapacityType } from "@switchyard/catalog";
import type { Backend } from "../contracts";
import type { GatewayRoutingArgs, GatewayTier, RoutingScoreWeightsArgs } from "./args";
import { resolveTokenPricing, tokenPrices } from "./pricing";
import type { TokenPrices } from "./pricing";

/** Weights of the backends competing in one model group and tier sum to this (so weight / 10 is a percent). */
export const WEIGHT_TOTAL = 1000;

export const DEFAULT_SCORE_WEIGHTS: Readonly<Required<RoutingScoreWeightsArgs>> = { latency: 0.3, cost: 0.4, availability: 0.3 };

/** Expected availability by purchase option when the routing args give none for a backend. */
export const DEFAULT_AVAILABILITY: Readonly<Record<CapacityType, number>> = { reserved: 0.999, "on-demand": 0.995, spot: 0.95 };

/**
 * LiteLLM `order` per purchase tier: lower is tried first, and a tier only gets traffic when every backend
 * of the tiers before it is failing or benched (litellm `get_order_filtered_deployments`).
 */
export const TIER_ORDER: Readonly<Record<CapacityType, number>> = { reserved: routingOrder("reserved", true), spot: routingOrder("spot", false), "on-demand": routingOrder("on-demand", false) };
/** Hosted OpenAI-compatible APIs listed as backends come after every GPU tier. */
export const HOSTED_TIER_ORDER = HOSTED_ROUTING_ORDER;

/** The tier a backend is tried in (LiteLLM `order`): the catalog's `routingOrder`, which the planner routes by too. */
export function tierOrder(backend: Pick<Backend, "provider" | "capacityType" | "fixed">): number {
  return backend.provider === "hosted" ? HOSTED_TIER_ORDER : routingOrder(backend.capacityType, backend.fixed ?? false);
}

/** The tier a backend is tried in, by name. */
export function gatewayTier(backend: Pick<Backend, "provider" | "capacityType">): GatewayTier {
  return backend.provider === "hosted" ? "hosted" : backend.capacityType;
}

/** One backend competing for its model group's traffic within its tier. */
export interface RouteCandidate {
  name: string;
  expectedLatencyMs: number;
  /** USD per output token. */
  costPerOutputToken: number;
  /** Expected availability, a fraction in (0, 1]. */
  availability: number;
  /** Fixed share of the tier's traffic in percent, for a canary; undefined for score-weighted backends. */
  canaryPercent: number | undefined;
  /**
   * Given relative weight (e.g. from the planner) that replaces the score; used only when every non-canary
   * candidate has one.
   */
  explicitWeight?: number | undefined;
}

export interface ScoredRoute {
  name: string;
  /** Each term normalised to (0, 1] against the best candidate: best / value for latency and cost, value / best for availability. */
  latencyScore: number;
  costScore: number;
  availabilityScore: number;
  /** Weighted sum of the three terms, in (0, 1]. */
  score: number;
  /** LiteLLM `weight`: a whole number; the candidates' weights sum to {@link WEIGHT_TOTAL}. */
  weight: number;
}

/** The score weights with defaults filled and scaled to sum to 1. */
export function resolveScoreWeights(weights: RoutingScoreWeightsArgs | undefined): Required<RoutingScoreWeightsArgs> {
  const w = { ...DEFAULT_SCORE_WEIGHTS, ...definedOnly(weights ?? {}) };
  const sum = w.latency + w.cost + w.availability;
  return { latency: w.latency / sum, cost: w.cost / sum, availability: w.availability / sum };
}

/**
 * Scores the candidates of one model group and tier and turns the scores into integer weights summing to
 * {@link WEIGHT_TOTAL}: canaries take their fixed percentage, the others share the rest in proportion to
 * `latency·Lw + cost·Cw + availability·Aw` (or to their explicit weights, when every one of them has one). Terms are ratios to the best candidate, so the score is scale-free,
 * never zero, and a candidate at least as good on every term never scores (or weighs) less.
 */
export function scoreRoutes(candidates: RouteCandidate[], scoreWeights: Required<RoutingScoreWeightsArgs>): ScoredRoute[] {
  const bestLatency = Math.min(...candidates.map((c) => c.expectedLatencyMs));
  const bestCost = Math.min(...candidates.map((c) => c.costPerOutputToken));
  const bestAvailability = Math.max(...candidates.map((c) => c.availability));
  const scored = candidates.map((c) => {
    const latencyScore = bestLatency / c.expectedLatencyMs;
    const costScore = bestCost / c.costPerOutputToken;
    const availabilityScore = c.availability / bestAvailability;
    const score = scoreWeights.latency * latencyScore + scoreWeights.cost * costScore + scoreWeights.availability * availabilityScore;
    return { name: c.name, latencyScore, costScore, availabilityScore, score, weight: 0 };
  });

  const canaryWeights = candidates.map((c) => (c.canaryPercent === undefined ? 0 : Math.max(1, Math.round((c.canaryPercent / 100) * WEIGHT_TOTAL))));
  const regular = candidates.map((c, i) => (c.canaryPercent === undefined ? i : -1)).filter((i) => i >= 0);
  const rest = WEIGHT_TOTAL - canaryWeights.reduce((a, b) => a + b, 0);
  const explicit = regular.length > 0 && regular.every((i) => candidates[i]!.explicitWeight !== undefined);
  const shares = apportion(
    regular.map((i) => (explicit ? candidates[i]!.explicitWeight! : scored[i]!.score)),
    rest,
    regular.map((i) => candidates[i]!.name),
  );
  return scored.map((s, i) => {
    const r = regular.indexOf(i);
    return { ...s, weight: r >= 0 ? shares[r]! : canaryWeights[i]! };
  });
}

/**
 * Splits `total` into whole numbers proportional to `values` (largest remainder; ties by `names`), giving
 * every value at least 1 so no backend is silently starved. Order-preserving: a larger value never gets less.
 */
export function apportion(values: number[], total: number, names: string[]): number[] {
  if (values.length === 0) return [];
  const sum = values.reduce((a, b) => a + b, 0);
  const exact = values.map((v) => (v / sum) * total);
  const result = exact.map(Math.floor);
  const byRemainder = exact
    .map((x, i) => ({ i, remainder: x - Math.floor(x) }))
    // Equal remainders (floating-point ties) go to the larger value first, so order is kept; then by name.
    .sort((a, b) => b.remainder - a.remainder || values[b.i]! - values[a.i]! || (names[a.i]! < names[b.i]! ? -1 : names[a.i]! > names[b.i]! ? 1 : 0));
  let left = total - result.reduce((a, b) => a + b, 0);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    result[i]!++;
    left--;
  }
  // Lift zeros to 1, taking each unit from the largest weight, and among equal largest weights from the one with
  // the smallest value, so a larger value still never ends up with less.
  for (let i = 0; i < result.length; i++) {
    if (result[i]! > 0) continue;
    const max = Math.max(...result);
    if (max <= 1) break;
    const donor = result.reduce((best, w, j) => (w === max && (best < 0 || values[j]! < values[best]!) ? j : best), -1);
    result[donor]!--;
    result[i] = 1;
  }
  return result;
}

/** Everything the config says about one backend: where it sits, what it weighs and what its tokens cost. */
export interface BackendRoute {
  backend: Backend;
  /** LiteLLM `order`. */
  order: number;
  availability: number;
  canaryPercent: number | undefined;
  prices: TokenPrices;
  latencyScore: number;
  costScore: number;
  availabilityScore: number;
  score: number;
  /** LiteLLM `weight` within its model group and tier. */
  weight: number;
}

/**
 * Tiers, scores, weights and per-token prices for every backend, in a stable order (model group, tier,
 * name). Pure; assumes `backends` and `routing` were validated by `checkLiteLLMInput`.
 */
export function planRoutes(backends: Backend[], routing: GatewayRoutingArgs = {}): BackendRoute[] {
  const pricing = resolveTokenPricing(routing.pricing);
  const scoreWeights = resolveScoreWeights(routing.scoreWeights);
  const routes = backends.map((backend) => ({
    backend,
    order: tierOrder(backend),
    availability: routing.availability?.[backend.name] ?? DEFAULT_AVAILABILITY[backend.capacityType],
    canaryPercent: routing.canaryPercent?.[backend.name],
    prices: tokenPrices(backend.costPerHour, backend.tokensPerSecond, pricing),
  }));
  const sorted = [...routes].sort(
    (a, b) => compare(a.backend.modelName, b.backend.modelName) || a.order - b.order || compare(a.backend.name, b.backend.name),
  );
  const result: BackendRoute[] = [];
  for (const group of groupBy(sorted, (r) => `${r.backend.modelName}\u0000${r.order}`)) {
    const scored = scoreRoutes(
      group.map((r) => ({
        name: r.backend.name,
        expectedLatencyMs: r.backend.expectedLatencyMs,
        // The unrounded price: rounding must not reorder nearly equal backends.
        costPerOutputToken: r.backend.costPerHour / r.backend.tokensPerSecond,
        availability: r.availability,
        canaryPercent: r.canaryPercent,
        explicitWeight: routing.weights?.[r.backend.name],
      })),
      scoreWeights,
    );
    group.forEach((r, i) => {
      const { latencyScore, costScore, availabilityScore, score, weight } = scored[i]!;
      result.push({ ...r, latencyScore, costScore, availabilityScore, score, weight });
    });
  }
  return result;
}

function groupBy<T>(items: T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
