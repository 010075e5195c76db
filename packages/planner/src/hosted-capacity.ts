/**
 * What covers the loss of a provider, and what the hosted API can take: one rule read by `plan` (the survivor row
 * of every hour), `lowerBound` (the same row at every step) and `simulate` (the policy check, and what the hosted
 * tier serves).
 *
 * `policy.outageCover` says who carries `policy.outageShare` of the demand the moment a provider fails:
 *  - `spare`: the GPUs on the other providers, always running (a hot spare);
 *  - `hosted`: the hosted API alone, within its rate limit (no hot spare; the plan refuses a limit too low);
 *  - `both`: the hosted API up to its rate limit, the GPUs the rest.
 */
export const OUTAGE_COVERS = ["spare", "hosted", "both"] as const;
export type OutageCover = (typeof OUTAGE_COVERS)[number];

/** The hosted API's rate limit for the account; null where it has none. */
export interface HostedRateLimit {
  requestsPerMinute: number | null;
  /** Prompt plus generated tokens per minute. */
  tokensPerMinute: number | null;
}

const EPS = 1e-9;

/** A hosted fallback's rate limit as the spec gives it (each optional), with null for the ones it leaves out. */
export function rateLimitOf(fallback: { requestsPerMinute?: number | undefined; tokensPerMinute?: number | undefined }): HostedRateLimit {
  return { requestsPerMinute: fallback.requestsPerMinute ?? null, tokensPerMinute: fallback.tokensPerMinute ?? null };
}

/** What the hosted API charges, USD, for these prompt and generated tokens at its per-million list prices. */
export function hostedUsd(prices: { pricePerMillionInputTokens: number; pricePerMillionOutputTokens: number }, inputTokens: number, outputTokens: number): number {
  return (inputTokens * prices.pricePerMillionInputTokens + outputTokens * prices.pricePerMillionOutputTokens) / 1e6;
}

/**
 * The share of a load, `requests` and `tokens` (prompt + generated) over `minutes`, that the hosted API takes within
 * its rate limit: 1 when the limit allows all of it, 0 for no load.
 */
export function hostedShare(limit: HostedRateLimit, requests: number, tokens: number, minutes: number): number {
  let share = 1;
  if (requests > 0 && limit.requestsPerMinute !== null) share = Math.min(share, (limit.requestsPerMinute * minutes) / requests);
  if (tokens > 0 && limit.tokensPerMinute !== null) share = Math.min(share, (limit.tokensPerMinute * minutes) / tokens);
  return Math.max(0, share);
}

/**
 * Replicas the GPUs must still have running after losing any one provider: `outageShare` of `demandReplicas`, less
 * what the hosted API can carry (`hostedReplicas`, the demand's replicas times `hostedShare`) when the cover lets it.
 * Under `hosted` the GPUs hold nothing; {@link hostedCoverShortfall} says where the limit is too low for that.
 */
export function survivorReplicas(cover: OutageCover, outageShare: number, demandReplicas: number, hostedReplicas: number): number {
  const need = outageShare * demandReplicas;
  const gpus = cover === "spare" ? need : cover === "both" ? need - hostedReplicas : 0;
  return Math.max(0, Math.ceil(gpus - EPS));
}

/**
 * Replicas of demand the hosted API carries while a provider is down: `outageShare` of the demand, up to what its rate
 * limit lets it take (`hostedReplicas`), under `hosted` and `both`; 0 under `spare`. The providers still up then need
 * run only the rest of headroom × demand.
 */
export function outageHostedReplicas(cover: OutageCover, outageShare: number, demandReplicas: number, hostedReplicas: number): number {
  return cover === "spare" ? 0 : Math.max(0, Math.min(outageShare * demandReplicas, hostedReplicas));
}

/** Under `hosted`, the replicas of demand the hosted API cannot take within its limit when a provider fails (0 when it can). */
export function hostedCoverShortfall(outageShare: number, demandReplicas: number, hostedReplicas: number): number {
  return Math.max(0, outageShare * demandReplicas - hostedReplicas);
}

/** The two prices `forecast.confidence: cost` weighs, per replica-hour of the history's demand. */
export interface CostBasis {
  /** The cheapest GPU replica-hour the fleet can add for a spike: expected spot or on-demand, else its fixed tier. */
  gpuPerReplicaHour: number;
  /** What the hosted API charges for the tokens one replica serves in an hour, at the history's mix of prompt and generated tokens. */
  hostedPerReplicaHour: number;
}

/** Bounds on the confidence `costConfidence` returns: always some GPUs, never every spike. */
const COST_CONFIDENCE_RANGE = [0.01, 0.99] as const;

/**
 * The confidence at which a GPU replica pays for itself against the hosted API (`forecast.confidence: cost`). A
 * replica held at an hour costs `gpuPerReplicaHour` whether busy or not, and saves `hostedPerReplicaHour` only when
 * demand reaches it, so holding it pays while P(demand ≥ level) ≥ gpu ÷ hosted: the level is that hour's
 * 1 − gpu ÷ hosted quantile (the newsvendor's critical ratio), within [0.01, 0.99].
 */
export function costConfidence(basis: CostBasis): number {
  const q = 1 - basis.gpuPerReplicaHour / basis.hostedPerReplicaHour;
  return Math.min(COST_CONFIDENCE_RANGE[1], Math.max(COST_CONFIDENCE_RANGE[0], q));
}

/**
 * Replicas' worth of demand the hosted API can take at these mean rates within its rate limit: `replicas` × the limit
 * over the load (more than `replicas` when the limit is above it; Infinity without a limit or a load).
 */
export function hostedLimitReplicas(limit: HostedRateLimit, requestsPerSecond: number, tokensPerSecond: number, replicas: number): number {
  let ratio = Infinity;
  if (limit.requestsPerMinute !== null && requestsPerSecond > 0) ratio = Math.min(ratio, limit.requestsPerMinute / (requestsPerSecond * 60));
  if (limit.tokensPerMinute !== null && tokensPerSecond > 0) ratio = Math.min(ratio, limit.tokensPerMinute / (tokensPerSecond * 60));
  return ratio === Infinity ? Infinity : replicas * ratio;
}
