import type * as pulumi from "@pulumi/pulumi";
import type { Dtype, VllmQuantization } from "@switchyard/catalog";
import type { Placement, WeightSource } from "../contracts";

export { VLLM_QUANTIZATIONS } from "@switchyard/catalog";
export type { VllmQuantization } from "@switchyard/catalog";

export const AUTOSCALING_MODES = ["keda", "hpa"] as const;
export type AutoscalingMode = (typeof AUTOSCALING_MODES)[number];

/** The model vLLM serves, pinned to one Hugging Face commit. */
export interface VllmModelArgs {
  /** Hugging Face repo id, e.g. `meta-llama/Llama-3.1-8B-Instruct`. Required. */
  id: string;
  /**
   * Hugging Face commit SHA (40 hex characters) of `id`; branch and tag names float and are rejected.
   * Required.
   */
  revision: string;
  /**
   * Name clients and the gateway use (`--served-model-name`): lowercase letters, digits, '-' and '.', at most 63
   * characters. vLLM serves the component's own name first and this one second, so its `model_name` metrics label is
   * the component's name and each deployment (each tier of a model) scales on its own queue. Required.
   */
  servedModelName: string;
  /** Parameter count in billions (8 for an 8B model); sizes the weights with the catalog. Required. */
  parameterCountBillions: number;
  /**
   * Data type the checkpoint's weights are stored in (`int4` for an AWQ/GPTQ checkpoint, `fp8` for an
   * FP8 one). Required.
   */
  dtype: Dtype;
  /**
   * Size of the published checkpoint files vLLM downloads, in decimal GB (the fleet spec's `models[].weightsGB`, e.g.
   * 141.1 for Llama-3.3-70B in bf16); sizes the Hub download volume and the `ephemeral-storage` request. Defaults to
   * `parameterCountBillions` × the bytes of `dtype` (140 for 70B in bf16).
   */
  weightsGB?: number;
}

/** Pods in another namespace a NetworkPolicy admits. */
export interface VllmPeerArgs {
  /** Their namespace (DNS-1123 label). Required. */
  namespace: string;
  /** Labels selecting them in that namespace, at least one. Required. */
  podLabels: Record<string, string>;
}

/**
 * The wake trigger: a PromQL query that is above 0 when clients want the deployment, e.g. `gatewayWakeQuery` (the
 * gateway's spill for this model), against the Prometheus that scrapes the gateway. That Prometheus may be in
 * another cluster: give its authenticated URL and a bearer token.
 */
export interface VllmWakeArgs {
  /** PromQL returning one value, above 0 when the deployment should run. Required. */
  query: string;
  /**
   * The query's value per replica wanted: KEDA asks for ⌈value / threshold⌉ replicas while the query is above 0, so a
   * tier woken from zero starts as many as the spill needs at once. Defaults to `WAKE_TRIGGER_THRESHOLD` (1,000,000):
   * one replica, and the in-flight trigger sizes it once that one serves (a second boot).
   */
  threshold?: number;
  /** Prometheus base URL to run it against. Defaults to `autoscaling.prometheusServerUrl`. */
  prometheusServerUrl?: string;
  /**
   * An existing Secret in the namespace holding a bearer token for that Prometheus; rendered as a KEDA
   * `TriggerAuthentication` (`authModes: bearer`). Defaults to none (an in-cluster Prometheus needs none).
   */
  bearerTokenSecret?: VllmSecretKeyRef;
}

/**
 * Replicas to hold over a span of every week, UTC, in minutes from Monday 00:00 (0) to the next Monday 00:00 (10080):
 * one KEDA `cron` trigger (`desiredReplicas` from `start` to `end`). A window whose end comes before its start runs
 * across the week's end, from Sunday into Monday. To have replicas ready when load rises, open the window a boot time
 * before it (the planner's `tierSchedule` does).
 */
export interface VllmScheduleWindowArgs {
  /** Minute of the week the window opens at, a whole number 0–10079 (0 = Monday 00:00 UTC). Required. */
  startMinuteOfWeek: number;
  /**
   * Minute of the week it closes at, a whole number 1–10080 (10080 = the next Monday 00:00 UTC); before
   * `startMinuteOfWeek` when it crosses the week's end. Required.
   */
  endMinuteOfWeek: number;
  /** Replicas KEDA asks for at least while it holds, a whole number from 1 to `maxReplicas`. Required. */
  minReplicas: number;
}

/** Autoscaling of the vLLM Deployment on its requests in flight (running + waiting per replica). */
export interface VllmAutoscalingArgs {
  /**
   * `keda`: a KEDA `ScaledObject` (keda.sh/v1alpha1) with a Prometheus trigger; the only mode that can
   * scale to zero. `hpa`: an `autoscaling/v2` HorizontalPodAutoscaler on the Pods metric
   * `vllm_num_requests_in_flight`, which needs a custom-metrics adapter (e.g. prometheus-adapter with a
   * rule exposing `vllm:num_requests_running` + `vllm:num_requests_waiting` per pod under that name, keeping the
   * `namespace` and `pod` labels). Required.
   */
  mode: AutoscalingMode;
  /**
   * Prometheus base URL KEDA queries, e.g. `http://prometheus-operated.monitoring:9090`. Required in
   * `keda` mode; not accepted in `hpa` mode, where the metrics adapter has its own Prometheus.
   */
  prometheusServerUrl?: string;
  /**
   * Requests in flight per replica — running plus waiting (`vllm:num_requests_running` + `vllm:num_requests_waiting`)
   * — the scaler aims for: it wants ⌈in flight / target⌉ replicas. Scaling on the waiting queue alone oscillates: it is
   * 0 whenever the batch has room, so a tier serving at full tilt would be scaled in until requests queue again. The
   * stacks set the model's `concurrentRequestsPerReplica` over the policy's headroom (`inFlightTargetPerReplica` in
   * @switchyard/catalog). Defaults to `backend.concurrentRequestsPerReplica`; required without it.
   */
  targetInFlightPerReplica?: number;
  /**
   * The pods of the Prometheus that scrapes vLLM's `/metrics` (in `keda` mode the one at `prometheusServerUrl`; in
   * `hpa` mode the metrics adapter's). The NetworkPolicy admits them to the vLLM port; without them it admits only
   * the gateway, and the in-flight signal is empty. Required.
   */
  metricsScraper: VllmPeerArgs;
  /**
   * What wakes the deployment from zero replicas, where vLLM exports nothing: a gateway-side signal. Required when
   * `minReplicas` is 0 (`keda` mode) and accepted only then. Defaults to none.
   */
  wake?: VllmWakeArgs;
  /** How often KEDA evaluates the triggers, `keda` mode only. Defaults to 15 seconds. */
  pollingIntervalSeconds?: number;
  /**
   * How long load must stay low before replicas are removed (HPA scale-down stabilization window, and
   * KEDA's `cooldownPeriod` before scaling to zero); GPU cold starts take minutes, so this is long.
   * Defaults to 600 seconds.
   */
  scaleDownCooldownSeconds?: number;
  /**
   * A weekly floor, `keda` mode only: one KEDA `cron` trigger per window (timezone UTC), so the deployment holds at
   * least the window's `minReplicas` while it holds (it also wakes a deployment at zero) and the in-flight trigger adds
   * above it. When a window ends, the replicas go after the scale-down window unless load keeps them. The stacks pass
   * the planner's `PoolTierPlan.schedule`. Defaults to none.
   */
  schedule?: VllmScheduleWindowArgs[];
}

/** The gateway pods that may call vLLM. */
export interface VllmGatewayArgs {
  /** Namespace of the gateway pods (DNS-1123 label). Required. */
  namespace: string;
  /** Labels selecting the gateway pods; at least one, since an empty selector admits every pod. Required. */
  podLabels: Record<string, string>;
}

/**
 * An Ingress for callers outside the cluster (e.g. the gateway on another cloud), annotated for LLM traffic on
 * ingress-nginx (`nginx.ingress.kubernetes.io/*`): read and send timeouts of `proxyTimeoutSeconds`, response
 * buffering off so streamed (SSE) tokens pass as they come, and request bodies up to 16 MiB for long prompts.
 * The annotations are added whatever `className` says, since ingress-nginx may run under any class name; other
 * controllers ignore them, so set their equivalents yourself (e.g. with a Pulumi transform).
 */
export interface VllmIngressArgs {
  /** Fully qualified host name, e.g. `llama.coreweave.example.com`; no wildcards. Required. */
  host: string;
  /** `ingressClassName` of the controller that serves it, e.g. `nginx`. Required. */
  className: string;
  /** Secret (same namespace) holding the TLS certificate for `host`. Required. */
  tlsSecretName: string;
  /** Namespace of the ingress controller's pods, admitted by the NetworkPolicy. Required. */
  controllerNamespace: string;
  /**
   * Seconds the ingress controller waits on vLLM between two reads or two writes (`proxy-read-timeout`,
   * `proxy-send-timeout`, 60 in ingress-nginx). A non-streamed completion sends nothing until it is done, and a
   * queued one nothing until it starts, so this must exceed the gateway's `requestTimeoutSeconds`: the gateway, not
   * a 504 that cools a healthy backend down, must end a slow completion. 60 to 7200. Defaults to 300 (the gateway's
   * default 120 with margin).
   */
  proxyTimeoutSeconds?: number;
}

/**
 * CPU and memory of the vLLM container, when the GPU-derived defaults do not suit. `/dev/shm` is always a
 * memory-backed emptyDir of 2 GiB per GPU (capped at 16 GiB) and is added to the memory limit. Local disk is not
 * a knob: the `ephemeral-storage` request and limit follow from where the weights come from (see `weightSource`).
 */
export interface VllmResourcesArgs {
  /** CPU cores requested (no CPU limit is set: a limit throttles tokenization). Defaults to 1 + 2 per GPU. */
  cpuCores?: number;
  /**
   * Memory for the vLLM process in GiB; the container's memory request and limit are this plus the
   * `/dev/shm` size, which counts against the limit. Defaults to 6 GiB + 4 GiB per GPU.
   */
  memoryGiB?: number;
}

/** One key of a Kubernetes Secret in the component's namespace. */
export interface VllmSecretKeyRef {
  /** Secret name (DNS-1123 subdomain). Required. */
  name: string;
  /** Key inside the Secret. Required. */
  key: string;
}

/** How the gateway sees this deployment (the `Backend` output). */
export interface VllmBackendArgs {
  /** Model group clients ask the gateway for. Defaults to `model.servedModelName`. */
  modelName?: string;
  /** Measured output tokens per second of one replica. Required. */
  tokensPerSecond: number;
  /** Expected time to first token in milliseconds. Required. */
  expectedLatencyMs: number;
  /**
   * Requests one replica serves at once at its latency SLO (`concurrentRequestsPerReplica` in @switchyard/catalog:
   * measured decode tokens/s × TPOT). The Backend's `maxConcurrentRequests` is this × `maxReplicas`, and the gateway
   * overflows what exceeds it to the next tier. Defaults to no cap.
   */
  concurrentRequestsPerReplica?: number;
  /**
   * Environment variable the gateway reads this backend's API key from (upper snake case). Defaults to
   * the component name in upper snake case followed by `_API_KEY` (`llama-8b` → `LLAMA_8B_API_KEY`).
   */
  apiKeySecretEnv?: string;
}

export interface VllmServingArgs {
  /** Where the pods run: the `placement` output of a `GpuNodePool`. Required. */
  placement: Placement;
  /** Namespace for every object (DNS-1123 label); must already exist. Required. */
  namespace: string;
  /**
   * vLLM OpenAI server image pinned by a version tag (`vllm/vllm-openai:v0.11.0`) or an `@sha256:`
   * digest; `latest`, `nightly`, `main` and tags without a version are rejected. Required.
   */
  image: string;
  /** The model to serve. Required. */
  model: VllmModelArgs;
  /**
   * Where the weights come from: the `weightSource` output of a `ModelWeightCache`. Defaults to loading
   * `model.id` from the Hugging Face Hub at `model.revision` (safetensors only).
   *
   * Whenever vLLM downloads from the Hub (this default, or a weight source whose `modelPath` is a repo id), each
   * replica gets an emptyDir `hf-cache` mounted as its `HF_HOME` with a `sizeLimit` of the checkpoint (`model.weightsGB`)
   * plus 10% and 2 GiB (146 GiB for 70B in bf16), and an `ephemeral-storage` request and limit of that plus 10 GiB
   * of scratch for compile caches and logs (156 GiB), so the scheduler places only as many replicas on a node as its
   * disk holds and no download fills the container layer. Weights streamed or read from a node cache write nothing
   * locally: 10 GiB. Each replica downloads its own copy; for one copy per node use a `node-cache` ModelWeightCache.
   * The node's disk must hold the replicas it runs: see GpuNodePool's `ephemeralStoragePerNodeGiB`.
   */
  weightSource?: WeightSource;
  /**
   * Secret (same namespace) and key holding a Hugging Face token, injected as `HF_TOKEN`, for gated
   * models loaded from the Hub. Defaults to no token.
   */
  hfTokenSecret?: VllmSecretKeyRef;
  /**
   * GPUs one replica shards the model across (its `nvidia.com/gpu` request and limit); must divide
   * `placement.gpusPerNode`, and the weights (catalog size at `model.dtype`, or at the quantization's
   * dtype when smaller) must fit in 90% of tensorParallelSize × `placement.gpuMemoryGiB` ×
   * `gpuMemoryUtilization`, leaving the rest for the KV cache. Defaults to 1.
   */
  tensorParallelSize?: number;
  /** Context length cap (`--max-model-len`); lowering it frees KV cache. Defaults to the model's own. */
  maxModelLen?: number;
  /** Fraction (0–1, exclusive) of each GPU's memory vLLM may use. Defaults to 0.9. */
  gpuMemoryUtilization?: number;
  /** vLLM `--quantization` method. Defaults to none (vLLM detects it from the checkpoint). */
  quantization?: VllmQuantization;
  /** Automatic prefix caching; the flag is always passed explicitly. Defaults to true. */
  enablePrefixCaching?: boolean;
  /**
   * Extra `vllm serve` flags, the escape hatch for what has no typed arg (e.g. `--max-num-seqs`).
   * `--trust-remote-code`, `--api-key`, `--download-dir` (the download goes to the sized `hf-cache` volume) and
   * flags owned by typed args are rejected. Defaults to none.
   */
  extraArgs?: string[];
  /**
   * Replicas kept when idle; 0 (scale to zero) needs `autoscaling.mode` `keda` with a `wake` trigger.
   * Defaults to 1.
   */
  minReplicas?: number;
  /**
   * Most replicas; without autoscaling it must equal `minReplicas`, and it must fit `placement.maxNodes` when that is
   * known. Rolling updates replace ⌈25%⌉ of it at a time: new pods first as far as the pool has GPUs free at this
   * many replicas, old pods first for the rest, so an update of a pool the Deployment fills still completes (see
   * `rolloutStrategy`). Required.
   */
  maxReplicas: number;
  /** Autoscaling on requests in flight. Defaults to none: a fixed `minReplicas` replicas. */
  autoscaling?: VllmAutoscalingArgs;
  /**
   * Bearer key vLLM requires on `/v1/*`, stored in a Kubernetes Secret. Defaults to a generated
   * 48-character random key.
   */
  apiKey?: pulumi.Input<string>;
  /** The gateway pods that may call vLLM (the NetworkPolicy admits only them). Required. */
  gateway: VllmGatewayArgs;
  /** TLS Ingress exposing only `/v1` for cross-cluster callers. Defaults to none (in-cluster only). */
  ingress?: VllmIngressArgs;
  /**
   * Seconds vLLM may take from container start to a healthy `/health` (weights load, compile, CUDA
   * graphs) before the startup probe gives up. Defaults to max(1200, 600 + 10 × weight GiB).
   */
  coldStartBudgetSeconds?: number;
  /** CPU and memory of the vLLM container. Defaults to values derived from the GPU count. */
  resources?: VllmResourcesArgs;
  /** How the gateway routes to this deployment. Required. */
  backend: VllmBackendArgs;
}
