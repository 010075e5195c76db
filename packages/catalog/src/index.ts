/**
 * @switchyard/catalog — GPU types, instance types and their prices, egress prices and model sizes,
 * as typed, zod-validated data plus pure lookup and pricing functions. No Pulumi.
 *
 * Units: USD; prices per whole node per hour (per-GPU values are derived); memory in GiB (2^30 bytes);
 * egress and model files in decimal GB (10^9 bytes).
 */
export {
  CAPACITY_TYPES,
  CATALOG_COMPILED_ON,
  EGRESS_DESTINATIONS,
  GPU_TYPE_IDS,
  PROVIDERS,
  assertCapacityType,
  assertProvider,
  isCapacityType,
  isGpuTypeId,
  isProvider,
  PROVIDER_CAPACITY_TYPES,
  PROVIDER_NODES_AUTOSCALE,
  providerHasSpot,
  providerSellsCapacityType,
} from "./constants";
export type { CapacityType, EgressDestination, GpuTypeId, Provider } from "./constants";
export type { EgressPrice, Fit, FitQuery, GpuType, InstanceType, StoragePrice } from "./types";
export type { InstanceTypeDefinition, InstanceTypeProblem } from "./schemas";
export {
  CapacityTypeSchema,
  EgressPriceSchema,
  GpuTypeIdSchema,
  GpuTypeSchema,
  InstanceTypeDefinitionSchema,
  InstanceTypeSchema,
  defineInstanceType,
  IsoDateSchema,
  ProviderSchema,
  SourceSchema,
  StoragePriceSchema,
  parseEgressPrices,
  parseGpuTypes,
  parseInstanceTypes,
  parseStoragePrices,
} from "./schemas";
export { GPU_TYPES } from "./gpu-types";
export { INSTANCE_TYPES } from "./instance-types";
export {
  findInstanceType,
  getGpuType,
  getInstanceType,
  gpuMemoryGiB,
  instanceTypesFor,
  instanceTypesWithGpu,
} from "./lookup";
export { gpuHourlyCost, nodeHourlyCost, supportsCapacityType } from "./pricing";
export { cheapestFit, cheapestFitAmong, compareFits, nodesNeeded } from "./fit";
export { EGRESS_PRICES, egressPriceFor, egressPricePerGB, egressPriceTable } from "./egress";
export { STORAGE_PRICES, objectStoragePricePerGBMonth, storagePriceFor } from "./storage";
export { REGIONS, isKnownRegion, regionProblem, regionsFor } from "./regions";
export type { RegionList, RegionProblem } from "./regions";
export { closestSpellings, editDistance } from "./spelling";
export { COMMIT_SHA, DTYPES, HUGGING_FACE_REPO_ID, bytesPerParameter, isDtype, modelWeightGB, modelWeightGiB } from "./models";
export type { Dtype } from "./models";
export {
  DEFAULT_GPU_MEMORY_UTILIZATION,
  DEFAULT_INPUT_PRICE_RATIO,
  DEFAULT_PROMPT_TOKENS_PER_OUTPUT_TOKEN,
  DEFAULT_TOKEN_PRICING,
  HOSTED_ROUTING_ORDER,
  PRICE_SIGNIFICANT_DIGITS,
  VLLM_QUANTIZATIONS,
  WEIGHT_SHARE_OF_GPU_BUDGET,
  concurrentRequestsPerReplica,
  divisors,
  gpuWeights,
  inFlightTargetPerReplica,
  isVllmQuantization,
  replicaCostPerHour,
  replicaGpuBudgetGiB,
  replicasPerNode,
  replicasWanted,
  routingOrder,
  smallestFittingTensorParallelSize,
  tensorParallelProblem,
  tokenPrices,
  weightsFit,
} from "./serving";
export type { ModelFootprintInput, TokenPricing, TokenPrices, VllmQuantization } from "./serving";
export { ROLLOUT_BATCH_SHARE, disruptionBudgetMaxUnavailable, rolloutStrategy, spareReplicaSlots } from "./rollout";
export type { RolloutCapacity, RolloutStrategy } from "./rollout";
export {
  DEFAULT_NODE_DISK_GIB,
  HUB_DOWNLOAD_EXTRA_GIB,
  HUB_DOWNLOAD_MARGIN,
  NODE_DISK_FILL_LIMIT,
  NODE_DISK_SYSTEM_GIB,
  VLLM_SCRATCH_GIB,
  defaultNodeDiskGiB,
  hubDownloadGiB,
  nodeDiskGiB,
  vllmEphemeralStorageGiB,
} from "./local-disk";
export { IMAGES, imageReference } from "./images";
export type { PinnedImage } from "./images";
export { BYTES_PER_GB, BYTES_PER_GIB, decimalGBToGiB } from "./units";
