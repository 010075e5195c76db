/**
 * The real engine on the stacks users run: `pulumi preview` of the coreweave and lambda stacks and of the
 * active-active example, and `pulumi up` of the coreweave stack, with the Pulumi CLI and the kubernetes provider
 * built from Go modules (scripts/engine/build-pulumi.sh), against a real control plane (etcd, kube-apiserver,
 * kube-scheduler, kube-controller-manager; scripts/engine/build-kube.sh) whose GPU nodes are kwok's, each carrying
 * what its planned NodePool declares (labels, taints, the instance's GPUs, CPUs, memory and local disk).
 *
 * Programs run inline through the Automation API (the Node.js language host is not served here); the CLI path users
 * run (`runtime: nodejs` in Pulumi.yaml) is not exercised. The first run builds both toolchains: 25+ minutes cold.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getInstanceType } from "@switchyard/catalog";
import { renderEnvironmentVariant, renderExample } from "@switchyard/cli/src/render-stacks";
import type { RenderedTarget } from "@switchyard/cli/src/render-stacks";
import { runEnvironment } from "@switchyard/environments/main";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sleep } from "../gateway/proxy";
import { KubeClient, addNodes, ensureControlPlaneBuild, startControlPlane } from "./control-plane";
import type { ControlPlane, FakeNode } from "./control-plane";
import { coreweaveNodePoolCrd } from "./coreweave-crd";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { collectEvents, inlineStack, pulumiEngine, stackFileConfig } from "./pulumi";
import type { ConfigEntry, PulumiEngine } from "./pulumi";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
const KEY_SEED = "engine-test-key-seed-0123456789abcdef";
const BUILD_MS = 45 * 60_000;

let engine: PulumiEngine;
let cp: ControlPlane;
let kube: KubeClient;
let workDir: string;

interface CoreWeaveNodePool {
  metadata: { name: string };
  spec: { instanceType: string; targetNodes: number; minNodes?: number; nodeLabels?: Record<string, string>; nodeTaints?: FakeNode["taints"] };
}

/** What CKS would run for each planned NodePool: its target (or minimum) node count, as kwok nodes. */
function nodesFor(rendered: RenderedTarget): FakeNode[] {
  const pools = rendered.files.filter((f) => /NodePool-.*\.yaml$/.test(f.path)).map((f) => parse(f.content) as CoreWeaveNodePool);
  return pools.flatMap((p) => {
    const instance = getInstanceType("coreweave", p.spec.instanceType);
    const count = Math.max(p.spec.targetNodes, p.spec.minNodes ?? 0);
    return Array.from({ length: count }, (_, i) => ({
      name: `${p.metadata.name}-${i}`,
      labels: p.spec.nodeLabels ?? {},
      taints: p.spec.nodeTaints ?? [],
      capacity: { cpu: instance.vcpus, memory: `${instance.memoryGiB}Gi`, "nvidia.com/gpu": instance.gpusPerNode, pods: 110, "ephemeral-storage": `${instance.localNvmeGiB ?? 0}Gi` },
    }));
  });
}

/** resources.txt of a render: one `[parent > ]type name` line per resource. */
function renderedLines(rendered: RenderedTarget): string[] {
  return rendered.files.find((f) => f.path === "resources.txt")!.content.trim().split("\n").sort();
}

function coreweaveConfig(overrides: Record<string, ConfigEntry> = {}): Record<string, ConfigEntry> {
  return {
    ...stackFileConfig(path.join(REPO_ROOT, "environments/Pulumi.coreweave.yaml")),
    "switchyard:kubeconfig": { value: cp.kubeconfig, secret: true },
    "switchyard:keySeed": { value: KEY_SEED, secret: true },
    "switchyard:createNamespace": { value: true },
    ...overrides,
  };
}

interface Pod {
  metadata: { name: string; labels: Record<string, string>; deletionTimestamp?: string };
  spec: { nodeName?: string; nodeSelector?: Record<string, string>; containers: { image: string }[] };
  status: { phase?: string; conditions?: { type: string; status: string }[] };
}

async function pods(namespace: string): Promise<Pod[]> {
  return (await kube.ok<{ items: Pod[] }>("GET", `/api/v1/namespaces/${namespace}/pods`)).items;
}

/**
 * Ready and not terminating: what a Service routes to. A replaced pod keeps its Ready condition while it terminates
 * (kwok deletes it after its grace period), but its endpoint is already marked terminating.
 */
const serving = (p: Pod) => p.metadata.deletionTimestamp === undefined && (p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false);

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "switchyard-engine-"));
  const [build, built] = await Promise.all([ensureControlPlaneBuild(), pulumiEngine()]);
  engine = built;
  cp = await startControlPlane({ ...build, workDir });
  kube = KubeClient.fromKubeconfig(cp.kubeconfigPath);
  await kube.ok("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", coreweaveNodePoolCrd());
  for (;;) {
    const crd = await kube.ok<{ status?: { conditions?: { type: string; status: string }[] } }>("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/nodepools.compute.coreweave.com");
    // Established, and its storage serving (a list answers 429 "storage is (re)initializing" for a moment after).
    if (crd.status?.conditions?.some((c) => c.type === "Established" && c.status === "True") && (await kube.request("GET", "/apis/compute.coreweave.com/v1alpha1/nodepools")).status === 200) break;
    await sleep(200);
  }
}, BUILD_MS);

afterAll(async () => {
  await cp?.stop();
  for (const dir of [workDir, engine?.backendDir]) if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("the coreweave stack under the real engine, on a real control plane", () => {
  let rendered: RenderedTarget;
  /** The fixed tiers' replicas: Deployments with a replica count (the others' scalers own theirs). */
  let fixedReplicas: number;
  beforeAll(async () => {
    rendered = await renderEnvironmentVariant("coreweave", "coreweave", { set: { createNamespace: true } });
    fixedReplicas = rendered.files.filter((f) => /Deployment-.*\.yaml$/.test(f.path)).reduce((a, f) => a + ((parse(f.content) as { spec: { replicas?: number } }).spec.replicas ?? 0), 0);
    await addNodes(cp.kubeconfigPath, nodesFor(rendered));
  }, 120_000);

  it("stops before creating anything when its namespace is missing and the stack is not to create it", async () => {
    const stack = await inlineStack(engine, "switchyard", "coreweave-no-namespace", () => runEnvironment("coreweave"), coreweaveConfig({ "switchyard:createNamespace": { value: false }, "switchyard:namespace": { value: "not-created" } }));
    const events = collectEvents();
    await expect(stack.up({ onEvent: events.onEvent })).rejects.toThrow(/not-created/);
    const created = events.steps.filter((s) => s.op === "create" && s.declared && !s.line.startsWith("pulumi:providers:"));
    expect(created.map((s) => s.line)).toEqual([]);
    expect((await kube.ok<{ items: unknown[] }>("GET", "/apis/compute.coreweave.com/v1alpha1/nodepools")).items).toEqual([]);
    await stack.workspace.removeStack(stack.name, { force: true });
  }, 600_000);

  it("previews with no error or warning, and plans exactly the resources `switchyard render` writes", async () => {
    const stack = await inlineStack(engine, "switchyard", "coreweave", () => runEnvironment("coreweave"), coreweaveConfig());
    const events = collectEvents();
    const preview = await stack.preview({ onEvent: events.onEvent });
    expect(events.diagnostics).toEqual([]);
    const planned = events.steps.filter((s) => s.op === "create" && s.declared).map((s) => s.line).sort();
    expect(planned).toEqual(renderedLines(rendered));
    console.warn(`[engine] coreweave preview: ${JSON.stringify(preview.changeSummary)}`);
  }, 600_000);

  it("comes up: every object accepted, every fixed replica Ready on the pool the plan put it on", async () => {
    const stack = await inlineStack(engine, "switchyard", "coreweave", () => runEnvironment("coreweave"), coreweaveConfig());
    const started = Date.now();
    const up = await stack.up({ parallel: 64 });
    console.warn(`[engine] coreweave up: ${JSON.stringify(up.summary.resourceChanges)} in ${Math.round((Date.now() - started) / 1000)} s`);
    expect(up.summary.result).toBe("succeeded");
    const nodes = (await kube.ok<{ items: { metadata: { name: string; labels: Record<string, string> } }[] }>("GET", "/api/v1/nodes")).items;
    const poolOf = new Map(nodes.map((n) => [n.metadata.name, n.metadata.labels["switchyard.dev/pool"]]));
    // Each fixed replica serving (no node of the scaled tiers is up yet), on a node of its own pool.
    const running = (await pods("inference")).filter(serving);
    expect(fixedReplicas).toBeGreaterThan(0);
    expect(running.length).toBe(fixedReplicas);
    for (const p of running) expect(`${p.metadata.name} on ${poolOf.get(p.spec.nodeName!)}`).toBe(`${p.metadata.name} on ${p.spec.nodeSelector!["switchyard.dev/pool"]}`);
  }, 900_000);

  it("rolls a new image through pools the fixed replicas fill, then shows no change, then destroys everything", async () => {
    const image = "vllm/vllm-openai:v0.11.1";
    const stack = await inlineStack(engine, "switchyard", "coreweave", () => runEnvironment("coreweave"), coreweaveConfig({ "switchyard:vllmImage": { value: image } }));
    const up = await stack.up({ parallel: 64 });
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges?.["update"]).toBeGreaterThan(0);
    const after = (await pods("inference")).filter(serving);
    expect(after.length).toBe(fixedReplicas);
    for (const p of after) expect(`${p.metadata.name}: ${p.spec.containers[0]!.image}`).toBe(`${p.metadata.name}: ${image}`);

    const again = await stack.preview();
    expect(Object.keys(again.changeSummary)).toEqual(["same"]);

    const destroy = await stack.destroy({ parallel: 64 });
    expect(destroy.summary.result).toBe("succeeded");
    expect((await kube.request("GET", "/api/v1/namespaces/inference")).status).toBe(404);
    expect((await kube.ok<{ items: unknown[] }>("GET", "/apis/compute.coreweave.com/v1alpha1/nodepools")).items).toEqual([]);
  }, 600_000);
});

describe("previews under the real engine", () => {
  it("the lambda stack: no error or warning, exactly the resources `switchyard render` writes", async () => {
    const rendered = await renderEnvironmentVariant("lambda", "lambda", { set: { createNamespace: true } });
    const config: Record<string, ConfigEntry> = {
      ...stackFileConfig(path.join(REPO_ROOT, "environments/Pulumi.lambda.yaml")),
      "switchyard:kubeconfig": { value: cp.kubeconfig, secret: true },
      "switchyard:keySeed": { value: KEY_SEED, secret: true },
      "switchyard:lambdaApiKey": { value: "secret_engine-test", secret: true },
      "switchyard:clusterJoinToken": { value: "K10engine-test::server:abc", secret: true },
      "switchyard:createNamespace": { value: true },
    };
    const stack = await inlineStack(engine, "switchyard", "lambda", () => runEnvironment("lambda"), config);
    const events = collectEvents();
    await stack.preview({ onEvent: events.onEvent });
    expect(events.diagnostics).toEqual([]);
    expect(events.steps.filter((s) => s.op === "create" && s.declared).map((s) => s.line).sort()).toEqual(renderedLines(rendered));
  }, 600_000);

  it("the active-active example: no error or warning, exactly the resources `switchyard render` writes", async () => {
    const dir = path.join(REPO_ROOT, "examples/active-active");
    const rendered = await renderExample(dir);
    const project = "switchyard-active-active";
    const secret = (value: string): ConfigEntry => ({ value, secret: true });
    const config: Record<string, ConfigEntry> = {
      ...stackFileConfig(path.join(dir, "Pulumi.dev.yaml")),
      [`${project}:kubeconfig`]: secret(cp.kubeconfig),
      [`${project}:coreweaveKubeconfig`]: secret(cp.kubeconfig),
      [`${project}:lambdaKubeconfig`]: secret(cp.kubeconfig),
      [`${project}:lambdaApiKey`]: secret("secret_engine-test"),
      [`${project}:clusterJoinToken`]: secret("K10engine-test::server:abc"),
      [`${project}:hostedApiKey`]: secret("sk-engine-test"),
      [`${project}:redisPassword`]: secret("engine-test-redis"),
      [`${project}:keySeed`]: secret(KEY_SEED),
    };
    const program = ((await import(path.join(dir, "index.ts"))) as { default: () => unknown }).default;
    const stack = await inlineStack(engine, project, "dev", program, config);
    const events = collectEvents();
    await stack.preview({ onEvent: events.onEvent });
    expect(events.diagnostics).toEqual([]);
    expect(events.steps.filter((s) => s.op === "create" && s.declared).map((s) => s.line).sort()).toEqual(renderedLines(rendered));
  }, 600_000);
});

describe("switchyard render on a stack config the real CLI encrypted", () => {
  it("reads what `pulumi config set --secret` wrote as a placeholder, never the ciphertext nor a demand for plain text", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "switchyard-config-"));
    try {
      writeFileSync(path.join(dir, "Pulumi.yaml"), "name: switchyard\nruntime: nodejs\n");
      copyFileSync(path.join(REPO_ROOT, "environments/Pulumi.coreweave.yaml"), path.join(dir, "Pulumi.coreweave-config.yaml"));
      const workspace = await LocalWorkspace.create({ workDir: dir, pulumiCommand: engine.command, envVars: engine.env, secretsProvider: "passphrase" });
      await workspace.createStack("coreweave-config");
      await workspace.setConfig("coreweave-config", "switchyard:kubeconfig", { value: cp.kubeconfig, secret: true });
      const written = (parse(readFileSync(path.join(dir, "Pulumi.coreweave-config.yaml"), "utf8")) as { config: Record<string, unknown> }).config["switchyard:kubeconfig"] as { secure: string };
      expect(written.secure).toMatch(/^v1:/);
      const rendered = await renderEnvironmentVariant("coreweave", "coreweave", { set: { kubeconfig: written } });
      const files = new Map(rendered.files.map((f) => [f.path, f.content]));
      expect(files.get("providers/kubernetes-cluster.json")).toContain('"kubeconfig": "[secret]"');
      for (const [file, content] of files) {
        expect(content, file).not.toContain(written.secure);
        expect(content, file).not.toContain("client-key-data");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
