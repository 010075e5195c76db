/**
 * The real Pulumi engine for tests: the CLI and the kubernetes provider built from Go modules by
 * scripts/engine/build-pulumi.sh, programs run inline through the Automation API (the Node.js language host is not
 * served here), state in a local file backend, secrets under a test passphrase.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { parse } from "yaml";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

export interface PulumiEngine {
  /** Holds bin/pulumi, bin/pulumi-resource-pulumi-nodejs and pulumi-home/. */
  dir: string;
  command: PulumiCommand;
  /** What the CLI and the plugins it starts need: PATH, PULUMI_HOME, the backend, the passphrase. */
  env: Record<string, string>;
  /** The file backend's directory: the caller removes it. */
  backendDir: string;
}

/** Builds the engine if its cache is cold (idempotent, seconds when warm) and points a fresh file backend at it. */
export async function pulumiEngine(): Promise<PulumiEngine> {
  const dir = execFileSync("bash", [path.join(REPO_ROOT, "scripts/engine/build-pulumi.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  const backend = mkdtempSync(path.join(tmpdir(), "switchyard-pulumi-state-"));
  const env = {
    PATH: `${path.join(dir, "bin")}:${path.dirname(process.execPath)}:${process.env["PATH"] ?? ""}`,
    PULUMI_HOME: path.join(dir, "pulumi-home"),
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "switchyard-test-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    SWITCHYARD_ROOT: REPO_ROOT,
  };
  return { dir, command: await PulumiCommand.get({ root: dir, skipVersionCheck: true }), env, backendDir: backend };
}

/** A config value as Pulumi stores it: text, with objects as JSON. */
export interface ConfigEntry {
  value: unknown;
  secret?: boolean;
}

/** An inline program's stack on the engine's backend, with `config` set (objects as JSON text, as a YAML map would be). */
export async function inlineStack(engine: PulumiEngine, project: string, stackName: string, program: () => unknown, config: Record<string, ConfigEntry>): Promise<Stack> {
  const stack = await LocalWorkspace.createOrSelectStack(
    { projectName: project, stackName, program: () => Promise.resolve(program()) as Promise<Record<string, unknown> | void> },
    { pulumiCommand: engine.command, envVars: engine.env, secretsProvider: "passphrase", projectSettings: { name: project, runtime: "nodejs" } },
  );
  await stack.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, e]) => [k, { value: typeof e.value === "string" ? e.value : JSON.stringify(e.value), secret: e.secret ?? false }])));
  return stack;
}

/** The `config:` map of a committed stack file, as entries (values stay plain; credentials are added by the caller). */
export function stackFileConfig(file: string): Record<string, ConfigEntry> {
  const document = parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
  return Object.fromEntries(Object.entries(document.config ?? {}).map(([k, v]) => [k, { value: v }]));
}

/** One planned step, as `switchyard render`'s resources.txt lists a resource: `[parent > ]type name`. */
export interface PlannedStep {
  op: string;
  line: string;
  /**
   * Whether render lists it too: not the stack itself, nor the default providers the engine adds (a dynamic
   * resource's `pulumi-nodejs` provider), which a program never declares.
   */
  declared: boolean;
}

/** The steps of a preview or an update, from its engine events; diagnostics of severity warning or error beside them. */
export function collectEvents(): { onEvent: (e: EngineEvent) => void; steps: PlannedStep[]; diagnostics: { severity: string; message: string; urn?: string }[] } {
  const steps: PlannedStep[] = [];
  const diagnostics: { severity: string; message: string; urn?: string }[] = [];
  const onEvent = (e: EngineEvent) => {
    if (e.resourcePreEvent !== undefined) {
      const m = e.resourcePreEvent.metadata;
      const parent = m.new?.parent ?? m.old?.parent;
      const parentName = parent === undefined || parent === "" || parent.includes("pulumi:pulumi:Stack") ? undefined : urnName(parent);
      const name = urnName(m.urn);
      const declared = m.type !== "pulumi:pulumi:Stack" && !(m.type.startsWith("pulumi:providers:") && name.startsWith("default"));
      steps.push({ op: m.op, line: `${parentName === undefined ? "" : `${parentName} > `}${m.type} ${name}`, declared });
    }
    if (e.diagnosticEvent !== undefined && (e.diagnosticEvent.severity === "warning" || e.diagnosticEvent.severity === "error")) {
      diagnostics.push({ severity: e.diagnosticEvent.severity, message: e.diagnosticEvent.message.trim(), ...(e.diagnosticEvent.urn === undefined ? {} : { urn: e.diagnosticEvent.urn }) });
    }
  };
  return { onEvent, steps, diagnostics };
}

function urnName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}
