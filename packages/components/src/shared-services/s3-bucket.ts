import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Days S3 server access logs are kept. */
export const ACCESS_LOG_RETENTION_DAYS = 365;

/**
 * A private S3 bucket with every control Switchyard requires declared explicitly (security-and-reliability.md
 * §6.1, checks 19–20), even where AWS now defaults to them, so that drift shows up and tests can see them:
 * versioning, SSE-KMS with a full key ARN and bucket keys, all four public-access blocks, ACLs disabled
 * (BucketOwnerEnforced), a policy denying plain HTTP and TLS below 1.2, and lifecycle rules so versioning does not
 * keep every overwritten object forever and abandoned multipart uploads (weights are uploaded in parts) are cleared.
 */
export interface HardenedBucketOptions {
  /** AWS region of the bucket. */
  region: string;
  /** Physical bucket name; undefined lets Pulumi auto-name it (`<logical name>-<random>`). */
  bucketName: string | undefined;
  /**
   * Full KMS key ARN (never an alias: an alias resolves in the requester's account); `undefined` only for an
   * access-log bucket, which gets SSE-S3 (S3 log delivery cannot write into an SSE-KMS bucket).
   */
  kmsKeyArn: pulumi.Input<string> | undefined;
  /** Object Lock must be chosen at creation and can never be turned off. */
  objectLockEnabled: boolean;
  tags: Record<string, string>;
  /** Extra statements for the bucket policy (e.g. who may write). */
  extraPolicyStatements?: (bucketArn: pulumi.Output<string>) => pulumi.Input<Record<string, unknown>[]>;
  /** Days an overwritten or deleted object's previous version is kept. Defaults to NONCURRENT_VERSION_DAYS. */
  noncurrentVersionDays?: number;
  /** Days after which current objects expire (access logs); undefined keeps them. */
  expireAfterDays?: number;
}

/** How long previous versions of an object stay recoverable when nothing else is asked for. */
export const NONCURRENT_VERSION_DAYS = 30;
/** Multipart uploads not completed in this many days are aborted and their parts deleted. */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

export interface HardenedBucket {
  bucket: aws.s3.Bucket;
  /** Versioning is what replication and Object Lock wait for. */
  versioning: aws.s3.BucketVersioning;
  /** Every companion resource, so that callers can depend on the whole set. */
  companions: pulumi.Resource[];
}

export function bucketArgs(o: HardenedBucketOptions): aws.s3.BucketArgs {
  return {
    ...(o.bucketName !== undefined ? { bucket: o.bucketName } : {}),
    region: o.region,
    // A weights or audit bucket is never emptied by `pulumi destroy`.
    forceDestroy: false,
    ...(o.objectLockEnabled ? { objectLockEnabled: true } : {}),
    tags: o.tags,
  };
}

export function versioningArgs(bucket: pulumi.Input<string>, region: string): aws.s3.BucketVersioningArgs {
  return { bucket, region, versioningConfiguration: { status: "Enabled" } };
}

export function encryptionArgs(bucket: pulumi.Input<string>, region: string, kmsKeyArn: pulumi.Input<string> | undefined): aws.s3.BucketServerSideEncryptionConfigurationArgs {
  if (kmsKeyArn === undefined) return { bucket, region, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] };
  return {
    bucket,
    region,
    rules: [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn },
        // S3 Bucket Keys cut KMS request costs by ~99% for buckets of many large objects.
        bucketKeyEnabled: true,
      },
    ],
  };
}

export function publicAccessBlockArgs(bucket: pulumi.Input<string>, region: string): aws.s3.BucketPublicAccessBlockArgs {
  return { bucket, region, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
}

export function ownershipControlsArgs(bucket: pulumi.Input<string>, region: string): aws.s3.BucketOwnershipControlsArgs {
  return { bucket, region, rule: { objectOwnership: "BucketOwnerEnforced" } };
}

export function lifecycleArgs(bucket: pulumi.Input<string>, region: string, o: Pick<HardenedBucketOptions, "noncurrentVersionDays" | "expireAfterDays">): aws.s3.BucketLifecycleConfigurationArgs {
  const everything = {};
  return {
    bucket,
    region,
    rules: [
      { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: everything, abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS } },
      { id: "expire-noncurrent-versions", status: "Enabled", filter: everything, noncurrentVersionExpiration: { noncurrentDays: o.noncurrentVersionDays ?? NONCURRENT_VERSION_DAYS } },
      ...(o.expireAfterDays !== undefined ? [{ id: "expire-objects", status: "Enabled", filter: everything, expiration: { days: o.expireAfterDays } }] : []),
    ],
  };
}

/**
 * Lets S3 server access logging deliver into a bucket, from the named source buckets only (the service principal
 * with `aws:SourceArn`; no ACLs, which BucketOwnerEnforced disables).
 */
export function logDeliveryStatement(logBucketArn: string, sourceBucketArns: string[]): Record<string, unknown> {
  return {
    Sid: "S3ServerAccessLogDelivery",
    Effect: "Allow",
    Principal: { Service: "logging.s3.amazonaws.com" },
    Action: "s3:PutObject",
    Resource: `${logBucketArn}/*`,
    Condition: { ArnLike: { "aws:SourceArn": sourceBucketArns } },
  };
}

/** Denies every request over plain HTTP or TLS < 1.2 (Security Hub S3.5; AWS Config s3-bucket-ssl-requests-only). */
export function tlsOnlyStatements(bucketArn: string): Record<string, unknown>[] {
  const resource = [bucketArn, `${bucketArn}/*`];
  return [
    { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: resource, Condition: { Bool: { "aws:SecureTransport": "false" } } },
    { Sid: "DenyOutdatedTls", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: resource, Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } },
  ];
}

export function bucketPolicyDocument(bucketArn: string, extra: Record<string, unknown>[] = []): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: [...tlsOnlyStatements(bucketArn), ...extra] });
}

/**
 * Declares the bucket and its companions as children of `parent`, named `${prefix}`, `${prefix}-versioning`,
 * `${prefix}-lifecycle`, `${prefix}-encryption`, `${prefix}-public-access`, `${prefix}-ownership` and
 * `${prefix}-policy`. All are
 * retained on delete: removing a companion would switch its control off on a bucket that stays.
 */
export function createHardenedBucket(prefix: string, o: HardenedBucketOptions, parent: pulumi.Resource): HardenedBucket {
  const opts: pulumi.CustomResourceOptions = { parent, retainOnDelete: true };
  const bucket = new aws.s3.Bucket(prefix, bucketArgs(o), opts);
  const versioning = new aws.s3.BucketVersioning(`${prefix}-versioning`, versioningArgs(bucket.id, o.region), opts);
  // S3 applies noncurrent-version rules only once versioning is on.
  const lifecycle = new aws.s3.BucketLifecycleConfiguration(`${prefix}-lifecycle`, lifecycleArgs(bucket.id, o.region, o), { ...opts, dependsOn: [versioning] });
  const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(`${prefix}-encryption`, encryptionArgs(bucket.id, o.region, o.kmsKeyArn), opts);
  const publicAccess = new aws.s3.BucketPublicAccessBlock(`${prefix}-public-access`, publicAccessBlockArgs(bucket.id, o.region), opts);
  const ownership = new aws.s3.BucketOwnershipControls(`${prefix}-ownership`, ownershipControlsArgs(bucket.id, o.region), opts);
  const policy = new aws.s3.BucketPolicy(
    `${prefix}-policy`,
    {
      bucket: bucket.id,
      region: o.region,
      policy: pulumi.all([bucket.arn, pulumi.output(o.extraPolicyStatements?.(bucket.arn) ?? [])]).apply(([arn, extra]) => bucketPolicyDocument(arn, extra)),
    },
    // S3 rejects a bucket policy while the public-access block is being written; order them.
    { ...opts, dependsOn: [publicAccess] },
  );
  return { bucket, versioning, companions: [versioning, lifecycle, encryption, publicAccess, ownership, policy] };
}

/**
 * An access-log bucket for `sources` (all in `region`): hardened like the others but SSE-S3, since S3 log delivery
 * cannot write SSE-KMS; writable only by the logging service on behalf of those buckets; logs expire after
 * ACCESS_LOG_RETENTION_DAYS. Each source gets a `<source>-logging` configuration under its own prefix.
 */
export function createAccessLogBucket(
  prefix: string,
  region: string,
  sources: { logicalName: string; bucket: aws.s3.Bucket }[],
  tags: Record<string, string>,
  parent: pulumi.Resource,
): HardenedBucket {
  const logs = createHardenedBucket(
    prefix,
    {
      region,
      bucketName: undefined,
      kmsKeyArn: undefined,
      objectLockEnabled: false,
      tags,
      expireAfterDays: ACCESS_LOG_RETENTION_DAYS,
      extraPolicyStatements: (arn) => pulumi.all([arn, pulumi.all(sources.map((source) => source.bucket.arn))]).apply(([logArn, sourceArns]) => [logDeliveryStatement(logArn, sourceArns)]),
    },
    parent,
  );
  for (const source of sources) {
    new aws.s3.BucketLogging(
      `${source.logicalName}-logging`,
      { bucket: source.bucket.id, region, targetBucket: logs.bucket.id, targetPrefix: `${source.logicalName}/` },
      { parent, retainOnDelete: true, dependsOn: logs.companions },
    );
  }
  return logs;
}

/** A customer-managed KMS key with yearly rotation and the 30-day deletion window (check 21). */
export function kmsKeyArgs(description: string, region: string, tags: Record<string, string>): aws.kms.KeyArgs {
  return { description, region, enableKeyRotation: true, deletionWindowInDays: 30, tags };
}
