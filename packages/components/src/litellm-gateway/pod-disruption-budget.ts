import type * as k8s from "@pulumi/kubernetes";
import type { ResolvedLiteLLMGateway } from "./resolve";

/** One proxy at a time may be evicted: drains proceed while the others keep serving. */
export function gatewayPodDisruptionBudgetSpec(r: ResolvedLiteLLMGateway): k8s.policy.v1.PodDisruptionBudgetArgs {
  return {
    metadata: { name: r.objectNames.podDisruptionBudget, namespace: r.namespace, labels: r.labels },
    spec: { maxUnavailable: 1, selector: { matchLabels: r.selector } },
  };
}
