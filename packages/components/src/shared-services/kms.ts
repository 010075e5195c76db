import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { kmsKeyArgs } from "./s3-bucket";

/** AWS services that use Switchyard's keys on a caller's behalf (`kms:ViaService` is `<service>.<region>.amazonaws.com`). */
export type KmsCallerService = "s3" | "secretsmanager" | "elasticache";

/**
 * What a key's administrators may do: everything but use it. AWS's "key administrators" statement, less the
 * `kms:Create*` that includes CreateGrant (a grant to oneself would be a use outside the services).
 */
const KEY_ADMINISTRATION = [
  "kms:CreateAlias",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
];
/** What a service does with the key for a caller: envelope encryption, and grants for services that hold data (ElastiCache). */
const KEY_USE = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"];

/**
 * An explicit key policy (checkov CKV2_AWS_64) narrower than AWS's default: the account keeps administering the
 * key through IAM (so it can never become unmanageable), but its principals may use the key only through the named
 * services in the key's region, from this account. A reader's or a role's own IAM policy still has to allow each use.
 */
export function kmsKeyPolicy(o: { partition: string; account: string; region: string; services: readonly KmsCallerService[] }): Record<string, unknown> {
  const root = `arn:${o.partition}:iam::${o.account}:root`;
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: root }, Action: KEY_ADMINISTRATION, Resource: "*" },
      {
        Sid: "AccountUsesThroughServices",
        Effect: "Allow",
        Principal: { AWS: root },
        Action: KEY_USE,
        Resource: "*",
        Condition: {
          StringEquals: { "kms:ViaService": [...o.services].sort().map((service) => `${service}.${o.region}.amazonaws.com`), "kms:CallerAccount": o.account },
        },
      },
    ],
  };
}

/**
 * A customer-managed key (yearly rotation, 30-day deletion window, retained on delete) and its key policy
 * (`<name>-policy`) for the deploying account and partition.
 */
export function createKmsKey(
  name: string,
  o: { description: string; region: string; tags: Record<string, string>; services: readonly KmsCallerService[] },
  parent: pulumi.Resource,
): aws.kms.Key {
  const key = new aws.kms.Key(name, kmsKeyArgs(o.description, o.region, o.tags), { parent, retainOnDelete: true });
  const account = aws.getCallerIdentityOutput({}, { parent }).accountId;
  const partition = aws.getPartitionOutput({}, { parent }).partition;
  new aws.kms.KeyPolicy(
    `${name}-policy`,
    { keyId: key.keyId, region: o.region, policy: pulumi.all([partition, account]).apply(([p, a]) => JSON.stringify(kmsKeyPolicy({ partition: p, account: a, region: o.region, services: o.services }))) },
    // Deleting the policy resource would not restore the default; the key keeps this one.
    { parent, retainOnDelete: true },
  );
  return key;
}
