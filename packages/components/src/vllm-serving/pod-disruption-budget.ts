import type * as k8s from "@pulumi/kubernetes";
import type { ResolvedVllmServing } from "./resolve";

/**
 * `maxUnavailable` of one node's worth of replicas (`disruptionBudgetMaxUnavailable`), never `minAvailable`: a drain
 * evicts all the pods of its node, and on a full or single-node pool their replacements cannot start elsewhere, so a
 * smaller budget would stop the drain after the first eviction for good. `AlwaysAllow` lets pods that serve nothing
 * (not Ready: crash-looping, or stuck loading) be evicted even when the budget is spent, so a broken revision cannot
 * block a drain either (policy/v1 `unhealthyPodEvictionPolicy`, GA in Kubernetes 1.31, on by default since 1.27).
 * Redundancy lives at the gateway (several backends per model group).
 */
export function podDisruptionBudgetSpec(r: ResolvedVllmServing): k8s.policy.v1.PodDisruptionBudgetArgs {
  return {
    metadata: { name: r.objectNames.podDisruptionBudget, namespace: r.namespace, labels: r.labels },
    spec: { maxUnavailable: r.disruptionBudgetMaxUnavailable, unhealthyPodEvictionPolicy: "AlwaysAllow", selector: { matchLabels: r.selector } },
  };
}
