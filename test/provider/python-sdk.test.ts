/**
 * The components from Python, with the real engine: `pulumi package gen-sdk` (the CLI built by
 * scripts/engine/build-pulumi.sh) writes the Python SDK from the checked-in packages/provider/schema.json; the Pulumi
 * Python SDK from PyPI (scripts/python-sdk/venv.sh, pinned by hash) runs test/provider/preview.py, an Automation API
 * inline program declaring a GpuNodePool, a VllmServing on its placement and a LiteLLMGatewayConfig over its backend;
 * the engine starts the `switchyard` plugin (packages/provider/bin/pulumi-resource-switchyard) to construct them, and
 * the kubernetes provider previews their objects against a real control plane (scripts/engine/build-kube.sh).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeClient, ensureControlPlaneBuild, startControlPlane } from "../engine/control-plane";
import type { ControlPlane } from "../engine/control-plane";
import { installCoreWeaveNodePoolCrd } from "../engine/coreweave-crd";
import { pulumiEngine } from "../engine/pulumi";
import type { PulumiEngine } from "../engine/pulumi";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
const PROVIDER_BIN = path.join(REPO_ROOT, "packages/provider/bin");
const BUILD_MS = 45 * 60_000;
// The secret config preview.py sets (keys, passwords): none may show in a planned input.
const SECRET_VALUES = ["sk-vllm-python-test-0123456789abcdef", "sk-master-python-test-0123456789abcdef", "salt-python-test-0123456789abcdef", "redis-python-test-0123456789abcdef"];

interface Step {
  op: string;
  type: string;
  urn: string;
  parent: string;
  inputs: Record<string, unknown>;
}
interface PreviewResult {
  ok: boolean;
  changeSummary?: Record<string, number>;
  error?: string;
  steps: Step[];
}

let engine: PulumiEngine;
let cp: ControlPlane;
let workDir: string;
let python: string;
let sdkDir: string;
/** Where the generated SDK is pip-installed (its metadata is what the SDK reads its version from). */
let sitePackages: string;

function engineEnv(): Record<string, string> {
  return { ...engine.env, PATH: `${PROVIDER_BIN}:${engine.env["PATH"]}` };
}

function preview(scenario: string): PreviewResult {
  const projectDir = mkdtempSync(path.join(workDir, `${scenario}-`));
  const result = spawnSync(python, [path.join(import.meta.dirname, "preview.py"), scenario, projectDir], {
    env: { ...process.env, ...engineEnv(), PYTHONPATH: sitePackages, KUBECONFIG_FILE: cp.kubeconfigPath },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`preview.py ${scenario} exited ${result.status}:\n${result.stderr}`);
  return JSON.parse(result.stdout) as PreviewResult;
}

const nameOf = (urn: string) => urn.split("::").pop()!;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "switchyard-python-"));
  const venv = execFileSync("bash", [path.join(REPO_ROOT, "scripts/python-sdk/venv.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  python = path.join(venv, "venv", "bin", "python");
  const [build, built] = await Promise.all([ensureControlPlaneBuild(), pulumiEngine()]);
  engine = built;
  cp = await startControlPlane({ ...build, workDir: path.join(workDir, "control-plane") });
  const kube = KubeClient.fromKubeconfig(cp.kubeconfigPath);
  await installCoreWeaveNodePoolCrd(kube);
  for (const namespace of ["inference", "gateway"]) await kube.ok("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });

  sdkDir = path.join(workDir, "sdk");
  const schema = path.join(REPO_ROOT, "packages/provider/schema.json");
  execFileSync("pulumi", ["package", "gen-sdk", schema, "--language", "python", "--out", sdkDir], { env: { ...process.env, ...engineEnv() }, stdio: ["ignore", "inherit", "inherit"] });
  // As `pulumi package add` would, but into a directory of the test's own: the cached venv stays as its lock made it.
  sitePackages = path.join(workDir, "site-packages");
  const pipArgs = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--no-index", "--no-build-isolation", "--target", sitePackages, path.join(sdkDir, "python")];
  execFileSync(python, pipArgs, { stdio: ["ignore", "inherit", "inherit"] });
}, BUILD_MS);

afterAll(async () => {
  await cp?.stop();
  for (const dir of [workDir, engine?.backendDir]) if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("the components from a Python program (Automation API, real engine, real control plane)", () => {
  it("pulumi package gen-sdk writes a Python package with the three components and the plugin's name and version", () => {
    const pkg = path.join(sdkDir, "python", "pulumi_switchyard");
    for (const file of ["gpu_node_pool.py", "vllm_serving.py", "lite_llm_gateway_config.py", "_enums.py", "_inputs.py", "outputs.py"]) expect(existsSync(path.join(pkg, file)), file).toBe(true);
    expect(JSON.parse(readFileSync(path.join(pkg, "pulumi-plugin.json"), "utf8"))).toEqual({ resource: true, name: "switchyard", version: "0.1.0" });
  });

  it("the plugin serves the checked-in schema: the CLI reads the same package from either", () => {
    const getSchema = (source: string) => execFileSync("pulumi", ["package", "get-schema", source], { env: { ...process.env, ...engineEnv() }, encoding: "utf8", cwd: workDir });
    const fromPlugin = JSON.parse(getSchema(path.join(PROVIDER_BIN, "pulumi-resource-switchyard"))) as { name: string; version: string; resources: Record<string, unknown> };
    expect(fromPlugin).toEqual(JSON.parse(getSchema(path.join(REPO_ROOT, "packages/provider/schema.json"))));
    expect([fromPlugin.name, fromPlugin.version, Object.keys(fromPlugin.resources).length]).toEqual(["switchyard", "0.1.0", 3]);
  });

  it("previews the pool, vLLM on its placement and the gateway over its backend, each component's objects inside it", () => {
    const result = preview("fleet");
    expect(result.error).toBeUndefined();
    const components = result.steps.filter((s) => s.type.startsWith("switchyard:"));
    expect(components.map((s) => `${s.type} ${nameOf(s.urn)}`).sort()).toEqual([
      "switchyard:index:GpuNodePool h100",
      "switchyard:index:LiteLLMGatewayConfig gateway",
      "switchyard:index:VllmServing llama-8b",
    ]);
    const childrenOf = (name: string) =>
      result.steps
        .filter((s) => s.parent !== "" && nameOf(s.parent) === name)
        .map((s) => `${s.type} ${nameOf(s.urn)}`)
        .sort();
    expect(childrenOf("h100")).toEqual(["kubernetes:compute.coreweave.com/v1alpha1:NodePool h100-nodepool"]);
    expect(childrenOf("llama-8b")).toEqual([
      "kubernetes:apps/v1:Deployment llama-8b-vllm",
      "kubernetes:core/v1:Secret llama-8b-api-key",
      "kubernetes:core/v1:Service llama-8b-svc",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy llama-8b-netpol",
      "kubernetes:policy/v1:PodDisruptionBudget llama-8b-pdb",
    ]);
    expect(childrenOf("gateway")).toEqual([
      "kubernetes:apps/v1:Deployment gateway-proxy",
      "kubernetes:core/v1:ConfigMap gateway-config",
      "kubernetes:core/v1:Secret gateway-backend-keys",
      "kubernetes:core/v1:Secret gateway-credentials",
      "kubernetes:core/v1:Service gateway-svc",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy gateway-netpol",
      "kubernetes:policy/v1:PodDisruptionBudget gateway-pdb",
    ]);
    // The engine started the switchyard plugin at the SDK's version.
    expect(result.steps.filter((s) => s.type === "pulumi:providers:switchyard").map((s) => nameOf(s.urn))).toEqual(["default_0_1_0"]);

    // What Python declared reached the objects: the pool's instance type and bounds, vLLM on the pool's nodes.
    const nodePool = result.steps.find((s) => s.type === "kubernetes:compute.coreweave.com/v1alpha1:NodePool")!;
    expect(nodePool.inputs["spec"]).toMatchObject({ instanceType: "gd-8xh100ib-i128", minNodes: 1, maxNodes: 2 });
    const vllm = result.steps.find((s) => s.type === "kubernetes:apps/v1:Deployment" && nameOf(s.parent) === "llama-8b")!;
    // On the pool's nodes: the pod selects the NodePool's labels and tolerates its taints (from the resolved placement).
    const poolSpec = nodePool.inputs["spec"] as { nodeLabels: Record<string, string>; nodeTaints: { key: string; value: string; effect: string }[] };
    const podSpec = (vllm.inputs["spec"] as { template: { spec: { nodeSelector: Record<string, string>; tolerations: { key: string; value?: string; effect?: string }[] } } }).template.spec;
    expect(podSpec.nodeSelector).toEqual(poolSpec.nodeLabels);
    expect(poolSpec.nodeLabels).toEqual({ "switchyard.dev/pool": "h100" });
    for (const taint of poolSpec.nodeTaints) expect(podSpec.tolerations).toContainEqual(expect.objectContaining(taint));
    expect((vllm.inputs["spec"] as { replicas: number }).replicas).toBe(2);
    // The gateway routes to the backend VllmServing output: its ConfigMap names the model group.
    const configMap = result.steps.find((s) => s.type === "kubernetes:core/v1:ConfigMap" && nameOf(s.parent) === "gateway")!;
    expect(JSON.stringify(configMap.inputs["data"])).toContain("llama-8b");
    // Every step is a create (providers are not counted in the summary), and no secret the program set is in the clear.
    expect(result.changeSummary).toEqual({ create: result.steps.filter((s) => s.op === "create" && !s.type.startsWith("pulumi:providers:")).length });
    expect(result.changeSummary?.["create"]).toBe(17);
    for (const value of SECRET_VALUES) expect(JSON.stringify(result)).not.toContain(value);
  });

  it("refuses a misspelt region with the library's own message, naming the property, and plans nothing for the pool", () => {
    const result = preview("bad-region");
    expect(result.ok).toBe(false);
    // The engine's own report of a property error, with the library's fix.
    expect(result.error).toContain(`property region with value "US-EAST-4A" has a problem: region ("US-EAST-4A") is not among the CoreWeave regions the catalog lists; did you mean "US-EAST-04A"`);
    expect(result.error).toContain("set allowUnlistedRegion: true");
    expect(result.steps.filter((s) => s.type.startsWith("kubernetes:compute.coreweave.com"))).toEqual([]);
  });
});
