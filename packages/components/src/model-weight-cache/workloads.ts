import type * as k8s from "@pulumi/kubernetes";
import type { Provider } from "@switchyard/catalog";
import type { ResolvedModelWeightCache, ResolvedS3Location } from "./resolve";
import { hardenedContainer, nonRootContainer } from "../internal/security";
import { PAUSE_UID, SYNC_CONFIG_PATH, SYNC_UID } from "./resolve";

type EnvVar = k8s.types.input.core.v1.EnvVar;
type Container = k8s.types.input.core.v1.Container;

const CONFIG_VOLUME = "sync-config";
const TMP_VOLUME = "tmp";
const CACHE_VOLUME = "node-cache";

/** The manifest (SHA256SUMS, files.txt) and the copy script; no credentials. */
export function syncConfigMapSpec(r: ResolvedModelWeightCache): k8s.core.v1.ConfigMapArgs {
  return {
    metadata: { name: r.objectNames.configMap, namespace: r.namespace, labels: r.labels },
    data: r.configData,
  };
}

/**
 * rclone remote `name` configured entirely from environment variables (`RCLONE_CONFIG_<NAME>_<OPTION>`, rclone
 * docs "Config file" section), keys by `secretKeyRef` only.
 */
export function rcloneRemoteEnv(remote: string, location: ResolvedS3Location): EnvVar[] {
  const prefix = `RCLONE_CONFIG_${remote.toUpperCase()}_`;
  const env: EnvVar[] = [
    { name: `${prefix}TYPE`, value: "s3" },
    { name: `${prefix}PROVIDER`, value: rcloneProvider(location.provider) },
    { name: `${prefix}ENV_AUTH`, value: "false" },
    { name: `${prefix}ACCESS_KEY_ID`, valueFrom: { secretKeyRef: { name: location.credentials.name, key: location.credentials.accessKeyIdKey } } },
    { name: `${prefix}SECRET_ACCESS_KEY`, valueFrom: { secretKeyRef: { name: location.credentials.name, key: location.credentials.secretAccessKeyKey } } },
    // rclone forces path-style on non-AWS providers by default; CoreWeave AI Object Storage accepts only
    // virtual-hosted requests (provider-facts §1.7), so say which one explicitly everywhere.
    { name: `${prefix}FORCE_PATH_STYLE`, value: String(location.pathStyle) },
    // The buckets exist (declared by Pulumi or given); never try to create one.
    { name: `${prefix}NO_CHECK_BUCKET`, value: "true" },
  ];
  if (location.region !== undefined) env.push({ name: `${prefix}REGION`, value: location.region });
  if (location.endpointUrl !== undefined) env.push({ name: `${prefix}ENDPOINT`, value: location.endpointUrl });
  return env;
}

function rcloneProvider(provider: Provider): string {
  return provider === "aws" ? "AWS" : "Other";
}

function copyEnv(r: ResolvedModelWeightCache): EnvVar[] {
  return [
    { name: "MANIFEST_DIGEST", value: r.model.manifestDigest },
    { name: "WEIGHTS_PIN", value: r.model.pin },
    { name: "MODEL_NAME", value: r.model.name },
    { name: "ORIGIN_BUCKET", value: r.origin.bucket },
    { name: "ORIGIN_PREFIX", value: r.origin.prefix },
    // Read-only root filesystem: rclone's config and cache dirs go to the /tmp emptyDir.
    { name: "HOME", value: "/tmp" },
    { name: "RCLONE_CONFIG", value: "/tmp/rclone.conf" },
    { name: "RCLONE_CACHE_DIR", value: "/tmp/rclone-cache" },
    ...rcloneRemoteEnv("origin", r.origin),
  ];
}

// Local disk is /tmp (1 GiB emptyDir) and the logs: the weights go to the bucket or the host's NVMe, never here.
const syncResources = { requests: { cpu: "1", memory: "1Gi", "ephemeral-storage": "1Gi" }, limits: { memory: "1Gi", "ephemeral-storage": "2Gi" } };
/** The node-cache DaemonSet's tiny helpers (mkdir + chown, then pause) write nothing but their logs. */
const helperEphemeralStorage = { request: "16Mi", limit: "64Mi" };

/**
 * The copy pods accept no connections, and reach the origin, the replica bucket and the Hub, whose addresses are not
 * fixed: ingress denied, egress open. Selects the Job's and the DaemonSet's pods by name and instance.
 */
export function syncNetworkPolicySpec(r: ResolvedModelWeightCache): k8s.networking.v1.NetworkPolicyArgs {
  const selector = { "app.kubernetes.io/name": r.labels["app.kubernetes.io/name"]!, "app.kubernetes.io/instance": r.labels["app.kubernetes.io/instance"]! };
  return {
    metadata: { name: r.objectNames.networkPolicy, namespace: r.namespace, labels: r.labels },
    spec: { podSelector: { matchLabels: selector }, policyTypes: ["Ingress", "Egress"], ingress: [], egress: [{}] },
  };
}

/**
 * `replicate`: a Job that copies the pinned revision from the origin into the in-cloud bucket, verifies every
 * SHA-256 by reading it back, and writes the ready marker. Named after the revision, so a new manifest runs a
 * new Job. Pulumi waits for it to complete (customTimeouts from `syncTimeoutSeconds`).
 */
export function syncJobSpec(r: ResolvedModelWeightCache): k8s.batch.v1.JobArgs {
  const replica = r.replica!;
  return {
    metadata: { name: r.objectNames.job, namespace: r.namespace, labels: r.labels },
    spec: {
      backoffLimit: 4,
      activeDeadlineSeconds: r.syncTimeoutSeconds,
      template: {
        metadata: { labels: r.labels },
        spec: {
          restartPolicy: "Never",
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: { runAsNonRoot: true, runAsUser: SYNC_UID, runAsGroup: SYNC_UID, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "sync",
              image: r.syncImage,
              imagePullPolicy: "IfNotPresent",
              command: ["sh", `${SYNC_CONFIG_PATH}/sync.sh`],
              env: [
                ...copyEnv(r),
                { name: "REPLICA_BUCKET", value: replica.bucket },
                { name: "REPLICA_PREFIX", value: replica.prefix },
                ...rcloneRemoteEnv("replica", replica),
              ],
              resources: syncResources,
              volumeMounts: [
                { name: CONFIG_VOLUME, mountPath: SYNC_CONFIG_PATH, readOnly: true },
                { name: TMP_VOLUME, mountPath: "/tmp" },
              ],
              securityContext: nonRootContainer(SYNC_UID),
            },
          ],
          volumes: [
            { name: CONFIG_VOLUME, configMap: { name: r.objectNames.configMap, defaultMode: 0o444 } },
            { name: TMP_VOLUME, emptyDir: { sizeLimit: "1Gi" } },
          ],
        },
      },
    },
  };
}

/**
 * `node-cache`: a DaemonSet on the pool's nodes. Its init containers create this revision's directory on the
 * host (root, CAP_CHOWN only, to hand it to the unprivileged user), then copy the files onto local NVMe, verify
 * every SHA-256 and write the ready marker; its long-running container is `pause`, which does nothing.
 */
export function nodeCacheDaemonSetSpec(r: ResolvedModelWeightCache): k8s.apps.v1.DaemonSetArgs {
  const cache = r.nodeCache!;
  const selector = { "app.kubernetes.io/name": r.labels["app.kubernetes.io/name"]!, "app.kubernetes.io/instance": r.labels["app.kubernetes.io/instance"]! };
  const revisionDir = `/cache/${r.model.name}/${r.model.pin}`;
  const cacheMount = { name: CACHE_VOLUME, mountPath: "/cache" };
  const prepare: Container = {
    name: "prepare",
    image: r.syncImage,
    imagePullPolicy: "IfNotPresent",
    command: ["sh", "-c", `mkdir -p ${revisionDir} && chown ${SYNC_UID}:${SYNC_UID} ${revisionDir}`],
    resources: { requests: { cpu: "10m", memory: "16Mi", "ephemeral-storage": helperEphemeralStorage.request }, limits: { memory: "16Mi", "ephemeral-storage": helperEphemeralStorage.limit } },
    volumeMounts: [cacheMount],
    // The host directory is root-owned; only this step runs as root, with nothing but CAP_CHOWN.
    securityContext: { runAsNonRoot: false, runAsUser: 0, readOnlyRootFilesystem: true, ...hardenedContainer(["CHOWN"]) },
  };
  const fetch: Container = {
    name: "fetch",
    image: r.syncImage,
    imagePullPolicy: "IfNotPresent",
    command: ["sh", `${SYNC_CONFIG_PATH}/fetch.sh`],
    env: copyEnv(r),
    resources: syncResources,
    volumeMounts: [cacheMount, { name: CONFIG_VOLUME, mountPath: SYNC_CONFIG_PATH, readOnly: true }, { name: TMP_VOLUME, mountPath: "/tmp" }],
    securityContext: nonRootContainer(SYNC_UID),
  };
  return {
    metadata: { name: r.objectNames.daemonSet, namespace: r.namespace, labels: r.labels },
    spec: {
      selector: { matchLabels: selector },
      // These pods serve nothing: refreshing every node at once makes a new revision reach the pool in one copy time.
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "100%" } },
      template: {
        metadata: { labels: r.labels },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          nodeSelector: { ...r.placement.nodeSelector },
          tolerations: r.placement.tolerations.map((t) => ({
            key: t.key,
            operator: t.operator,
            ...(t.value !== undefined ? { value: t.value } : {}),
            ...(t.effect !== undefined ? { effect: t.effect } : {}),
          })),
          securityContext: { seccompProfile: { type: "RuntimeDefault" } },
          terminationGracePeriodSeconds: 5,
          initContainers: [prepare, fetch],
          containers: [
            {
              name: "hold",
              image: r.pauseImage,
              imagePullPolicy: "IfNotPresent",
              resources: { requests: { cpu: "1m", memory: "8Mi", "ephemeral-storage": helperEphemeralStorage.request }, limits: { memory: "8Mi", "ephemeral-storage": helperEphemeralStorage.limit } },
              securityContext: nonRootContainer(PAUSE_UID),
            },
          ],
          volumes: [
            { name: CACHE_VOLUME, hostPath: { path: cache.hostPath, type: "DirectoryOrCreate" } },
            { name: CONFIG_VOLUME, configMap: { name: r.objectNames.configMap, defaultMode: 0o444 } },
            { name: TMP_VOLUME, emptyDir: { sizeLimit: "1Gi" } },
          ],
        },
      },
    },
  };
}
