import { readFileSync } from "node:fs";
import { CAPACITY_TYPES, PROVIDERS } from "@switchyard/catalog";
import { stringify } from "yaml";
import type { Backend } from "../contracts";
import { ArgChecks, oneOf } from "../internal/errors";
import { endpointUrlProblem } from "./endpoint-url";
import type { GatewayReliabilityArgs, GatewayRoutingArgs, GatewayTier, HostedFallbackArgs, LiteLLMRenderOptions } from "./args";
import { gatewayTier, planRoutes, TIER_ORDER, WEIGHT_TOTAL } from "./routing";
import type { BackendRoute } from "./routing";

/** Environment variables the proxy reads its own credentials and Redis from; backend keys may not use them. */
export const MASTER_KEY_ENV = "LITELLM_MASTER_KEY";
export const SALT_KEY_ENV = "LITELLM_SALT_KEY";
export const REDIS_HOST_ENV = "REDIS_HOST";
export const REDIS_PORT_ENV = "REDIS_PORT";
export const REDIS_PASSWORD_ENV = "REDIS_PASSWORD";
const RESERVED_ENV = [MASTER_KEY_ENV, SALT_KEY_ENV, REDIS_HOST_ENV, REDIS_PORT_ENV, REDIS_PASSWORD_ENV];

/**
 * The request guard (switchyard_guard.py): the proxy loads it from the directory of its config.yaml, so it ships
 * beside the config wherever the config goes (the ConfigMap, a test's temporary directory).
 */
export const GUARD_MODULE_FILE = "switchyard_guard.py";
const GUARD_CALLBACK = "switchyard_guard.proxy_handler_instance";

export function guardModuleSource(): string {
  return readFileSync(new URL(`./${GUARD_MODULE_FILE}`, import.meta.url), "utf8");
}

export const DEFAULT_RELIABILITY: Readonly<Required<GatewayReliabilityArgs>> = {
  numRetries: 2,
  requestTimeoutSeconds: 120,
  streamTimeoutSeconds: 30,
  streamTimeoutSecondsByTier: {},
  cooldownSeconds: 60,
  allowedFailures: 2,
  allowedTimeouts: 1,
  healthCheckIntervalSeconds: 30,
  healthCheckTimeoutSeconds: 10,
};

/** One `model_list` entry: a deployment LiteLLM load-balances within its `model_name` group. */
export interface LiteLLMDeployment {
  model_name: string;
  litellm_params: {
    model: string;
    api_base?: string;
    api_key: string;
    timeout: number;
    stream_timeout: number;
    tpm?: number;
    rpm?: number;
    max_parallel_requests?: number;
    weight?: number;
    order?: number;
    input_cost_per_token: number;
    output_cost_per_token: number;
  };
  model_info: {
    id: string;
    mode: "chat";
    health_check_timeout?: number;
    disable_background_health_check?: boolean;
  };
}

/** The LiteLLM proxy `config.yaml`, as the keys LiteLLM 1.106 reads (config_settings.md; Router.__init__). */
export interface LiteLLMConfig {
  model_list: LiteLLMDeployment[];
  litellm_settings: {
    set_verbose: false;
    json_logs: true;
    turn_off_message_logging: true;
    request_timeout: number;
    disable_hf_tokenizer_download: true;
    callbacks: string[];
  };
  router_settings: {
    routing_strategy: "simple-shuffle";
    num_retries: number;
    retry_after: number;
    timeout: number;
    stream_timeout: number;
    cooldown_time: number;
    allowed_fails: number;
    allowed_fails_policy: Record<string, number>;
    enable_weighted_failover: true;
    optional_pre_call_checks?: ["enforce_model_rate_limits"];
    fallbacks?: Record<string, string[]>[];
    redis_host?: string;
    redis_port?: string;
    redis_password?: string;
  };
  general_settings: {
    master_key: string;
    background_health_checks: true;
    health_check_interval: number;
    enable_health_check_routing: true;
    health_check_details: false;
  };
}

/**
 * Renders the LiteLLM proxy config for `backends` (pure and deterministic: same input, same object with the
 * same key order). Throws one `pulumi.InputPropertiesError` listing every invalid input.
 */
export function renderLiteLLMConfig(backends: Backend[], options: LiteLLMRenderOptions = {}): LiteLLMConfig {
  const checks = new ArgChecks("renderLiteLLMConfig", "config");
  checkLiteLLMInput(checks, backends, options);
  checks.throwIfAny();
  return assembleConfig(planRoutes(backends, options.routing), options);
}

/** The config as YAML (2-space indent, no line folding): what goes into the ConfigMap. */
export function renderLiteLLMConfigYaml(config: LiteLLMConfig): string {
  return stringify(config, { lineWidth: 0, indent: 2 });
}

export function resolveReliability(reliability: GatewayReliabilityArgs | undefined): Required<GatewayReliabilityArgs> {
  return { ...DEFAULT_RELIABILITY, ...Object.fromEntries(Object.entries(reliability ?? {}).filter(([, v]) => v !== undefined)) };
}

/** `os.environ/NAME`: LiteLLM resolves it from the proxy's environment at startup, so no secret sits in the config. */
export function envRef(name: string): string {
  return `os.environ/${name}`;
}

function assembleConfig(routes: BackendRoute[], options: LiteLLMRenderOptions): LiteLLMConfig {
  const r = resolveReliability(options.reliability);
  const fallbacks = options.fallbacks ?? [];
  const groups = [...new Set(routes.map((route) => route.backend.modelName))].sort();
  const modelList: LiteLLMDeployment[] = routes.map((route) => backendDeployment(route, r, options.replicas ?? 1));
  modelList.push(...fallbacks.map((f) => fallbackDeployment(f, r)));
  const fallbackChains = groups
    .map((g) => ({ [g]: fallbacks.filter((f) => (f.modelGroups ?? groups).includes(g)).map((f) => f.modelName) }))
    .filter((chain) => Object.values(chain)[0]!.length > 0);

  return {
    model_list: modelList,
    litellm_settings: {
      set_verbose: false,
      json_logs: true,
      // Prompts and completions never reach logging callbacks.
      turn_off_message_logging: true,
      request_timeout: r.requestTimeoutSeconds,
      // Token counts for llama-named models otherwise download a tokenizer from huggingface.co at request time
      // (litellm utils._select_tokenizer_helper): an outbound dependency of the gateway, and without internet
      // access every failed request stalls ~23 s in the download's retries (observed in bench/gateway-failover).
      disable_hf_tokenizer_download: true,
      // Refuses client fields that would change where or how often the gateway calls out, and hides the fallback;
      // `prometheus` counts what wakes burst tiers (wake.ts), served on the metrics port by the guard.
      callbacks: options.metrics === true ? [GUARD_CALLBACK, "prometheus"] : [GUARD_CALLBACK],
    },
    router_settings: {
      // The only strategy that reads `weight` (litellm/router_strategy/simple_shuffle.py).
      routing_strategy: "simple-shuffle",
      num_retries: r.numRetries,
      retry_after: 0,
      timeout: r.requestTimeoutSeconds,
      stream_timeout: r.streamTimeoutSeconds,
      cooldown_time: r.cooldownSeconds,
      allowed_fails: r.allowedFailures,
      // Setting a policy switches LiteLLM to counting failures per deployment (requests and health checks
      // alike) instead of its per-minute error rate, which dead backends with earlier successes never reach,
      // and makes failed health checks bench a backend for cooldown_time (router.py
      // _async_filter_health_check_unhealthy_deployments; proxy_server.py _write_health_state_to_router_cache).
      allowed_fails_policy: {
        BadGatewayErrorAllowedFails: r.allowedFailures,
        InternalServerErrorAllowedFails: r.allowedFailures,
        ServiceUnavailableErrorAllowedFails: r.allowedFailures,
        TimeoutErrorAllowedFails: r.allowedTimeouts,
        // A backend refusing our key is misconfigured: bench it at once.
        AuthenticationErrorAllowedFails: 0,
        // A backend answering 429 asks for no more traffic now (Retry-After): bench it at once, so its retries go
        // to the group's other backends instead of waiting on it.
        RateLimitErrorAllowedFails: 0,
      },
      // After its retries, a failed request is re-sent to another backend of the same group, excluding the ones
      // that already failed it, before any cross-group fallback.
      enable_weighted_failover: true,
      // A hosted API's rate limit held by the gateway (counted per UTC minute, in Redis across the replicas): a
      // request over it is refused at once and the provider never answers a 429. Without it the real proxy held the
      // requests the provider refused until their clients timed out (test/gateway, scenario m).
      ...(fallbacks.some((f) => f.requestsPerMinute !== undefined || f.tokensPerMinute !== undefined) ? { optional_pre_call_checks: ["enforce_model_rate_limits"] as ["enforce_model_rate_limits"] } : {}),
      ...(fallbackChains.length > 0 ? { fallbacks: fallbackChains } : {}),
      ...(options.redis
        ? {
            redis_host: envRef(REDIS_HOST_ENV),
            redis_port: envRef(REDIS_PORT_ENV),
            ...(options.redis.withPassword ? { redis_password: envRef(REDIS_PASSWORD_ENV) } : {}),
          }
        : {}),
    },
    general_settings: {
      master_key: envRef(MASTER_KEY_ENV),
      background_health_checks: true,
      health_check_interval: r.healthCheckIntervalSeconds,
      enable_health_check_routing: true,
      // /health answers without backend error details (which can carry URLs).
      health_check_details: false,
    },
  };
}

function backendDeployment(route: BackendRoute, r: Required<GatewayReliabilityArgs>, proxyReplicas: number): LiteLLMDeployment {
  const b = route.backend;
  return {
    model_name: b.modelName,
    litellm_params: {
      // hosted_vllm/ is LiteLLM's route for vLLM's OpenAI server; openai/ for other OpenAI-compatible APIs.
      model: `${b.provider === "hosted" ? "openai" : "hosted_vllm"}/${b.servedModelName}`,
      api_base: b.baseUrl,
      api_key: envRef(b.apiKeySecretEnv),
      timeout: r.requestTimeoutSeconds,
      stream_timeout: r.streamTimeoutSecondsByTier[gatewayTier(b)] ?? r.streamTimeoutSeconds,
      // What the backend serves at once, shared by the proxies (each counts its own): a request beyond it overflows
      // to the next tier at once, and the tier takes traffic back as its requests finish (proven with the real proxy).
      ...(b.maxConcurrentRequests === undefined ? {} : { max_parallel_requests: Math.max(1, Math.ceil(b.maxConcurrentRequests / proxyReplicas)) }),
      weight: route.weight,
      order: route.order,
      input_cost_per_token: route.prices.inputCostPerToken,
      output_cost_per_token: route.prices.outputCostPerToken,
    },
    model_info: { id: b.name, mode: "chat", health_check_timeout: r.healthCheckTimeoutSeconds },
  };
}

function fallbackDeployment(f: HostedFallbackArgs, r: Required<GatewayReliabilityArgs>): LiteLLMDeployment {
  return {
    model_name: f.modelName,
    litellm_params: {
      model: f.model,
      ...(f.apiBase !== undefined ? { api_base: f.apiBase } : {}),
      api_key: envRef(f.apiKeySecretEnv),
      timeout: r.requestTimeoutSeconds,
      stream_timeout: r.streamTimeoutSecondsByTier.hosted ?? r.streamTimeoutSeconds,
      input_cost_per_token: f.inputCostPerToken,
      output_cost_per_token: f.outputCostPerToken,
      ...(f.requestsPerMinute !== undefined ? { rpm: f.requestsPerMinute } : {}),
      ...(f.tokensPerMinute !== undefined ? { tpm: f.tokensPerMinute } : {}),
    },
    // Health checks of a paid API cost money on every interval; it only serves when the backends have failed.
    model_info: { id: fallbackId(f), mode: "chat", disable_background_health_check: true },
  };
}

export function fallbackId(f: Pick<HostedFallbackArgs, "modelName">): string {
  return `fallback-${f.modelName}`;
}

// ---------------------------------------------------------------------------------------------------
// Validation: every rule in one place, shared by renderLiteLLMConfig and the component.

const BACKEND_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const HTTP_V1_URL = /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?\/v1$/;

/**
 * Records every problem with the backends and render options in `checks`: the rules of issue 4 (a backend per
 * group, unique names, finite weights, two providers or a fallback per group) plus the ones the proxy needs.
 */
export function checkLiteLLMInput(checks: ArgChecks, backends: Backend[], options: LiteLLMRenderOptions, prefix = ""): void {
  const p = (path: string) => `${prefix}${path}`;
  if (!checks.check(Array.isArray(backends) && backends.length > 0, p("backends"), backends, "must list at least one backend (one model_list entry each)")) return;
  backends.forEach((b, i) => checkBackend(checks, b, p(`backends[${i}]`)));
  const names = backends.map((b) => b.name);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) checks.add(p(`backends[${i}].name`), name, "is used by another backend; names become LiteLLM deployment ids and must be unique");
  });

  const groups = groupProviders(backends);
  const fallbacks = options.fallbacks ?? [];
  if (!checks.check(Array.isArray(fallbacks), p("fallbacks"), fallbacks, "must be a list of hosted fallbacks")) return;
  const fallbackNames = fallbacks.map((f) => f?.modelName);
  fallbacks.forEach((fallback, i) => {
    const at = p(`fallbacks[${i}]`);
    if (typeof fallback.modelName === "string") {
      const taken = names.indexOf(fallbackId(fallback));
      if (taken !== -1) checks.add(p(`backends[${taken}].name`), names[taken], `is the hosted fallback's deployment id (fallback-<modelName>); rename the backend`);
      if (fallbackNames.indexOf(fallback.modelName) !== i) checks.add(`${at}.modelName`, fallback.modelName, "is used by another fallback; give each hosted fallback its own model group");
    }
    checkFallback(checks, fallback, [...groups.keys()], at);
  });
  const coveredByFallback = new Set(fallbacks.flatMap((f) => (Array.isArray(f.modelGroups) ? f.modelGroups : [...groups.keys()])));
  const lone = options.singleProviderGroups ?? [];
  if (checks.check(Array.isArray(lone), p("singleProviderGroups"), lone, "must be a list of model groups")) {
    lone.forEach((g, i) => checks.check(groups.has(g), p(`singleProviderGroups[${i}]`), g, `is not a backend model group; use ${oneOf([...groups.keys()])}`));
  }
  for (const [group, providers] of groups) {
    if (providers.size >= 2 || coveredByFallback.has(group) || lone.includes(group)) continue;
    checks.add(
      p("backends"),
      undefined,
      `give model group "${group}" backends on at least two providers (it has ${providers.size === 0 ? "none" : oneOf([...providers])}) or a fallback: LiteLLM never benches the only deployment of a group, so a lone provider's outage reaches clients; or, accepting that, list it in singleProviderGroups`,
    );
  }
  checkRouting(checks, options.routing, backends, p("routing"));
  checkReliability(checks, options.reliability, p("reliability"));
  const replicas = options.replicas ?? 1;
  if (checks.check(Number.isInteger(replicas) && replicas >= 1, p("replicas"), replicas, "must be a whole number ≥ 1")) {
    checks.check(
      replicas === 1 || options.redis !== undefined,
      p("redis"),
      undefined,
      `is required with ${replicas} proxy replicas: without Redis each replica keeps its own cooldowns and failure counts, so a backend benched by one replica keeps receiving traffic from the others`,
    );
  }
}

function checkBackend(checks: ArgChecks, b: Backend, path: string): void {
  if (!checks.check(typeof b === "object" && b !== null, path, b, "must be a Backend (the backend output of a VllmServing)")) return;
  checks.check(typeof b.name === "string" && BACKEND_NAME.test(b.name), `${path}.name`, b.name, "must be 1–63 letters, digits, '.', '_' or '-', starting and ending with a letter or digit");
  checks.check(
    b.provider === "hosted" || (PROVIDERS as readonly string[]).includes(b.provider),
    `${path}.provider`,
    b.provider,
    `must be ${oneOf([...PROVIDERS, "hosted"])}`,
  );
  checks.check((CAPACITY_TYPES as readonly string[]).includes(b.capacityType), `${path}.capacityType`, b.capacityType, `must be ${oneOf(CAPACITY_TYPES)}`);
  checks.check(typeof b.modelName === "string" && MODEL_NAME.test(b.modelName), `${path}.modelName`, b.modelName, "must be a non-empty model group name without whitespace");
  checks.check(
    typeof b.servedModelName === "string" && MODEL_NAME.test(b.servedModelName),
    `${path}.servedModelName`,
    b.servedModelName,
    "must be the backend's --served-model-name, non-empty without whitespace",
  );
  if (
    checks.check(
      typeof b.baseUrl === "string" && HTTP_V1_URL.test(b.baseUrl),
      `${path}.baseUrl`,
      b.baseUrl,
      "must be an http(s) URL ending in /v1, e.g. http://llama.inference.svc.cluster.local:8000/v1 (LiteLLM appends /chat/completions to it)",
    )
  ) {
    const problem = endpointUrlProblem(b.baseUrl);
    checks.check(problem === undefined, `${path}.baseUrl`, b.baseUrl, problem ?? "");
  }
  checkEnvName(checks, b.apiKeySecretEnv, `${path}.apiKeySecretEnv`);
  checks.check(isPositive(b.costPerHour), `${path}.costPerHour`, b.costPerHour, "must be a positive, finite USD per hour (one replica's share of its node)");
  if (b.fixed !== undefined) checks.check(typeof b.fixed === "boolean", `${path}.fixed`, b.fixed, "must be true (a fixed replica count, tried first) or false");
  if (b.maxConcurrentRequests !== undefined) {
    checks.check(Number.isInteger(b.maxConcurrentRequests) && b.maxConcurrentRequests >= 1, `${path}.maxConcurrentRequests`, b.maxConcurrentRequests, "must be a whole number of requests ≥ 1, or left out for no cap");
  }
  checks.check(isPositive(b.tokensPerSecond), `${path}.tokensPerSecond`, b.tokensPerSecond, "must be a positive, finite number of measured output tokens per second");
  checks.check(isPositive(b.expectedLatencyMs), `${path}.expectedLatencyMs`, b.expectedLatencyMs, "must be a positive, finite number of milliseconds");
}

function checkEnvName(checks: ArgChecks, name: unknown, path: string): void {
  if (!checks.check(typeof name === "string" && ENV_NAME.test(name), path, name, "must be an upper-snake-case environment variable name, e.g. LLAMA_8B_API_KEY")) return;
  checks.check(!RESERVED_ENV.includes(name as string), path, name, `is reserved for the proxy's own settings (${RESERVED_ENV.join(", ")}); choose another name`);
}

function checkFallback(checks: ArgChecks, f: HostedFallbackArgs, groups: string[], path: string): void {
  if (checks.check(typeof f.modelName === "string" && MODEL_NAME.test(f.modelName), `${path}.modelName`, f.modelName, "must be a model group name without whitespace")) {
    checks.check(!groups.includes(f.modelName), `${path}.modelName`, f.modelName, "is already a backend model group; the fallback needs a group of its own");
  }
  checks.check(
    typeof f.model === "string" && /^[a-z0-9_-]+\/\S+$/.test(f.model),
    `${path}.model`,
    f.model,
    "must be a LiteLLM provider route, e.g. openai/gpt-4o-mini",
  );
  checkEnvName(checks, f.apiKeySecretEnv, `${path}.apiKeySecretEnv`);
  if (f.apiBase !== undefined) {
    const problem = typeof f.apiBase === "string" ? endpointUrlProblem(f.apiBase) : "must be an https:// URL";
    checks.check(problem === undefined, `${path}.apiBase`, f.apiBase, problem ?? "");
  }
  checks.check(isNonNegative(f.inputCostPerToken), `${path}.inputCostPerToken`, f.inputCostPerToken, "must be a finite USD price ≥ 0 per prompt token");
  checks.check(isNonNegative(f.outputCostPerToken), `${path}.outputCostPerToken`, f.outputCostPerToken, "must be a finite USD price ≥ 0 per completion token");
  if (f.requestsPerMinute !== undefined) {
    checks.check(Number.isInteger(f.requestsPerMinute) && f.requestsPerMinute >= 1, `${path}.requestsPerMinute`, f.requestsPerMinute, "must be a whole number of requests per minute ≥ 1, e.g. 600");
  }
  if (f.tokensPerMinute !== undefined) {
    checks.check(Number.isInteger(f.tokensPerMinute) && f.tokensPerMinute >= 1, `${path}.tokensPerMinute`, f.tokensPerMinute, "must be a whole number of tokens per minute ≥ 1, e.g. 1000000");
  }
  if (f.modelGroups !== undefined) {
    if (!checks.check(Array.isArray(f.modelGroups) && f.modelGroups.length > 0, `${path}.modelGroups`, f.modelGroups, "must list at least one model group, or be left out to cover all")) return;
    f.modelGroups.forEach((g, i) => {
      checks.check(groups.includes(g), `${path}.modelGroups[${i}]`, g, `is not a backend model group; use ${oneOf(groups)}`);
    });
  }
}

function checkRouting(checks: ArgChecks, routing: GatewayRoutingArgs | undefined, backends: Backend[], path: string): void {
  if (!routing) return;
  const names = backends.map((b) => b.name);
  const w = routing.scoreWeights;
  if (w) {
    for (const key of ["latency", "cost", "availability"] as const) {
      if (w[key] !== undefined) checks.check(isNonNegative(w[key]), `${path}.scoreWeights.${key}`, w[key], "must be a finite number ≥ 0");
    }
    const sum = (w.latency ?? 0.3) + (w.cost ?? 0.4) + (w.availability ?? 0.3);
    checks.check(Number.isFinite(sum) && sum > 0, `${path}.scoreWeights`, w, "must not all be 0: the score needs at least one term");
  }
  for (const [name, value] of Object.entries(routing.availability ?? {})) {
    if (!checks.check(names.includes(name), `${path}.availability["${name}"]`, name, "names no backend")) continue;
    checks.check(typeof value === "number" && value > 0 && value <= 1, `${path}.availability["${name}"]`, value, "must be a fraction in (0, 1], e.g. 0.995");
  }
  const canaries = routing.canaryPercent ?? {};
  for (const [name, value] of Object.entries(canaries)) {
    if (!checks.check(names.includes(name), `${path}.canaryPercent["${name}"]`, name, "names no backend")) continue;
    checks.check(typeof value === "number" && value > 0 && value <= 50, `${path}.canaryPercent["${name}"]`, value, "must be a percentage in (0, 50], e.g. 5");
  }
  const weights = routing.weights ?? {};
  for (const [name, value] of Object.entries(weights)) {
    if (!checks.check(names.includes(name), `${path}.weights["${name}"]`, name, "names no backend")) continue;
    checks.check(isPositive(value), `${path}.weights["${name}"]`, value, "must be a finite number > 0 (relative to the other weights of its tier); remove the backend rather than weighting it 0");
    checks.check(canaries[name] === undefined, `${path}.weights["${name}"]`, value, "is set for a canary, whose share is canaryPercent; give it one or the other");
  }
  // A canary shares its tier with score-weighted backends that take the rest.
  const tiers = new Map<string, Backend[]>();
  for (const b of backends) {
    const key = `${b.modelName} tier ${b.provider === "hosted" ? "hosted" : b.capacityType}`;
    tiers.set(key, [...(tiers.get(key) ?? []), b]);
  }
  for (const [tier, members] of tiers) {
    // Explicit weights and scores are not comparable: within a tier, all of its score-weighted backends or none.
    const regularMembers = members.filter((b) => canaries[b.name] === undefined);
    const weighted = regularMembers.filter((b) => weights[b.name] !== undefined);
    if (weighted.length > 0 && weighted.length < regularMembers.length) {
      const missing = regularMembers.filter((b) => weights[b.name] === undefined).map((b) => b.name);
      checks.add(`${path}.weights`, Object.fromEntries(weighted.map((b) => [b.name, weights[b.name]])), `covers only part of ${tier}: add a weight for ${oneOf(missing)}, or remove the others to weight the tier by score`);
    }
    const canaryMembers = members.filter((b) => canaries[b.name] !== undefined);
    if (canaryMembers.length === 0) continue;
    const regular = members.length - canaryMembers.length;
    const canaryWeight = canaryMembers.reduce((sum, b) => sum + Math.max(1, Math.round(((canaries[b.name] ?? 0) / 100) * WEIGHT_TOTAL)), 0);
    checks.check(
      regular > 0 && canaryWeight <= WEIGHT_TOTAL - regular,
      `${path}.canaryPercent`,
      Object.fromEntries(canaryMembers.map((b) => [b.name, canaries[b.name]])),
      `leaves nothing for ${tier}: a canary takes a share of its tier next to score-weighted backends, so the tier needs at least one non-canary backend and canaries under 100% in total`,
    );
  }
  const pricing = routing.pricing;
  if (pricing?.inputPriceRatio !== undefined) {
    checks.check(isNonNegative(pricing.inputPriceRatio) && pricing.inputPriceRatio <= 1, `${path}.pricing.inputPriceRatio`, pricing.inputPriceRatio, "must be a fraction in [0, 1], e.g. 0.25");
  }
  if (pricing?.promptTokensPerOutputToken !== undefined) {
    checks.check(
      isNonNegative(pricing.promptTokensPerOutputToken),
      `${path}.pricing.promptTokensPerOutputToken`,
      pricing.promptTokensPerOutputToken,
      "must be a finite number ≥ 0 of prompt tokens per completion token",
    );
  }
}

function checkReliability(checks: ArgChecks, reliability: GatewayReliabilityArgs | undefined, path: string): void {
  const r = resolveReliability(reliability);
  const inRange = (value: unknown, min: number, max: number): boolean => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
  const whole = (key: Exclude<keyof GatewayReliabilityArgs, "streamTimeoutSecondsByTier">, min: number, max: number, hint: string): boolean =>
    checks.check(inRange(r[key], min, max), `${path}.${key}`, r[key], `must be a whole number from ${min} to ${max}${hint}`);
  whole("numRetries", 0, 10, "");
  const timeoutOk = whole("requestTimeoutSeconds", 1, 3600, " seconds (LiteLLM's own default, 6000, would hold a hung backend's requests for 100 minutes)");
  whole("streamTimeoutSeconds", 1, 3600, " seconds");
  checkTierTimeouts(checks, r.streamTimeoutSecondsByTier, `${path}.streamTimeoutSecondsByTier`, inRange);
  const cooldownOk = whole("cooldownSeconds", 1, 3600, " seconds");
  whole("allowedFailures", 0, 100, "");
  whole("allowedTimeouts", 0, 100, "");
  const intervalOk = whole("healthCheckIntervalSeconds", 1, 3600, " seconds");
  const hcTimeoutOk = whole("healthCheckTimeoutSeconds", 1, 600, " seconds");
  if (cooldownOk && intervalOk) {
    checks.check(
      r.cooldownSeconds > r.healthCheckIntervalSeconds,
      `${path}.cooldownSeconds`,
      r.cooldownSeconds,
      `must exceed healthCheckIntervalSeconds (${r.healthCheckIntervalSeconds}): failure counts expire after cooldownSeconds, so a shorter window never sees two health checks and a failing backend is never benched`,
    );
    // A recovered backend is back at its first passing health check (a bench from failed checks) or when the
    // cooldown ends (a bench from failed requests): capping the cooldown caps recovery at two intervals.
    checks.check(
      r.cooldownSeconds <= 2 * r.healthCheckIntervalSeconds,
      `${path}.cooldownSeconds`,
      r.cooldownSeconds,
      `must be at most twice healthCheckIntervalSeconds (${2 * r.healthCheckIntervalSeconds}): a backend benched by failed requests stays out for the whole cooldown after it recovers, and recovery is bounded at two health-check intervals`,
    );
  }
  if (intervalOk && hcTimeoutOk) {
    checks.check(
      r.healthCheckTimeoutSeconds < r.healthCheckIntervalSeconds,
      `${path}.healthCheckTimeoutSeconds`,
      r.healthCheckTimeoutSeconds,
      `must be shorter than healthCheckIntervalSeconds (${r.healthCheckIntervalSeconds}) so checks do not overlap`,
    );
  }
  if (timeoutOk && hcTimeoutOk) {
    checks.check(
      r.healthCheckTimeoutSeconds <= r.requestTimeoutSeconds,
      `${path}.healthCheckTimeoutSeconds`,
      r.healthCheckTimeoutSeconds,
      `must not exceed requestTimeoutSeconds (${r.requestTimeoutSeconds})`,
    );
  }
}

/** In the order the gateway tries them. */
const GATEWAY_TIERS: readonly GatewayTier[] = [...[...CAPACITY_TYPES].sort((a, b) => TIER_ORDER[a] - TIER_ORDER[b]), "hosted"];

function checkTierTimeouts(checks: ArgChecks, byTier: unknown, path: string, inRange: (value: unknown, min: number, max: number) => boolean): void {
  if (!checks.check(typeof byTier === "object" && byTier !== null && !Array.isArray(byTier), path, byTier, `must be an object of seconds by tier (${GATEWAY_TIERS.join(", ")}), e.g. { reserved: 10 }`)) return;
  for (const [tier, seconds] of Object.entries(byTier as Record<string, unknown>)) {
    if (!checks.check((GATEWAY_TIERS as readonly string[]).includes(tier), `${path}.${tier}`, seconds, `is not a tier: use ${GATEWAY_TIERS.join(", ")}`)) continue;
    checks.check(seconds === undefined || inRange(seconds, 1, 3600), `${path}.${tier}`, seconds, "must be a whole number from 1 to 3600 seconds");
  }
}

function groupProviders(backends: Backend[]): Map<string, Set<string>> {
  const groups = new Map<string, Set<string>>();
  for (const b of backends) {
    if (typeof b?.modelName !== "string") continue;
    const providers = groups.get(b.modelName) ?? new Set<string>();
    if (typeof b.provider === "string") providers.add(b.provider);
    groups.set(b.modelName, providers);
  }
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function isPositive(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}

function isNonNegative(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}
