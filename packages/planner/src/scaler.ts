/**
 * What each autoscaled tier's scaler is deployed with, decided once from the plan: the stacks hand it to
 * VllmServing's KEDA scaler, and `simulate` runs the same rules and windows (test/environments/scaler-drift.test.ts
 * fails if the rendered ScaledObjects and this disagree).
 */
import { inFlightTargetPerReplica } from "@switchyard/catalog";
import type { FleetPlan, ModelPlan, PoolTierPlan } from "./types";

export interface TierScaler {
  /**
   * Requests in flight (running + waiting) per replica the scaler aims for: the model's per-replica concurrency at
   * its SLO over the policy's headroom, so the replicas it wants are the planner's `replicasWanted` of the load.
   */
  targetInFlightPerReplica: number;
  /**
   * The wake trigger's threshold, in requests per second of the model's spill at the gateway (`gatewayWakeQuery`)
   * per replica: a replica's requests per second over the headroom and the tier's share of its order (its gateway
   * weight), so a tier woken from zero asks at once for `replicasWanted` of its share of the spill instead of one
   * replica and a second boot.
   */
  wakeRequestsPerSecondPerReplica: number;
  /**
   * How long a tier keeps replicas after its load falls (HPA scale-down window, KEDA cooldown before zero): the
   * spec's `simulation.scaleDownDelayMinutes`, but never less than the pool's scale-up time, because a replica let go
   * during a dip shorter than that costs a whole boot (12–29 minutes here) to get back; at most an hour (Kubernetes).
   */
  scaleDownCooldownSeconds: number;
  /**
   * How long the node autoscaler keeps a node its pods left before removing it: the Cluster Autoscaler's default
   * `--scale-down-unneeded-time` (GKE, and EKS node groups under it). Not deployed by Switchyard: Karpenter's
   * `consolidateAfter` as GpuNodePool sets it is 5 minutes, and CoreWeave does not publish its autoscaler's.
   */
  nodeScaleDownDelayMinutes: number;
}

/**
 * Whether a tier runs from zero replicas: then only the gateway's spill can wake it, so its scaler has the wake
 * trigger, its stack needs the gateway's metrics, and the gateway must export them.
 */
export function scalesToZero(tier: Pick<PoolTierPlan, "fixed" | "minReplicas" | "maxReplicas">): boolean {
  return !tier.fixed && tier.minReplicas === 0 && tier.maxReplicas > 0;
}

/** Kubernetes caps an HPA's scale-down stabilization window at 3600 s. */
const MAX_SCALE_DOWN_WINDOW_MINUTES = 60;

/** The Cluster Autoscaler's default `--scale-down-unneeded-time`, in minutes. */
export const NODE_SCALE_DOWN_DELAY_MINUTES = 10;

/** The scaler of the tier deployed as `backend` (a GPU backend of `model` in `plan`). */
export function tierScaler(plan: Pick<FleetPlan, "policy" | "backends">, model: ModelPlan, backend: string): TierScaler {
  const planned = plan.backends.find((b) => b.name === backend && b.model === model.name);
  const pool = model.pools.find((p) => p.tiers.some((t) => t.backend === backend));
  if (planned === undefined || pool === undefined) throw new Error(`tierScaler: the plan has no backend ${backend} for ${model.name}`);
  const windowMinutes = Math.min(MAX_SCALE_DOWN_WINDOW_MINUTES, Math.max(plan.policy.simulation.scaleDownDelayMinutes, Math.ceil(pool.scaleUpMinutes)));
  return {
    targetInFlightPerReplica: inFlightTargetPerReplica(model.concurrentRequestsPerReplica, plan.policy.headroom),
    wakeRequestsPerSecondPerReplica: 1 / (replicaSecondsPerRequest(model) * plan.policy.headroom * planned.weight),
    scaleDownCooldownSeconds: Math.round(windowMinutes * 60),
    nodeScaleDownDelayMinutes: NODE_SCALE_DOWN_DELAY_MINUTES,
  };
}

/**
 * Replica-seconds one request of the model takes on average over its planned demand: its prompt at the prefill rate
 * plus its completion at the decode rate, as the planner counts replicas (`replicasFor`).
 */
export function replicaSecondsPerRequest(model: Pick<ModelPlan, "profile" | "throughput">): number {
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  const requests = sum(model.profile.requestsPerSecond);
  if (!(requests > 0)) throw new Error("replicaSecondsPerRequest: the model's profile has no requests");
  return sum(model.profile.inputTokensPerSecond) / requests / model.throughput.prefillTokensPerSecond + sum(model.profile.outputTokensPerSecond) / requests / model.throughput.decodeTokensPerSecond;
}
