import type * as k8s from "@pulumi/kubernetes";
import { nonRootContainer } from "../internal/security";
import { MASTER_KEY_ENV, REDIS_HOST_ENV, REDIS_PASSWORD_ENV, REDIS_PORT_ENV, SALT_KEY_ENV } from "./render";
import {
  CONFIG_DIR,
  CONFIG_FILE,
  CONFIG_HASH_ANNOTATION,
  MASTER_KEY_SECRET_KEY,
  METRICS_PORT_ENV,
  NON_ROOT_UID,
  REDIS_PASSWORD_SECRET_KEY,
  SALT_KEY_SECRET_KEY,
} from "./resolve";
import type { ResolvedLiteLLMGateway, ResolvedProbe } from "./resolve";

const CONFIG_VOLUME = "config";
const TMP_VOLUME = "tmp";

/**
 * The proxy Deployment: non-root image with a read-only root filesystem (writable `/tmp` only), spread across
 * nodes, probes on the LLM-free `/health/liveliness` and `/health/readiness`, every credential from a Secret.
 */
export function gatewayDeploymentSpec(r: ResolvedLiteLLMGateway): k8s.apps.v1.DeploymentArgs {
  return {
    metadata: { name: r.objectNames.deployment, namespace: r.namespace, labels: r.labels },
    spec: {
      replicas: r.replicas,
      selector: { matchLabels: r.selector },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      revisionHistoryLimit: 5,
      template: {
        // The config is read once at startup: a new hash rolls the pods onto it.
        metadata: { labels: r.podLabels, annotations: { [CONFIG_HASH_ANNOTATION]: r.configSha256 } },
        spec: podSpec(r),
      },
    },
  };
}

function podSpec(r: ResolvedLiteLLMGateway): k8s.types.input.core.v1.PodSpec {
  return {
    // The proxy never talks to the Kubernetes API.
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    terminationGracePeriodSeconds: r.terminationGracePeriodSeconds,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: NON_ROOT_UID,
      runAsGroup: NON_ROOT_UID,
      fsGroup: NON_ROOT_UID,
      seccompProfile: { type: "RuntimeDefault" },
    },
    topologySpreadConstraints: [
      // Honor: nodes the proxy cannot run on (tainted GPU nodes, a cordoned node) are no spreading domains. Counted
      // with 0 proxies (the default, Ignore), they capped every other node at one, so the surge pod of a rollout
      // found no node and the rollout hung (nodeTaintsPolicy: beta and on by default since Kubernetes 1.26).
      { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", nodeTaintsPolicy: "Honor", labelSelector: { matchLabels: r.selector } },
      { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: r.selector } },
    ],
    containers: [
      {
        name: "litellm",
        image: r.image,
        imagePullPolicy: "IfNotPresent",
        // The image's entrypoint runs `litellm "$@"`; one worker per pod, replicas scale out (LiteLLM prod.md).
        args: ["--config", `${CONFIG_DIR}/${CONFIG_FILE}`, "--port", String(r.port), "--num_workers", "1"],
        ports: [
          { name: "http", containerPort: r.port, protocol: "TCP" },
          ...(r.metrics ? [{ name: "metrics", containerPort: r.metrics.port, protocol: "TCP" }] : []),
        ],
        env: containerEnv(r),
        resources: {
          requests: { cpu: String(r.resources.cpuCores), memory: `${r.resources.memoryGiB}Gi`, "ephemeral-storage": EPHEMERAL_STORAGE_REQUEST },
          // No CPU limit (throttling adds latency to every request); memory limit = request. The root filesystem is
          // read-only, so local disk is the /tmp emptyDir and the logs: a bounded share of the node's disk.
          limits: { memory: `${r.resources.memoryGiB}Gi`, "ephemeral-storage": EPHEMERAL_STORAGE_LIMIT },
        },
        volumeMounts: [
          { name: CONFIG_VOLUME, mountPath: CONFIG_DIR, readOnly: true },
          { name: TMP_VOLUME, mountPath: "/tmp" },
        ],
        startupProbe: probe(r.probes.startup),
        readinessProbe: probe(r.probes.readiness),
        livenessProbe: probe(r.probes.liveness),
        securityContext: nonRootContainer(),
      },
    ],
    volumes: [
      { name: CONFIG_VOLUME, configMap: { name: r.objectNames.config, items: Object.keys(r.configFiles).map((file) => ({ key: file, path: file })) } },
      { name: TMP_VOLUME, emptyDir: { sizeLimit: "1Gi" } },
    ],
  };
}

/** The /tmp emptyDir (1 GiB at most) plus the container's logs. */
const EPHEMERAL_STORAGE_REQUEST = "1Gi";
const EPHEMERAL_STORAGE_LIMIT = "2Gi";

function containerEnv(r: ResolvedLiteLLMGateway): k8s.types.input.core.v1.EnvVar[] {
  const fromSecret = (name: string, secret: string, key: string): k8s.types.input.core.v1.EnvVar => ({
    name,
    valueFrom: { secretKeyRef: { name: secret, key } },
  });
  return [
    // PRODUCTION stops LiteLLM from loading a .env file from the working directory (litellm/__init__.py).
    { name: "LITELLM_MODE", value: "PRODUCTION" },
    // Errors only: request bodies and keys never reach the logs.
    { name: "LITELLM_LOG", value: "ERROR" },
    // The bundled price map; the config sets per-token prices, and startup needs no internet access.
    { name: "LITELLM_LOCAL_MODEL_COST_MAP", value: "True" },
    // No admin UI or Swagger pages: the proxy has no database of users, and clients need only /v1.
    { name: "DISABLE_ADMIN_UI", value: "True" },
    { name: "NO_DOCS", value: "True" },
    // The root filesystem is read-only; caches go to the /tmp emptyDir.
    { name: "XDG_CACHE_HOME", value: "/tmp/cache" },
    fromSecret(MASTER_KEY_ENV, r.objectNames.credentialsSecret, MASTER_KEY_SECRET_KEY),
    fromSecret(SALT_KEY_ENV, r.objectNames.credentialsSecret, SALT_KEY_SECRET_KEY),
    { name: REDIS_HOST_ENV, value: r.redis.host },
    { name: REDIS_PORT_ENV, value: String(r.redis.port) },
    // LiteLLM's Redis client reads REDIS_<kwarg> from the environment (litellm/_redis.py): ssl=True.
    ...(r.redis.tls ? [{ name: "REDIS_SSL", value: "true" }] : []),
    ...(r.redis.password !== undefined ? [fromSecret(REDIS_PASSWORD_ENV, r.objectNames.credentialsSecret, REDIS_PASSWORD_SECRET_KEY)] : []),
    ...r.apiKeyEnvNames.map((env) => fromSecret(env, r.objectNames.backendKeysSecret, env)),
    ...(r.metrics ? [{ name: METRICS_PORT_ENV, value: String(r.metrics.port) }] : []),
  ];
}

function probe(p: ResolvedProbe): k8s.types.input.core.v1.Probe {
  return {
    httpGet: { path: p.path, port: "http" },
    periodSeconds: p.periodSeconds,
    failureThreshold: p.failureThreshold,
    timeoutSeconds: p.timeoutSeconds,
    successThreshold: 1,
  };
}
