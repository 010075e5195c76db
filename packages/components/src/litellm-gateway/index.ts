export { LiteLLMGatewayConfig } from "./component";
export type {
  GatewayClientArgs,
  GatewayMetricsArgs,
  GatewayRedisConnectionArgs,
  GatewayReliabilityArgs,
  GatewayResourcesArgs,
  GatewayRoutingArgs,
  HostedFallbackArgs,
  LiteLLMGatewayConfigArgs,
  LiteLLMRenderOptions,
  RedisStateOptions,
  RoutingScoreWeightsArgs,
  TokenPricingArgs,
} from "./args";
export {
  DEFAULT_RELIABILITY,
  GUARD_MODULE_FILE,
  MASTER_KEY_ENV,
  REDIS_HOST_ENV,
  REDIS_PASSWORD_ENV,
  REDIS_PORT_ENV,
  SALT_KEY_ENV,
  checkLiteLLMInput,
  envRef,
  fallbackId,
  renderLiteLLMConfig,
  renderLiteLLMConfigYaml,
  resolveReliability,
} from "./render";
export type { LiteLLMConfig, LiteLLMDeployment } from "./render";
export {
  DEFAULT_AVAILABILITY,
  DEFAULT_SCORE_WEIGHTS,
  HOSTED_TIER_ORDER,
  TIER_ORDER,
  WEIGHT_TOTAL,
  apportion,
  planRoutes,
  resolveScoreWeights,
  scoreRoutes,
  tierOrder,
} from "./routing";
export type { BackendRoute, RouteCandidate, ScoredRoute } from "./routing";
export {
  DEFAULT_INPUT_PRICE_RATIO,
  DEFAULT_PROMPT_TOKENS_PER_OUTPUT_TOKEN,
  PRICE_SIGNIFICANT_DIGITS,
  requestCost,
  resolveTokenPricing,
  tokenPrices,
} from "./pricing";
export type { TokenPrices } from "./pricing";
export {
  CONFIG_HASH_ANNOTATION,
  GATEWAY_METRICS_PORT,
  GATEWAY_PORT,
  MIN_LITELLM_VERSION,
  NON_ROOT_UID,
  gatewayConfigFiles,
  gatewayPodLabels,
  litellmImageVersion,
  resolveLiteLLMGatewayArgs,
} from "./resolve";
export type { ResolvedLiteLLMGateway } from "./resolve";
export { gatewayConfigMapSpec } from "./config-map";
export { gatewayDeploymentSpec } from "./deployment";
export { gatewayServiceSpec } from "./service";
export { gatewayPodDisruptionBudgetSpec } from "./pod-disruption-budget";
export { gatewayNetworkPolicySpec } from "./network-policy";
export { gatewayBackendKeysSecretSpec, gatewayCredentialsSecretSpec, gatewayKeySpec, masterKeyFrom } from "./secret";
export { WAKE_RATE_WINDOW, gatewayWakeQuery } from "./wake";
