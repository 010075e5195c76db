/**
 * `switchyard plan | render | cost-diff`: the CLI, as a function of argv and output streams so tests can run
 * it in-process; `bin.ts` wires it to the real process.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import {
  FLEET_PLAN_KIND,
  FLEET_PLAN_VERSION,
  FleetSpecError,
  PlanInfeasibleError,
  applyHistory,
  costDiffMarkdown,
  drillEvents,
  historyModels,
  loadFleetSpec,
  parseHistoryCsv,
  plan as planFleet,
  simulate,
  traceFromSpec,
} from "@switchyard/planner";
import type { FleetPlan, History } from "@switchyard/planner";
import { Command, CommanderError, Option } from "commander";
import type * as RenderStacks from "./render-stacks";
import { renderCost, renderForecast, renderPlacement, renderReserved, renderRouting, renderSimulation, renderWeightDistribution } from "./render";

export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /**
   * Directory relative paths are resolved against: where the user ran the command (`scripts/dev.sh` passes it as
   * SWITCHYARD_CWD; pnpm sets INIT_CWD to where it was invoked).
   */
  cwd: string;
  /** Milliseconds clock for the progress display. Defaults to `performance.now`. */
  now?: () => number;
}

/** A simulation shows progress only once it has run this long, and only on a terminal. */
const PROGRESS_AFTER_MS = 500;

/** An expected failure: printed as `error: message` with no stack, exit code as given. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
    this.name = "CliError";
  }
}

function readPlan(path: string): FleetPlan {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new CliError(code === "ENOENT" ? `${path} does not exist; write one with: switchyard plan --out ${path}` : `${path} is not valid JSON (${(error as Error).message})`, 2);
  }
  const kind = (data as { kind?: unknown } | null)?.kind;
  if (kind !== FLEET_PLAN_KIND) throw new CliError(`${path} is not a Switchyard plan (kind ${JSON.stringify(kind)}, expected "${FLEET_PLAN_KIND}"); write one with: switchyard plan --out ${path}`, 2);
  const version = (data as { version?: unknown }).version;
  if (version !== FLEET_PLAN_VERSION) throw new CliError(`${path} is a version ${JSON.stringify(version)} plan; this Switchyard reads version ${FLEET_PLAN_VERSION}: write it again with: switchyard plan --out ${path}`, 2);
  return data as FleetPlan;
}

function section(title: string, body: string): string {
  return `\n${title}\n${body}\n`;
}

function positiveNumber(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new CliError(`${name} must be a positive number, got ${JSON.stringify(value)}`, 2);
    return n;
  };
}

function integer(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n)) throw new CliError(`${name} must be an integer, got ${JSON.stringify(value)}`, 2);
    return n;
  };
}

/** `--confidence`: a quantile in (0, 1), or `cost` (GPUs sized against the hosted API). */
function confidence(value: string): number | "cost" {
  if (value === "cost") return "cost";
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n >= 1) throw new CliError(`--confidence must be a number between 0 and 1 (e.g. 0.95) or cost, got ${JSON.stringify(value)}`, 2);
  return n;
}

interface PlanOptions {
  spec: string;
  json?: boolean;
  out: string | false;
  simulate: boolean;
  days?: number;
  seed?: number;
  history?: string;
  confidence?: number | "cost";
}

function runPlan(options: PlanOptions, io: Io): void {
  const at = (p: string) => (isAbsolute(p) ? p : resolve(io.cwd, p));
  const specPath = at(options.spec);
  if (!existsSync(specPath)) throw new CliError(`no fleet spec at ${specPath}; pass one with --spec <path> (the repository ships examples/fleet.yaml)`, 2);
  const loaded = loadFleetSpec(specPath);
  if (options.confidence !== undefined && options.history === undefined) {
    throw new CliError("--confidence sets the forecast of a --history; pass --history <file> too (a spec's own series takes demand.series.forecast.confidence)", 2);
  }
  const history = options.history === undefined ? undefined : readHistory(at(options.history));
  const spec = history === undefined ? loaded : applyHistory(loaded, history, options.history!, { confidence: options.confidence });
  const planned = planFleet(spec);
  const json = `${JSON.stringify(planned, null, 2)}\n`;
  if (options.out !== false) {
    mkdirSync(dirname(at(options.out)), { recursive: true });
    writeFileSync(at(options.out), json);
  }
  if (options.json === true) {
    io.stdout.write(json);
    return;
  }
  const out: string[] = [`Switchyard plan for ${planned.specName} (catalog ${planned.catalogCompiledOn}, ${planned.hoursPerMonth} h/month)`];
  if (history !== undefined) out.push(section("Forecast from history", renderForecast(planned, historyModels(loaded, history), history.start)));
  out.push(section("Placement (per provider × model)", renderPlacement(planned)));
  out.push(section("Routing (LiteLLM weight and order)", renderRouting(planned)));
  out.push(section("Weight distribution", renderWeightDistribution(planned)));
  out.push(section("Monthly cost vs single-cloud baseline", renderCost(planned)));
  const reserved = renderReserved(planned);
  if (reserved !== "") out.push(section("Reserved level", reserved));
  io.stdout.write(out.join("\n"));
  if (options.simulate) {
    const days = options.days ?? planned.policy.simulation.days;
    const trace = traceFromSpec(spec, days);
    const events = drillEvents(planned, days * 1440, trace.stepMinutes, options.seed === undefined ? {} : { seed: options.seed });
    const line = progressLine(io, `simulating ${days} days`);
    const sim = simulate(planned, trace, events, { onProgress: line.onProgress });
    line.finish();
    io.stdout.write(section("Resilience drill", renderSimulation(sim, planned)));
  }
  if (planned.warnings.length > 0) io.stdout.write(section("Warnings", planned.warnings.map((w) => `- ${w}`).join("\n")));
  if (options.out !== false) io.stdout.write(`\nwrote ${at(options.out)}\n`);
}

function readHistory(path: string): History {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new CliError(`cannot read --history ${path}${code === undefined ? "" : ` (${code})`}; export one as the planner README's "Demand history" shows`, 2);
  }
  try {
    return parseHistoryCsv(text, path);
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
}

/**
 * A progress line (`label: N%`, rewritten in place) for long work: written only on a TTY and only once
 * the work has run longer than {@link PROGRESS_AFTER_MS}, so short runs and pipes print nothing.
 */
function progressLine(io: Io, label: string): { onProgress: ((done: number, total: number) => void) | undefined; finish(): void } {
  if (io.stderr.isTTY !== true) return { onProgress: undefined, finish: () => undefined };
  const now = io.now ?? (() => performance.now());
  const start = now();
  let shown = false;
  return {
    onProgress: (done, total) => {
      if (now() - start < PROGRESS_AFTER_MS) return;
      shown = true;
      io.stderr.write(`\r${label}: ${Math.round((done / total) * 100)}%`);
    },
    finish: () => {
      if (shown) io.stderr.write("\r\x1b[K");
    },
  };
}

function runCostDiff(basePath: string, headPath: string, io: Io): void {
  const at = (p: string) => (isAbsolute(p) ? p : resolve(io.cwd, p));
  io.stdout.write(costDiffMarkdown(readPlan(at(basePath)), readPlan(at(headPath))));
}

/**
 * Loaded on demand (synchronously: the CLI runs as CommonJS under tsx): rendering pulls in Pulumi and every provider
 * SDK, which `plan` does not need. The published CLI leaves it out (tsdown.config.mts): it renders this repository's
 * own stacks and examples, which an installed package does not carry.
 */
function loadRenderStacks(): typeof RenderStacks {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("./render-stacks") as typeof RenderStacks;
  } catch (error) {
    if ((error as { code?: string }).code === "MODULE_NOT_FOUND" && (error as Error).message.includes("'./render-stacks'")) {
      throw new CliError("render synthesizes the stacks and examples of a Switchyard checkout, which the installed CLI does not carry; in a clone of the repository run: bash scripts/dev.sh render", 2);
    }
    throw error;
  }
}

async function runRender(targets: string[], options: { out: string }, io: Io): Promise<void> {
  const { renderTargets } = loadRenderStacks();
  const out = isAbsolute(options.out) ? options.out : resolve(io.cwd, options.out);
  const progress = (line: string) => {
    if (io.stderr.isTTY === true) io.stderr.write(`${line}\n`);
  };
  let rendered;
  try {
    rendered = await renderTargets(targets, out, io.cwd, progress);
  } catch (error) {
    // Bad stack config, a component refusing its arguments, an unknown target: the message says what to fix.
    const name = error instanceof Error ? error.name : "";
    if (["StackConfigError", "RenderError", "InputPropertiesError", "PlanMismatchError", "FleetSpecError"].includes(name)) throw new CliError((error as Error).message, 2);
    throw error;
  }
  for (const r of rendered) io.stdout.write(`${r.target}: ${r.files.length} files in ${join(out, r.target)}\n`);
}

/** Runs the CLI; returns the exit code (0 ok, 1 unexpected, 2 bad input, 3 no feasible plan). */
/** The version in this package's package.json. */
export function cliVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string }).version;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const program = new Command()
    .name("switchyard")
    .description("Plan and compare multi-cloud LLM inference fleets")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError("(run switchyard --help for usage)")
    .version(cliVersion(), "-V, --version", "print the version of @switchyard/cli");
  program
    .command("plan")
    .description("plan a fleet spec: capacity, routing, weight distribution, monthly cost; writes plan.json")
    .option("--spec <path>", "fleet spec (YAML or JSON)", "examples/fleet.yaml")
    .option("--json", "print the plan as JSON instead of tables")
    .option("--out <path>", "where to write the plan JSON", "plan.json")
    .option("--no-out", "do not write the plan JSON")
    .option("--no-simulate", "skip the resilience drill (simulated week with spot reclaims and outages)")
    .option("--history <path>", "plan from your own demand history (CSV: timestamp,model,requests,input_tokens,output_tokens per 1 or 5 minutes): a per-hour-of-week forecast")
    .addOption(
      new Option("--confidence <q>", "with --history: the quantile of each hour's demand the GPUs hold, e.g. 0.95, or cost (GPUs sized against the model's hosted fallback)").argParser(confidence),
    )
    .addOption(new Option("--days <n>", "days to simulate (default: the spec's simulation.days)").argParser(positiveNumber("--days")))
    .addOption(new Option("--seed <n>", "seed for spot reclaims (default: the spec's simulation.seed)").argParser(integer("--seed")))
    .action((options: PlanOptions) => runPlan(options, io));
  program
    .command("cost-diff")
    .description("compare two plan.json files as a Markdown table (for pull-request comments)")
    .argument("<base>", "the base plan.json")
    .argument("<head>", "the head plan.json")
    .action((base: string, head: string) => runCostDiff(base, head, io));
  program
    .command("render")
    .description("synthesize environments and examples offline (no credentials) and write one file per resource")
    .argument("[targets...]", "environments (coreweave, lambda, aws, gcp, shared), example folders, 'examples' or 'all'", ["all"])
    .option("--out <dir>", "output directory (each target replaces its own subdirectory)", "out/render")
    .action((targets: string[], options: { out: string }) => runRender(targets, options, io));
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof FleetSpecError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    if (error instanceof PlanInfeasibleError) {
      io.stderr.write(`error: no feasible plan: ${error.message}\n`);
      return 3;
    }
    if (error instanceof CliError) {
      io.stderr.write(`error: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`error: ${message}\n`);
    if (process.env.SWITCHYARD_DEBUG === "1" && error instanceof Error && error.stack !== undefined) io.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
