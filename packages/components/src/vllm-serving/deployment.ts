import type * as k8s from "@pulumi/kubernetes";
import { hardenedContainer } from "../internal/security";
import type { ResolvedProbe, ResolvedVllmServing } from "./resolve";
import { formatGiB } from "./resolve";

/** pulumi-kubernetes' annotation that skips the readiness wait, for a tier that may sit at zero replicas (awaitReady). */
export function skipAwaitUnlessReady(r: ResolvedVllmServing): { annotations?: Record<string, string> } {
  return r.awaitReady ? {} : { annotations: { "pulumi.com/skipAwait": "true" } };
}

/**
 * The vLLM Deployment: explicit `vllm serve` command, GPU limit = tensor-parallel size, memory-backed
 * `/dev/shm`, a startup probe sized to the cold-start budget, and no `replicas` when a scaler owns them.
 */
export function deploymentSpec(r: ResolvedVllmServing): k8s.apps.v1.DeploymentArgs {
  return {
    metadata: { name: r.objectNames.deployment, namespace: r.namespace, labels: r.labels, ...skipAwaitUnlessReady(r) },
    spec: {
      ...(r.replicas !== undefined ? { replicas: r.replicas } : {}),
      selector: { matchLabels: r.selector },
      // Surge only into GPUs the pool has free at maxReplicas, stop old pods first for the rest: a surge pod
      // with no free GPUs stays Pending and the rollout never completes (rolloutStrategy).
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: r.rollout.maxSurge, maxUnavailable: r.rollout.maxUnavailable } },
      // The default 600 s would mark every large-model rollout as failed while it is still loading; the deadline
      // counts from the last progress, so it covers one wave of cold starts.
      progressDeadlineSeconds: r.rolloutTimeoutSeconds,
      revisionHistoryLimit: 5,
      template: {
        metadata: { labels: r.podLabels },
        spec: podSpec(r),
      },
    },
  };
}

function podSpec(r: ResolvedVllmServing): k8s.types.input.core.v1.PodSpec {
  return {
    // vLLM never talks to the Kubernetes API.
    automountServiceAccountToken: false,
    // Service links would inject VLLM_PORT=tcp://... for a Service named "vllm", which vLLM reads as its own setting.
    enableServiceLinks: false,
    terminationGracePeriodSeconds: r.terminationGracePeriodSeconds,
    nodeSelector: r.nodeSelector,
    tolerations: r.tolerations,
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: r.selector } },
    ],
    securityContext: { seccompProfile: { type: "RuntimeDefault" } },
    ...(r.initContainers.length > 0 ? { initContainers: r.initContainers } : {}),
    containers: [
      {
        name: "vllm",
        image: r.image,
        imagePullPolicy: "IfNotPresent",
        // Set explicitly: newer images have ENTRYPOINT ["vllm","serve"], older ones the api_server module.
        command: r.command,
        args: r.args,
        ports: [{ name: "http", containerPort: r.port, protocol: "TCP" }],
        env: r.env,
        resources: {
          requests: {
            cpu: String(r.resources.cpuCores),
            memory: formatGiB(r.resources.memoryLimitGiB),
            "nvidia.com/gpu": String(r.resources.gpus),
            // The Hub download volume counts here: the scheduler fits replicas to the node's disk, not just its GPUs.
            "ephemeral-storage": formatGiB(r.resources.ephemeralStorageGiB),
          },
          // No CPU limit: throttling starves tokenization. Memory, GPUs and local disk: limit = request.
          limits: { memory: formatGiB(r.resources.memoryLimitGiB), "nvidia.com/gpu": String(r.resources.gpus), "ephemeral-storage": formatGiB(r.resources.ephemeralStorageGiB) },
        },
        volumeMounts: r.volumeMounts,
        startupProbe: probe(r.probes.startup),
        readinessProbe: probe(r.probes.readiness),
        livenessProbe: probe(r.probes.liveness),
        // The upstream vLLM image runs as root: only the common hardening applies (not non-root, not read-only).
        securityContext: hardenedContainer(),
      },
    ],
    volumes: r.volumes,
  };
}

function probe(p: ResolvedProbe): k8s.types.input.core.v1.Probe {
  return {
    httpGet: { path: p.path, port: "http" },
    periodSeconds: p.periodSeconds,
    failureThreshold: p.failureThreshold,
    timeoutSeconds: p.timeoutSeconds,
    successThreshold: 1,
  };
}
