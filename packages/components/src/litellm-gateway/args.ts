import type * as pulumi from "@pulumi/pulumi";
import type { CapacityType } from "@switchyard/catalog";
import type { Backend } from "../contracts";

/** The tiers the gateway tries in turn: reserved, spot, on-demand GPUs, then hosted APIs listed as backends. */
export type GatewayTier = CapacityType | "hosted";

/**
 * How much each term of the routing score counts: `latency·L + cost·C + availability·A`, each term
 * normalised within the backends that compete for the same traffic (higher is better). Only the ratios
 * matter: the three are divided by their sum.
 */
export interface RoutingScoreWeightsArgs {
  /** Weight of expected time to first token (`Backend.expectedLatencyMs`, lower is better). Defaults to 0.3. */
  latency?: number;
  /** Weight of cost per output token (GPU-hour price ÷ measured throughput, lower is better). Defaults to 0.4. */
  cost?: number;
  /** Weight of expected availability (0–1, higher is better). Defaults to 0.3. */
  availability?: number;
}

/** How requests are spread over the backends of one model group. */
export interface GatewayRoutingArgs {
  /** Weights of the routing score's three terms. Defaults to 0.3 latency, 0.4 cost, 0.3 availability. */
  scoreWeights?: RoutingScoreWeightsArgs;
  /**
   * Expected availability (a fraction in (0, 1]) per backend name, e.g. from the planner's outage model.
   * Defaults by capacity type: reserved 0.999, on-demand 0.995, spot 0.95.
   */
  availability?: Record<string, number>;
  /**
   * Relative weight per backend name (finite, > 0), e.g. the planner's routing weights: used instead of the score.
   * Within a model group's purchase tier give one to every backend that is not a canary, or to none; they are
   * scaled to whole LiteLLM weights in proportion. Defaults to none (weights from the score).
   */
  weights?: Record<string, number>;
  /**
   * Canary share in percent (0–50, exclusive of 0) of its purchase tier's traffic, per backend name: a new
   * backend takes exactly this share while the others split the rest by score (or by `weights`). Defaults to none.
   */
  canaryPercent?: Record<string, number>;
  /** How GPU-hour prices become per-token prices. Defaults to the documented pricing defaults. */
  pricing?: TokenPricingArgs;
}

/**
 * Per-token prices derived from a replica's GPU-hour cost, so that at its measured throughput and the
 * expected prompt/completion mix the tokens it serves in an hour cost exactly `costPerHour`.
 */
export interface TokenPricingArgs {
  /**
   * Price of a prompt token relative to a completion token (0–1): prefill is far cheaper per token than
   * decode. Defaults to 0.25, the ratio most hosted APIs charge.
   */
  inputPriceRatio?: number;
  /**
   * Prompt tokens served per completion token in the measured workload (≥ 0), used to split the GPU-hour
   * between the two. Defaults to 1; set it from the gateway's own usage figures.
   */
  promptTokensPerOutputToken?: number;
}

/** A hosted API model group (e.g. OpenAI) that model groups fall back to once their own backends fail. */
export interface HostedFallbackArgs {
  /** Name of the fallback model group, e.g. `gpt-4o-mini-fallback`; must differ from every backend's model group. Required. */
  modelName: string;
  /** LiteLLM provider route of the hosted model, e.g. `openai/gpt-4o-mini`. Required. */
  model: string;
  /** Environment variable the gateway reads the hosted API's key from (upper snake case). Required. */
  apiKeySecretEnv: string;
  /** `https://` base URL for an OpenAI-compatible hosted API. Defaults to the provider's own endpoint. */
  apiBase?: string;
  /** USD per prompt token at the hosted API's list price. Required. */
  inputCostPerToken: number;
  /** USD per completion token at the hosted API's list price. Required. */
  outputCostPerToken: number;
  /**
   * The account's rate limit in requests per minute, rendered as the deployment's `rpm` and enforced by the gateway
   * (LiteLLM's `enforce_model_rate_limits` pre-call check, per UTC minute, shared through Redis): a request over it
   * is refused at once instead of meeting the provider's 429. Defaults to none.
   */
  requestsPerMinute?: number;
  /**
   * The account's rate limit in prompt plus completion tokens per minute, rendered as the deployment's `tpm` and
   * enforced the same way (tokens are counted when a request completes). Defaults to none.
   */
  tokensPerMinute?: number;
  /** Model groups that fall back to it. Defaults to every model group. */
  modelGroups?: string[];
}

/**
 * Timeouts, retries and benching. A failing backend is benched (cooled down) for `cooldownSeconds` once it
 * fails more than the allowed number of requests or background health checks within that window.
 */
export interface GatewayReliabilityArgs {
  /** Retries of a failed request within its model group, before tier spill and fallbacks. Defaults to 2. */
  numRetries?: number;
  /** Per-attempt timeout of a completion in seconds (LiteLLM's own default is 6000). Defaults to 120. */
  requestTimeoutSeconds?: number;
  /**
   * Seconds a streamed completion waits for a backend's first token, and then for each next one, before it goes to
   * another backend (a time-to-first-token budget: tokens follow each other within milliseconds). Defaults to 30.
   */
  streamTimeoutSeconds?: number;
  /**
   * `streamTimeoutSeconds` per tier, for the tiers listed: e.g. `{ reserved: 10 }` moves streams off a saturated
   * reserved tier (its first tokens slow as requests queue) after 10 s. A backend that misses the budget more than
   * `allowedTimeouts` times is benched; `hosted` also covers the hosted fallback. Defaults to none (every tier uses
   * `streamTimeoutSeconds`).
   */
  streamTimeoutSecondsByTier?: Partial<Record<GatewayTier, number>>;
  /**
   * How long a failing backend is benched, in seconds; more than one health-check interval and at most two, so a
   * recovered backend is back within two intervals. Defaults to 60.
   */
  cooldownSeconds?: number;
  /** Errors (5xx, refused connections) a backend may return within `cooldownSeconds` before it is benched. Defaults to 2. */
  allowedFailures?: number;
  /** Timeouts a backend may have within `cooldownSeconds` before it is benched. Defaults to 1. */
  allowedTimeouts?: number;
  /** Seconds between background health checks of every backend. Defaults to 30. */
  healthCheckIntervalSeconds?: number;
  /** Seconds a health check may take before it counts as a failure. Defaults to 10. */
  healthCheckTimeoutSeconds?: number;
}

/** Router state in Redis, read by the proxy from `REDIS_HOST`, `REDIS_PORT` and optionally `REDIS_PASSWORD`. */
export interface RedisStateOptions {
  /** Whether the proxy also gets `REDIS_PASSWORD` (rendered as `redis_password`). Required. */
  withPassword: boolean;
}

/** Everything `renderLiteLLMConfig` needs beyond the backends. */
export interface LiteLLMRenderOptions {
  /** Weights, canaries and pricing. Defaults to the documented routing defaults. */
  routing?: GatewayRoutingArgs;
  /**
   * Hosted API fallback groups, each with the model groups it covers; a group covered by several tries them in
   * this order. Defaults to none.
   */
  fallbacks?: HostedFallbackArgs[];
  /**
   * Model groups allowed to have backends on one provider only and no fallback, accepting that the provider's
   * outage reaches their clients (LiteLLM never benches a group's only deployment): e.g. a fleet planned with
   * `resilience: none`. Defaults to none: every group needs two providers or a fallback.
   */
  singleProviderGroups?: string[];
  /** Timeouts, retries and benching. Defaults to the documented reliability defaults. */
  reliability?: GatewayReliabilityArgs;
  /** Proxy replicas sharing this config; more than one needs `redis`. Defaults to 1. */
  replicas?: number;
  /** Shared router state (cooldowns, failure counters, usage) in Redis. Defaults to none (per-process state). */
  redis?: RedisStateOptions;
  /**
   * Export LiteLLM's Prometheus metrics (its `prometheus` callback) on a separate port, `GATEWAY_METRICS_PORT`:
   * what wakes burst tiers at zero replicas (`gatewayWakeQuery`). Defaults to false.
   */
  metrics?: boolean;
}

/** Redis the proxy replicas share router state through (cooldowns, failure counters, usage). */
export interface GatewayRedisConnectionArgs {
  /** Host name of the Redis endpoint, e.g. the `SharedServices` ElastiCache primary endpoint. Required. */
  host: pulumi.Input<string>;
  /** TCP port. Defaults to 6379. */
  port?: number;
  /** AUTH password, stored in the gateway's credentials Secret. Defaults to none. */
  password?: pulumi.Input<string>;
  /**
   * Connect over TLS (`REDIS_SSL`, read by LiteLLM's Redis client); SharedServices' ElastiCache requires it.
   * Defaults to true.
   */
  tls?: boolean;
}

/** Pods allowed to call the gateway (the NetworkPolicy admits only them). */
export interface GatewayClientArgs {
  /** Namespace of the client pods (DNS-1123 label). Required. */
  namespace: string;
  /** Labels selecting the client pods in that namespace. Defaults to every pod of the namespace. */
  podLabels?: Record<string, string>;
}

/**
 * The gateway's Prometheus metrics, served on their own port (`GATEWAY_METRICS_PORT`, `/metrics`) so that the
 * NetworkPolicy can admit the scraper there and only there: LiteLLM's own `/metrics` on the proxy port needs a
 * key (the master key unless the proxy has a database), which a scraper should never hold.
 */
export interface GatewayMetricsArgs {
  /** Pods of the Prometheus that scrapes the proxies (e.g. namespace `monitoring`); at least one entry. Required. */
  scrapers: GatewayClientArgs[];
}

/** CPU and memory of each proxy container. */
export interface GatewayResourcesArgs {
  /** CPU cores requested (no CPU limit). Defaults to 2, LiteLLM's production sizing. */
  cpuCores?: number;
  /** Memory request and limit in GiB. Defaults to 4, LiteLLM's production sizing. */
  memoryGiB?: number;
}

/** Arguments of `LiteLLMGatewayConfig`: the backends to route to, their keys, and how the proxy runs. */
export interface LiteLLMGatewayConfigArgs {
  /** Namespace for every object (DNS-1123 label); must already exist. Required. */
  namespace: string;
  /** The deployments to route to: the `backend` outputs of `VllmServing`s (and hosted entries). Required. */
  backends: Backend[];
  /**
   * API key per environment variable name: one for every backend's `apiKeySecretEnv` (and the fallback's),
   * no more. Stored in the `${name}-backend-keys` Secret and read by the proxy as `os.environ/NAME`. Required.
   */
  apiKeys: Record<string, pulumi.Input<string>>;
  /**
   * LiteLLM proxy image, the non-root variant (`ghcr.io/berriai/litellm-non_root`, runs as 65534) pinned by
   * a version tag ≥ 1.83.14 or an `@sha256:` digest; floating tags are rejected. Required.
   */
  image: string;
  /** Proxy replicas, at least 2 (they share router state through `redis`). Defaults to 2. */
  replicas?: number;
  /** Redis for the replicas' shared router state. Required. */
  redis: GatewayRedisConnectionArgs;
  /** Weights, canaries and pricing. Defaults to the documented routing defaults. */
  routing?: GatewayRoutingArgs;
  /**
   * Hosted API fallback groups, each with the model groups it covers; a group covered by several tries them in
   * this order. Defaults to none.
   */
  fallbacks?: HostedFallbackArgs[];
  /**
   * Model groups allowed to have backends on one provider only and no fallback, accepting that the provider's
   * outage reaches their clients (LiteLLM never benches a group's only deployment): e.g. a fleet planned with
   * `resilience: none`. Defaults to none: every group needs two providers or a fallback.
   */
  singleProviderGroups?: string[];
  /** Timeouts, retries and benching. Defaults to the documented reliability defaults. */
  reliability?: GatewayReliabilityArgs;
  /** Pods allowed to call the gateway; at least one entry. Required. */
  clients: GatewayClientArgs[];
  /**
   * Prometheus metrics for the scrapers listed: the signal burst tiers at zero replicas wake on
   * (`gatewayWakeQuery`). Defaults to none (no metrics exported).
   */
  metrics?: GatewayMetricsArgs;
  /** Proxy admin key (must start with `sk-`); give clients virtual keys, never this. Defaults to a generated key. */
  masterKey?: pulumi.Input<string>;
  /**
   * Key LiteLLM encrypts stored credentials with; never change it once set. Defaults to a generated key,
   * protected from deletion.
   */
  saltKey?: pulumi.Input<string>;
  /** CPU and memory of each proxy container. Defaults to 2 cores and 4 GiB. */
  resources?: GatewayResourcesArgs;
}
