import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { componentLabels } from "../internal/labels";
import { upperSnakeTaints } from "./taints";
import type { ResolvedAws, ResolvedGpuNodePool } from "./resolve";

/** Reserved capacity on EKS is a billing commitment (Savings Plans, reservations) over ON_DEMAND nodes. */
export function eksCapacityType(r: ResolvedGpuNodePool): "SPOT" | "ON_DEMAND" {
  return r.capacityType === "spot" ? "SPOT" : "ON_DEMAND";
}

/**
 * The managed node group. With `launchTemplate` (AL2023 on instance-store NVMe, see `eksLaunchTemplateArgs`) the
 * disk is the template's, since EKS refuses `diskSize` beside a launch template.
 */
export function eksNodeGroupArgs(
  r: ResolvedGpuNodePool,
  a: ResolvedAws,
  launchTemplate?: { id: pulumi.Input<string>; version: pulumi.Input<string> },
): aws.eks.NodeGroupArgs {
  return {
    clusterName: a.clusterName,
    nodeGroupName: r.poolName,
    nodeRoleArn: a.nodeRoleArn as NonNullable<ResolvedAws["nodeRoleArn"]>,
    subnetIds: a.subnetIds as NonNullable<ResolvedAws["subnetIds"]>,
    region: r.region,
    amiType: a.amiType,
    capacityType: eksCapacityType(r),
    instanceTypes: r.instanceTypes,
    ...(launchTemplate !== undefined ? { launchTemplate } : { diskSize: a.diskSizeGiB }),
    // desiredSize starts at the floor; the cluster autoscaler owns it afterwards (ignoreChanges).
    scalingConfig: { minSize: r.minNodes, maxSize: r.maxNodes, desiredSize: r.minNodes },
    // GPU capacity is scarce: replace one node at a time rather than surging.
    updateConfig: { maxUnavailable: 1 },
    labels: r.labels,
    taints: upperSnakeTaints(r.taints),
    tags: { ...componentLabels("gpu-node-pool", r.poolName), "switchyard.dev/capacity-type": r.capacityType },
  };
}

/**
 * AL2023 user data: a nodeadm NodeConfig that makes the instance-store NVMe one RAID0 array at /mnt/k8s-disks/0 and
 * bind-mounts the kubelet's, containerd's and pod logs' directories onto it, so pods' emptyDir volumes and writable
 * layers are NVMe (amazon-eks-ami nodeadm API, `spec.instance.localStorage`). EKS merges it with the NodeConfig it
 * generates for the managed node group (cluster endpoint, labels, taints).
 */
export function al2023LocalStorageUserData(): string {
  return [
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="//"',
    "",
    "--//",
    "Content-Type: application/node.eks.aws",
    "",
    "apiVersion: node.eks.aws/v1alpha1",
    "kind: NodeConfig",
    "spec:",
    "  instance:",
    "    localStorage:",
    "      strategy: RAID0",
    "",
    "--//--",
    "",
  ].join("\n");
}

/**
 * The launch template of an AL2023 managed node group on instance-store NVMe: the NVMe RAID0 user data, the root
 * volume (gp3, encrypted), and IMDSv2 with one hop so pods cannot borrow the node's role (as with Karpenter).
 */
export function eksLaunchTemplateArgs(r: ResolvedGpuNodePool, a: ResolvedAws): aws.ec2.LaunchTemplateArgs {
  return {
    description: `Switchyard GPU pool ${r.poolName}: instance-store NVMe as RAID0 for the kubelet and containerd`,
    updateDefaultVersion: true,
    userData: Buffer.from(al2023LocalStorageUserData(), "utf8").toString("base64"),
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: a.diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } }],
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
    tags: componentLabels("gpu-node-pool", r.poolName),
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
      // Instance-store NVMe as RAID0 under the kubelet and containerd (AL2023: Karpenter's NodeConfig does it), and
      // allocatable ephemeral-storage = its size, so pods' local disk is NVMe.
      ...(a.instanceStoreRaid0 ? { instanceStorePolicy: "RAID0" } : {}),
      blockDeviceMappings: [
        { deviceName, ebs: { volumeSize: `${a.diskSizeGiB}Gi`, volumeType: "gp3", encrypted: true, deleteOnTermination: true } },
      ],
      // IMDSv2 only, one hop: pods cannot borrow the node's role.
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      tags: { "switchyard.dev/pool": r.poolName },
    },
  };
}
