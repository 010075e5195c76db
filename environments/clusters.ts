/**
 * Clusters the AWS and GCP stacks can create instead of deploying into an existing one (`switchyard:createCluster`):
 * an EKS or GKE control plane with a small CPU node pool for the gateway and cluster add-ons. The GPU pools are
 * the stack's GpuNodePools. The kubeconfig authenticates through the cloud's CLI plugin, so no token is stored.
 */
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { AwsConfig, GcpConfig } from "./config";
import type { ClusterHandles, ClusterSource } from "./provider-stack";

type EksCreate = NonNullable<AwsConfig["createCluster"]>;
type GkeCreate = NonNullable<GcpConfig["createCluster"]>;

const assumedBy = (service: string) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });

/** A kubeconfig for one cluster whose credentials come from an exec plugin at use time. */
export function execKubeconfig(name: string, server: string, caData: string, exec: { command: string; args: string[] }): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server, "certificate-authority-data": caData } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    users: [{ name, user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: exec.command, args: exec.args, interactiveMode: "Never" } } }],
  });
}

/** EKS: control plane (secrets envelope-encrypted with a rotating KMS key, audit logs on), node role, CPU node group. */
export function eksCluster(create: EksCreate, region: string, subnetIds: string[]): ClusterSource {
  const planned: ClusterHandles = { kubeconfig: "(created)", clusterName: create.name, nodeRoleArn: "arn:aws:iam::000000000000:role/(created)" };
  return {
    planned,
    create(opts) {
      const clusterRole = new aws.iam.Role("eks-cluster", { assumeRolePolicy: assumedBy("eks.amazonaws.com") }, opts);
      const clusterPolicy = new aws.iam.RolePolicyAttachment("eks-cluster-policy", { role: clusterRole.name, policyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy" }, opts);
      const key = new aws.kms.Key("eks-secrets", { description: `EKS secrets encryption for ${create.name}`, enableKeyRotation: true, deletionWindowInDays: 30 }, { ...opts, retainOnDelete: true });
      const cluster = new aws.eks.Cluster(
        "eks",
        {
          name: create.name,
          version: create.version,
          roleArn: clusterRole.arn,
          vpcConfig: {
            subnetIds,
            endpointPrivateAccess: true,
            endpointPublicAccess: create.publicAccessCidrs.length > 0,
            ...(create.publicAccessCidrs.length > 0 ? { publicAccessCidrs: create.publicAccessCidrs } : {}),
          },
          encryptionConfig: { resources: ["secrets"], provider: { keyArn: key.arn } },
          // Every control-plane log: the controller manager and scheduler logs explain stuck GPU scheduling.
          enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
          accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
        },
        { ...opts, dependsOn: [clusterPolicy], protect: true },
      );
      const nodeRole = new aws.iam.Role("eks-nodes", { assumeRolePolicy: assumedBy("ec2.amazonaws.com") }, opts);
      const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"].map(
        (policy) => new aws.iam.RolePolicyAttachment(`eks-nodes-${policy}`, { role: nodeRole.name, policyArn: `arn:aws:iam::aws:policy/${policy}` }, opts),
      );
      new aws.eks.NodeGroup(
        "eks-system",
        {
          clusterName: cluster.name,
          nodeRoleArn: nodeRole.arn,
          subnetIds,
          instanceTypes: [create.systemInstanceType],
          amiType: "AL2023_x86_64_STANDARD",
          scalingConfig: { minSize: 2, desiredSize: 2, maxSize: 4 },
        },
        { ...opts, dependsOn: nodePolicies, ignoreChanges: ["scalingConfig.desiredSize"] },
      );
      const kubeconfig = pulumi
        .all([cluster.name, cluster.endpoint, cluster.certificateAuthority])
        .apply(([name, endpoint, ca]) => execKubeconfig(name, endpoint, ca?.data ?? "", { command: "aws", args: ["eks", "get-token", "--cluster-name", name, "--region", region, "--output", "json"] }));
      return { kubeconfig: pulumi.secret(kubeconfig), clusterName: cluster.name, nodeRoleArn: nodeRole.arn };
    },
  };
}

/** GKE: regional control plane with Workload Identity, no default pool, a small CPU pool; deletion protected. */
export function gkeCluster(create: GkeCreate, region: string, project: string): ClusterSource {
  const planned: ClusterHandles = { kubeconfig: "(created)", gkeCluster: create.name };
  return {
    planned,
    create(opts) {
      const cluster = new gcp.container.Cluster(
        "gke",
        {
          name: create.name,
          project,
          location: region,
          minMasterVersion: create.version,
          releaseChannel: { channel: "REGULAR" },
          network: create.network,
          ...(create.subnetwork === undefined ? {} : { subnetwork: create.subnetwork }),
          removeDefaultNodePool: true,
          initialNodeCount: 1,
          workloadIdentityConfig: { workloadPool: `${project}.svc.id.goog` },
          deletionProtection: true,
        },
        { ...opts, protect: true },
      );
      new gcp.container.NodePool("gke-system", {
        cluster: cluster.name,
        project,
        location: region,
        autoscaling: { minNodeCount: 1, maxNodeCount: 3 },
        nodeConfig: { machineType: create.systemMachineType, workloadMetadataConfig: { mode: "GKE_METADATA" }, shieldedInstanceConfig: { enableSecureBoot: true } },
        management: { autoRepair: true, autoUpgrade: true },
      }, opts);
      const kubeconfig = pulumi
        .all([cluster.name, cluster.endpoint, cluster.masterAuth])
        // masterAuth is unknown until the cluster exists (and absent under mocks).
        .apply(([name, endpoint, auth]) => execKubeconfig(name, `https://${endpoint}`, (auth as typeof auth | undefined)?.clusterCaCertificate ?? "", { command: "gke-gcloud-auth-plugin", args: [] }));
      return { kubeconfig: pulumi.secret(kubeconfig), gkeCluster: cluster.name };
    },
  };
}
