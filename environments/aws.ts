/**
 * AWS: EKS managed GPU node groups (spot, on-demand burst) in the cluster that also hosts the gateway: an
 * existing cluster (kubeconfig, clusterName, nodeRoleArn) or one this stack creates (createCluster).
 */
import * as aws from "@pulumi/aws";
import { eksCluster } from "./clusters";
import type { AwsConfig } from "./config";
import type { Fleet } from "./fleet";
import { providerRegion } from "./fleet";
import type { ProviderStackOutputs } from "./provider-stack";
import { deployProviderStack, existingCluster } from "./provider-stack";

export function awsEnvironment(config: AwsConfig, fleet: Fleet): ProviderStackOutputs {
  const region = providerRegion(fleet, "aws");
  const cluster =
    config.createCluster === undefined
      ? existingCluster(config, { clusterName: config.clusterName!, nodeRoleArn: config.nodeRoleArn! })
      : eksCluster(config.createCluster, region, config.subnetIds);
  return deployProviderStack(
    "aws",
    config,
    fleet,
    (_d, c) => ({ aws: { clusterName: c.clusterName!, nodeRoleArn: c.nodeRoleArn!, subnetIds: config.subnetIds } }),
    { cloudProvider: () => new aws.Provider("aws", { region: region as aws.Region }), cluster },
  );
}
