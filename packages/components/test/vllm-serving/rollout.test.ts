/**
 * Rolling updates and node drains of the vLLM Deployment complete, on fixed pools it fills and on autoscaled pools
 * alike. Proven against a small model of the four parts that run them, each reduced to the rule that decides
 * progress:
 * - the Deployment controller's rolling update (pkg/controller/deployment/rolling.go): the new ReplicaSet grows to
 *   at most replicas + maxSurge pods in all; old pods go while replicas − maxUnavailable stay available, counting
 *   new pods that are not available yet against it, unavailable old pods first;
 * - the scheduler: a pod needs tensorParallelSize free GPUs on one schedulable (not cordoned) node of the pool,
 *   and prefers the node with fewest of its replicas (the ScheduleAnyway hostname spread);
 * - the node autoscaler: a pod that fits no node gets a new node while the pool is below its maxNodes;
 * - the eviction API under the PodDisruptionBudget (pkg/registry/core/pod/storage/eviction.go): a Ready pod goes
 *   while more pods are Ready than replicas − maxUnavailable; a pod that is not Ready goes always under
 *   `AlwaysAllow`, under `IfHealthyBudget` only while that many are Ready.
 * Time moves in rounds: in one round the controllers act until nothing changes, the scheduler places what fits,
 * and every placed pod finishes its cold start (a crash-looping one never does). A round with no change at all
 * is a deadlock: a Pending pod waits for GPUs nothing will free.
 *
 * What this does not prove: the same against a real API server and scheduler (none runs here), and CPU or memory
 * as a second constraint beside the GPUs (the GPU-derived requests fit every catalog node).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { divisors, disruptionBudgetMaxUnavailable, rolloutStrategy } from "@switchyard/catalog";
import type { RolloutStrategy } from "@switchyard/catalog";
import type { Placement } from "../../src/contracts";
import { deploymentSpec, podDisruptionBudgetSpec, resolveVllmServingArgs } from "../../src/vllm-serving";
import type { ResolvedVllmServing, VllmServingArgs } from "../../src/vllm-serving";
import { h100Node, kedaScaling, llama8b } from "./fixtures";

/** The parts of the specs the tests read, typed loosely: the builders return Pulumi input types. */
type Json = Record<string, any>;

type Revision = "old" | "new";

interface Pod {
  id: number;
  revision: Revision;
  /** Index of its node; undefined while Pending. */
  node: number | undefined;
  ready: boolean;
  /** Never becomes Ready (a broken revision, a model that fails to load). */
  crashLooping: boolean;
}

interface Disruption {
  maxUnavailable: number;
  unhealthyPodEvictionPolicy: "AlwaysAllow" | "IfHealthyBudget";
}

/** One GPU pool and the pods of one Deployment on it. */
class Pool {
  readonly nodes: { cordoned: boolean }[] = [];
  pods: Pod[] = [];
  private nextId = 0;

  constructor(
    readonly gpusPerNode: number,
    readonly tensorParallelSize: number,
    /** The node autoscaler adds nodes up to this; a fixed pool starts with all of them. */
    readonly maxNodes: number,
    initialNodes: number,
  ) {
    for (let i = 0; i < initialNodes; i++) this.nodes.push({ cordoned: false });
  }

  podsOn(node: number): Pod[] {
    return this.pods.filter((p) => p.node === node);
  }

  create(revision: Revision, crashLooping = false): void {
    this.pods.push({ id: this.nextId++, revision, node: undefined, ready: false, crashLooping });
  }

  delete(pod: Pod): void {
    this.pods = this.pods.filter((p) => p !== pod);
  }

  /** The scheduler, and the node autoscaler for what fits no node. Returns how many pods it placed. */
  schedule(): number {
    let placed = 0;
    for (const pod of this.pods.filter((p) => p.node === undefined)) {
      const fits = this.nodes.map((_, i) => i).filter((i) => !this.nodes[i]!.cordoned && this.freeGpus(i) >= this.tensorParallelSize);
      if (fits.length === 0 && this.nodes.length < this.maxNodes) {
        this.nodes.push({ cordoned: false });
        fits.push(this.nodes.length - 1);
      }
      if (fits.length === 0) continue;
      pod.node = fits.reduce((best, i) => (this.podsOn(i).length < this.podsOn(best).length ? i : best));
      placed++;
    }
    return placed;
  }

  /** The kubelets: every placed pod finishes its cold start within the round. Returns how many became Ready. */
  coldStart(): number {
    const starting = this.pods.filter((p) => p.node !== undefined && !p.ready && !p.crashLooping);
    for (const p of starting) p.ready = true;
    return starting.length;
  }

  private freeGpus(node: number): number {
    return this.gpusPerNode - this.tensorParallelSize * this.podsOn(node).length;
  }
}

/** The old pod a ReplicaSet scale-down removes: on the node crowded with most of its replicas, the newest. */
function scaleDownVictim(pool: Pool): Pod {
  const old = pool.pods.filter((p) => p.revision === "old");
  const crowd = (p: Pod) => (p.node === undefined ? Number.POSITIVE_INFINITY : pool.podsOn(p.node).length);
  return old.reduce((v, p) => (crowd(p) > crowd(v) || (crowd(p) === crowd(v) && p.id > v.id) ? p : v));
}

/** The Deployment controller's rolling update, synced until it changes nothing. Returns how many pods it created or deleted. */
function syncRollingUpdate(pool: Pool, replicas: number, s: Pick<RolloutStrategy, "maxSurge" | "maxUnavailable">): number {
  let changes = 0;
  for (;;) {
    const fresh = pool.pods.filter((p) => p.revision === "new");
    // reconcileNewReplicaSet: at most replicas + maxSurge pods in all.
    const up = Math.min(replicas + s.maxSurge - pool.pods.length, replicas - fresh.length);
    if (up > 0) {
      for (let i = 0; i < up; i++) pool.create("new");
      changes += up;
      continue;
    }
    const old = pool.pods.filter((p) => p.revision === "old");
    if (old.length === 0) return changes;
    // reconcileOldReplicaSets: keep replicas − maxUnavailable available; new pods not available yet count against it.
    const minAvailable = replicas - s.maxUnavailable;
    const maxScaledDown = pool.pods.length - minAvailable - fresh.filter((p) => !p.ready).length;
    if (maxScaledDown <= 0) return changes;
    const unhealthy = old.filter((p) => !p.ready).slice(0, maxScaledDown);
    for (const p of unhealthy) pool.delete(p);
    const available = pool.pods.filter((p) => p.ready).length;
    const down = Math.max(0, Math.min(available - minAvailable, pool.pods.filter((p) => p.revision === "old").length));
    for (let i = 0; i < down; i++) pool.delete(scaleDownVictim(pool));
    if (unhealthy.length + down === 0) return changes;
    changes += unhealthy.length + down;
  }
}

/** A new pod template on every pod: rounds until all pods are new and Ready, or a deadlock. */
function rollOut(pool: Pool, replicas: number, s: Pick<RolloutStrategy, "maxSurge" | "maxUnavailable">): { completed: boolean; rounds: number } {
  let rounds = 0;
  for (let round = 0; round < 200; round++) {
    const changed = syncRollingUpdate(pool, replicas, s) + pool.schedule();
    if (pool.pods.length === replicas && pool.pods.every((p) => p.revision === "new" && p.ready)) return { completed: true, rounds };
    const started = pool.coldStart();
    if (started > 0) rounds++;
    if (changed + started === 0) return { completed: false, rounds };
  }
  return { completed: false, rounds };
}

/** Whether the eviction API lets `pod` go now. */
function evictionAllowed(pool: Pool, pod: Pod, replicas: number, pdb: Disruption): boolean {
  const currentHealthy = pool.pods.filter((p) => p.ready).length;
  const desiredHealthy = replicas - pdb.maxUnavailable;
  if (!pod.ready) return pdb.unhealthyPodEvictionPolicy === "AlwaysAllow" || currentHealthy >= desiredHealthy;
  // status.disruptionsAllowed, taken down by each eviction.
  return currentHealthy - desiredHealthy > 0;
}

/** `kubectl drain`: cordon the node, then retry evicting its pods until none is left; each evicted pod's ReplicaSet makes a replacement. */
function drain(pool: Pool, node: number, replicas: number, pdb: Disruption): boolean {
  pool.nodes[node]!.cordoned = true;
  for (let round = 0; round < 200; round++) {
    let evicted = 0;
    for (const pod of pool.podsOn(node)) {
      if (!evictionAllowed(pool, pod, replicas, pdb)) continue;
      pool.delete(pod);
      pool.create(pod.revision, pod.crashLooping);
      evicted++;
    }
    if (pool.podsOn(node).length === 0) return true;
    if (evicted + pool.schedule() + pool.coldStart() === 0) return false;
  }
  return false;
}

/** A pool running `replicas` Ready pods of the old revision, placed by the scheduler. */
function running(gpusPerNode: number, tensorParallelSize: number, maxNodes: number, fixedPool: boolean, replicas: number): Pool {
  const pool = new Pool(gpusPerNode, tensorParallelSize, maxNodes, fixedPool ? maxNodes : 0);
  for (let i = 0; i < replicas; i++) pool.create("old");
  pool.schedule();
  pool.coldStart();
  expect(pool.pods.every((p) => p.ready)).toBe(true);
  return pool;
}

interface Scenario {
  gpusPerNode: number;
  tensorParallelSize: number;
  /** Nodes the pool may have; a fixed pool has them all from the start. */
  maxNodes: number;
  fixedPool: boolean;
  /** Whether VllmServing knows the pool's size (GpuNodePool's placement) or not (a hand-written one). */
  knownPool: boolean;
  maxReplicas: number;
  /** Replicas running when the update or the drain starts: all of them without an autoscaler. */
  replicas: number;
  autoscaled: boolean;
}

/**
 * gpusPerNode 1..8, a tensor-parallel size dividing it, 1..6 nodes the replicas may fill, and for an autoscaled
 * pool up to 2 nodes more it may grow to; maxReplicas up to what fits, and an autoscaler anywhere below it.
 */
const scenarios: fc.Arbitrary<Scenario> = fc
  .record({ gpusPerNode: fc.integer({ min: 1, max: 8 }), nodes: fc.integer({ min: 1, max: 6 }), growth: fc.integer({ min: 1, max: 2 }), fixedPool: fc.boolean(), knownPool: fc.boolean(), autoscaled: fc.boolean() })
  .chain(({ gpusPerNode, nodes, growth, fixedPool, knownPool, autoscaled }) =>
    fc.constantFrom(...divisors(gpusPerNode)).chain((tensorParallelSize) => {
      const maxNodes = fixedPool ? nodes : nodes + growth;
      return fc.integer({ min: 1, max: maxNodes * (gpusPerNode / tensorParallelSize) }).chain((maxReplicas) =>
        fc.integer({ min: 1, max: maxReplicas }).map((current) => ({
          gpusPerNode,
          tensorParallelSize,
          maxNodes,
          fixedPool,
          knownPool,
          maxReplicas,
          replicas: autoscaled ? current : maxReplicas,
          autoscaled,
        })),
      );
    }),
  );

/** What VllmServing renders for the scenario: the Deployment's strategy and the PodDisruptionBudget. */
function rendered(s: Scenario): { r: ResolvedVllmServing; strategy: { maxSurge: number; maxUnavailable: number }; pdb: Disruption } {
  const placement: Placement = { ...h100Node, gpusPerNode: s.gpusPerNode, ...(s.knownPool ? { maxNodes: s.maxNodes } : {}) };
  const args: VllmServingArgs = {
    ...llama8b,
    placement,
    tensorParallelSize: s.tensorParallelSize,
    ...(s.autoscaled ? { minReplicas: 1, maxReplicas: s.maxReplicas, autoscaling: kedaScaling } : { minReplicas: s.maxReplicas, maxReplicas: s.maxReplicas }),
  };
  const r = resolveVllmServingArgs("llama-8b", args);
  const strategy = (deploymentSpec(r) as Json).spec.strategy;
  expect(strategy.type).toBe("RollingUpdate");
  return { r, strategy: strategy.rollingUpdate, pdb: (podDisruptionBudgetSpec(r) as Json).spec };
}

const minutes = (timeout: string) => Number(timeout.replace(/m$/, ""));

describe("rolloutStrategy", () => {
  it.each<[string, number, number, number, number | undefined, RolloutStrategy]>([
    ["CoreWeave fixed tier: 4 × 2 GPUs fill one 8-GPU node", 8, 2, 4, 1, { maxSurge: 0, maxUnavailable: 1, waves: 4 }],
    ["Lambda fixed tier: 12 × 2 GPUs fill three 8-GPU nodes", 8, 2, 12, 3, { maxSurge: 0, maxUnavailable: 3, waves: 4 }],
    ["burst tier as planned: 8 × 2 GPUs fill its 2-node ceiling", 8, 2, 8, 2, { maxSurge: 0, maxUnavailable: 2, waves: 4 }],
    ["burst tier with a node to spare at its ceiling", 8, 2, 8, 3, { maxSurge: 2, maxUnavailable: 0, waves: 4 }],
    ["one replica slot to spare: it surges, the rest goes first", 8, 2, 11, 3, { maxSurge: 1, maxUnavailable: 2, waves: 4 }],
    ["a single L4 replica on a one-node pool", 1, 1, 1, 1, { maxSurge: 0, maxUnavailable: 1, waves: 1 }],
    ["a single L4 replica on a pool that may grow to two", 1, 1, 1, 2, { maxSurge: 1, maxUnavailable: 0, waves: 1 }],
    ["a pool of unknown size (hand-written placement): no room assumed", 8, 1, 8, undefined, { maxSurge: 0, maxUnavailable: 2, waves: 4 }],
  ])("%s", (_, gpusPerNode, tensorParallelSize, maxReplicas, poolMaxNodes, expected) => {
    expect(rolloutStrategy({ gpusPerNode, tensorParallelSize, maxReplicas, poolMaxNodes })).toEqual(expected);
  });

  it.each<[string, number, number, number, number]>([
    ["4 × 2 GPUs on one 8-GPU node: the whole node", 8, 2, 4, 4],
    ["12 × 2 GPUs on three nodes: one node's four", 8, 2, 12, 4],
    ["one 70B replica of 4 GPUs: itself", 8, 4, 1, 1],
    ["one replica per L4 node: one", 1, 1, 6, 1],
  ])("PodDisruptionBudget maxUnavailable, %s", (_, gpusPerNode, tensorParallelSize, maxReplicas, expected) => {
    expect(disruptionBudgetMaxUnavailable({ gpusPerNode, tensorParallelSize, maxReplicas })).toBe(expected);
  });
});

describe("the model of the controllers", () => {
  // The deadlocks, reproduced: with the old strategy the surge pod finds no GPUs on a pool the Deployment fills.
  it.each<[string, number, number]>([
    ["4 × 2 GPUs on one 8-GPU CoreWeave node", 1, 4],
    ["12 × 2 GPUs on three 8-GPU Lambda nodes", 3, 12],
  ])("hangs the old maxSurge 1, maxUnavailable 0 on %s", (_, nodes, replicas) => {
    expect(rollOut(running(8, 2, nodes, true, replicas), replicas, { maxSurge: 1, maxUnavailable: 0 }).completed).toBe(false);
  });

  it("stops a drain of a full single-node pool at the first eviction under the old maxUnavailable 1", () => {
    expect(drain(running(8, 2, 1, true, 4), 0, 4, { maxUnavailable: 1, unhealthyPodEvictionPolicy: "IfHealthyBudget" })).toBe(false);
  });

  it("needs AlwaysAllow to drain a node of crash-looping pods while the rest of the fleet is short of Ready pods", () => {
    // Two 8-GPU nodes of four 2-GPU replicas; a broken revision: node 0's four and one of node 1's never become Ready.
    const broken = () => {
      const pool = running(8, 2, 2, true, 8);
      for (const p of [...pool.podsOn(0), pool.podsOn(1)[0]!]) Object.assign(p, { ready: false, crashLooping: true });
      return pool;
    };
    expect(drain(broken(), 0, 8, { maxUnavailable: 4, unhealthyPodEvictionPolicy: "IfHealthyBudget" })).toBe(false);
    expect(drain(broken(), 0, 8, { maxUnavailable: 4, unhealthyPodEvictionPolicy: "AlwaysAllow" })).toBe(true);
  });
});

describe("VllmServing rollouts and drains complete (property)", () => {
  it("rolls any pool and replica count over to the new pods, in at most `waves` cold starts, within Pulumi's update timeout", () => {
    fc.assert(
      fc.property(scenarios, (s) => {
        const { r, strategy } = rendered(s);
        const result = rollOut(running(s.gpusPerNode, s.tensorParallelSize, s.maxNodes, s.fixedPool, s.replicas), s.replicas, strategy);
        expect(result.completed).toBe(true);
        expect(result.rounds).toBeLessThanOrEqual(r.rollout.waves);
        expect(minutes(r.updateTimeout)).toBeGreaterThanOrEqual((result.rounds * r.rolloutTimeoutSeconds) / 60);
      }),
      { numRuns: 400 },
    );
  });

  it("surges, never taking a replica down first, whenever the pool has room at maxReplicas", () => {
    fc.assert(
      fc.property(
        scenarios.filter((s) => s.knownPool && s.maxNodes * (s.gpusPerNode / s.tensorParallelSize) - s.maxReplicas >= Math.ceil(s.maxReplicas / 4)),
        (s) => {
          const { strategy } = rendered(s);
          expect(strategy.maxUnavailable).toBe(0);
          const pool = running(s.gpusPerNode, s.tensorParallelSize, s.maxNodes, s.fixedPool, s.replicas);
          // Ready pods never drop below the replica count at any point of the update.
          for (let round = 0; round < 50 && !pool.pods.every((p) => p.revision === "new" && p.ready && pool.pods.length === s.replicas); round++) {
            syncRollingUpdate(pool, s.replicas, strategy);
            expect(pool.pods.filter((p) => p.ready).length).toBeGreaterThanOrEqual(s.replicas);
            pool.schedule();
            pool.coldStart();
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("drains any one node, even when every replica sits on it and its crash-looping pods never become Ready", () => {
    const drains = scenarios.chain((s) =>
      fc.record({ s: fc.constant(s), node: fc.nat(), brokenOnNode: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }) }),
    );
    fc.assert(
      fc.property(drains, ({ s, node, brokenOnNode }) => {
        const { pdb } = rendered(s);
        expect(pdb.unhealthyPodEvictionPolicy).toBe("AlwaysAllow");
        const pool = running(s.gpusPerNode, s.tensorParallelSize, s.maxNodes, s.fixedPool, s.replicas);
        const target = node % pool.nodes.length;
        pool.podsOn(target).forEach((p, i) => {
          if (brokenOnNode[i]) Object.assign(p, { ready: false, crashLooping: true });
        });
        expect(drain(pool, target, s.replicas, pdb)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});

describe("VllmServing renders the pool's room", () => {
  const coreweave = (overrides: Partial<VllmServingArgs>) => resolveVllmServingArgs("llama-8b", { ...llama8b, placement: { ...h100Node, maxNodes: 1 }, tensorParallelSize: 2, ...overrides });

  it("replaces the pods of a full fixed pool old-first, a quarter at a time, and waits for every wave", () => {
    const r = coreweave({ minReplicas: 4, maxReplicas: 4, coldStartBudgetSeconds: 1200 });
    expect((deploymentSpec(r) as Json).spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
    expect((podDisruptionBudgetSpec(r) as Json).spec).toMatchObject({ maxUnavailable: 4, unhealthyPodEvictionPolicy: "AlwaysAllow" });
    // Each wave may take scheduling, the image pull and a cold start (50 minutes); a create starts all pods at once.
    expect(r.rolloutTimeout).toBe("50m");
    expect(r.updateTimeout).toBe("200m");
  });

  it("surges an autoscaled tier whose pool can add a node beyond its ceiling", () => {
    const r = coreweave({ placement: { ...h100Node, maxNodes: 3 }, minReplicas: 1, maxReplicas: 8, autoscaling: kedaScaling });
    expect((deploymentSpec(r) as Json).spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: 2, maxUnavailable: 0 } });
  });

  it("refuses more replicas than the pool holds, and a pool size that is no whole number", () => {
    expect(() => coreweave({ minReplicas: 5, maxReplicas: 5 })).toThrow(/maxReplicas.*must fit the pool: 1 node\(s\) × 4 replica\(s\) of 2 GPU\(s\) each hold 4/s);
    expect(() => coreweave({ placement: { ...h100Node, maxNodes: 0 } })).toThrow(/placement\.maxNodes/);
  });
});
