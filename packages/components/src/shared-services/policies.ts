/**
 * IAM and KMS policy documents as pure functions of ARNs, so tests can read them without mocks.
 * Sources: shared/reference/security-and-reliability.md §6 (checks 20–24) and provider-facts §3.6.
 */

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Record<string, unknown>[];
}

/** S3 endpoint that a reader's KMS decrypt must come through (`kms:ViaService`). */
export function s3ServiceFor(region: string): string {
  return `s3.${region}.amazonaws.com`;
}

/**
 * A reader may get objects and list keys under one prefix of one bucket, and decrypt with the bucket's key only
 * when S3 asks on its behalf. Nothing else: no writes, no `s3:*`, no `Resource: "*"`.
 */
export function readerPolicy(bucketArn: string, prefix: string, kmsKeyArn: string, region: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ReadWeights", Effect: "Allow", Action: ["s3:GetObject"], Resource: `${bucketArn}/${prefix}*` },
      { Sid: "ListWeights", Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucketArn, Condition: { StringLike: { "s3:prefix": [`${prefix}*`] } } },
      {
        Sid: "DecryptWeightsThroughS3",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": s3ServiceFor(region) } },
      },
    ],
  };
}

/**
 * Trust for `sts:AssumeRoleWithWebIdentity` from exactly one OIDC provider, with `StringEquals` on both the
 * audience and the exact subjects (no wildcard: a wildcard `sub` admits every service account of the cluster).
 */
export function webIdentityTrustPolicy(providerArn: string, issuerHost: string, audience: string, subjects: string[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${issuerHost}:aud`]: audience, [`${issuerHost}:sub`]: subjects } },
      },
    ],
  };
}

/** S3 itself assumes the replication role. */
export function replicationTrustPolicy(): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" }],
  };
}

/**
 * Replication reads versions from the source and writes replicas to the destination, nothing more; SSE-KMS objects
 * need decrypt on the source key and encrypt on the destination key, each only through S3 in its region.
 */
export function replicationRolePolicy(a: {
  sourceBucketArn: string;
  destinationBucketArn: string;
  sourceKmsKeyArn: string;
  destinationKmsKeyArn: string;
  sourceRegion: string;
  destinationRegion: string;
}): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: a.sourceBucketArn },
      {
        Sid: "ReadSourceVersions",
        Effect: "Allow",
        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
        Resource: `${a.sourceBucketArn}/*`,
      },
      { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: `${a.destinationBucketArn}/*` },
      {
        Sid: "DecryptSource",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: a.sourceKmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": s3ServiceFor(a.sourceRegion) } },
      },
      {
        Sid: "EncryptReplicas",
        Effect: "Allow",
        Action: ["kms:Encrypt"],
        Resource: a.destinationKmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": s3ServiceFor(a.destinationRegion) } },
      },
    ],
  };
}
