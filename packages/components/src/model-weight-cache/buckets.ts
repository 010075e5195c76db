import type * as gcp from "@pulumi/gcp";
import type { HardenedBucketOptions } from "../shared-services/s3-bucket";
import type { ResolvedModelWeightCache } from "./resolve";

/** Labels/tags for cloud resources: the Kubernetes labels with '/' and '.' made safe for GCP label keys. */
function cloudTags(r: ResolvedModelWeightCache): Record<string, string> {
  return { "switchyard-component": "model-weight-cache", "switchyard-instance": r.name, "switchyard-model": r.model.name };
}

/** AWS replica: the same hardened bucket as the origin (versioning, SSE-KMS, public access blocked, TLS only). */
export function awsReplicaBucketOptions(r: ResolvedModelWeightCache, kmsKeyArn: HardenedBucketOptions["kmsKeyArn"]): HardenedBucketOptions {
  const replica = r.replica!;
  return { region: replica.region!, bucketName: replica.bucket, kmsKeyArn, objectLockEnabled: false, tags: cloudTags(r) };
}

/**
 * GCP replica: a GCS bucket in the pool's region with uniform bucket-level access, public access prevention
 * enforced and versioning; reached by the sync Job and vLLM through the S3-compatible XML API with HMAC keys.
 */
export function gcsReplicaBucketArgs(r: ResolvedModelWeightCache): gcp.storage.BucketArgs {
  const replica = r.replica!;
  return {
    name: replica.bucket,
    ...(replica.gcpProject !== undefined ? { project: replica.gcpProject } : {}),
    location: r.region.toUpperCase(),
    storageClass: "STANDARD",
    uniformBucketLevelAccess: true,
    publicAccessPrevention: "enforced",
    versioning: { enabled: true },
    forceDestroy: false,
    labels: cloudTags(r),
  };
}
