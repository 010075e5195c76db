import * as pulumi from "@pulumi/pulumi";
import { findInstanceType, getInstanceType, nodeDiskGiB, nodeHourlyCost, vllmEphemeralStorageGiB } from "@switchyard/catalog";
import { GpuNodePool, POOL_LABEL } from "@switchyard/components";
import type { GpuNodePoolArgs } from "@switchyard/components";
import { describe, expect, it } from "vitest";
import { awsKarpenter, awsManaged, coreweaveReserved, coreweaveSpot, gcpSpot, lambdaOnDemand } from "../fixtures/gpu-node-pools";
import { withAwsAttributes } from "../harness/aws-attributes";
import { validateKubernetesObjects } from "../harness/kubernetes-schema";
import { childrenOf, findResource, stringLeaves, synthesize, synthesizeFailure, valueOf } from "../harness/mocks";
import type { RecordedResource } from "../harness/mocks";

const COMPONENT = "switchyard:index:GpuNodePool";

async function pool(name: string, args: GpuNodePoolArgs) {
  // AWS computed attributes (a launch template's id and version) come back as the cloud would answer them.
  const { resources, result } = await synthesize(() => {
    withAwsAttributes();
    return new GpuNodePool(name, args);
  });
  const children = childrenOf(resources, COMPONENT, name);
  return { resources, children, component: result };
}

function shape(resources: RecordedResource[]): string[] {
  return resources.map((r) => `${r.type} ${r.name}`);
}

const nodeGroupOf = (children: RecordedResource[]) => children.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup")!;

/** Four replicas of a 70B bf16 checkpoint (140 GB) on one node, each downloading it from the Hub: 4 × 156 GiB. */
const FOUR_70B_FROM_HUB = 4 * vllmEphemeralStorageGiB(140);

describe("GpuNodePool on AWS, managed node group", () => {
  it("registers a launch template and one EKS node group with the NVIDIA AMI, SPOT capacity and the EKS taint spelling", async () => {
    const { children, component } = await pool("h100-spot", awsManaged);
    expect(shape(children)).toEqual(["aws:ec2/launchTemplate:LaunchTemplate h100-spot-launch-template", "aws:eks/nodeGroup:NodeGroup h100-spot-nodegroup"]);
    const group = nodeGroupOf(children);
    expect(group.inputs).toMatchObject({
      clusterName: "inference",
      nodeGroupName: "h100-spot",
      amiType: "AL2023_x86_64_NVIDIA",
      capacityType: "SPOT",
      instanceTypes: ["p5.48xlarge"],
      // The disk is the template's: EKS refuses diskSize beside a launch template.
      launchTemplate: { id: expect.stringMatching(/^lt-[0-9a-f]{17}$/), version: "1" },
      region: "us-east-1",
      scalingConfig: { minSize: 0, maxSize: 4, desiredSize: 0 },
      taints: [{ key: "switchyard.dev/dedicated", value: "gpu", effect: "NO_SCHEDULE" }],
      labels: { [POOL_LABEL]: "h100-spot" },
    });
    expect(group.inputs).not.toHaveProperty("diskSize");
    expect(group.ignoreChanges).toEqual(["scalingConfig.desiredSize"]);
    expect(await valueOf(component.poolName)).toBe("h100-spot");
  });

  it("makes the p5's 8 × 3.84 TB of instance-store NVMe the kubelet's disk: AL2023 NodeConfig RAID0, 200 GiB root, IMDSv2 one hop", async () => {
    const { children, component } = await pool("h100-spot", { ...awsManaged, ephemeralStoragePerNodeGiB: FOUR_70B_FROM_HUB });
    const template = children.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate")!;
    expect(Buffer.from(String(template.inputs["userData"]), "base64").toString("utf8")).toBe(
      [
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
      ].join("\n"),
    );
    // The weights land on NVMe, so the root volume keeps its size for the OS.
    expect(template.inputs["blockDeviceMappings"]).toEqual([{ deviceName: "/dev/xvda", ebs: { volumeSize: 200, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } }]);
    expect(template.inputs["metadataOptions"]).toEqual({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
    expect(component.placement.localNvmeGiB).toBe(28_610);
  });

  it("keeps Bottlerocket's pods on its EBS data volume, sized for four 70B replicas from the Hub: 4 × 156 GiB → 835 GiB", async () => {
    const args: GpuNodePoolArgs = { ...awsManaged, ephemeralStoragePerNodeGiB: FOUR_70B_FROM_HUB, aws: { ...awsManaged.aws!, amiType: "BOTTLEROCKET_x86_64_NVIDIA" } };
    const { children } = await pool("br", args);
    expect(shape(children)).toEqual(["aws:eks/nodeGroup:NodeGroup br-nodegroup"]);
    expect(FOUR_70B_FROM_HUB).toBe(624);
    expect(children[0]!.inputs["diskSize"]).toBe(835); // ⌈(85 GiB images and system + 624) / 0.85⌉
  });

  it("sizes the root volume of an instance type without NVMe for its pods' local disk, at least 200 GiB", async () => {
    const noNvme = { ...G6_XLARGE, localNvmeGiB: 0 };
    const { children: small } = await pool("l4", { ...awsManaged, instanceType: noNvme, ephemeralStoragePerNodeGiB: vllmEphemeralStorageGiB(16) });
    expect(shape(small)).toEqual(["aws:eks/nodeGroup:NodeGroup l4-nodegroup"]);
    expect(small[0]!.inputs["diskSize"]).toBe(200); // 29 GiB requested: ⌈114 / 0.85⌉ = 135, below the 200 floor
    const { children: big } = await pool("l4", { ...awsManaged, instanceType: noNvme, ephemeralStoragePerNodeGiB: 300 });
    expect(big[0]!.inputs["diskSize"]).toBe(nodeDiskGiB(300));
    expect(nodeDiskGiB(300)).toBe(453);
  });

  it.each([
    ["on-demand", "ON_DEMAND"],
    ["reserved", "ON_DEMAND"],
    ["spot", "SPOT"],
  ] as const)("maps capacityType %s to EKS %s", async (capacityType, eks) => {
    const { children } = await pool("p5", { ...awsManaged, capacityType });
    expect(nodeGroupOf(children).inputs["capacityType"]).toBe(eks);
  });

  it("diversifies spot across additional instance types of the same GPU shape and costs the pool at the dearest", async () => {
    const args: GpuNodePoolArgs = { ...awsManaged, instanceType: "g6e.12xlarge", capacityType: "on-demand", aws: { ...awsManaged.aws!, additionalInstanceTypes: [] } };
    const { children, component } = await pool("l40s", args);
    expect(nodeGroupOf(children).inputs["instanceTypes"]).toEqual(["g6e.12xlarge"]);
    expect(component.placement.hourlyCostPerNode).toBe(nodeHourlyCost(findInstanceType("aws", "g6e.12xlarge")!, "on-demand"));
  });

  it("uses Bottlerocket when asked", async () => {
    const { children } = await pool("br", { ...awsManaged, aws: { ...awsManaged.aws!, amiType: "BOTTLEROCKET_x86_64_NVIDIA" } });
    expect(nodeGroupOf(children).inputs["amiType"]).toBe("BOTTLEROCKET_x86_64_NVIDIA");
  });
});

describe("GpuNodePool on AWS, Karpenter", () => {
  it("registers an EC2NodeClass and a NodePool that pass the Karpenter CRD schemas", async () => {
    const { children, resources } = await pool("l40s", awsKarpenter);
    expect(shape(children)).toEqual(["kubernetes:karpenter.k8s.aws/v1:EC2NodeClass l40s-nodeclass", "kubernetes:karpenter.sh/v1:NodePool l40s-karpenter"]);
    expect(validateKubernetesObjects(resources)).toBe(2);
  });

  it("requires the capacity type and instance type, taints in Kubernetes spelling, and caps GPUs", async () => {
    const { resources } = await pool("l40s", awsKarpenter);
    const nodePool = findResource(resources, "kubernetes:karpenter.sh/v1:NodePool", "l40s-karpenter").inputs as any;
    expect(nodePool.spec.template.spec.requirements).toEqual([
      { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
      { key: "node.kubernetes.io/instance-type", operator: "In", values: ["g6e.12xlarge"] },
    ]);
    expect(nodePool.spec.template.spec.taints).toEqual([{ key: "switchyard.dev/dedicated", value: "gpu", effect: "NoSchedule" }]);
    expect(nodePool.spec.template.metadata.labels).toEqual({ [POOL_LABEL]: "l40s" });
    expect(nodePool.spec.template.spec.nodeClassRef).toEqual({ group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "l40s" });
    expect(nodePool.spec.limits).toEqual({ "nvidia.com/gpu": "12" }); // 3 nodes × 4 L40S
    expect(nodePool.spec.disruption).toEqual({ consolidationPolicy: "WhenEmpty", consolidateAfter: "300s" });
  });

  it("pins the AMI, selects subnets by discovery tag, enforces IMDSv2 and encrypts the volume", async () => {
    const { resources } = await pool("l40s", awsKarpenter);
    const nodeClass = findResource(resources, "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "l40s-nodeclass").inputs as any;
    expect(nodeClass.spec.role).toBe("KarpenterNodeRole-inference");
    expect(nodeClass.spec.amiSelectorTerms).toEqual([{ alias: "al2023@v20250920" }]);
    expect(nodeClass.spec.subnetSelectorTerms).toEqual([{ tags: { "karpenter.sh/discovery": "inference" } }]);
    expect(nodeClass.spec.metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 1 });
    expect(nodeClass.spec.blockDeviceMappings[0].ebs).toMatchObject({ volumeSize: "200Gi", encrypted: true });
    expect(nodeClass.spec.capacityReservationSelectorTerms).toBeUndefined();
  });

  it("asks Karpenter for RAID0 of the instance store on AL2023, and sizes Bottlerocket's data volume for the pods instead", async () => {
    const { resources } = await pool("l40s", { ...awsKarpenter, ephemeralStoragePerNodeGiB: 4 * vllmEphemeralStorageGiB(16) });
    const al2023 = findResource(resources, "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "l40s-nodeclass").inputs as any;
    expect(al2023.spec.instanceStorePolicy).toBe("RAID0");
    expect(al2023.spec.blockDeviceMappings[0].ebs.volumeSize).toBe("200Gi");
    expect(validateKubernetesObjects(resources)).toBe(2);

    const bottlerocket: GpuNodePoolArgs = { ...awsKarpenter, ephemeralStoragePerNodeGiB: FOUR_70B_FROM_HUB, aws: { clusterName: "c", karpenter: { ...awsKarpenter.aws!.karpenter!, amiAlias: "bottlerocket@v1.46.0" } } };
    const br = (await pool("br", bottlerocket)).resources;
    const nodeClass = findResource(br, "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "br-nodeclass").inputs as any;
    expect(nodeClass.spec).not.toHaveProperty("instanceStorePolicy");
    expect(nodeClass.spec.blockDeviceMappings).toEqual([{ deviceName: "/dev/xvdb", ebs: { volumeSize: "835Gi", volumeType: "gp3", encrypted: true, deleteOnTermination: true } }]);
  });

  it("launches reserved capacity into the named capacity reservations", async () => {
    const args: GpuNodePoolArgs = { ...awsKarpenter, capacityType: "reserved", aws: { clusterName: "c", karpenter: { ...awsKarpenter.aws!.karpenter!, capacityReservationIds: ["cr-0123456789abcdef0"] } } };
    const { resources } = await pool("resv", args);
    const nodeClass = findResource(resources, "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "resv-nodeclass").inputs as any;
    const nodePool = findResource(resources, "kubernetes:karpenter.sh/v1:NodePool", "resv-karpenter").inputs as any;
    expect(nodeClass.spec.capacityReservationSelectorTerms).toEqual([{ id: "cr-0123456789abcdef0" }]);
    expect(nodePool.spec.template.spec.requirements[0].values).toEqual(["reserved"]);
    expect(validateKubernetesObjects(resources)).toBe(2);
  });
});

describe("GpuNodePool on GCP", () => {
  it("registers one GKE node pool with explicit accelerators, driver installation and spot", async () => {
    const { children } = await pool("a3-spot", gcpSpot);
    expect(shape(children)).toEqual(["gcp:container/nodePool:NodePool a3-spot-gke"]);
    const inputs = children[0]!.inputs as any;
    expect(inputs.nodeConfig.guestAccelerators).toEqual([
      { type: "nvidia-h100-80gb", count: 8, gpuDriverInstallationConfig: { gpuDriverVersion: "DEFAULT" } },
    ]);
    expect(inputs.nodeConfig).toMatchObject({ machineType: "a3-highgpu-8g", spot: true, diskSizeGb: 200 });
    // A3 High's 16 × 375 GiB Local SSDs hold the kubelet's and containerd's directories: pods' local disk is NVMe.
    expect(inputs.nodeConfig.ephemeralStorageLocalSsdConfig).toEqual({ localSsdCount: 16 });
    expect(inputs.nodeConfig.taints).toEqual([{ key: "switchyard.dev/dedicated", value: "gpu", effect: "NO_SCHEDULE" }]);
    expect(inputs.nodeConfig.labels).toEqual({ [POOL_LABEL]: "a3-spot" });
    expect(inputs.nodeConfig.workloadMetadataConfig).toEqual({ mode: "GKE_METADATA" });
    expect(inputs.autoscaling).toEqual({ totalMinNodeCount: 0, totalMaxNodeCount: 2, locationPolicy: "ANY" });
    expect(inputs.nodeLocations).toEqual(["us-central1-a", "us-central1-c"]);
    expect(inputs.location).toBe("us-central1");
    expect(children[0]!.ignoreChanges).toEqual(["initialNodeCount", "nodeCount"]);
  });

  it("consumes reservations for reserved capacity and never sets spot", async () => {
    const { children } = await pool("a3-resv", { ...gcpSpot, capacityType: "reserved", gcp: { ...gcpSpot.gcp!, reservationName: "h100-commit" } });
    const nodeConfig = (children[0]!.inputs as any).nodeConfig;
    expect(nodeConfig.spot).toBe(false);
    expect(nodeConfig.reservationAffinity).toEqual({ consumeReservationType: "SPECIFIC_RESERVATION", key: "compute.googleapis.com/reservation-name", values: ["h100-commit"] });
  });

  it("maps L4 machine types to the nvidia-l4 accelerator with four GPUs", async () => {
    const { children } = await pool("l4", { ...gcpSpot, instanceType: "g2-standard-48", capacityType: "on-demand" });
    expect((children[0]!.inputs as any).nodeConfig.guestAccelerators[0]).toMatchObject({ type: "nvidia-l4", count: 4 });
  });

  it("keeps pods' local disk on the boot disk of a machine without bundled Local SSD, sized for them", async () => {
    // g2-standard-48: four L4s, four 8B bf16 replicas from the Hub, 4 × 29 GiB.
    const { children } = await pool("l4", { ...gcpSpot, instanceType: "g2-standard-48", capacityType: "on-demand", ephemeralStoragePerNodeGiB: 116 });
    const nodeConfig = (children[0]!.inputs as any).nodeConfig;
    expect(nodeConfig).not.toHaveProperty("ephemeralStorageLocalSsdConfig");
    expect(nodeConfig.diskSizeGb).toBe(237); // ⌈(85 + 116) / 0.85⌉
  });
});

describe("GpuNodePool on CoreWeave", () => {
  it("registers one cluster-scoped NodePool with the default compute class for reserved capacity", async () => {
    const { children, resources } = await pool("h100-base", coreweaveReserved);
    expect(shape(children)).toEqual(["kubernetes:compute.coreweave.com/v1alpha1:NodePool h100-base-nodepool"]);
    expect(validateKubernetesObjects(resources)).toBe(1);
    const object = children[0]!.inputs as any;
    expect(object.metadata.namespace).toBeUndefined();
    expect(object.spec).toEqual({
      instanceType: "gd-8xh100ib-i128",
      computeClass: "default",
      autoscaling: false,
      minNodes: 2,
      maxNodes: 2,
      targetNodes: 2,
      nodeLabels: { [POOL_LABEL]: "h100-base" },
      nodeTaints: [{ key: "switchyard.dev/dedicated", value: "gpu", effect: "NoSchedule" }],
      gpu: { version: "570" },
    });
    // A fixed-size pool keeps targetNodes under Pulumi's control.
    expect(children[0]!.ignoreChanges).toEqual([]);
  });

  it("uses the lowercase spot compute class and lets the autoscaler own targetNodes", async () => {
    const { children } = await pool("h100-spot", coreweaveSpot);
    const object = children[0]!.inputs as any;
    expect(object.spec).toMatchObject({ computeClass: "spot", autoscaling: true, minNodes: 0, maxNodes: 6, targetNodes: 0 });
    expect(children[0]!.ignoreChanges).toEqual(["spec.targetNodes"]);
  });
});

describe("GpuNodePool on Lambda", () => {
  it("launches exactly minNodes instances through the dynamic provider, with the key and cloud-init secret", async () => {
    const { children, component } = await pool("lambda-h100", lambdaOnDemand);
    expect(shape(children)).toEqual(["pulumi-nodejs:dynamic:Resource lambda-h100-node-0", "pulumi-nodejs:dynamic:Resource lambda-h100-node-1"]);
    const first = children[0]!;
    expect(first.inputs).toMatchObject({ instanceTypeName: "gpu_8x_h100_sxm5", regionName: "us-east-1", sshKeyName: "ops", instanceName: "lambda-h100-0" });
    expect(first.secretPaths).toEqual(expect.arrayContaining(["apiKey", "userData"]));
    expect(String(first.inputs["userData"])).toContain("#cloud-config");
    expect(String(first.inputs["userData"])).toContain("join-token-placeholder");
    expect(await valueOf(component.instanceIds)).toHaveLength(2);
  });

  it("never lets the API key or join token reach a non-secret input or output", async () => {
    const apiKey = "SENTINEL-LAMBDA-KEY-7f3a";
    const joinToken = "SENTINEL-JOIN-TOKEN-91bc";
    const args: GpuNodePoolArgs = { ...lambdaOnDemand, lambda: { ...lambdaOnDemand.lambda!, apiKey: pulumi.secret(apiKey), cluster: { ...lambdaOnDemand.lambda!.cluster, joinToken: pulumi.secret(joinToken) } } };
    const { resources } = await pool("lambda-h100", args);
    for (const resource of resources) {
      for (const leaf of stringLeaves(resource.inputs)) {
        if (leaf.value.includes(apiKey) || leaf.value.includes(joinToken)) {
          expect(resource.secretPaths, `${resource.name}.${leaf.path}`).toContain(leaf.path.split(/[.[]/)[0]);
        }
      }
      for (const leaf of stringLeaves(resource.outputs ?? {})) {
        expect(leaf.value, `${resource.name} output ${leaf.path}`).not.toContain(apiKey);
        expect(leaf.value, `${resource.name} output ${leaf.path}`).not.toContain(joinToken);
      }
    }
  });
});

describe("GpuNodePool placement", () => {
  it("selects the pool's nodes and tolerates its taints and the cloud's GPU taint", async () => {
    const { component } = await pool("h100-spot", coreweaveSpot);
    expect(component.placement).toEqual({
      provider: "coreweave",
      region: "US-EAST-04A",
      capacityType: "spot",
      instanceType: "gd-8xh100ib-i128",
      gpuType: "H100",
      gpusPerNode: 8,
      gpuMemoryGiB: 80,
      localNvmeGiB: getInstanceType("coreweave", "gd-8xh100ib-i128").localNvmeGiB,
      // The autoscaler's ceiling: VllmServing surges a rolling update only into the GPUs it leaves free.
      maxNodes: 6,
      nodeSelector: { [POOL_LABEL]: "h100-spot" },
      tolerations: [
        { key: "switchyard.dev/dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule" },
        { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
      ],
      hourlyCostPerNode: 19.71, // CoreWeave HGX H100 spot, per node (provider-facts §1.8)
    });
  });

  it.each<[string, GpuNodePoolArgs, number]>([
    ["coreweave on-demand", { ...coreweaveSpot, capacityType: "on-demand" }, 49.24],
    ["aws p5 on-demand", { ...awsManaged, capacityType: "on-demand" }, 55.04],
    ["gcp a3 spot", gcpSpot, 52.96],
    ["lambda 8x h100", lambdaOnDemand, 31.92],
  ])("costs %s per node from the catalog", async (_label, args, perNode) => {
    const { component } = await pool("p", args);
    expect(component.placement.hourlyCostPerNode).toBeCloseTo(perNode, 2);
    expect(await valueOf(component.hourlyCostPerNode)).toBeCloseTo(perNode, 2);
  });

  it("picks the cheapest catalog instance for a GPU type, never a default one", async () => {
    const { component } = await pool("cheap", { ...coreweaveSpot, instanceType: undefined, gpuType: "H100", capacityType: "on-demand" });
    expect(component.placement.instanceType).toBe("gd-8xh100ib-i128");
  });

  it("registers the placement and flat scalars as component outputs", async () => {
    const { resources } = await pool("h100-base", coreweaveReserved);
    const self = findResource(resources, COMPONENT, "h100-base");
    expect(self.outputs).toMatchObject({ poolName: "h100-base", provider: "coreweave", capacityType: "reserved", gpusPerNode: 8, instanceIds: [] });
    expect((self.outputs as any).placement.nodeSelector).toEqual({ [POOL_LABEL]: "h100-base" });
  });
});

/** An AWS shape the catalog does not carry: one L4 (g6.xlarge, us-east-1 list prices). */
const G6_XLARGE = { name: "g6.xlarge", gpuType: "L4" as const, gpusPerNode: 1, vcpus: 4, memoryGiB: 16, localNvmeGiB: 233, onDemandPerNodeHour: 0.8048, spotPerNodeHour: 0.3464 };

describe("GpuNodePool on an instance type the arguments define", () => {
  it("deploys a shape the catalog lacks, and its placement costs what the definition says", async () => {
    const { children, component } = await pool("l4-spot", { ...awsManaged, instanceType: G6_XLARGE });
    expect(nodeGroupOf(children).inputs).toMatchObject({ instanceTypes: ["g6.xlarge"], capacityType: "SPOT" });
    expect(component.placement).toMatchObject({ instanceType: "g6.xlarge", gpuType: "L4", gpusPerNode: 1, gpuMemoryGiB: 24, localNvmeGiB: 233, hourlyCostPerNode: 0.3464 });
  });

  it("takes a catalog shape at contract prices: the placement costs the contract's reserved rate", async () => {
    const catalog = getInstanceType("coreweave", "gd-8xh100ib-i128");
    const { component } = await pool("h100", { ...coreweaveReserved, instanceType: { ...catalog, onDemandPerNodeHour: 40, reservedDiscount: 0.25 } });
    expect(component.placement.hourlyCostPerNode).toBeCloseTo(30, 9);
  });
});

describe("GpuNodePool rejects bad arguments before registering anything", () => {
  const cases: [string, string, GpuNodePoolArgs, string[]][] = [
    ["missing provider block", "pool", { ...awsManaged, aws: undefined }, ["aws is required when provider is \"aws\""]],
    ["mismatched provider block", "pool", { ...awsManaged, gcp: gcpSpot.gcp }, ["gcp", "must not be set when provider is \"aws\""]],
    ["spot on Lambda", "pool", { ...lambdaOnDemand, capacityType: "spot" }, ["capacityType (\"spot\")", "not sold by lambda", "use \"on-demand\""]],
    ["reserved on Lambda", "pool", { ...lambdaOnDemand, capacityType: "reserved" }, ["capacityType (\"reserved\")", "not sold by lambda"]],
    ["no instance or GPU type", "pool", { ...coreweaveSpot, instanceType: undefined }, ["instanceType", "never picks a GPU"]],
    ["unknown instance type", "pool", { ...awsManaged, instanceType: "p9.huge" }, ["instanceType (\"p9.huge\")", "p5.48xlarge"]],
    ["min above max", "pool", { ...coreweaveSpot, minNodes: 5, maxNodes: 2 }, ["minNodes (5) must be ≤ maxNodes (2)"]],
    ["fractional nodes", "pool", { ...coreweaveSpot, maxNodes: 1.5 }, ["maxNodes (1.5) must be a whole number"]],
    ["bad name", "GPU_Pool", coreweaveSpot, ["name (\"GPU_Pool\")", "DNS-1123"]],
    ["bad taint effect", "pool", { ...coreweaveSpot, taints: [{ key: "a", value: "b", effect: "NO_SCHEDULE" as never }] }, ["taints[0].effect (\"NO_SCHEDULE\")", "Kubernetes spelling"]],
    ["pool label override", "pool", { ...coreweaveSpot, labels: { [POOL_LABEL]: "other" } }, [`labels["${POOL_LABEL}"]`]],
    ["floating Karpenter AMI", "pool", { ...awsKarpenter, aws: { clusterName: "c", karpenter: { ...awsKarpenter.aws!.karpenter!, amiAlias: "al2023@latest" } } }, ["aws.karpenter.amiAlias (\"al2023@latest\")", "pin a version"]],
    ["Karpenter floor", "pool", { ...awsKarpenter, minNodes: 1 }, ["minNodes (1) must be 0 with Karpenter"]],
    ["managed group without role", "pool", { ...awsManaged, aws: { clusterName: "c", subnetIds: ["s"] } }, ["aws.nodeRoleArn is required"]],
    ["Lambda autoscaling", "pool", { ...lambdaOnDemand, minNodes: 1, maxNodes: 3 }, ["maxNodes (3) must equal minNodes (1)", "no autoscaler"]],
    ["unpinned k3s", "pool", { ...lambdaOnDemand, lambda: { ...lambdaOnDemand.lambda!, cluster: { ...lambdaOnDemand.lambda!.cluster, version: "stable" } } }, ["lambda.cluster.version (\"stable\")", "pinned k3s release"]],
    ["spot without a catalog price", "pool", { ...awsManaged, instanceType: "g5.12xlarge", capacityType: "spot" }, ["capacityType (\"spot\")", "g5.12xlarge"]],
    ["mixed GPU shapes", "pool", { ...awsManaged, aws: { ...awsManaged.aws!, additionalInstanceTypes: ["g6e.12xlarge"] } }, ["aws.additionalInstanceTypes[0] (\"g6e.12xlarge\")", "same GPUs"]],
    ["kubelet-restricted label", "pool", { ...coreweaveSpot, labels: { "node-role.kubernetes.io/gpu": "true" } }, ['labels["node-role.kubernetes.io/gpu"]', "NodeRestriction"]],
    ["rke2 on the k3s port", "pool", { ...lambdaOnDemand, lambda: { ...lambdaOnDemand.lambda!, cluster: { ...lambdaOnDemand.lambda!.cluster, distribution: "rke2", version: "v1.31.4+rke2r1" } } }, ["lambda.cluster.serverUrl", "9345"]],
    ["GKE name too long", "a-very-long-gke-node-pool-name-that-overflows", gcpSpot, ["at most 40 characters"]],
    ["a defined instance type without its GPU count", "pool", { ...awsManaged, capacityType: "on-demand", instanceType: { ...G6_XLARGE, gpusPerNode: undefined as never } }, ["instanceType.gpusPerNode", "expected number"]],
    ["a defined spot price above on-demand", "pool", { ...awsManaged, instanceType: { ...G6_XLARGE, spotPerNodeHour: 0.9 } }, ["instanceType.spotPerNodeHour", "must be below on-demand (0.8048)"]],
    ["a defined instance type of another provider", "pool", { ...awsManaged, instanceType: { ...G6_XLARGE, provider: "gcp" } }, ['instanceType.provider ("gcp") must be the pool\'s provider (aws)']],
    ["negative local disk", "pool", { ...coreweaveSpot, ephemeralStoragePerNodeGiB: -1 }, ["ephemeralStoragePerNodeGiB (-1) must be a number of GiB ≥ 0"]],
    ["a GKE boot disk too small for its pods", "pool", { ...gcpSpot, instanceType: "g2-standard-48", gcp: { ...gcpSpot.gcp!, diskSizeGiB: 200 }, ephemeralStoragePerNodeGiB: 116 }, ["gcp.diskSizeGiB (200) is too small", "set gcp.diskSizeGiB to at least 237"]],
    ["a node disk below the images' floor", "pool", { ...awsManaged, aws: { ...awsManaged.aws!, diskSizeGiB: 80 } }, ["aws.diskSizeGiB (80) must be a whole number ≥ 100"]],
  ];

  it.each(cases)("%s", async (_label, name, args, fragments) => {
    const { error, resources } = await synthesizeFailure(() => new GpuNodePool(name, args));
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    for (const fragment of fragments) expect(error.message).toContain(fragment);
    expect(resources).toEqual([]);
  });

  it.each<[string, GpuNodePoolArgs, string]>([
    ["a misspelt GCP region", { ...gcpSpot, region: "us-centrall1" }, 'region ("us-centrall1") is not among the GCP regions the catalog lists; did you mean "us-central1"?'],
    ["an AWS region that does not exist", { ...awsManaged, region: "eu-west-9" }, 'region ("eu-west-9") is not among the AWS regions the catalog lists; did you mean "eu-west-1", "eu-west-2" or "eu-west-3"?'],
    ["a CoreWeave zone in lower case", { ...coreweaveSpot, region: "us-east-04a" }, 'region ("us-east-04a") is not among the CoreWeave regions the catalog lists; did you mean "US-EAST-04A" (CoreWeave spells regions in upper case)?'],
    ["a GCP region on Lambda", { ...lambdaOnDemand, region: "us-east1" }, 'region ("us-east1") is not among the Lambda regions the catalog lists; did you mean "us-east-1"?'],
  ])("refuses %s with a did-you-mean and the escape hatch, and registers nothing", async (_label, args, message) => {
    const { error, resources } = await synthesizeFailure(() => new GpuNodePool("pool", args));
    expect(resources).toEqual([]);
    expect((error as pulumi.InputPropertiesError).errors).toEqual([
      { propertyPath: "region", reason: `${message} If the region is real but not in the catalog yet, set allowUnlistedRegion: true` },
    ]);
  });

  it("takes a region the catalog does not list yet with allowUnlistedRegion, and passes it to the cloud as given", async () => {
    const { children, component } = await pool("h100-spot", { ...awsManaged, region: "ap-southeast-9", allowUnlistedRegion: true });
    expect(shape(children)).toEqual(["aws:ec2/launchTemplate:LaunchTemplate h100-spot-launch-template", "aws:eks/nodeGroup:NodeGroup h100-spot-nodegroup"]);
    expect(nodeGroupOf(children).inputs["region"]).toBe("ap-southeast-9");
    expect(component.placement.region).toBe("ap-southeast-9");
  });

  it("refuses an explicit diskSizeGiB too small for what the pods on a node write to it, naming the property and the fix", async () => {
    const args: GpuNodePoolArgs = { ...awsManaged, ephemeralStoragePerNodeGiB: FOUR_70B_FROM_HUB, aws: { ...awsManaged.aws!, amiType: "BOTTLEROCKET_x86_64_NVIDIA", diskSizeGiB: 200 } };
    const { error, resources } = await synthesizeFailure(() => new GpuNodePool("p5-spot", args));
    expect(resources).toEqual([]);
    expect((error as pulumi.InputPropertiesError).errors).toEqual([
      {
        propertyPath: "aws.diskSizeGiB",
        reason:
          "aws.diskSizeGiB (200) is too small for the 624 GiB of local disk the pods of one node request on it (ephemeralStoragePerNodeGiB) plus 85 GiB of images and system, kept under 85% full (the kubelet's image-GC threshold): set aws.diskSizeGiB to at least 835, or leave it out to derive it",
      },
    ]);
  });

  it("refuses local disk the node's NVMe cannot hold, before registering anything", async () => {
    // g6.xlarge has one 250 GB NVMe (233 GiB): not four 70B checkpoints.
    const { error, resources } = await synthesizeFailure(() => new GpuNodePool("l4", { ...awsManaged, instanceType: G6_XLARGE, ephemeralStoragePerNodeGiB: FOUR_70B_FROM_HUB }));
    expect(resources).toEqual([]);
    expect((error as pulumi.InputPropertiesError).errors).toEqual([
      {
        propertyPath: "ephemeralStoragePerNodeGiB",
        reason:
          "ephemeralStoragePerNodeGiB (624) needs 835 GiB of local NVMe per node with 85 GiB of images under 85% full, but g6.xlarge has 233 GiB; run fewer replicas per node, or give vLLM a ModelWeightCache (stream or replicate) so it downloads nothing",
      },
    ]);
  });

  it("accepts a CoreWeave Region as well as its zone", async () => {
    const { children } = await pool("h100", { ...coreweaveSpot, region: "US-EAST-04" });
    expect(shape(children)).toEqual(["kubernetes:compute.coreweave.com/v1alpha1:NodePool h100-nodepool"]);
  });

  it("lists every problem at once", async () => {
    const { error } = await synthesizeFailure(() => new GpuNodePool("pool", { ...coreweaveSpot, minNodes: -1, maxNodes: 0, region: "" }));
    expect(error.message).toContain("3 invalid arguments");
    expect((error as pulumi.InputPropertiesError).errors.map((e) => e.propertyPath)).toEqual(["region", "minNodes", "maxNodes"]);
  });
});
