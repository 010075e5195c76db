/**
 * What each autoscaled tier's scaler is deployed with, decided once from the plan: the stacks hand it to
 * VllmServing's KEDA scaler, and `simulate` runs the same rule and window (test/environments/scaler-drift.test.ts
 * fails if the rendered ScaledObjects and this disagree).
 */
import { inFlightTargetPerReplica } from "@switchyard/catalog";
import type { FleetPlan, ModelPlan } from "./types";

export interface TierScaler {
  /**
   * Requests in flight (running + waiting) per replica the scaler aims for: the model's per-replica concurrency at
   * its SLO over the policy's headroom, so the replicas it wants are the planner's `replicasWanted` of the load.
   */
  targetInFlightPerReplica: number;
  /** How long a tier keeps replicas after its load falls (HPA scale-down window, KEDA cooldown before zero). */
  scaleDownCooldownSeconds: number;
  /**
   * How long the node autoscaler keeps a node its pods left before removing it: the Cluster Autoscaler's default
   * `--scale-down-unneeded-time` (GKE, and EKS node groups under it). Not deployed by Switchyard: Karpenter's
   * `consolidateAfter` as GpuNodePool sets it is 5 minutes, and CoreWeave does not publish its autoscaler's.
   */
  nodeScaleDownDelayMinutes: number;
}

/** The Cluster Autoscaler's default `--scale-down-unneeded-time`, in minutes. */
export const NODE_SCALE_DOWN_DELAY_MINUTES = 10;

export function tierScaler(plan: Pick<FleetPlan, "policy">, model: Pick<ModelPlan, "concurrentRequestsPerReplica">): TierScaler {
  return {
    targetInFlightPerReplica: inFlightTargetPerReplica(model.concurrentRequestsPerReplica, plan.policy.headroom),
    scaleDownCooldownSeconds: Math.round(plan.policy.simulation.scaleDownDelayMinutes * 60),
    nodeScaleDownDelayMinutes: NODE_SCALE_DOWN_DELAY_MINUTES,
  };
}
