import {
  BYTES_PER_GB,
  BYTES_PER_GIB,
  COMMIT_SHA,
  HUGGING_FACE_REPO_ID,
  IMAGES,
  PROVIDERS,
  findInstanceType,
  imageReference,
  objectStoragePricePerGBMonth,
} from "@switchyard/catalog";
import type { Provider } from "@switchyard/catalog";
import type { Placement, WeightSource } from "../contracts";
import { ArgChecks, oneOf } from "../internal/errors";
import { LABEL_PREFIX, componentLabels } from "../internal/labels";
import { DNS1123_HINT, isDns1123Label, isLabelKey, isLabelValue } from "../internal/names";
import { isPinnedImage } from "../internal/images";
import { nonRootContainer } from "../internal/security";
import { WEIGHT_STRATEGIES } from "./args";
import type {
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
import { estimateWeightEgress } from "./egress";
import type { WeightEgressEstimate } from "./egress";
import { READY_MARKER, fileListText, isPickleFile, isSafeRelativePath, isSha256Hex, manifestDigest, sha256SumsText, sortedFiles, totalBytes } from "./manifest";

/** rclone: one static binary in a small Alpine image with busybox `sh`, pinned by tag and digest in the catalog. */
export const DEFAULT_SYNC_IMAGE = imageReference(IMAGES.rclone);
/** The DaemonSet's long-running container does nothing: its work is done by its init containers. */
export const PAUSE_IMAGE = imageReference(IMAGES.pause);
/** Unprivileged user the copy runs as. */
export const SYNC_UID = 65532;
/** The pause image's own user. */
export const PAUSE_UID = 65535;
/** CoreWeave AI Object Storage: global endpoint, virtual-hosted addressing only (provider-facts §0 #18, §1.7). */
export const CAIOS_ENDPOINT = "https://cwobject.com";
/** CoreWeave LOTA cache: plain HTTP, reachable only from inside CoreWeave GPU nodes (provider-facts §1.7). */
export const CAIOS_LOTA_ENDPOINT = "http://cwlota.com";
/** GCS through its S3-compatible XML API (HMAC keys), path-style as in vLLM's Run:ai streamer docs. */
export const GCS_S3_ENDPOINT = "https://storage.googleapis.com";
/** Where the node cache appears inside vLLM pods. */
export const MODELS_MOUNT_ROOT = "/models";
/** Mount of the manifest and scripts inside the copy containers. */
export const SYNC_CONFIG_PATH = "/etc/switchyard";
/** Share of a node's local NVMe the weights may take; the rest is for the next revision and scratch. */
export const NODE_CACHE_NVME_SHARE = 0.8;

const COMPONENT = "ModelWeightCache";
const LABEL_NAME = "model-weight-cache";
/** Leaves room in 63-character object names for `-sync-<pin8>` (the Job, whose pods add `-xxxxx`) and `-sync-config`. */
const NAME_MAX = 48;
const MODEL_NAME_MAX = 40;
const S3_URI = /^s3:\/\/(?<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(?<prefix>[A-Za-z0-9_.+\-/]*))?$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;
const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const HTTPS_URL = /^https:\/\/[a-z0-9.-]+(:\d+)?\/?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const HOST_PATH = /^(\/[A-Za-z0-9_][A-Za-z0-9._-]*)+$/;

/** An S3-compatible bucket location with the credentials to use on it. */
export interface ResolvedS3Location {
  provider: Provider;
  bucket: string;
  /** Object key prefix without leading or trailing '/' (may be empty). */
  prefix: string;
  /** AWS region, or undefined off AWS. */
  region: string | undefined;
  /** Endpoint URL; undefined means the AWS regional endpoint. */
  endpointUrl: string | undefined;
  /** Path-style addressing (GCS XML API); false keeps virtual-hosted addressing (AWS, CoreWeave). */
  pathStyle: boolean;
  credentials: Required<S3CredentialsSecretArgs>;
}

export interface ResolvedReplica extends ResolvedS3Location {
  /** The component declares the bucket (AWS and GCP, unless it already exists). */
  createsBucket: boolean;
  /** AWS: the KMS key is created here (no `kmsKeyArn` given). */
  createsKmsKey: boolean;
  kmsKeyArn: string | undefined;
  gcpProject: string | undefined;
  /** Credentials vLLM reads with; `credentials` are the writer's. */
  reader: Required<S3CredentialsSecretArgs>;
  /** Endpoint vLLM reads through (LOTA on CoreWeave when asked). */
  readEndpointUrl: string | undefined;
}

export interface ResolvedNodeCache {
  hostPath: string;
  /** Host directory of this revision: `<hostPath>/<model>/<pin>`. */
  revisionHostPath: string;
  waitTimeoutSeconds: number;
  localNvmeGiB: number;
}

export interface ResolvedModel {
  name: string;
  files: WeightFileArgs[];
  huggingFace: { repo: string; revision: string } | undefined;
  weightBytes: number;
  /** Decimal GB: what storage and egress bill. */
  weightGB: number;
  weightGiB: number;
  /** SHA-256 of the sorted manifest: the revision's identity. */
  manifestDigest: string;
  /** First 12 hex characters of the digest, used in paths. */
  pin: string;
}

export interface ResolvedModelWeightCache {
  name: string;
  namespace: string;
  strategy: WeightStrategy;
  /** Cloud and region of the GPU cluster. */
  provider: Provider;
  region: string;
  placement: Placement;
  labels: Record<string, string>;
  model: ResolvedModel;
  origin: ResolvedS3Location;
  replica: ResolvedReplica | undefined;
  nodeCache: ResolvedNodeCache | undefined;
  syncImage: string;
  pauseImage: string;
  syncTimeoutSeconds: number;
  /** `metadata.name` of each Kubernetes object. */
  objectNames: { configMap: string; job: string; daemonSet: string; networkPolicy: string };
  /** Contents of the ConfigMap the copy containers mount. */
  configData: Record<string, string>;
  weightSource: WeightSource;
  egress: WeightEgressEstimate;
}

/**
 * Validates ModelWeightCache's arguments and fills the defaults. Throws one `pulumi.InputPropertiesError` listing
 * every problem; pure, so tests call it without mocks.
 */
export function resolveModelWeightCacheArgs(name: string, args: ModelWeightCacheArgs): ResolvedModelWeightCache {
  const checks = new ArgChecks(COMPONENT, name);
  checks.check(
    typeof name === "string" && name.length <= NAME_MAX && isDns1123Label(name),
    "name",
    name,
    `must be a DNS-1123 label of at most ${NAME_MAX} characters (it prefixes the Job, DaemonSet and ConfigMap names)`,
  );
  checks.check(isDns1123Label(args.namespace ?? ""), "namespace", args.namespace, DNS1123_HINT);
  const placementOk = checkPlacement(checks, args.placement);
  const strategyOk = checks.check(
    (WEIGHT_STRATEGIES as readonly string[]).includes(args.strategy),
    "strategy",
    args.strategy,
    `must be ${oneOf(WEIGHT_STRATEGIES)}`,
  );
  const model = resolveModel(checks, args.model);
  const origin = resolveOrigin(checks, args.origin);
  const cluster = placementOk ? args.placement.provider : undefined;

  if (strategyOk && cluster !== undefined) checkStrategyFitsCloud(checks, args, cluster);
  const replica = strategyOk && args.strategy === "replicate" && cluster !== undefined ? resolveReplica(checks, args, cluster, origin, model) : undefined;
  const nodeCache = strategyOk && args.strategy === "node-cache" && placementOk ? resolveNodeCache(checks, args, model) : undefined;
  if (strategyOk && args.strategy !== "replicate" && args.replica !== undefined) {
    checks.add("replica", "{...}", `is only used by strategy "replicate" (strategy is "${args.strategy}"); remove it`);
  }
  if (strategyOk && args.strategy !== "node-cache" && args.nodeCache !== undefined) {
    checks.add("nodeCache", "{...}", `is only used by strategy "node-cache" (strategy is "${args.strategy}"); remove it`);
  }

  const syncImage = args.syncImage ?? DEFAULT_SYNC_IMAGE;
  checks.check(
    typeof syncImage === "string" && isPinnedImage(syncImage),
    "syncImage",
    syncImage,
    `must be pinned by a version tag or an @sha256: digest (e.g. ${DEFAULT_SYNC_IMAGE}); floating tags change the copy tool under you`,
  );
  const syncTimeoutSeconds = args.syncTimeoutSeconds ?? 7200;
  checks.check(
    Number.isInteger(syncTimeoutSeconds) && syncTimeoutSeconds >= 600 && syncTimeoutSeconds <= 86_400,
    "syncTimeoutSeconds",
    syncTimeoutSeconds,
    "must be a whole number of seconds between 600 and 86400 (a 140 GB model at 100 MB/s takes about 25 minutes)",
  );
  const assumptions = resolveAssumptions(checks, args.egressAssumptions ?? {});

  checks.throwIfAny();

  // Every check passed, so everything below is defined.
  const m = model as ResolvedModel;
  const o = origin as ResolvedS3Location;
  const placement = args.placement;
  const provider = placement.provider;
  const labels = {
    ...componentLabels(LABEL_NAME, name),
    [`${LABEL_PREFIX}/model`]: m.name,
    [`${LABEL_PREFIX}/weights-pin`]: m.pin,
  };
  const pin8 = m.pin.slice(0, 8);
  const objectNames = { configMap: `${name}-${pin8}`, job: `${name}-sync-${pin8}`, daemonSet: `${name}-cache`, networkPolicy: `${name}-sync` };
  const storagePrice = assumptions.replicaStoragePricePerGBMonth ?? objectStoragePricePerGBMonth(provider) ?? 0;
  const egress = estimateWeightEgress({
    strategy: args.strategy,
    from: o.provider,
    to: provider,
    weightGB: m.weightGB,
    revisionsPerMonth: assumptions.revisionsPerMonth,
    nodes: assumptions.nodes,
    nodeArrivalsPerMonth: assumptions.nodeArrivalsPerMonth,
    coldStartsPerMonth: assumptions.coldStartsPerMonth,
    replicaStoragePricePerGBMonth: storagePrice,
  });
  const resolved: Omit<ResolvedModelWeightCache, "weightSource" | "configData"> = {
    name,
    namespace: args.namespace,
    strategy: args.strategy,
    provider,
    region: placement.region,
    placement,
    labels,
    model: m,
    origin: o,
    replica,
    nodeCache,
    syncImage,
    pauseImage: PAUSE_IMAGE,
    syncTimeoutSeconds,
    objectNames,
    egress,
  };
  return { ...resolved, configData: configData(resolved), weightSource: weightSourceFor(resolved) };
}

// ---------------------------------------------------------------------------------------------------
// What vLLM gets

/** The `WeightSource` VllmServing consumes, for each strategy. Credentials appear only as `secretKeyRef`s. */
export function weightSourceFor(r: Omit<ResolvedModelWeightCache, "weightSource" | "configData">): WeightSource {
  switch (r.strategy) {
    case "stream":
      return streamingSource(r.origin, r.origin.credentials, r.origin.endpointUrl, r.provider);
    case "replicate": {
      const replica = r.replica!;
      return streamingSource(replica, replica.reader, replica.readEndpointUrl, r.provider);
    }
    case "node-cache":
      return nodeCacheSource(r);
  }
}

function streamingSource(
  location: ResolvedS3Location,
  credentials: Required<S3CredentialsSecretArgs>,
  endpointUrl: string | undefined,
  cluster: Provider,
): WeightSource {
  const env: WeightSource["env"] = [
    { name: "AWS_ACCESS_KEY_ID", valueFrom: { secretKeyRef: { name: credentials.name, key: credentials.accessKeyIdKey } } },
    { name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: credentials.name, key: credentials.secretAccessKeyKey } } },
  ];
  if (endpointUrl !== undefined) env.push({ name: "AWS_ENDPOINT_URL", value: endpointUrl });
  if (location.region !== undefined) {
    env.push({ name: "AWS_REGION", value: location.region }, { name: "AWS_DEFAULT_REGION", value: location.region });
  }
  // Path-style only where the store needs it (GCS); CoreWeave AI Object Storage requires virtual-hosted
  // addressing, the streamer's default (runai-model-streamer docs/src/env-vars.md; provider-facts §1.7).
  if (location.pathStyle) env.push({ name: "RUNAI_STREAMER_S3_USE_VIRTUAL_ADDRESSING", value: "0" });
  // Off AWS there is no instance metadata service to ask for credentials; skip the slow probe.
  if (cluster !== "aws") env.push({ name: "AWS_EC2_METADATA_DISABLED", value: "true" });
  return {
    modelPath: s3Uri(location.bucket, location.prefix),
    revision: undefined,
    // Safetensors only: the manifest was checked for pickle files.
    loadFormat: "runai_streamer",
    volumes: [],
    volumeMounts: [],
    env,
    initContainers: [],
  };
}

/** Volume name in the vLLM pod; must not collide with VllmServing's `dshm`. */
export const WEIGHTS_VOLUME = "model-weights";

function nodeCacheSource(r: Omit<ResolvedModelWeightCache, "weightSource" | "configData">): WeightSource {
  const cache = r.nodeCache!;
  const mountPath = `${MODELS_MOUNT_ROOT}/${r.model.name}`;
  const mount = { name: WEIGHTS_VOLUME, mountPath, readOnly: true };
  return {
    modelPath: mountPath,
    revision: undefined,
    loadFormat: "safetensors",
    // Only this revision's directory, read-only. DirectoryOrCreate: the pod may land before the cache pod has
    // created it; the init container below then waits for the marker.
    volumes: [{ name: WEIGHTS_VOLUME, hostPath: { path: cache.revisionHostPath, type: "DirectoryOrCreate" } }],
    volumeMounts: [mount],
    // Tokenizer and config come from the cached files; never reach for the Hub.
    env: [{ name: "HF_HUB_OFFLINE", value: "1" }],
    initContainers: [
      {
        name: "wait-for-weights",
        image: r.syncImage,
        command: ["sh", "-c", waitForMarkerScript(`${mountPath}/${READY_MARKER}`, r.model.manifestDigest, cache.waitTimeoutSeconds)],
        volumeMounts: [mount],
        // Reads a marker and writes only its logs: bounded local disk like the cache's own helpers.
        resources: { requests: { cpu: "10m", memory: "16Mi", "ephemeral-storage": "16Mi" }, limits: { memory: "16Mi", "ephemeral-storage": "64Mi" } },
        securityContext: nonRootContainer(SYNC_UID),
      },
    ],
  };
}

export function waitForMarkerScript(markerPath: string, digest: string, timeoutSeconds: number): string {
  return [
    "waited=0",
    `until [ "$(cat ${markerPath} 2>/dev/null)" = "${digest}" ]; do`,
    `  if [ "$waited" -ge ${timeoutSeconds} ]; then echo "no verified weights at ${markerPath} after ${timeoutSeconds}s; is the ModelWeightCache DaemonSet running on this node?" >&2; exit 1; fi`,
    "  sleep 10; waited=$((waited + 10))",
    "done",
  ].join("\n");
}

export function s3Uri(bucket: string, prefix: string): string {
  return prefix === "" ? `s3://${bucket}` : `s3://${bucket}/${prefix}`;
}

// ---------------------------------------------------------------------------------------------------
// Copy scripts (mounted from the ConfigMap)

function configData(r: Omit<ResolvedModelWeightCache, "weightSource" | "configData">): Record<string, string> {
  const data: Record<string, string> = {
    SHA256SUMS: sha256SumsText(r.model.files),
    "files.txt": fileListText(r.model.files),
  };
  if (r.strategy === "replicate") data["sync.sh"] = replicateScript();
  if (r.strategy === "node-cache") data["fetch.sh"] = fetchScript();
  return data;
}

/**
 * Copies the revision into the in-cloud bucket, reads every byte back to check its SHA-256 against the manifest,
 * deletes what differs (so a retry fetches it again) and only then writes the ready marker.
 */
export function replicateScript(): string {
  return `#!/bin/sh
set -eu
src="origin:\${ORIGIN_BUCKET}/\${ORIGIN_PREFIX}"
dst="replica:\${REPLICA_BUCKET}/\${REPLICA_PREFIX}"
if [ "$(rclone cat "\${dst}/${READY_MARKER}" 2>/dev/null || true)" = "\${MANIFEST_DIGEST}" ]; then
  echo "revision \${MANIFEST_DIGEST} already verified in \${dst}"; exit 0
fi
rclone copy "\${src}" "\${dst}" --files-from-raw ${SYNC_CONFIG_PATH}/files.txt --no-traverse --transfers 8 --checkers 16 --retries 5
if ! rclone checksum sha256 ${SYNC_CONFIG_PATH}/SHA256SUMS "\${dst}" --download --one-way --differ /tmp/differ.txt; then
  echo "SHA-256 mismatch; deleting the differing objects so the next attempt fetches them again" >&2
  [ -s /tmp/differ.txt ] && rclone delete "\${dst}" --files-from-raw /tmp/differ.txt
  exit 1
fi
printf '%s\\n' "\${MANIFEST_DIGEST}" | rclone rcat "\${dst}/${READY_MARKER}"
`;
}

/** Copies the revision onto node-local NVMe, verifies every SHA-256, and writes the marker atomically. */
export function fetchScript(): string {
  return `#!/bin/sh
set -eu
dir="/cache/\${MODEL_NAME}/\${WEIGHTS_PIN}"
if [ "$(cat "\${dir}/${READY_MARKER}" 2>/dev/null || true)" = "\${MANIFEST_DIGEST}" ]; then
  echo "revision \${MANIFEST_DIGEST} already verified in \${dir}"; exit 0
fi
rclone copy "origin:\${ORIGIN_BUCKET}/\${ORIGIN_PREFIX}" "\${dir}" --files-from-raw ${SYNC_CONFIG_PATH}/files.txt --no-traverse --transfers 8 --retries 5
if ! rclone checksum sha256 ${SYNC_CONFIG_PATH}/SHA256SUMS "\${dir}" --one-way --differ /tmp/differ.txt; then
  echo "SHA-256 mismatch; deleting the differing files so the next attempt fetches them again" >&2
  [ -s /tmp/differ.txt ] && rclone delete "\${dir}" --files-from-raw /tmp/differ.txt
  exit 1
fi
printf '%s\\n' "\${MANIFEST_DIGEST}" > "\${dir}/${READY_MARKER}.tmp"
mv "\${dir}/${READY_MARKER}.tmp" "\${dir}/${READY_MARKER}"
`;
}

// ---------------------------------------------------------------------------------------------------
// Checks

function checkPlacement(checks: ArgChecks, placement: Placement | undefined): boolean {
  if (!checks.check(placement !== undefined && placement !== null, "placement", placement, "is required: pass the placement output of a GpuNodePool")) return false;
  const p = placement as Placement;
  const providerOk = checks.check((PROVIDERS as readonly string[]).includes(p.provider), "placement.provider", p.provider, `must be ${oneOf(PROVIDERS)}`);
  const regionOk = checks.check(typeof p.region === "string" && p.region.length > 0, "placement.region", p.region, "is required");
  for (const [key, value] of Object.entries(p.nodeSelector ?? {})) {
    checks.check(isLabelKey(key) && isLabelValue(value), `placement.nodeSelector["${key}"]`, value, "is not a valid Kubernetes label selector entry");
  }
  return providerOk && regionOk;
}

function resolveModel(checks: ArgChecks, model: WeightModelArgs | undefined): ResolvedModel | undefined {
  if (!checks.check(model !== undefined && model !== null, "model", model, "is required: the model's name and its manifest of files")) return undefined;
  const m = model as WeightModelArgs;
  const nameOk = checks.check(
    typeof m.name === "string" && m.name.length <= MODEL_NAME_MAX && isDns1123Label(m.name),
    "model.name",
    m.name,
    `must be a DNS-1123 label of at most ${MODEL_NAME_MAX} characters, e.g. llama-3-3-70b`,
  );
  if (m.huggingFace !== undefined) {
    checks.check(typeof m.huggingFace.repo === "string" && HUGGING_FACE_REPO_ID.test(m.huggingFace.repo), "model.huggingFace.repo", m.huggingFace.repo, "must be a Hub repo id such as meta-llama/Llama-3.3-70B-Instruct");
    checks.check(
      typeof m.huggingFace.revision === "string" && COMMIT_SHA.test(m.huggingFace.revision),
      "model.huggingFace.revision",
      m.huggingFace.revision,
      "must be a 40-character lowercase hex commit SHA; a branch or tag name moves, so the same config would fetch different weights",
    );
  }
  const filesOk = checkFiles(checks, m.files);
  if (!nameOk || !filesOk) return undefined;
  const files = sortedFiles(m.files);
  const weightBytes = totalBytes(files);
  const digest = manifestDigest(files);
  return {
    name: m.name,
    files,
    huggingFace: m.huggingFace ? { repo: m.huggingFace.repo, revision: m.huggingFace.revision } : undefined,
    weightBytes,
    weightGB: weightBytes / BYTES_PER_GB,
    weightGiB: weightBytes / BYTES_PER_GIB,
    manifestDigest: digest,
    pin: digest.slice(0, 12),
  };
}

function checkFiles(checks: ArgChecks, files: WeightFileArgs[] | undefined): boolean {
  if (
    !checks.check(
      Array.isArray(files) && files.length > 0,
      "model.files",
      files,
      "must list every file of the model with its sizeBytes and sha256: the manifest is the pin (without it the prefix could change under the same config)",
    )
  ) {
    return false;
  }
  const before = checks.count;
  const seen = new Set<string>();
  (files as WeightFileArgs[]).forEach((f, i) => {
    const at = `model.files[${i}]`;
    if (!checks.check(isSafeRelativePath(f.path), `${at}.path`, f.path, "must be a relative path of letters, digits, '.', '_', '+', '-' and '/', without '..'")) return;
    if (seen.has(f.path)) checks.add(`${at}.path`, f.path, "is listed twice");
    seen.add(f.path);
    checks.check(Number.isSafeInteger(f.sizeBytes) && f.sizeBytes >= 0, `${at}.sizeBytes`, f.sizeBytes, "must be a whole number of bytes ≥ 0");
    checks.check(isSha256Hex(f.sha256), `${at}.sha256`, f.sha256, "must be the file's SHA-256 as 64 lowercase hex characters");
    if (f.path === READY_MARKER || f.path.endsWith(`/${READY_MARKER}`)) checks.add(`${at}.path`, f.path, `is reserved for the cache's ready marker`);
    if (isPickleFile(f.path)) {
      checks.add(`${at}.path`, f.path, "is a pickle checkpoint, which runs code when loaded and which the Run:ai streamer cannot read; publish safetensors only");
    }
  });
  checks.check(
    (files as WeightFileArgs[]).some((f) => typeof f.path === "string" && f.path.endsWith(".safetensors")),
    "model.files",
    `${(files as WeightFileArgs[]).length} files`,
    "must include the model's .safetensors weights",
  );
  return checks.count === before;
}

function resolveOrigin(checks: ArgChecks, origin: WeightOriginArgs | undefined): ResolvedS3Location | undefined {
  if (!checks.check(origin !== undefined && origin !== null, "origin", origin, "is required: the s3:// bucket the weights are published in, with a Secret holding read credentials")) return undefined;
  const o = origin as WeightOriginArgs;
  const before = checks.count;
  const providerOk = checks.check((PROVIDERS as readonly string[]).includes(o.provider), "origin.provider", o.provider, `must be ${oneOf(["aws", "gcp", "coreweave"])}`);
  if (providerOk) checks.check(o.provider !== "lambda", "origin.provider", o.provider, "cannot host an origin: Lambda sells no object storage; publish to S3, GCS or CoreWeave AI Object Storage");
  const match = typeof o.uri === "string" ? S3_URI.exec(o.uri) : null;
  checks.check(match !== null, "origin.uri", o.uri, "must be an s3://bucket/prefix URI (GCS and CoreWeave buckets are read through their S3-compatible APIs)");
  if (o.provider === "aws") {
    checks.check(typeof o.region === "string" && AWS_REGION.test(o.region), "origin.region", o.region, "is required for an AWS origin: the bucket's region, e.g. us-east-1");
  }
  if (o.endpointUrl !== undefined) {
    checks.check(typeof o.endpointUrl === "string" && HTTPS_URL.test(o.endpointUrl), "origin.endpointUrl", o.endpointUrl, "must be an https:// endpoint URL without a path");
  }
  const credentials = resolveCredentials(checks, "origin.credentialsSecret", o.credentialsSecret, "the origin's read-only credentials");
  if (checks.count !== before || !match?.groups || !credentials) return undefined;
  const provider = o.provider;
  return {
    provider,
    bucket: match.groups["bucket"]!,
    prefix: (match.groups["prefix"] ?? "").replace(/^\/+|\/+$/g, ""),
    region: provider === "aws" ? o.region : undefined,
    endpointUrl: o.endpointUrl ?? defaultEndpoint(provider),
    pathStyle: provider === "gcp",
    credentials,
  };
}

function defaultEndpoint(provider: Provider): string | undefined {
  if (provider === "coreweave") return CAIOS_ENDPOINT;
  if (provider === "gcp") return GCS_S3_ENDPOINT;
  return undefined;
}

function resolveCredentials(checks: ArgChecks, property: string, secret: S3CredentialsSecretArgs | undefined, what: string): Required<S3CredentialsSecretArgs> | undefined {
  if (!checks.check(secret !== undefined && secret !== null, property, undefined, `is required: a Kubernetes Secret (same namespace) holding ${what}; credentials are never passed as literal values`)) {
    return undefined;
  }
  const s = secret as S3CredentialsSecretArgs;
  const before = checks.count;
  checks.check(typeof s.name === "string" && s.name.length <= 253 && DNS1123_SUBDOMAIN.test(s.name), `${property}.name`, s.name, "must name a Secret (DNS-1123 subdomain)");
  const accessKeyIdKey = s.accessKeyIdKey ?? "access-key-id";
  const secretAccessKeyKey = s.secretAccessKeyKey ?? "secret-access-key";
  checks.check(SECRET_KEY.test(accessKeyIdKey), `${property}.accessKeyIdKey`, accessKeyIdKey, "must be a Secret key (letters, digits, '-', '_', '.')");
  checks.check(SECRET_KEY.test(secretAccessKeyKey), `${property}.secretAccessKeyKey`, secretAccessKeyKey, "must be a Secret key (letters, digits, '-', '_', '.')");
  return checks.count === before ? { name: s.name, accessKeyIdKey, secretAccessKeyKey } : undefined;
}

/** Strategies a cloud cannot do, with what to use instead. */
function checkStrategyFitsCloud(checks: ArgChecks, args: ModelWeightCacheArgs, cluster: Provider): void {
  if (args.strategy === "replicate" && cluster === "lambda") {
    checks.add("strategy", "replicate", `cannot run on lambda (placement.provider): Lambda sells no object storage to replicate into; use "node-cache" or "stream"`);
  }
}

function resolveReplica(
  checks: ArgChecks,
  args: ModelWeightCacheArgs,
  cluster: Provider,
  origin: ResolvedS3Location | undefined,
  model: ResolvedModel | undefined,
): ResolvedReplica | undefined {
  if (cluster === "lambda") return undefined;
  if (!checks.check(args.replica !== undefined && args.replica !== null, "replica", undefined, 'is required for strategy "replicate": the in-cloud bucket and its writer/reader Secrets')) {
    return undefined;
  }
  const r = args.replica as WeightReplicaArgs;
  const before = checks.count;
  checks.check(typeof r.bucketName === "string" && BUCKET_NAME.test(r.bucketName), "replica.bucketName", r.bucketName, "must be a bucket name: 3–63 lowercase letters, digits, '.' and '-'");
  const existingBucket = cluster === "coreweave" ? true : (r.existingBucket ?? false);
  if (cluster === "coreweave" && r.existingBucket === false) {
    checks.add(
      "replica.existingBucket",
      false,
      "cannot be false on coreweave: this package has no CoreWeave provider, so the AI Object Storage bucket must already exist (create it with coreweave.ObjectStorageBucket or the console)",
    );
  }
  const region = cluster === "aws" ? args.placement.region : undefined;
  if (cluster === "aws") {
    checks.check(typeof region === "string" && AWS_REGION.test(region), "placement.region", region, "must be an AWS region for an AWS replica bucket, e.g. us-west-2");
    if (origin?.provider === "aws" && origin.region === region && !existingBucket) {
      checks.add(
        "strategy",
        "replicate",
        `copies the origin onto itself: the origin bucket is already in ${region}; use "stream" (same-region S3 reads are free) or "node-cache"`,
      );
    }
  }
  if (r.kmsKeyArn !== undefined) {
    if (cluster !== "aws") checks.add("replica.kmsKeyArn", r.kmsKeyArn, `only applies to AWS replica buckets (placement.provider is "${cluster}")`);
    else if (existingBucket) checks.add("replica.kmsKeyArn", r.kmsKeyArn, "only applies to a bucket created here; the existing bucket keeps its own encryption");
    else checks.check(KMS_KEY_ARN.test(r.kmsKeyArn), "replica.kmsKeyArn", r.kmsKeyArn, "must be a full KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); an alias resolves in the caller's account");
  }
  if (r.gcpProject !== undefined && cluster !== "gcp") checks.add("replica.gcpProject", r.gcpProject, `only applies to GCS buckets (placement.provider is "${cluster}")`);
  if (r.useLota !== undefined && cluster !== "coreweave") checks.add("replica.useLota", r.useLota, `only applies on CoreWeave (placement.provider is "${cluster}")`);
  const writer = resolveCredentials(checks, "replica.writerSecret", r.writerSecret, "write credentials for the sync Job");
  const reader = resolveCredentials(checks, "replica.readerSecret", r.readerSecret, "read-only credentials for vLLM");
  if (checks.count !== before || !writer || !reader || !model) return undefined;
  const endpointUrl = defaultEndpoint(cluster);
  return {
    provider: cluster,
    bucket: r.bucketName,
    prefix: `models/${model.name}/${model.pin}`,
    region,
    endpointUrl,
    pathStyle: cluster === "gcp",
    credentials: writer,
    reader,
    readEndpointUrl: cluster === "coreweave" && r.useLota === true ? CAIOS_LOTA_ENDPOINT : endpointUrl,
    createsBucket: cluster !== "coreweave" && !existingBucket,
    createsKmsKey: cluster === "aws" && !existingBucket && r.kmsKeyArn === undefined,
    kmsKeyArn: cluster === "aws" ? r.kmsKeyArn : undefined,
    gcpProject: cluster === "gcp" ? r.gcpProject : undefined,
  };
}

function resolveNodeCache(checks: ArgChecks, args: ModelWeightCacheArgs, model: ResolvedModel | undefined): ResolvedNodeCache | undefined {
  if (!checks.check(args.nodeCache !== undefined && args.nodeCache !== null, "nodeCache", undefined, 'is required for strategy "node-cache": the hostPath of the node-local NVMe cache')) {
    return undefined;
  }
  const c = args.nodeCache as WeightNodeCacheArgs;
  const before = checks.count;
  checks.check(
    typeof c.hostPath === "string" && HOST_PATH.test(c.hostPath) && !c.hostPath.split("/").some((s) => s === ".."),
    "nodeCache.hostPath",
    c.hostPath,
    "must be an absolute directory path on the node's local NVMe, e.g. /mnt/nvme/switchyard-models (not /)",
  );
  const waitTimeoutSeconds = c.waitTimeoutSeconds ?? 7200;
  checks.check(Number.isInteger(waitTimeoutSeconds) && waitTimeoutSeconds >= 60, "nodeCache.waitTimeoutSeconds", waitTimeoutSeconds, "must be a whole number of seconds ≥ 60");
  const p = args.placement;
  const localNvmeGiB = p.localNvmeGiB ?? findInstanceType(p.provider, p.instanceType)?.localNvmeGiB;
  if (localNvmeGiB === undefined) {
    checks.add("placement.localNvmeGiB", undefined, `is unknown: ${p.provider} ${p.instanceType} is not in the catalog; node-cache needs the node's local NVMe (GpuNodePool's placement carries it)`);
    return undefined;
  }
  const instance = { name: p.instanceType, localNvmeGiB };
  if (instance.localNvmeGiB === 0) {
    checks.add(
      "strategy",
      "node-cache",
      `cannot run on ${p.provider} ${instance.name}: it has no local NVMe in the catalog (0 GiB); use "replicate" or "stream", or a pool of an instance type with local NVMe`,
    );
    return undefined;
  }
  if (model && model.weightGiB > NODE_CACHE_NVME_SHARE * instance.localNvmeGiB) {
    checks.add(
      "strategy",
      "node-cache",
      `does not fit: the weights take ${model.weightGiB.toFixed(1)} GiB but ${instance.name} has ${instance.localNvmeGiB} GiB of local NVMe (at most ${NODE_CACHE_NVME_SHARE * 100}% may hold one revision); use "replicate" or "stream"`,
    );
  }
  if (checks.count !== before || !model) return undefined;
  return {
    hostPath: c.hostPath,
    revisionHostPath: `${c.hostPath}/${model.name}/${model.pin}`,
    waitTimeoutSeconds,
    localNvmeGiB: instance.localNvmeGiB,
  };
}

interface ResolvedAssumptions {
  revisionsPerMonth: number;
  nodes: number;
  nodeArrivalsPerMonth: number;
  coldStartsPerMonth: number;
  replicaStoragePricePerGBMonth: number | undefined;
}

function resolveAssumptions(checks: ArgChecks, a: WeightEgressAssumptionsArgs): ResolvedAssumptions {
  const nonNegative = (value: number, property: string, unit: string) =>
    checks.check(typeof value === "number" && Number.isFinite(value) && value >= 0, `egressAssumptions.${property}`, value, `must be a number of ${unit} ≥ 0`);
  const revisionsPerMonth = a.revisionsPerMonth ?? 1;
  nonNegative(revisionsPerMonth, "revisionsPerMonth", "revisions a month");
  const nodes = a.nodes ?? 1;
  checks.check(Number.isInteger(nodes) && nodes >= 1, "egressAssumptions.nodes", nodes, "must be a whole number of nodes ≥ 1");
  const nodeArrivalsPerMonth = a.nodeArrivalsPerMonth ?? nodes;
  nonNegative(nodeArrivalsPerMonth, "nodeArrivalsPerMonth", "nodes a month");
  const coldStartsPerMonth = a.coldStartsPerMonth ?? 30;
  nonNegative(coldStartsPerMonth, "coldStartsPerMonth", "cold starts a month");
  if (a.replicaStoragePricePerGBMonth !== undefined) nonNegative(a.replicaStoragePricePerGBMonth, "replicaStoragePricePerGBMonth", "USD per GB-month");
  return { revisionsPerMonth, nodes, nodeArrivalsPerMonth, coldStartsPerMonth, replicaStoragePricePerGBMonth: a.replicaStoragePricePerGBMonth };
}
