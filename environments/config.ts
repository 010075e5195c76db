/**
 * Stack configuration, read through zod before any resource is registered. Every key lives under the
 * `switchyard:` namespace of the stack's `environments/Pulumi.<stack>.yaml`; objects are YAML maps there.
 * A bad or missing key fails with the key, the value received and the command that fixes it. Credentials
 * (kubeconfig, API keys, join tokens) must be `--secret` values: a plain one is refused, never echoed.
 */
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { z } from "zod";

export const CONFIG_NAMESPACE = "switchyard";
/** The LiteLLMGatewayConfig the shared stack deploys; provider stacks admit its pods by its labels. */
export const SHARED_GATEWAY_NAME = "gateway";
export const ENVIRONMENTS = ["coreweave", "lambda", "aws", "gcp", "shared"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export const PROVIDER_ENVIRONMENTS = ["coreweave", "lambda", "aws", "gcp"] as const;
export type ProviderEnvironment = (typeof PROVIDER_ENVIRONMENTS)[number];

const dns1123 = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label (lowercase letters, digits, '-')").max(63);
const s3Uri = z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, "must be an s3://bucket/prefix URI");
const secretRef = z.strictObject({ name: z.string().min(1), accessKeyIdKey: z.string().optional(), secretAccessKeyKey: z.string().optional() });

/** How one model's weights reach this environment's GPUs; the strategy itself comes from the plan. */
const weightsConfig = z.strictObject({
  /** JSON manifest (`[{path, sizeBytes, sha256}]`) of the published revision, relative to the repository root. */
  manifestFile: z.string().min(1),
  originUri: s3Uri,
  originRegion: z.string().optional(),
  /** Secret in the namespace with read credentials for the origin. */
  originCredentialsSecret: secretRef,
  /** `replicate`: the in-cloud bucket and its writer/reader Secrets. */
  replica: z
    .strictObject({ bucketName: z.string().min(3), writerSecret: secretRef, readerSecret: secretRef, existingBucket: z.boolean().optional() })
    .optional(),
  /** `node-cache`: where on the node's NVMe the weights go. */
  nodeCacheHostPath: z.string().startsWith("/").optional(),
});


const ingressConfig = z.strictObject({
  /** Backends are published as `<backend>.<domain>`, reached by the gateway over TLS with their API key. */
  domain: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, "must be a DNS domain, e.g. inference.example.com"),
  className: z.string().min(1),
  tlsSecretName: z.string().min(1),
  controllerNamespace: dns1123,
});

/** Keys every provider environment shares. Regions come from the fleet spec, the one place they are decided. */
/** An http(s) URL: `z.url()` alone also takes `host:port`, reading the host as a scheme. */
const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. http://prometheus-operated.monitoring.svc:9090" });

/**
 * The secret every key the stack hands out derives from (`derivedKey`: each backend's API key; in the shared stack
 * the gateway's master and salt keys and the Redis token), so no stack needs the random provider. Rotating it
 * rotates every one of those keys.
 */
const keySeed = () => z.string().min(32, 'must be at least 32 random characters, e.g. "$(openssl rand -hex 32)"');

const providerBase = {
  /** Fleet spec the plan comes from, relative to the repository root. */
  fleetSpec: z.string().min(1).default("examples/fleet.yaml"),
  /** Existing cluster to deploy into (a `--secret` value). AWS and GCP may create the cluster instead. */
  kubeconfig: z.string().min(1).optional(),
  namespace: dns1123.default("inference"),
  /**
   * Whether the stack creates `namespace`. Off by default: the namespace usually exists first, holding the Secrets
   * the stack names (hfTokenSecret, gatewayMetrics.bearerTokenSecret, the ingress TLS). Either way the stack reads or
   * creates it before anything else, so a missing namespace fails the update before any resource is created.
   */
  createNamespace: z.boolean().default(false),
  keySeed: keySeed(),
  vllmImage: z.string().min(1),
  /**
   * Per model, where its weights come from in this environment (a published manifest and the origin bucket);
   * a model left out loads its pinned revision from the Hugging Face Hub. What the model is lives in the fleet spec.
   */
  weights: z.record(dns1123, weightsConfig).default({}),
  /**
   * Where the shared stack's gateway pods run, for the backends' NetworkPolicy; `podLabels` defaults to the
   * labels of the gateway the shared stack deploys.
   */
  gateway: z.strictObject({ namespace: dns1123, podLabels: z.record(z.string(), z.string()).optional() }),
  /** Required where the gateway runs in another cluster (every provider but aws). */
  ingress: ingressConfig.optional(),
  /** The cluster's Prometheus that KEDA queries for each burst tier's requests in flight. */
  prometheusUrl: httpUrl,
  /** Its pods: the backends' NetworkPolicy admits them to scrape vLLM's /metrics. */
  prometheusScraper: z.strictObject({ namespace: dns1123, podLabels: z.record(z.string(), z.string()).refine((l) => Object.keys(l).length > 0, "must hold at least one label") }),
  /**
   * The Prometheus that scrapes the shared stack's gateway (its metrics port): burst tiers at zero replicas wake on
   * their model's spill there. In another cluster, an authenticated https URL and a bearer token from an existing
   * Secret in this stack's namespace. Required when the plan gives this provider a tier that scales to zero.
   */
  gatewayMetrics: z
    .strictObject({ url: httpUrl, bearerTokenSecret: z.strictObject({ name: z.string().min(1), key: z.string().min(1) }).optional() })
    .optional(),
  hfTokenSecret: z.strictObject({ name: z.string().min(1), key: z.string().min(1) }).optional(),
};

export const CoreWeaveConfigSchema = z.strictObject({ ...providerBase });

export const LambdaConfigSchema = z.strictObject({
  ...providerBase,
  lambdaApiKey: z.string().min(1),
  /** The Lambda Cloud API the stack launches instances through; defaults to LAMBDA_API_BASE_URL. */
  lambdaApiBaseUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. https://cloud.lambda.ai/api/v1" }).optional(),
  sshKeyName: z.string().min(1),
  cluster: z.strictObject({
    distribution: z.enum(["k3s", "rke2"]),
    version: z.string().min(1),
    serverUrl: z.url(),
  }),
  clusterJoinToken: z.string().regex(/^\S+$/, "must be the cluster's join token, without whitespace"),
});

/** A cluster the stack creates (AWS and GCP), instead of `kubeconfig` for an existing one. */
const createClusterBase = {
  /** Cluster name. */
  name: dns1123,
  /** Kubernetes minor version, e.g. 1.33. */
  version: z.string().regex(/^1\.\d{2}$/, "must be a Kubernetes minor version such as 1.33"),
};

export const AwsConfigSchema = z.strictObject({
  ...providerBase,
  /** Existing EKS cluster: its name, and the role its GPU nodes assume. */
  clusterName: z.string().min(1).optional(),
  nodeRoleArn: z.string().startsWith("arn:aws").optional(),
  subnetIds: z.array(z.string().startsWith("subnet-")).min(1),
  createCluster: z
    .strictObject({
      ...createClusterBase,
      /** CIDRs that may reach the public API endpoint; empty keeps the endpoint private to the VPC. */
      publicAccessCidrs: z.array(z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, "must be a CIDR such as 203.0.113.0/24")).default([]),
      systemInstanceType: z.string().default("m7i.xlarge"),
    })
    .optional(),
});

export const GcpConfigSchema = z.strictObject({
  ...providerBase,
  project: z.string().min(1),
  /** Existing GKE cluster name. */
  cluster: z.string().min(1).optional(),
  createCluster: z
    .strictObject({
      ...createClusterBase,
      network: z.string().default("default"),
      subnetwork: z.string().optional(),
      systemMachineType: z.string().default("e2-standard-4"),
    })
    .optional(),
});

export const SharedConfigSchema = z.strictObject({
  fleetSpec: z.string().min(1).default("examples/fleet.yaml"),
  /** Kubeconfig of the AWS cluster the gateway runs in (a `--secret` value). */
  kubeconfig: z.string().min(1),
  keySeed: keySeed(),
  /** Fully qualified names of the provider stacks to read backends from, e.g. `acme/switchyard/coreweave`. */
  providerStacks: z.array(z.string().min(1)).min(1),
  gateway: z.strictObject({
    namespace: dns1123,
    image: z.string().min(1),
    replicas: z.number().int().min(2).optional(),
    clients: z.array(z.strictObject({ namespace: dns1123, podLabels: z.record(z.string(), z.string()).optional() })).min(1),
    /** The Prometheus pods that scrape the proxies' metrics port; required when a planned tier scales to zero. */
    metricsScrapers: z.array(z.strictObject({ namespace: dns1123, podLabels: z.record(z.string(), z.string()).optional() })).min(1).optional(),
  }),
  /** ElastiCache Redis the gateway replicas share router state through. */
  redis: z.strictObject({
    vpcId: z.string().startsWith("vpc-"),
    subnetIds: z.array(z.string().startsWith("subnet-")).min(2),
    allowedSecurityGroupIds: z.array(z.string().startsWith("sg-")).min(1),
    nodeType: z.string().default("cache.t4g.small"),
  }),
  budget: z.strictObject({ monthlyLimitUsd: z.number().positive(), alertEmails: z.array(z.email()).min(1) }),
  /** The hosted API's key (a `--secret` value); required when the fleet spec gives a model a hostedFallback. */
  hostedFallbackApiKey: z.string().min(1).optional(),
  readers: z
    .array(
      z.strictObject({
        name: dns1123,
        provider: z.enum(["coreweave", "lambda", "aws", "gcp"]),
        identity: z.enum(["web-identity", "access-key"]),
        webIdentity: z.strictObject({ issuerUrl: z.url(), subjects: z.array(z.string()).min(1) }).optional(),
        /** access-key readers: days between key rotations (SharedServices checks the range). */
        keyRotationDays: z.number().int().positive().optional(),
      }),
    )
    .default([]),
});

export type CoreWeaveConfig = z.infer<typeof CoreWeaveConfigSchema>;
export type LambdaConfig = z.infer<typeof LambdaConfigSchema>;
export type AwsConfig = z.infer<typeof AwsConfigSchema>;
export type GcpConfig = z.infer<typeof GcpConfigSchema>;
export type SharedConfig = z.infer<typeof SharedConfigSchema>;

/** Where a provider stack's cluster comes from: exactly one of an existing cluster or one it creates. */
function clusterCrossChecks(environment: ProviderEnvironment, c: ProviderConfig): string[] {
  const creates = "createCluster" in c && c.createCluster !== undefined;
  const fix = (key: string) => `pulumi config set --secret switchyard:${key} <value> -s ${environment}`;
  if (environment === "coreweave" || environment === "lambda") {
    return c.kubeconfig === undefined ? [`switchyard:kubeconfig is missing: ${environment} deploys into an existing cluster; fix: ${fix("kubeconfig")}`] : [];
  }
  const problems: string[] = [];
  if (creates && c.kubeconfig !== undefined) problems.push(`switchyard:kubeconfig and switchyard:createCluster are both set; fix: keep one (pulumi config rm switchyard:kubeconfig -s ${environment}, or remove createCluster)`);
  if (!creates && c.kubeconfig === undefined) problems.push(`switchyard:kubeconfig is missing (or set switchyard:createCluster to create the cluster); fix: ${fix("kubeconfig")}`);
  if (environment === "aws") {
    const a = c as AwsConfig;
    for (const key of ["clusterName", "nodeRoleArn"] as const) {
      if (!creates && a[key] === undefined) problems.push(`switchyard:${key} is missing: the existing EKS cluster's; fix: pulumi config set switchyard:${key} <value> -s aws`);
      if (creates && a[key] !== undefined) problems.push(`switchyard:${key} is set with switchyard:createCluster, which creates its own; fix: pulumi config rm switchyard:${key} -s aws`);
    }
  }
  if (environment === "gcp") {
    const g = c as GcpConfig;
    if (!creates && g.cluster === undefined) problems.push("switchyard:cluster is missing: the existing GKE cluster's name; fix: pulumi config set switchyard:cluster <name> -s gcp");
    if (creates && g.cluster !== undefined) problems.push("switchyard:cluster is set with switchyard:createCluster, which creates its own; fix: pulumi config rm switchyard:cluster -s gcp");
  }
  return problems;
}

export type ProviderConfig = CoreWeaveConfig | LambdaConfig | AwsConfig | GcpConfig;
export type WeightsConfig = z.infer<typeof weightsConfig>;

const SCHEMAS = { coreweave: CoreWeaveConfigSchema, lambda: LambdaConfigSchema, aws: AwsConfigSchema, gcp: GcpConfigSchema, shared: SharedConfigSchema } as const;
export interface ConfigByEnvironment {
  coreweave: CoreWeaveConfig;
  lambda: LambdaConfig;
  aws: AwsConfig;
  gcp: GcpConfig;
  shared: SharedConfig;
}

/** Top-level keys that hold credentials: they must be set with `pulumi config set --secret`. */
export const SECRET_KEYS: Readonly<Record<Environment, readonly string[]>> = {
  coreweave: ["kubeconfig", "keySeed"],
  lambda: ["kubeconfig", "keySeed", "lambdaApiKey", "clusterJoinToken"],
  aws: ["kubeconfig", "keySeed"],
  gcp: ["kubeconfig", "keySeed"],
  shared: ["kubeconfig", "keySeed", "hostedFallbackApiKey"],
};

/** A stack configuration problem: every bad key with its value and fix, before any resource exists. */
export class StackConfigError extends Error {
  constructor(
    readonly environment: string,
    readonly problems: string[],
  ) {
    super(`stack "${environment}" has invalid configuration (environments/Pulumi.${environment}.yaml):\n  - ${problems.join("\n  - ")}`);
    this.name = "StackConfigError";
  }
}

// Exported by the runtime but not declared in its typings: whether a key was set with --secret.
const isConfigSecret = (runtimeConfig as unknown as { isConfigSecret: (key: string) => boolean }).isConfigSecret;

export function isEnvironment(name: string): name is Environment {
  return (ENVIRONMENTS as readonly string[]).includes(name);
}

/** The raw `switchyard:*` keys of the running stack, objects parsed from the JSON text Pulumi stores them as. */
export function rawStackConfig(): { values: Record<string, unknown>; secretKeys: Set<string> } {
  const values: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  for (const [fullKey, text] of Object.entries(pulumi.runtime.allConfig())) {
    const [namespace, key] = fullKey.split(":", 2);
    if (namespace !== CONFIG_NAMESPACE || key === undefined) continue;
    values[key] = parseConfigText(text);
    if (isConfigSecret(fullKey)) secretKeys.add(key);
  }
  return { values, secretKeys };
}

function parseConfigText(text: string): unknown {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed) && !/^(true|false|-?\d+(\.\d+)?)$/.test(trimmed)) return text;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return text;
  }
}

/**
 * Validates one environment's configuration. Pure: tests call it with plain values. Throws
 * `StackConfigError` naming each key (as `switchyard:<path>`), the value received (credentials never
 * echoed) and the fix.
 */
export function parseStackConfig<E extends Environment>(environment: E, values: Record<string, unknown>, secretKeys: ReadonlySet<string>): ConfigByEnvironment[E] {
  const problems: string[] = [];
  for (const key of SECRET_KEYS[environment]) {
    if (values[key] !== undefined && !secretKeys.has(key)) {
      problems.push(`${CONFIG_NAMESPACE}:${key} is a credential stored in plain text; fix: pulumi config set --secret ${CONFIG_NAMESPACE}:${key} <value> -s ${environment}`);
    }
  }
  const result = SCHEMAS[environment].safeParse(values);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(describeIssue(environment, issue, values));
  }
  if (result.success && environment !== "shared") problems.push(...clusterCrossChecks(environment, result.data as ProviderConfig));
  if (problems.length > 0 || !result.success) throw new StackConfigError(environment, problems);
  return result.data as ConfigByEnvironment[E];
}

/** Keys earlier stack configs had, and where what they said lives now. */
const MOVED_KEYS: Readonly<Record<string, string>> = {
  models:
    "what a model is (huggingFace repo and revision, checkpointDtype, quantization, maxModelLen) is in the fleet spec, the one place the plan and every stack read it from; fix: move it to models[] of the file switchyard:fleetSpec names, and move any weights block to switchyard:weights.<model>",
  hostedFallback:
    "the hosted fallback the gateway deploys is the one the plan prices: models[].hostedFallback in the fleet spec (name, model, prices, requestsPerMinute); fix: move it there and keep only switchyard:hostedFallbackApiKey here",
  wakeQuery:
    "each burst tier now wakes on its own model's spill at the gateway, a query derived from the plan (gatewayWakeQuery); fix: pulumi config rm switchyard:wakeQuery, and set switchyard:gatewayMetrics.url (the Prometheus that scrapes the gateway) and switchyard:prometheusScraper",
  nodesPerModel: "Lambda's node count is the plan's (its fixed tier, priced as deployed); fix: remove it (pulumi config rm switchyard:nodesPerModel -s lambda) and change the fleet spec (providers[].maxNodes, demand) instead",
};

function describeIssue(environment: string, issue: z.core.$ZodIssue, values: Record<string, unknown>): string {
  const path = issue.path.map(String);
  const key = `${CONFIG_NAMESPACE}:${path.join(".")}`;
  const top = path[0] ?? "";
  if (issue.code === "unrecognized_keys") {
    const where = path.length > 0 ? `${key}.` : `${CONFIG_NAMESPACE}:`;
    const moved = path.length === 0 ? issue.keys.filter((k) => MOVED_KEYS[k] !== undefined) : [];
    if (moved.length > 0) return moved.map((k) => `${CONFIG_NAMESPACE}:${k} is no longer a stack key: ${MOVED_KEYS[k]}`).join("; ");
    return `${issue.keys.map((k) => `${where}${k}`).join(", ")} is not a known key; fix: check the spelling against environments/config.ts or remove it (pulumi config rm ... -s ${environment})`;
  }
  const received = lookup(values, issue.path);
  if (received === undefined) return `${key} is missing (${issue.message}); fix: pulumi config set ${key} <value> -s ${environment}`;
  const secret = SECRET_KEYS[environment as Environment].includes(top);
  const shown = secret ? "(secret, not shown)" : JSON.stringify(received);
  return `${key} = ${shown}: ${issue.message}; fix: pulumi config set ${secret ? "--secret " : ""}${path.length > 1 ? "--path " : ""}${key} <value> -s ${environment}`;
}

function lookup(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/** Reads and validates the running stack's configuration. */
export function readStackConfig<E extends Environment>(environment: E): ConfigByEnvironment[E] {
  const { values, secretKeys } = rawStackConfig();
  return parseStackConfig(environment, values, secretKeys);
}
