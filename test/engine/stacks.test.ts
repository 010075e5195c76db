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
import { KubeClient, addNodes, drainNode, ensureControlPlaneBuild, setUnschedulable, startControlPlane } from "./control-plane";
import type { ControlPlane, FakeNode } from "./control-plane";
import { installCoreWeaveNodePoolCrd } from "./coreweave-crd";
import { joinActiveInstances } from "./lambda-join";
import { FakeLambdaApi } from "../../packages/components/test/lambda/fake-lambda-api";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { collectEvents, inlineStack, pulumiEngine, stackFileConfig } from "./pulumi";
import type { ConfigEntry, PulumiEngine } from "./pulumi";
import type { Stack } from "@pulumi/pulumi/automation";

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

/**
 * The serving pods once a rollout has settled: the engine's Deployment await can return while the last replacement
 * pods are still turning Ready on kwok's nodes (a CI run saw 18 of 20) and while an old pod is still Ready and not yet
 * marked for deletion (a CI run saw one), so wait a bounded time for exactly `replicas` pods, all on `image`.
 */
async function servingAfterRollout(image: string, replicas: number): Promise<Pod[]> {
  const settled = (ready: Pod[]) => ready.length === replicas && ready.every((p) => p.spec.containers[0]!.image === image);
  let ready = (await pods("inference")).filter(serving);
  for (let i = 0; !settled(ready) && i < 480; i++) {
    await sleep(250);
    ready = (await pods("inference")).filter(serving);
  }
  return ready;
}

/**
 * Destroys what a failed test left behind, so the next stack starts on an empty cluster: the coreweave and lambda
 * stacks plan pools of the same names, so one stack's leftover pods would take the next one's nodes.
 */
async function destroyLeftovers(stack: Stack): Promise<void> {
  const state = (await stack.exportStack()) as { deployment?: { resources?: unknown[] } };
  if ((state.deployment?.resources?.length ?? 0) === 0) return;
  console.warn(`[engine] destroying what stack ${stack.name} left: ${state.deployment!.resources!.length} resources`);
  await stack.destroy({ parallel: 64 });
}

/** Each pod runs on a node of the pool its nodeSelector names (the pool the plan put it on). */
async function expectOnTheirPools(running: Pod[]): Promise<void> {
  const nodes = (await kube.ok<{ items: { metadata: { name: string; labels: Record<string, string> } }[] }>("GET", "/api/v1/nodes")).items;
  const poolOf = new Map(nodes.map((n) => [n.metadata.name, n.metadata.labels["switchyard.dev/pool"]]));
  for (const p of running) expect(`${p.metadata.name} on ${poolOf.get(p.spec.nodeName!)}`).toBe(`${p.metadata.name} on ${p.spec.nodeSelector!["switchyard.dev/pool"]}`);
}

/** Replicas the rendered Deployments ask for (in one namespace, or all): what must be serving after an up. */
function renderedReplicas(rendered: RenderedTarget, namespace?: string): number {
  return rendered.files
    .filter((f) => /Deployment-.*\.yaml$/.test(f.path))
    .map((f) => parse(f.content) as { metadata: { namespace: string }; spec: { replicas?: number } })
    .filter((d) => namespace === undefined || d.metadata.namespace === namespace)
    .reduce((a, d) => a + (d.spec.replicas ?? 0), 0);
}

const LAMBDA_API_KEY = "secret_engine-test";

/** The Lambda Cloud API stand-in at Lambda's documented launch pace (one per 12 s), and its instances joining as kwok nodes. */
async function lambdaStandIn(): Promise<{ api: FakeLambdaApi; joiner: ReturnType<typeof joinActiveInstances>; stop(): Promise<void> }> {
  const api = await FakeLambdaApi.start({ apiKey: LAMBDA_API_KEY, sshKeyNames: ["switchyard-ops"], launchIntervalMs: 12_000 });
  const joiner = joinActiveInstances(api, cp.kubeconfigPath);
  const stop = async () => {
    await joiner.stop();
    await api.close();
  };
  return { api, joiner, stop };
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "switchyard-engine-"));
  const [build, built] = await Promise.all([ensureControlPlaneBuild(), pulumiEngine()]);
  engine = built;
  cp = await startControlPlane({ ...build, workDir });
  kube = KubeClient.fromKubeconfig(cp.kubeconfigPath);
  await installCoreWeaveNodePoolCrd(kube);
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
    fixedReplicas = renderedReplicas(rendered);
    await addNodes(cp.kubeconfigPath, nodesFor(rendered));
  }, 120_000);

  // The next stacks plan pools of the same names (llama-70b-on-demand…): their pods must find only their own nodes.
  afterAll(async () => {
    await destroyLeftovers(await inlineStack(engine, "switchyard", "coreweave", () => runEnvironment("coreweave"), coreweaveConfig()));
    for (const node of nodesFor(rendered)) await kube.ok("DELETE", `/api/v1/nodes/${node.name}`);
  }, 600_000);

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
    // Each fixed replica serving (no node of the scaled tiers is up yet), on a node of its own pool.
    const running = (await pods("inference")).filter(serving);
    expect(fixedReplicas).toBeGreaterThan(0);
    expect(running.length).toBe(fixedReplicas);
    await expectOnTheirPools(running);
  }, 900_000);

  it("rolls a new image through pools the fixed replicas fill, then shows no change, then destroys everything", async () => {
    const image = "vllm/vllm-openai:v0.11.1";
    const stack = await inlineStack(engine, "switchyard", "coreweave", () => runEnvironment("coreweave"), coreweaveConfig({ "switchyard:vllmImage": { value: image } }));
    const up = await stack.up({ parallel: 64 });
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges?.["update"]).toBeGreaterThan(0);
    const after = await servingAfterRollout(image, fixedReplicas);
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

describe("the lambda stack under the real engine: instances through a Lambda API stand-in, joined as kwok nodes", () => {
  let rendered: RenderedTarget;
  let lambda: Awaited<ReturnType<typeof lambdaStandIn>>;
  let fixedReplicas: number;

  const lambdaConfig = (overrides: Record<string, ConfigEntry> = {}): Record<string, ConfigEntry> => ({
    ...stackFileConfig(path.join(REPO_ROOT, "environments/Pulumi.lambda.yaml")),
    "switchyard:kubeconfig": { value: cp.kubeconfig, secret: true },
    "switchyard:keySeed": { value: KEY_SEED, secret: true },
    "switchyard:lambdaApiKey": { value: LAMBDA_API_KEY, secret: true },
    "switchyard:clusterJoinToken": { value: "K10engine-test::server:abc", secret: true },
    "switchyard:createNamespace": { value: true },
    "switchyard:lambdaApiBaseUrl": { value: lambda.api.url },
    ...overrides,
  });
  const stackOf = (overrides?: Record<string, ConfigEntry>) => inlineStack(engine, "switchyard", "lambda", () => runEnvironment("lambda"), lambdaConfig(overrides));

  beforeAll(async () => {
    rendered = await renderEnvironmentVariant("lambda", "lambda", { set: { createNamespace: true } });
    fixedReplicas = renderedReplicas(rendered);
    // Lambda's documented launch limit (one per 12 s), so a provider that launched faster would meet HTTP 429s.
    lambda = await lambdaStandIn();
  }, 120_000);

  afterAll(async () => {
    // Its instances are terminated through the stand-in, so it stops after the destroy.
    if (lambda !== undefined) await destroyLeftovers(await stackOf());
    await lambda?.stop();
  }, 600_000);

  it("comes up: every planned instance launched at Lambda's pace and joined, every fixed replica serving on its pool", async () => {
    const started = Date.now();
    const up = await (await stackOf()).up({ parallel: 64 });
    console.warn(`[engine] lambda up: ${JSON.stringify(up.summary.resourceChanges)} in ${Math.round((Date.now() - started) / 1000)} s, ${lambda.api.launches().length} launches`);
    expect(up.summary.result).toBe("succeeded");
    const planned = rendered.files.filter((f) => f.path.startsWith("pulumi-nodejs/")).map((f) => (parse(f.content) as { inputs: { instanceName: string; instanceTypeName: string; regionName: string } }).inputs);
    const launched = lambda.api.launches().map((r) => r.body as { name: string; instance_type_name: string; region_name: string; ssh_key_names: string[] });
    expect(launched.map((l) => `${l.name} ${l.instance_type_name} ${l.region_name} ${l.ssh_key_names.join()}`).sort()).toEqual(planned.map((p) => `${p.instanceName} ${p.instanceTypeName} ${p.regionName} switchyard-ops`).sort());
    expect(lambda.api.requests.filter((r) => r.status === 429)).toEqual([]);
    expect([...lambda.joiner.joined].sort()).toEqual(planned.map((p) => p.instanceName).sort());

    const running = (await pods("inference")).filter(serving);
    expect(fixedReplicas).toBeGreaterThan(0);
    expect(running.length).toBe(fixedReplicas);
    await expectOnTheirPools(running);
  }, 900_000);

  it("drains a node: its replicas leave within the budget, a second node of the pool waits until they serve again, then drains too", async () => {
    // The pool with the most nodes: the budget (one node's worth) is spent by draining one of them.
    const running = (await pods("inference")).filter(serving);
    const nodesByTier = new Map<string, Set<string>>();
    for (const p of running) {
      const tier = p.metadata.labels["app.kubernetes.io/instance"]!;
      nodesByTier.set(tier, (nodesByTier.get(tier) ?? new Set()).add(p.spec.nodeName!));
    }
    const [tier, tierNodes] = [...nodesByTier].sort((a, b) => b[1].size - a[1].size)[0]!;
    expect(tierNodes.size).toBeGreaterThanOrEqual(2);
    const [first, second] = [...tierNodes].sort() as [string, string];
    const replicasOf = (node: string) => running.filter((p) => p.metadata.labels["app.kubernetes.io/instance"] === tier && p.spec.nodeName === node).length;
    const perNode = replicasOf(first);
    const servingOfTier = async () => (await pods("inference")).filter((p) => serving(p) && p.metadata.labels["app.kubernetes.io/instance"] === tier).length;
    const total = await servingOfTier();

    // The first node drains at once: its replicas are within the budget, though their replacements have nowhere to go.
    const drained = await drainNode(kube, first, "inference", { timeoutMs: 120_000 });
    expect(drained.evicted.length).toBe(perNode);
    expect(await servingOfTier()).toBe(total - perNode);

    // The second waits: the budget is spent while those replacements are Pending.
    const progress = { evicted: [] as string[], refused: 0 };
    const secondDrain = drainNode(kube, second, "inference", { timeoutMs: 300_000, retryMs: 500, progress });
    while (progress.refused < 3) await sleep(250);
    expect(progress.evicted).toEqual([]);
    expect(await servingOfTier()).toBe(total - perNode);

    // The first node returns (its instance replaced or repaired); once its replicas serve, the second drain finishes.
    await setUnschedulable(kube, first, false);
    expect((await secondDrain).evicted.length).toBe(replicasOf(second));
    await setUnschedulable(kube, second, false);
    for (let i = 0; (await servingOfTier()) < total; i++) {
      if (i > 480) throw new Error(`${tier}: ${await servingOfTier()} of ${total} replicas serving 120 s after both nodes returned`);
      await sleep(250);
    }
    console.warn(`[engine] lambda drain of ${tier}: ${perNode} replicas per node, ${progress.refused} evictions refused on the second node while the first node's were Pending`);
  }, 600_000);

  it("rolls a new image, then shows no change, then destroys everything: every instance terminated", async () => {
    const image = "vllm/vllm-openai:v0.11.1";
    const stack = await stackOf({ "switchyard:vllmImage": { value: image } });
    const up = await stack.up({ parallel: 64 });
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges?.["update"]).toBeGreaterThan(0);
    expect(lambda.api.launches().length).toBe(rendered.files.filter((f) => f.path.startsWith("pulumi-nodejs/")).length);
    const after = await servingAfterRollout(image, fixedReplicas);
    expect(after.length).toBe(fixedReplicas);
    for (const p of after) expect(`${p.metadata.name}: ${p.spec.containers[0]!.image}`).toBe(`${p.metadata.name}: ${image}`);

    const again = await stack.preview();
    expect(Object.keys(again.changeSummary)).toEqual(["same"]);

    const destroy = await stack.destroy({ parallel: 64 });
    expect(destroy.summary.result).toBe("succeeded");
    expect([...lambda.api.instances.values()].map((i) => `${i.name}: ${i.status}`)).toEqual([...lambda.api.instances.values()].map((i) => `${i.name}: terminated`));
    expect((await kube.request("GET", "/api/v1/namespaces/inference")).status).toBe(404);
  }, 900_000);
});

describe("the active-active example under the real engine: CoreWeave and Lambda pools, the gateway beside them", () => {
  const dir = path.join(REPO_ROOT, "examples/active-active");
  const project = "switchyard-active-active";
  let rendered: RenderedTarget;
  let lambda: Awaited<ReturnType<typeof lambdaStandIn>>;
  // Where the gateway runs: CPU nodes without GPU taints, one per zone.
  const gatewayNodes: FakeNode[] = ["a", "b"].map((zone) => ({
    name: `system-${zone}`,
    labels: { "topology.kubernetes.io/zone": `us-east-1${zone}` },
    taints: [],
    capacity: { cpu: 16, memory: "64Gi", "nvidia.com/gpu": 0, pods: 110, "ephemeral-storage": "200Gi" },
  }));

  beforeAll(async () => {
    rendered = await renderExample(dir);
    // The README's prerequisites: the namespaces it deploys into.
    for (const name of ["inference", "gateway"]) await kube.ok("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
    await addNodes(cp.kubeconfigPath, [...nodesFor(rendered), ...gatewayNodes]);
    lambda = await lambdaStandIn();
  }, 120_000);

  const stackOf = async () => {
    const secret = (value: string): ConfigEntry => ({ value, secret: true });
    const config: Record<string, ConfigEntry> = {
      ...stackFileConfig(path.join(dir, "Pulumi.dev.yaml")),
      [`${project}:kubeconfig`]: secret(cp.kubeconfig),
      [`${project}:coreweaveKubeconfig`]: secret(cp.kubeconfig),
      [`${project}:lambdaKubeconfig`]: secret(cp.kubeconfig),
      [`${project}:lambdaApiKey`]: secret(LAMBDA_API_KEY),
      [`${project}:lambdaApiBaseUrl`]: { value: lambda.api.url },
      [`${project}:clusterJoinToken`]: secret("K10engine-test::server:abc"),
      [`${project}:hostedApiKey`]: secret("sk-engine-test"),
      [`${project}:redisPassword`]: secret("engine-test-redis"),
      [`${project}:keySeed`]: secret(KEY_SEED),
    };
    const program = ((await import(path.join(dir, "index.ts"))) as { default: () => unknown }).default;
    return inlineStack(engine, project, "dev", program, config);
  };

  afterAll(async () => {
    if (lambda !== undefined) await destroyLeftovers(await stackOf());
    await lambda?.stop();
  }, 600_000);

  it("comes up with every replica serving on its pool, shows no change, and destroys everything it made", async () => {
    const stack = await stackOf();
    const started = Date.now();
    const up = await stack.up({ parallel: 64 });
    console.warn(`[engine] active-active up: ${JSON.stringify(up.summary.resourceChanges)} in ${Math.round((Date.now() - started) / 1000)} s`);
    expect(up.summary.result).toBe("succeeded");
    expect(lambda.api.launches().length).toBe(1);

    const vllm = (await pods("inference")).filter(serving);
    expect(vllm.length).toBe(renderedReplicas(rendered, "inference"));
    await expectOnTheirPools(vllm);
    const gateway = (await pods("gateway")).filter(serving);
    expect(gateway.length).toBe(renderedReplicas(rendered, "gateway"));
    expect(new Set(gateway.map((p) => p.spec.nodeName))).toEqual(new Set(gatewayNodes.map((n) => n.name)));

    const again = await stack.preview();
    expect(Object.keys(again.changeSummary)).toEqual(["same"]);

    const destroy = await stack.destroy({ parallel: 64 });
    expect(destroy.summary.result).toBe("succeeded");
    expect([...lambda.api.instances.values()].map((i) => i.status)).toEqual(["terminated"]);
    for (const namespace of ["inference", "gateway"]) {
      for (const kind of ["apps/v1/deployments", "v1/services", "v1/secrets", "v1/configmaps", "networking.k8s.io/v1/ingresses", "networking.k8s.io/v1/networkpolicies", "policy/v1/poddisruptionbudgets"]) {
        const prefix = kind.startsWith("v1/") ? "/api" : "/apis";
        const [group, resource] = [kind.slice(0, kind.lastIndexOf("/")), kind.slice(kind.lastIndexOf("/") + 1)];
        const left = (await kube.ok<{ items: { metadata: { name: string } }[] }>("GET", `${prefix}/${group}/namespaces/${namespace}/${resource}`)).items.map((i) => i.metadata.name);
        // The API server's own: every namespace gets the root CA's ConfigMap.
        expect(left.filter((name) => name !== "kube-root-ca.crt"), `${namespace} ${resource}`).toEqual([]);
      }
    }
    expect((await kube.ok<{ items: unknown[] }>("GET", "/apis/compute.coreweave.com/v1alpha1/nodepools")).items).toEqual([]);
  }, 900_000);
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
