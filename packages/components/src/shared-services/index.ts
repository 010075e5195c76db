export { SharedServices } from "./component";
export { OBJECT_LOCK_MODES, READER_IDENTITIES } from "./args";
export type {
  AuditLogArgs,
  BudgetArgs,
  ElastiCacheRedisArgs,
  ObjectLockMode,
  ReaderIdentity,
  ReaderWebIdentityArgs,
  SharedServicesArgs,
  WeightReaderArgs,
  WeightsBucketArgs,
  WeightsReplicationArgs,
} from "./args";
export {
  DEFAULT_AUDIT_RETENTION_DAYS,
  DEFAULT_REDIS_ENGINE_VERSION,
  DEFAULT_STS_AUDIENCE,
  REDIS_PORT,
  budgetNotifications,
  resolveSharedServicesArgs,
} from "./resolve";
export type { ResolvedReader, ResolvedRedis, ResolvedSharedServices } from "./resolve";
export { readerPolicy, replicationRolePolicy, replicationTrustPolicy, s3ServiceFor, webIdentityTrustPolicy } from "./policies";
export type { PolicyDocument } from "./policies";
export {
  bucketArgs,
  bucketPolicyDocument,
  createHardenedBucket,
  encryptionArgs,
  kmsKeyArgs,
  ownershipControlsArgs,
  publicAccessBlockArgs,
  tlsOnlyStatements,
  versioningArgs,
} from "./s3-bucket";
export type { HardenedBucket, HardenedBucketOptions } from "./s3-bucket";
