import type { Taint, TaintEffect } from "../contracts";

/**
 * The EKS managed node group API and the GKE node pool API both spell taint effects in upper snake case,
 * unlike Kubernetes, Karpenter and CoreWeave (provider-facts §0 row 7).
 */
const UPPER_SNAKE_TAINT_EFFECT: Record<TaintEffect, string> = {
  NoSchedule: "NO_SCHEDULE",
  PreferNoSchedule: "PREFER_NO_SCHEDULE",
  NoExecute: "NO_EXECUTE",
};

/** Taints in the cloud-API spelling that EKS and GKE node pools take. */
export function upperSnakeTaints(taints: Taint[]): { key: string; value: string; effect: string }[] {
  return taints.map((t) => ({ key: t.key, value: t.value, effect: UPPER_SNAKE_TAINT_EFFECT[t.effect] }));
}
