/**
 * @switchyard/components — Pulumi components for running LLM inference across GPU clouds.
 * Every component registers under `switchyard:index:<Class>`.
 */
export type { Backend, Placement, Taint, TaintEffect, Toleration, WeightSource } from "./contracts";
export {
  DEFAULT_GPU_POOL_TAINT,
  GpuNodePool,
  LAMBDA_API_BASE_URL,
  LambdaInstance,
  renderLambdaCloudInit,
  resolveGpuNodePoolArgs,
} from "./gpu-node-pool";
export type {
  AwsGpuNodePoolArgs,
  CoreWeaveGpuNodePoolArgs,
  EksNvidiaAmiType,
  GcpGpuNodePoolArgs,
  GkeGpuDriverVersion,
  GpuNodePoolArgs,
  InstanceTypeDefinitionArgs,
  KarpenterArgs,
  LambdaCloudInitArgs,
  LambdaClusterJoinArgs,
  LambdaGpuNodePoolArgs,
  LambdaInstanceArgs,
  ResolvedGpuNodePool,
} from "./gpu-node-pool";
export { ArgChecks } from "./internal/errors";
export { derivedKey } from "./keys";
export type { ArgProblem } from "./internal/errors";
export { GPU_TAINT_KEY, POOL_LABEL } from "./internal/labels";
// The local-disk rule both components size with (VllmServing's request, GpuNodePool's disk), for wiring one to the other.
export { nodeDiskGiB, vllmEphemeralStorageGiB } from "@switchyard/catalog";
// VllmServing's spec builders stay internal to its folder: generic names like `serviceSpec` would
// collide at the package root.
export {
  AUTOSCALING_MODES,
  VLLM_PORT,
  VLLM_QUANTIZATIONS,
  VllmServing,
  defaultColdStartBudgetSeconds,
  isPinnedImage,
  replicaCostPerHour,
  resolveVllmServingArgs,
} from "./vllm-serving";
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
  VllmSecretKeyRef,
  VllmServingArgs,
  VllmWakeArgs,
} from "./vllm-serving";
export * from "./model-weight-cache";
export * from "./shared-services";
export * from "./litellm-gateway";
