/** The committed example stack configs, plus the secrets a real stack holds encrypted (test values here). */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { loadFleet } from "@switchyard/environments/fleet";
import type { FleetPlan } from "@switchyard/planner";
import type { RecordedResource } from "@switchyard/synth";
import { configFromStackFile, plainOutputs, synthesize } from "@switchyard/synth";
import type { SynthesisOptions } from "@switchyard/synth";
import { runEnvironment } from "@switchyard/environments/main";
import { parse } from "yaml";

export const REPO_ROOT = join(__dirname, "..", "..");
export const GCP_FLEET_SPEC = "test/environments/fleet-gcp.yaml";
export const PROVIDER_ENVS = ["coreweave", "lambda", "aws", "gcp"] as const;

/** Secret sentinels: each must appear only inside secret values. */
export const SECRETS = {
  kubeconfig: "apiVersion: v1\nkind: Config\n# kubeconfig-sentinel-7f3a9c",
  lambdaApiKey: "secret_lambda-api-key-sentinel-2b8e41",
  clusterJoinToken: "K10join-token-sentinel-c4d2e9::server:abc",
  hostedApiKey: "sk-hosted-fallback-sentinel-91d7aa",
  keySeed: "key-seed-sentinel-5e0b7c-0123456789abcdef",
} as const;

export function stackConfig(env: string, overrides: Record<string, unknown> = {}): { config: Record<string, string>; secretConfigKeys: string[] } {
  const document = parse(readFileSync(join(REPO_ROOT, "environments", `Pulumi.${env}.yaml`), "utf8")) as { config: Record<string, unknown> };
  const secrets: Record<string, unknown> = { "switchyard:kubeconfig": SECRETS.kubeconfig, "switchyard:keySeed": SECRETS.keySeed };
  if (env === "lambda") {
    secrets["switchyard:lambdaApiKey"] = SECRETS.lambdaApiKey;
    secrets["switchyard:clusterJoinToken"] = SECRETS.clusterJoinToken;
  }
  if (env === "shared") {
    secrets["switchyard:hostedFallbackApiKey"] = SECRETS.hostedApiKey;
  }
  // The example fleet's plan puts nothing on GCP at today's prices; a CoreWeave + GCP fleet exercises the GCP path.
  const fleet: Record<string, unknown> = env === "gcp" ? { "switchyard:fleetSpec": GCP_FLEET_SPEC } : {};
  const merged = { ...document.config, ...fleet, ...secrets, ...overrides };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  return { config: configFromStackFile({ config: merged }).config, secretConfigKeys: Object.keys(secrets) };
}

export async function synthesizeEnvironment(
  env: string,
  options: { overrides?: Record<string, unknown>; stackOutputs?: SynthesisOptions["stackOutputs"]; before?: () => void } = {},
) {
  const { config, secretConfigKeys } = stackConfig(env, options.overrides);
  const synthesis = await synthesize(() => {
    options.before?.();
    return runEnvironment(env);
  }, { project: "switchyard", stack: env, config, secretConfigKeys, stackOutputs: options.stackOutputs ?? {} });
  return { ...synthesis, outputs: (await plainOutputs(synthesis.result)) as Record<string, any> };
}

export interface LiteLLMEntry {
  model_name: string;
  litellm_params: { model: string; order?: number; input_cost_per_token: number; output_cost_per_token: number; rpm?: number; tpm?: number; max_parallel_requests?: number };
  model_info: { id: string };
}

/** The LiteLLM config the shared stack's gateway ConfigMap carries. */
export function gatewayConfig(rs: RecordedResource[]): { model_list: LiteLLMEntry[]; router_settings: { fallbacks?: Record<string, string[]>[]; optional_pre_call_checks?: string[] } } & Record<string, unknown> {
  const configMap = rs.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.parentName === "gateway")!;
  return parse(String(Object.values(configMap.inputs["data"] as Record<string, string>)[0]));
}

/** A published manifest and where the weights come from, for every model, so each stack deploys its weight caches. */
function weightsConfig(plan: FleetPlan): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), "switchyard-manifest-"));
  const weights: Record<string, unknown> = {};
  for (const m of plan.models) {
    const manifest = join(dir, `${m.name}.json`);
    writeFileSync(manifest, JSON.stringify([{ path: "model.safetensors", sizeBytes: Math.round(m.weightsGB * 1e9), sha256: "a".repeat(64) }, { path: "config.json", sizeBytes: 1000, sha256: "b".repeat(64) }]));
    weights[m.name] = {
      manifestFile: relative(REPO_ROOT, manifest),
      originUri: `s3://acme-weights/models/${m.name}`,
      originCredentialsSecret: { name: "weights-origin-reader" },
      replica: { bucketName: `acme-weights-${m.name}`, writerSecret: { name: "replica-writer" }, readerSecret: { name: "replica-reader" } },
      nodeCacheHostPath: "/mnt/nvme/models",
    };
  }
  return weights;
}

/** Every stack of a fleet, synthesized as `pulumi up` would run them: the providers, then the shared stack reading their outputs. */
export interface DeployedFleet {
  plan: FleetPlan;
  providers: Partial<Record<(typeof PROVIDER_ENVS)[number], RecordedResource[]>>;
  shared: RecordedResource[];
}

export async function deployFleet(specPath: string): Promise<DeployedFleet> {
  const plan = loadFleet(specPath, "shared").plan;
  const overrides = { "switchyard:fleetSpec": specPath, "switchyard:weights": weightsConfig(plan) };
  const providers: DeployedFleet["providers"] = {};
  const stackOutputs: Record<string, Record<string, unknown>> = {};
  for (const env of PROVIDER_ENVS) {
    if (!plan.providers.some((p) => p.provider === env)) {
      stackOutputs[`acme/switchyard/${env}`] = { backends: [] };
      continue;
    }
    const s = await synthesizeEnvironment(env, { overrides });
    providers[env] = s.resources;
    stackOutputs[`acme/switchyard/${env}`] = s.outputs;
  }
  const shared = await synthesizeEnvironment("shared", { overrides: { "switchyard:fleetSpec": specPath }, stackOutputs });
  return { plan, providers, shared: shared.resources };
}
