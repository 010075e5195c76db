/**
 * Issue 11, point 5: every stack validates all of its configuration — the zod schema, the fleet spec and its plan,
 * and every component's arguments — before it registers a single resource. Each case is one small change to the
 * committed `environments/Pulumi.<env>.yaml`; the run must fail naming the key or property and how to fix it, having
 * registered nothing. The one exception is the shared stack's StackReferences: it must read the provider stacks'
 * outputs to learn its backends (reads, no cloud or cluster object), so they are counted apart and checked to be the
 * configured ones. A positive control per stack proves the count can fail.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runEnvironment } from "@switchyard/environments/main";
import { lastRecorded, plainOutputs, synthesize } from "@switchyard/synth";
import type { RecordedResource } from "@switchyard/synth";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GCP_FLEET_SPEC, REPO_ROOT, SECRETS, stackConfig } from "./fixtures";

const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/** The validation layer a case is meant to reach: what refuses it. */
type Layer = "config" | "fleet spec" | "stack" | "GpuNodePool" | "ModelWeightCache" | "VllmServing" | "SharedServices" | "LiteLLMGatewayConfig";

interface BadConfig {
  /** What is wrong, for the test name. */
  what: string;
  layer: Layer;
  /** Config keys (`switchyard:*`) to set; `undefined` removes one. */
  overrides?: Record<string, unknown>;
  /** Credential keys given as plain text instead of `--secret`. */
  plain?: string[];
  /** The key or property and the fix, as the error must state them. */
  error: RegExp;
}

interface Variant {
  env: string;
  /** What turns the committed config into this variant (e.g. createCluster). */
  base: Record<string, unknown>;
  cases: BadConfig[];
}

function committed(env: string): Record<string, any> {
  return (parse(readFileSync(join(REPO_ROOT, "environments", `Pulumi.${env}.yaml`), "utf8")) as { config: Record<string, any> }).config;
}

/** `switchyard:<key>` of the committed config with `patch` merged into it. */
function patched(env: string, key: string, patch: Record<string, unknown>): Record<string, unknown> {
  return { [`switchyard:${key}`]: { ...committed(env)[`switchyard:${key}`], ...patch } };
}

const scratch = mkdtempSync(join(tmpdir(), "switchyard-validate-first-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let scratchFiles = 0;
function scratchFile(name: string, text: string): string {
  const path = join(scratch, `${scratchFiles++}-${name}`);
  writeFileSync(path, text);
  return path;
}

/** A copy of a committed fleet spec with `edit` applied; its demand files stay where the original points. */
function fleetVariant(base: string, edit: (spec: any) => void): string {
  const path = resolve(REPO_ROOT, base);
  const spec = parse(readFileSync(path, "utf8"));
  for (const m of spec.models as any[]) {
    for (const kind of ["hourly", "series"]) {
      if (m.demand?.[kind]?.file !== undefined) m.demand[kind].file = resolve(path, "..", m.demand[kind].file);
    }
  }
  edit(spec);
  return scratchFile("fleet.yaml", stringify(spec));
}

const EXAMPLE_FLEET = "examples/fleet.yaml";
const renameModel = (from: string, to: string) => (spec: any) => {
  for (const m of spec.models) if (m.name === from) m.name = to;
};
const editModel = (name: string, edit: (model: any) => void) => (spec: any) => edit(spec.models.find((m: any) => m.name === name));
/** Fleet specs without the model `switchyard:weights.llama-8b` is for. */
const RENAMED_FLEET = fleetVariant(EXAMPLE_FLEET, renameModel("llama-8b", "qwen-7b"));
const RENAMED_GCP_FLEET = fleetVariant(GCP_FLEET_SPEC, renameModel("llama-8b", "qwen-7b"));
const withoutProvider = (provider: string) => fleetVariant(EXAMPLE_FLEET, (spec) => (spec.providers = spec.providers.filter((p: any) => p.provider !== provider)));
/** A fleet spec the planner refuses. */
const INVALID_FLEET = fleetVariant(EXAMPLE_FLEET, (spec) => (spec.policy.maxSpotShare = 1.5));
const missingFleet: BadConfig = {
  what: "a fleet spec path that does not exist",
  layer: "fleet spec",
  overrides: { "switchyard:fleetSpec": "examples/no-such-fleet.yaml" },
  error: /switchyard:fleetSpec.*no-such-fleet\.yaml/s,
};
const invalidFleet: BadConfig = {
  what: "a fleet spec the planner refuses (policy.maxSpotShare 1.5)",
  layer: "fleet spec",
  overrides: { "switchyard:fleetSpec": INVALID_FLEET },
  error: /policy\.maxSpotShare: .*fix: /,
};
const weightsForAbsentModel = (env: string, fleet = RENAMED_FLEET): BadConfig => ({
  what: "a fleet spec without the model the stack config has weights for",
  layer: "stack",
  overrides: { "switchyard:fleetSpec": fleet, "switchyard:weights": { "llama-8b": weights() } },
  error: new RegExp(`switchyard:weights\\.llama-8b names no model of the fleet spec \\(llama-70b, qwen-7b\\); fix: correct the name, or remove it \\(pulumi config rm --path switchyard:weights\\.llama-8b -s ${env}\\)`),
});
/** Model facts live in the fleet spec: a bad one is the planner's to refuse, for every stack that plans it. */
const BRANCH_FLEET = fleetVariant(EXAMPLE_FLEET, editModel("llama-70b", (m) => (m.huggingFace.revision = "main")));
const branchRevision: BadConfig = {
  what: "a fleet spec pinning a branch, not a commit",
  layer: "fleet spec",
  overrides: { "switchyard:fleetSpec": BRANCH_FLEET },
  error: /models\[0\]\.huggingFace\.revision: .*fix: a 40-character lower-case commit SHA, never a branch or tag/,
};
const QUANTIZATION_FLEET = fleetVariant(EXAMPLE_FLEET, editModel("llama-70b", (m) => (m.quantization = "fp9")));
const unknownQuantization: BadConfig = {
  what: "a fleet spec with a quantization vLLM does not know",
  layer: "fleet spec",
  overrides: { "switchyard:fleetSpec": QUANTIZATION_FLEET },
  error: /models\[0\]\.quantization: .*fix: vLLM --quantization applied when loading, one of .*fp8/,
};
const notEnabled = (env: string): BadConfig => ({
  what: `a fleet spec that does not enable ${env}`,
  layer: "stack",
  overrides: { "switchyard:fleetSpec": withoutProvider(env) },
  error: new RegExp(`switchyard:fleetSpec .* does not enable ${env}; fix: add it under providers:`),
});

const SHA = (c: string) => c.repeat(64);
const GOOD_MANIFEST = scratchFile("manifest.json", JSON.stringify([{ path: "model.safetensors", sizeBytes: 70_000_000_000, sha256: SHA("a") }, { path: "config.json", sizeBytes: 1000, sha256: SHA("b") }]));
const BAD_SHA_MANIFEST = scratchFile("manifest.json", JSON.stringify([{ path: "model.safetensors", sizeBytes: 70_000_000_000, sha256: "not-a-digest" }]));
/** A weights block that every strategy accepts; cases remove or break one part. */
const weights = (patch: Record<string, unknown> = {}) => ({
  manifestFile: GOOD_MANIFEST,
  originUri: "s3://acme-weights/models/llama",
  originCredentialsSecret: { name: "weights-origin-reader" },
  replica: { bucketName: "acme-weights-replica", writerSecret: { name: "replica-writer" }, readerSecret: { name: "replica-reader" } },
  nodeCacheHostPath: "/mnt/nvme/models",
  ...patch,
});
const withWeights = (patch: Record<string, unknown>) => ({ "switchyard:weights": { "llama-70b": weights(patch) } });

/** Cases every provider stack must refuse, whatever its cluster source. */
function providerCases(): BadConfig[] {
  return [
    { what: "a misspelt top-level key", layer: "config", overrides: { "switchyard:vllmimage": "vllm/vllm-openai:v0.11.0" }, error: /switchyard:vllmimage is not a known key; fix: check the spelling/ },
    {
      what: "a models block, which moved to the fleet spec",
      layer: "config",
      overrides: { "switchyard:models": { "llama-70b": { revision: "6f6073b423013f6a7d4d9f39144961bfbfbc386b" } } },
      error: /switchyard:models is no longer a stack key: .*; fix: move it to models\[\] of the file switchyard:fleetSpec names/,
    },
    {
      what: "a floating vLLM image tag",
      layer: "VllmServing",
      overrides: { "switchyard:vllmImage": "vllm/vllm-openai:latest" },
      error: /image \("vllm\/vllm-openai:latest"\) must be pinned: use a version tag/,
    },
    {
      what: "gateway pod labels that are not labels",
      layer: "VllmServing",
      overrides: { "switchyard:gateway": { namespace: "gateway", podLabels: { app: "litellm gateway" } } },
      error: /gateway\.podLabels\["app"\] \("litellm gateway"\) is not a valid Kubernetes label value/,
    },
    {
      what: "the single wake query every tier used to share",
      layer: "config",
      overrides: { "switchyard:wakeQuery": "sum(rate(litellm_proxy_total_requests_metric_total[2m]))" },
      error: /switchyard:wakeQuery is no longer a stack key: each burst tier now wakes on its own model's spill .*; fix: pulumi config rm switchyard:wakeQuery, and set switchyard:gatewayMetrics\.url/,
    },
    {
      what: "a metrics scraper selecting every pod of its namespace",
      layer: "config",
      overrides: { "switchyard:prometheusScraper": { namespace: "monitoring", podLabels: {} } },
      error: /switchyard:prometheusScraper\.podLabels = \{\}: must hold at least one label/,
    },
    missingFleet,
    invalidFleet,
    branchRevision,
    unknownQuantization,
  ];
}

/** Cases for a stack whose plan scales burst tiers to zero (every provider but lambda). */
function wakeCases(env: string): BadConfig[] {
  return [
    {
      what: "burst tiers at zero with nothing to wake them",
      layer: "stack",
      overrides: { "switchyard:gatewayMetrics": undefined },
      error: new RegExp(`switchyard:gatewayMetrics is missing: the plan scales ${env}-llama-[-a-z0-9, ]+ to zero, and only the gateway's metrics can wake them; fix: pulumi config set --path switchyard:gatewayMetrics\\.url <url of the Prometheus that scrapes the gateway> -s ${env}`),
    },
    {
      what: "a gateway Prometheus that is not a URL",
      layer: "config",
      overrides: { "switchyard:gatewayMetrics": { url: "prometheus.gateway:9090" } },
      error: /switchyard:gatewayMetrics\.url = "prometheus\.gateway:9090": .*; fix: pulumi config set --path switchyard:gatewayMetrics\.url <value>/,
    },
  ];
}

/** Cases for a stack that reaches its cluster through an ingress (every provider but aws). */
function ingressCases(env: string): BadConfig[] {
  return [
    { what: "a misspelt ingress key", layer: "config", overrides: patched(env, "ingress", { domian: "x.example.com" }), error: /switchyard:ingress\.domian is not a known key; fix: / },
    {
      what: "an ingress domain that is not a domain",
      layer: "config",
      overrides: patched(env, "ingress", { domain: "Inference.Example.com" }),
      error: new RegExp(`switchyard:ingress\\.domain = "Inference\\.Example\\.com": must be a DNS domain.*; fix: pulumi config set --path switchyard:ingress\\.domain <value> -s ${env}`),
    },
    {
      what: "an ingress domain that gives invalid host names",
      layer: "VllmServing",
      overrides: patched(env, "ingress", { domain: "inference..example.com" }),
      error: /ingress\.host \("[a-z0-9-]+\.inference\.\.example\.com"\) must be a fully qualified lowercase host name/,
    },
    {
      what: "an IngressClass name with capitals",
      layer: "VllmServing",
      overrides: patched(env, "ingress", { className: "Nginx" }),
      error: /ingress\.className \("Nginx"\) must name an IngressClass, e.g\. nginx/,
    },
  ];
}

const plainKubeconfig = (env: string): BadConfig => ({
  what: "the kubeconfig in plain text",
  layer: "config",
  plain: ["switchyard:kubeconfig"],
  error: new RegExp(`switchyard:kubeconfig is a credential stored in plain text; fix: pulumi config set --secret switchyard:kubeconfig <value> -s ${env}`),
});

const AWS_CREATE = {
  "switchyard:kubeconfig": undefined,
  "switchyard:clusterName": undefined,
  "switchyard:nodeRoleArn": undefined,
  "switchyard:createCluster": { name: "inference", version: "1.33", publicAccessCidrs: ["203.0.113.0/24"] },
};
const GCP_CREATE = { "switchyard:kubeconfig": undefined, "switchyard:cluster": undefined, "switchyard:createCluster": { name: "inference", version: "1.33" } };

const VARIANTS: Record<string, Variant> = {
  coreweave: {
    env: "coreweave",
    base: {},
    cases: [
      ...providerCases(),
      ...wakeCases("coreweave"),
      ...ingressCases("coreweave"),
      plainKubeconfig("coreweave"),
      weightsForAbsentModel("coreweave"),
      notEnabled("coreweave"),
      {
        what: "a weights manifest that does not exist",
        layer: "stack",
        overrides: withWeights({ manifestFile: "weights/no-such-manifest.json" }),
        error: /switchyard:weights\.llama-70b\.manifestFile = "weights\/no-such-manifest\.json" cannot be read .*; fix: point it at the JSON manifest/,
      },
      {
        what: "weights to replicate without a replica bucket",
        layer: "ModelWeightCache",
        overrides: withWeights({ replica: undefined }),
        error: /replica is required for strategy "replicate": the in-cloud bucket and its writer\/reader Secrets/,
      },
      {
        what: "an HF token Secret name that is not a name",
        layer: "VllmServing",
        overrides: { "switchyard:hfTokenSecret": { name: "HF_Token", key: "token" } },
        error: /hfTokenSecret\.name \("HF_Token"\) must/,
      },
    ],
  },
  lambda: {
    env: "lambda",
    base: {},
    cases: [
      ...providerCases(),
      ...ingressCases("lambda"),
      plainKubeconfig("lambda"),
      {
        what: "the Lambda API key in plain text",
        layer: "config",
        plain: ["switchyard:lambdaApiKey"],
        error: /switchyard:lambdaApiKey is a credential stored in plain text; fix: pulumi config set --secret switchyard:lambdaApiKey <value> -s lambda/,
      },
      {
        what: "a cluster distribution Lambda nodes cannot join",
        layer: "config",
        overrides: patched("lambda", "cluster", { distribution: "k8s" }),
        error: /switchyard:cluster\.distribution = "k8s": .*; fix: pulumi config set --path switchyard:cluster\.distribution <value> -s lambda/,
      },
      {
        what: "a node count per model, which the plan decides now",
        layer: "config",
        overrides: { "switchyard:nodesPerModel": { "llama-70b": 2 } },
        error: /switchyard:nodesPerModel is no longer a stack key: .*; fix: remove it \(pulumi config rm switchyard:nodesPerModel -s lambda\)/,
      },
      weightsForAbsentModel("lambda"),
      { ...notEnabled("lambda"), overrides: { "switchyard:fleetSpec": GCP_FLEET_SPEC } },
      {
        what: "a cluster version that is not a pinned k3s release",
        layer: "GpuNodePool",
        overrides: patched("lambda", "cluster", { version: "latest" }),
        error: /lambda\.cluster\.version \("latest"\) must be a pinned k3s release such as v1\.\d+\.\d+\+k3s1/,
      },
      {
        what: "a cluster server URL over plain HTTP",
        layer: "GpuNodePool",
        overrides: patched("lambda", "cluster", { serverUrl: "http://k3s.lambda.inference.example.com:6443" }),
        error: /lambda\.cluster\.serverUrl \("http:\/\/k3s\.lambda\.inference\.example\.com:6443"\) must use https; it must look like https:\/\/<server>:6443/,
      },
      {
        what: "a join token with whitespace",
        layer: "config",
        overrides: { "switchyard:clusterJoinToken": "K10join token" },
        error: /switchyard:clusterJoinToken = \(secret, not shown\): must be the cluster's join token, without whitespace; fix: pulumi config set --secret switchyard:clusterJoinToken/,
      },
      {
        what: "a Lambda API URL without a scheme",
        layer: "config",
        overrides: { "switchyard:lambdaApiBaseUrl": "cloud.lambda.ai/api/v1" },
        error: /switchyard:lambdaApiBaseUrl = "cloud\.lambda\.ai\/api\/v1": must be an http\(s\) URL, e\.g\. https:\/\/cloud\.lambda\.ai\/api\/v1; fix: pulumi config set switchyard:lambdaApiBaseUrl/,
      },
      {
        what: "node-cache weights without a host path",
        layer: "ModelWeightCache",
        overrides: withWeights({ nodeCacheHostPath: undefined }),
        error: /nodeCache is required for strategy "node-cache": the hostPath of the node-local NVMe cache/,
      },
    ],
  },
  aws: {
    env: "aws",
    base: {},
    cases: [
      ...providerCases(),
      ...wakeCases("aws"),
      plainKubeconfig("aws"),
      {
        what: "a subnet id that is not one",
        layer: "config",
        overrides: { "switchyard:subnetIds": ["sn-1"] },
        error: /switchyard:subnetIds\.0 = "sn-1": .*; fix: pulumi config set --path switchyard:subnetIds\.0 <value> -s aws/,
      },
      {
        what: "createCluster beside an existing cluster",
        layer: "config",
        overrides: { "switchyard:createCluster": { name: "inference", version: "1.33" } },
        error: /switchyard:kubeconfig and switchyard:createCluster are both set; fix: keep one/,
      },
      weightsForAbsentModel("aws"),
      notEnabled("aws"),
      {
        what: "streamed weights whose manifest has a bad digest",
        layer: "ModelWeightCache",
        overrides: withWeights({ manifestFile: BAD_SHA_MANIFEST }),
        error: /model\.files\[0\]\.sha256 \("not-a-digest"\) must be the file's SHA-256 as 64 lowercase hex characters/,
      },
    ],
  },
  "aws (createCluster)": {
    env: "aws",
    base: AWS_CREATE,
    cases: [
      {
        what: "a cluster version that is not a minor version",
        layer: "config",
        overrides: { "switchyard:createCluster": { name: "inference", version: "1.33.2" } },
        error: /switchyard:createCluster\.version = "1\.33\.2": must be a Kubernetes minor version such as 1\.33; fix: /,
      },
      {
        what: "a public access CIDR that is not a CIDR",
        layer: "config",
        overrides: { "switchyard:createCluster": { name: "inference", version: "1.33", publicAccessCidrs: ["203.0.113.0"] } },
        error: /switchyard:createCluster\.publicAccessCidrs\.0 = "203\.0\.113\.0": must be a CIDR/,
      },
      {
        what: "createCluster with an existing cluster's node role",
        layer: "config",
        overrides: { "switchyard:nodeRoleArn": "arn:aws:iam::123456789012:role/inference-gpu-nodes" },
        error: /switchyard:nodeRoleArn is set with switchyard:createCluster, which creates its own; fix: pulumi config rm switchyard:nodeRoleArn -s aws/,
      },
      { what: "a floating vLLM image tag", layer: "VllmServing", overrides: { "switchyard:vllmImage": "vllm/vllm-openai:latest" }, error: /image \("vllm\/vllm-openai:latest"\) must be pinned/ },
      weightsForAbsentModel("aws"),
      missingFleet,
      {
        what: "streamed weights whose manifest has a bad digest",
        layer: "ModelWeightCache",
        overrides: withWeights({ manifestFile: BAD_SHA_MANIFEST }),
        error: /model\.files\[0\]\.sha256 \("not-a-digest"\) must be the file's SHA-256/,
      },
    ],
  },
  gcp: {
    env: "gcp",
    base: {},
    cases: [
      ...providerCases(),
      ...wakeCases("gcp"),
      ...ingressCases("gcp"),
      plainKubeconfig("gcp"),
      { what: "no ingress", layer: "stack", overrides: { "switchyard:ingress": undefined }, error: /switchyard:ingress is missing: the gateway runs on AWS .*; fix: pulumi config set --path switchyard:ingress\.domain/ },
      weightsForAbsentModel("gcp", RENAMED_GCP_FLEET),
      notEnabled("gcp"),
      {
        // The fleet spec caps model names at what every derived object name allows (a GKE pool takes 40 characters).
        what: "a model name too long for a GKE node pool",
        layer: "fleet spec",
        overrides: { "switchyard:fleetSpec": fleetVariant(GCP_FLEET_SPEC, renameModel("llama-8b", "llama-8b-instruct-long-context-edition")) },
        error: /switchyard:fleetSpec = .*models\[1\]\.name: .*fix: a lower-case name of at most 30 letters/s,
      },
      {
        what: "replicated weights into a bucket name with capitals",
        layer: "ModelWeightCache",
        overrides: withWeights({ replica: { bucketName: "Acme-Weights", writerSecret: { name: "replica-writer" }, readerSecret: { name: "replica-reader" } } }),
        error: /replica\.bucketName \("Acme-Weights"\) must be a bucket name/,
      },
    ],
  },
  "gcp (createCluster)": {
    env: "gcp",
    base: GCP_CREATE,
    cases: [
      {
        what: "createCluster beside an existing cluster name",
        layer: "config",
        overrides: { "switchyard:cluster": "inference" },
        error: /switchyard:cluster is set with switchyard:createCluster, which creates its own; fix: pulumi config rm switchyard:cluster -s gcp/,
      },
      {
        what: "a misspelt createCluster key",
        layer: "config",
        overrides: { "switchyard:createCluster": { name: "inference", version: "1.33", subnet: "inference" } },
        error: /switchyard:createCluster\.subnet is not a known key; fix: /,
      },
      { what: "a floating vLLM image tag", layer: "VllmServing", overrides: { "switchyard:vllmImage": "vllm/vllm-openai:latest" }, error: /image \("vllm\/vllm-openai:latest"\) must be pinned/ },
      {
        what: "an ingress domain that gives invalid host names",
        layer: "VllmServing",
        overrides: patched("gcp", "ingress", { domain: "inference..example.com" }),
        error: /ingress\.host \("[a-z0-9-]+\.inference\.\.example\.com"\) must be a fully qualified lowercase host name/,
      },
      weightsForAbsentModel("gcp", RENAMED_GCP_FLEET),
      {
        what: "replicated weights without a replica bucket",
        layer: "ModelWeightCache",
        overrides: withWeights({ replica: undefined }),
        error: /replica is required for strategy "replicate"/,
      },
    ],
  },
  shared: {
    env: "shared",
    base: {},
    cases: [
      { what: "a misspelt top-level key", layer: "config", overrides: { "switchyard:providerStack": ["acme/switchyard/aws"] }, error: /switchyard:providerStack is not a known key; fix: check the spelling/ },
      { what: "a misspelt gateway key", layer: "config", overrides: patched("shared", "gateway", { replica: 3 }), error: /switchyard:gateway\.replica is not a known key; fix: / },
      plainKubeconfig("shared"),
      {
        what: "the hosted API key in plain text",
        layer: "config",
        plain: ["switchyard:hostedFallbackApiKey"],
        error: /switchyard:hostedFallbackApiKey is a credential stored in plain text; fix: pulumi config set --secret switchyard:hostedFallbackApiKey <value> -s shared/,
      },
      {
        what: "a hostedFallback block, which moved to the fleet spec",
        layer: "config",
        overrides: { "switchyard:hostedFallback": { model: "openai/gpt-4o-mini", inputCostPerToken: 0.00000015, outputCostPerToken: 0.0000006 } },
        error: /switchyard:hostedFallback is no longer a stack key: .*; fix: move it there and keep only switchyard:hostedFallbackApiKey here/,
      },
      {
        what: "burst tiers at zero whose wake signal the gateway would not export",
        layer: "stack",
        overrides: patched("shared", "gateway", { metricsScrapers: undefined }),
        error: /switchyard:gateway\.metricsScrapers is missing: the plan scales [-a-z0-9, ]+ to zero, and they wake on the gateway's metrics; fix: pulumi config set --path 'switchyard:gateway\.metricsScrapers\[0\]\.namespace'/,
      },
      {
        what: "a hosted fallback without its API key",
        layer: "stack",
        overrides: { "switchyard:hostedFallbackApiKey": undefined },
        error: /switchyard:hostedFallbackApiKey is missing: the fleet spec gives llama-70b a hosted fallback .*; fix: pulumi config set --secret switchyard:hostedFallbackApiKey <key> -s shared/,
      },
      {
        what: "a budget with no alert emails",
        layer: "config",
        overrides: patched("shared", "budget", { alertEmails: [] }),
        error: /switchyard:budget\.alertEmails = \[\]: .*; fix: pulumi config set --path switchyard:budget\.alertEmails <value> -s shared/,
      },
      {
        what: "Redis in one subnet",
        layer: "config",
        overrides: patched("shared", "redis", { subnetIds: ["subnet-0a1b2c3d4e5f60001"] }),
        error: /switchyard:redis\.subnetIds = \["subnet-0a1b2c3d4e5f60001"\]: .*; fix: pulumi config set --path switchyard:redis\.subnetIds <value> -s shared/,
      },
      {
        what: "a client namespace that is not a label",
        layer: "config",
        overrides: patched("shared", "gateway", { clients: [{ namespace: "Apps" }] }),
        error: /switchyard:gateway\.clients\.0\.namespace = "Apps": must be a DNS-1123 label.*; fix: /,
      },
      {
        what: "a reader identity that does not exist",
        layer: "config",
        overrides: { "switchyard:readers": [{ name: "coreweave", provider: "coreweave", identity: "oidc" }] },
        error: /switchyard:readers\.0\.identity = "oidc": .*; fix: /,
      },
      missingFleet,
      invalidFleet,
      {
        what: "a floating gateway image tag",
        layer: "LiteLLMGatewayConfig",
        overrides: patched("shared", "gateway", { image: "ghcr.io/berriai/litellm-non_root:main-latest" }),
        error: /image \("ghcr\.io\/berriai\/litellm-non_root:main-latest"\) must be pinned: a tag carrying the LiteLLM version/,
      },
      {
        what: "a gateway image that runs as root",
        layer: "LiteLLMGatewayConfig",
        overrides: patched("shared", "gateway", { image: "ghcr.io/berriai/litellm:main-v1.106.2-stable" }),
        error: /image \("ghcr\.io\/berriai\/litellm:main-v1\.106\.2-stable"\) must be the non-root variant/,
      },
      {
        what: "more gateway replicas than allowed",
        layer: "LiteLLMGatewayConfig",
        overrides: patched("shared", "gateway", { replicas: 51 }),
        error: /replicas \(51\) must be a whole number from 2 to 50/,
      },
      {
        what: "client pod labels that are not labels",
        layer: "LiteLLMGatewayConfig",
        overrides: patched("shared", "gateway", { clients: [{ namespace: "apps", podLabels: { "app name": "web" } }] }),
        error: /clients\[0\]\.podLabels\["app name"\] \("app name"\) is not a valid Kubernetes label key/,
      },
      {
        what: "a hosted fallback that is not a LiteLLM route",
        layer: "fleet spec",
        overrides: { "switchyard:fleetSpec": fleetVariant(EXAMPLE_FLEET, editModel("llama-70b", (m) => (m.hostedFallback.model = "gpt-4o-mini"))) },
        error: /models\[0\]\.hostedFallback\.model: .*fix: a LiteLLM route <provider>\/<model>/,
      },
      {
        what: "a hosted fallback named like a model group",
        layer: "fleet spec",
        overrides: { "switchyard:fleetSpec": fleetVariant(EXAMPLE_FLEET, editModel("llama-70b", (m) => (m.hostedFallback.name = "llama-8b"))) },
        error: /models\[0\]\.hostedFallback\.name: .*fix: /,
      },
      {
        what: "a web-identity reader without its issuer and subjects",
        layer: "SharedServices",
        overrides: { "switchyard:readers": [{ name: "gcp", provider: "gcp", identity: "web-identity" }] },
        error: /readers\[0\]\.webIdentity is required when identity is "web-identity": the cluster's issuer URL and the exact service-account subjects/,
      },
      {
        what: "a web-identity issuer over plain HTTP",
        layer: "SharedServices",
        overrides: {
          "switchyard:readers": [{ name: "gcp", provider: "gcp", identity: "web-identity", webIdentity: { issuerUrl: "http://container.googleapis.com/v1/projects/acme/locations/us-central1/clusters/inference", subjects: ["system:serviceaccount:inference:default"] } }],
        },
        error: /readers\[0\]\.webIdentity\.issuerUrl \("http:\/\/container\.googleapis\.com\/.*"\) must be the https:\/\/ issuer URL/,
      },
      {
        what: "an access-key reader with a web identity",
        layer: "SharedServices",
        overrides: {
          "switchyard:readers": [{ name: "lambda", provider: "lambda", identity: "access-key", webIdentity: { issuerUrl: "https://k3s.example.com", subjects: ["system:serviceaccount:inference:default"] } }],
        },
        error: /readers\[0\]\.webIdentity \("\{\.\.\.\}"\) only applies when identity is "web-identity"; remove it/,
      },
      {
        what: "a reader name too long for its IAM names",
        layer: "SharedServices",
        overrides: { "switchyard:readers": [{ name: "coreweave-us-east-04-inference-readers", provider: "coreweave", identity: "access-key" }] },
        error: /readers\[0\]\.name \("coreweave-us-east-04-inference-readers"\) must be a DNS-1123 label of at most 32 characters/,
      },
      {
        what: "a Redis node type that is not an ElastiCache type",
        layer: "SharedServices",
        overrides: patched("shared", "redis", { nodeType: "t4g.small" }),
        error: /redis\.nodeType \("t4g\.small"\) must be an ElastiCache node type such as cache\.t4g\.small/,
      },
    ],
  },
};

const PROVIDER_STACKS = committed("shared")["switchyard:providerStacks"] as string[];

/** What the shared stack reads from each provider stack: the committed provider configs' real outputs. */
const providerOutputs: Record<string, Record<string, unknown>> = {};

interface Run {
  error: Error | undefined;
  resources: RecordedResource[];
  result: unknown;
}

/**
 * Runs one stack, reads included. A registration whose inputs fail inside an apply (validation deferred to a
 * secret's value, say) rejects no promise the program holds: the language host fails the update on the unhandled
 * rejection, after whatever registered before. Such rejections are the run's error here too.
 */
async function run(variant: Variant, change: Pick<BadConfig, "overrides" | "plain"> = {}, stackOutputs = providerOutputs): Promise<Run> {
  const { config, secretConfigKeys } = stackConfig(variant.env, { ...variant.base, ...change.overrides });
  const secret = secretConfigKeys.filter((k) => !(change.plain ?? []).includes(k));
  const options = { project: "switchyard", stack: variant.env, config, secretConfigKeys: secret, stackOutputs, recordReads: true };
  const handlers = process.listeners("unhandledRejection");
  const rejections: Error[] = [];
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", (reason) => rejections.push(reason as Error));
  try {
    const { resources, result } = await synthesize(() => runEnvironment(variant.env), options);
    await new Promise((done) => setImmediate(done));
    return { error: rejections[0], resources, result };
  } catch (error) {
    // synthesize settles every registration before it rejects, so this is all the failed run registered.
    return { error: error as Error, resources: lastRecorded(), result: undefined };
  } finally {
    process.removeAllListeners("unhandledRejection");
    for (const handler of handlers) process.on("unhandledRejection", handler);
  }
}

const describeResources = (rs: RecordedResource[]) => rs.map((r) => `${r.type} ${r.name}`);

beforeAll(async () => {
  // The shared stack's backends: the example fleet's provider stacks. Its plan puts nothing on GCP, so that stack,
  // deployed from the example fleet, exports no backends (and the shared stack leaves it out).
  for (const env of ["coreweave", "lambda", "aws"]) {
    const { error, result } = await run({ env, base: {}, cases: [] });
    if (error) throw new Error(`the committed ${env} config must synthesize to feed the shared stack: ${error.message}`);
    providerOutputs[`acme/switchyard/${env}`] = (await plainOutputs(result)) as Record<string, unknown>;
  }
  providerOutputs["acme/switchyard/gcp"] = { backends: [] };
});

describe.each(Object.entries(VARIANTS))("the %s stack", (_label, variant) => {
  it("registers resources from its committed config (the control: the count below can fail)", async () => {
    const { error, resources } = await run(variant);
    expect(error?.message).toBeUndefined();
    expect(resources.filter((r) => r.type !== STACK_REFERENCE).length).toBeGreaterThan(0);
    if (variant.env === "shared") expect(describeResources(resources)).toContain("aws:elasticache/replicationGroup:ReplicationGroup shared-redis");
  });

  it.each(variant.cases.map((c) => [`${c.what} (${c.layer})`, c] as const))("refuses %s before registering anything", async (_name, c) => {
    const { error, resources } = await run(variant, c);
    expect(error, `expected a failure; registered:\n${describeResources(resources).join("\n")}`).toBeInstanceOf(Error);
    // Soft: a message that misses its key or fix is reported, and so is the count below.
    expect.soft(error!.message).toMatch(c.error);
    for (const sentinel of Object.values(SECRETS)) expect(error!.message).not.toContain(sentinel);

    const references = resources.filter((r) => r.type === STACK_REFERENCE);
    const others = resources.filter((r) => r.type !== STACK_REFERENCE);
    expect(describeResources(others)).toEqual([]);
    // Only the shared stack reads other stacks, and only once its own config and fleet spec are valid.
    const readsBackends = variant.env === "shared" && !["config", "fleet spec"].includes(c.layer);
    expect(references.map((r) => (r.inputs["name"] as string | undefined) ?? r.name).sort()).toEqual(readsBackends ? [...PROVIDER_STACKS].sort() : []);
  });
});

describe("the weights block the ModelWeightCache cases break", () => {
  it.each([["coreweave"], ["lambda"], ["aws"], ["gcp"]])("is accepted whole by the %s stack (the control: those cases fail for what they break)", async (env) => {
    const { error, resources } = await run(VARIANTS[env]!, { overrides: withWeights({}) });
    expect(error?.message).toBeUndefined();
    expect(resources.filter((r) => r.type === "switchyard:index:ModelWeightCache").length).toBeGreaterThan(0);
  });
});

describe("the shared stack with no backends to route to", () => {
  it("refuses before registering anything but its reads of the provider stacks", async () => {
    const { error, resources } = await run(VARIANTS["shared"]!, {}, Object.fromEntries(PROVIDER_STACKS.map((s) => [s, {}])));
    expect(error?.message).toMatch(/none of switchyard:providerStacks .* exports backends; fix: deploy a provider stack first/);
    expect(resources.map((r) => r.type)).toEqual(PROVIDER_STACKS.map(() => STACK_REFERENCE));
  });
});
