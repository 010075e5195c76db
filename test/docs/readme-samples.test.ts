/**
 * Every fenced code block of every README runs (issue 11), so a sample that drifts from the code fails here, naming
 * the README, the line and the error. Per language:
 * - `ts`: written into test/docs/.samples/ (inside the workspace, so its imports resolve as in a user's program),
 *   type-checked against the sources, then run as a Pulumi program under the synthesizer's mocks; it must register
 *   a `switchyard:index:<Class>` for every component it constructs. A fragment that uses values from the program
 *   around it (a node pool, a manifest) gets them from CONTEXT.
 * - `yaml`: a stack config (`config:` with `switchyard:` keys) passes `parseStackConfig` for its environment, a fleet
 *   spec (`models:` and `providers:`) passes `parseFleetSpec`; other YAML fails.
 * - `bash`/`sh`: every command runs here (RUNNABLE: offline and quick; exit 0 and the output it promises) or is in
 *   NOT_RUNNABLE_HERE with the reason; any other command fails, so a new sample cannot go untested silently.
 * - other languages fail unless UNCHECKED_LANGUAGES says why they need no run.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import * as components from "@switchyard/components";
import { ENVIRONMENTS, SECRET_KEYS, isEnvironment, parseStackConfig } from "@switchyard/environments/config";
import { parseFleetSpec } from "@switchyard/planner";
import { placeholderMocks, synthesize } from "@switchyard/synth";
import type { RecordedResource } from "@switchyard/synth";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunnerTask } from "vitest";
import { parse } from "yaml";

const ROOT = join(__dirname, "..", "..");
/** Where ts samples are written: inside the workspace, so `@switchyard/*` and `@pulumi/*` resolve; gitignored. */
const SAMPLES_DIR = join(__dirname, ".samples");
/** Project name the samples run under: `new pulumi.Config()` reads `<project>:<key>`. */
const PROJECT = "readme-sample";

interface Block {
  /** README path relative to the repository root. */
  readme: string;
  /** Line of the opening fence (1-based). */
  line: number;
  /** First word of the info string, lowercased; "" when the fence has none. */
  lang: string;
  body: string;
}

/** The fenced code blocks (``` or ~~~) of a Markdown text; an unclosed fence is an error naming its line. */
function fencedBlocks(readme: string, text: string): Block[] {
  const blocks: Block[] = [];
  let open: { fence: string; indent: number; lang: string; line: number; body: string[] } | undefined;
  text.split("\n").forEach((raw, i) => {
    if (open === undefined) {
      const m = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/.exec(raw);
      if (m) open = { indent: m[1]!.length, fence: m[2]!, lang: m[3]!.toLowerCase(), line: i + 1, body: [] };
      return;
    }
    const close = /^\s*(`{3,}|~{3,})\s*$/.exec(raw);
    if (close && close[1]![0] === open.fence[0] && close[1]!.length >= open.fence.length) {
      blocks.push({ readme, line: open.line, lang: open.lang, body: open.body.join("\n") });
      open = undefined;
      return;
    }
    open.body.push(raw.slice(Math.min(open.indent, /^\s*/.exec(raw)![0].length)));
  });
  if (open !== undefined) throw new Error(`${readme}:${open.line}: code fence ${open.fence} is never closed`);
  return blocks;
}

/** The commands of a shell block with the README line each starts on: `\` continuations joined, comments dropped. */
function commandsOf(block: Block): { line: number; command: string }[] {
  const commands: { line: number; command: string }[] = [];
  let pending: { line: number; text: string } | undefined;
  block.body.split("\n").forEach((raw, i) => {
    const text = withoutComment(raw);
    const current = pending ?? { line: block.line + 1 + i, text: "" };
    current.text += pending ? ` ${text.trim()}` : text.trim();
    if (current.text.endsWith("\\")) {
      current.text = current.text.slice(0, -1).trimEnd();
      pending = current;
      return;
    }
    pending = undefined;
    if (current.text !== "") commands.push({ line: current.line, command: current.text });
  });
  if (pending) commands.push({ line: pending.line, command: pending.text });
  return commands;
}

/** A line without its shell comment: `#` at the start of a word, outside quotes. */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "\\") i++;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

// --- What each language needs ------------------------------------------------------------------------------

/**
 * Languages whose blocks are not run, and why. Each must be a reason a reviewer accepts; anything else is a sample
 * and must run.
 */
const UNCHECKED_LANGUAGES: Record<string, string> = {
  text: "output a command printed (plan tables, benchmark figures), quoted as printed; the commands are samples of their own",
};

interface Runnable {
  /** Matches the whole command line as the README writes it. */
  command: RegExp;
  /** What to run instead of the bare line, e.g. the line followed by a command that shows its effect. */
  script?: (line: string) => string;
  /** What its output (stdout and stderr) must show, from the command's own match. */
  expect: (match: RegExpExecArray) => RegExp;
}

/** Commands that run here: offline and within seconds. Each runs once, from the repository root, exit 0. */
const RUNNABLE: Runnable[] = [
  { command: /^bash scripts\/dev\.sh plan$/, expect: () => /Placement \(per provider × model\)[\s\S]*Monthly cost vs single-cloud baseline[\s\S]*wrote \S+out\/plan\.json/ },
  {
    command: /^bash scripts\/dev\.sh switchyard plan --spec examples\/fleet\.yaml --history examples\/demand\/history\.csv --no-out --no-simulate$/,
    expect: () => /Forecast from history[\s\S]*│ llama-70b +│ 14 days × 5 min[\s\S]*Placement \(per provider × model\)/,
  },
  {
    command: /^bash scripts\/dev\.sh switchyard plan --spec examples\/fleet\.yaml --history examples\/demand\/history\.csv --confidence cost --no-out --no-simulate$/,
    expect: () => /Forecast from history[\s\S]*│ llama-70b +│ 14 days × 5 min +│ [\d.]+% by cost \(GPU[\s\S]*\(least held-out cost\)[\s\S]*Placement \(per provider × model\)/,
  },
  { command: /^bash scripts\/dev\.sh render$/, expect: () => new RegExp(ENVIRONMENTS.map((e) => `^${e}: \\d+ files in \\S+/out/render/${e}$`).join("[\\s\\S]*"), "m") },
  { command: /^bash scripts\/dev\.sh switchyard render (examples\/[\w-]+)$/, expect: (m) => new RegExp(`^${m[1]}: \\d+ files in \\S+/out/render/${m[1]}$`, "m") },
  // A folder the following commands run in: it exists.
  { command: /^cd (examples\/[\w-]+)$/, script: (line) => `${line} && pwd`, expect: (m) => new RegExp(`/${m[1]}\\n$`) },
  // The toolchain `scripts/dev.sh` installs: the `node` the Pulumi program runs on.
  { command: /^export PATH="\$PWD\/\.toolchain\/node_modules\/\.bin:\$PATH"$/, script: (line) => `${line} && command -v node`, expect: () => /\/\.toolchain\/node_modules\/\.bin\/node\n$/ },
  // The component provider's plugin, as the engine finds it.
  { command: /^export PATH="\$PWD\/packages\/provider\/bin:\$PATH"$/, script: (line) => `${line} && command -v pulumi-resource-switchyard`, expect: () => /\/packages\/provider\/bin\/pulumi-resource-switchyard\n$/ },
];

interface NotRunnable {
  command: RegExp;
  reason: string;
  /** What can be checked offline all the same: a problem, or undefined. */
  check?: (command: string, block: Block) => string | undefined;
}

/** Commands that cannot run here, each with the reason. */
const NOT_RUNNABLE_HERE: NotRunnable[] = [
  { command: /^git clone /, reason: "fetches the repository over the network; this test runs inside the clone it makes" },
  { command: /^bash scripts\/dev\.sh test$/, reason: "is CI itself (.ci/run), which runs this test" },
  {
    command: /^pulumi package gen-sdk packages\/provider\/schema\.json --language python /,
    reason: "needs the Pulumi CLI and its Python SDK generator (scripts/engine/build-pulumi.sh builds both, ~15 min cold); test/provider/python-sdk.test.ts runs this command",
  },
  {
    command: /^pulumi /,
    reason: "needs the Pulumi CLI, a backend and cloud credentials; what `pulumi up` deploys is synthesized offline by the render commands, which run here",
    check: secretKeyProblem,
  },
  { command: /^bash scripts\/dev\.sh pack$/, reason: "builds and packs the four packages (about 2 minutes); test/packaging runs it and installs what it packs" },
  { command: /^npm install \/path\/to\/switchyard\/out\/packs\//, reason: "runs in the user's own project, against the npm registry; test/packaging installs the same tarballs into a project of its own" },
  { command: /^switchyard (plan|cost-diff|--version)\b/, reason: "the CLI installed from its tarball (packages/cli/README.md); test/packaging runs these in a project outside the workspace" },
  { command: /^kubectl /, reason: "needs a cluster of the user's: the namespace and Secrets a stack expects before its first `pulumi up`" },
  { command: /^aws eks update-kubeconfig /, reason: "needs AWS credentials and the user's EKS cluster: it points kubectl at that cluster" },
  { command: /^pnpm exec tsx bench\/cost\/run\.ts\b/, reason: "a benchmark: about 30 s a run on 2 cores, on trace data outside the repository (../shared/data)" },
  { command: /^pnpm exec tsx bench\/plan-time\/run\.ts\b/, reason: "a benchmark: it prints timings, about 10 s a run; tests assert what the plan is, never how fast" },
  { command: /^psql "\$DATABASE_URL" -c /, reason: "reads the user's gateway database; test/history/spend-logs-export.test.ts runs this very line against a real PostgreSQL holding LiteLLM's spend-logs table" },
  { command: /^pnpm exec tsx bench\/gateway-failover\/run\.ts\b/, reason: "a benchmark of the real LiteLLM proxy: minutes a run (5 min 28 s for every scenario)" },
];

/** `pulumi config set --secret <key>`: the program the stack runs reads that key, as a secret. */
function secretKeyProblem(command: string, block: Block): string | undefined {
  const m = /^pulumi config set --secret (\S+) .*?(?: -s (\S+))?$/.exec(command);
  if (!m) return undefined;
  const key = m[1]!;
  if (key.startsWith("switchyard:")) {
    const environment = m[2]?.split("/").pop() ?? "";
    if (!isEnvironment(environment)) return `names no environment's stack (-s <org>/<environment>, one of ${ENVIRONMENTS.join(", ")})`;
    const secrets = SECRET_KEYS[environment];
    return secrets.includes(key.slice("switchyard:".length)) ? undefined : `${key} is not a credential the ${environment} stack reads (environments/config.ts SECRET_KEYS: ${secrets.join(", ")})`;
  }
  // An example's own key: its program, beside the README, reads it with requireSecret.
  const program = join(dirname(block.readme), "index.ts");
  const text = existsSync(join(ROOT, program)) ? readFileSync(join(ROOT, program), "utf8") : "";
  return text.includes(`requireSecret("${key}")`) ? undefined : `${program} reads no secret "${key}"`;
}

interface SampleContext {
  /** TypeScript declaring what the fragment uses from the program around it; runs before the sample, in its module. */
  prelude: string;
  /** Stack config the sample reads with `new pulumi.Config()`, by key; every value is a secret. */
  secretConfig?: Record<string, string>;
}

/**
 * What a ts fragment takes from the program around it, per README, kept to what the sample names. Values come from
 * the test fixtures where those have them, so a sample runs against the same inputs the components' tests use.
 */
const CONTEXT: Record<string, SampleContext> = {
  // Three deployed VllmServings (their backend and API key) and the Redis the proxies share.
  "packages/components/src/litellm-gateway/README.md": {
    prelude: `
import * as pulumi from "@pulumi/pulumi";
import type { Backend } from "@switchyard/components";
import { awsSpot, coreweaveReserved, gcpSpot } from "../../../packages/components/test/litellm-gateway/fixtures";
const deployed = (backend: Backend, apiKeySecretEnv: string) => ({ backend: { ...backend, apiKeySecretEnv }, apiKey: pulumi.secret(\`key-of-\${backend.name}\`) });
const coreweave70b = deployed(coreweaveReserved, "COREWEAVE_70B_API_KEY");
const awsSpot70b = deployed(awsSpot, "AWS_70B_API_KEY");
const gcpSpot70b = deployed(gcpSpot, "GCP_70B_API_KEY");
const redisHost = "master.shared-redis.abc123.use1.cache.amazonaws.com";
const redisToken = pulumi.secret("redis-auth-token");
`,
  },
  // The GPU pool, the model's manifest, the origin bucket, and the VllmServing arguments the weights are for.
  "packages/components/src/model-weight-cache/README.md": {
    prelude: `
import { GpuNodePool } from "@switchyard/components";
import type { VllmServingArgs } from "@switchyard/components";
import { coreweaveSpot } from "../../fixtures/gpu-node-pools";
import { llama70bFiles as manifest } from "../../../packages/components/test/model-weight-cache/fixtures";
const pool = new GpuNodePool("h100", { ...coreweaveSpot, minNodes: 1, maxNodes: 4 });
const originBucket = "switchyard-weights";
const args: VllmServingArgs = {
  placement: pool.placement, namespace: "inference", image: "vllm/vllm-openai:v0.11.0@sha256:014a95f21c9edf6abe0aea6b07353f96baa4ec291c427bb1176dc7c93a85845c",
  model: { id: "meta-llama/Llama-3.3-70B-Instruct", revision: "6f6073b423013f6a7d4d9f39144961bfbfbc386b", servedModelName: "llama-70b", parameterCountBillions: 70, dtype: "bf16" },
  quantization: "fp8", tensorParallelSize: 2, minReplicas: 4, maxReplicas: 4,
  gateway: { namespace: "gateway", podLabels: { app: "litellm" } },
  backend: { tokensPerSecond: 2400, expectedLatencyMs: 350 },
};
`,
  },
  // The readers' OIDC issuer, the gateway's VPC, subnets and security group, and the OpenAI key in stack config.
  "packages/components/src/shared-services/README.md": {
    prelude: `
import { COREWEAVE_ISSUER as issuerUrl } from "../../../packages/components/test/shared-services/fixtures";
const vpcId = "vpc-0a1b2c3d4e5f60001";
const subnetIds = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"];
const gatewaySg = "sg-0a1b2c3d4e5f60003";
`,
    secretConfig: { openaiApiKey: "sk-readme-sample" },
  },
};

// --- The READMEs ---------------------------------------------------------------------------------------------

/** Every README.md in the checkout that git knows of or would add (tracked, or untracked and not ignored). */
function readmes(): string[] {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", "*README.md"], { cwd: ROOT, encoding: "utf8" });
  return [...new Set(listed.split("\0").filter((path) => path !== "" && existsSync(join(ROOT, path))))].sort();
}

const BLOCKS = readmes().flatMap((readme) => fencedBlocks(readme, readFileSync(join(ROOT, readme), "utf8")));
const at = (block: Block, line = block.line) => `${block.readme}:${line}`;
const byLanguage = (...langs: string[]) => BLOCKS.filter((b) => langs.includes(b.lang));
const TS_BLOCKS = byLanguage("ts", "typescript");
const YAML_BLOCKS = byLanguage("yaml", "yml");
const SHELL_BLOCKS = byLanguage("bash", "sh", "shell");
const COMMANDS = SHELL_BLOCKS.flatMap((block) => commandsOf(block).map((c) => ({ block, ...c })));
const commandTestName = (c: (typeof COMMANDS)[number]) => `${at(c.block, c.line)}: ${c.command}`;

// --- Shell commands ----------------------------------------------------------------------------------------

interface Outcome {
  code: number | null;
  output: string;
  seconds: number;
}

const COMMAND_TIMEOUT_MS = 120_000;
let queue: Promise<unknown> = Promise.resolve();
const started = new Map<string, Promise<Outcome>>();

/**
 * Runs a script once, after the ones before it: the commands share `out/` and `pnpm install`, so they never overlap.
 * Its own process group, killed whole on timeout.
 */
function runOnce(script: string): Promise<Outcome> {
  let outcome = started.get(script);
  if (outcome === undefined) {
    outcome = queue.then(() => runScript(script));
    queue = outcome;
    started.set(script, outcome);
  }
  return outcome;
}

function runScript(script: string): Promise<Outcome> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", script], { cwd: ROOT, detached: true, env: { ...process.env, INIT_CWD: ROOT }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      output += `\n(killed after ${COMMAND_TIMEOUT_MS / 1000} s)`;
      process.kill(-child.pid!, "SIGKILL");
    }, COMMAND_TIMEOUT_MS);
    child.on("error", (error) => (output += `\n${error.message}`));
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output, seconds: (performance.now() - t0) / 1000 });
    });
  });
}

function classify(command: string): { runnable: Runnable; match: RegExpExecArray } | NotRunnable | undefined {
  for (const runnable of RUNNABLE) {
    const match = runnable.command.exec(command);
    if (match) return { runnable, match };
  }
  return NOT_RUNNABLE_HERE.find((s) => s.command.test(command));
}

// --- ts samples --------------------------------------------------------------------------------------------

interface WrittenSample {
  block: Block;
  file: string;
  /** Lines of the prelude written before the sample's own lines. */
  preludeLines: number;
}

function writeSample(block: Block): WrittenSample {
  const prelude = CONTEXT[block.readme]?.prelude.trim() ?? "";
  const preludeLines = prelude === "" ? 0 : prelude.split("\n").length;
  // The process id keeps two runs in one checkout apart.
  const file = join(SAMPLES_DIR, `${block.readme.replace(/\W+/g, "-")}-${block.line}.${process.pid}.ts`);
  writeFileSync(file, `${prelude === "" ? "" : `${prelude}\n`}${block.body}\n`);
  return { block, file, preludeLines };
}

/** Where a line of the written sample comes from: the README's own line, or the test's context for it. */
function origin(sample: WrittenSample, fileLine: number): string {
  return fileLine <= sample.preludeLines ? `the test's CONTEXT for ${sample.block.readme}, line ${fileLine}` : at(sample.block, sample.block.line + fileLine - sample.preludeLines);
}

/**
 * Type errors of each sample, against the repository's own compiler options except `noUncheckedIndexedAccess`:
 * samples are read as a user's strict program, and `plan.models[0].pools` is how a user writes it.
 */
function typeErrors(samples: WrittenSample[]): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (config === undefined) throw new Error("tsconfig.json could not be read");
  const program = ts.createProgram(
    samples.map((s) => s.file),
    { ...config.options, noUncheckedIndexedAccess: false },
  );
  return new Map(
    samples.map((sample) => {
      const source = program.getSourceFile(sample.file)!;
      const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
      return [
        sample.file,
        diagnostics.map((d) => {
          const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line + 1;
          return `${origin(sample, line)}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
        }),
      ];
    }),
  );
}

/** The `switchyard:index:<Class>` components the sample constructs, with their name when it is a string literal. */
function constructedComponents(body: string): { type: string; name: string | undefined }[] {
  return [...body.matchAll(/\bnew\s+(\w+)\s*\(\s*(?:"([^"]*)"|'([^']*)')?/g)].flatMap((m) => {
    const exported = (components as Record<string, unknown>)[m[1]!];
    const isComponent = typeof exported === "function" && exported.prototype instanceof pulumi.ComponentResource;
    return isComponent ? [{ type: `switchyard:index:${m[1]}`, name: m[2] ?? m[3] }] : [];
  });
}

/** The README line a runtime error was thrown from, when its stack passes through the sample. */
function thrownAt(sample: WrittenSample, error: Error): string {
  const frame = new RegExp(`${sample.file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+)`).exec(error.stack ?? "");
  return frame ? origin(sample, Number(frame[1])) : at(sample.block);
}

// --- The tests ---------------------------------------------------------------------------------------------

// The commands take most of the time and run in their own processes: start those whose test runs (all, unless a
// filter selects some), one after another, before the ts samples are type-checked and synthesized in this one.
// eslint-disable-next-line no-empty-pattern -- vitest reads a hook's first parameter as its fixtures, destructured
beforeAll(({}, file) => {
  const tasksOf = (task: RunnerTask): RunnerTask[] => ("tasks" in task ? task.tasks.flatMap(tasksOf) : [task]);
  const selected = new Set(tasksOf(file).filter((task) => task.mode === "run").map((task) => task.name));
  for (const c of COMMANDS) {
    const found = classify(c.command);
    if (selected.has(commandTestName(c)) && found && "runnable" in found) void runOnce(found.runnable.script?.(c.command) ?? c.command);
  }
});

describe("README code blocks", () => {
  it("are found: every README with its blocks, each block in a language this test knows", () => {
    expect(BLOCKS.length).toBeGreaterThan(0);
    const known = new Set(["ts", "typescript", "yaml", "yml", "bash", "sh", "shell", ...Object.keys(UNCHECKED_LANGUAGES)]);
    const unknown = BLOCKS.filter((b) => !known.has(b.lang)).map((b) => `${at(b)}: ${b.lang === "" ? "a block without a language" : `language "${b.lang}"`}; fix: tag it (ts, yaml, bash, text) or add the language to UNCHECKED_LANGUAGES with the reason it needs no run`);
    expect(unknown).toEqual([]);
  });

  // The other direction of secretKeyProblem: a README that leaves out a secret its program requires sends the
  // user to a `pulumi up` that stops at `Missing required configuration variable`.
  const exampleReadmes = [...new Set(SHELL_BLOCKS.map((b) => b.readme))].filter((r) => existsSync(join(ROOT, dirname(r), "index.ts")));
  it.each(exampleReadmes.map((r) => [r]))("%s sets every secret its program requires", (readme) => {
    const program = readFileSync(join(ROOT, dirname(readme), "index.ts"), "utf8");
    const required = [...program.matchAll(/requireSecret\("([^"]+)"\)/g)].map((m) => m[1]!);
    const set = COMMANDS.filter((c) => c.block.readme === readme).flatMap((c) => /^pulumi config set --secret (\S+) /.exec(c.command)?.[1] ?? []);
    expect(required.length).toBeGreaterThan(0);
    expect([...new Set(required)].filter((key) => !set.includes(key)).map((key) => `${readme}: no \`pulumi config set --secret ${key} …\` for the program's requireSecret("${key}")`)).toEqual([]);
  });

  it("lists nothing stale: every context, language, runnable and skipped command is used by some README", () => {
    const commands = COMMANDS.map((c) => c.command);
    const stale = [
      ...Object.keys(CONTEXT).filter((readme) => !TS_BLOCKS.some((b) => b.readme === readme)).map((readme) => `CONTEXT["${readme}"]: no ts sample there`),
      ...Object.keys(UNCHECKED_LANGUAGES).filter((lang) => !BLOCKS.some((b) => b.lang === lang)).map((lang) => `UNCHECKED_LANGUAGES.${lang}: no block in that language`),
      ...[...RUNNABLE, ...NOT_RUNNABLE_HERE].filter((entry) => !commands.some((c) => entry.command.test(c))).map((entry) => `${entry.command}: matches no command`),
    ];
    expect(stale).toEqual([]);
  });

  it.each(
    [
      ["``` and ~~~ fences, info strings, indented fences", "a\n```ts title\nx\n```\n~~~\ny\n~~~\n  ```bash\n  z\n  ```\n", [{ line: 2, lang: "ts", body: "x" }, { line: 5, lang: "", body: "y" }, { line: 8, lang: "bash", body: "z" }]],
      ["a longer fence holds a shorter one", "````md\n```ts\nx\n```\n````\n", [{ line: 1, lang: "md", body: "```ts\nx\n```" }]],
    ] as const,
  )("fencedBlocks: %s", (_, text, expected) => {
    expect(fencedBlocks("R.md", text).map(({ line, lang, body }) => ({ line, lang, body }))).toEqual(expected);
  });

  it("fencedBlocks refuses an unclosed fence, naming its line", () => {
    expect(() => fencedBlocks("R.md", "text\n```ts\nx\n")).toThrow("R.md:2: code fence ``` is never closed");
  });

  it("commandsOf joins continuations and drops comments, but not a # inside quotes or a word", () => {
    const block: Block = { readme: "R.md", line: 10, lang: "bash", body: '# intro\nbash a.sh   # why\n\nx --flag \\\n  "#not" b#c\necho \'# kept\'' };
    expect(commandsOf(block)).toEqual([
      { line: 12, command: "bash a.sh" },
      { line: 14, command: 'x --flag "#not" b#c' },
      { line: 16, command: "echo '# kept'" },
    ]);
  });
});

describe("ts samples: type-checked, then synthesized under Pulumi mocks", () => {
  let samples: WrittenSample[] = [];
  let errors = new Map<string, string[]>();

  beforeAll(() => {
    mkdirSync(SAMPLES_DIR, { recursive: true });
    samples = TS_BLOCKS.map(writeSample);
    errors = typeErrors(samples);
  });
  afterAll(() => {
    for (const { file } of samples) rmSync(file, { force: true });
  });

  it.each(TS_BLOCKS.map((block) => [at(block), block] as const))("%s", async (_, block) => {
    const sample = samples.find((s) => s.block === block)!;
    const typeProblems = errors.get(sample.file) ?? [];
    if (typeProblems.length > 0) throw new Error(`${at(block)}: the ts sample does not type-check:\n  ${typeProblems.join("\n  ")}`);

    const context = CONTEXT[block.readme];
    const secretConfig = Object.fromEntries(Object.entries(context?.secretConfig ?? {}).map(([key, value]) => [`${PROJECT}:${key}`, value]));
    let resources: RecordedResource[];
    try {
      ({ resources } = await synthesize(() => import(pathToFileURL(sample.file).href), {
        project: PROJECT,
        config: secretConfig,
        secretConfigKeys: Object.keys(secretConfig),
        mocks: placeholderMocks,
      }));
    } catch (error) {
      throw new Error(`${thrownAt(sample, error as Error)}: the ts sample fails when it runs: ${(error as Error).message}`, { cause: error });
    }
    const registered = resources.filter((r) => !r.custom).map((r) => `${r.type} ${r.name}`);
    for (const { type, name } of constructedComponents(block.body)) {
      const found = resources.some((r) => r.type === type && !r.custom && (name === undefined || r.name === name));
      if (!found) throw new Error(`${at(block)}: the sample constructs ${type} ${name ?? ""} but it was not registered; registered components:\n  ${registered.join("\n  ")}`);
    }
  });
});

// No README carries a yaml block today: the suite exists once one does.
if (YAML_BLOCKS.length > 0) {
  describe("yaml samples: validated by the schema that reads them", () => {
    it.each(YAML_BLOCKS.map((block) => [at(block), block] as const))("%s", (_, block) => {
      const document = parse(block.body) as Record<string, unknown> | null;
      const config = document?.["config"] as Record<string, unknown> | undefined;
      const switchyardKeys = Object.keys(config ?? {}).filter((key) => key.startsWith("switchyard:"));
      try {
        if (switchyardKeys.length > 0) {
          // A stack config names its file in a comment, e.g. `# environments/Pulumi.aws.yaml`.
          const environment = /Pulumi\.([\w-]+)\.yaml/.exec(block.body)?.[1];
          if (environment === undefined || !isEnvironment(environment)) {
            throw new Error(`a stack config must name its environment in a comment, e.g. "# environments/Pulumi.aws.yaml" (one of ${ENVIRONMENTS.join(", ")})`);
          }
          parseStackConfig(environment, Object.fromEntries(switchyardKeys.map((key) => [key.slice("switchyard:".length), config![key]])), new Set());
        } else if (document !== null && "models" in document && "providers" in document) {
          parseFleetSpec(document, at(block));
        } else {
          throw new Error("neither a stack config (config: with switchyard: keys) nor a fleet spec (models: and providers:); fix: tag it text if it is not a sample");
        }
      } catch (error) {
        throw new Error(`${at(block)}: the yaml sample is rejected: ${(error as Error).message}`, { cause: error });
      }
    });
  });
}

describe("shell samples: each command runs here or is listed with the reason it cannot", () => {
  // A command waits for the ones queued before it, each killed after COMMAND_TIMEOUT_MS.
  const timeout = COMMAND_TIMEOUT_MS * (COMMANDS.length + 1);
  it.for(COMMANDS.map((c) => [commandTestName(c), c] as const))("%s", { timeout }, async ([, { block, line, command }]) => {
    const found = classify(command);
    if (found === undefined) {
      throw new Error(`${at(block, line)}: \`${command}\` is neither run nor skipped by this test; fix: add it to RUNNABLE (offline and quick, with the output it must print) or to NOT_RUNNABLE_HERE with the reason`);
    }
    if ("reason" in found) {
      const problem = found.check?.(command, block);
      if (problem !== undefined) throw new Error(`${at(block, line)}: \`${command}\` cannot run here, and what can be checked is wrong: ${problem}`);
      // Not run here (found.reason): listed with its reason, and what can be checked without running it passed.
      return;
    }
    const script = found.runnable.script?.(command) ?? command;
    const { code, output, seconds } = await runOnce(script);
    const tail = output.split("\n").slice(-30).join("\n");
    if (code !== 0) throw new Error(`${at(block, line)}: \`${command}\` exited with ${code} after ${seconds.toFixed(1)} s; its output ends:\n${tail}`);
    const expected = found.runnable.expect(found.match);
    if (!expected.test(output)) throw new Error(`${at(block, line)}: \`${command}\` exited 0 but its output does not match ${expected}; it ends:\n${tail}`);
  });
});
