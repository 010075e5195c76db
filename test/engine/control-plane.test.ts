/**
 * The engine tests' control plane (control-plane.ts) schedules, runs and drains GPU workloads as a cluster does:
 * a Deployment asking for GPUs lands only on the tainted GPU pool it tolerates and selects, every replica turns
 * Available on kwok's fake nodes, and draining a node (cordon, then evictions that a PodDisruptionBudget paces)
 * moves its pods to the other node without ever taking more than one replica away; an eviction that would take a
 * second one away is refused (429) until the first one's replacement is Ready.
 *
 * The first run builds Kubernetes from source (scripts/engine/build-kube.sh): 10+ minutes on 2 cores.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sleep } from "../gateway/proxy";
import { KubeClient, addNodes, ensureControlPlaneBuild, startControlPlane } from "./control-plane";
import type { ControlPlane, FakeNode } from "./control-plane";

const NAMESPACE = "switchyard-engine-test";
const POOL = { "switchyard.dev/pool": "p1" };
const GPU_TAINT = { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" } as const;
const NODES: FakeNode[] = ["gpu-a", "gpu-b"].map((name) => ({
  name,
  labels: POOL,
  taints: [GPU_TAINT],
  capacity: { cpu: "64", memory: "512Gi", "nvidia.com/gpu": 8, pods: 110, "ephemeral-storage": "1Ti" },
}));
const APP = { app: "vllm-test" };

interface Pod {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status: { phase?: string; conditions?: { type: string; status: string }[] };
}

function report(label: string, figures: unknown): void {
  console.warn(`[control-plane] ${label}: ${JSON.stringify(figures)}`);
}

describe("the test control plane schedules, runs and drains GPU pods on fake nodes", () => {
  let workDir: string;
  let plane: ControlPlane | undefined;
  let kube: KubeClient;
  let passed = false;

  const pods = async () => (await kube.ok<{ items: Pod[] }>("GET", `/api/v1/namespaces/${NAMESPACE}/pods?labelSelector=app%3Dvllm-test`)).items.filter((p) => !p.metadata.deletionTimestamp);
  const ready = (p: Pod) => p.status.phase === "Running" && (p.status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
  /** Polls until `check` returns a value, for at most `seconds`; fails with `what` and the last value seen. */
  const until = async <T>(what: string, seconds: number, check: () => Promise<T | undefined>, last: () => Promise<unknown> = pods) => {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`${what} did not happen within ${seconds} s; last: ${JSON.stringify(await last())}\nlogs: ${JSON.stringify(plane?.logs)}`);
      await sleep(250);
    }
  };
  const available = async () => {
    const d = await kube.ok<{ status: { availableReplicas?: number; updatedReplicas?: number; conditions?: { type: string; status: string }[] } }>("GET", `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/vllm-test`);
    return d.status.availableReplicas === 3 && d.status.updatedReplicas === 3 && (d.status.conditions ?? []).some((c) => c.type === "Available" && c.status === "True");
  };

  beforeAll(async () => {
    const started = Date.now();
    const build = await ensureControlPlaneBuild();
    report("build", { seconds: (Date.now() - started) / 1000, binDir: build.binDir });
    workDir = mkdtempSync(join(tmpdir(), "switchyard-control-plane-"));
    const t0 = Date.now();
    plane = await startControlPlane({ ...build, workDir });
    report("start", { seconds: (Date.now() - t0) / 1000, logs: plane.logs });
    kube = KubeClient.fromKubeconfig(plane.kubeconfigPath);
    const t1 = Date.now();
    await addNodes(plane.kubeconfigPath, NODES);
    report("nodes Ready", { seconds: (Date.now() - t1) / 1000 });
  }, 40 * 60_000);

  afterAll(async () => {
    await plane?.stop();
    // Logs stay for a failed run; a passing one leaves nothing behind.
    if (passed) rmSync(workDir, { recursive: true, force: true });
    else if (workDir) console.warn(`[control-plane] logs and state kept in ${workDir}`);
  }, 60_000);

  it("applies KEDA's CRDs and reports the fake nodes' GPUs as allocatable", async () => {
    const crds = await kube.ok<{ items: { metadata: { name: string } }[] }>("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
    expect(crds.items.map((c) => c.metadata.name)).toEqual(expect.arrayContaining(["scaledobjects.keda.sh", "triggerauthentications.keda.sh"]));
    for (const { name } of NODES) {
      const node = await kube.ok("GET", `/api/v1/nodes/${name}`);
      expect(node.status.allocatable["nvidia.com/gpu"]).toBe("8");
      expect(node.metadata.labels["switchyard.dev/pool"]).toBe("p1");
      expect(node.spec.taints).toEqual([GPU_TAINT]);
    }
  });

  it("places 3 replicas of 2 GPUs each on the tolerated pool, all Available", async () => {
    await kube.ok("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } });
    await kube.ok("POST", `/apis/policy/v1/namespaces/${NAMESPACE}/poddisruptionbudgets`, {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "vllm-test" },
      spec: { maxUnavailable: 1, selector: { matchLabels: APP } },
    });
    const t0 = Date.now();
    await kube.ok("POST", `/apis/apps/v1/namespaces/${NAMESPACE}/deployments`, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "vllm-test" },
      spec: {
        replicas: 3,
        selector: { matchLabels: APP },
        template: {
          metadata: { labels: APP },
          spec: {
            nodeSelector: POOL,
            tolerations: [{ key: GPU_TAINT.key, operator: "Equal", value: GPU_TAINT.value, effect: GPU_TAINT.effect }],
            containers: [{ name: "vllm", image: "registry.invalid/vllm:never-pulled", resources: { limits: { "nvidia.com/gpu": "2" } } }],
          },
        },
      },
    });
    await until("3 Available replicas", 120, async () => ((await available()) ? true : undefined));
    report("deployment Available", { seconds: (Date.now() - t0) / 1000 });
    const placed = await pods();
    expect(placed).toHaveLength(3);
    for (const pod of placed) {
      expect(ready(pod)).toBe(true);
      expect(NODES.map((n) => n.name)).toContain(pod.spec.nodeName);
    }
  });

  it("drains a node: cordoned, evictions paced by the PDB (maxUnavailable 1), pods rescheduled on the other node", async () => {
    // The node with more replicas (2 of 3, by pigeonhole), so the PDB has to hold the second eviction back.
    const before = await pods();
    const count = (node: string) => before.filter((p) => p.spec.nodeName === node).length;
    const [drained, other] = count("gpu-a") >= count("gpu-b") ? ["gpu-a", "gpu-b"] : ["gpu-b", "gpu-a"];
    const victims = before.filter((p) => p.spec.nodeName === drained).map((p) => p.metadata.name);
    expect(victims.length).toBeGreaterThanOrEqual(2);
    await until("the PDB to allow one disruption", 60, async () => {
      const pdb = await kube.ok("GET", `/apis/policy/v1/namespaces/${NAMESPACE}/poddisruptionbudgets/vllm-test`);
      return pdb.status?.disruptionsAllowed === 1 ? true : undefined;
    });

    // Ready replicas, sampled all through the drain: the PDB must keep at least 2 of 3.
    let minReady = Number.POSITIVE_INFINITY;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        minReady = Math.min(minReady, (await pods()).filter(ready).length);
        await sleep(50);
      }
    })();
    const t0 = Date.now();
    await kube.ok("PATCH", `/api/v1/nodes/${drained}`, { spec: { unschedulable: true } }, "application/merge-patch+json");
    // As `kubectl drain` does: every pod's eviction at once, each retried while the API answers 429 (the PDB allows no
    // disruption now). Whether one is refused depends on timing: kwok readies a replacement within milliseconds, and
    // the API server retries an eviction that lost a race for the PDB 500 ms later. The next test forces a refusal.
    let refused = 0;
    await Promise.all(
      victims.map((name) =>
        until(`the eviction of ${name}`, 120, async () => {
          const { status, body } = await kube.request("POST", `/api/v1/namespaces/${NAMESPACE}/pods/${name}/eviction`, {
            apiVersion: "policy/v1",
            kind: "Eviction",
            metadata: { name, namespace: NAMESPACE },
          });
          if (status === 429) {
            refused++;
            return undefined;
          }
          if (status !== 201) throw new Error(`eviction of ${name} → ${status}: ${JSON.stringify(body)}`);
          return true;
        }),
      ),
    );
    await until("every replica to be Available on the other node", 120, async () => {
      const now = await pods();
      return now.length === 3 && now.every((p) => p.spec.nodeName === other && ready(p)) && (await available()) ? true : undefined;
    });
    sampling = false;
    await sampler;
    report("drain", { seconds: (Date.now() - t0) / 1000, drained, evicted: victims.length, refusedByPdb: refused, minReady });

    const node = await kube.ok("GET", `/api/v1/nodes/${drained}`);
    expect(node.spec.unschedulable).toBe(true);
    expect(node.spec.taints).toEqual(expect.arrayContaining([expect.objectContaining({ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" })]));
    expect(minReady).toBeGreaterThanOrEqual(2);
  });

  it("refuses an eviction that would leave fewer than 2 of 3 replicas Ready, until the replacement is", async () => {
    // Every replica is on one node now (the previous test). Cordon it too: an evicted replica's replacement stays
    // Pending, so the PDB (maxUnavailable 1) has no disruption left to give.
    const [full, empty] = (await pods())[0]!.spec.nodeName === "gpu-a" ? ["gpu-a", "gpu-b"] : ["gpu-b", "gpu-a"];
    await kube.ok("PATCH", `/api/v1/nodes/${full}`, { spec: { unschedulable: true } }, "application/merge-patch+json");
    const [first, second] = (await pods()).map((p) => p.metadata.name);
    const evict = (name: string) => kube.request("POST", `/api/v1/namespaces/${NAMESPACE}/pods/${name}/eviction`, { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace: NAMESPACE } });
    expect((await evict(first!)).status).toBe(201);
    await until("a Pending replacement", 60, async () => {
      const now = await pods();
      return now.length === 3 && now.filter(ready).length === 2 && now.some((p) => !p.spec.nodeName) ? true : undefined;
    });
    for (let attempt = 0; attempt < 4; attempt++) {
      const refused = await evict(second!);
      expect(refused.status, JSON.stringify(refused.body)).toBe(429);
      await sleep(500);
    }
    expect((await pods()).filter(ready)).toHaveLength(2);

    await kube.ok("PATCH", `/api/v1/nodes/${empty}`, { spec: { unschedulable: false } }, "application/merge-patch+json");
    await until("the replacement to run on the uncordoned node", 60, async () => ((await pods()).some((p) => p.spec.nodeName === empty && ready(p)) && (await available()) ? true : undefined));
    await until(`the eviction of ${second!} once all 3 are Ready`, 60, async () => ((await evict(second!)).status === 201 ? true : undefined));
    await until("3 Available replicas again", 60, async () => ((await available()) ? true : undefined));
    passed = true;
  });
});
