/**
 * The components as other Pulumi languages see them: the shapes Pulumi's schema inference reads (`schema.json` is
 * generated from this file by `bash scripts/dev.sh provider-schema`, and CI fails when the two differ).
 *
 * Each args interface is the library's, with only what the inference cannot carry reshaped:
 * - string-literal unions become named enums (`const X = {...} as const` + `type X`), the form the inference maps to
 *   a schema enum; the values are the library's, and packages/provider/test/schema.test.ts checks they stay equal;
 * - `instanceType: string | definition` becomes `instanceType` (a catalog name) or `instanceTypeDefinition`;
 * - `streamTimeoutSecondsByTier`, a record keyed by tier, becomes a map of strings (the library checks the keys);
 * - `VllmServing.weightSource` (Kubernetes volume and container objects) is left out: across the boundary the
 *   weights come from the Hugging Face Hub or a `--load-format` the `extraArgs` name;
 * - the Lambda pool (a Node.js dynamic resource, which only the Node SDK can run) is left out;
 * - the values one component passes another (`GpuNodePool.placement` → `VllmServing.placement`,
 *   `VllmServing.backend` → `LiteLLMGatewayConfig.backends`) are plain objects, not resource references (pulumi
 *   issue 18484); the provider resolves them before it constructs, so they must be known at preview, which a pool's
 *   placement and a deployment's backend always are.
 *
 * The classes here are declarations only: the provider constructs the library's own components (src/provider.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as lib from "@switchyard/components";

/** The cloud that runs a pool. */
export const CloudProvider = { aws: "aws", gcp: "gcp", coreweave: "coreweave", lambda: "lambda" } as const;
export type CloudProvider = (typeof CloudProvider)[keyof typeof CloudProvider];

/** How nodes are bought. */
export const CapacityType = { reserved: "reserved", onDemand: "on-demand", spot: "spot" } as const;
export type CapacityType = (typeof CapacityType)[keyof typeof CapacityType];

/** A backend's provider: a cloud, or a hosted API. */
export const BackendProvider = { aws: "aws", gcp: "gcp", coreweave: "coreweave", lambda: "lambda", hosted: "hosted" } as const;
export type BackendProvider = (typeof BackendProvider)[keyof typeof BackendProvider];

/** GPU model, as the catalog names it. */
export const GpuType = { H100: "H100", H200: "H200", A100_80GB: "A100-80GB", A100_40GB: "A100-40GB", L40S: "L40S", L4: "L4", A10G: "A10G" } as const;
export type GpuType = (typeof GpuType)[keyof typeof GpuType];

/** Kubernetes taint effect. */
export const TaintEffect = { NoSchedule: "NoSchedule", PreferNoSchedule: "PreferNoSchedule", NoExecute: "NoExecute" } as const;
export type TaintEffect = (typeof TaintEffect)[keyof typeof TaintEffect];

/** Kubernetes toleration operator. */
export const TolerationOperator = { Equal: "Equal", Exists: "Exists" } as const;
export type TolerationOperator = (typeof TolerationOperator)[keyof typeof TolerationOperator];

/** EKS NVIDIA AMI type. */
export const EksNvidiaAmiType = { AL2023: "AL2023_x86_64_NVIDIA", Bottlerocket: "BOTTLEROCKET_x86_64_NVIDIA" } as const;
export type EksNvidiaAmiType = (typeof EksNvidiaAmiType)[keyof typeof EksNvidiaAmiType];

/** GPU driver GKE installs. */
export const GkeGpuDriverVersion = { Default: "DEFAULT", Latest: "LATEST", InstallationDisabled: "INSTALLATION_DISABLED" } as const;
export type GkeGpuDriverVersion = (typeof GkeGpuDriverVersion)[keyof typeof GkeGpuDriverVersion];

/** Weight data type of a checkpoint. */
export const Dtype = { fp32: "fp32", bf16: "bf16", fp16: "fp16", fp8: "fp8", int8: "int8", int4: "int4" } as const;
export type Dtype = (typeof Dtype)[keyof typeof Dtype];

/** vLLM `--quantization` method. */
export const VllmQuantization = {
  fp8: "fp8",
  awq: "awq",
  awqMarlin: "awq_marlin",
  gptq: "gptq",
  gptqMarlin: "gptq_marlin",
  bitsandbytes: "bitsandbytes",
  fbgemmFp8: "fbgemm_fp8",
  modelopt: "modelopt",
  compressedTensors: "compressed-tensors",
} as const;
export type VllmQuantization = (typeof VllmQuantization)[keyof typeof VllmQuantization];

/** What scales a vLLM Deployment: KEDA (can wake from zero) or a HorizontalPodAutoscaler. */
export const AutoscalingMode = { keda: "keda", hpa: "hpa" } as const;
export type AutoscalingMode = (typeof AutoscalingMode)[keyof typeof AutoscalingMode];

/** A node taint, in Kubernetes spelling. */
export interface Taint extends Omit<lib.Taint, "effect"> {
  effect: TaintEffect;
}

/** A toleration the pods need to run on a pool's nodes. */
export interface Toleration extends Omit<lib.Toleration, "operator" | "effect"> {
  operator: TolerationOperator;
  effect?: TaintEffect;
}

/** Where a pool's pods run: a GpuNodePool's `placement` output, passed to VllmServing as it is. */
export interface Placement extends Omit<lib.Placement, "provider" | "capacityType" | "gpuType" | "tolerations"> {
  provider: CloudProvider;
  capacityType: CapacityType;
  gpuType: GpuType;
  tolerations: Toleration[];
}

/** An instance type the catalog lacks, or a catalog one with your contract prices (the catalog's fields). */
export interface InstanceTypeDefinition {
  /** The provider's instance type name, e.g. `g6.xlarge`. */
  name: string;
  /** Defaults to the pool's provider. */
  provider?: CloudProvider;
  gpuType: GpuType;
  gpusPerNode: number;
  vcpus: number;
  memoryGiB: number;
  /** Local NVMe per node (GiB). Defaults to 0. */
  localNvmeGiB?: number;
  /** Price per node-hour on demand (USD). */
  onDemandPerNodeHour: number;
  /** Price per node-hour on spot (USD); only where the provider sells spot. */
  spotPerNodeHour?: number;
  /** Fraction off on-demand for reserved capacity, in [0, 1). Defaults to 0. */
  reservedDiscount?: number;
  /** Fewest nodes the provider sells at once. Defaults to 1. */
  minPurchaseNodes?: number;
  /** GKE accelerator type, e.g. `nvidia-l4`; required on gcp, refused elsewhere. */
  gcpAcceleratorType?: string;
  /** Region the prices are for. */
  priceRegion?: string;
  /** Where the figures come from. Defaults to `user-defined`. */
  source?: string;
  /** ISO date the figures were checked. */
  verifiedOn?: string;
}

/** AWS EKS settings of a pool. */
export interface AwsGpuNodePoolArgs extends Omit<lib.AwsGpuNodePoolArgs, "amiType"> {
  /** NVIDIA AMI type for the managed node group. Defaults to `AL2023_x86_64_NVIDIA`. */
  amiType?: EksNvidiaAmiType;
}

/** GKE settings of a pool. */
export interface GcpGpuNodePoolArgs extends Omit<lib.GcpGpuNodePoolArgs, "gpuDriverVersion"> {
  /** GPU driver GKE installs. Defaults to `DEFAULT`. */
  gpuDriverVersion?: GkeGpuDriverVersion;
}

/** A pool of GPU nodes on one cloud (AWS, GCP or CoreWeave across the boundary). */
export interface GpuNodePoolArgs extends Omit<lib.GpuNodePoolArgs, "provider" | "instanceType" | "gpuType" | "capacityType" | "taints" | "aws" | "gcp" | "lambda"> {
  /** Which cloud runs the nodes; exactly the matching block (`aws`, `gcp` or `coreweave`) must be set. */
  provider: CloudProvider;
  /** Instance type of the nodes, a catalog name (e.g. `p5.48xlarge`). Set this, `instanceTypeDefinition` or `gpuType`. */
  instanceType?: string;
  /** A full instance type definition, for a shape the catalog lacks or with your contract prices. */
  instanceTypeDefinition?: InstanceTypeDefinition;
  /** GPU type; the pool then uses the catalog's cheapest instance type of this provider with this GPU. */
  gpuType?: GpuType;
  /** How the nodes are bought: `reserved`, `on-demand` or `spot`. No default: it decides the bill. */
  capacityType: CapacityType;
  /** Taints for the nodes. Defaults to `switchyard.dev/dedicated=gpu:NoSchedule`, which VllmServing tolerates. */
  taints?: Taint[];
  /** AWS EKS settings; required when `provider` is `aws`. */
  aws?: AwsGpuNodePoolArgs;
  /** GKE settings; required when `provider` is `gcp`. */
  gcp?: GcpGpuNodePoolArgs;
}

/**
 * A pool of GPU nodes on one cloud, described once whatever the cloud: an EKS managed node group or Karpenter
 * NodePool, a GKE node pool, or a CoreWeave CKS NodePool.
 */
export declare class GpuNodePool extends pulumi.ComponentResource {
  /** Where VllmServing's pods run: pass it to `VllmServing.placement`. */
  readonly placement: pulumi.Output<Placement>;
  readonly poolName: pulumi.Output<string>;
  readonly provider: pulumi.Output<string>;
  readonly capacityType: pulumi.Output<string>;
  readonly instanceType: pulumi.Output<string>;
  readonly gpuType: pulumi.Output<string>;
  readonly gpusPerNode: pulumi.Output<number>;
  /** What one node costs per hour at this pool's capacity type (USD). */
  readonly hourlyCostPerNode: pulumi.Output<number>;
  constructor(name: string, args: GpuNodePoolArgs, opts?: pulumi.ComponentResourceOptions);
}

/** The model vLLM serves, pinned to one Hugging Face commit. */
export interface VllmModelArgs extends Omit<lib.VllmModelArgs, "dtype"> {
  /** Weight data type of the checkpoint. */
  dtype: Dtype;
}

/** Autoscaling of the vLLM Deployment on its requests in flight. */
export interface VllmAutoscalingArgs extends Omit<lib.VllmAutoscalingArgs, "mode"> {
  /** `keda` (scales to and from zero) or `hpa`. */
  mode: AutoscalingMode;
}

/** vLLM on a GpuNodePool's nodes. */
export interface VllmServingArgs extends Omit<lib.VllmServingArgs, "placement" | "model" | "weightSource" | "quantization" | "autoscaling"> {
  /** Where the pods run: the `placement` output of a `GpuNodePool`. Must be known at preview. */
  placement: pulumi.Input<Placement>;
  /** The model to serve. */
  model: VllmModelArgs;
  /** vLLM `--quantization` method. Defaults to none (vLLM detects it from the checkpoint). */
  quantization?: VllmQuantization;
  /** Autoscaling on requests in flight. Defaults to none: a fixed `minReplicas` replicas. */
  autoscaling?: VllmAutoscalingArgs;
}

/** How the gateway sees one deployment: VllmServing's `backend` output, or a hosted API. */
export interface Backend extends Omit<lib.Backend, "provider" | "capacityType"> {
  provider: BackendProvider;
  capacityType: CapacityType;
}

/** vLLM serving one model on one GpuNodePool: Deployment, Service, PodDisruptionBudget, NetworkPolicy, scaler. */
export declare class VllmServing extends pulumi.ComponentResource {
  readonly serviceName: pulumi.Output<string>;
  /** In-cluster OpenAI-compatible base URL (`http://<service>.<namespace>.svc:8000/v1`). */
  readonly endpoint: pulumi.Output<string>;
  /** The Ingress URL, when `ingress` is set. */
  readonly externalEndpoint: pulumi.Output<string | undefined>;
  /** The key vLLM requires (a secret). */
  readonly apiKey: pulumi.Output<string>;
  /** How the gateway sees this deployment: pass it in `LiteLLMGatewayConfig.backends`. */
  readonly backend: pulumi.Output<Backend>;
  constructor(name: string, args: VllmServingArgs, opts?: pulumi.ComponentResourceOptions);
}

/** Timeouts, retries and cooldowns of the gateway. */
export interface GatewayReliabilityArgs extends Omit<lib.GatewayReliabilityArgs, "streamTimeoutSecondsByTier"> {
  /** Seconds without a token before a stream moves on, per tier (`reserved`, `on-demand`, `spot`, `hosted`). */
  streamTimeoutSecondsByTier?: Record<string, number>;
}

/** The LiteLLM gateway routing to the backends. */
export interface LiteLLMGatewayConfigArgs extends Omit<lib.LiteLLMGatewayConfigArgs, "backends" | "reliability"> {
  /** The backends to route to: VllmServing `backend` outputs and hosted APIs. Must be known at preview. */
  backends: pulumi.Input<pulumi.Input<Backend>[]>;
  /** Timeouts, retries and cooldowns. */
  reliability?: GatewayReliabilityArgs;
}

/** The LiteLLM proxy routing over every backend: ConfigMap, Secrets, Deployment, Service, PDB, NetworkPolicy. */
export declare class LiteLLMGatewayConfig extends pulumi.ComponentResource {
  /** In-cluster base URL of the gateway. */
  readonly endpoint: pulumi.Output<string>;
  readonly serviceName: pulumi.Output<string>;
  readonly credentialsSecretName: pulumi.Output<string>;
  readonly backendKeysSecretName: pulumi.Output<string>;
  readonly configMapName: pulumi.Output<string>;
  /** The gateway's master key (a secret). */
  readonly masterKey: pulumi.Output<string>;
  /** The labels of the gateway pods (what VllmServing's `gateway.podLabels` admits). */
  readonly podLabels: pulumi.Output<Record<string, string>>;
  constructor(name: string, args: LiteLLMGatewayConfigArgs, opts?: pulumi.ComponentResourceOptions);
}
