import type * as k8s from "@pulumi/kubernetes";
import { HPA_IN_FLIGHT_METRIC, MINUTES_PER_WEEK } from "./resolve";
import type { ResolvedAutoscaling, ResolvedVllmServing } from "./resolve";
import type { VllmSecretKeyRef } from "./args";

/** The time zone of the schedule's cron triggers: minute of week 0 is Monday 00:00 in it. */
export const SCHEDULE_TIMEZONE = "UTC";

/**
 * The cron expression (minute hour day-of-month month day-of-week) that fires once a week at `minuteOfWeek`, counted
 * from Monday 00:00 (10080 is the next Monday 00:00). Cron counts days of the week from Sunday = 0, so Monday is 1.
 */
export function minuteOfWeekCron(minuteOfWeek: number): string {
  const m = ((minuteOfWeek % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  const day = Math.floor(m / 1440);
  return `${m % 60} ${Math.floor((m % 1440) / 60)} * * ${(day + 1) % 7}`;
}

/**
 * One KEDA `cron` trigger per schedule window. KEDA holds `desiredReplicas` while the end's next firing comes before
 * the start's (the scaler compares the two next times: kedacore/keda pkg/scalers/cron_scaler.go), that is from a start
 * to the end that follows it, so a window across the week's end (Sunday into Monday) is one trigger like any other.
 * Outside its window a cron trigger reports 1 replica and is inactive: no floor beyond the Deployment's own minimum.
 */
function scheduleTriggers(a: ResolvedAutoscaling): Record<string, unknown>[] {
  return a.schedule.map((w, i) => ({
    type: "cron",
    name: `schedule-${i}`,
    metadata: { timezone: SCHEDULE_TIMEZONE, start: minuteOfWeekCron(w.startMinuteOfWeek), end: minuteOfWeekCron(w.endMinuteOfWeek), desiredReplicas: String(w.minReplicas) },
  }));
}

/**
 * KEDA ScaledObject (keda.sh/v1alpha1) scaling on requests in flight per replica; with `minReplicas: 0` a
 * second, gateway-side trigger wakes the deployment, because vLLM exports nothing at zero replicas; and one cron
 * trigger per window of the weekly schedule, a floor the HPA scales above.
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
        ...scheduleTriggers(a),
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
