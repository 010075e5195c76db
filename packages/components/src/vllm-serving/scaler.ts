import type * as k8s from "@pulumi/kubernetes";
import { HPA_IN_FLIGHT_METRIC } from "./resolve";
import type { ResolvedAutoscaling, ResolvedVllmServing } from "./resolve";
import type { VllmSecretKeyRef } from "./args";

/**
 * KEDA ScaledObject (keda.sh/v1alpha1) scaling on requests in flight per replica; with `minReplicas: 0` a
 * second, gateway-side trigger wakes the deployment, because vLLM exports nothing at zero replicas.
 */
export function scaledObjectSpec(r: ResolvedVllmServing, a: ResolvedAutoscaling): k8s.apiextensions.CustomResourceArgs {
  const serverAddress = a.prometheusServerUrl ?? "";
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: r.objectNames.scaler, namespace: r.namespace, labels: r.labels },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: r.objectNames.deployment },
      minReplicaCount: r.minReplicas,
      maxReplicaCount: r.maxReplicas,
      pollingInterval: a.pollingIntervalSeconds,
      // KEDA's cooldownPeriod applies only to the last step, 1 → 0; the HPA behaviour below covers N → M.
      cooldownPeriod: a.scaleDownCooldownSeconds,
      advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: a.scaleDownCooldownSeconds } } } },
      triggers: [
        {
          type: "prometheus",
          name: "in-flight",
          // threshold is an AverageValue target: requests in flight per replica.
          metadata: { serverAddress, query: a.inFlightQuery, threshold: String(a.targetInFlightPerReplica) },
        },
        ...(a.wake !== undefined
          ? [
              {
                type: "prometheus",
                name: "wake",
                metadata: {
                  serverAddress: a.wake.prometheusServerUrl,
                  query: a.wake.query,
                  threshold: String(a.wake.threshold),
                  activationThreshold: "0",
                  ...(a.wake.bearerTokenSecret ? { authModes: "bearer" } : {}),
                },
                ...(a.wake.bearerTokenSecret ? { authenticationRef: { name: r.objectNames.wakeAuthentication } } : {}),
              },
            ]
          : []),
      ],
    },
  };
}

/**
 * KEDA TriggerAuthentication handing the wake trigger its bearer token from an existing Secret, for a Prometheus
 * outside the cluster (the gateway's, behind an authenticated endpoint).
 */
export function wakeAuthenticationSpec(r: ResolvedVllmServing, token: VllmSecretKeyRef): k8s.apiextensions.CustomResourceArgs {
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "TriggerAuthentication",
    metadata: { name: r.objectNames.wakeAuthentication, namespace: r.namespace, labels: r.labels },
    spec: { secretTargetRef: [{ parameter: "bearerToken", name: token.name, key: token.key }] },
  };
}

/**
 * autoscaling/v2 HPA on the per-pod metric `vllm_num_requests_in_flight`, averaged over the replicas. It
 * needs a custom-metrics adapter (e.g. prometheus-adapter) that exposes vLLM's `vllm:num_requests_running` +
 * `vllm:num_requests_waiting` under that name for each pod; without one the HPA reports `FailedGetPodsMetric` and
 * never scales.
 */
export function horizontalPodAutoscalerSpec(r: ResolvedVllmServing, a: ResolvedAutoscaling): k8s.autoscaling.v2.HorizontalPodAutoscalerArgs {
  return {
    metadata: { name: r.objectNames.scaler, namespace: r.namespace, labels: r.labels },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: r.objectNames.deployment },
      minReplicas: r.minReplicas,
      maxReplicas: r.maxReplicas,
      metrics: [
        {
          type: "Pods",
          pods: { metric: { name: HPA_IN_FLIGHT_METRIC }, target: { type: "AverageValue", averageValue: String(a.targetInFlightPerReplica) } },
        },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: a.scaleDownCooldownSeconds } },
    },
  };
}
