import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { SharedServicesArgs } from "./args";
import { readerPolicy, replicationRolePolicy, replicationTrustPolicy, webIdentityTrustPolicy } from "./policies";
import { GENERATED_REDIS_TOKEN_LENGTH, REDIS_PORT, SECRET_RECOVERY_WINDOW_DAYS, budgetNotifications, resolveSharedServicesArgs } from "./resolve";
import type { ResolvedReader, ResolvedRedis, ResolvedSharedServices } from "./resolve";
import { createKmsKey } from "./kms";
import { createAccessLogBucket, createHardenedBucket } from "./s3-bucket";
import type { HardenedBucket } from "./s3-bucket";

/**
 * Shared state of the fleet, on AWS: the weights origin bucket (and its optional cross-region replica), the KMS
 * key, Secrets Manager entries for provider API keys, read-only identities for the other clouds, ElastiCache
 * Redis for the gateway, an Object-Lock audit-log bucket, S3 server access logs of those buckets (a log bucket
 * per region) and a monthly budget. Stateful children are retained on
 * delete. Outputs are flat scalars; credentials only ever appear as secret ARNs.
 */
export class SharedServices extends pulumi.ComponentResource {
  public readonly weightsBucketName: pulumi.Output<string>;
  public readonly weightsBucketArn: pulumi.Output<string>;
  /** Key prefix models are published under (ends in '/'). */
  public readonly weightsPrefix: pulumi.Output<string>;
  /** Full ARN of the KMS key encrypting buckets, secrets and Redis. */
  public readonly kmsKeyArn: pulumi.Output<string>;
  public readonly replicaBucketName: pulumi.Output<string | undefined>;
  public readonly replicaBucketArn: pulumi.Output<string | undefined>;
  public readonly replicaKmsKeyArn: pulumi.Output<string | undefined>;
  public readonly replicationRoleArn: pulumi.Output<string | undefined>;
  public readonly auditLogBucketName: pulumi.Output<string>;
  public readonly auditLogBucketArn: pulumi.Output<string>;
  /** Primary endpoint of the gateway's Redis (TLS on `redisPort`); undefined without `redis`. */
  public readonly redisEndpoint: pulumi.Output<string | undefined>;
  public readonly redisPort: pulumi.Output<number | undefined>;
  /** Secrets Manager ARN holding the Redis AUTH token. */
  public readonly redisAuthTokenSecretArn: pulumi.Output<string | undefined>;
  /** Secrets Manager ARN of each provider API key, by name. */
  public readonly providerApiKeySecretArns: Record<string, pulumi.Output<string>>;
  /** IAM role ARN of each web-identity reader, by reader name. */
  public readonly readerRoleArns: Record<string, pulumi.Output<string>>;
  /** Secrets Manager ARN holding each access-key reader's key pair, by reader name. */
  public readonly readerAccessKeySecretArns: Record<string, pulumi.Output<string>>;
  public readonly budgetName: pulumi.Output<string>;

  constructor(name: string, args: SharedServicesArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything, so bad arguments leave nothing behind, not even the component.
    const r = resolveSharedServicesArgs(name, args);
    super("switchyard:index:SharedServices", name, {}, opts);

    const key = createKmsKey(
      `${name}-kms`,
      { description: `Switchyard shared services ${name}: weights, audit log, secrets, Redis`, region: r.region, tags: r.tags, services: r.keyCallerServices },
      this,
    );
    const weights = createHardenedBucket(`${name}-weights`, { region: r.region, bucketName: r.weights.bucketName, kmsKeyArn: key.arn, objectLockEnabled: false, tags: r.tags }, this);
    const replica = r.replication ? this.createReplication(name, r, weights, key) : undefined;
    const audit = this.createAuditLog(name, r, key);
    // Server access logs go to a bucket in each bucket's own region (S3 delivers only within a region).
    createAccessLogBucket(`${name}-access-logs`, r.region, [{ logicalName: `${name}-weights`, bucket: weights.bucket }, { logicalName: `${name}-audit`, bucket: audit.bucket }], r.tags, this);
    if (replica) createAccessLogBucket(`${name}-access-logs-replica`, r.replication!.region, [{ logicalName: `${name}-weights-replica`, bucket: replica.bucket }], r.tags, this);
    this.providerApiKeySecretArns = Object.fromEntries(
      r.providerApiKeys.map((k) => [k.name, this.createSecret(`${name}-provider-key-${k.name}`, k.secretName, `${k.name} API key for the Switchyard gateway`, k.value, key, r).arn]),
    );
    const readers = r.readers.map((reader) => this.createReader(name, r, reader, weights, key));
    const redis = r.redis ? this.createRedis(name, r, r.redis, key) : undefined;
    const budget = new aws.budgets.Budget(
      `${name}-budget`,
      {
        name: `switchyard-${name}-monthly`,
        budgetType: "COST",
        limitAmount: r.budget.monthlyLimitUsd.toFixed(2),
        limitUnit: "USD",
        timeUnit: "MONTHLY",
        notifications: budgetNotifications(r.budget),
        tags: r.tags,
      },
      { parent: this },
    );

    this.weightsBucketName = weights.bucket.bucket;
    this.weightsBucketArn = weights.bucket.arn;
    this.weightsPrefix = pulumi.output(r.weights.prefix);
    this.kmsKeyArn = key.arn;
    this.replicaBucketName = replica ? replica.bucket.bucket : pulumi.output<string | undefined>(undefined);
    this.replicaBucketArn = replica ? replica.bucket.arn : pulumi.output<string | undefined>(undefined);
    this.replicaKmsKeyArn = replica ? replica.key.arn : pulumi.output<string | undefined>(undefined);
    this.replicationRoleArn = replica ? replica.role.arn : pulumi.output<string | undefined>(undefined);
    this.auditLogBucketName = audit.bucket.bucket;
    this.auditLogBucketArn = audit.bucket.arn;
    this.redisEndpoint = redis ? redis.group.primaryEndpointAddress : pulumi.output<string | undefined>(undefined);
    this.redisPort = pulumi.output(redis ? REDIS_PORT : undefined);
    this.redisAuthTokenSecretArn = redis ? redis.tokenSecret.arn : pulumi.output<string | undefined>(undefined);
    this.readerRoleArns = Object.fromEntries(readers.flatMap((x) => (x.roleArn ? [[x.name, x.roleArn]] : [])));
    this.readerAccessKeySecretArns = Object.fromEntries(readers.flatMap((x) => (x.accessKeySecretArn ? [[x.name, x.accessKeySecretArn]] : [])));
    this.budgetName = budget.name;
    this.registerOutputs({
      weightsBucketName: this.weightsBucketName,
      weightsBucketArn: this.weightsBucketArn,
      weightsPrefix: this.weightsPrefix,
      kmsKeyArn: this.kmsKeyArn,
      replicaBucketName: this.replicaBucketName,
      replicaBucketArn: this.replicaBucketArn,
      replicaKmsKeyArn: this.replicaKmsKeyArn,
      replicationRoleArn: this.replicationRoleArn,
      auditLogBucketName: this.auditLogBucketName,
      auditLogBucketArn: this.auditLogBucketArn,
      redisEndpoint: this.redisEndpoint,
      redisPort: this.redisPort,
      redisAuthTokenSecretArn: this.redisAuthTokenSecretArn,
      providerApiKeySecretArns: this.providerApiKeySecretArns,
      readerRoleArns: this.readerRoleArns,
      readerAccessKeySecretArns: this.readerAccessKeySecretArns,
      budgetName: this.budgetName,
    });
  }

  /** A Secrets Manager secret encrypted with the shared key; the value arrives and stays a Pulumi secret. */
  private createSecret(logicalName: string, secretName: string, description: string, value: pulumi.Input<string>, key: aws.kms.Key, r: ResolvedSharedServices): aws.secretsmanager.Secret {
    const secret = new aws.secretsmanager.Secret(
      logicalName,
      { name: secretName, description, region: r.region, kmsKeyId: key.arn, recoveryWindowInDays: SECRET_RECOVERY_WINDOW_DAYS, tags: r.tags },
      { parent: this, retainOnDelete: true },
    );
    new aws.secretsmanager.SecretVersion(`${logicalName}-version`, { secretId: secret.id, region: r.region, secretString: pulumi.secret(value) }, { parent: this, retainOnDelete: true });
    return secret;
  }

  /**
   * Native cross-region replication: a replica bucket with the same controls and its own key, versioning on both
   * ends before the rule, a role that can only replicate between these two buckets, deletes not replicated.
   * Existing objects are not copied by S3 (provider-facts §0 #19): ModelWeightCache's sync Job back-fills them.
   */
  private createReplication(name: string, r: ResolvedSharedServices, source: HardenedBucket, sourceKey: aws.kms.Key) {
    const rep = r.replication!;
    const key = createKmsKey(`${name}-replica-kms`, { description: `Switchyard weights replica ${name}`, region: rep.region, tags: r.tags, services: ["s3"] }, this);
    const bucket = createHardenedBucket(`${name}-weights-replica`, { region: rep.region, bucketName: rep.bucketName, kmsKeyArn: key.arn, objectLockEnabled: false, tags: r.tags }, this);
    const role = new aws.iam.Role(`${name}-replication`, { assumeRolePolicy: JSON.stringify(replicationTrustPolicy()), description: `S3 replication of the ${name} weights bucket`, tags: r.tags }, { parent: this });
    const policy = new aws.iam.RolePolicy(
      `${name}-replication`,
      {
        role: role.id,
        policy: pulumi
          .all([source.bucket.arn, bucket.bucket.arn, sourceKey.arn, key.arn])
          .apply(([sourceBucketArn, destinationBucketArn, sourceKmsKeyArn, destinationKmsKeyArn]) =>
            JSON.stringify(replicationRolePolicy({ sourceBucketArn, destinationBucketArn, sourceKmsKeyArn, destinationKmsKeyArn, sourceRegion: r.region, destinationRegion: rep.region })),
          ),
      },
      { parent: this },
    );
    new aws.s3.BucketReplicationConfig(
      `${name}-weights-replication`,
      {
        bucket: source.bucket.id,
        region: r.region,
        role: role.arn,
        rules: [
          {
            id: "weights",
            status: "Enabled",
            priority: 1,
            filter: { prefix: r.weights.prefix },
            // Weights are write-once: a delete on the origin must not erase the replica.
            deleteMarkerReplication: { status: "Disabled" },
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
            destination: { bucket: bucket.bucket.arn, storageClass: "STANDARD", encryptionConfiguration: { replicaKmsKeyId: key.arn } },
          },
        ],
      },
      // S3 rejects the rule unless versioning is already Enabled on both buckets (provider-facts §3.6).
      { parent: this, retainOnDelete: true, dependsOn: [source.versioning, bucket.versioning, policy] },
    );
    return { bucket: bucket.bucket, key, role };
  }

  /** The audit-log bucket: Object Lock with a default retention; never a server-access-log target. */
  private createAuditLog(name: string, r: ResolvedSharedServices, key: aws.kms.Key): HardenedBucket {
    // Previous versions are locked for the retention anyway; the lifecycle clears them once it has passed.
    const audit = createHardenedBucket(
      `${name}-audit`,
      { region: r.region, bucketName: r.auditLog.bucketName, kmsKeyArn: key.arn, objectLockEnabled: true, tags: r.tags, noncurrentVersionDays: r.auditLog.retentionDays },
      this,
    );
    new aws.s3.BucketObjectLockConfiguration(
      `${name}-audit-lock`,
      {
        bucket: audit.bucket.id,
        region: r.region,
        objectLockEnabled: "Enabled",
        rule: { defaultRetention: { mode: r.auditLog.mode, days: r.auditLog.retentionDays } },
      },
      { parent: this, retainOnDelete: true, dependsOn: [audit.versioning] },
    );
    return audit;
  }

  /** One read-only identity: a web-identity role (narrowest) or, where only keys work, a user whose key lives in Secrets Manager. */
  private createReader(
    name: string,
    r: ResolvedSharedServices,
    reader: ResolvedReader,
    weights: HardenedBucket,
    key: aws.kms.Key,
  ): { name: string; roleArn?: pulumi.Output<string>; accessKeySecretArn?: pulumi.Output<string> } {
    const base = `${name}-reader-${reader.name}`;
    const policy = pulumi.all([weights.bucket.arn, key.arn]).apply(([bucketArn, keyArn]) => JSON.stringify(readerPolicy(bucketArn, reader.prefix, keyArn, r.region)));
    const tags = { ...r.tags, "switchyard-reader": reader.name, "switchyard-reader-cloud": reader.provider };
    if (reader.identity === "web-identity") {
      const w = reader.webIdentity!;
      const providerArn =
        w.providerArn ?? new aws.iam.OpenIdConnectProvider(`${base}-oidc`, { url: w.issuerUrl, clientIdLists: [w.audience], tags }, { parent: this }).arn;
      const role = new aws.iam.Role(
        base,
        {
          description: `Read-only access to ${r.weights.prefix} for ${reader.provider} workloads (${reader.name})`,
          assumeRolePolicy: pulumi.output(providerArn).apply((arn) => JSON.stringify(webIdentityTrustPolicy(arn, w.issuerHost, w.audience, w.subjects))),
          maxSessionDuration: 3600,
          tags,
        },
        { parent: this },
      );
      new aws.iam.RolePolicy(base, { role: role.id, policy }, { parent: this });
      return { name: reader.name, roleArn: role.arn };
    }
    // Last resort (security-and-reliability §6.2): one user, scoped like the role, whose keys rotate on a schedule
    // (key-rotation.ts) and are stored only as a secret.
    const user = new aws.iam.User(base, { path: "/switchyard/", tags }, { parent: this });
    new aws.iam.UserPolicy(base, { user: user.name, policy }, { parent: this });
    const keys = reader.keySlots.map((slot) => ({
      slot,
      accessKey: new aws.iam.AccessKey(
        `${base}-key-${slot.slot}`,
        { user: user.name },
        {
          parent: this,
          additionalSecretOutputs: ["secret"],
          replacementTrigger: slot.generation,
          // IAM allows two keys per user: the slot's old key goes before its new one is made.
          deleteBeforeReplace: true,
          // The single key of earlier versions becomes the current slot (and is rotated on this update).
          aliases: slot.current ? [{ name: `${base}-key` }] : [],
        },
      ),
    }));
    const current = keys.find((k) => k.slot.current)!.accessKey;
    const secretValue = pulumi.secret(pulumi.all([current.id, current.secret]).apply(([accessKeyId, secretAccessKey]) => JSON.stringify({ accessKeyId, secretAccessKey })));
    const secret = this.createSecret(
      `${base}-key`,
      `switchyard/${name}/readers/${reader.name}`,
      `Weights read key for ${reader.provider} (${reader.name}); replaced by pulumi up every ${reader.keyRotationDays} days, the previous key stays valid one more period`,
      secretValue,
      key,
      r,
    );
    return { name: reader.name, accessKeySecretArn: secret.arn };
  }

  /** ElastiCache Redis with TLS in transit (required), encryption at rest with the shared key, and an AUTH token. */
  private createRedis(name: string, r: ResolvedSharedServices, redis: ResolvedRedis, key: aws.kms.Key) {
    const token =
      redis.authToken ?? new random.RandomPassword(`${name}-redis-auth`, { length: GENERATED_REDIS_TOKEN_LENGTH, special: false }, { parent: this }).result;
    const tokenSecret = this.createSecret(`${name}-redis-auth`, `switchyard/${name}/redis-auth-token`, "AUTH token of the Switchyard gateway Redis", token, key, r);
    const subnets = new aws.elasticache.SubnetGroup(`${name}-redis`, { region: r.region, description: `Switchyard gateway Redis (${name})`, subnetIds: redis.subnetIds, tags: r.tags }, { parent: this });
    const group = new aws.ec2.SecurityGroup(
      `${name}-redis`,
      { region: r.region, vpcId: redis.vpcId, description: `Switchyard gateway Redis (${name}): Redis port from the gateway only`, tags: r.tags },
      { parent: this },
    );
    redis.allowedSecurityGroupIds.forEach((sg, i) => {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-redis-from-sg-${i}`,
        { region: r.region, securityGroupId: group.id, referencedSecurityGroupId: sg, ipProtocol: "tcp", fromPort: REDIS_PORT, toPort: REDIS_PORT, description: "gateway to Redis" },
        { parent: this },
      );
    });
    redis.allowedCidrBlocks.forEach((cidr, i) => {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-redis-from-cidr-${i}`,
        { region: r.region, securityGroupId: group.id, cidrIpv4: cidr, ipProtocol: "tcp", fromPort: REDIS_PORT, toPort: REDIS_PORT, description: "gateway to Redis" },
        { parent: this },
      );
    });
    const failover = redis.nodes >= 2;
    const replicationGroup = new aws.elasticache.ReplicationGroup(
      `${name}-redis`,
      {
        region: r.region,
        description: `Switchyard gateway router state (${name})`,
        engine: "redis",
        engineVersion: redis.engineVersion,
        nodeType: redis.nodeType,
        numCacheClusters: redis.nodes,
        automaticFailoverEnabled: failover,
        multiAzEnabled: failover,
        port: REDIS_PORT,
        subnetGroupName: subnets.name,
        securityGroupIds: [group.id],
        transitEncryptionEnabled: true,
        transitEncryptionMode: "required",
        atRestEncryptionEnabled: true,
        kmsKeyId: key.arn,
        authToken: pulumi.secret(token),
        snapshotRetentionLimit: 1,
        tags: r.tags,
      },
      { parent: this },
    );
    return { group: replicationGroup, tokenSecret };
  }
}
