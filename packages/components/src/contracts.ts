/**
 * The small, plain types that flow between components (see DESIGN.md, "Contracts between the parts").
 * They carry no Pulumi resources, so a stack can export them and another stack can read them back.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { CapacityType, GpuTypeId, Provider } from "@switchyard/catalog";

export type TaintEffect = "NoSchedule" | "PreferNoSchedule" | "NoExecute";

/** A node taint in Kubernetes spelling; each backend translates the effect to its own API's enum. */
export interface Taint {
  key: string;
  value: string;
  effect: TaintEffect;
}

export interface Toleration {
  key: string;
  operator: "Equal" | "Exists";
  value?: string;
  effect?: TaintEffect;
}

/** Where GPU workloads land: produced by `GpuNodePool`, consumed by `VllmServing`. */
export interface Placement {
  provider: Provider;
  region: string;
  capacityType: CapacityType;
  /** Catalog instance type of the pool's nodes (for Karpenter pools: the cheapest type it may pick). */
  instanceType: string;
  gpuType: GpuTypeId;
  gpusPerNode: number;
  gpuMemoryGiB: number;
  /**
   * Local NVMe of each node included in its price, GiB (0 where there is none). GpuNodePool always sets it;
   * left out, consumers look `instanceType` up in the catalog.
   */
  localNvmeGiB?: number;
  /**
   * Most nodes the pool may have: its node autoscaler's ceiling, or its size when fixed. VllmServing surges a
   * rolling update only into the GPUs this leaves free at its `maxReplicas`. GpuNodePool always sets it; left out
   * (leave it out for a pool other GPU workloads share), no room is assumed and updates stop old pods first.
   */
  maxNodes?: number;
  /** Selects exactly this pool's nodes. */
  nodeSelector: Record<string, string>;
  /** Tolerates this pool's taints (and the cloud's own GPU taint). */
  tolerations: Toleration[];
  /** USD per node-hour at this capacity type, from the catalog. */
  hourlyCostPerNode: number;
}

/**
 * How a model's weights reach vLLM: produced by `ModelWeightCache` (or written by hand), consumed by
 * `VllmServing`. Credentials appear only as `secretKeyRef`s inside `env`.
 */
export interface WeightSource {
  /** What vLLM loads: a Hugging Face repo id, a local path (`/models/...`) or an object-store URI (`s3://...`). */
  modelPath: string;
  /** Hugging Face commit SHA when `modelPath` is a hub repo id; undefined for paths and URIs. */
  revision: string | undefined;
  /** vLLM `--load-format`; undefined leaves vLLM's own choice. */
  loadFormat: "auto" | "safetensors" | "runai_streamer" | undefined;
  volumes: k8s.types.input.core.v1.Volume[];
  volumeMounts: k8s.types.input.core.v1.VolumeMount[];
  env: k8s.types.input.core.v1.EnvVar[];
  /** Containers that must finish before vLLM starts (e.g. waiting for a node-cache ready marker). */
  initContainers: k8s.types.input.core.v1.Container[];
}

/** One OpenAI-compatible deployment the gateway can route to: produced by `VllmServing`. */
export interface Backend {
  /** Unique across the fleet, e.g. `coreweave-llama-70b`. */
  name: string;
  provider: Provider | "hosted";
  region: string;
  capacityType: CapacityType;
  /** The model group clients ask the gateway for. */
  modelName: string;
  /** The name the backend itself serves (`--served-model-name`). */
  servedModelName: string;
  /** OpenAI-compatible base URL, ending in `/v1`. */
  baseUrl: string;
  /** Name of the environment variable the gateway reads this backend's API key from. */
  apiKeySecretEnv: string;
  /** USD per hour for one replica (its share of the node). */
  costPerHour: number;
  /**
   * Runs a fixed number of replicas, paid for whether used or not, so the gateway tries it first (LiteLLM order
   * 1, as reserved capacity). Defaults to false: an autoscaled tier, tried by its capacity type.
   */
  fixed?: boolean;
  /**
   * The most requests the backend serves at once at its latency SLO (all its replicas at their most). The gateway
   * sends it no more (LiteLLM `max_parallel_requests`, split across the proxy replicas): the rest overflows to the
   * next tier, and comes back when load falls. Defaults to no cap.
   */
  maxConcurrentRequests?: number;
  /** Measured output tokens per second for one replica. */
  tokensPerSecond: number;
  expectedLatencyMs: number;
}
