/** Valid SharedServices arguments; tests spread and override them. */
import * as pulumi from "@pulumi/pulumi";
import type { SharedServicesArgs } from "../../src/shared-services";

export const COREWEAVE_ISSUER = "https://oidc.cks.coreweave.com/id/0123456789abcdef";
export const EKS_ISSUER = "https://oidc.eks.us-west-2.amazonaws.com/id/ABCDEF0123456789";

/** Everything on: replication, two provider keys, one reader of each kind, Redis and a budget. */
export function fullArgs(secrets: { openai: string; anthropic: string; redis?: string } = { openai: "sk-openai-test", anthropic: "sk-ant-test" }): SharedServicesArgs {
  return {
    region: "us-east-1",
    weights: { bucketName: "switchyard-weights" },
    replication: { region: "us-west-2", bucketName: "switchyard-weights-usw2" },
    providerApiKeys: { openai: pulumi.secret(secrets.openai), anthropic: pulumi.secret(secrets.anthropic) },
    readers: [
      { name: "coreweave", provider: "coreweave", identity: "web-identity", webIdentity: { issuerUrl: COREWEAVE_ISSUER, subjects: ["system:serviceaccount:inference:default"] } },
      {
        name: "eks-usw2",
        provider: "aws",
        identity: "web-identity",
        webIdentity: { issuerUrl: EKS_ISSUER, subjects: ["system:serviceaccount:inference:default"], providerArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABCDEF0123456789" },
      },
      { name: "lambda", provider: "lambda", identity: "access-key" },
    ],
    redis: {
      vpcId: "vpc-0123",
      subnetIds: ["subnet-a", "subnet-b"],
      allowedSecurityGroupIds: ["sg-gateway"],
      nodeType: "cache.t4g.small",
      ...(secrets.redis !== undefined ? { authToken: pulumi.secret(secrets.redis) } : {}),
    },
    auditLog: { bucketName: "switchyard-audit" },
    budget: { monthlyLimitUsd: 25_000, alertEmails: ["platform@example.com"] },
  };
}

/** The least the component accepts: region and budget. */
export const minimalArgs: SharedServicesArgs = { region: "us-east-1", budget: { monthlyLimitUsd: 1000, alertEmails: ["platform@example.com"] } };
