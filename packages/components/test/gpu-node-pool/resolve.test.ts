import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coreweaveNodePoolObject } from "../../src/gpu-node-pool/coreweave";
import { upperSnakeTaints } from "../../src/gpu-node-pool/taints";
import { DEFAULT_GPU_POOL_TAINT, resolveGpuNodePoolArgs } from "../../src/gpu-node-pool/resolve";
import type { GpuNodePoolArgs } from "../../src/gpu-node-pool/args";
import type { Taint } from "../../src/contracts";

const coreweave: GpuNodePoolArgs = { provider: "coreweave", region: "US-EAST-04A", instanceType: "gd-8xh100ib-i128", capacityType: "on-demand", maxNodes: 4, coreweave: {} };

describe("taint effect spelling per API", () => {
  it.each([
    ["NoSchedule", "NO_SCHEDULE"],
    ["PreferNoSchedule", "PREFER_NO_SCHEDULE"],
    ["NoExecute", "NO_EXECUTE"],
  ] as const)("%s is %s on EKS and GKE", (kubernetes, upper) => {
    const taint: Taint = { key: "k", value: "v", effect: kubernetes };
    expect(upperSnakeTaints([taint])).toEqual([{ key: "k", value: "v", effect: upper }]);
  });
});

describe("resolveGpuNodePoolArgs", () => {
  it("defaults to zero nodes and the dedicated GPU taint", () => {
    const r = resolveGpuNodePoolArgs("pool", coreweave);
    expect(r.minNodes).toBe(0);
    expect(r.taints).toEqual([DEFAULT_GPU_POOL_TAINT]);
  });

  it("keeps user labels beside the pool label", () => {
    const r = resolveGpuNodePoolArgs("pool", { ...coreweave, labels: { team: "inference" } });
    expect(r.labels).toEqual({ team: "inference", "switchyard.dev/pool": "pool" });
  });

  it("does not add a second nvidia.com/gpu toleration when the pool already taints that key", () => {
    const r = resolveGpuNodePoolArgs("pool", { ...coreweave, taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }] });
    expect(r.placement.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" }]);
  });

  it("accepts exactly the node counts with 0 ≤ min ≤ max, max ≥ 1, and autoscales CoreWeave only when min < max", () => {
    fc.assert(
      fc.property(fc.integer({ min: -2, max: 12 }), fc.integer({ min: -2, max: 12 }), (minNodes, maxNodes) => {
        const valid = minNodes >= 0 && maxNodes >= 1 && minNodes <= maxNodes;
        let resolved: ReturnType<typeof resolveGpuNodePoolArgs> | undefined;
        try {
          resolved = resolveGpuNodePoolArgs("pool", { ...coreweave, minNodes, maxNodes });
        } catch {
          resolved = undefined;
        }
        expect(resolved !== undefined).toBe(valid);
        if (resolved) {
          const spec = (coreweaveNodePoolObject(resolved) as { spec: Record<string, unknown> }).spec;
          expect(spec).toMatchObject({ minNodes, maxNodes, targetNodes: minNodes, autoscaling: minNodes < maxNodes });
        }
      }),
    );
  });
});
