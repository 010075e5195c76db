import type * as k8s from "@pulumi/kubernetes";
import type { ResolvedLiteLLMGateway } from "./resolve";

/**
 * One proxy at a time may be evicted: drains proceed while the others keep serving. The replicas sit on different
 * nodes (hostname spread, DoNotSchedule), so a drain meets one of them and its replacement starts on another CPU
 * node; only a one-node cluster would hold the second eviction, and there a drain stops the front door anyway.
 * `AlwaysAllow`: a proxy that is not Ready serves nothing, so evicting it never needs budget (GA in Kubernetes 1.31).
 */
export function gatewayPodDisruptionBudgetSpec(r: ResolvedLiteLLMGateway): k8s.policy.v1.PodDisruptionBudgetArgs {
  return {
    metadata: { name: r.objectNames.podDisruptionBudget, namespace: r.namespace, labels: r.labels },
    spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow", selector: { matchLabels: r.selector } },
  };
}
