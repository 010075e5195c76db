/**
 * Routing: one LiteLLM deployment per pool and purchase tier, named `<provider>-<model>-<capacityType>`,
 * with `order` from the tier (reserved 1, spot 2, on-demand 3, hosted fallback 4) and `weight` from the
 * score  wL·latency + wC·cost + wA·availability, each term normalised across the model's GPU backends
 * so that the best backend scores 1 (latency and cost: best / own; availability: own / best).
 * Within one model and order tier, weight ∝ score × (mean planned replicas + 1), normalised to sum to 1:
 * what the backend can absorb, plus one replica's worth so that a standby backend (no replicas on
 * average, scaled up during outages and spot reclaims) keeps a positive weight. LiteLLM's simple-shuffle
 * divides by the sum of the healthy deployments' weights (BerriAI/litellm
 * litellm/router_strategy/simple_shuffle.py), so a tier whose only weighted backend is down must not
 * be left with weights that sum to zero.
 */
import { HOSTED_ROUTING_ORDER, tokenPrices } from "@switchyard/catalog";
import type { CapacityType, Provider } from "@switchyard/catalog";
import type { BackendPlan, HostedFallbackPlan, OrderTier } from "./types";

export interface BackendCandidate {
  provider: Provider;
  capacityType: CapacityType;
  /** LiteLLM `order` of the tier (the catalog's `routingOrder`). */
  order: OrderTier;
  costPerReplicaHour: number;
  expectedLatencyMs: number;
  availability: number;
  plannedReplicas: { mean: number; max: number };
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

export function backendName(provider: Provider | "hosted", model: string, capacityType: CapacityType | "hosted"): string {
  return provider === "hosted" ? `hosted-${model}` : `${provider}-${model}-${capacityType}`;
}

export function routeModel(
  model: string,
  candidates: readonly BackendCandidate[],
  weights: { latency: number; cost: number; availability: number },
  hosted: HostedFallbackPlan | null,
  ttftMs: number,
  decodeTokensPerSecond: number,
  concurrentRequestsPerReplica: number,
): BackendPlan[] {
  const minLatency = Math.min(...candidates.map((c) => c.expectedLatencyMs));
  const minCost = Math.min(...candidates.map((c) => c.costPerReplicaHour));
  const maxAvail = Math.max(...candidates.map((c) => c.availability));
  const scored = candidates.map((c) => {
    const parts = {
      latency: c.expectedLatencyMs <= 0 ? 1 : minLatency / c.expectedLatencyMs,
      cost: minCost / c.costPerReplicaHour,
      availability: c.availability / maxAvail,
    };
    const score = weights.latency * parts.latency + weights.cost * parts.cost + weights.availability * parts.availability;
    return { c, parts, score };
  });
  const backends: BackendPlan[] = [];
  for (const order of [1, 2, 3] as const) {
    const group = scored.filter((s) => s.c.order === order);
    const share = (s: (typeof group)[number]) => s.score * (s.c.plannedReplicas.mean + 1);
    const total = group.reduce((a, s) => a + share(s), 0);
    for (const s of group) {
      const weight = share(s) / total;
      backends.push({
        name: backendName(s.c.provider, model, s.c.capacityType),
        model,
        provider: s.c.provider,
        capacityType: s.c.capacityType,
        order,
        score: round(s.score),
        scoreParts: { latency: round(s.parts.latency), cost: round(s.parts.cost), availability: round(s.parts.availability) },
        weight: Math.max(1e-4, round(weight)),
        costPerReplicaHour: round(s.c.costPerReplicaHour),
        // The same rule the gateway prices a backend with, on the same replica-hour.
        tokenPrices: tokenPrices(s.c.costPerReplicaHour, decodeTokensPerSecond),
        expectedLatencyMs: s.c.expectedLatencyMs,
        plannedReplicas: { mean: round(s.c.plannedReplicas.mean, 2), max: s.c.plannedReplicas.max },
        maxConcurrentRequests: s.c.plannedReplicas.max * concurrentRequestsPerReplica,
      });
    }
  }
  if (hosted !== null) {
    backends.push({
      name: backendName("hosted", model, "hosted"),
      model,
      provider: "hosted",
      capacityType: "hosted",
      order: HOSTED_ROUTING_ORDER,
      score: null,
      scoreParts: null,
      weight: 1,
      costPerReplicaHour: null,
      tokenPrices: { inputCostPerToken: hosted.pricePerMillionInputTokens / 1e6, outputCostPerToken: hosted.pricePerMillionOutputTokens / 1e6 },
      expectedLatencyMs: hosted.rttMs + ttftMs,
      plannedReplicas: { mean: 0, max: 0 },
      maxConcurrentRequests: null,
    });
  }
  return backends;
}
