/**
 * @switchyard/components — Pulumi components for running LLM inference across GPU clouds.
 * Every component registers under `switchyard:index:<Class>`.
 *
 * The public API: the five components, their arguments and what they resolve them to (validate a whole fleet
 * before creating anything), the contracts they exchange, and the helpers that wire one to another. Spec builders,
 * scripts and policy documents stay inside their component's folder; every name is listed here, none re-exported
 * wholesale, so the package's surface changes only on purpose (test/packaging checks the list).
 */
export type { Backend, Placement, Taint, TaintEffect, Toleration, WeightSource } from "./contracts";

export { DEFAULT_GPU_POOL_TAINT, GpuNodePool, resolveGpuNodePoolArgs } from "./gpu-node-pool";
export type {
  AwsGpuNodePoolArgs,
  CoreWeaveGpuNodePoolArgs,
  EksNvidiaAmiType,
  GcpGpuNodePoolArgs,
  GkeGpuDriverVersion,
  GpuNodePoolArgs,
  InstanceTypeDefinitionArgs,
  KarpenterArgs,
  LambdaClusterJoinArgs,
  LambdaGpuNodePoolArgs,
  ResolvedGpuNodePool,
} from "./gpu-node-pool";

export { AUTOSCALING_MODES, VLLM_PORT, VLLM_QUANTIZATIONS, VllmServing, resolveVllmServingArgs } from "./vllm-serving";
export type {
  AutoscalingMode,
  ResolvedVllmServing,
  VllmAutoscalingArgs,
  VllmBackendArgs,
  VllmGatewayArgs,
  VllmIngressArgs,
  VllmModelArgs,
  VllmPeerArgs,
  VllmQuantization,
  VllmResourcesArgs,
  VllmScheduleWindowArgs,
  VllmSecretKeyRef,
  VllmServingArgs,
  VllmWakeArgs,
} from "./vllm-serving";

export { ModelWeightCache, WEIGHT_STRATEGIES, estimateWeightEgress, resolveModelWeightCacheArgs } from "./model-weight-cache";
export type {
  HuggingFaceProvenanceArgs,
  ModelWeightCacheArgs,
  ResolvedModelWeightCache,
  S3CredentialsSecretArgs,
  WeightEgressAssumptionsArgs,
  WeightEgressEstimate,
  WeightEgressInput,
  WeightFileArgs,
  WeightModelArgs,
  WeightNodeCacheArgs,
  WeightOriginArgs,
  WeightReplicaArgs,
  WeightStrategy,
} from "./model-weight-cache";

export { LiteLLMGatewayConfig, gatewayPodLabels, gatewayWakeQuery, renderLiteLLMConfig, renderLiteLLMConfigYaml, resolveLiteLLMGatewayArgs } from "./litellm-gateway";
export type {
  GatewayClientArgs,
  GatewayMetricsArgs,
  GatewayRedisConnectionArgs,
  GatewayReliabilityArgs,
  GatewayResourcesArgs,
  GatewayRoutingArgs,
  HostedFallbackArgs,
  LiteLLMConfig,
  LiteLLMGatewayConfigArgs,
  LiteLLMRenderOptions,
  RedisStateOptions,
  ResolvedLiteLLMGateway,
  RoutingScoreWeightsArgs,
  TokenPricingArgs,
} from "./litellm-gateway";

export { OBJECT_LOCK_MODES, READER_IDENTITIES, SharedServices, resolveSharedServicesArgs } from "./shared-services";
export type {
  AuditLogArgs,
  BudgetArgs,
  ElastiCacheRedisArgs,
  ObjectLockMode,
  ReaderIdentity,
  ReaderWebIdentityArgs,
  ResolvedSharedServices,
  SharedServicesArgs,
  WeightReaderArgs,
  WeightsBucketArgs,
  WeightsReplicationArgs,
} from "./shared-services";

// Wiring helpers: every API key from one secret, the labels a pool's nodes carry, the local-disk rule both
// VllmServing's request and GpuNodePool's disk size with.
export { derivedKey } from "./keys";
export { GPU_TAINT_KEY, POOL_LABEL } from "./internal/labels";
export { nodeDiskGiB, vllmEphemeralStorageGiB } from "@switchyard/catalog";
