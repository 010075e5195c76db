/** The committed example stack configs, plus the secrets a real stack holds encrypted (test values here). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
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
} as const;

export function stackConfig(env: string, overrides: Record<string, unknown> = {}): { config: Record<string, string>; secretConfigKeys: string[] } {
  const document = parse(readFileSync(join(REPO_ROOT, "environments", `Pulumi.${env}.yaml`), "utf8")) as { config: Record<string, unknown> };
  const secrets: Record<string, unknown> = { "switchyard:kubeconfig": SECRETS.kubeconfig };
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
  return { config: configFromStackFile({ config: merged }), secretConfigKeys: Object.keys(secrets) };
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
