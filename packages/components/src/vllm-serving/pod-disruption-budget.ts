import type * as k8s from "@pulumi/kubernetes";
import type { ResolvedVllmServing } from "./resolve";

/**
 * `maxUnavailable: 1`, never `minAvailable`: with one replica a `minAvailable: 1` budget would block every
 * node drain. Redundancy lives at the gateway (several backends per model group).
 */
export function podDisruptionBudgetSpec(r: ResolvedVllmServing): k8s.policy.v1.PodDisruptionBudgetArgs {
  return {
    metadata: { name: r.objectNames.podDisruptionBudget, namespace: r.namespace, labels: r.labels },
    spec: { maxUnavailable: 1, selector: { matchLabels: r.selector } },
  };
}
