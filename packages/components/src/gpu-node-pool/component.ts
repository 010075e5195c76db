import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Placement } from "../contracts";
import type { GpuNodePoolArgs } from "./args";
import { ec2NodeClassObject, eksLaunchTemplateArgs, eksNodeGroupArgs, karpenterNodePoolObject } from "./aws";
import { coreweaveAutoscales, coreweaveNodePoolObject } from "./coreweave";
import { gkeNodePoolArgs } from "./gcp";
import { LambdaInstance } from "./lambda";
import { lambdaInstanceArgs } from "./lambda-nodes";
import { resolveGpuNodePoolArgs } from "./resolve";
import type { ResolvedGpuNodePool } from "./resolve";

/**
 * A pool of GPU nodes on AWS (EKS node group or Karpenter), GCP (GKE), CoreWeave (CKS NodePool) or
 * Lambda (API-launched instances joined to a cluster). Outputs the `Placement` that VllmServing consumes.
 */
export class GpuNodePool extends pulumi.ComponentResource {
  /** Where workloads for this pool go: selector, tolerations, GPU facts and hourly cost. */
  public readonly placement: Placement;
  /** The pool's name on its cloud. */
  public readonly poolName: pulumi.Output<string>;
  public readonly provider: pulumi.Output<string>;
  public readonly capacityType: pulumi.Output<string>;
  public readonly instanceType: pulumi.Output<string>;
  public readonly gpuType: pulumi.Output<string>;
  public readonly gpusPerNode: pulumi.Output<number>;
  /** USD per node-hour at this capacity type, from the catalog. */
  public readonly hourlyCostPerNode: pulumi.Output<number>;
  /** Lambda instance ids; empty on clouds whose autoscaler owns the nodes. */
  public readonly instanceIds: pulumi.Output<string[]>;

  constructor(name: string, args: GpuNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything, so a bad pool leaves nothing behind, not even itself.
    const r = resolveGpuNodePoolArgs(name, args);
    super("switchyard:index:GpuNodePool", name, {}, opts);

    const poolName = this.createNodes(name, r);
    this.placement = r.placement;
    this.poolName = poolName.name;
    this.provider = pulumi.output(r.provider);
    this.capacityType = pulumi.output(r.capacityType);
    this.instanceType = pulumi.output(r.instance.name);
    this.gpuType = pulumi.output(r.instance.gpuType);
    this.gpusPerNode = pulumi.output(r.instance.gpusPerNode);
    this.hourlyCostPerNode = pulumi.output(r.placement.hourlyCostPerNode);
    this.instanceIds = poolName.instanceIds;
    this.registerOutputs({
      placement: this.placement,
      poolName: this.poolName,
      provider: this.provider,
      capacityType: this.capacityType,
      instanceType: this.instanceType,
      gpuType: this.gpuType,
      gpusPerNode: this.gpusPerNode,
      hourlyCostPerNode: this.hourlyCostPerNode,
      instanceIds: this.instanceIds,
    });
  }

  private createNodes(name: string, r: ResolvedGpuNodePool): { name: pulumi.Output<string>; instanceIds: pulumi.Output<string[]> } {
    const none = pulumi.output<string[]>([]);
    switch (r.provider) {
      case "aws": {
        const a = r.aws!;
        if (a.karpenter) {
          const nodeClass = new k8s.apiextensions.CustomResource(`${name}-nodeclass`, ec2NodeClassObject(r, a) as k8s.apiextensions.CustomResourceArgs, { parent: this });
          const pool = new k8s.apiextensions.CustomResource(`${name}-karpenter`, karpenterNodePoolObject(r, a) as k8s.apiextensions.CustomResourceArgs, { parent: this, dependsOn: [nodeClass] });
          return { name: pool.metadata.name, instanceIds: none };
        }
        // AL2023 on instance-store NVMe: a launch template turns the NVMe into the kubelet's disk.
        const template = a.instanceStoreRaid0 ? new aws.ec2.LaunchTemplate(`${name}-launch-template`, eksLaunchTemplateArgs(r, a), { parent: this }) : undefined;
        const launchTemplate = template && { id: template.id, version: template.latestVersion.apply((v) => String(v)) };
        const group = new aws.eks.NodeGroup(`${name}-nodegroup`, eksNodeGroupArgs(r, a, launchTemplate), {
          parent: this,
          ignoreChanges: ["scalingConfig.desiredSize"],
        });
        return { name: group.nodeGroupName, instanceIds: none };
      }
      case "gcp": {
        const pool = new gcp.container.NodePool(`${name}-gke`, gkeNodePoolArgs(r, r.gcp!), {
          parent: this,
          ignoreChanges: ["initialNodeCount", "nodeCount"],
        });
        return { name: pool.name, instanceIds: none };
      }
      case "coreweave": {
        const pool = new k8s.apiextensions.CustomResource(`${name}-nodepool`, coreweaveNodePoolObject(r) as k8s.apiextensions.CustomResourceArgs, {
          parent: this,
          // CKS's autoscaler rewrites targetNodes; a fixed-size pool keeps it under Pulumi's control.
          ignoreChanges: coreweaveAutoscales(r) ? ["spec.targetNodes"] : [],
        });
        return { name: pool.metadata.name, instanceIds: none };
      }
      case "lambda": {
        const instances = Array.from({ length: r.minNodes }, (_, i) => new LambdaInstance(`${name}-node-${i}`, lambdaInstanceArgs(r, i), { parent: this }));
        return { name: pulumi.output(r.poolName), instanceIds: pulumi.all(instances.map((i) => i.instanceId)) };
      }
      default:
        throw new Error(`unreachable: provider ${String(r.provider satisfies never)}`);
    }
  }
}
