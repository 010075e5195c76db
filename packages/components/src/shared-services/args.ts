import type * as pulumi from "@pulumi/pulumi";
import type { Provider } from "@switchyard/catalog";

/** How another cloud's workloads prove who they are to AWS when they pull weights. */
export const READER_IDENTITIES = ["web-identity", "access-key"] as const;
export type ReaderIdentity = (typeof READER_IDENTITIES)[number];

export const OBJECT_LOCK_MODES = ["GOVERNANCE", "COMPLIANCE"] as const;
export type ObjectLockMode = (typeof OBJECT_LOCK_MODES)[number];

/** The weights origin bucket. */
export interface WeightsBucketArgs {
  /** Physical bucket name (globally unique). Defaults to Pulumi auto-naming (`<name>-weights-<random>`). */
  bucketName?: string;
  /** Key prefix the models are published under; readers are scoped to it. Defaults to `models/`. */
  prefix?: string;
}

/** Cross-region replication of the weights bucket into a second AWS region (native S3 replication). */
export interface WeightsReplicationArgs {
  /** Destination AWS region, different from `region`. Required. */
  region: string;
  /** Physical name of the replica bucket. Defaults to Pulumi auto-naming (`<name>-weights-replica-<random>`). */
  bucketName?: string;
}

/** Keys of one OIDC identity provider that AWS trusts (a Kubernetes cluster's service-account issuer). */
export interface ReaderWebIdentityArgs {
  /** Issuer URL of the cluster's service-account tokens, `https://...` (EKS, GKE, CKS or a self-published one). Required. */
  issuerUrl: string;
  /**
   * Exact token subjects allowed, e.g. `system:serviceaccount:inference:default`; wildcards would let any service
   * account of the cluster assume the role. Required, at least one.
   */
  subjects: string[];
  /** Token audience. Defaults to `sts.amazonaws.com`. */
  audience?: string;
  /**
   * ARN of an existing IAM OIDC provider for `issuerUrl` (one per issuer per account, e.g. the EKS cluster's).
   * Defaults to creating one here.
   */
  providerArn?: pulumi.Input<string>;
}

/** A read-only identity another cloud uses to pull weights from the origin. */
export interface WeightReaderArgs {
  /** Short name, e.g. `coreweave-us-east` (DNS-1123 label, at most 32 characters). Required. */
  name: string;
  /** The cloud the reader runs on. Required. */
  provider: Provider;
  /**
   * `web-identity`: an IAM role assumed with the cluster's service-account tokens (the narrowest option; required
   * on `aws` and `gcp`, whose clusters always have a public issuer). `access-key`: an IAM user whose access key
   * rotates on a schedule (`keyRotationDays`), stored only in Secrets Manager; allowed only on `coreweave` and
   * `lambda`, whose clusters may have no issuer AWS can reach. Required.
   */
  identity: ReaderIdentity;
  /** Required when `identity` is `web-identity`. */
  webIdentity?: ReaderWebIdentityArgs;
  /** Key prefix the reader may read, inside the weights prefix. Defaults to the weights prefix. */
  prefix?: string;
  /**
   * `access-key` only: days each access key is current before the next `pulumi up` replaces it (whole days, 1 to
   * 365). The user holds two keys: the one in the secret and the one before it, still valid for one more period so
   * that the other cloud has that long to pick up the new one. Defaults to 90.
   */
  keyRotationDays?: number;
}

/** ElastiCache Redis for the gateway's shared router state. */
export interface ElastiCacheRedisArgs {
  /** VPC of the cache. Required. */
  vpcId: pulumi.Input<string>;
  /** Private subnets (two or more AZs) of the cache. Required. */
  subnetIds: pulumi.Input<string>[];
  /** Security groups (e.g. the gateway's) admitted on the Redis port. At least one of these or `allowedCidrBlocks`. */
  allowedSecurityGroupIds?: pulumi.Input<string>[];
  /** CIDR blocks admitted on the Redis port. At least one of these or `allowedSecurityGroupIds`. */
  allowedCidrBlocks?: string[];
  /** Node type, e.g. `cache.t4g.small`. No default: it decides the bill. */
  nodeType: string;
  /** Nodes (primary + replicas, one per AZ); 2 or more enables automatic failover. Defaults to 2. */
  nodes?: number;
  /** Pinned Redis OSS engine version. Defaults to `7.1`. */
  engineVersion?: string;
  /**
   * AUTH token (16–128 characters, no `@`, `"`, `/` or spaces); pass a Pulumi secret. Defaults to a generated
   * 64-character token.
   */
  authToken?: pulumi.Input<string>;
}

/** The audit-log bucket: Object Lock with a default retention. */
export interface AuditLogArgs {
  /** Physical bucket name. Defaults to Pulumi auto-naming (`<name>-audit-<random>`). */
  bucketName?: string;
  /** Days every object is locked against deletion and overwrite. Defaults to 365. */
  retentionDays?: number;
  /**
   * `GOVERNANCE` (users with `s3:BypassGovernanceRetention` can still delete) or `COMPLIANCE` (nobody can, not even
   * root, until the retention ends). Defaults to `GOVERNANCE`.
   */
  mode?: ObjectLockMode;
}

/** The monthly AWS cost budget and who hears about it. */
export interface BudgetArgs {
  /** Monthly limit in USD. Required. */
  monthlyLimitUsd: number;
  /** Addresses notified when a threshold is crossed. Required, at least one. */
  alertEmails: string[];
  /** Percentages of the limit that alert on actual spend. Defaults to 50, 80 and 100. */
  actualThresholdsPercent?: number[];
  /** Percentages of the limit that alert on forecast spend. Defaults to 100. */
  forecastThresholdsPercent?: number[];
}

export interface SharedServicesArgs {
  /** AWS region of everything but the replica. Required. */
  region: string;
  /** The weights origin bucket. Defaults as documented on each field. */
  weights?: WeightsBucketArgs;
  /** Cross-region replication of the weights bucket. Defaults to none. */
  replication?: WeightsReplicationArgs;
  /**
   * Provider API keys for the gateway (e.g. `{ openai: config.requireSecret("openaiKey") }`), one Secrets Manager
   * secret each. Values must be Pulumi secrets; plain strings are refused. Names are DNS-1123 labels. Defaults to none.
   */
  providerApiKeys?: Record<string, pulumi.Input<string>>;
  /** Read-only identities other clouds pull weights with. Defaults to none. */
  readers?: WeightReaderArgs[];
  /** ElastiCache Redis for the gateway. Defaults to none. */
  redis?: ElastiCacheRedisArgs;
  /** The audit-log bucket. Defaults as documented on each field. */
  auditLog?: AuditLogArgs;
  /** The monthly budget and its alerts. Required: shared services never run without one. */
  budget: BudgetArgs;
}
