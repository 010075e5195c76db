import type { Provider } from "@switchyard/catalog";
import type { Placement } from "../contracts";

/** How one model's weights reach the GPUs of one cluster. */
export const WEIGHT_STRATEGIES = ["replicate", "node-cache", "stream"] as const;
export type WeightStrategy = (typeof WEIGHT_STRATEGIES)[number];

/** One file of the model, as its manifest lists it. */
export interface WeightFileArgs {
  /** Path relative to the model's prefix, e.g. `model-00001-of-00030.safetensors`; no `..`, no leading `/`. Required. */
  path: string;
  /** Size in bytes; the egress estimate is the sum of these. Required. */
  sizeBytes: number;
  /** Lowercase hex SHA-256 of the file's content (64 characters); the copy is verified against it. Required. */
  sha256: string;
}

/** Which model, pinned: the manifest of every file with its SHA-256, plus its Hugging Face provenance if any. */
export interface WeightModelArgs {
  /**
   * Short name of the model in paths and object names, e.g. `llama-3-3-70b` (DNS-1123 label, at most 40
   * characters). Required.
   */
  name: string;
  /**
   * Every file of the model with its size and SHA-256: this is the pin. The copy is verified against it and a
   * changed manifest lands in a new directory, so a running replica never sees files change under it. Required.
   */
  files: WeightFileArgs[];
  /**
   * The Hugging Face repo and commit the files were published from (provenance, checked for pinning: a branch
   * or tag name is rejected). Defaults to none.
   */
  huggingFace?: HuggingFaceProvenanceArgs;
}

export interface HuggingFaceProvenanceArgs {
  /** Hub repo id, e.g. `meta-llama/Llama-3.3-70B-Instruct`. Required. */
  repo: string;
  /** The 40-character commit SHA the files come from; `main` or a tag moves and is rejected. Required. */
  revision: string;
}

/**
 * Keys of a Kubernetes Secret (in the cache's namespace) holding S3-style credentials. The component only
 * ever references it; the values never pass through Pulumi here.
 */
export interface S3CredentialsSecretArgs {
  /** Secret name (DNS-1123 subdomain). Required. */
  name: string;
  /** Key holding the access key id. Defaults to `access-key-id`. */
  accessKeyIdKey?: string;
  /** Key holding the secret access key. Defaults to `secret-access-key`. */
  secretAccessKeyKey?: string;
}

/**
 * Where the published weights live: an S3-compatible bucket (the SharedServices origin on AWS, or a bucket on
 * CoreWeave AI Object Storage or GCS through its S3-compatible API).
 */
export interface WeightOriginArgs {
  /** Cloud that hosts the origin bucket; decides the egress price. `lambda` sells no object storage. Required. */
  provider: Provider;
  /** `s3://bucket/prefix` under which the manifest's paths live. Required. */
  uri: string;
  /** Region of the bucket (AWS region; CoreWeave/GCS accept any). Required for `aws`; defaults to none elsewhere. */
  region?: string;
  /**
   * S3 endpoint URL. Defaults to the AWS regional endpoint on `aws`, `https://cwobject.com` on `coreweave` and
   * `https://storage.googleapis.com` on `gcp`.
   */
  endpointUrl?: string;
  /** Read-only credentials for the origin, by Secret reference (never literal values). Required. */
  credentialsSecret: S3CredentialsSecretArgs;
}

/** The in-cloud copy that `replicate` fills and vLLM streams from. */
export interface WeightReplicaArgs {
  /**
   * Bucket name. On AWS and GCP the component creates it (retained on delete) unless `existingBucket` is set; on
   * CoreWeave it must already exist (create it with `coreweave.ObjectStorageBucket` or the console). Required.
   */
  bucketName: string;
  /**
   * The bucket already exists and is not managed here: on AWS, the cross-region replica that SharedServices keeps
   * with native S3 replication (the sync Job then only back-fills objects older than the replication rule).
   * Always true on CoreWeave. Defaults to false.
   */
  existingBucket?: boolean;
  /** Credentials the sync Job writes with (Secret in the cache's namespace). Required. */
  writerSecret: S3CredentialsSecretArgs;
  /** Read-only credentials vLLM streams with (Secret in the cache's namespace). Required. */
  readerSecret: S3CredentialsSecretArgs;
  /** AWS only: KMS key ARN for the bucket's SSE-KMS. Defaults to a key created here, with rotation, retained on delete. */
  kmsKeyArn?: string;
  /** GCP only: project of the bucket. Defaults to the provider's project. */
  gcpProject?: string;
  /**
   * CoreWeave only: read through LOTA (`http://cwlota.com`, the node-local cache reachable only from CoreWeave
   * GPU nodes) instead of `https://cwobject.com`. Defaults to false.
   */
  useLota?: boolean;
}

/** The node-local NVMe cache. */
export interface WeightNodeCacheArgs {
  /**
   * Directory on the node's local NVMe that holds the cache, e.g. `/mnt/nvme/switchyard-models`. Where local NVMe
   * is mounted differs per cloud and node image, so there is no default. Required.
   */
  hostPath: string;
  /** Longest a vLLM pod waits for the ready marker before its init container fails (and is retried). Defaults to 7200. */
  waitTimeoutSeconds?: number;
}

/**
 * Monthly assumptions behind the egress estimate; each is explicit so the estimate can be argued with.
 * Every strategy reads only the ones it uses.
 */
export interface WeightEgressAssumptionsArgs {
  /** New model revisions published per month (each one is copied again). Defaults to 1. */
  revisionsPerMonth?: number;
  /** `node-cache`: nodes the pool runs in steady state (each holds its own copy). Defaults to 1. */
  nodes?: number;
  /**
   * `node-cache`: nodes that join the pool per month and fetch a fresh copy (scale-ups, spot replacements,
   * repairs). Defaults to `nodes` (each node replaced about once a month).
   */
  nodeArrivalsPerMonth?: number;
  /** `stream`: vLLM cold starts per month (each streams the whole model once). Defaults to 30 (one a day). */
  coldStartsPerMonth?: number;
  /**
   * `replicate`: USD per GB-month of the in-cloud copy. Defaults to the standard class of the cloud's object
   * store (AWS S3 $0.023, GCS $0.020, CoreWeave hot $0.06).
   */
  replicaStoragePricePerGBMonth?: number;
}

export interface ModelWeightCacheArgs {
  /**
   * The GPU pool vLLM runs on: the `placement` output of a `GpuNodePool`. Its provider and region decide where the
   * copy lives; `node-cache` runs on its nodes. Required.
   */
  placement: Placement;
  /** `replicate`, `node-cache` or `stream`; see the README for when each pays off. Required. */
  strategy: WeightStrategy;
  /** Namespace of the Kubernetes objects and of the vLLM pods that use the weights (DNS-1123 label). Required. */
  namespace: string;
  /** The model, pinned by its manifest. Required. */
  model: WeightModelArgs;
  /** Where the weights are published. Required. */
  origin: WeightOriginArgs;
  /** The in-cloud bucket; required for `replicate`, not accepted otherwise. */
  replica?: WeightReplicaArgs;
  /** The host-path cache; required for `node-cache`, not accepted otherwise. */
  nodeCache?: WeightNodeCacheArgs;
  /**
   * Image of the sync tool (rclone), pinned by version tag or digest. Defaults to `rclone/rclone:1.68.2`.
   */
  syncImage?: string;
  /** How long one copy (sync Job, or one node's fetch) may take. Defaults to 7200 seconds. */
  syncTimeoutSeconds?: number;
  /** Assumptions of the egress estimate. Defaults as documented on each field. */
  egressAssumptions?: WeightEgressAssumptionsArgs;
}
