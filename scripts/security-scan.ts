/**
 * The security gate: pinned third-party scanners on everything Switchyard renders and on the CI workflows. Every
 * finding either is fixed or is waived in security/scanner-policy.yaml for named objects with a reason; anything
 * else fails the run with the scanner's own message, and so does a waiver that no longer matches anything.
 *
 *   kubeconform (strict schemas)       the Kubernetes objects of every rendered environment and example, against
 *                                      Kubernetes' OpenAPI and KEDA's CRDs
 *   kube-score, checkov (kubernetes)   the same objects
 *   checkov (terraform_plan)           the AWS resources of every rendered stack, converted to a Terraform plan (the
 *                                      Pulumi AWS provider is bridged from Terraform's: same resources, same fields)
 *   actionlint (with shellcheck)       .github/workflows
 *   zizmor (offline)                   .github/workflows
 *
 * The scanners come from scripts/scanners/install.sh (pinned, cached outside the checkout).
 *
 *   pnpm exec tsx scripts/security-scan.ts [--render-dir DIR] [--workflows DIR] [--policy FILE]
 *
 * Without --render-dir it renders every environment and example first (`switchyard render all`), and the variants
 * in security/render-variants.yaml (paths the committed configs do not take, e.g. creating the EKS cluster) and
 * security/optional-paths (the components' optional paths no environment takes: Karpenter, each weight strategy,
 * SharedServices replication). Exit status 0 when
 * nothing is left unwaived, 1 when something is, 2 when a scanner could not run.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { shortType } from "@switchyard/synth";
import { z } from "zod";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** One thing a scanner reports. */
export interface Finding {
  scanner: string;
  /** The scanner's rule id, e.g. `container-image-pull-policy`, `CKV_K8S_43`, `unpinned-uses`. */
  rule: string;
  /** What it is about: `<app.kubernetes.io/name>:<Kind>/<name>` for a Kubernetes object, `workflow:<file name>`. */
  target: string;
  /** Where it was found: the rendered environment or example, or the file and line. */
  where: string;
  /** The scanner's own words. */
  message: string;
}

const waiverSchema = z.strictObject({
  scanner: z.enum(["kubeconform", "kube-score", "checkov", "actionlint", "zizmor"]),
  rule: z.string().min(1),
  /** Globs (`*` = any run of characters) over finding targets. */
  targets: z.array(z.string().min(1)).min(1),
  reason: z.string().min(20, "say why the finding is accepted"),
});
const policySchema = z.strictObject({ waivers: z.array(waiverSchema) });
export type Waiver = z.infer<typeof waiverSchema>;

export function readPolicy(file: string): Waiver[] {
  const parsed = policySchema.safeParse(parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data.waivers;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*")}$`);
}

export interface Verdict {
  /** Findings no waiver covers: each fails the gate. */
  unwaived: Finding[];
  /** Findings a waiver covers, with that waiver's reason. */
  waived: (Finding & { reason: string })[];
  /** Waiver targets that matched no finding: stale entries fail the gate too. */
  stale: { waiver: Waiver; target: string }[];
}

export function applyPolicy(findings: Finding[], waivers: Waiver[]): Verdict {
  const used = new Set<string>();
  const unwaived: Finding[] = [];
  const waived: Verdict["waived"] = [];
  for (const finding of findings) {
    const match = waivers
      .flatMap((waiver, i) => waiver.targets.map((target, j) => ({ waiver, key: `${i}/${j}`, target })))
      .find(({ waiver, target }) => waiver.scanner === finding.scanner && waiver.rule === finding.rule && globToRegExp(target).test(finding.target));
    if (match === undefined) {
      unwaived.push(finding);
      continue;
    }
    used.add(match.key);
    waived.push({ ...finding, reason: match.waiver.reason });
  }
  const stale = waivers.flatMap((waiver, i) => waiver.targets.flatMap((target, j) => (used.has(`${i}/${j}`) ? [] : [{ waiver, target }])));
  return { unwaived, waived, stale };
}

// ---------------------------------------------------------------------------------------------------------------
// The rendered Kubernetes objects, and what each scanner says about them.

interface RenderedObject {
  file: string;
  /** The environment or example it was rendered for, e.g. `coreweave`, `examples/burst-overflow`. */
  where: string;
  target: string;
}

/** Rendered stacks (folders with a `resources.txt`, relative to the render directory) that hold AWS resources. */
function stackDirs(renderDir: string): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    const entries = readdirSync(dir).sort();
    if (entries.includes("resources.txt")) {
      if (entries.includes("aws")) found.push(path.relative(renderDir, dir));
      return;
    }
    for (const entry of entries) if (statSync(path.join(dir, entry)).isDirectory()) visit(path.join(dir, entry));
  };
  visit(renderDir);
  return found;
}

/** Every `kubernetes/*.yaml` under the render directory, named as waivers name them. */
export function renderedObjects(renderDir: string): RenderedObject[] {
  const objects: RenderedObject[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) visit(full);
      else if (path.basename(dir) === "kubernetes" && entry.endsWith(".yaml")) {
        const object = parse(readFileSync(full, "utf8")) as { kind: string; metadata: { name: string; labels?: Record<string, string> } };
        const component = object.metadata.labels?.["app.kubernetes.io/name"] ?? "-";
        objects.push({ file: full, where: path.relative(renderDir, path.dirname(dir)), target: `${component}:${object.kind}/${object.metadata.name}` });
      }
    }
  };
  visit(renderDir);
  return objects;
}

/** Looks a scanner's file back up among the rendered objects; a file that is not one is a bug in the gate. */
function objectLookup(scanner: string, objects: RenderedObject[]): (file: string) => RenderedObject {
  const byFile = new Map(objects.map((o) => [path.resolve(o.file), o]));
  return (file) => {
    const rendered = byFile.get(path.resolve(file));
    if (rendered === undefined) throw new Error(`${scanner} reported on ${file}, which is not a rendered object`);
    return rendered;
  };
}

const kubeconformReport = z.object({ resources: z.array(z.object({ filename: z.string(), status: z.string(), msg: z.string() })).nullable().optional() });

/** Objects kubeconform found invalid (`invalid`) or had no schema for (`no-schema`). Valid ones it does not list. */
export function kubeconformFindings(report: unknown, objects: RenderedObject[]): Finding[] {
  const objectAt = objectLookup("kubeconform", objects);
  return (kubeconformReport.parse(report).resources ?? [])
    .filter((r) => r.status !== "statusValid" && r.status !== "statusSkipped")
    .map((r) => {
      const rendered = objectAt(r.filename);
      const rule = r.status === "statusInvalid" ? "invalid" : r.msg.startsWith("could not find schema") ? "no-schema" : "error";
      return { scanner: "kubeconform", rule, target: rendered.target, where: rendered.where, message: r.msg };
    });
}

const kubeScoreReport = z.array(
  z.object({
    file_name: z.string(),
    checks: z.array(
      z.object({
        check: z.object({ id: z.string(), name: z.string() }),
        grade: z.number(),
        skipped: z.boolean(),
        comments: z.array(z.object({ path: z.string(), summary: z.string(), description: z.string() })).nullable(),
      }),
    ),
  }),
);

/** kube-score's critical (grade 1) and warning (grade 5) results, one finding per comment. */
export function kubeScoreFindings(report: unknown, objects: RenderedObject[]): Finding[] {
  const objectAt = objectLookup("kube-score", objects);
  return kubeScoreReport.parse(report).flatMap((object) => {
    const rendered = objectAt(object.file_name);
    return object.checks
      .filter((c) => !c.skipped && c.grade < 10)
      .flatMap((c) =>
        (c.comments ?? [{ path: "", summary: c.check.name, description: "" }]).map((comment) => ({
          scanner: "kube-score",
          rule: c.check.id,
          target: rendered.target,
          where: rendered.where,
          message: `${c.grade === 1 ? "CRITICAL" : "WARNING"} ${comment.path ? `(${comment.path}) ` : ""}${comment.summary}`,
        })),
      );
  });
}

const checkovReport = z.object({
  results: z.object({ failed_checks: z.array(z.object({ check_id: z.string(), check_name: z.string(), file_path: z.string(), resource: z.string() })) }),
});

/** checkov's failed checks; its file paths are relative to the scanned directory, with a leading `/`. */
export function checkovFindings(report: unknown, renderDir: string, objects: RenderedObject[]): Finding[] {
  const objectAt = objectLookup("checkov", objects);
  return checkovReport.parse(report).results.failed_checks.map((check) => {
    const rendered = objectAt(path.resolve(renderDir, `.${check.file_path}`));
    return { scanner: "checkov", rule: check.check_id, target: rendered.target, where: rendered.where, message: `${check.check_name} (${check.resource})` };
  });
}

const actionlintReport = z.array(z.object({ message: z.string(), filepath: z.string(), line: z.number(), kind: z.string() }));

export function actionlintFindings(report: unknown): Finding[] {
  return actionlintReport.parse(report).map((e) => ({ scanner: "actionlint", rule: e.kind, target: `workflow:${path.basename(e.filepath)}`, where: `line ${e.line}`, message: e.message }));
}

const zizmorReport = z.array(
  z.object({
    ident: z.string(),
    desc: z.string(),
    determinations: z.object({ severity: z.string() }),
    locations: z.array(z.object({ symbolic: z.object({ key: z.unknown(), annotation: z.string() }), concrete: z.object({ location: z.object({ start_point: z.object({ row: z.number() }) }) }) })),
  }),
);

export function zizmorFindings(report: unknown): Finding[] {
  return zizmorReport.parse(report).map((f) => {
    const first = f.locations[0];
    const file = JSON.stringify(first?.symbolic.key ?? "").match(/"(?:verbatim_path|given_path)":"([^"]+)"/)?.[1] ?? "workflow";
    return {
      scanner: "zizmor",
      rule: f.ident,
      target: `workflow:${path.basename(file)}`,
      where: first ? `line ${first.concrete.location.start_point.row + 1}` : "",
      message: `${f.determinations.severity}: ${f.desc}${first ? ` (${first.symbolic.annotation})` : ""}`,
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The rendered AWS resources, as the Terraform plan checkov reads.

/** Pulumi AWS types whose Terraform name is not `aws_<module>_<snake kind>`. */
const TERRAFORM_TYPE_EXCEPTIONS: Readonly<Record<string, string>> = {
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "aws_s3_bucket_replication_configuration",
  "aws:ec2/securityGroup:SecurityGroup": "aws_security_group",
  "aws:ec2/launchTemplate:LaunchTemplate": "aws_launch_template",
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "aws_iam_openid_connect_provider",
};
/** Map-typed attributes (plain maps in Terraform too); every other nested object is a Terraform block. */
const MAP_ATTRIBUTES = new Set(["tags", "tagsAll"]);

const snake = (name: string) => name.replace(/(?<!^)([A-Z])/g, "_$1").toLowerCase();

export function terraformType(pulumiType: string): string {
  const [, module = "", kind = ""] = pulumiType.split(":");
  return TERRAFORM_TYPE_EXCEPTIONS[pulumiType] ?? `aws_${module.split("/")[0]}_${snake(kind)}`;
}

/**
 * Pulumi inputs as Terraform plan values: snake_case names, a nested object as a one-element block list, and a
 * list of blocks under Terraform's singular block name (the bridge pluralises them: `rules` is Terraform's `rule`).
 */
export function terraformValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(terraformValues);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      if (MAP_ATTRIBUTES.has(key)) return [snake(key), v];
      if (v !== null && typeof v === "object" && !Array.isArray(v)) return [snake(key), [terraformValues(v)]];
      if (Array.isArray(v) && v.length > 0 && v.every((x) => x !== null && typeof x === "object")) return [snake(key).replace(/s$/, ""), terraformValues(v)];
      return [snake(key), terraformValues(v)];
    }),
  );
}

interface CloudResource {
  address: string;
  target: string;
  where: string;
}

/**
 * A Terraform plan (format 1.2) of the stack's rendered `aws/*.json`, with the references between resources that
 * checkov's graph checks follow (versioning, encryption or a policy declared beside a bucket): an input holding
 * another resource's id (`<name>-id` under the mocks) or a placeholder naming it refers to that resource.
 */
export function terraformPlan(stackDir: string, where: string): { plan: unknown; resources: CloudResource[] } {
  const dir = path.join(stackDir, "aws");
  const rendered = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")) as { type: string; name: string; inputs: Record<string, unknown> });
  const address = (r: { type: string; name: string }) => `${terraformType(r.type)}.${r.name.replace(/[^A-Za-z0-9_]/g, "_")}`;
  const byName = new Map(rendered.map((r) => [r.name, address(r)]));
  const referenceOf = (v: unknown): string | undefined => {
    if (typeof v !== "string") return undefined;
    const name = v.endsWith("-id") ? v.slice(0, -3) : /^<\S+ ([^.]+)\.\w+>$/.exec(v)?.[1];
    return name === undefined ? undefined : byName.get(name);
  };
  const resources = rendered.map((r) => ({ address: address(r), target: `${shortType(r.type)}/${r.name}`, where }));
  const planned = rendered.map((r) => ({ address: address(r), mode: "managed", type: terraformType(r.type), name: address(r).split(".")[1], provider_name: "registry.terraform.io/hashicorp/aws", values: terraformValues(r.inputs) }));
  const configured = rendered.map((r) => {
    const expressions: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(r.inputs)) {
      const refs = (Array.isArray(v) ? v : [v]).map(referenceOf).filter((x): x is string => x !== undefined);
      if (refs.length > 0) expressions[snake(key)] = { references: refs.flatMap((ref) => [`${ref}.id`, ref]) };
    }
    return { address: address(r), mode: "managed", type: terraformType(r.type), name: address(r).split(".")[1], provider_config_key: "aws", expressions };
  });
  const plan = {
    format_version: "1.2",
    terraform_version: "1.9.0",
    planned_values: { root_module: { resources: planned } },
    resource_changes: planned.map((p) => ({ address: p.address, mode: p.mode, type: p.type, name: p.name, change: { actions: ["create"], before: null, after: p.values } })),
    configuration: { root_module: { resources: configured } },
  };
  return { plan, resources };
}

export function checkovPlanFindings(report: unknown, resources: CloudResource[]): Finding[] {
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  return checkovReport.parse(report).results.failed_checks.map((check) => {
    const resource = byAddress.get(check.resource);
    if (resource === undefined) throw new Error(`checkov reported on ${check.resource}, which is not a rendered resource`);
    return { scanner: "checkov", rule: check.check_id, target: resource.target, where: resource.where, message: check.check_name };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Running the scanners.

interface Options {
  renderDir?: string;
  workflows: string;
  policy: string;
}

function options(argv: string[]): Options {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    renderDir: value("--render-dir"),
    workflows: value("--workflows") ?? path.join(ROOT, ".github", "workflows"),
    policy: value("--policy") ?? path.join(ROOT, "security", "scanner-policy.yaml"),
  };
}

class ScannerError extends Error {}

/** Runs a scanner and returns its stdout; `okStatuses` are the exit codes that mean "ran" (with or without findings). */
function run(command: string, args: string[], okStatuses: number[], env: Record<string, string> = {}): string {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } });
  if (result.error || !okStatuses.includes(result.status ?? -1)) {
    throw new ScannerError(`${path.basename(command)} ${args.join(" ")} failed (${result.error?.message ?? `exit status ${result.status}`}):\n${result.stderr.slice(-2000)}`);
  }
  return result.stdout;
}

/** Installs the pinned scanners (scripts/scanners/install.sh) and returns their directory (bin/, schemas/). */
export function installScanners(): string {
  // Its progress (a cold install builds three Go tools and a venv) goes straight to our stderr.
  const script = path.join(ROOT, "scripts", "scanners", "install.sh");
  const result = spawnSync("bash", [script], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (result.status !== 0) throw new ScannerError(`${script} failed (exit status ${result.status}; its message is above)`);
  return result.stdout.trim().split("\n").pop()!;
}

const variantsSchema = z.strictObject({
  variants: z.array(
    z.strictObject({
      name: z.string().regex(/^[a-z0-9-]+$/),
      environment: z.enum(["coreweave", "lambda", "aws", "gcp"]),
      why: z.string().min(10),
      set: z.record(z.string(), z.unknown()).optional(),
      remove: z.array(z.string()).optional(),
      withoutSecrets: z.array(z.string()).optional(),
    }),
  ),
});

/**
 * Every environment and example (`switchyard render all`), plus the variants in security/render-variants.yaml
 * under `variants/<name>`: the paths the committed configs do not take.
 */
async function render(): Promise<string> {
  const out = mkdtempSync(path.join(tmpdir(), "switchyard-scan-"));
  run(process.execPath, [path.join(ROOT, "packages", "cli", "bin", "switchyard.mjs"), "render", "all", "--out", out], [0]);
  const { variants } = variantsSchema.parse(parse(readFileSync(path.join(ROOT, "security", "render-variants.yaml"), "utf8")));
  // Loaded only here: it brings the Pulumi SDK and every environment program.
  const { renderEnvironmentVariant, renderExample, writeTarget } = await import("@switchyard/cli/src/render-stacks");
  for (const v of variants) {
    const rendered = await renderEnvironmentVariant(v.environment, `variants/${v.name}`, v);
    writeTarget(path.join(out, "variants", v.name), rendered.files);
  }
  // The components' optional paths no environment takes (Karpenter, each weight strategy, replication).
  writeTarget(path.join(out, "variants", "optional-paths"), (await renderExample(path.join(ROOT, "security", "optional-paths"))).files);
  return out;
}

/** Runs every scanner; `home` is what scripts/scanners/install.sh printed (its bin/ and schemas/). */
export function scan(home: string, renderDir: string, workflows: string): Finding[] {
  const bin = path.join(home, "bin");
  const tool = (name: string) => path.join(bin, name);
  const objects = renderedObjects(renderDir);
  if (objects.length === 0) throw new ScannerError(`no rendered Kubernetes objects under ${renderDir}`);
  const findings: Finding[] = [];
  const schemaLocation = path.join(home, "schemas", "{{ .ResourceKind }}{{ .KindSuffix }}.json");
  const kubeconform = run(tool("kubeconform"), ["-output", "json", "-schema-location", schemaLocation, ...objects.map((o) => o.file)], [0, 1]);
  findings.push(...kubeconformFindings(JSON.parse(kubeconform), objects));
  // kube-score scores the objects of one stack together (selectors, NetworkPolicies and PDBs refer to each other).
  for (const where of [...new Set(objects.map((o) => o.where))]) {
    const files = objects.filter((o) => o.where === where).map((o) => o.file);
    findings.push(...kubeScoreFindings(JSON.parse(run(tool("kube-score"), ["score", "--output-format", "json", ...files], [0, 1])), objects));
  }
  // --skip-download and BC_SKIP_MAPPING: offline, nothing fetched from the vendor's API.
  const checkov = run(tool("checkov"), ["-d", renderDir, "--framework", "kubernetes", "-o", "json", "--skip-download", "--soft-fail", "--quiet"], [0], { BC_SKIP_MAPPING: "TRUE" });
  findings.push(...checkovFindings(JSON.parse(checkov), renderDir, objects));
  // AWS resources, one Terraform plan per rendered stack that has any.
  const planDir = mkdtempSync(path.join(tmpdir(), "switchyard-plan-"));
  try {
    for (const where of stackDirs(renderDir)) {
      const stackDir = path.join(renderDir, where);
      const { plan, resources } = terraformPlan(stackDir, where);
      const planFile = path.join(planDir, `${where.replace(/\//g, "_")}.json`);
      writeFileSync(planFile, JSON.stringify(plan));
      const report = run(tool("checkov"), ["-f", planFile, "--framework", "terraform_plan", "-o", "json", "--skip-download", "--soft-fail", "--quiet"], [0], { BC_SKIP_MAPPING: "TRUE" });
      findings.push(...checkovPlanFindings(JSON.parse(report), resources));
    }
  } finally {
    rmSync(planDir, { recursive: true, force: true });
  }
  const workflowFiles = readdirSync(workflows).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(workflows, f));
  // actionlint runs shellcheck on every `run:` script when shellcheck is on PATH: it is, from the same bin/.
  const actionlint = run(tool("actionlint"), ["-format", "{{json .}}", ...workflowFiles], [0, 1], { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` });
  findings.push(...actionlintFindings(JSON.parse(actionlint || "[]")));
  const zizmor = run(tool("zizmor"), ["--offline", "--format", "json", "--no-progress", ...workflowFiles], [0, 10, 11, 12, 13, 14]);
  findings.push(...zizmorFindings(JSON.parse(zizmor)));
  return findings;
}

async function main(): Promise<number> {
  const o = options(process.argv.slice(2));
  let renderDir = o.renderDir;
  try {
    const waivers = readPolicy(o.policy);
    const home = installScanners();
    renderDir ??= await render();
    const verdict = applyPolicy(scan(home, renderDir, o.workflows), waivers);
    const counts = (list: { scanner: string }[]) => ["kubeconform", "kube-score", "checkov", "actionlint", "zizmor"].map((s) => `${s} ${list.filter((f) => f.scanner === s).length}`).join(", ");
    console.log(`security scan: ${verdict.waived.length} findings waived by ${path.relative(ROOT, o.policy)} (${counts(verdict.waived)})`);
    for (const f of verdict.unwaived) console.log(`NOT WAIVED ${f.scanner} ${f.rule} ${f.target} [${f.where}]: ${f.message}`);
    for (const s of verdict.stale) console.log(`STALE WAIVER ${s.waiver.scanner} ${s.waiver.rule} ${s.target}: matches no finding; remove it`);
    console.log(`security scan: ${verdict.unwaived.length} findings not waived (${counts(verdict.unwaived)}), ${verdict.stale.length} stale waivers`);
    return verdict.unwaived.length + verdict.stale.length === 0 ? 0 : 1;
  } catch (error) {
    console.error(`security scan: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    if (o.renderDir === undefined && renderDir !== undefined) rmSync(renderDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main().then((status) => process.exit(status));
