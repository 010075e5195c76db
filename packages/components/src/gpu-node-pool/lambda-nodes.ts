import * as pulumi from "@pulumi/pulumi";
import { LAMBDA_API_BASE_URL, renderLambdaCloudInit } from "./lambda";
import type { LambdaInstanceArgs } from "./lambda";
import type { ResolvedGpuNodePool } from "./resolve";

/** Instance name of the pool's `index`-th Lambda node; also its Kubernetes node name prefix. */
export function lambdaNodeName(r: ResolvedGpuNodePool, index: number): string {
  return `${r.poolName}-${index}`;
}

/**
 * Launch arguments for one Lambda node. The cloud-init carries the cluster join token, so it is
 * built inside an `apply` on the token and stays a secret end to end.
 */
export function lambdaInstanceArgs(r: ResolvedGpuNodePool, index: number): LambdaInstanceArgs {
  const lambda = r.lambda!;
  const { distribution, version, serverUrl, joinToken } = lambda.cluster;
  const userData = pulumi.secret(
    pulumi.output(joinToken).apply((token) =>
      renderLambdaCloudInit({ distribution, version, serverUrl, joinToken: token, nodeLabels: r.labels, nodeTaints: r.taints }),
    ),
  );
  return {
    apiKey: pulumi.secret(lambda.apiKey),
    instanceTypeName: r.instance.name,
    regionName: r.region,
    sshKeyName: lambda.sshKeyName,
    instanceName: lambdaNodeName(r, index),
    userData,
    ...(lambda.fileSystemName !== undefined ? { fileSystemNames: [lambda.fileSystemName] } : {}),
    apiBaseUrl: lambda.apiBaseUrl ?? LAMBDA_API_BASE_URL,
  };
}
