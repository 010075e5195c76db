import {
  CAPACITY_TYPES,
  GPU_TYPE_IDS,
  NODE_DISK_FILL_LIMIT,
  NODE_DISK_SYSTEM_GIB,
  PROVIDERS,
  defaultNodeDiskGiB,
  defineInstanceType,
  findInstanceType,
  getGpuType,
  instanceTypesFor,
  instanceTypesWithGpu,
  nodeDiskGiB,
  nodeHourlyCost,
  PROVIDER_CAPACITY_TYPES,
  providerSellsCapacityType,
  regionProblem,
  supportsCapacityType,
} from "@switchyard/catalog";
import type { CapacityType, InstanceType, Provider } from "@switchyard/catalog";
import type { Placement, Taint, Toleration } from "../contracts";
import { ArgChecks, isKnown, oneOf } from "../internal/errors";
import { GPU_TAINT_KEY, LABEL_PREFIX, POOL_LABEL } from "../internal/labels";
import { DNS1123_HINT, KUBELET_RESTRICTED_HINT, isDns1123Label, isKubeletRestrictedLabel, isLabelKey, isLabelValue } from "../internal/names";
import { lambdaCloudInitProblems } from "./lambda";
import type {
  AwsGpuNodePoolArgs,
  CoreWeaveGpuNodePoolArgs,
  GcpGpuNodePoolArgs,
  GpuNodePoolArgs,
  InstanceTypeDefinitionArgs,
  KarpenterArgs,
  LambdaGpuNodePoolArgs,
} from "./args";

const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;
const EKS_AMI_TYPES = ["AL2023_x86_64_NVIDIA", "BOTTLEROCKET_x86_64_NVIDIA"] as const;
const GKE_DRIVER_VERSIONS = ["DEFAULT", "LATEST", "INSTALLATION_DISABLED"] as const;
/** Size of one GCE Local SSD disk, GiB. */
const GCP_LOCAL_SSD_GIB = 375;
/** GKE node pool names are at most 40 characters (GKE API). */
const GKE_POOL_NAME_MAX = 40;
/** Pinned Karpenter AMI aliases: `al2023@v20250920`, `bottlerocket@v1.46.0`. */
const PINNED_AMI_ALIAS = /^(al2023|bottlerocket)@v\d+(\.\d+)*$/;

/** The taint a pool gets when none is given: keeps non-GPU pods off expensive nodes. */
export const DEFAULT_GPU_POOL_TAINT: Taint = { key: `${LABEL_PREFIX}/dedicated`, value: "gpu", effect: "NoSchedule" };

export interface ResolvedAws {
  clusterName: AwsGpuNodePoolArgs["clusterName"];
  nodeRoleArn: AwsGpuNodePoolArgs["nodeRoleArn"];
  subnetIds: AwsGpuNodePoolArgs["subnetIds"];
  amiType: (typeof EKS_AMI_TYPES)[number];
  diskSizeGiB: number;
  /**
   * The instance-store NVMe becomes one RAID0 array holding the kubelet's and containerd's directories: a launch
   * template's NodeConfig (managed node group) or `instanceStorePolicy` (Karpenter). AL2023 with NVMe only.
   */
  instanceStoreRaid0: boolean;
  karpenter: (KarpenterArgs & { consolidateAfterSeconds: number; capacityReservationIds: string[] }) | undefined;
}

export interface ResolvedGcp extends GcpGpuNodePoolArgs {
  gpuDriverVersion: (typeof GKE_DRIVER_VERSIONS)[number];
  diskSizeGiB: number;
  acceleratorType: string;
  /** Local SSDs backing the node's ephemeral storage (`ephemeralStorageLocalSsdConfig`); undefined without. */
  localSsdCount: number | undefined;
}

/** Where the kubelet keeps pods' local disk (emptyDir volumes, writable layers, logs) on this pool's nodes. */
export interface ResolvedEphemeralStorage {
  /** `local-nvme`: instance-store NVMe or Local SSD; `node-disk`: the node's EBS volume or boot disk. */
  on: "local-nvme" | "node-disk";
  /** What the pods of one node request together (`ephemeralStoragePerNodeGiB`). */
  requestedPerNodeGiB: number;
  /** The disk it needs with images and system under 85% full (`nodeDiskGiB`). */
  requiredGiB: number;
  /** Local NVMe per node, the smallest of the pool's instance types (0 without). */
  localNvmeGiB: number;
}

export interface ResolvedGpuNodePool {
  /** The pool's name on the cloud (EKS node group, GKE node pool, CKS NodePool, Lambda instance prefix). */
  poolName: string;
  provider: Provider;
  region: string;
  capacityType: CapacityType;
  instance: InstanceType;
  /** `instance.name` first, then any additional types (AWS). */
  instanceTypes: string[];
  minNodes: number;
  maxNodes: number;
  /** Node labels, including the pool label the Placement selects on. */
  labels: Record<string, string>;
  taints: Taint[];
  placement: Placement;
  ephemeralStorage: ResolvedEphemeralStorage;
  aws: ResolvedAws | undefined;
  gcp: ResolvedGcp | undefined;
  coreweave: CoreWeaveGpuNodePoolArgs | undefined;
  lambda: LambdaGpuNodePoolArgs | undefined;
}

/**
 * Validates a GpuNodePool's arguments and fills the derived defaults. Throws one
 * `pulumi.InputPropertiesError` listing every problem; pure, so tests call it without mocks.
 */
export function resolveGpuNodePoolArgs(name: string, args: GpuNodePoolArgs): ResolvedGpuNodePool {
  const checks = new ArgChecks("GpuNodePool", name);
  checks.check(isDns1123Label(name), "name", name, DNS1123_HINT);

  const providerOk = checks.check((PROVIDERS as readonly string[]).includes(args.provider), "provider", args.provider, `must be ${oneOf(PROVIDERS)}`);
  checkProviderBlocks(checks, args, providerOk);
  checkRegion(checks, args, providerOk);
  const capacityOk = checks.check((CAPACITY_TYPES as readonly string[]).includes(args.capacityType), "capacityType", args.capacityType, `must be ${oneOf(CAPACITY_TYPES)}`);

  const instance = providerOk && capacityOk ? chooseInstanceType(checks, args) : undefined;
  const minNodes = args.minNodes ?? 0;
  checkNodeCounts(checks, args, minNodes);
  checkLabels(checks, args.labels ?? {});
  const taints = args.taints ?? [DEFAULT_GPU_POOL_TAINT];
  checkTaints(checks, taints);

  const additionalTypes = args.provider === "aws" && instance ? checkAdditionalInstanceTypes(checks, args, instance) : [];
  const ephemeral = resolveEphemeralStorage(checks, args, instance ? [instance, ...additionalTypes] : []);
  const aws = args.provider === "aws" && args.aws ? resolveAws(checks, args, args.aws, minNodes, ephemeral) : undefined;
  const gcp = args.provider === "gcp" && args.gcp && instance ? resolveGcp(checks, name, args.gcp, instance, ephemeral) : undefined;
  if (args.provider === "coreweave" && args.coreweave) checkCoreWeave(checks, args.coreweave);
  if (args.provider === "lambda" && args.lambda) checkLambda(checks, args, args.lambda, minNodes, { ...args.labels, [POOL_LABEL]: name }, taints);

  checks.throwIfAny();
  // Every check above passed, so the instance type was found.
  const chosen = instance as InstanceType;
  const labels = { ...args.labels, [POOL_LABEL]: name };
  const instanceTypes = [chosen.name, ...additionalTypes.map((t) => t.name)];
  return {
    poolName: name,
    provider: args.provider,
    region: args.region,
    capacityType: args.capacityType,
    instance: chosen,
    instanceTypes,
    minNodes,
    maxNodes: args.maxNodes,
    labels,
    taints,
    placement: placementFor(name, args, chosen, additionalTypes, taints),
    ephemeralStorage: ephemeral,
    aws,
    gcp,
    coreweave: args.provider === "coreweave" ? args.coreweave : undefined,
    lambda: args.provider === "lambda" ? args.lambda : undefined,
  };
}

function checkProviderBlocks(checks: ArgChecks, args: GpuNodePoolArgs, providerOk: boolean): void {
  for (const provider of PROVIDERS) {
    const present = args[provider] !== undefined;
    if (providerOk && provider === args.provider && !present) {
      checks.add(provider, undefined, `is required when provider is "${provider}"`);
    } else if (present && provider !== args.provider) {
      checks.add(provider, "{...}", `must not be set when provider is "${args.provider}"; remove it or set provider to "${provider}"`);
    }
  }
}

function checkRegion(checks: ArgChecks, args: GpuNodePoolArgs, providerOk: boolean): void {
  const unlisted = args.allowUnlistedRegion ?? false;
  checks.check(typeof unlisted === "boolean", "allowUnlistedRegion", unlisted, "must be true or false");
  if (!checks.check(typeof args.region === "string" && args.region.length > 0, "region", args.region, "is required: the region (or CoreWeave zone) the nodes run in")) return;
  const problem = providerOk && unlisted !== true ? regionProblem(args.provider, args.region, "set allowUnlistedRegion: true") : undefined;
  if (problem !== undefined) checks.add("region", args.region, `${problem.reason}; ${problem.fix}`);
}

function chooseInstanceType(checks: ArgChecks, args: GpuNodePoolArgs): InstanceType | undefined {
  const { provider, capacityType } = args;
  if (args.instanceType !== undefined && args.gpuType !== undefined) {
    checks.add("gpuType", args.gpuType, `must not be set together with instanceType (${JSON.stringify(typeof args.instanceType === "string" ? args.instanceType : args.instanceType.name)}); keep one`);
    return undefined;
  }
  if (!providerSellsCapacityType(provider, capacityType)) {
    const sold = PROVIDER_CAPACITY_TYPES[provider];
    checks.add("capacityType", capacityType, `is not sold by ${provider}, which sells ${oneOf(sold)} capacity; use ${oneOf(sold)}`);
    return undefined;
  }
  if (args.instanceType !== undefined) {
    const instance = typeof args.instanceType === "string" ? findInstanceType(provider, args.instanceType) : definedInstanceType(checks, provider, args.instanceType);
    if (instance === undefined && typeof args.instanceType !== "string") return undefined;
    if (!instance) {
      const known = instanceTypesFor(provider).map((t) => t.name);
      checks.add("instanceType", args.instanceType, `is not in the catalog for ${provider}; use ${oneOf(known)}, or add it to @switchyard/catalog with its source`);
      return undefined;
    }
    if (!supportsCapacityType(instance, capacityType)) {
      checks.add("capacityType", capacityType, `has no ${capacityType} price in the catalog for ${instance.name}; choose another capacity type or add the price to @switchyard/catalog with its source`);
      return undefined;
    }
    return instance;
  }
  if (args.gpuType !== undefined) {
    if (!(GPU_TYPE_IDS as readonly string[]).includes(args.gpuType)) {
      checks.add("gpuType", args.gpuType, `must be ${oneOf(GPU_TYPE_IDS)}`);
      return undefined;
    }
    const candidates = instanceTypesWithGpu(args.gpuType, provider).filter((t) => supportsCapacityType(t, capacityType));
    const cheapest = cheapestPerNode(candidates, capacityType);
    if (!cheapest) {
      checks.add("gpuType", args.gpuType, `has no ${capacityType} instance type for ${provider} in the catalog; set instanceType or choose another GPU type`);
    }
    return cheapest;
  }
  const examples = instanceTypesFor(provider).slice(0, 3).map((t) => t.name);
  checks.add("instanceType", undefined, `or gpuType is required (Switchyard never picks a GPU for you); e.g. instanceType ${oneOf(examples)}`);
  return undefined;
}

/** Cheapest node at this capacity type; ties go to the alphabetically first name, so the choice is stable. */
function cheapestPerNode(candidates: readonly InstanceType[], capacityType: CapacityType): InstanceType | undefined {
  return [...candidates].sort((a, b) => nodeHourlyCost(a, capacityType) - nodeHourlyCost(b, capacityType) || a.name.localeCompare(b.name))[0];
}

function checkNodeCounts(checks: ArgChecks, args: GpuNodePoolArgs, minNodes: number): void {
  const minOk = checks.check(Number.isInteger(minNodes) && minNodes >= 0, "minNodes", minNodes, "must be a whole number ≥ 0");
  const maxOk = checks.check(Number.isInteger(args.maxNodes) && args.maxNodes >= 1, "maxNodes", args.maxNodes, "must be a whole number ≥ 1");
  if (minOk && maxOk) checks.check(minNodes <= args.maxNodes, "minNodes", minNodes, `must be ≤ maxNodes (${args.maxNodes}); lower minNodes or raise maxNodes`);
}

function checkLabels(checks: ArgChecks, labels: Record<string, string>): void {
  for (const [key, value] of Object.entries(labels)) {
    if (key === POOL_LABEL) {
      checks.add(`labels["${key}"]`, value, "is set by GpuNodePool itself (it is what the Placement selects on); remove it");
      continue;
    }
    const keyOk = checks.check(isLabelKey(key), `labels["${key}"]`, key, "is not a valid Kubernetes label key ([prefix/]name, name ≤ 63 characters of letters, digits, '-', '_', '.')");
    if (keyOk) checks.check(!isKubeletRestrictedLabel(key), `labels["${key}"]`, key, KUBELET_RESTRICTED_HINT);
    checks.check(isLabelValue(value), `labels["${key}"]`, value, "is not a valid Kubernetes label value (≤ 63 characters of letters, digits, '-', '_', '.')");
  }
}

function checkTaints(checks: ArgChecks, taints: Taint[]): void {
  taints.forEach((taint, i) => {
    checks.check(isLabelKey(taint.key), `taints[${i}].key`, taint.key, "is not a valid taint key ([prefix/]name)");
    checks.check(isLabelValue(taint.value), `taints[${i}].value`, taint.value, "is not a valid taint value (≤ 63 characters of letters, digits, '-', '_', '.')");
    checks.check((TAINT_EFFECTS as readonly string[]).includes(taint.effect), `taints[${i}].effect`, taint.effect, `must be ${oneOf(TAINT_EFFECTS)} (Kubernetes spelling; GpuNodePool translates it for each cloud's API)`);
  });
}

function checkAdditionalInstanceTypes(checks: ArgChecks, args: GpuNodePoolArgs, primary: InstanceType): InstanceType[] {
  const found: InstanceType[] = [];
  (args.aws?.additionalInstanceTypes ?? []).forEach((typeName, i) => {
    const property = `aws.additionalInstanceTypes[${i}]`;
    const instance = findInstanceType("aws", typeName);
    if (!instance) {
      checks.add(property, typeName, "is not in the catalog for aws; add it to @switchyard/catalog with its source");
    } else if (instance.gpuType !== primary.gpuType || instance.gpusPerNode !== primary.gpusPerNode) {
      checks.add(property, typeName, `has ${instance.gpusPerNode}× ${instance.gpuType}, but ${primary.name} has ${primary.gpusPerNode}× ${primary.gpuType}; every type in a pool must offer the same GPUs`);
    } else if (!supportsCapacityType(instance, args.capacityType)) {
      checks.add(property, typeName, `has no ${args.capacityType} price in the catalog`);
    } else if (instance.name === primary.name || found.some((t) => t.name === instance.name)) {
      checks.add(property, typeName, "is listed twice");
    } else {
      found.push(instance);
    }
  });
  return found;
}

function resolveAws(checks: ArgChecks, args: GpuNodePoolArgs, aws: AwsGpuNodePoolArgs, minNodes: number, ephemeral: ResolvedEphemeralStorage): ResolvedAws {
  const amiType = aws.amiType ?? "AL2023_x86_64_NVIDIA";
  checks.check((EKS_AMI_TYPES as readonly string[]).includes(amiType), "aws.amiType", amiType, `must be an NVIDIA AMI type: ${oneOf(EKS_AMI_TYPES)} (AL2 GPU AMIs are end of life)`);
  const instanceStoreRaid0 = ephemeral.on === "local-nvme";
  const diskSizeGiB = resolveNodeDisk(checks, "aws.diskSizeGiB", aws.diskSizeGiB, ephemeral);
  if (!aws.karpenter) {
    checks.check(aws.nodeRoleArn !== undefined, "aws.nodeRoleArn", undefined, "is required for a managed node group (or set aws.karpenter)");
    checks.check(aws.subnetIds !== undefined, "aws.subnetIds", undefined, "is required for a managed node group (or set aws.karpenter)");
    return { clusterName: aws.clusterName, nodeRoleArn: aws.nodeRoleArn, subnetIds: aws.subnetIds, amiType, diskSizeGiB, instanceStoreRaid0, karpenter: undefined };
  }
  const k = aws.karpenter;
  checks.check(aws.nodeRoleArn === undefined && aws.subnetIds === undefined, "aws.nodeRoleArn", "{...}", "and aws.subnetIds belong to managed node groups; with aws.karpenter use karpenter.nodeRoleName and karpenter.discoveryTagValue");
  checks.check(aws.amiType === undefined, "aws.amiType", aws.amiType, "belongs to managed node groups; with aws.karpenter pin the AMI with karpenter.amiAlias");
  checks.check(typeof k.amiAlias === "string" && PINNED_AMI_ALIAS.test(k.amiAlias), "aws.karpenter.amiAlias", k.amiAlias, "must pin a version, e.g. \"al2023@v20250920\" or \"bottlerocket@v1.46.0\"; \"@latest\" changes the AMI under running nodes");
  checks.check(minNodes === 0, "minNodes", minNodes, "must be 0 with Karpenter, which launches nodes only for pending pods; keep a warm floor with VllmServing minReplicas instead");
  const capacityReservationIds = k.capacityReservationIds ?? [];
  if (args.capacityType === "reserved") {
    checks.check(capacityReservationIds.length > 0, "aws.karpenter.capacityReservationIds", capacityReservationIds, "must name at least one EC2 capacity reservation when capacityType is \"reserved\"");
  } else {
    checks.check(capacityReservationIds.length === 0, "aws.karpenter.capacityReservationIds", capacityReservationIds, `only apply when capacityType is "reserved" (it is "${args.capacityType}")`);
  }
  const consolidateAfterSeconds = k.consolidateAfterSeconds ?? 300;
  checks.check(Number.isInteger(consolidateAfterSeconds) && consolidateAfterSeconds >= 0, "aws.karpenter.consolidateAfterSeconds", consolidateAfterSeconds, "must be a whole number of seconds ≥ 0");
  return { clusterName: aws.clusterName, nodeRoleArn: undefined, subnetIds: undefined, amiType, diskSizeGiB, instanceStoreRaid0, karpenter: { ...k, consolidateAfterSeconds, capacityReservationIds } };
}

function resolveGcp(checks: ArgChecks, name: string, gcp: GcpGpuNodePoolArgs, instance: InstanceType, ephemeral: ResolvedEphemeralStorage): ResolvedGcp {
  checks.check(name.length <= GKE_POOL_NAME_MAX, "name", name, `must be at most ${GKE_POOL_NAME_MAX} characters for a GKE node pool`);
  const gpuDriverVersion = gcp.gpuDriverVersion ?? "DEFAULT";
  checks.check((GKE_DRIVER_VERSIONS as readonly string[]).includes(gpuDriverVersion), "gcp.gpuDriverVersion", gpuDriverVersion, `must be ${oneOf(GKE_DRIVER_VERSIONS)}`);
  const diskSizeGiB = resolveNodeDisk(checks, "gcp.diskSizeGiB", gcp.diskSizeGiB, ephemeral);
  const acceleratorType = instance.gcpAcceleratorType ?? "";
  checks.check(acceleratorType !== "", "instanceType", instance.name, "has no GKE accelerator type in the catalog; add gcpAcceleratorType to its catalog entry");
  // Local SSDs are 375 GiB each (GCE Local SSD docs); A3 High bundles 16 of them with the machine.
  const localSsdCount = ephemeral.on === "local-nvme" ? Math.round(ephemeral.localNvmeGiB / GCP_LOCAL_SSD_GIB) : undefined;
  return { ...gcp, gpuDriverVersion, diskSizeGiB, acceleratorType, localSsdCount };
}

/**
 * Whether the pool's nodes keep the kubelet's and containerd's directories (and so pods' emptyDir volumes and
 * writable layers) on local NVMe. AWS AL2023 and GKE do when this pool asks them to (RAID0 of the instance store,
 * Local SSD ephemeral storage); Bottlerocket needs its own bootstrap commands for that, so it stays on EBS.
 * CoreWeave and Lambda nodes do it themselves: CKS puts kubelet and containerd on the NVMe RAID at /mnt/local
 * (docs.coreweave.com, "About local storage"), and a Lambda instance's one disk is its local NVMe (provider-facts §2.5; [secondary]).
 */
function kubeletOnLocalNvme(args: GpuNodePoolArgs, localNvmeGiB: number): boolean {
  if (localNvmeGiB <= 0) return false;
  if (args.provider !== "aws") return true;
  const karpenter = args.aws?.karpenter;
  if (karpenter) return typeof karpenter.amiAlias === "string" && karpenter.amiAlias.startsWith("al2023@");
  return (args.aws?.amiType ?? "AL2023_x86_64_NVIDIA") === "AL2023_x86_64_NVIDIA";
}

/** The pods' local disk per node, and where it lives; refuses requests the node's local NVMe cannot hold. */
function resolveEphemeralStorage(checks: ArgChecks, args: GpuNodePoolArgs, instances: InstanceType[]): ResolvedEphemeralStorage {
  const requested = args.ephemeralStoragePerNodeGiB ?? 0;
  const requestedOk = checks.check(
    typeof requested === "number" && Number.isFinite(requested) && requested >= 0,
    "ephemeralStoragePerNodeGiB",
    requested,
    "must be a number of GiB ≥ 0: the ephemeral-storage the pods of one node request together (replicas per node × VllmServing's request)",
  );
  const requestedPerNodeGiB = requestedOk ? requested : 0;
  const localNvmeGiB = instances.length > 0 ? Math.min(...instances.map((t) => t.localNvmeGiB)) : 0;
  const on = kubeletOnLocalNvme(args, localNvmeGiB) ? "local-nvme" : "node-disk";
  const requiredGiB = nodeDiskGiB(requestedPerNodeGiB);
  if (on === "local-nvme" && requiredGiB > localNvmeGiB) {
    checks.add(
      "ephemeralStoragePerNodeGiB",
      requested,
      `needs ${requiredGiB} GiB of local NVMe per node with ${NODE_DISK_SYSTEM_GIB} GiB of images under ${NODE_DISK_FILL_LIMIT * 100}% full, but ${instances.map((t) => t.name).join(", ")} has ${localNvmeGiB} GiB; run fewer replicas per node, or give vLLM a ModelWeightCache (stream or replicate) so it downloads nothing`,
    );
  }
  return { on, requestedPerNodeGiB, requiredGiB, localNvmeGiB };
}

/**
 * The node disk (AWS EBS volume, GKE boot disk) in GiB: given, or derived. Where pods' local disk lives on it, it
 * must hold their requests with images and system under 85% full (`nodeDiskGiB`); else only images and system.
 */
function resolveNodeDisk(checks: ArgChecks, property: string, given: number | undefined, ephemeral: ResolvedEphemeralStorage): number {
  const onDisk = ephemeral.on === "node-disk" ? ephemeral.requestedPerNodeGiB : 0;
  const required = nodeDiskGiB(onDisk);
  const size = given ?? defaultNodeDiskGiB(onDisk);
  if (onDisk === 0) {
    checks.check(Number.isInteger(size) && size >= required, property, size, `must be a whole number ≥ ${required} (vLLM images alone are tens of GiB)`);
  } else {
    checks.check(
      Number.isInteger(size) && size >= required,
      property,
      size,
      `is too small for the ${onDisk} GiB of local disk the pods of one node request on it (ephemeralStoragePerNodeGiB) plus ${NODE_DISK_SYSTEM_GIB} GiB of images and system, kept under ${NODE_DISK_FILL_LIMIT * 100}% full (the kubelet's image-GC threshold): set ${property} to at least ${required}, or leave it out to derive it`,
    );
  }
  return size;
}

function checkCoreWeave(checks: ArgChecks, coreweave: CoreWeaveGpuNodePoolArgs): void {
  if (coreweave.gpuDriverVersion !== undefined) {
    checks.check(/^\d{3}$/.test(coreweave.gpuDriverVersion), "coreweave.gpuDriverVersion", coreweave.gpuDriverVersion, "must be an NVIDIA driver major version such as \"570\"");
  }
}

/** An instance type given as a definition, validated by the catalog's rules; undefined (with the problems recorded) when invalid. */
function definedInstanceType(checks: ArgChecks, provider: Provider, definition: InstanceTypeDefinitionArgs): InstanceType | undefined {
  if (!checks.check(definition !== null && typeof definition === "object", "instanceType", definition, "must be a catalog name or an instance type definition")) return undefined;
  if (definition.provider !== undefined && definition.provider !== provider) {
    checks.add("instanceType.provider", definition.provider, `must be the pool's provider (${provider}) or left out`);
    return undefined;
  }
  const defined = defineInstanceType({ ...definition, provider });
  for (const problem of defined.problems) checks.add(`instanceType${problem.field === "" ? "" : `.${problem.field}`}`, undefined, problem.message);
  return defined.instanceType;
}

function checkLambda(checks: ArgChecks, args: GpuNodePoolArgs, lambda: LambdaGpuNodePoolArgs, minNodes: number, labels: Record<string, string>, taints: Taint[]): void {
  checks.check(minNodes === args.maxNodes, "maxNodes", args.maxNodes, `must equal minNodes (${minNodes}) on Lambda, which has no autoscaler: the pool launches exactly that many instances`);
  checks.check(typeof lambda.sshKeyName === "string" && lambda.sshKeyName.length > 0, "lambda.sshKeyName", lambda.sshKeyName, "is required: the one SSH key of the Lambda account to install");
  // The cloud-init is rendered later, inside an apply on the (secret) join token; check its plain
  // fields now so a bad cluster spec fails before anything is registered. Labels and taints are
  // checked above for every provider.
  const { joinToken, ...cluster } = lambda.cluster;
  const token = isKnown(joinToken) ? joinToken : "token-not-known-until-apply";
  for (const problem of lambdaCloudInitProblems({ ...cluster, joinToken: token, nodeLabels: labels, nodeTaints: taints })) {
    if (/^(distribution|version|serverUrl|joinToken)$/.test(problem.property)) checks.add(`lambda.cluster.${problem.property}`, problem.received, problem.reason);
  }
}

function placementFor(name: string, args: GpuNodePoolArgs, instance: InstanceType, additional: InstanceType[], taints: Taint[]): Placement {
  const tolerations: Toleration[] = taints.map((t) => ({ key: t.key, operator: "Equal", value: t.value, effect: t.effect }));
  // GKE (and many EKS setups) taint GPU nodes nvidia.com/gpu themselves; tolerate it whatever its value.
  if (!taints.some((t) => t.key === GPU_TAINT_KEY)) tolerations.push({ key: GPU_TAINT_KEY, operator: "Exists", effect: "NoSchedule" });
  // A mixed-type spot pool is costed at its dearest type, so estimates never undershoot.
  const hourlyCostPerNode = Math.max(...[instance, ...additional].map((t) => nodeHourlyCost(t, args.capacityType)));
  return {
    provider: args.provider,
    region: args.region,
    capacityType: args.capacityType,
    instanceType: instance.name,
    gpuType: instance.gpuType,
    gpusPerNode: instance.gpusPerNode,
    gpuMemoryGiB: getGpuType(instance.gpuType).memoryGiB,
    localNvmeGiB: instance.localNvmeGiB,
    maxNodes: args.maxNodes,
    nodeSelector: { [POOL_LABEL]: name },
    tolerations,
    hourlyCostPerNode,
  };
}
