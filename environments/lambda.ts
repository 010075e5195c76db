/**
 * Lambda: on-demand instances launched through the Lambda Cloud API and joined to the environment's
 * k3s/RKE2 cluster, vLLM per model. No spot tier and no autoscaler: the plan's fixed node count per model.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ProviderStackOutputs } from "./provider-stack";
import { deployProviderStack } from "./provider-stack";
import type { LambdaConfig } from "./config";
import type { Fleet } from "./fleet";

export function lambda(config: LambdaConfig, fleet: Fleet): ProviderStackOutputs {
  const apiKey = pulumi.secret(config.lambdaApiKey);
  const joinToken = pulumi.secret(config.clusterJoinToken);
  return deployProviderStack(
    "lambda",
    config,
    fleet,
    () => ({
      lambda: {
        apiKey,
        sshKeyName: config.sshKeyName,
        cluster: { ...config.cluster, joinToken },
        ...(config.lambdaApiBaseUrl !== undefined ? { apiBaseUrl: config.lambdaApiBaseUrl } : {}),
      },
    }),
  );
}
