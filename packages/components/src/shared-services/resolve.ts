import * as pulumi from "@pulumi/pulumi";
import { PROVIDERS, regionProblem } from "@switchyard/catalog";
import type { Provider } from "@switchyard/catalog";
import { ArgChecks, isKnown, oneOf } from "../internal/errors";
import { isDns1123Label } from "../internal/names";
import { OBJECT_LOCK_MODES, READER_IDENTITIES } from "./args";
import type { AuditLogArgs, BudgetArgs, ElastiCacheRedisArgs, ObjectLockMode, ReaderIdentity, SharedServicesArgs, WeightReaderArgs } from "./args";
import { DEFAULT_KEY_ROTATION_DAYS, MAX_KEY_ROTATION_DAYS, accessKeySlots } from "./key-rotation";
import type { AccessKeySlot } from "./key-rotation";
import type { KmsCallerService } from "./kms";

/** Redis OSS version when none is given: pinned, so an engine upgrade is a reviewed change. */
export const DEFAULT_REDIS_ENGINE_VERSION = "7.1";
export const REDIS_PORT = 6379;
/** Generated AUTH tokens: letters and digits only (ElastiCache forbids `@`, `"`, `/` and spaces). */
export const GENERATED_REDIS_TOKEN_LENGTH = 64;
export const DEFAULT_AUDIT_RETENTION_DAYS = 365;
/** Secrets Manager waits this long before a deleted secret is gone (its maximum). */
export const SECRET_RECOVERY_WINDOW_DAYS = 30;
export const DEFAULT_STS_AUDIENCE = "sts.amazonaws.com";

const COMPONENT = "SharedServices";
/** Leaves room for `-provider-key-<name>-version` and similar child names. */
const NAME_MAX = 24;
const READER_NAME_MAX = 32;
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const PREFIX = /^([A-Za-z0-9_.-]+\/)+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SA_SUBJECT = /^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const ISSUER_URL = /^https:\/\/[a-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~\-/]*)?$/;
const CACHE_NODE_TYPE = /^cache\.[a-z0-9]+\.[a-z0-9]+$/;
const REDIS_VERSION = /^\d+\.\d+$/;
const IPV4_CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;
/** Clouds whose clusters always publish an OIDC issuer AWS can reach, so static keys are never needed there. */
const FEDERATING_PROVIDERS: readonly Provider[] = ["aws", "gcp"];

export interface ResolvedReader {
  name: string;
  provider: Provider;
  identity: ReaderIdentity;
  webIdentity: { issuerUrl: string; issuerHost: string; subjects: string[]; audience: string; providerArn: pulumi.Input<string> | undefined } | undefined;
  /** Key prefix the reader may read (ends in '/'). */
  prefix: string;
  /** `access-key`: days between key rotations; undefined for `web-identity`. */
  keyRotationDays: number | undefined;
  /** `access-key`: its two key slots at the time of resolution (see `accessKeySlots`); empty for `web-identity`. */
  keySlots: AccessKeySlot[];
}

export interface ResolvedRedis {
  vpcId: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  allowedSecurityGroupIds: pulumi.Input<string>[];
  allowedCidrBlocks: string[];
  nodeType: string;
  nodes: number;
  engineVersion: string;
  /** The caller's token (secret-wrapped), or undefined to generate one. */
  authToken: pulumi.Input<string> | undefined;
}

export interface ResolvedSharedServices {
  name: string;
  region: string;
  tags: Record<string, string>;
  weights: { bucketName: string | undefined; prefix: string };
  replication: { region: string; bucketName: string | undefined } | undefined;
  /** Sorted by name; values wrapped with `pulumi.secret`. */
  providerApiKeys: { name: string; secretName: string; value: pulumi.Output<string> }[];
  readers: ResolvedReader[];
  /** Services that may use the shared key on a caller's behalf (its key policy). */
  keyCallerServices: KmsCallerService[];
  redis: ResolvedRedis | undefined;
  auditLog: { bucketName: string | undefined; retentionDays: number; mode: ObjectLockMode };
  budget: { monthlyLimitUsd: number; alertEmails: string[]; actualThresholdsPercent: number[]; forecastThresholdsPercent: number[] };
}

/**
 * Validates SharedServices' arguments and fills the defaults. Throws one `pulumi.InputPropertiesError` listing
 * every problem (never echoing a credential); pure, so tests call it without mocks.
 */
/** `now` decides which access keys are due (key-rotation.ts); the component passes the clock. */
export function resolveSharedServicesArgs(name: string, args: SharedServicesArgs, now: Date = new Date()): ResolvedSharedServices {
  const checks = new ArgChecks(COMPONENT, name);
  checks.check(
    typeof name === "string" && name.length <= NAME_MAX && isDns1123Label(name),
    "name",
    name,
    `must be a DNS-1123 label of at most ${NAME_MAX} characters (it prefixes IAM, Secrets Manager and ElastiCache names)`,
  );
  checkAwsRegion(checks, "region", args.region);

  const weightsPrefix = args.weights?.prefix ?? "models/";
  checks.check(PREFIX.test(weightsPrefix), "weights.prefix", weightsPrefix, 'must be a key prefix ending in "/", e.g. models/');
  checkBucketName(checks, "weights.bucketName", args.weights?.bucketName);

  if (args.replication !== undefined) {
    const r = args.replication;
    if (checkAwsRegion(checks, "replication.region", r.region)) {
      checks.check(r.region !== args.region, "replication.region", r.region, `must differ from region (${args.region}): replication here is cross-region`);
    }
    checkBucketName(checks, "replication.bucketName", r.bucketName);
  }

  const providerApiKeys = resolveProviderApiKeys(checks, name, args.providerApiKeys ?? {});
  const readers = resolveReaders(checks, args.readers ?? [], weightsPrefix, now);
  const redis = args.redis !== undefined ? resolveRedis(checks, args.redis) : undefined;
  const auditLog = resolveAuditLog(checks, args.auditLog ?? {});
  const budget = resolveBudget(checks, args.budget);

  checks.throwIfAny();
  return {
    name,
    region: args.region,
    tags: { "switchyard-component": "shared-services", "switchyard-instance": name, "managed-by": "switchyard" },
    weights: { bucketName: args.weights?.bucketName, prefix: weightsPrefix },
    replication: args.replication ? { region: args.replication.region, bucketName: args.replication.bucketName } : undefined,
    providerApiKeys,
    readers,
    redis,
    // The buckets and secrets always use the shared key; ElastiCache only when there is a Redis.
    keyCallerServices: redis ? ["s3", "secretsmanager", "elasticache"] : ["s3", "secretsmanager"],
    auditLog,
    budget: budget!,
  };
}

/**
 * Commercial-partition regions only (the ARNs in the bucket policies are built for `aws`), as the catalog
 * lists them: the catalog's AWS list is that partition, so one list decides for every component.
 */
function checkAwsRegion(checks: ArgChecks, property: string, region: unknown): boolean {
  if (typeof region !== "string" || region.length === 0) {
    checks.add(property, region, "is required: a commercial AWS region such as us-east-1");
    return false;
  }
  const problem = regionProblem("aws", region);
  if (problem !== undefined) checks.add(property, region, `${problem.reason}; ${problem.fix}`);
  return problem === undefined;
}

function checkBucketName(checks: ArgChecks, property: string, bucketName: string | undefined): void {
  if (bucketName === undefined) return;
  checks.check(BUCKET_NAME.test(bucketName), property, bucketName, "must be a bucket name of 3–63 lowercase letters, digits and '-' (no dots: they break virtual-hosted TLS)");
}

function resolveProviderApiKeys(checks: ArgChecks, component: string, keys: Record<string, pulumi.Input<string>>): ResolvedSharedServices["providerApiKeys"] {
  const resolved: ResolvedSharedServices["providerApiKeys"] = [];
  for (const keyName of Object.keys(keys).sort()) {
    const property = `providerApiKeys["${keyName}"]`;
    const value = keys[keyName];
    checks.check(isDns1123Label(keyName) && keyName.length <= 32, property, keyName, "name must be a DNS-1123 label of at most 32 characters, e.g. openai");
    // A plain string here was typed into the program or read unencrypted: refuse it, and never echo it.
    if (isKnown(value)) {
      checks.add(property, undefined, "must be a Pulumi secret (config.requireSecret(...) or pulumi.secret(...)), not a plain string (value not shown)");
      continue;
    }
    if (value === undefined) {
      checks.add(property, undefined, "is required");
      continue;
    }
    resolved.push({ name: keyName, secretName: `switchyard/${component}/provider-keys/${keyName}`, value: pulumi.secret(value) });
  }
  return resolved;
}

function resolveReaders(checks: ArgChecks, readers: WeightReaderArgs[], weightsPrefix: string, now: Date): ResolvedReader[] {
  const seen = new Set<string>();
  return readers.flatMap((reader, i): ResolvedReader[] => {
    const at = `readers[${i}]`;
    const before = checks.count;
    checks.check(typeof reader.name === "string" && reader.name.length <= READER_NAME_MAX && isDns1123Label(reader.name), `${at}.name`, reader.name, `must be a DNS-1123 label of at most ${READER_NAME_MAX} characters`);
    if (seen.has(reader.name)) checks.add(`${at}.name`, reader.name, "is used by another reader; each cloud gets its own identity");
    seen.add(reader.name);
    const providerOk = checks.check((PROVIDERS as readonly string[]).includes(reader.provider), `${at}.provider`, reader.provider, `must be ${oneOf(PROVIDERS)}`);
    const identityOk = checks.check((READER_IDENTITIES as readonly string[]).includes(reader.identity), `${at}.identity`, reader.identity, `must be ${oneOf(READER_IDENTITIES)}`);
    if (providerOk && identityOk && reader.identity === "access-key" && FEDERATING_PROVIDERS.includes(reader.provider)) {
      checks.add(
        `${at}.identity`,
        "access-key",
        `is not allowed for ${reader.provider}: its clusters have an OIDC issuer, so use "web-identity" (${reader.provider === "aws" ? "the EKS cluster's IRSA issuer" : "the GKE cluster's issuer"}); static keys are the last resort for clouds without one`,
      );
    }
    const prefix = reader.prefix ?? weightsPrefix;
    if (checks.check(PREFIX.test(prefix), `${at}.prefix`, prefix, 'must be a key prefix ending in "/"')) {
      checks.check(prefix.startsWith(weightsPrefix), `${at}.prefix`, prefix, `must lie inside the weights prefix (${weightsPrefix})`);
    }
    let webIdentity: ResolvedReader["webIdentity"];
    if (identityOk && reader.identity === "web-identity") {
      webIdentity = resolveWebIdentity(checks, at, reader);
    } else if (reader.webIdentity !== undefined) {
      checks.add(`${at}.webIdentity`, "{...}", 'only applies when identity is "web-identity"; remove it');
    }
    const rotationDays = reader.keyRotationDays ?? DEFAULT_KEY_ROTATION_DAYS;
    if (identityOk && reader.identity !== "access-key" && reader.keyRotationDays !== undefined) {
      checks.add(`${at}.keyRotationDays`, reader.keyRotationDays, 'only applies when identity is "access-key" (a web identity\'s credentials last an hour); remove it');
    } else {
      checks.check(
        Number.isInteger(rotationDays) && rotationDays >= 1 && rotationDays <= MAX_KEY_ROTATION_DAYS,
        `${at}.keyRotationDays`,
        rotationDays,
        `must be a whole number of days from 1 to ${MAX_KEY_ROTATION_DAYS} (90 is the usual policy)`,
      );
    }
    if (checks.count !== before) return [];
    const accessKey = reader.identity === "access-key";
    return [{ name: reader.name, provider: reader.provider, identity: reader.identity, webIdentity, prefix, keyRotationDays: accessKey ? rotationDays : undefined, keySlots: accessKey ? accessKeySlots(now, rotationDays) : [] }];
  });
}

function resolveWebIdentity(checks: ArgChecks, at: string, reader: WeightReaderArgs): ResolvedReader["webIdentity"] {
  const w = reader.webIdentity;
  if (!checks.check(w !== undefined && w !== null, `${at}.webIdentity`, undefined, 'is required when identity is "web-identity": the cluster\'s issuer URL and the exact service-account subjects')) {
    return undefined;
  }
  const before = checks.count;
  checks.check(typeof w!.issuerUrl === "string" && ISSUER_URL.test(w!.issuerUrl), `${at}.webIdentity.issuerUrl`, w!.issuerUrl, "must be the https:// issuer URL of the cluster's service-account tokens");
  const subjects = w!.subjects ?? [];
  checks.check(subjects.length > 0, `${at}.webIdentity.subjects`, subjects, "must list at least one exact subject, e.g. system:serviceaccount:inference:default");
  subjects.forEach((s, j) =>
    checks.check(
      SA_SUBJECT.test(s),
      `${at}.webIdentity.subjects[${j}]`,
      s,
      "must be an exact system:serviceaccount:<namespace>:<name>; wildcards would let every service account assume the role",
    ),
  );
  const audience = w!.audience ?? DEFAULT_STS_AUDIENCE;
  checks.check(typeof audience === "string" && audience.length > 0 && !audience.includes("*"), `${at}.webIdentity.audience`, audience, "must be an exact audience, e.g. sts.amazonaws.com");
  if (checks.count !== before) return undefined;
  return { issuerUrl: w!.issuerUrl, issuerHost: w!.issuerUrl.replace(/^https:\/\//, "").replace(/\/$/, ""), subjects: [...subjects], audience, providerArn: w!.providerArn };
}

function resolveRedis(checks: ArgChecks, redis: ElastiCacheRedisArgs): ResolvedRedis {
  checks.check(redis.vpcId !== undefined, "redis.vpcId", undefined, "is required");
  checks.check(Array.isArray(redis.subnetIds) && redis.subnetIds.length >= 2, "redis.subnetIds", redis.subnetIds?.length, "must list at least two private subnets in different AZs");
  const allowedSecurityGroupIds = redis.allowedSecurityGroupIds ?? [];
  const allowedCidrBlocks = redis.allowedCidrBlocks ?? [];
  checks.check(allowedSecurityGroupIds.length + allowedCidrBlocks.length > 0, "redis.allowedSecurityGroupIds", undefined, "or redis.allowedCidrBlocks must admit the gateway; the cache is otherwise unreachable");
  allowedCidrBlocks.forEach((c, i) => {
    if (checks.check(IPV4_CIDR.test(c), `redis.allowedCidrBlocks[${i}]`, c, "must be an IPv4 CIDR block")) {
      checks.check(!c.endsWith("/0"), `redis.allowedCidrBlocks[${i}]`, c, "would open Redis to every address; admit the gateway's subnets or security group");
    }
  });
  checks.check(typeof redis.nodeType === "string" && CACHE_NODE_TYPE.test(redis.nodeType), "redis.nodeType", redis.nodeType, "must be an ElastiCache node type such as cache.t4g.small (no default: it decides the bill)");
  const nodes = redis.nodes ?? 2;
  checks.check(Number.isInteger(nodes) && nodes >= 1 && nodes <= 6, "redis.nodes", nodes, "must be a whole number from 1 to 6 (2 or more for automatic failover)");
  const engineVersion = redis.engineVersion ?? DEFAULT_REDIS_ENGINE_VERSION;
  checks.check(REDIS_VERSION.test(engineVersion), "redis.engineVersion", engineVersion, "must pin a major.minor version such as 7.1");
  if (isKnown(redis.authToken)) {
    checks.add("redis.authToken", undefined, "must be a Pulumi secret (config.requireSecret(...) or pulumi.secret(...)), not a plain string (value not shown); omit it to generate one");
  }
  return {
    vpcId: redis.vpcId,
    subnetIds: redis.subnetIds,
    allowedSecurityGroupIds,
    allowedCidrBlocks,
    nodeType: redis.nodeType,
    nodes,
    engineVersion,
    authToken: redis.authToken !== undefined ? pulumi.secret(redis.authToken) : undefined,
  };
}

function resolveAuditLog(checks: ArgChecks, audit: AuditLogArgs): ResolvedSharedServices["auditLog"] {
  checkBucketName(checks, "auditLog.bucketName", audit.bucketName);
  const retentionDays = audit.retentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS;
  checks.check(Number.isInteger(retentionDays) && retentionDays >= 1 && retentionDays <= 36_500, "auditLog.retentionDays", retentionDays, "must be a whole number of days from 1 to 36500");
  const mode = audit.mode ?? "GOVERNANCE";
  checks.check((OBJECT_LOCK_MODES as readonly string[]).includes(mode), "auditLog.mode", mode, `must be ${oneOf(OBJECT_LOCK_MODES)}`);
  return { bucketName: audit.bucketName, retentionDays, mode };
}

function resolveBudget(checks: ArgChecks, budget: BudgetArgs | undefined): ResolvedSharedServices["budget"] | undefined {
  if (!checks.check(budget !== undefined && budget !== null, "budget", undefined, "is required: the monthly USD limit and who to alert")) return undefined;
  const b = budget as BudgetArgs;
  checks.check(typeof b.monthlyLimitUsd === "number" && Number.isFinite(b.monthlyLimitUsd) && b.monthlyLimitUsd > 0, "budget.monthlyLimitUsd", b.monthlyLimitUsd, "must be a positive number of USD");
  const emails = b.alertEmails ?? [];
  checks.check(emails.length > 0, "budget.alertEmails", emails, "must list at least one address");
  emails.forEach((e, i) => checks.check(EMAIL.test(e), `budget.alertEmails[${i}]`, e, "must be an email address"));
  const actualThresholdsPercent = b.actualThresholdsPercent ?? [50, 80, 100];
  const forecastThresholdsPercent = b.forecastThresholdsPercent ?? [100];
  for (const [property, values] of [
    ["budget.actualThresholdsPercent", actualThresholdsPercent],
    ["budget.forecastThresholdsPercent", forecastThresholdsPercent],
  ] as const) {
    checks.check(
      values.every((v) => typeof v === "number" && v > 0 && v <= 1000) && new Set(values).size === values.length,
      property,
      values,
      "must be distinct percentages of the limit between 0 and 1000",
    );
  }
  checks.check(actualThresholdsPercent.length + forecastThresholdsPercent.length > 0, "budget.actualThresholdsPercent", actualThresholdsPercent, "or forecastThresholdsPercent must hold at least one threshold");
  return { monthlyLimitUsd: b.monthlyLimitUsd, alertEmails: [...emails], actualThresholdsPercent: [...actualThresholdsPercent], forecastThresholdsPercent: [...forecastThresholdsPercent] };
}

/** Budget notifications: one per threshold, actual spend first. */
export function budgetNotifications(budget: ResolvedSharedServices["budget"]): { comparisonOperator: string; threshold: number; thresholdType: string; notificationType: string; subscriberEmailAddresses: string[] }[] {
  const one = (threshold: number, notificationType: "ACTUAL" | "FORECASTED") => ({
    comparisonOperator: "GREATER_THAN",
    threshold,
    thresholdType: "PERCENTAGE",
    notificationType,
    subscriberEmailAddresses: budget.alertEmails,
  });
  return [...budget.actualThresholdsPercent.map((t) => one(t, "ACTUAL")), ...budget.forecastThresholdsPercent.map((t) => one(t, "FORECASTED"))];
}
