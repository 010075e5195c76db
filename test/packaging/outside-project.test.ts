/**
 * The published packages as a user gets them: each packed with `pnpm pack` (its prepack builds `dist/`), the
 * tarballs installed with npm into a new project outside the workspace made like `pulumi new typescript` (Pulumi's
 * template tsconfig, @pulumi/pulumi, typescript), and there a program using the planner, the catalog and every
 * component type-checked, then synthesized under Pulumi's mocks on plain Node 22 and under Pulumi's TypeScript
 * runtime (ts-node, as `pulumi up` runs index.ts).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
const PUBLISHED = ["catalog", "planner", "components", "cli"] as const;
const LIBRARIES = ["catalog", "planner", "components"] as const;
// npm resolves the tarballs' dependency ranges as of this day, so the install is the same on every run.
const RESOLVE_AS_OF = "2026-12-01";

const env = { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env["PATH"] ?? ""}` };
const workspaceVersion = (pkg: string, dep: string) => {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, pkg, "package.json"), "utf8")) as Record<string, Record<string, string>>;
  return (manifest["dependencies"]?.[dep] ?? manifest["devDependencies"]![dep]!).replace(/^\^/, "");
};

let dir: string;
let project: string;
const tarballs = new Map<string, string>();

function run(command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}) {
  const result = spawnSync(command, args, { cwd, env: { ...env, ...extraEnv }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  // npx's own notices (an npm_config_* it does not know, set for pnpm, say) are the environment's, not the command's.
  const stderr = command === "npx" ? result.stderr.replace(/^npm warn .*\n/gm, "") : result.stderr;
  return { status: result.status, stdout: result.stdout, stderr };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "switchyard-outside-"));
  // The README's command: each package's prepack builds dist/, the tarballs land in out/packs/.
  const pack = run("pnpm", ["run", "--silent", "pack"], REPO_ROOT);
  if (pack.status !== 0) throw new Error(`pnpm run pack failed:\n${pack.stdout}${pack.stderr}`);
  const packs = path.join(REPO_ROOT, "out", "packs");
  expect(readdirSync(packs).sort()).toEqual(PUBLISHED.map((name) => `switchyard-${name}-0.1.0.tgz`).sort());
  for (const name of PUBLISHED) tarballs.set(name, path.join(packs, `switchyard-${name}-0.1.0.tgz`));
  project = path.join(dir, "project");
  mkdirSync(project);
  cpSync(path.join(import.meta.dirname, "consumer"), project, { recursive: true });
  cpSync(path.join(REPO_ROOT, "examples", "fleet.yaml"), path.join(project, "fleet.yaml"));
  cpSync(path.join(REPO_ROOT, "examples", "demand"), path.join(project, "demand"), { recursive: true });
  writeFileSync(path.join(project, "Pulumi.yaml"), "name: outside\nruntime: nodejs\n");
  writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify(
      {
        name: "outside",
        main: "index.ts",
        devDependencies: { "@types/node": workspaceVersion(".", "@types/node"), typescript: workspaceVersion(".", "typescript") },
        dependencies: {
          "@pulumi/pulumi": workspaceVersion("packages/components", "@pulumi/pulumi"),
          ...Object.fromEntries(PUBLISHED.map((name) => [`@switchyard/${name}`, `file:${tarballs.get(name)!}`])),
        },
      },
      null,
      2,
    ),
  );
  const install = run("npm", ["install", "--no-audit", "--no-fund", `--before=${RESOLVE_AS_OF}`], project);
  if (install.status !== 0) throw new Error(`npm install of the packed tarballs failed:\n${install.stderr}`);
}, 900_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const tarballEntries = (name: string) => execFileSync("tar", ["tzf", tarballs.get(name)!], { encoding: "utf8" }).trim().split("\n").sort();
const packedManifest = (name: string) => JSON.parse(execFileSync("tar", ["xzOf", tarballs.get(name)!, "package/package.json"], { encoding: "utf8" })) as Record<string, unknown>;

describe("the packed tarballs", () => {
  it.each(PUBLISHED)("@switchyard/%s holds its ESM bundle, declarations, source map, README and licence: no sources, no tests", (name) => {
    const built = {
      catalog: ["index.d.mts", "index.mjs", "index.mjs.map"],
      planner: ["index.d.mts", "index.mjs", "index.mjs.map"],
      components: ["index.d.mts", "index.mjs", "index.mjs.map", "switchyard_guard.py"],
      cli: ["switchyard.mjs", "switchyard.mjs.map"],
    }[name];
    const entries = tarballEntries(name).filter((entry) => !/^package\/dist\/rolldown-runtime-[\w-]+\.mjs$/.test(entry));
    expect(entries).toEqual(["package/LICENSE", "package/README.md", "package/package.json", ...built.map((file) => `package/dist/${file}`)].sort());
  });

  it("@switchyard/cli names its bundle as the switchyard executable and depends on nothing unpublished", () => {
    const manifest = packedManifest("cli");
    expect(manifest["bin"]).toEqual({ switchyard: "./dist/switchyard.mjs" });
    expect(manifest["dependencies"]).toEqual({ "@switchyard/planner": "^0.1.0", "cli-table3": "^0.6.5", commander: "^15.1.0" });
    expect(manifest).not.toHaveProperty("private");
    expect(execFileSync("tar", ["tzvf", tarballs.get("cli")!], { encoding: "utf8" })).toMatch(/^-rwx.* package\/dist\/switchyard\.mjs$/m);
  });

  it.each(LIBRARIES)("@switchyard/%s points main, types and its exports map at dist/ and names versions, not workspace links", (name) => {
    const manifest = packedManifest(name);
    expect(manifest).toMatchObject({
      main: "./dist/index.mjs",
      types: "./dist/index.d.mts",
      exports: { ".": { types: "./dist/index.d.mts", default: "./dist/index.mjs" }, "./package.json": "./package.json" },
      license: "Apache-2.0",
    });
    expect(manifest).not.toHaveProperty("private");
    expect(JSON.stringify(manifest["dependencies"])).not.toContain("workspace:");
  });
});

/** @switchyard/components' runtime API: the components, their argument resolvers and enumerations, the wiring helpers. */
const COMPONENTS_API = [
  "AUTOSCALING_MODES", "DEFAULT_GPU_POOL_TAINT", "GPU_TAINT_KEY", "GpuNodePool", "LiteLLMGatewayConfig", "ModelWeightCache",
  "OBJECT_LOCK_MODES", "POOL_LABEL", "READER_IDENTITIES", "SharedServices", "VLLM_PORT", "VLLM_QUANTIZATIONS", "VllmServing",
  "WEIGHT_STRATEGIES", "derivedKey", "estimateWeightEgress", "gatewayPodLabels", "gatewayWakeQuery", "nodeDiskGiB",
  "renderLiteLLMConfig", "renderLiteLLMConfigYaml", "resolveGpuNodePoolArgs", "resolveLiteLLMGatewayArgs",
  "resolveModelWeightCacheArgs", "resolveSharedServicesArgs", "resolveVllmServingArgs", "vllmEphemeralStorageGiB",
];

/** Every resource the program registers, as `type name`: the stack, the five components and their children. */
const EXPECTED = [
  "pulumi:pulumi:Stack outside-dev",
  "switchyard:index:SharedServices shared",
  "aws:kms/key:Key shared-kms",
  "aws:kms/keyPolicy:KeyPolicy shared-kms-policy",
  "aws:budgets/budget:Budget shared-budget",
  ...["shared-weights", "shared-audit", "shared-access-logs"].flatMap((bucket) => [
    `aws:s3/bucket:Bucket ${bucket}`,
    `aws:s3/bucketOwnershipControls:BucketOwnershipControls ${bucket}-ownership`,
    `aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock ${bucket}-public-access`,
    `aws:s3/bucketVersioning:BucketVersioning ${bucket}-versioning`,
    `aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration ${bucket}-encryption`,
    `aws:s3/bucketPolicy:BucketPolicy ${bucket}-policy`,
    `aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration ${bucket}-lifecycle`,
  ]),
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration shared-audit-lock",
  "aws:s3/bucketLogging:BucketLogging shared-weights-logging",
  "aws:s3/bucketLogging:BucketLogging shared-audit-logging",
  "switchyard:index:GpuNodePool h100",
  "kubernetes:compute.coreweave.com/v1alpha1:NodePool h100-nodepool",
  "switchyard:index:ModelWeightCache llama-8b-weights",
  "kubernetes:apps/v1:DaemonSet llama-8b-weights-cache",
  "kubernetes:core/v1:ConfigMap llama-8b-weights-sync-config",
  "kubernetes:networking.k8s.io/v1:NetworkPolicy llama-8b-weights-sync-netpol",
  "switchyard:index:VllmServing llama-8b",
  "kubernetes:apps/v1:Deployment llama-8b-vllm",
  "kubernetes:core/v1:Service llama-8b-svc",
  "kubernetes:core/v1:Secret llama-8b-api-key",
  "kubernetes:policy/v1:PodDisruptionBudget llama-8b-pdb",
  "kubernetes:networking.k8s.io/v1:NetworkPolicy llama-8b-netpol",
  "switchyard:index:LiteLLMGatewayConfig gateway",
  "kubernetes:apps/v1:Deployment gateway-proxy",
  "kubernetes:core/v1:ConfigMap gateway-config",
  "kubernetes:core/v1:Service gateway-svc",
  "kubernetes:core/v1:Secret gateway-credentials",
  "kubernetes:core/v1:Secret gateway-backend-keys",
  "kubernetes:policy/v1:PodDisruptionBudget gateway-pdb",
  "kubernetes:networking.k8s.io/v1:NetworkPolicy gateway-netpol",
];

const synthEnv = { PULUMI_CONFIG: JSON.stringify({ "outside:keySeed": "0123456789abcdef0123456789abcdef" }), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(["outside:keySeed"]) };

function synthesize(args: string[]) {
  const result = run("node", ["synth.cjs", ...args], project, synthEnv);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as { registered: string[]; outputs: Record<string, unknown> };
}

function expectTheWholeStack(synthesis: { registered: string[]; outputs: Record<string, unknown> }) {
  expect([...synthesis.registered].sort()).toEqual([...EXPECTED].sort());
  expect(synthesis.outputs).toEqual({
    plannedMonthlyCostUsd: expect.any(Number),
    catalogCostPerHourUsd: expect.any(Number),
    contractCostPerHourUsd: 30,
    weightsBucket: "outside-weights",
    gatewayUrl: "http://gateway.gateway.svc.cluster.local:4000/v1",
  });
  expect(synthesis.outputs["plannedMonthlyCostUsd"]).toBeGreaterThan(0);
}

describe("a Pulumi TypeScript project outside the workspace, with the tarballs installed by npm", () => {
  it("imports each package by name and nothing deeper: @switchyard/components exports exactly its public API", () => {
    const names = (specifier: string) => {
      const listed = run("node", ["--input-type=module", "-e", `console.log(JSON.stringify(Object.keys(await import(${JSON.stringify(specifier)}))))`], project);
      expect(listed.stderr).toBe("");
      return JSON.parse(listed.stdout) as string[];
    };
    expect(names("@switchyard/components").sort()).toEqual(COMPONENTS_API);
    expect(names("@switchyard/planner")).toEqual(expect.arrayContaining(["plan", "simulate", "lowerBound", "loadFleetSpec", "parseFleetSpec"]));
    expect(names("@switchyard/catalog")).toEqual(expect.arrayContaining(["getInstanceType", "findInstanceType", "defineInstanceType", "nodeHourlyCost"]));
    // The exports map closes everything but the entry point, the way a user would reach for an internal module.
    const deep = run("node", ["-e", 'require("@switchyard/components/dist/index.mjs")'], project);
    expect(deep.stderr).toContain("ERR_PACKAGE_PATH_NOT_EXPORTED");
  });

  it("type-checks against the packages' declarations with Pulumi's template tsconfig (strict, no skipLibCheck)", () => {
    const tsc = run("npx", ["--no-install", "tsc", "-p", "."], project);
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  }, 300_000);

  it("type-checks with noUncheckedIndexedAccess and exactOptionalPropertyTypes on top", () => {
    const tsc = run("npx", ["--no-install", "tsc", "-p", ".", "--noEmit", "--noUncheckedIndexedAccess", "--exactOptionalPropertyTypes"], project);
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  }, 300_000);

  it("synthesizes every component from the compiled program on plain Node 22 (no TypeScript loader)", () => {
    // Compiled into bin/, the template's outDir (the type-check is the test above).
    const emit = run("npx", ["--no-install", "tsc", "-p", ".", "--noCheck"], project);
    expect(emit.stdout + emit.stderr).toBe("");
    expectTheWholeStack(synthesize(["bin/index.js"]));
  }, 120_000);

  it("synthesizes every component from index.ts under Pulumi's TypeScript runtime (ts-node, type-checked)", () => {
    expectTheWholeStack(synthesize(["index.ts", "--ts-node"]));
  }, 300_000);
});

describe("the switchyard CLI installed from its tarball, run with npx", () => {
  const switchyard = (args: string[], cwd = project) => run("npx", ["--no-install", "switchyard", ...args], cwd);

  it("prints its version", () => {
    expect(switchyard(["--version"])).toMatchObject({ status: 0, stdout: "0.1.0\n" });
  });

  it("plans a spec and diffs two plans, paths relative to the directory it runs in", () => {
    const sub = path.join(project, "team");
    mkdirSync(sub, { recursive: true });
    const planned = switchyard(["plan", "--spec", "../fleet.yaml", "--no-simulate", "--out", "plans/head.json"], sub);
    expect(planned.stderr).toBe("");
    expect(planned.status).toBe(0);
    expect(planned.stdout).toContain("Monthly cost vs single-cloud baseline");
    expect(JSON.parse(readFileSync(path.join(sub, "plans", "head.json"), "utf8"))).toMatchObject({ specName: expect.any(String) });
    const diff = switchyard(["cost-diff", "plans/head.json", "plans/head.json"], sub);
    expect(diff).toMatchObject({ status: 0, stderr: "" });
    expect(diff.stdout).toMatch(/^\|/m);
  });

  it("refuses render, which needs a checkout of the repository, and says where it runs", () => {
    const render = switchyard(["render"]);
    expect(render.status).toBe(2);
    expect(render.stderr).toBe("error: render synthesizes the stacks and examples of a Switchyard checkout, which the installed CLI does not carry; in a clone of the repository run: bash scripts/dev.sh render\n");
  });
});
