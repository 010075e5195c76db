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

describe("where pods' local disk lives, and the node disk it sizes", () => {
  const aws = { clusterName: "c", nodeRoleArn: "arn:aws:iam::123456789012:role/n", subnetIds: ["s"] };
  const karpenter = { nodeRoleName: "n", discoveryTagValue: "c", amiAlias: "al2023@v20250920" };
  const base = { region: "us-east-1", capacityType: "on-demand" as const, maxNodes: 2 };
  const none = { instanceStoreRaid0: undefined, localSsdCount: undefined };
  // Four 70B bf16 replicas per node, each downloading the checkpoint from the Hub: 4 × 156 GiB, a 835 GiB disk.
  it.each<[string, GpuNodePoolArgs, "local-nvme" | "node-disk", number | undefined, { instanceStoreRaid0: boolean | undefined; localSsdCount: number | undefined }]>([
    ["EKS AL2023 on p5: instance store RAID0", { ...base, provider: "aws", instanceType: "p5.48xlarge", aws }, "local-nvme", 200, { ...none, instanceStoreRaid0: true }],
    ["EKS Bottlerocket on p5: EBS data volume", { ...base, provider: "aws", instanceType: "p5.48xlarge", aws: { ...aws, amiType: "BOTTLEROCKET_x86_64_NVIDIA" } }, "node-disk", 835, { ...none, instanceStoreRaid0: false }],
    ["Karpenter AL2023 on g6e: instanceStorePolicy RAID0", { ...base, provider: "aws", instanceType: "g6e.12xlarge", aws: { clusterName: "c", karpenter } }, "local-nvme", 200, { ...none, instanceStoreRaid0: true }],
    ["Karpenter Bottlerocket on g6e: EBS data volume", { ...base, provider: "aws", instanceType: "g6e.12xlarge", aws: { clusterName: "c", karpenter: { ...karpenter, amiAlias: "bottlerocket@v1.46.0" } } }, "node-disk", 835, { ...none, instanceStoreRaid0: false }],
    ["GKE A3: 16 Local SSDs", { ...base, region: "us-central1", provider: "gcp", instanceType: "a3-highgpu-8g", gcp: { cluster: "c" } }, "local-nvme", 200, { ...none, localSsdCount: 16 }],
    ["GKE G2: boot disk (no bundled Local SSD)", { ...base, region: "us-central1", provider: "gcp", instanceType: "g2-standard-48", gcp: { cluster: "c" } }, "node-disk", 835, none],
    ["CKS: the node's own /mnt/local NVMe RAID", { ...coreweave }, "local-nvme", undefined, none],
  ])("%s", (_label, args, on, diskGiB, mechanism) => {
    const r = resolveGpuNodePoolArgs("pool", { ...args, ephemeralStoragePerNodeGiB: 624 });
    expect(r.ephemeralStorage).toMatchObject({ on, requestedPerNodeGiB: 624, requiredGiB: 835 });
    expect(r.aws?.diskSizeGiB ?? r.gcp?.diskSizeGiB).toBe(diskGiB);
    expect({ instanceStoreRaid0: r.aws?.instanceStoreRaid0, localSsdCount: r.gcp?.localSsdCount }).toEqual(mechanism);
  });
});
