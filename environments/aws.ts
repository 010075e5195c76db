/** AWS: EKS managed GPU node groups (spot, on-demand burst) in the cluster that also hosts the gateway. */
import * as aws from "@pulumi/aws";
import type { ProviderStackOutputs } from "./provider-stack";
import { deployProviderStack } from "./provider-stack";
import type { AwsConfig } from "./config";
import type { Fleet } from "./fleet";
import { providerRegion } from "./fleet";

export function awsEnvironment(config: AwsConfig, fleet: Fleet): ProviderStackOutputs {
  return deployProviderStack(
    "aws",
    config,
    fleet,
    () => ({ aws: { clusterName: config.clusterName, nodeRoleArn: config.nodeRoleArn, subnetIds: config.subnetIds } }),
    { cloudProvider: () => new aws.Provider("aws", { region: providerRegion(fleet, "aws") as aws.Region }) },
  );
}
