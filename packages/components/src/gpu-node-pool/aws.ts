import type * as aws from "@pulumi/aws";
import { componentLabels } from "../internal/labels";
import { upperSnakeTaints } from "./taints";
import type { ResolvedAws, ResolvedGpuNodePool } from "./resolve";

/** Reserved capacity on EKS is a billing commitment (Savings Plans, reservations) over ON_DEMAND nodes. */
export function eksCapacityType(r: ResolvedGpuNodePool): "SPOT" | "ON_DEMAND" {
  return r.capacityType === "spot" ? "SPOT" : "ON_DEMAND";
}

export function eksNodeGroupArgs(r: ResolvedGpuNodePool, a: ResolvedAws): aws.eks.NodeGroupArgs {
  return {
    clusterName: a.clusterName,
    nodeGroupName: r.poolName,
    nodeRoleArn: a.nodeRoleArn as NonNullable<ResolvedAws["nodeRoleArn"]>,
    subnetIds: a.subnetIds as NonNullable<ResolvedAws["subnetIds"]>,
    region: r.region,
    amiType: a.amiType,
    capacityType: eksCapacityType(r),
    instanceTypes: r.instanceTypes,
    diskSize: a.diskSizeGiB,
    // desiredSize starts at the floor; the cluster autoscaler owns it afterwards (ignoreChanges).
    scalingConfig: { minSize: r.minNodes, maxSize: r.maxNodes, desiredSize: r.minNodes },
    // GPU capacity is scarce: replace one node at a time rather than surging.
    updateConfig: { maxUnavailable: 1 },
    labels: r.labels,
    taints: upperSnakeTaints(r.taints),
    tags: { ...componentLabels("gpu-node-pool", r.poolName), "switchyard.dev/capacity-type": r.capacityType },
  };
}

/** Karpenter's `karpenter.sh/capacity-type` values match Switchyard's capacity types one to one. */
export function karpenterNodePoolObject(r: ResolvedGpuNodePool, a: ResolvedAws): Record<string, unknown> {
  const k = a.karpenter!;
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name: r.poolName, labels: componentLabels("gpu-node-pool", r.poolName) },
    spec: {
      template: {
        metadata: { labels: r.labels },
        spec: {
          nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: r.poolName },
          requirements: [
            { key: "karpenter.sh/capacity-type", operator: "In", values: [r.capacityType] },
            { key: "node.kubernetes.io/instance-type", operator: "In", values: r.instanceTypes },
          ],
          taints: r.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
          expireAfter: "720h",
        },
      },
      limits: { "nvidia.com/gpu": String(r.maxNodes * r.instance.gpusPerNode) },
      // Only empty nodes are removed: consolidating a busy GPU node would evict a warm vLLM replica.
      disruption: { consolidationPolicy: "WhenEmpty", consolidateAfter: `${k.consolidateAfterSeconds}s` },
    },
  };
}

export function ec2NodeClassObject(r: ResolvedGpuNodePool, a: ResolvedAws): Record<string, unknown> {
  const k = a.karpenter!;
  const discovery = [{ tags: { "karpenter.sh/discovery": k.discoveryTagValue } }];
  // Bottlerocket keeps images and data on its second volume; AL2023 on the root volume.
  const deviceName = k.amiAlias.startsWith("bottlerocket@") ? "/dev/xvdb" : "/dev/xvda";
  return {
    apiVersion: "karpenter.k8s.aws/v1",
    kind: "EC2NodeClass",
    metadata: { name: r.poolName, labels: componentLabels("gpu-node-pool", r.poolName) },
    spec: {
      role: k.nodeRoleName,
      amiSelectorTerms: [{ alias: k.amiAlias }],
      subnetSelectorTerms: discovery,
      securityGroupSelectorTerms: discovery,
      ...(k.capacityReservationIds.length > 0 ? { capacityReservationSelectorTerms: k.capacityReservationIds.map((id) => ({ id })) } : {}),
      blockDeviceMappings: [
        { deviceName, ebs: { volumeSize: `${a.diskSizeGiB}Gi`, volumeType: "gp3", encrypted: true, deleteOnTermination: true } },
      ],
      // IMDSv2 only, one hop: pods cannot borrow the node's role.
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      tags: { "switchyard.dev/pool": r.poolName },
    },
  };
}
