export { VllmServing } from "./component";
export { AUTOSCALING_MODES, VLLM_QUANTIZATIONS } from "./args";
export type {
  AutoscalingMode,
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
} from "./args";
export {
  API_KEY_SECRET_KEY,
  HPA_IN_FLIGHT_METRIC,
  VLLM_PORT,
  WAKE_TRIGGER_THRESHOLD,
  WEIGHT_SHARE_OF_GPU_BUDGET,
  defaultApiKeySecretEnv,
  defaultColdStartBudgetSeconds,
  defaultCpuCores,
  defaultProcessMemoryGiB,
  effectiveWeights,
  replicaCostPerHour,
  resolveVllmServingArgs,
  shmSizeGiB,
} from "./resolve";
export type { ResolvedAutoscaling, ResolvedIngress, ResolvedProbe, ResolvedResources, ResolvedVllmServing } from "./resolve";
export { DEFAULT_INGRESS_PROXY_TIMEOUT_SECONDS } from "./resolve";
export { HF_CACHE_VOLUME, HF_HOME_PATH } from "./resolve";
export { deploymentSpec } from "./deployment";
export { serviceSpec } from "./service";
export { podDisruptionBudgetSpec } from "./pod-disruption-budget";
export { SCHEDULE_TIMEZONE, horizontalPodAutoscalerSpec, minuteOfWeekCron, scaledObjectSpec, wakeAuthenticationSpec } from "./scaler";
export { networkPolicySpec } from "./network-policy";
export { INGRESS_MAX_BODY_SIZE, ingressAnnotations, ingressSpec } from "./ingress";
export { apiKeyPasswordSpec, apiKeySecretSpec } from "./secret";
export { isPinnedImage } from "../internal/images";
