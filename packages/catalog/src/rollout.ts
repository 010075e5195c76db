/**
 * How a vLLM Deployment is replaced and drained, from the room its GPU pool leaves: VllmServing renders these
 * rules into its Deployment and PodDisruptionBudget, and the planner or the simulator can apply the same ones.
 *
 * The invariants, proven by packages/components/test/vllm-serving/rollout.test.ts against a step-by-step model of
 * the Deployment controller, the scheduler, the node autoscaler and the eviction API:
 * - a rolling update of any replica count up to `maxReplicas` reaches all-new pods, in at most `waves` rounds
 *   of cold starts, whether the pool is fixed or autoscaled, full or not;
 * - draining any one node completes, even when every replica sits on it and none can be rescheduled.
 */
import { replicasPerNode } from "./serving";

/** What the rules read: the pool's shape and the Deployment's largest size. */
export interface RolloutCapacity {
  /** GPUs on each node of the pool. */
  gpusPerNode: number;
  /** GPUs of one replica, all on one node; divides `gpusPerNode`. */
  tensorParallelSize: number;
  /** Most replicas the Deployment runs: its autoscaler's ceiling, or its fixed count. */
  maxReplicas: number;
  /**
   * Most nodes the pool may have (`Placement.maxNodes`): its node autoscaler's ceiling, or its size when fixed.
   * Undefined when unknown, which the rules read as "no room".
   */
  poolMaxNodes: number | undefined;
}

/** A Deployment `RollingUpdate` strategy, with how long it takes at most. */
export interface RolloutStrategy {
  /** New pods started above the replica count: only into room the pool still has at `maxReplicas`. */
  maxSurge: number;
  /** Old pods stopped before their replacements serve: the part of a batch the room cannot take. */
  maxUnavailable: number;
  /** Most rounds of cold starts one after another a rolling update of `maxReplicas` replicas takes. */
  waves: number;
}

/**
 * Share of the replicas replaced at once: Kubernetes' own 25% default, so a rolling update takes at most four
 * cold starts one after the other (a 70B model cold-starts in ~30 minutes) and never drops more than a quarter
 * of the capacity, which the gateway's overflow tiers absorb.
 */
export const ROLLOUT_BATCH_SHARE = 0.25;

/** Replica slots the pool still has free when the Deployment runs `maxReplicas`; 0 when the pool's size is unknown. */
export function spareReplicaSlots(c: RolloutCapacity): number {
  if (c.poolMaxNodes === undefined) return 0;
  return Math.max(0, c.poolMaxNodes * replicasPerNode(c.gpusPerNode, c.tensorParallelSize) - c.maxReplicas);
}

/**
 * The rolling update that always completes. A batch of ⌈25% × maxReplicas⌉ (at least 1) pods is replaced at a
 * time; as much of it as the pool has spare slots at `maxReplicas` surges (new pods first, no capacity lost),
 * the rest is taken down first (`maxUnavailable`), because a surge pod with no free GPUs stays Pending and the
 * rollout hangs until its progress deadline: what happened with `maxSurge: 1, maxUnavailable: 0` on every pool
 * the Deployment fills (4 × 2 GPUs on one 8-GPU node). The room is counted at `maxReplicas`, not at the current
 * count, so an autoscaled tier at its ceiling still completes; a node autoscaler adds the nodes surge pods need
 * up to `poolMaxNodes`. Assumes the pool's GPUs are this Deployment's alone (one VllmServing per GpuNodePool).
 */
export function rolloutStrategy(c: RolloutCapacity): RolloutStrategy {
  const batch = Math.max(1, Math.ceil(c.maxReplicas * ROLLOUT_BATCH_SHARE));
  const maxSurge = Math.min(batch, spareReplicaSlots(c));
  return { maxSurge, maxUnavailable: batch - maxSurge, waves: Math.ceil(c.maxReplicas / batch) };
}

/**
 * The PodDisruptionBudget's `maxUnavailable`: one node's worth of replicas (all of them when fewer). A drain
 * evicts every pod of its node; when the pool is full (or is that one node) their replacements stay Pending,
 * so any smaller budget would stop the drain after the first eviction and never resume. One node's worth still
 * keeps two drains (or a drain and a consolidation) from taking two nodes' replicas at once.
 */
export function disruptionBudgetMaxUnavailable(c: Omit<RolloutCapacity, "poolMaxNodes">): number {
  return Math.max(1, Math.min(replicasPerNode(c.gpusPerNode, c.tensorParallelSize), c.maxReplicas));
}
