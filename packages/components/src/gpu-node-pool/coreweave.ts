import { componentLabels } from "../internal/labels";
import type { ResolvedGpuNodePool } from "./resolve";

/** Whether CKS's cluster autoscaler manages the pool (and so owns `spec.targetNodes`). */
export function coreweaveAutoscales(r: ResolvedGpuNodePool): boolean {
  return r.minNodes < r.maxNodes;
}

/**
 * The cluster-scoped `compute.coreweave.com/v1alpha1` NodePool (provider-facts §1.1). Reserved and
 * on-demand both run on the `default` compute class: a reservation is a contract, not a node class.
 */
export function coreweaveNodePoolObject(r: ResolvedGpuNodePool): Record<string, unknown> {
  const driver = r.coreweave?.gpuDriverVersion;
  return {
    apiVersion: "compute.coreweave.com/v1alpha1",
    kind: "NodePool",
    metadata: { name: r.poolName, labels: componentLabels("gpu-node-pool", r.poolName) },
    spec: {
      instanceType: r.instance.name,
      // Lowercase `spot`: the field is immutable and the capitalised spelling is not the documented one.
      computeClass: r.capacityType === "spot" ? "spot" : "default",
      autoscaling: coreweaveAutoscales(r),
      minNodes: r.minNodes,
      maxNodes: r.maxNodes,
      targetNodes: r.minNodes,
      nodeLabels: r.labels,
      nodeTaints: r.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
      ...(driver !== undefined ? { gpu: { version: driver } } : {}),
    },
  };
}
