import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { Backend } from "../contracts";
import { ArgChecks, isKnown, oneOf } from "../internal/errors";
import { componentLabels } from "../internal/labels";
import { DNS1123_HINT, isDns1123Label, isLabelKey, isLabelValue } from "../internal/names";
import type { GatewayClientArgs, GatewayResourcesArgs, HostedFallbackArgs, LiteLLMGatewayConfigArgs, LiteLLMRenderOptions } from "./args";
import { GUARD_MODULE_FILE, checkLiteLLMInput, guardModuleSource, renderLiteLLMConfig, renderLiteLLMConfigYaml, resolveReliability } from "./render";
import type { LiteLLMConfig } from "./render";

/** Port the proxy listens on and the Service exposes (LiteLLM's default). */
export const GATEWAY_PORT = 4000;
/** Port the guard serves LiteLLM's Prometheus metrics on (`metrics`), apart from the clients' proxy port. */
export const GATEWAY_METRICS_PORT = 9464;
/** Environment variable telling the guard module which port to serve the metrics on. */
export const METRICS_PORT_ENV = "SWITCHYARD_METRICS_PORT";
/** `nobody` in the `litellm-non_root` image (docker/Dockerfile.non_root: `USER nobody` on Wolfi). */
export const NON_ROOT_UID = 65534;
/** Oldest LiteLLM accepted: 1.83.14 fixes the allowed_routes → RCE chain (CVE-2026-47101/47102/40217). */
export const MIN_LITELLM_VERSION: readonly [number, number, number] = [1, 83, 14];
/** Where the ConfigMap is mounted and which file of it the proxy reads. */
export const CONFIG_DIR = "/etc/litellm";
export const CONFIG_FILE = "config.yaml";

/** Every file the proxy reads from CONFIG_DIR, by name: the config and the request guard it loads. */
export function gatewayConfigFiles(config: LiteLLMConfig): Record<string, string> {
  return { [CONFIG_FILE]: renderLiteLLMConfigYaml(config), [GUARD_MODULE_FILE]: guardModuleSource() };
}
/** Keys of the `${name}-credentials` Secret. */
export const MASTER_KEY_SECRET_KEY = "master-key";
export const SALT_KEY_SECRET_KEY = "salt-key";
export const REDIS_PASSWORD_SECRET_KEY = "redis-password";
/** Pod annotation carrying the config's hash, so a config change rolls the pods. */
export const CONFIG_HASH_ANNOTATION = "switchyard.dev/config-sha256";

const COMPONENT = "LiteLLMGatewayConfig";
const LABEL_NAME = "litellm-gateway";
/** `${name}-backend-keys` must stay a valid object name. */
const NAME_MAX = 63 - "-backend-keys".length;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** `registry[:port]/path[:tag][@sha256:digest]`, the Docker reference grammar without uppercase. */
const IMAGE_REFERENCE =
  /^(?<repository>[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$/;

export interface ResolvedProbe {
  path: string;
  periodSeconds: number;
  failureThreshold: number;
  timeoutSeconds: number;
}

export interface ResolvedLiteLLMGateway {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** Immutable Deployment selector; also what the Service, PDB and NetworkPolicy select. */
  selector: Record<string, string>;
  podLabels: Record<string, string>;
  objectNames: {
    config: string;
    credentialsSecret: string;
    backendKeysSecret: string;
    deployment: string;
    service: string;
    podDisruptionBudget: string;
    networkPolicy: string;
  };
  image: string;
  replicas: number;
  port: number;
  config: LiteLLMConfig;
  /** The ConfigMap's files: config.yaml and the guard module. */
  configFiles: Record<string, string>;
  configSha256: string;
  /** Environment variables holding backend (and fallback) API keys, sorted. */
  apiKeyEnvNames: string[];
  apiKeys: Record<string, pulumi.Input<string>>;
  redis: { host: pulumi.Input<string>; port: number; password: pulumi.Input<string> | undefined; tls: boolean };
  masterKey: pulumi.Input<string> | undefined;
  saltKey: pulumi.Input<string> | undefined;
  clients: GatewayClientArgs[];
  /** Set when the proxies export Prometheus metrics: the scrapers admitted to `metricsPort`. */
  metrics: { port: number; scrapers: GatewayClientArgs[] } | undefined;
  resources: Required<GatewayResourcesArgs>;
  probes: { startup: ResolvedProbe; readiness: ResolvedProbe; liveness: ResolvedProbe };
  terminationGracePeriodSeconds: number;
  /** OpenAI-compatible base URL inside the cluster, ending in `/v1`. */
  endpoint: string;
}

/**
 * Validates LiteLLMGatewayConfig's arguments, renders the proxy config and fills the defaults. Throws one
 * `pulumi.InputPropertiesError` listing every problem; pure, so tests call it without mocks.
 */
/**
 * The labels of the gateway's proxy pods: what a backend's NetworkPolicy (VllmServing `gateway.podLabels`)
 * must select to admit a gateway named `name` running in the same cluster.
 */
export function gatewayPodLabels(name: string): Record<string, string> {
  return componentLabels(LABEL_NAME, name);
}

export function resolveLiteLLMGatewayArgs(name: string, args: LiteLLMGatewayConfigArgs): ResolvedLiteLLMGateway {
  const checks = new ArgChecks(COMPONENT, name);
  checks.check(
    typeof name === "string" && name.length <= NAME_MAX && DNS1035_LABEL.test(name),
    "name",
    name,
    `must be a DNS-1035 label of at most ${NAME_MAX} characters (lowercase letters, digits and '-', starting with a letter) because it names the Service and the "-backend-keys" Secret`,
  );
  checks.check(isDns1123Label(args.namespace ?? ""), "namespace", args.namespace, DNS1123_HINT);
  checkImage(checks, args.image);
  const replicas = args.replicas ?? 2;
  checks.check(
    Number.isInteger(replicas) && replicas >= 2 && replicas <= 50,
    "replicas",
    replicas,
    "must be a whole number from 2 to 50: one proxy is a single point of failure for every model behind it",
  );
  checkRedis(checks, args);
  const hasRedis = typeof args.redis === "object" && args.redis !== null;
  const renderOptions: LiteLLMRenderOptions = {
    routing: args.routing,
    fallbacks: args.fallbacks,
    ...(args.singleProviderGroups === undefined ? {} : { singleProviderGroups: args.singleProviderGroups }),
    reliability: args.reliability,
    replicas: Number.isInteger(replicas) && replicas >= 1 ? replicas : 2,
    // Presence only: checkRedis reports a missing or invalid block once.
    redis: hasRedis ? { withPassword: args.redis.password !== undefined } : undefined,
    metrics: args.metrics !== undefined,
  };
  checkLiteLLMInput(checks, args.backends, renderOptions);
  const apiKeyEnvNames = requiredKeyEnvs(args);
  checkApiKeys(checks, args.apiKeys, apiKeyEnvNames);
  checkPeers(checks, args.clients, "clients", "must list at least one client namespace: the NetworkPolicy admits only these");
  if (args.metrics !== undefined) {
    checkPeers(checks, args.metrics?.scrapers, "metrics.scrapers", "must list the Prometheus pods that scrape the proxies (e.g. namespace monitoring): the NetworkPolicy admits only these to the metrics port");
  }
  checkSecretInput(checks, args.masterKey, "masterKey", (v) => v.startsWith("sk-") && v.length >= 20, "must start with sk- and be at least 20 characters without whitespace (value not shown); omit it to generate one");
  checkSecretInput(checks, args.saltKey, "saltKey", (v) => v.length >= 16, "must be at least 16 characters without whitespace (value not shown); omit it to generate one");
  const resources = resolveResources(checks, args.resources);
  checks.throwIfAny();

  const config = renderLiteLLMConfig(args.backends, renderOptions);
  const configFiles = gatewayConfigFiles(config);
  const reliability = resolveReliability(args.reliability);
  const selector = gatewayPodLabels(name);
  const objectNames = {
    config: `${name}-config`,
    credentialsSecret: `${name}-credentials`,
    backendKeysSecret: `${name}-backend-keys`,
    deployment: name,
    service: name,
    podDisruptionBudget: name,
    networkPolicy: name,
  };
  return {
    name,
    namespace: args.namespace,
    labels: { ...selector },
    selector,
    podLabels: { ...selector },
    objectNames,
    image: args.image,
    replicas,
    port: GATEWAY_PORT,
    config,
    configFiles,
    configSha256: filesSha256(configFiles),
    apiKeyEnvNames,
    apiKeys: args.apiKeys,
    redis: { host: args.redis.host, port: args.redis.port ?? 6379, password: args.redis.password, tls: args.redis.tls ?? true },
    masterKey: args.masterKey,
    saltKey: args.saltKey,
    clients: args.clients,
    metrics: args.metrics === undefined ? undefined : { port: GATEWAY_METRICS_PORT, scrapers: args.metrics.scrapers },
    resources,
    probes: {
      // The proxy imports a large Python package and loads the config before it listens: allow 3 minutes.
      startup: { path: "/health/liveliness", periodSeconds: 5, failureThreshold: 36, timeoutSeconds: 3 },
      // Neither probe makes LLM calls (/health would call every backend, with cost).
      readiness: { path: "/health/readiness", periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 3 },
      liveness: { path: "/health/liveliness", periodSeconds: 15, failureThreshold: 4, timeoutSeconds: 5 },
    },
    // In-flight completions may run up to one request timeout; cap the wait at 5 minutes.
    terminationGracePeriodSeconds: Math.min(reliability.requestTimeoutSeconds, 300) + 15,
    endpoint: `http://${objectNames.service}.${args.namespace}.svc.cluster.local:${GATEWAY_PORT}/v1`,
  };
}

/** The version in a LiteLLM image tag (`v1.106.2`, `main-v1.106.2-stable`), or undefined when the tag names none. */
export function litellmImageVersion(image: string): [number, number, number] | undefined {
  const tag = IMAGE_REFERENCE.exec(image)?.groups?.tag;
  const match = tag ? /(\d+)\.(\d+)\.(\d+)/.exec(tag) : null;
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function checkImage(checks: ArgChecks, image: string): void {
  const match = typeof image === "string" ? IMAGE_REFERENCE.exec(image) : null;
  if (!checks.check(match?.groups !== undefined, "image", image, "is not a valid image reference, e.g. ghcr.io/berriai/litellm-non_root:main-v1.106.2-stable")) return;
  const { repository, digest } = match!.groups!;
  const version = litellmImageVersion(image);
  checks.check(
    digest !== undefined || version !== undefined,
    "image",
    image,
    "must be pinned: a tag carrying the LiteLLM version (main-v1.106.2-stable) or an @sha256: digest; main-latest, main-stable and latest change under you",
  );
  checks.check(
    /non_?root/.test(repository!.split("/").pop() ?? ""),
    "image",
    image,
    "must be the non-root variant (ghcr.io/berriai/litellm-non_root, or a mirror whose name keeps 'non_root'): the pods run as UID 65534 with a read-only root filesystem",
  );
  if (version) {
    const [major, minor, patch] = version;
    const [minMajor, minMinor, minPatch] = MIN_LITELLM_VERSION;
    const atLeast = major !== minMajor ? major > minMajor : minor !== minMinor ? minor > minMinor : patch >= minPatch;
    checks.check(atLeast, "image", image, `must be LiteLLM ${MIN_LITELLM_VERSION.join(".")} or newer: older releases have a pre-auth SQL injection and a privilege-escalation-to-RCE chain`);
  }
}

function checkRedis(checks: ArgChecks, args: LiteLLMGatewayConfigArgs): void {
  const redis = args.redis;
  if (
    !checks.check(
      redis !== undefined && redis !== null && typeof redis === "object",
      "redis",
      redis,
      "is required: the proxy replicas share cooldowns and failure counts through Redis (e.g. SharedServices' ElastiCache)",
    )
  ) {
    return;
  }
  if (isKnown(redis.host)) checks.check(typeof redis.host === "string" && /^[A-Za-z0-9.-]+$/.test(redis.host), "redis.host", redis.host, "must be a host name or IP address");
  if (redis.port !== undefined) checks.check(Number.isInteger(redis.port) && redis.port >= 1 && redis.port <= 65535, "redis.port", redis.port, "must be a TCP port from 1 to 65535");
  checkSecretInput(checks, redis.password, "redis.password", (v) => v.length > 0, "must be a non-empty password without whitespace (value not shown)");
  if (redis.tls !== undefined) checks.check(typeof redis.tls === "boolean", "redis.tls", redis.tls, "must be true or false");
}

/** Every key env var the config references: one per distinct backend `apiKeySecretEnv`, plus the fallback's. */
function requiredKeyEnvs(args: LiteLLMGatewayConfigArgs): string[] {
  const names = new Set<string>();
  for (const b of (Array.isArray(args.backends) ? args.backends : []) as Partial<Backend>[]) {
    if (typeof b?.apiKeySecretEnv === "string") names.add(b.apiKeySecretEnv);
  }
  for (const f of (Array.isArray(args.fallbacks) ? args.fallbacks : []) as Partial<HostedFallbackArgs>[]) {
    if (typeof f?.apiKeySecretEnv === "string") names.add(f.apiKeySecretEnv);
  }
  return [...names].sort();
}

function checkApiKeys(checks: ArgChecks, apiKeys: Record<string, pulumi.Input<string>> | undefined, required: string[]): void {
  if (apiKeys === undefined || apiKeys === null || typeof apiKeys !== "object") {
    checks.add("apiKeys", undefined, `is required: a key for each of ${required.join(", ")}`);
    return;
  }
  const given = Object.keys(apiKeys).filter((env) => apiKeys[env] !== undefined && apiKeys[env] !== null);
  const missing = required.filter((env) => !given.includes(env));
  if (missing.length > 0) {
    checks.add("apiKeys", given, `has no key for ${oneOf(missing)}, which the config reads as os.environ/…; add one per backend apiKeySecretEnv`);
  }
  for (const env of given) {
    if (!required.includes(env)) {
      checks.add(`apiKeys["${env}"]`, env, `is not read by any backend or the fallback (they read ${oneOf(required)}); remove it`);
      continue;
    }
    checkSecretInput(checks, apiKeys[env], `apiKeys["${env}"]`, (v) => v.length > 0, "must be a non-empty key without whitespace (value not shown)");
  }
}

/** Pods a NetworkPolicy rule admits: clients, or metrics scrapers. */
function checkPeers(checks: ArgChecks, peers: GatewayClientArgs[] | undefined, property: string, emptyFix: string): void {
  if (!checks.check(Array.isArray(peers) && peers.length > 0, property, peers, emptyFix)) return;
  peers!.forEach((c, i) => {
    checks.check(isDns1123Label(c?.namespace ?? ""), `${property}[${i}].namespace`, c?.namespace, DNS1123_HINT);
    for (const [key, value] of Object.entries(c?.podLabels ?? {})) {
      checks.check(isLabelKey(key), `${property}[${i}].podLabels["${key}"]`, key, "is not a valid Kubernetes label key");
      checks.check(isLabelValue(value), `${property}[${i}].podLabels["${key}"]`, value, "is not a valid Kubernetes label value");
    }
  });
}

/** Checks a credential only when its value is known now, and never echoes it into the error. */
function checkSecretInput(checks: ArgChecks, value: pulumi.Input<string> | undefined, property: string, ok: (v: string) => boolean, reason: string): void {
  if (!isKnown(value)) return;
  checks.check(typeof value === "string" && !/\s/.test(value) && ok(value), property, undefined, reason);
}

function resolveResources(checks: ArgChecks, resources: GatewayResourcesArgs | undefined): Required<GatewayResourcesArgs> {
  const cpuCores = resources?.cpuCores ?? 2;
  const memoryGiB = resources?.memoryGiB ?? 4;
  checks.check(typeof cpuCores === "number" && Number.isFinite(cpuCores) && cpuCores > 0, "resources.cpuCores", cpuCores, "must be a positive number of cores");
  checks.check(typeof memoryGiB === "number" && Number.isFinite(memoryGiB) && memoryGiB >= 1, "resources.memoryGiB", memoryGiB, "must be a number of GiB ≥ 1");
  return { cpuCores, memoryGiB };
}

/** One hash over file names and contents, so a change to either file rolls the pods. */
function filesSha256(files: Record<string, string>): string {
  const hash = createHash("sha256");
  for (const name of Object.keys(files).sort()) hash.update(`${name}\0${files[name]}\0`);
  return hash.digest("hex");
}
