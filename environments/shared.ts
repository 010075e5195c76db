/**
 * The shared stack, on AWS: SharedServices (weights origin, KMS, secrets, Redis, audit log, budget) and the
 * LiteLLM gateway in front of every provider stack's backends. The provider stacks are read through
 * StackReferences; one that does not exist yet or has no backends is reported and left out, and the gateway
 * is built from the others. Routing follows the plan: its weights, and the purchase tiers as LiteLLM orders.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LiteLLMGatewayConfig, SharedServices, derivedKey, resolveLiteLLMGatewayArgs, resolveSharedServicesArgs } from "@switchyard/components";
import type { Backend, GatewayRoutingArgs, HostedFallbackArgs, LiteLLMGatewayConfigArgs, SharedServicesArgs } from "@switchyard/components";
import { scalesToZero } from "@switchyard/planner";
import type { FleetPlan } from "@switchyard/planner";
import type { SharedConfig } from "./config";
import { SHARED_GATEWAY_NAME, StackConfigError } from "./config";
import type { Fleet } from "./fleet";

export const HOSTED_FALLBACK_KEY_ENV = "HOSTED_FALLBACK_API_KEY";

/** What one provider stack handed over, or why it did not. */
export interface ProviderStackRead {
  stack: string;
  backends: Backend[];
  apiKeys: pulumi.Output<Record<string, string>> | undefined;
  /** Why the stack contributed nothing, when it did not. */
  skipped: string | undefined;
}

export interface SharedStackOutputs {
  gatewayUrl: pulumi.Output<string>;
  gatewayCredentialsSecret: pulumi.Output<string>;
  weightsBucketName: pulumi.Output<string>;
  kmsKeyArn: pulumi.Output<string>;
  redisEndpoint: pulumi.Output<string | undefined>;
  budgetName: pulumi.Output<string>;
  /** Backends routed to, with the stack each came from. */
  routedBackends: string[];
  /** Provider stacks left out, with the reason. */
  skippedStacks: string[];
  plannedMonthlyCostUsd: number;
}

/**
 * Reads every configured provider stack's outputs. A stack that exists but exports no backends (created and
 * not yet deployed, or planned empty) is skipped with the reason. A stack that does not exist at all fails
 * the update in the Pulumi engine ("unknown stack"): remove it from `switchyard:providerStacks`.
 */
export async function readProviderStacks(names: readonly string[]): Promise<ProviderStackRead[]> {
  const reads: ProviderStackRead[] = [];
  for (const stack of names) {
    const ref = new pulumi.StackReference(stack);
    const backends = (await ref.getOutputDetails("backends")).value as Backend[] | undefined;
    if (backends === undefined || backends.length === 0) {
      reads.push({ stack, backends: [], apiKeys: undefined, skipped: "it exports no backends (not deployed yet, or the plan puts nothing there)" });
      continue;
    }
    const apiKeys = ref.getOutput("backendApiKeys") as pulumi.Output<Record<string, string>>;
    reads.push({ stack, backends, apiKeys, skipped: undefined });
  }
  return reads;
}

/**
 * The gateway's routing from the plan: the planner's weights (score × the capacity it plans for each
 * backend) when the plan covers every routed backend; otherwise — a provider stack deployed from another
 * spec — the plan's availability figures, and the gateway scores the backends itself.
 */
export function plannedRouting(plan: FleetPlan, backends: readonly Backend[]): GatewayRoutingArgs {
  const planned = new Map(plan.backends.map((b) => [b.name, b]));
  const scoreWeights = plan.policy.router;
  if (backends.every((b) => (planned.get(b.name)?.weight ?? 0) > 0)) {
    return { scoreWeights, weights: Object.fromEntries(backends.map((b) => [b.name, planned.get(b.name)!.weight])) };
  }
  const availability: Record<string, number> = {};
  for (const b of backends) {
    const parts = planned.get(b.name)?.scoreParts;
    if (parts) availability[b.name] = parts.availability;
  }
  return { scoreWeights, availability };
}

/**
 * The hosted fallbacks the plan prices, as the gateway deploys them: one model group per fallback the fleet spec
 * names, at the plan's per-token prices and rate limit, covering the routed models that name it.
 */
export function plannedFallbacks(plan: FleetPlan, routedGroups: readonly string[]): HostedFallbackArgs[] {
  const byName = new Map<string, HostedFallbackArgs>();
  for (const model of plan.models) {
    const hosted = model.hostedFallback;
    if (hosted === null || !routedGroups.includes(model.name)) continue;
    const priced = plan.backends.find((b) => b.model === model.name && b.provider === "hosted")!;
    const entry = byName.get(hosted.name) ?? {
      modelName: hosted.name,
      model: hosted.model,
      apiKeySecretEnv: HOSTED_FALLBACK_KEY_ENV,
      inputCostPerToken: priced.tokenPrices.inputCostPerToken,
      outputCostPerToken: priced.tokenPrices.outputCostPerToken,
      ...(hosted.requestsPerMinute === null ? {} : { requestsPerMinute: hosted.requestsPerMinute }),
      ...(hosted.tokensPerMinute === null ? {} : { tokensPerMinute: hosted.tokensPerMinute }),
      modelGroups: [],
    };
    entry.modelGroups!.push(model.name);
    byName.set(hosted.name, entry);
  }
  return [...byName.values()];
}

export async function shared(config: SharedConfig, fleet: Fleet): Promise<SharedStackOutputs> {
  const reads = await readProviderStacks(config.providerStacks);
  for (const r of reads.filter((x) => x.skipped !== undefined)) {
    void pulumi.log.warn(`provider stack ${r.stack} left out of the gateway: ${r.skipped}`);
  }
  const backends = reads.flatMap((r) => r.backends);
  if (backends.length === 0) {
    throw new StackConfigError("shared", [
      `none of switchyard:providerStacks (${config.providerStacks.join(", ")}) exports backends; fix: deploy a provider stack first (pulumi up -s coreweave), or correct the stack names`,
    ]);
  }

  const fallbacks = plannedFallbacks(fleet.plan, [...new Set(backends.map((b) => b.modelName))]);
  if (fallbacks.length > 0 && config.hostedFallbackApiKey === undefined) {
    throw new StackConfigError("shared", [
      `switchyard:hostedFallbackApiKey is missing: the fleet spec gives ${fallbacks.flatMap((f) => f.modelGroups ?? []).join(", ")} a hosted fallback (${fallbacks.map((f) => f.model).join(", ")}); fix: pulumi config set --secret switchyard:hostedFallbackApiKey <key> -s shared`,
    ]);
  }
  const wakeOnGateway = fleet.plan.models.flatMap((m) => m.pools.flatMap((p) => p.tiers)).filter(scalesToZero);
  if (wakeOnGateway.length > 0 && config.gateway.metricsScrapers === undefined) {
    throw new StackConfigError("shared", [
      `switchyard:gateway.metricsScrapers is missing: the plan scales ${wakeOnGateway.map((t) => t.backend).join(", ")} to zero, and they wake on the gateway's metrics; fix: pulumi config set --path 'switchyard:gateway.metricsScrapers[0].namespace' <namespace of the Prometheus that scrapes the gateway> -s shared (and its podLabels)`,
    ]);
  }
  // With resilience "none" the plan may serve a model from one provider: the fleet spec accepted its outages.
  const singleProviderGroups = fleet.plan.policy.resilience === "none" ? [...new Set(backends.map((b) => b.modelName))] : [];
  const fallbackKey = fallbacks.length === 0 || config.hostedFallbackApiKey === undefined ? undefined : pulumi.secret(config.hostedFallbackApiKey);
  const sharedArgs = (redisAuthToken: pulumi.Input<string>): SharedServicesArgs => ({
    region: fleet.plan.gateway.region,
    ...(fallbackKey === undefined ? {} : { providerApiKeys: { "hosted-fallback": fallbackKey } }),
    readers: config.readers,
    redis: { ...config.redis, authToken: redisAuthToken },
    budget: config.budget,
  });
  const apiKeys: Record<string, pulumi.Input<string>> = {};
  for (const r of reads) {
    for (const b of r.backends) apiKeys[b.apiKeySecretEnv] = r.apiKeys!.apply((keys) => keys[b.apiKeySecretEnv] ?? "");
  }
  if (fallbackKey !== undefined) apiKeys[HOSTED_FALLBACK_KEY_ENV] = fallbackKey;
  const gatewayArgs = (redisHost: pulumi.Input<string>, redisPassword: pulumi.Input<string>): LiteLLMGatewayConfigArgs => ({
    namespace: config.gateway.namespace,
    image: config.gateway.image,
    // LiteLLM takes master keys that start with sk-. The salt key encrypts what LiteLLM stores: keep the seed stable.
    masterKey: pulumi.interpolate`sk-${derivedKey(config.keySeed, "litellm-master-key")}`,
    saltKey: derivedKey(config.keySeed, "litellm-salt-key"),
    ...(config.gateway.replicas === undefined ? {} : { replicas: config.gateway.replicas }),
    backends,
    apiKeys,
    redis: { host: redisHost, password: redisPassword, tls: true },
    routing: plannedRouting(fleet.plan, backends),
    ...(fallbacks.length === 0 ? {} : { fallbacks }),
    ...(singleProviderGroups.length === 0 ? {} : { singleProviderGroups }),
    clients: config.gateway.clients,
    ...(config.gateway.metricsScrapers === undefined ? {} : { metrics: { scrapers: config.gateway.metricsScrapers } }),
  });
  // Validate both components before registering either: a bad gateway must not leave shared services behind.
  // Stand-ins for what is generated below: nothing, not even the Redis token, exists before both pass.
  const tokenStandIn = pulumi.secret("(redis token)");
  resolveSharedServicesArgs("shared", sharedArgs(tokenStandIn));
  resolveLiteLLMGatewayArgs(SHARED_GATEWAY_NAME, gatewayArgs("redis.invalid", tokenStandIn));

  const redisToken = derivedKey(config.keySeed, "redis-auth");
  const services = new SharedServices("shared", sharedArgs(redisToken));
  const cluster = new k8s.Provider("gateway-cluster", { kubeconfig: pulumi.secret(config.kubeconfig), enableServerSideApply: true });
  const gateway = new LiteLLMGatewayConfig(SHARED_GATEWAY_NAME, gatewayArgs(services.redisEndpoint.apply((e) => e ?? ""), redisToken), { providers: [cluster] });

  return {
    gatewayUrl: gateway.endpoint,
    gatewayCredentialsSecret: gateway.credentialsSecretName,
    weightsBucketName: services.weightsBucketName,
    kmsKeyArn: services.kmsKeyArn,
    redisEndpoint: services.redisEndpoint,
    budgetName: services.budgetName,
    routedBackends: backends.map((b) => b.name),
    skippedStacks: reads.filter((r) => r.skipped !== undefined).map((r) => `${r.stack}: ${r.skipped}`),
    plannedMonthlyCostUsd: Math.round(fleet.plan.cost.total * 100) / 100,
  };
}
