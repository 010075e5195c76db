import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import {
  COMMIT_SHA,
  DEFAULT_GPU_MEMORY_UTILIZATION,
  DTYPES,
  HUGGING_FACE_REPO_ID,
  VLLM_QUANTIZATIONS,
  WEIGHT_SHARE_OF_GPU_BUDGET,
  disruptionBudgetMaxUnavailable,
  divisors,
  gpuWeights,
  hubDownloadGiB,
  modelWeightGB,
  replicaCostPerHour as replicaShareOfNode,
  replicaGpuBudgetGiB,
  replicasPerNode,
  rolloutStrategy,
  tensorParallelProblem,
  vllmEphemeralStorageGiB,
  weightsFit,
} from "@switchyard/catalog";
import type { Dtype, RolloutStrategy, VllmQuantization } from "@switchyard/catalog";
import type { Backend, Placement, WeightSource } from "../contracts";
import { IMAGE_REFERENCE, isPinnedImage } from "../internal/images";
import { ArgChecks, isKnown, oneOf } from "../internal/errors";
import { LABEL_PREFIX, componentLabels } from "../internal/labels";
import { DNS1123_HINT, isDns1123Label, isLabelKey, isLabelValue } from "../internal/names";
import { AUTOSCALING_MODES } from "./args";
import type {
  AutoscalingMode,
  VllmAutoscalingArgs,
  VllmGatewayArgs,
  VllmIngressArgs,
  VllmPeerArgs,
  VllmScheduleWindowArgs,
  VllmSecretKeyRef,
  VllmServingArgs,
  VllmWakeArgs,
} from "./args";

/**
 * The wake trigger's default threshold: so high that it never asks for more than one replica. It then only decides
 * activation (0 ↔ 1) through `activationThreshold`, and the in-flight trigger does the scaling beyond one.
 */
export const WAKE_TRIGGER_THRESHOLD = 1_000_000;
/** Port vLLM listens on (its default) and the Service exposes. */
export const VLLM_PORT = 8000;
/** Key of the API key inside the `${name}-api-key` Secret. */
export const API_KEY_SECRET_KEY = "api-key";
/** Name of the pod-level custom metric the HPA mode reads: a metrics adapter's sum of vLLM's running and waiting gauges. */
export const HPA_IN_FLIGHT_METRIC = "vllm_num_requests_in_flight";
export { WEIGHT_SHARE_OF_GPU_BUDGET };
/** Startup probe period; its failureThreshold is the cold-start budget divided by this. */
export const STARTUP_PROBE_PERIOD_SECONDS = 10;
/** Generated API keys: long, and without symbols that need quoting in headers or env files. */
export const GENERATED_API_KEY_LENGTH = 48;
/**
 * Default ingress read/send timeout: 2.5 × the gateway's default request timeout (120 s), so the gateway, not a
 * 504 from the ingress, ends a slow completion, and its timeout can be raised to 4 minutes without touching this.
 */
export const DEFAULT_INGRESS_PROXY_TIMEOUT_SECONDS = 300;

const COMPONENT = "VllmServing";
const LABEL_NAME = "vllm-serving";
/** `${name}-api-key` must stay a valid object name (≤ 63). */
const NAME_MAX = 63 - "-api-key".length;
/** Service names are DNS-1035 labels: they must start with a letter. */
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Served names end up in URLs, metric labels and PromQL strings: keep them DNS-like. */
const SERVED_MODEL_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const HTTP_URL = /^https?:\/\/[^\s/]+(\/\S*)?$/;

/**
 * Flags `extraArgs` may never carry: remote code from the model repo (CVE-2025-66448, CVE-2026-22807),
 * a key visible in the pod spec and `ps`, unauthenticated debug endpoints, and a config file that could
 * set any of these. Source: shared/reference/security-and-reliability.md §4.2–4.3.
 */
const FORBIDDEN_FLAGS: Readonly<Record<string, string>> = {
  "--trust-remote-code": "runs code from the model repository; Switchyard never enables it",
  "--api-key": "would put the key in the pod spec; the key comes from the apiKey arg through a Secret (VLLM_API_KEY)",
  "--enable-tokenizer-info-endpoint": "opens an unauthenticated endpoint",
  "--profiler-config": "opens unauthenticated profiler endpoints",
  "--config": "could set any flag, including the forbidden ones; use typed args or individual flags",
};

/** Flags a typed arg owns, with the arg to use instead. */
const OWNED_FLAGS: Readonly<Record<string, string>> = {
  "--model": "model.id or weightSource",
  "--served-model-name": "model.servedModelName",
  "--tensor-parallel-size": "tensorParallelSize",
  "-tp": "tensorParallelSize",
  "--gpu-memory-utilization": "gpuMemoryUtilization",
  "--max-model-len": "maxModelLen",
  "--revision": "model.revision",
  "--load-format": "weightSource.loadFormat",
  "--quantization": "quantization",
  "-q": "quantization",
  "--enable-prefix-caching": "enablePrefixCaching",
  "--no-enable-prefix-caching": "enablePrefixCaching",
  "--port": "nothing (vLLM always listens on 8000)",
  "--host": "nothing (vLLM always binds 0.0.0.0 inside the pod; the NetworkPolicy guards it)",
  "--download-dir": "nothing (Hub downloads go to HF_HOME on the hf-cache volume, sized from model.weightsGB)",
};

/** Environment variables VllmServing sets itself. */
const OWNED_ENV = ["VLLM_API_KEY", "HF_TOKEN", "VLLM_NO_USAGE_STATS", "HF_HOME", "HF_XET_CHUNK_CACHE_SIZE_BYTES"] as const;
const SHM_VOLUME = "dshm";
/** The emptyDir a replica downloads a Hub checkpoint into, and where it is mounted (`HF_HOME`). */
export const HF_CACHE_VOLUME = "hf-cache";
export const HF_HOME_PATH = "/var/cache/huggingface";

export interface ResolvedProbe {
  path: string;
  periodSeconds: number;
  failureThreshold: number;
  timeoutSeconds: number;
}

export interface ResolvedAutoscaling {
  mode: AutoscalingMode;
  /** Set in `keda` mode only. */
  prometheusServerUrl: string | undefined;
  /** PromQL for this deployment's requests in flight (running + waiting), summed over its replicas. */
  inFlightQuery: string;
  targetInFlightPerReplica: number;
  /** The Prometheus pods the NetworkPolicy admits to scrape vLLM's /metrics. */
  metricsScraper: VllmPeerArgs;
  /** Set only when scaling to zero (KEDA). */
  wake: { query: string; threshold: number; prometheusServerUrl: string; bearerTokenSecret: VllmSecretKeyRef | undefined } | undefined;
  pollingIntervalSeconds: number;
  scaleDownCooldownSeconds: number;
  /** Weekly floors, one KEDA cron trigger each (`keda` mode; empty otherwise). */
  schedule: VllmScheduleWindowArgs[];
}

export interface ResolvedResources {
  gpus: number;
  cpuCores: number;
  /** Memory for the vLLM process, without `/dev/shm`. */
  processMemoryGiB: number;
  shmSizeGiB: number;
  /** Container memory request = limit: the process plus `/dev/shm`, which is charged to the same cgroup. */
  memoryLimitGiB: number;
  /**
   * Container `ephemeral-storage` request = limit: the `hf-cache` volume when vLLM downloads from the Hub (emptyDir
   * usage counts against the pod's limit, the sum of its containers'), plus scratch (`vllmEphemeralStorageGiB`).
   */
  ephemeralStorageGiB: number;
}

export type ResolvedIngress = VllmIngressArgs & { proxyTimeoutSeconds: number };

export interface ResolvedVllmServing {
  name: string;
  namespace: string;
  /** Labels on every object. */
  labels: Record<string, string>;
  /** Labels on the pods (the selector plus the served model). */
  podLabels: Record<string, string>;
  /** Immutable Deployment selector; also what the Service, PDB and NetworkPolicy select. */
  selector: Record<string, string>;
  /** `metadata.name` of each Kubernetes object. */
  objectNames: {
    apiKeySecret: string;
    deployment: string;
    service: string;
    podDisruptionBudget: string;
    scaler: string;
    /** KEDA TriggerAuthentication of the wake trigger, when it has a bearer token. */
    wakeAuthentication: string;
    networkPolicy: string;
    ingress: string;
  };
  image: string;
  port: number;
  command: string[];
  args: string[];
  /** What vLLM loads: the hub repo id, a path or an object-store URI. */
  modelPath: string;
  /** True when vLLM downloads from the Hugging Face Hub (and so gets `--revision`). */
  loadsFromHub: boolean;
  revision: string | undefined;
  loadFormat: string | undefined;
  servedModelName: string;
  tensorParallelSize: number;
  gpuMemoryUtilization: number;
  maxModelLen: number | undefined;
  quantization: VllmQuantization | undefined;
  enablePrefixCaching: boolean;
  /** The dtype weights occupy in GPU memory (the checkpoint's, or the quantization's when smaller). */
  weightDtype: Dtype;
  weightGiB: number;
  /** GPU memory vLLM takes for one replica: TP × GPU memory × utilization. */
  gpuBudgetGiB: number;
  /** Size of the checkpoint files in decimal GB: `model.weightsGB`, or parameters × bytes of `model.dtype`. */
  checkpointGB: number;
  /** `sizeLimit` (GiB) of the `hf-cache` volume vLLM downloads the checkpoint into; undefined when it downloads nothing. */
  hubDownloadGiB: number | undefined;
  env: k8s.types.input.core.v1.EnvVar[];
  volumes: k8s.types.input.core.v1.Volume[];
  volumeMounts: k8s.types.input.core.v1.VolumeMount[];
  initContainers: k8s.types.input.core.v1.Container[];
  nodeSelector: Record<string, string>;
  tolerations: k8s.types.input.core.v1.Toleration[];
  resources: ResolvedResources;
  coldStartBudgetSeconds: number;
  probes: { startup: ResolvedProbe; readiness: ResolvedProbe; liveness: ResolvedProbe };
  terminationGracePeriodSeconds: number;
  /** How long a rollout may take (scheduling, image pull and cold start): progress deadline and Pulumi's wait. */
  rolloutTimeoutSeconds: number;
  /** The same as a Pulumi custom timeout, in whole minutes (`52m`): Pulumi's wait for a create, where all pods start at once. */
  rolloutTimeout: string;
  /** Pulumi's wait for an update: one rollout timeout per wave of the rolling update, in whole minutes. */
  updateTimeout: string;
  /** The Deployment's rolling update, from the room the pool leaves (see `rolloutStrategy`). */
  rollout: RolloutStrategy;
  /** The PodDisruptionBudget's `maxUnavailable`: one node's worth of replicas (see `disruptionBudgetMaxUnavailable`). */
  disruptionBudgetMaxUnavailable: number;
  minReplicas: number;
  maxReplicas: number;
  /** Deployment `replicas`; undefined when a scaler owns it. */
  replicas: number | undefined;
  /**
   * Whether `pulumi up` waits for the Deployment and Service to be ready: not for a tier its scaler may keep at zero
   * (nothing to wait for until load wakes it, and a first `up` must not boot a node per burst tier and wait on it).
   */
  awaitReady: boolean;
  autoscaling: ResolvedAutoscaling | undefined;
  /** The caller's key, or undefined to generate one. */
  apiKey: pulumi.Input<string> | undefined;
  gateway: VllmGatewayArgs;
  ingress: ResolvedIngress | undefined;
  /** In-cluster base URL, ending in `/v1`. */
  endpoint: string;
  /** `https://<host>/v1` when an Ingress exists. */
  externalEndpoint: string | undefined;
  backend: Backend;
}

/**
 * Validates VllmServing's arguments and fills the derived defaults. Throws one
 * `pulumi.InputPropertiesError` listing every problem; pure, so tests call it without mocks.
 */
export function resolveVllmServingArgs(name: string, args: VllmServingArgs): ResolvedVllmServing {
  const checks = new ArgChecks(COMPONENT, name);
  checks.check(
    name.length <= NAME_MAX && DNS1035_LABEL.test(name),
    "name",
    name,
    `must be a DNS-1035 label of at most ${NAME_MAX} characters (lowercase letters, digits and '-', starting with a letter) because it names the Service and the "-api-key" Secret`,
  );
  checks.check(isDns1123Label(args.namespace ?? ""), "namespace", args.namespace, DNS1123_HINT);
  const placementOk = checkPlacement(checks, args.placement);
  checkImage(checks, args.image);
  const modelOk = checkModel(checks, args);
  const source = resolveWeightSource(checks, args);

  const tensorParallelSize = args.tensorParallelSize ?? 1;
  const tpOk = checkTensorParallelSize(checks, tensorParallelSize, args.placement, placementOk);
  const gpuMemoryUtilization = args.gpuMemoryUtilization ?? DEFAULT_GPU_MEMORY_UTILIZATION;
  const utilizationOk = checks.check(
    typeof gpuMemoryUtilization === "number" && gpuMemoryUtilization > 0 && gpuMemoryUtilization < 1,
    "gpuMemoryUtilization",
    gpuMemoryUtilization,
    "must be a fraction between 0 and 1 (exclusive), e.g. 0.9",
  );
  if (args.maxModelLen !== undefined) {
    checks.check(Number.isInteger(args.maxModelLen) && args.maxModelLen >= 1, "maxModelLen", args.maxModelLen, "must be a whole number of tokens ≥ 1, e.g. 8192");
  }
  const quantizationOk =
    args.quantization === undefined ||
    checks.check((VLLM_QUANTIZATIONS as readonly string[]).includes(args.quantization), "quantization", args.quantization, `must be ${oneOf(VLLM_QUANTIZATIONS)}`);
  const enablePrefixCaching = args.enablePrefixCaching ?? true;
  checkExtraArgs(checks, args.extraArgs ?? []);

  const weights = modelOk && quantizationOk ? effectiveWeights(args) : undefined;
  const gpuBudgetGiB = placementOk && tpOk && utilizationOk ? replicaGpuBudgetGiB(tensorParallelSize, args.placement.gpuMemoryGiB, gpuMemoryUtilization) : undefined;
  if (weights && gpuBudgetGiB !== undefined) checkFit(checks, args, weights, tensorParallelSize, gpuMemoryUtilization);

  const minReplicas = args.minReplicas ?? 1;
  checkReplicas(checks, args, minReplicas);
  if (placementOk && tpOk) checkPoolHoldsReplicas(checks, args, tensorParallelSize);
  // Scaled on this deployment's own queue: vLLM labels its metrics with the first served name, this deployment's.
  const autoscaling = args.autoscaling ? resolveAutoscaling(checks, args.autoscaling, minReplicas, args.maxReplicas, name, args.backend?.concurrentRequestsPerReplica) : undefined;
  checkApiKey(checks, args.apiKey);
  checkPeer(checks, args.gateway, "gateway", "the namespace and pod labels of the gateway that calls vLLM");
  if (args.ingress) checkIngress(checks, args.ingress);
  if (args.coldStartBudgetSeconds !== undefined) {
    checks.check(
      Number.isInteger(args.coldStartBudgetSeconds) && args.coldStartBudgetSeconds >= 60 && args.coldStartBudgetSeconds <= 86_400,
      "coldStartBudgetSeconds",
      args.coldStartBudgetSeconds,
      "must be a whole number of seconds between 60 and 86400; large models need many minutes (the default is max(1200, 600 + 10 × weight GiB))",
    );
  }
  checkResources(checks, args);
  const apiKeySecretEnv = args.backend?.apiKeySecretEnv ?? defaultApiKeySecretEnv(name);
  checkBackend(checks, args);
  checkWeightSourceCollisions(checks, args.weightSource, args.hfTokenSecret !== undefined);

  checks.throwIfAny();

  // Every check passed: the model, placement and budget are all known.
  const w = weights as { dtype: Dtype; gib: number };
  const model = args.model;
  const placement = args.placement;
  const selector = componentLabels(LABEL_NAME, name);
  const labels = { ...selector };
  const podLabels = { ...selector, [`${LABEL_PREFIX}/served-model`]: model.servedModelName };
  const objectNames = {
    apiKeySecret: `${name}-api-key`,
    deployment: name,
    service: name,
    podDisruptionBudget: name,
    scaler: name,
    wakeAuthentication: `${name}-wake`,
    networkPolicy: name,
    ingress: name,
  };
  const coldStartBudgetSeconds = args.coldStartBudgetSeconds ?? defaultColdStartBudgetSeconds(w.gib);
  const checkpointGB = model.weightsGB ?? modelWeightGB(model.parameterCountBillions, model.dtype);
  // Only a Hub download writes weights to local disk; streamed and node-cached weights do not.
  const hubDownload = source.loadsFromHub ? hubDownloadGiB(checkpointGB) : undefined;
  const resources = resolveResources(tensorParallelSize, args, source.loadsFromHub ? checkpointGB : undefined);
  const endpoint = `http://${objectNames.service}.${args.namespace}.svc.cluster.local:${VLLM_PORT}/v1`;
  const externalEndpoint = args.ingress ? `https://${args.ingress.host}/v1` : undefined;
  const maxReplicas = args.maxReplicas;
  const rollout = rolloutStrategy({ gpusPerNode: placement.gpusPerNode, tensorParallelSize, maxReplicas, poolMaxNodes: placement.maxNodes });

  return {
    name,
    namespace: args.namespace,
    labels,
    podLabels,
    selector,
    objectNames,
    image: args.image,
    port: VLLM_PORT,
    command: ["vllm", "serve"],
    args: vllmArgs({
      modelPath: source.modelPath,
      servedModelNames: servedModelNames(name, model.servedModelName),
      tensorParallelSize,
      gpuMemoryUtilization,
      maxModelLen: args.maxModelLen,
      revision: source.revision,
      loadFormat: source.loadFormat,
      quantization: args.quantization,
      enablePrefixCaching,
      extraArgs: args.extraArgs ?? [],
    }),
    modelPath: source.modelPath,
    loadsFromHub: source.loadsFromHub,
    revision: source.revision,
    loadFormat: source.loadFormat,
    servedModelName: model.servedModelName,
    tensorParallelSize,
    gpuMemoryUtilization,
    maxModelLen: args.maxModelLen,
    quantization: args.quantization,
    enablePrefixCaching,
    weightDtype: w.dtype,
    weightGiB: w.gib,
    gpuBudgetGiB: gpuBudgetGiB as number,
    checkpointGB,
    hubDownloadGiB: hubDownload,
    env: containerEnv(objectNames.apiKeySecret, args, hubDownload !== undefined),
    volumes: [
      { name: SHM_VOLUME, emptyDir: { medium: "Memory", sizeLimit: formatGiB(resources.shmSizeGiB) } },
      // On the node's ephemeral storage (local NVMe where the pool puts the kubelet there), not the container layer.
      ...(hubDownload !== undefined ? [{ name: HF_CACHE_VOLUME, emptyDir: { sizeLimit: formatGiB(hubDownload) } }] : []),
      ...(args.weightSource?.volumes ?? []),
    ],
    volumeMounts: [
      { name: SHM_VOLUME, mountPath: "/dev/shm" },
      ...(hubDownload !== undefined ? [{ name: HF_CACHE_VOLUME, mountPath: HF_HOME_PATH }] : []),
      ...(args.weightSource?.volumeMounts ?? []),
    ],
    initContainers: args.weightSource?.initContainers ?? [],
    nodeSelector: { ...placement.nodeSelector },
    tolerations: placement.tolerations.map((t) => ({
      key: t.key,
      operator: t.operator,
      ...(t.value !== undefined ? { value: t.value } : {}),
      ...(t.effect !== undefined ? { effect: t.effect } : {}),
    })),
    resources,
    coldStartBudgetSeconds,
    probes: {
      // The server does not listen until the model is loaded (connection refused for minutes), so only
      // the startup probe carries the cold-start budget; liveness starts after it succeeds.
      startup: { path: "/health", periodSeconds: STARTUP_PROBE_PERIOD_SECONDS, failureThreshold: Math.ceil(coldStartBudgetSeconds / STARTUP_PROBE_PERIOD_SECONDS), timeoutSeconds: 5 },
      // Readiness reacts fast (15 s) so the Service stops sending to a dead engine (503 on /health).
      readiness: { path: "/health", periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 3 },
      // Liveness is slow and tolerant (60 s): a busy engine can answer /health late, and a restart costs a cold start.
      liveness: { path: "/health", periodSeconds: 15, failureThreshold: 4, timeoutSeconds: 10 },
    },
    // Lets short in-flight generations finish; the gateway retries the rest. Spot notices are shorter anyway.
    terminationGracePeriodSeconds: 60,
    // 30 minutes for node provisioning, scheduling and a multi-GB image pull, on top of the cold start.
    rolloutTimeoutSeconds: coldStartBudgetSeconds + 1800,
    rolloutTimeout: `${Math.ceil((coldStartBudgetSeconds + 1800) / 60)}m`,
    updateTimeout: `${Math.ceil((rollout.waves * (coldStartBudgetSeconds + 1800)) / 60)}m`,
    rollout,
    disruptionBudgetMaxUnavailable: disruptionBudgetMaxUnavailable({ gpusPerNode: placement.gpusPerNode, tensorParallelSize, maxReplicas }),
    minReplicas,
    maxReplicas,
    replicas: autoscaling ? undefined : minReplicas,
    awaitReady: minReplicas > 0,
    autoscaling,
    apiKey: args.apiKey,
    gateway: args.gateway,
    ingress: args.ingress ? { ...args.ingress, proxyTimeoutSeconds: args.ingress.proxyTimeoutSeconds ?? DEFAULT_INGRESS_PROXY_TIMEOUT_SECONDS } : undefined,
    endpoint,
    externalEndpoint,
    backend: {
      name,
      provider: placement.provider,
      region: placement.region,
      capacityType: placement.capacityType,
      modelName: args.backend.modelName ?? model.servedModelName,
      servedModelName: model.servedModelName,
      baseUrl: externalEndpoint ?? endpoint,
      apiKeySecretEnv,
      costPerHour: replicaCostPerHour(placement, tensorParallelSize),
      // Without an autoscaler the replicas run, and are paid for, whether used or not: the gateway tries them first.
      fixed: args.autoscaling === undefined,
      ...(args.backend.concurrentRequestsPerReplica === undefined ? {} : { maxConcurrentRequests: args.backend.concurrentRequestsPerReplica * args.maxReplicas }),
      tokensPerSecond: args.backend.tokensPerSecond,
      expectedLatencyMs: args.backend.expectedLatencyMs,
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Derived defaults: each one a documented rule, exported so tests and docs can state it.

/**
 * Cold-start budget: 20 minutes floor, else 10 minutes for compile, CUDA graphs and profiling plus
 * 10 s per GiB of weights (≈ 100 MiB/s effective load), rounded up to the probe period. 8B bf16 → 1200 s,
 * 70B bf16 → 1910 s, 405B bf16 → 8150 s. (Measured cold starts: 5–11 min typical, one 37-min compile;
 * security-and-reliability.md §4.1.)
 */
export function defaultColdStartBudgetSeconds(weightGiB: number): number {
  const seconds = Math.max(1200, 600 + 10 * weightGiB);
  return Math.ceil(seconds / STARTUP_PROBE_PERIOD_SECONDS) * STARTUP_PROBE_PERIOD_SECONDS;
}

/** `/dev/shm` for NCCL and vLLM's shared-memory broadcast: 2 GiB per GPU, capped at 16 GiB. */
export function shmSizeGiB(gpus: number): number {
  return Math.min(2 * gpus, 16);
}

/** CPU request: one core for the API server plus two per GPU worker (fits a 4-vCPU single-L4 node). */
export function defaultCpuCores(gpus: number): number {
  return 1 + 2 * gpus;
}

/** Process memory: 6 GiB for the API server and tokenizer plus 4 GiB per GPU worker. */
export function defaultProcessMemoryGiB(gpus: number): number {
  return 6 + 4 * gpus;
}

/** `llama-8b` → `LLAMA_8B_API_KEY`. */
export function defaultApiKeySecretEnv(name: string): string {
  return `${name.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}_API_KEY`;
}

/** USD per hour of one replica: its share (TP of gpusPerNode GPUs) of the node's price (the catalog's rule). */
export function replicaCostPerHour(placement: Placement, tensorParallelSize: number): number {
  return replicaShareOfNode(placement.hourlyCostPerNode, placement.gpusPerNode, tensorParallelSize);
}

/** The weights in GPU memory (the catalog's rule): the checkpoint's dtype, or the quantization's when smaller. */
export function effectiveWeights(args: Pick<VllmServingArgs, "model" | "quantization">): { dtype: Dtype; gib: number } {
  return gpuWeights({ parameterCountBillions: args.model.parameterCountBillions, checkpointDtype: args.model.dtype, quantization: args.quantization });
}

/** Whether `model.id`-style strings are Hugging Face repo ids rather than paths or URIs. */
export function isHubRepoId(modelPath: string): boolean {
  return !modelPath.startsWith("/") && !modelPath.includes("://") && HUGGING_FACE_REPO_ID.test(modelPath);
}

// ---------------------------------------------------------------------------------------------------
// vLLM command line

interface VllmArgsInput {
  modelPath: string;
  /** What `--served-model-name` lists; the first names the metrics. */
  servedModelNames: string[];
  tensorParallelSize: number;
  gpuMemoryUtilization: number;
  maxModelLen: number | undefined;
  revision: string | undefined;
  loadFormat: string | undefined;
  quantization: VllmQuantization | undefined;
  enablePrefixCaching: boolean;
  extraArgs: string[];
}

/**
 * The names vLLM serves: this deployment's own name first, then the model's. vLLM labels its metrics with the first
 * (`model_name`, vllm/config `get_served_model_name`), so each deployment — each purchase tier of a model — has a
 * queue signal of its own to scale on, while clients and the gateway still ask for the model's name.
 */
/** PromQL for the requests in flight (running + waiting) in one deployment's vLLM servers: what its autoscaler scales on. */
export function inFlightQuery(deploymentName: string): string {
  return `sum({__name__=~"vllm:num_requests_running|vllm:num_requests_waiting",model_name="${deploymentName}"})`;
}

export function servedModelNames(deploymentName: string, servedModelName: string): string[] {
  return deploymentName === servedModelName ? [servedModelName] : [deploymentName, servedModelName];
}

function vllmArgs(a: VllmArgsInput): string[] {
  return [
    a.modelPath,
    "--served-model-name",
    ...a.servedModelNames,
    "--tensor-parallel-size",
    String(a.tensorParallelSize),
    "--gpu-memory-utilization",
    String(a.gpuMemoryUtilization),
    ...(a.maxModelLen !== undefined ? ["--max-model-len", String(a.maxModelLen)] : []),
    ...(a.revision !== undefined ? ["--revision", a.revision] : []),
    ...(a.loadFormat !== undefined ? ["--load-format", a.loadFormat] : []),
    ...(a.quantization !== undefined ? ["--quantization", a.quantization] : []),
    // On by default in the V1 engine, but the explicit flag survives default changes across versions.
    a.enablePrefixCaching ? "--enable-prefix-caching" : "--no-enable-prefix-caching",
    "--port",
    String(VLLM_PORT),
    "--host",
    "0.0.0.0",
    ...a.extraArgs,
  ];
}

function containerEnv(apiKeySecret: string, args: VllmServingArgs, hubCache: boolean): k8s.types.input.core.v1.EnvVar[] {
  return [
    // vLLM reads VLLM_API_KEY like --api-key, but the value never appears in the pod spec.
    { name: "VLLM_API_KEY", valueFrom: { secretKeyRef: { name: apiKeySecret, key: API_KEY_SECRET_KEY } } },
    ...(args.hfTokenSecret ? [{ name: "HF_TOKEN", valueFrom: { secretKeyRef: { name: args.hfTokenSecret.name, key: args.hfTokenSecret.key } } }] : []),
    // No usage telemetry from inference nodes.
    { name: "VLLM_NO_USAGE_STATS", value: "1" },
    ...(hubCache
      ? [
          // Everything huggingface_hub writes (weights, config, tokenizer) goes to the sized volume: vLLM's
          // --download-dir "defaults to the default cache dir of huggingface", $HF_HOME/hub (vLLM engine args docs).
          { name: "HF_HOME", value: HF_HOME_PATH },
          // hf_xet keeps a 10 GB chunk cache for repeat downloads by default (xet-runtime chunk_cache.rs); a pod
          // downloads once, so the cache would only eat into the volume.
          { name: "HF_XET_CHUNK_CACHE_SIZE_BYTES", value: "0" },
        ]
      : []),
    ...(args.weightSource?.env ?? []),
  ];
}

function resolveResources(gpus: number, args: VllmServingArgs, hubWeightsGB: number | undefined): ResolvedResources {
  const shm = shmSizeGiB(gpus);
  const processMemoryGiB = args.resources?.memoryGiB ?? defaultProcessMemoryGiB(gpus);
  return {
    gpus,
    cpuCores: args.resources?.cpuCores ?? defaultCpuCores(gpus),
    processMemoryGiB,
    shmSizeGiB: shm,
    memoryLimitGiB: processMemoryGiB + shm,
    ephemeralStorageGiB: vllmEphemeralStorageGiB(hubWeightsGB),
  };
}

/** `12` → `12Gi`; fractions keep up to three decimals. */
export function formatGiB(gib: number): string {
  return `${Number(gib.toFixed(3))}Gi`;
}

// ---------------------------------------------------------------------------------------------------
// Checks

function checkPlacement(checks: ArgChecks, placement: Placement | undefined): boolean {
  if (!checks.check(placement !== undefined && placement !== null, "placement", placement, "is required: pass the placement output of a GpuNodePool")) return false;
  const p = placement as Placement;
  const gpusOk = checks.check(Number.isInteger(p.gpusPerNode) && p.gpusPerNode >= 1, "placement.gpusPerNode", p.gpusPerNode, "must be a whole number ≥ 1");
  const memoryOk = checks.check(typeof p.gpuMemoryGiB === "number" && p.gpuMemoryGiB > 0, "placement.gpuMemoryGiB", p.gpuMemoryGiB, "must be a positive number of GiB");
  const costOk = checks.check(
    typeof p.hourlyCostPerNode === "number" && Number.isFinite(p.hourlyCostPerNode) && p.hourlyCostPerNode >= 0,
    "placement.hourlyCostPerNode",
    p.hourlyCostPerNode,
    "must be a number of USD ≥ 0",
  );
  for (const [key, value] of Object.entries(p.nodeSelector ?? {})) {
    checks.check(isLabelKey(key) && isLabelValue(value), `placement.nodeSelector["${key}"]`, value, "is not a valid Kubernetes label selector entry");
  }
  if (p.maxNodes !== undefined) {
    checks.check(Number.isInteger(p.maxNodes) && p.maxNodes >= 1, "placement.maxNodes", p.maxNodes, "must be a whole number of nodes ≥ 1, or left out when unknown");
  }
  return gpusOk && memoryOk && costOk;
}

function checkImage(checks: ArgChecks, image: string): void {
  if (!checks.check(typeof image === "string" && IMAGE_REFERENCE.test(image), "image", image, "is not a valid image reference, e.g. vllm/vllm-openai:v0.11.0")) return;
  checks.check(
    isPinnedImage(image),
    "image",
    image,
    "must be pinned: use a version tag (e.g. vllm/vllm-openai:v0.11.0) or an @sha256: digest; latest, nightly, main and other floating tags change under you",
  );
}

function checkModel(checks: ArgChecks, args: VllmServingArgs): boolean {
  const model = args.model;
  if (!checks.check(model !== undefined && model !== null, "model", model, "is required")) return false;
  checks.check(typeof model.id === "string" && HUGGING_FACE_REPO_ID.test(model.id), "model.id", model.id, "must be a Hugging Face repo id such as meta-llama/Llama-3.1-8B-Instruct");
  checks.check(
    typeof model.revision === "string" && COMMIT_SHA.test(model.revision),
    "model.revision",
    model.revision,
    "must be a 40-character lowercase hex commit SHA; a branch or tag name moves, so the weights would change under the same config",
  );
  checks.check(
    typeof model.servedModelName === "string" && model.servedModelName.length <= 63 && SERVED_MODEL_NAME.test(model.servedModelName),
    "model.servedModelName",
    model.servedModelName,
    "must be lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 63 characters (e.g. llama-3.1-8b)",
  );
  const sizeOk = checks.check(
    typeof model.parameterCountBillions === "number" && Number.isFinite(model.parameterCountBillions) && model.parameterCountBillions > 0,
    "model.parameterCountBillions",
    model.parameterCountBillions,
    "must be a positive number of billions, e.g. 8 for an 8B model",
  );
  const dtypeOk = checks.check((DTYPES as readonly string[]).includes(model.dtype), "model.dtype", model.dtype, `must be ${oneOf(DTYPES)}`);
  if (model.weightsGB !== undefined) {
    checks.check(
      typeof model.weightsGB === "number" && Number.isFinite(model.weightsGB) && model.weightsGB > 0,
      "model.weightsGB",
      model.weightsGB,
      "must be a positive number of decimal GB, the size of the published checkpoint files (e.g. 141.1); leave it out to use parameterCountBillions × the bytes of dtype",
    );
  }
  return sizeOk && dtypeOk;
}

interface ResolvedSource {
  modelPath: string;
  loadsFromHub: boolean;
  revision: string | undefined;
  loadFormat: string | undefined;
}

function resolveWeightSource(checks: ArgChecks, args: VllmServingArgs): ResolvedSource {
  if (args.hfTokenSecret !== undefined) checkSecretRef(checks, args.hfTokenSecret, "hfTokenSecret");
  const ws = args.weightSource;
  const modelRevision = args.model?.revision;
  if (!ws) {
    // Straight from the Hub: pinned commit, safetensors only (pickle checkpoints execute code on load).
    return { modelPath: args.model?.id ?? "", loadsFromHub: true, revision: modelRevision, loadFormat: "safetensors" };
  }
  checks.check(typeof ws.modelPath === "string" && ws.modelPath.length > 0, "weightSource.modelPath", ws.modelPath, "must name what vLLM loads: a hub repo id, a /path or an s3:// URI");
  const loadsFromHub = typeof ws.modelPath === "string" && isHubRepoId(ws.modelPath);
  if (ws.loadFormat !== undefined) {
    const formats = ["auto", "safetensors", "runai_streamer"] as const;
    checks.check((formats as readonly string[]).includes(ws.loadFormat), "weightSource.loadFormat", ws.loadFormat, `must be ${oneOf(formats)}`);
  }
  if (ws.revision !== undefined && modelRevision !== undefined && ws.revision !== modelRevision) {
    checks.add("weightSource.revision", ws.revision, `must equal model.revision (${modelRevision}): the weight source holds a different commit; re-sync the cache or change model.revision`);
  }
  if (!loadsFromHub && args.hfTokenSecret !== undefined) {
    checks.add("hfTokenSecret", args.hfTokenSecret, `is only used when loading from the Hugging Face Hub, but weightSource.modelPath is ${JSON.stringify(ws.modelPath)}; remove it`);
  }
  return {
    modelPath: ws.modelPath,
    loadsFromHub,
    revision: loadsFromHub ? (ws.revision ?? modelRevision) : undefined,
    loadFormat: ws.loadFormat,
  };
}

function checkSecretRef(checks: ArgChecks, ref: VllmSecretKeyRef, property: string): void {
  checks.check(
    typeof ref.name === "string" && ref.name.length <= 253 && DNS1123_SUBDOMAIN.test(ref.name),
    `${property}.name`,
    ref.name,
    "must name a Secret in the component's namespace (DNS-1123 subdomain)",
  );
  checks.check(typeof ref.key === "string" && SECRET_KEY.test(ref.key), `${property}.key`, ref.key, "must be a Secret key: letters, digits, '-', '_' and '.'");
}

function checkTensorParallelSize(checks: ArgChecks, tp: number, placement: Placement | undefined, placementOk: boolean): boolean {
  if (!checks.check(Number.isInteger(tp) && tp >= 1, "tensorParallelSize", tp, "must be a whole number ≥ 1")) return false;
  if (!placementOk || !placement) return false;
  const problem = tensorParallelProblem(tp, placement.gpusPerNode);
  return checks.check(problem === undefined, "tensorParallelSize", tp, problem ?? "");
}

function checkFit(checks: ArgChecks, args: VllmServingArgs, weights: { dtype: Dtype; gib: number }, tp: number, utilization: number): void {
  const { gpusPerNode, gpuMemoryGiB } = args.placement;
  const fits = (t: number, u: number) => weightsFit(weights.gib, t, gpuMemoryGiB, u);
  if (fits(tp, utilization)) return;
  const budget = replicaGpuBudgetGiB(tp, gpuMemoryGiB, utilization);
  const largerTp = divisors(gpusPerNode).find((d) => d > tp && fits(d, utilization));
  const fixes = [
    ...(largerTp !== undefined ? [`raise tensorParallelSize to ${largerTp}`] : []),
    ...(utilization < 0.95 && fits(tp, 0.95) ? ["raise gpuMemoryUtilization to 0.95"] : []),
    "use a quantized checkpoint (model.dtype / quantization)",
    "or place it on GPUs with more memory",
  ];
  checks.add(
    "model.parameterCountBillions",
    args.model.parameterCountBillions,
    `at ${weights.dtype} needs ${weights.gib.toFixed(1)} GiB of weights, more than ${Math.round(WEIGHT_SHARE_OF_GPU_BUDGET * 100)}% of the ${budget.toFixed(1)} GiB vLLM may use ` +
      `(tensorParallelSize ${tp} × ${gpuMemoryGiB} GiB × gpuMemoryUtilization ${utilization}), leaving no room for the KV cache; ${fixes.join(", ")}`,
  );
}

/** Normalises a flag as vLLM's parser sees it: value after '=' dropped, '_' read as '-'. */
function flagOf(arg: string): string {
  return (arg.split("=", 1)[0] ?? arg).replace(/_/g, "-");
}

function checkExtraArgs(checks: ArgChecks, extraArgs: string[]): void {
  if (!checks.check(Array.isArray(extraArgs), "extraArgs", extraArgs, "must be a list of strings")) return;
  extraArgs.forEach((arg, i) => {
    const property = `extraArgs[${i}]`;
    if (!checks.check(typeof arg === "string", property, arg, "must be a string")) return;
    if (!arg.startsWith("-")) return;
    const flag = flagOf(arg);
    const matches = (owned: string) =>
      owned === flag ||
      // argparse accepts unambiguous abbreviations (--trust-remote → --trust-remote-code) and glued short values (-tp4).
      (flag.startsWith("--") && flag.length >= 5 && owned.startsWith(flag)) ||
      (!owned.startsWith("--") && !flag.startsWith("--") && flag.startsWith(owned));
    const forbidden = Object.keys(FORBIDDEN_FLAGS).find(matches);
    if (forbidden) {
      checks.add(property, arg, `is not allowed: ${forbidden} ${FORBIDDEN_FLAGS[forbidden]}`);
      return;
    }
    const owned = Object.keys(OWNED_FLAGS).find(matches);
    if (owned) checks.add(property, arg, `sets ${owned}, which VllmServing owns; use ${OWNED_FLAGS[owned]} instead`);
  });
}

function checkReplicas(checks: ArgChecks, args: VllmServingArgs, minReplicas: number): void {
  const minOk = checks.check(Number.isInteger(minReplicas) && minReplicas >= 0, "minReplicas", minReplicas, "must be a whole number ≥ 0");
  const maxOk = checks.check(Number.isInteger(args.maxReplicas) && args.maxReplicas >= 1, "maxReplicas", args.maxReplicas, "must be a whole number ≥ 1");
  if (!minOk || !maxOk) return;
  if (!checks.check(minReplicas <= args.maxReplicas, "maxReplicas", args.maxReplicas, `must be ≥ minReplicas (${minReplicas})`)) return;
  const mode = args.autoscaling?.mode;
  if (minReplicas === 0 && mode !== "keda") {
    checks.add(
      "minReplicas",
      0,
      mode === "hpa"
        ? `(scale to zero) is not possible with autoscaling.mode "hpa"; use mode "keda" with a wake trigger, or set minReplicas ≥ 1`
        : `(scale to zero) needs autoscaling with mode "keda" and a wake trigger: vLLM exports no metrics at zero replicas, so only a gateway-side signal can wake it; or set minReplicas ≥ 1`,
    );
    return;
  }
  if (args.autoscaling === undefined && minReplicas !== args.maxReplicas) {
    checks.add(
      "maxReplicas",
      args.maxReplicas,
      `must equal minReplicas (${minReplicas}) without autoscaling, because the Deployment then runs exactly minReplicas replicas; set maxReplicas to ${minReplicas} or configure autoscaling`,
    );
  }
}

/** A pool of known size must hold maxReplicas: replicas it cannot place stay Pending and every rollout times out. */
function checkPoolHoldsReplicas(checks: ArgChecks, args: VllmServingArgs, tensorParallelSize: number): void {
  const maxNodes = args.placement.maxNodes;
  if (maxNodes === undefined || !Number.isInteger(maxNodes) || maxNodes < 1 || !Number.isInteger(args.maxReplicas)) return;
  const perNode = replicasPerNode(args.placement.gpusPerNode, tensorParallelSize);
  checks.check(
    args.maxReplicas <= maxNodes * perNode,
    "maxReplicas",
    args.maxReplicas,
    `must fit the pool: ${maxNodes} node(s) × ${perNode} replica(s) of ${tensorParallelSize} GPU(s) each hold ${maxNodes * perNode}; lower maxReplicas or raise the GpuNodePool's maxNodes`,
  );
}

function resolveAutoscaling(
  checks: ArgChecks,
  a: VllmAutoscalingArgs,
  minReplicas: number,
  maxReplicas: number,
  metricsModelName: string,
  concurrentRequestsPerReplica: number | undefined,
): ResolvedAutoscaling {
  const modeOk = checks.check((AUTOSCALING_MODES as readonly string[]).includes(a.mode), "autoscaling.mode", a.mode, `must be ${oneOf(AUTOSCALING_MODES)}`);
  if (modeOk && a.mode === "keda") {
    checks.check(
      typeof a.prometheusServerUrl === "string" && HTTP_URL.test(a.prometheusServerUrl),
      "autoscaling.prometheusServerUrl",
      a.prometheusServerUrl,
      'is required in "keda" mode: the http(s) URL of the Prometheus KEDA queries, e.g. http://prometheus-operated.monitoring:9090',
    );
  }
  if (modeOk && a.mode === "hpa") {
    if (a.prometheusServerUrl !== undefined) {
      checks.add("autoscaling.prometheusServerUrl", a.prometheusServerUrl, 'is not used in "hpa" mode (the metrics adapter queries Prometheus); remove it');
    }
    if (a.pollingIntervalSeconds !== undefined) {
      checks.add("autoscaling.pollingIntervalSeconds", a.pollingIntervalSeconds, 'is a KEDA setting; in "hpa" mode the controller-wide sync period applies; remove it');
    }
    if (a.schedule !== undefined && a.schedule.length > 0) {
      checks.add("autoscaling.schedule", a.schedule, 'is rendered as KEDA cron triggers, which an HPA does not have; use mode "keda" or remove it');
    }
  }
  if ("targetQueueDepthPerReplica" in a) {
    checks.add(
      "autoscaling.targetQueueDepthPerReplica",
      (a as { targetQueueDepthPerReplica?: unknown }).targetQueueDepthPerReplica,
      "was replaced by autoscaling.targetInFlightPerReplica (running + waiting requests per replica; the waiting queue alone is 0 while the batch has room, and a busy tier would be scaled in); e.g. backend.concurrentRequestsPerReplica / headroom",
    );
  }
  const target = a.targetInFlightPerReplica ?? concurrentRequestsPerReplica;
  if (target === undefined) {
    checks.add("autoscaling.targetInFlightPerReplica", undefined, "is required without backend.concurrentRequestsPerReplica: the requests in flight (running + waiting) one replica should carry, e.g. 48");
  } else {
    checks.check(Number.isFinite(target) && target > 0, "autoscaling.targetInFlightPerReplica", target, "must be a positive number of requests in flight per replica, e.g. 48");
  }
  const polling = a.pollingIntervalSeconds ?? 15;
  checks.check(Number.isInteger(polling) && polling >= 1, "autoscaling.pollingIntervalSeconds", polling, "must be a whole number of seconds ≥ 1");
  const cooldown = a.scaleDownCooldownSeconds ?? 600;
  checks.check(Number.isInteger(cooldown) && cooldown >= 0 && cooldown <= 3600, "autoscaling.scaleDownCooldownSeconds", cooldown, "must be a whole number of seconds between 0 and 3600");

  checkPeer(checks, a.metricsScraper, "autoscaling.metricsScraper", "the namespace and pod labels of the Prometheus that scrapes vLLM's /metrics: the NetworkPolicy admits only the gateway otherwise, and the in-flight signal stays empty");
  const scalesToZero = minReplicas === 0 && a.mode === "keda";
  if ("wakeQuery" in a) {
    checks.add("autoscaling.wakeQuery", (a as { wakeQuery?: unknown }).wakeQuery, "was replaced by autoscaling.wake: { query, prometheusServerUrl?, bearerTokenSecret? }, e.g. with query gatewayWakeQuery(model, backends)");
  }
  const wake = a.wake === undefined ? undefined : resolveWake(checks, a.wake, scalesToZero, a.prometheusServerUrl);
  if (a.wake === undefined && scalesToZero) {
    checks.add(
      "autoscaling.wake",
      undefined,
      "is required when minReplicas is 0: vLLM exports no metrics at zero replicas, so give a gateway-side query that is above 0 when clients want the model (gatewayWakeQuery)",
    );
  }
  const schedule = a.schedule === undefined ? [] : checkSchedule(checks, a.schedule, maxReplicas);
  return {
    mode: a.mode,
    prometheusServerUrl: a.mode === "keda" ? a.prometheusServerUrl : undefined,
    inFlightQuery: inFlightQuery(metricsModelName),
    targetInFlightPerReplica: target ?? 1,
    metricsScraper: a.metricsScraper,
    wake,
    pollingIntervalSeconds: polling,
    scaleDownCooldownSeconds: cooldown,
    schedule: a.mode === "keda" ? schedule : [],
  };
}

/** Minutes in a week: the schedule's windows are minutes of it, from Monday 00:00 UTC. */
export const MINUTES_PER_WEEK = 10_080;

/** Each window within the week, not the whole of it (that is `minReplicas`), at most `maxReplicas`, and no two alike. */
function checkSchedule(checks: ArgChecks, schedule: VllmScheduleWindowArgs[], maxReplicas: number): VllmScheduleWindowArgs[] {
  if (!checks.check(Array.isArray(schedule), "autoscaling.schedule", schedule, "must be a list of { startMinuteOfWeek, endMinuteOfWeek, minReplicas }")) return [];
  const whole = (x: unknown, min: number, max: number) => typeof x === "number" && Number.isInteger(x) && x >= min && x <= max;
  const seen = new Map<string, number>();
  schedule.forEach((w, i) => {
    const at = `autoscaling.schedule[${i}]`;
    if (!checks.check(typeof w === "object" && w !== null, at, w, "must be { startMinuteOfWeek, endMinuteOfWeek, minReplicas }")) return;
    const startOk = checks.check(
      whole(w.startMinuteOfWeek, 0, MINUTES_PER_WEEK - 1),
      `${at}.startMinuteOfWeek`,
      w.startMinuteOfWeek,
      "must be a whole minute of the week from 0 (Monday 00:00 UTC) to 10079 (Sunday 23:59)",
    );
    const endOk = checks.check(
      whole(w.endMinuteOfWeek, 1, MINUTES_PER_WEEK),
      `${at}.endMinuteOfWeek`,
      w.endMinuteOfWeek,
      "must be a whole minute of the week from 1 to 10080 (the next Monday 00:00 UTC); give one before startMinuteOfWeek for a window across the week's end",
    );
    const maxOk = Number.isInteger(maxReplicas) && maxReplicas >= 1;
    checks.check(
      whole(w.minReplicas, 1, maxOk ? maxReplicas : Infinity),
      `${at}.minReplicas`,
      w.minReplicas,
      maxOk ? `must be a whole number of replicas from 1 to maxReplicas (${maxReplicas}); lower it or raise maxReplicas` : "must be a whole number of replicas ≥ 1",
    );
    if (!startOk || !endOk) return;
    if (w.startMinuteOfWeek === w.endMinuteOfWeek % MINUTES_PER_WEEK) {
      checks.add(
        at,
        w,
        w.startMinuteOfWeek === w.endMinuteOfWeek
          ? "opens and closes at the same minute, which KEDA's cron trigger refuses; set endMinuteOfWeek to the minute it should close at, or remove the window"
          : "covers the whole week: that is a floor, so set minReplicas instead",
      );
      return;
    }
    const key = `${w.startMinuteOfWeek}-${w.endMinuteOfWeek}`;
    const twin = seen.get(key);
    if (twin !== undefined) checks.add(at, w, `opens and closes when autoscaling.schedule[${twin}] does; keep one window with the larger minReplicas`);
    else seen.set(key, i);
  });
  return schedule.map((w) => ({ startMinuteOfWeek: w.startMinuteOfWeek, endMinuteOfWeek: w.endMinuteOfWeek, minReplicas: w.minReplicas }));
}

function resolveWake(checks: ArgChecks, w: VllmWakeArgs, scalesToZero: boolean, queueServerUrl: string | undefined): ResolvedAutoscaling["wake"] {
  if (!scalesToZero) {
    checks.add("autoscaling.wake", w, 'only wakes a deployment from zero replicas (minReplicas 0 with mode "keda"); remove it or set minReplicas to 0');
    return undefined;
  }
  checks.check(typeof w.query === "string" && w.query.trim().length > 0, "autoscaling.wake.query", w.query, "must be a non-empty PromQL query, e.g. gatewayWakeQuery(model, backends)");
  const url = w.prometheusServerUrl ?? queueServerUrl ?? "";
  if (w.prometheusServerUrl !== undefined) {
    checks.check(HTTP_URL.test(w.prometheusServerUrl), "autoscaling.wake.prometheusServerUrl", w.prometheusServerUrl, "must be the http(s) URL of the Prometheus that scrapes the gateway");
  }
  if (w.bearerTokenSecret !== undefined) checkSecretRef(checks, w.bearerTokenSecret, "autoscaling.wake.bearerTokenSecret");
  const threshold = w.threshold ?? WAKE_TRIGGER_THRESHOLD;
  checks.check(typeof threshold === "number" && Number.isFinite(threshold) && threshold > 0, "autoscaling.wake.threshold", threshold, "must be a positive number: the query's value per replica wanted");
  return { query: w.query, threshold, prometheusServerUrl: url, bearerTokenSecret: w.bearerTokenSecret };
}

function checkPeer(checks: ArgChecks, peer: VllmPeerArgs | undefined, property: string, what: string): void {
  if (!checks.check(typeof peer === "object" && peer !== null, property, peer, `is required: ${what}`)) return;
  const p = peer as VllmPeerArgs;
  checks.check(isDns1123Label(p.namespace ?? ""), `${property}.namespace`, p.namespace, DNS1123_HINT);
  const entries = Object.entries(p.podLabels ?? {});
  checks.check(entries.length > 0, `${property}.podLabels`, p.podLabels, "must select the pods with at least one label; an empty selector would admit every pod in the namespace");
  for (const [key, value] of entries) {
    checks.check(isLabelKey(key), `${property}.podLabels["${key}"]`, key, "is not a valid Kubernetes label key");
    checks.check(isLabelValue(value), `${property}.podLabels["${key}"]`, value, "is not a valid Kubernetes label value");
  }
}

function checkApiKey(checks: ArgChecks, apiKey: pulumi.Input<string> | undefined): void {
  if (!isKnown(apiKey)) return;
  // The received value is a credential: never echo it into the error.
  checks.check(
    typeof apiKey === "string" && apiKey.length >= 16 && !/\s/.test(apiKey),
    "apiKey",
    undefined,
    "must be at least 16 characters without whitespace (value not shown); omit it to generate one",
  );
}

function checkIngress(checks: ArgChecks, ingress: VllmIngressArgs): void {
  checks.check(
    typeof ingress.host === "string" && ingress.host.length <= 253 && ingress.host.includes(".") && DNS1123_SUBDOMAIN.test(ingress.host),
    "ingress.host",
    ingress.host,
    "must be a fully qualified lowercase host name without wildcards, e.g. llama.coreweave.example.com",
  );
  checks.check(typeof ingress.className === "string" && DNS1123_SUBDOMAIN.test(ingress.className), "ingress.className", ingress.className, "must name an IngressClass, e.g. nginx");
  checks.check(
    typeof ingress.tlsSecretName === "string" && ingress.tlsSecretName.length <= 253 && DNS1123_SUBDOMAIN.test(ingress.tlsSecretName),
    "ingress.tlsSecretName",
    ingress.tlsSecretName,
    "must name the TLS Secret for the host (TLS is required: the API key travels in a header)",
  );
  checks.check(isDns1123Label(ingress.controllerNamespace ?? ""), "ingress.controllerNamespace", ingress.controllerNamespace, DNS1123_HINT);
  if (ingress.proxyTimeoutSeconds !== undefined) {
    checks.check(
      Number.isInteger(ingress.proxyTimeoutSeconds) && ingress.proxyTimeoutSeconds >= 60 && ingress.proxyTimeoutSeconds <= 7200,
      "ingress.proxyTimeoutSeconds",
      ingress.proxyTimeoutSeconds,
      "must be a whole number of seconds between 60 and 7200, above the gateway's requestTimeoutSeconds (at most 3600); the default 300 suits the gateway's default 120",
    );
  }
}

function checkResources(checks: ArgChecks, args: VllmServingArgs): void {
  const r = args.resources;
  if (!r) return;
  if (r.cpuCores !== undefined) {
    checks.check(typeof r.cpuCores === "number" && Number.isFinite(r.cpuCores) && r.cpuCores > 0, "resources.cpuCores", r.cpuCores, "must be a positive number of cores");
  }
  if (r.memoryGiB !== undefined) {
    checks.check(typeof r.memoryGiB === "number" && Number.isFinite(r.memoryGiB) && r.memoryGiB >= 1, "resources.memoryGiB", r.memoryGiB, "must be a number of GiB ≥ 1 (the /dev/shm size is added on top)");
  }
}

function checkBackend(checks: ArgChecks, args: VllmServingArgs): void {
  const b = args.backend;
  if (!checks.check(b !== undefined && b !== null, "backend", b, "is required: tokensPerSecond and expectedLatencyMs for routing")) return;
  if (b.modelName !== undefined) {
    checks.check(typeof b.modelName === "string" && /^\S+$/.test(b.modelName), "backend.modelName", b.modelName, "must be a non-empty model group name without whitespace");
  }
  checks.check(typeof b.tokensPerSecond === "number" && Number.isFinite(b.tokensPerSecond) && b.tokensPerSecond > 0, "backend.tokensPerSecond", b.tokensPerSecond, "must be a positive number (measured output tokens per second of one replica)");
  checks.check(typeof b.expectedLatencyMs === "number" && Number.isFinite(b.expectedLatencyMs) && b.expectedLatencyMs > 0, "backend.expectedLatencyMs", b.expectedLatencyMs, "must be a positive number of milliseconds");
  if (b.concurrentRequestsPerReplica !== undefined) {
    checks.check(
      Number.isInteger(b.concurrentRequestsPerReplica) && b.concurrentRequestsPerReplica >= 1,
      "backend.concurrentRequestsPerReplica",
      b.concurrentRequestsPerReplica,
      "must be a whole number of requests ≥ 1 (measured decode tokens/s × TPOT, e.g. 96 for 2,400 tok/s at 40 ms)",
    );
  }
  // The default derives from a valid name, so only a given value needs checking.
  if (b.apiKeySecretEnv !== undefined) {
    checks.check(ENV_NAME.test(b.apiKeySecretEnv), "backend.apiKeySecretEnv", b.apiKeySecretEnv, "must be an upper-snake-case environment variable name, e.g. LLAMA_8B_API_KEY");
  }
}

function checkWeightSourceCollisions(checks: ArgChecks, ws: WeightSource | undefined, hasHfToken: boolean): void {
  if (ws) {
    ws.env.forEach((e, i) => {
      if (!isKnown(e.name)) return;
      const owned = (OWNED_ENV as readonly string[]).includes(e.name) && (e.name !== "HF_TOKEN" || hasHfToken);
      checks.check(!owned, `weightSource.env[${i}].name`, e.name, "is set by VllmServing itself; remove it from the weight source");
    });
    ws.volumes.forEach((v, i) => {
      checks.check(!(isKnown(v.name) && v.name === SHM_VOLUME), `weightSource.volumes[${i}].name`, v.name, `collides with VllmServing's /dev/shm volume "${SHM_VOLUME}"; rename it`);
      checks.check(!(isKnown(v.name) && v.name === HF_CACHE_VOLUME), `weightSource.volumes[${i}].name`, v.name, `collides with VllmServing's Hub download volume "${HF_CACHE_VOLUME}"; rename it`);
    });
    ws.volumeMounts.forEach((m, i) => {
      checks.check(!(isKnown(m.mountPath) && m.mountPath === "/dev/shm"), `weightSource.volumeMounts[${i}].mountPath`, m.mountPath, "is VllmServing's memory-backed /dev/shm; mount elsewhere");
      checks.check(!(isKnown(m.mountPath) && m.mountPath === HF_HOME_PATH), `weightSource.volumeMounts[${i}].mountPath`, m.mountPath, `is VllmServing's Hub download directory (HF_HOME); mount elsewhere`);
    });
  }
}
