/** Lambda Cloud backend of GpuNodePool: instances launched by a dynamic provider, joined by cloud-init. */
export { LAMBDA_API_BASE_URL, LAMBDA_LAUNCH_INTERVAL_MS, LAMBDA_REQUEST_INTERVAL_MS, LambdaApiError } from "./api";
export type { LambdaInstanceStatus } from "./api";
export { LambdaInstance, resolveLambdaInstanceTimeouts } from "./instance";
export type { LambdaInstanceArgs } from "./instance";
export {
  DEFAULT_ACTIVE_TIMEOUT_SECONDS,
  DEFAULT_CAPACITY_TIMEOUT_SECONDS,
  LAMBDA_PROVIDER_DEFAULTS,
  LambdaProvider,
  REPLACING_PROPERTIES,
  UPDATABLE_PROPERTIES,
} from "./provider";
export type { LambdaInstanceInputs, LambdaInstanceState, LambdaInstanceTimeouts, LambdaProviderOptions } from "./provider";
export { lambdaAgentConfigPath, lambdaCloudInitProblems, lambdaJoinTokenPath, renderLambdaCloudInit, validateLambdaCloudInitArgs } from "./cloud-init";
export type { KubernetesDistribution, LambdaCloudInitArgs } from "./cloud-init";
