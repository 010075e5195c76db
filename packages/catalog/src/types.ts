import type { CapacityType, GpuTypeId, Provider } from "./constants";

/** One NVIDIA GPU model as it appears in instance types across providers. */
export interface GpuType {
  id: GpuTypeId;
  displayName: string;
  /** Nominal memory per GPU as marketed (80 for an "80 GB" H100; HBM is binary-sized, so this is GiB). */
  memoryGiB: number;
  /** How the GPUs of one node talk to each other: NVLink/NVSwitch (SXM boards) or PCIe only. */
  interconnect: "nvlink" | "pcie";
  /** NVIDIA GPU Feature Discovery label value `nvidia.com/gpu.product`, e.g. `NVIDIA-H100-80GB-HBM3`. */
  nvidiaProduct: string;
  /** URL or `owner/repo:path` the figures come from. */
  source: string;
  /** ISO date (yyyy-mm-dd) the figures were last checked against `source`. */
  verifiedOn: string;
}

/** One purchasable GPU machine shape of one provider, priced per whole node. */
export interface InstanceType {
  provider: Provider;
  /** The provider's own name: EC2 instance type, GCE machine type, CKS `instanceType`, Lambda instance type. */
  name: string;
  gpuType: GpuTypeId;
  gpusPerNode: number;
  vcpus: number;
  /** Host RAM in GiB. */
  memoryGiB: number;
  /** Local NVMe/SSD included in the price, in GiB (0 where there is none or it is billed separately). */
  localNvmeGiB: number;
  /** USD per whole node per hour — never per GPU. */
  onDemandPerNodeHour: number;
  /** USD per whole node per hour on spot; undefined where the provider/SKU has no spot or it is not priced here. */
  spotPerNodeHour: number | undefined;
  /** Fraction 0..1 off on-demand for reserved/committed capacity (0 where none is known). */
  reservedDiscount: number;
  /** Smallest number of nodes that can be bought (1 everywhere today; a CoreWeave node is always 8 GPUs). */
  minPurchaseNodes: number;
  /** GKE `guestAccelerators[].type` (e.g. `nvidia-h100-80gb`); undefined off GCP. */
  gcpAcceleratorType: string | undefined;
  /** Region (or price zone) the prices are quoted for. */
  priceRegion: string;
  /** URL or `owner/repo:path` for the prices; spec sources follow after `; specs:` where they differ. */
  source: string;
  /** ISO date (yyyy-mm-dd) the prices were last checked against `source`. */
  verifiedOn: string;
}

/** Egress prices charged by one provider for data leaving it. */
export interface EgressPrice {
  provider: Provider;
  /** USD per GB to another place in the same provider (same-region assumption; see `note`). */
  sameProviderPerGB: number;
  /** USD per GB to the internet — which is also what reaching any other cloud costs the sender. */
  internetPerGB: number;
  /** What the figure assumes and what it leaves out. */
  note: string;
  source: string;
  verifiedOn: string;
}

/** What keeping data in one provider costs a month. */
export interface StoragePrice {
  provider: Provider;
  /** USD per GB-month of the standard (hot) object-storage class; null where the provider sells none. */
  objectStoragePerGBMonth: number | null;
  /** USD per GB-month of a shared filesystem, where one is listed; null otherwise. */
  filesystemPerGBMonth: number | null;
  note: string;
  source: string;
  verifiedOn: string;
}

/** A request for GPU capacity, answered by `cheapestFit`. */
export interface FitQuery {
  /** GPUs wanted in total (positive integer). */
  gpus: number;
  /** Minimum memory per GPU, in GiB. */
  minGpuMemoryGiB: number;
  capacityType: CapacityType;
  /** Providers to consider. Defaults to all of them. */
  providers?: readonly Provider[];
}

/** The cheapest way to satisfy a {@link FitQuery} with whole nodes of one instance type. */
export interface Fit {
  instanceType: InstanceType;
  nodes: number;
  /** USD per hour for all `nodes` at the query's capacity type. */
  hourlyCost: number;
}
