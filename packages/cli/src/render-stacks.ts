/**
 * `switchyard render`: synthesizes environments of the fleet and examples offline (Pulumi mocks: no cloud
 * credentials, no Pulumi CLI) and writes what each would deploy, one file per resource, under
 * `<out>/<target>/`. The shared stack's StackReferences are fed from the provider environments' rendered
 * outputs. Credentials are not in the committed stack configs, so placeholders stand in for them, marked
 * secret, and every secret value is written as `[secret]`. A value one cloud resource reads from another (an ARN,
 * an endpoint) is written as a placeholder naming its source, e.g. `<aws:kms/Key shared-kms.arn>`. Two renders of
 * the same commit are byte-identical.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ENVIRONMENTS, PROVIDER_ENVIRONMENTS, SECRET_KEYS, isEnvironment } from "@switchyard/environments/config";
import type { Environment } from "@switchyard/environments/config";
import { environmentOf, runEnvironment } from "@switchyard/environments/main";
import { configFromStackFile, placeholderMocks, plainOutputsWithSecrets, renderResources, secretPlaceholder, synthesize } from "@switchyard/synth";
import type { RenderedFile } from "@switchyard/synth";
import { parse, stringify } from "yaml";

export const REPO_ROOT = resolve(__dirname, "..", "..", "..");

/** Credentials the examples read (`<project>:<key>`), given placeholders when the config file leaves them out. */
export const EXAMPLE_SECRET_KEYS = ["kubeconfig", "coreweaveKubeconfig", "awsKubeconfig", "lambdaKubeconfig", "lambdaApiKey", "clusterJoinToken", "hostedApiKey", "redisPassword", "keySeed"] as const;

export interface RenderedTarget {
  target: string;
  files: RenderedFile[];
  /** The stack's outputs, secrets included: what a StackReference to it reads. */
  outputs: Record<string, unknown>;
}

export class RenderError extends Error {
  override name = "RenderError";
}

function readYaml(path: string): Record<string, unknown> {
  return (parse(readFileSync(path, "utf8")) ?? {}) as Record<string, unknown>;
}

/** A stack config file as `synthesize` takes it, with placeholders for the credentials it must not hold. */
export function configWithPlaceholders(file: string, namespace: string, secretKeys: readonly string[]): { config: Record<string, string>; secretConfigKeys: string[] } {
  const document = existsSync(file) ? (readYaml(file) as { config?: Record<string, unknown> }) : {};
  const { config, secretConfigKeys } = configFromStackFile(document);
  for (const key of secretKeys) {
    const full = `${namespace}:${key}`;
    if (!secretConfigKeys.includes(full)) secretConfigKeys.push(full);
    config[full] ??= secretPlaceholder(key);
  }
  return { config, secretConfigKeys };
}

async function synthesizeTarget(target: string, project: string, stack: string, program: () => unknown, options: Parameters<typeof configWithPlaceholders>, stackOutputs: Record<string, Record<string, unknown>>): Promise<RenderedTarget> {
  const { config, secretConfigKeys } = configWithPlaceholders(...options);
  // Values one cloud resource takes from another render as placeholders naming their source.
  const { resources, result } = await synthesize(program, { project, stack, config, secretConfigKeys, stackOutputs, mocks: placeholderMocks });
  const { value, secretPaths } = await plainOutputsWithSecrets(result ?? {});
  return { target, files: renderResources(resources, value, secretPaths), outputs: value as Record<string, unknown> };
}

/** Renders one environment; `providerOutputs` answers the shared stack's references by environment name. */
export async function renderEnvironment(environment: Environment, providerOutputs: Partial<Record<Environment, Record<string, unknown>>> = {}): Promise<RenderedTarget> {
  return renderStackFile(environment, join(REPO_ROOT, "environments", `Pulumi.${environment}.yaml`), environment, SECRET_KEYS[environment], providerOutputs);
}

/** A change to an environment's committed stack config that takes a path the config does not. */
export interface StackVariant {
  /** `switchyard:` keys to set (objects as YAML maps). */
  set?: Record<string, unknown>;
  /** `switchyard:` keys to remove. */
  remove?: string[];
  /** Credentials the variant does not use, so no placeholder stands in for them (a created cluster has no kubeconfig). */
  withoutSecrets?: string[];
}

/** Renders a provider environment with `variant` applied to its committed stack config, under `target`. */
export async function renderEnvironmentVariant(environment: Exclude<Environment, "shared">, target: string, variant: StackVariant): Promise<RenderedTarget> {
  const document = readYaml(join(REPO_ROOT, "environments", `Pulumi.${environment}.yaml`)) as { config?: Record<string, unknown> };
  const config = { ...document.config };
  for (const key of variant.remove ?? []) delete config[`switchyard:${key}`];
  for (const [key, value] of Object.entries(variant.set ?? {})) config[`switchyard:${key}`] = value;
  const dir = mkdtempSync(join(tmpdir(), "switchyard-variant-"));
  try {
    const file = join(dir, `Pulumi.${environment}.yaml`);
    writeFileSync(file, stringify({ ...document, config }));
    return await renderStackFile(environment, file, target, SECRET_KEYS[environment].filter((key) => !(variant.withoutSecrets ?? []).includes(key)), {});
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function renderStackFile(environment: Environment, file: string, target: string, secretKeys: readonly string[], providerOutputs: Partial<Record<Environment, Record<string, unknown>>>): Promise<RenderedTarget> {
  const stackOutputs: Record<string, Record<string, unknown>> = {};
  if (environment === "shared") {
    const stacks = ((readYaml(file)["config"] as Record<string, unknown> | undefined)?.["switchyard:providerStacks"] ?? []) as string[];
    for (const name of stacks) {
      const outputs = providerOutputs[environmentOf(name) as Environment];
      if (outputs !== undefined) stackOutputs[name] = outputs;
    }
  }
  return synthesizeTarget(target, "switchyard", environment, () => runEnvironment(environment), [file, "switchyard", secretKeys], stackOutputs);
}

/** Renders an example program (`examples/<name>`): its `index.ts` with its `Pulumi.dev.yaml`. */
export async function renderExample(dir: string): Promise<RenderedTarget> {
  const projectFile = join(dir, "Pulumi.yaml");
  if (!existsSync(projectFile)) throw new RenderError(`${dir} is not a Pulumi project (no Pulumi.yaml); fix: pass an environment (${ENVIRONMENTS.join(", ")}) or an example folder such as examples/single-cluster`);
  const project = String(readYaml(projectFile)["name"]);
  // Examples are Pulumi entry points: `export =` an async function, which Pulumi calls.
  let main: unknown = await import(pathToFileURL(join(dir, "index.ts")).href);
  while (typeof main !== "function" && main !== null && typeof main === "object" && "default" in main) main = main.default;
  if (typeof main !== "function") throw new RenderError(`${join(dir, "index.ts")} does not export a function; fix: end it with \`export = async () => { ... }\``);
  const program = main as () => unknown;
  return synthesizeTarget(`examples/${dir.split(/[\\/]/).pop()}`, project, "dev", program, [join(dir, "Pulumi.dev.yaml"), project, EXAMPLE_SECRET_KEYS], {});
}

/**
 * Renders `targets` (environment names, `all`, `examples`, or example folders) and writes them under
 * `outDir`, replacing what was there for each target. Returns what was rendered.
 */
export async function renderTargets(targets: readonly string[], outDir: string, cwd: string, progress: (line: string) => void = () => {}): Promise<RenderedTarget[]> {
  const wanted = new Set<string>();
  for (const t of targets.length === 0 ? ["all"] : targets) {
    if (t === "all") {
      ENVIRONMENTS.forEach((e) => wanted.add(e));
      exampleDirs().forEach((d) => wanted.add(d));
    } else if (t === "examples") exampleDirs().forEach((d) => wanted.add(d));
    else if (isEnvironment(t)) wanted.add(t);
    else wanted.add(resolve(cwd, t));
  }
  const rendered: RenderedTarget[] = [];
  const providerOutputs: Partial<Record<Environment, Record<string, unknown>>> = {};
  // Provider environments first: the shared stack reads their outputs.
  const needProviders = wanted.has("shared");
  for (const env of PROVIDER_ENVIRONMENTS) {
    if (!wanted.has(env) && !needProviders) continue;
    progress(`rendering ${env}`);
    const r = await renderEnvironment(env);
    providerOutputs[env] = r.outputs;
    if (wanted.has(env)) rendered.push(r);
  }
  if (wanted.has("shared")) {
    progress("rendering shared");
    rendered.push(await renderEnvironment("shared", providerOutputs));
  }
  for (const target of [...wanted].filter((t) => !isEnvironment(t)).sort()) {
    progress(`rendering ${target}`);
    rendered.push(await renderExample(target));
  }
  for (const r of rendered) writeTarget(join(outDir, r.target), r.files);
  return rendered;
}

function exampleDirs(): string[] {
  const root = join(REPO_ROOT, "examples");
  return ["single-cluster", "burst-overflow", "active-active"].map((n) => join(root, n)).filter((d) => existsSync(join(d, "Pulumi.yaml")));
}

export function writeTarget(dir: string, files: readonly RenderedFile[]): void {
  rmSync(dir, { recursive: true, force: true });
  for (const f of files) {
    const path = join(dir, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
  }
}
