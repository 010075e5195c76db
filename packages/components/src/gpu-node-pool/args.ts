import type * as pulumi from "@pulumi/pulumi";
import type { CapacityType, GpuTypeId, InstanceTypeDefinition, Provider } from "@switchyard/catalog";
import type { Taint } from "../contracts";

/** An instance type defined in the arguments (the catalog's fields; `provider` defaults to the pool's). */
export type InstanceTypeDefinitionArgs = Omit<InstanceTypeDefinition, "provider"> & { provider?: Provider };

/** A pool of GPU nodes on one cloud, described once whatever the cloud. */
export interface GpuNodePoolArgs {
  /** Which cloud runs the nodes; exactly the matching block (`aws`, `gcp`, `coreweave` or `lambda`) must be set. No default. */
  provider: Provider;
  /**
   * Region of the nodes, spelt as the provider spells it: AWS or GCP region (`us-east-1`, `us-central1`),
   * CoreWeave zone or region (`US-EAST-04A`, `US-EAST-04`), Lambda region (`us-east-1`). Checked against
   * `@switchyard/catalog`'s region lists; a misspelling is refused with a "did you mean". Used for
   * placement, cost and egress. No default.
   */
  region: string;
  /**
   * Accept a `region` the catalog does not list yet (a real region newer than the catalog); it is then
   * passed to the cloud unchecked. Defaults to false.
   */
  allowUnlistedRegion?: boolean;
  /**
   * Instance type of the nodes: a catalog name, e.g. `p5.48xlarge` or `gd-8xh100ib-i128`, or a full definition
   * (the catalog's fields: `name`, `gpuType`, `gpusPerNode`, `vcpus`, `memoryGiB`, `onDemandPerNodeHour`, …) for a
   * shape the catalog lacks or with your contract prices, e.g. `{ name: "g6.xlarge", gpuType: "L4", gpusPerNode: 1,
   * vcpus: 4, memoryGiB: 16, onDemandPerNodeHour: 0.805, spotPerNodeHour: 0.35 }`. Set this or `gpuType`, never
   * both. No default: Switchyard never picks a GPU for you.
   */
  instanceType?: string | InstanceTypeDefinitionArgs;
  /**
   * GPU type; the pool then uses the catalog's cheapest instance type of this provider with this GPU
   * at the chosen capacity type. Set this or `instanceType`. No default.
   */
  gpuType?: GpuTypeId;
  /**
   * How the nodes are bought: `reserved` (committed capacity, billed at the catalog's reserved rate),
   * `on-demand`, or `spot` (interruptible). No default: it decides the bill.
   */
  capacityType: CapacityType;
  /** Fewest nodes the pool keeps, whole nodes. Defaults to 0 (nothing runs, nothing is billed, until workloads ask). */
  minNodes?: number;
  /** Most nodes the pool may grow to. No default. */
  maxNodes: number;
  /** Extra labels for the nodes. Defaults to none; the pool always adds its own `switchyard.dev/pool` label. */
  labels?: Record<string, string>;
  /**
   * Taints for the nodes, in Kubernetes spelling (`NoSchedule`); each backend translates them to its API.
   * Defaults to `switchyard.dev/dedicated=gpu:NoSchedule`, which VllmServing tolerates.
   */
  taints?: Taint[];
  /**
   * Local disk (GiB) the pods one node runs request together (`ephemeral-storage`): for VllmServing, its replicas per
   * node × its request, e.g. 4 × 156 for four replicas of a 70B bf16 checkpoint each downloading from the Hub
   * (`vllmEphemeralStorageGiB` in @switchyard/catalog). The kubelet keeps it on the node's local NVMe where the pool
   * puts it there (AWS AL2023 with instance store, GKE with Local SSD, CoreWeave, Lambda), else on the node disk,
   * which is then sized for it (`aws.diskSizeGiB`, `gcp.diskSizeGiB`); either way it must fit, with 85 GiB for images
   * and the system, under 85% full (`nodeDiskGiB`). Defaults to 0: a 200 GiB node disk.
   */
  ephemeralStoragePerNodeGiB?: number;
  /** AWS EKS settings; required when `provider` is `aws`. */
  aws?: AwsGpuNodePoolArgs;
  /** GKE settings; required when `provider` is `gcp`. */
  gcp?: GcpGpuNodePoolArgs;
  /** CoreWeave CKS settings; required when `provider` is `coreweave` (may be `{}`). */
  coreweave?: CoreWeaveGpuNodePoolArgs;
  /** Lambda Cloud settings; required when `provider` is `lambda`. */
  lambda?: LambdaGpuNodePoolArgs;
}

export type EksNvidiaAmiType = "AL2023_x86_64_NVIDIA" | "BOTTLEROCKET_x86_64_NVIDIA";

/** AWS: an EKS managed node group, or — when `karpenter` is set — a Karpenter NodePool + EC2NodeClass. */
export interface AwsGpuNodePoolArgs {
  /** Name of the EKS cluster. No default. */
  clusterName: pulumi.Input<string>;
  /** IAM role ARN for the managed node group's nodes; required unless `karpenter` is set. No default. */
  nodeRoleArn?: pulumi.Input<string>;
  /** Private subnets for the managed node group; required unless `karpenter` is set. No default. */
  subnetIds?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * NVIDIA AMI type for the managed node group. `AL2023_x86_64_NVIDIA` needs the NVIDIA device plugin
   * installed in the cluster; Bottlerocket's includes it. With AL2023 on an instance type with instance-store NVMe
   * (p5.48xlarge: 8 × 3.84 TB), the node group gets a launch template whose NodeConfig makes the NVMe one RAID0
   * array holding the kubelet's and containerd's directories, so pods' local disk is NVMe. Defaults to
   * `AL2023_x86_64_NVIDIA`.
   */
  amiType?: EksNvidiaAmiType;
  /**
   * Size of the EBS volume holding the kubelet's directory (the root volume on AL2023, the data volume on
   * Bottlerocket), gp3, encrypted. Where pods' local disk is on it (no instance-store NVMe, or Bottlerocket), it must
   * hold `ephemeralStoragePerNodeGiB` with 85 GiB for images under 85% full, and a smaller size is refused. Defaults
   * to that size, at least 200.
   */
  diskSizeGiB?: number;
  /**
   * More instance types with the same GPU type and count as `instanceType`, so spot requests can draw
   * on several capacity pools. Defaults to none.
   */
  additionalInstanceTypes?: string[];
  /** Provision with Karpenter instead of a managed node group. Defaults to unset (managed node group). */
  karpenter?: KarpenterArgs;
}

export interface KarpenterArgs {
  /** IAM role name Karpenter gives the nodes (EC2NodeClass `role`). No default. */
  nodeRoleName: pulumi.Input<string>;
  /** Value of the `karpenter.sh/discovery` tag on the subnets and security groups to use. No default. */
  discoveryTagValue: pulumi.Input<string>;
  /** Pinned AMI alias, e.g. `al2023@v20250920` or `bottlerocket@v1.46.0`; `@latest` drifts and is refused. No default. */
  amiAlias: string;
  /** EC2 capacity reservation ids to launch into; required for `capacityType: reserved`. Defaults to none. */
  capacityReservationIds?: string[];
  /** How long a node must be empty before Karpenter removes it. Defaults to 300. */
  consolidateAfterSeconds?: number;
}

export type GkeGpuDriverVersion = "DEFAULT" | "LATEST" | "INSTALLATION_DISABLED";

/** GCP: a GKE node pool with guest accelerators. */
export interface GcpGpuNodePoolArgs {
  /** Name or id of the GKE cluster. No default. */
  cluster: pulumi.Input<string>;
  /** GCP project; defaults to the provider's project. */
  project?: pulumi.Input<string>;
  /** Zones within `region` that offer this GPU. Defaults to the cluster's node locations. */
  nodeLocations?: string[];
  /**
   * GPU driver GKE installs; always set explicitly because older GKE versions installed none when it was
   * omitted. Defaults to `DEFAULT` (the driver version matched to the node's GKE version).
   */
  gpuDriverVersion?: GkeGpuDriverVersion;
  /**
   * Boot disk size (pd-balanced). On a machine type with bundled Local SSD (A3: 16 × 375 GiB) the SSDs back the
   * node's ephemeral storage (`ephemeralStorageLocalSsdConfig`), so pods' local disk is NVMe; otherwise the boot disk
   * holds it and must fit `ephemeralStoragePerNodeGiB` with 85 GiB for images under 85% full (a smaller size is
   * refused). Defaults to that size, at least 200.
   */
  diskSizeGiB?: number;
  /** Node service account email; defaults to the project's Compute Engine default account. */
  serviceAccount?: pulumi.Input<string>;
  /** Reservation to consume when `capacityType` is `reserved`; defaults to any matching reservation. */
  reservationName?: string;
}

/** CoreWeave: a CKS `compute.coreweave.com/v1alpha1` NodePool custom resource. */
export interface CoreWeaveGpuNodePoolArgs {
  /** NVIDIA driver major version (`spec.gpu.version`, e.g. `"570"`). Defaults to CoreWeave's choice. */
  gpuDriverVersion?: string;
}

/** Lambda: on-demand instances launched through the Lambda Cloud API and joined to a Kubernetes cluster. */
export interface LambdaGpuNodePoolArgs {
  /** Lambda Cloud API key (pass a Pulumi secret). No default. */
  apiKey: pulumi.Input<string>;
  /** The one SSH key registered in the Lambda account to put on the instances. No default. */
  sshKeyName: string;
  /** Lambda filesystem to attach (same region). Defaults to none. */
  fileSystemName?: string;
  /** The Kubernetes cluster the instances join. No default. */
  cluster: LambdaClusterJoinArgs;
  /** Lambda Cloud API base URL. Defaults to `https://cloud.lambda.ai/api/v1`. */
  apiBaseUrl?: string;
}

export interface LambdaClusterJoinArgs {
  /** Kubernetes distribution of the cluster: `k3s` or `rke2`. No default. */
  distribution: "k3s" | "rke2";
  /** Pinned agent version matching the server, e.g. `v1.31.4+k3s1`. No default. */
  version: string;
  /** Server URL the agents register with, e.g. `https://10.0.0.5:6443` (k3s) or `:9345` (rke2). No default. */
  serverUrl: string;
  /** Cluster join token (pass a Pulumi secret). No default. */
  joinToken: pulumi.Input<string>;
}
