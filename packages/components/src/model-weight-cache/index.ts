export { ModelWeightCache } from "./component";
export { WEIGHT_STRATEGIES } from "./args";
export type {
  HuggingFaceProvenanceArgs,
  ModelWeightCacheArgs,
  S3CredentialsSecretArgs,
  WeightEgressAssumptionsArgs,
  WeightFileArgs,
  WeightModelArgs,
  WeightNodeCacheArgs,
  WeightOriginArgs,
  WeightReplicaArgs,
  WeightStrategy,
} from "./args";
export { estimateWeightEgress } from "./egress";
export type { WeightEgressEstimate, WeightEgressInput } from "./egress";
export { PICKLE_EXTENSIONS, READY_MARKER, fileListText, manifestDigest, sha256SumsText } from "./manifest";
export {
  CAIOS_ENDPOINT,
  CAIOS_LOTA_ENDPOINT,
  DEFAULT_SYNC_IMAGE,
  GCS_S3_ENDPOINT,
  MODELS_MOUNT_ROOT,
  PAUSE_IMAGE,
  WEIGHTS_VOLUME,
  fetchScript,
  replicateScript,
  resolveModelWeightCacheArgs,
  waitForMarkerScript,
} from "./resolve";
export type { ResolvedModelWeightCache, ResolvedNodeCache, ResolvedReplica, ResolvedS3Location } from "./resolve";
export { nodeCacheDaemonSetSpec, rcloneRemoteEnv, syncConfigMapSpec, syncJobSpec } from "./workloads";
export { awsReplicaBucketOptions, gcsReplicaBucketArgs } from "./buckets";
