import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { LiteLLMGatewayConfig, masterKeyFrom as gatewayMasterKeyFrom, renderLiteLLMConfig } from "@switchyard/components/src/litellm-gateway";
import type { LiteLLMGatewayConfigArgs } from "@switchyard/components/src/litellm-gateway";
import { fleet, gatewayArgs, openAiFallback } from "../../packages/components/test/litellm-gateway/fixtures";
import { validateKubernetesObjects } from "../harness/kubernetes-schema";
import { childrenOf, findResource, stringLeaves, synthesize, synthesizeFailure, valueOf } from "../harness/mocks";
import type { RecordedResource } from "../harness/mocks";

const COMPONENT = "switchyard:index:LiteLLMGatewayConfig";
const PASSWORD = "random:index/randomPassword:RandomPassword";
const SECRET = "kubernetes:core/v1:Secret";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SERVICE = "kubernetes:core/v1:Service";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

const args = gatewayArgs as LiteLLMGatewayConfigArgs;

async function construct(a: LiteLLMGatewayConfigArgs, name = "gateway") {
  const { resources, result } = await synthesize(() => new LiteLLMGatewayConfig(name, a));
  return { resources, children: childrenOf(resources, COMPONENT, name), component: result };
}

function shape(resources: RecordedResource[]): string[] {
  return resources.map((r) => `${r.type} ${r.name}`).sort();
}

function at(value: unknown, ...path: (string | number)[]): any {
  return path.reduce<unknown>((v, key) => (v as Record<string | number, unknown> | undefined)?.[key], value);
}

function underSecret(path: string, secretPaths: string[]): boolean {
  return secretPaths.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
}

describe("LiteLLMGatewayConfig children", () => {
  const base = [
    `${SECRET} gateway-credentials`,
    `${SECRET} gateway-backend-keys`,
    `${CONFIG_MAP} gateway-config`,
    `${DEPLOYMENT} gateway-proxy`,
    `${SERVICE} gateway-svc`,
    `${PDB} gateway-pdb`,
    `${NETPOL} gateway-netpol`,
  ];

  it("generates the master and salt keys and registers exactly these children", async () => {
    const { resources, children } = await construct(args);
    expect(shape(children)).toEqual([`${PASSWORD} gateway-master-key`, `${PASSWORD} gateway-salt-key`, ...base].sort());
    expect(resources.filter((r) => r.parentType !== COMPONENT).map((r) => r.type)).toEqual([COMPONENT]);
  });

  it("generates nothing when both keys are given", async () => {
    const { children } = await construct({ ...args, masterKey: "sk-given-master-key-0123456789", saltKey: "given-salt-key-0123456789" });
    expect(shape(children)).toEqual([...base].sort());
  });

  it("protects the generated salt key (losing it makes stored credentials unreadable) but not the master key", async () => {
    const { resources } = await construct(args);
    expect(findResource(resources, PASSWORD, "gateway-salt-key")).toMatchObject({ protect: true, inputs: { length: 48, special: false } });
    expect(findResource(resources, PASSWORD, "gateway-master-key").protect).toBe(false);
  });

  it("every Kubernetes object passes the Kubernetes schema, named, namespaced and labelled", async () => {
    const { children } = await construct(args);
    const kube = children.filter((r) => r.type.startsWith("kubernetes:"));
    expect(validateKubernetesObjects(children)).toBe(kube.length);
    for (const r of kube) {
      expect(at(r.inputs, "metadata", "namespace")).toBe("gateway");
      expect(at(r.inputs, "metadata", "labels")).toEqual({ "app.kubernetes.io/name": "litellm-gateway", "app.kubernetes.io/instance": "gateway", "app.kubernetes.io/managed-by": "switchyard" });
    }
    expect(kube.map((r) => at(r.inputs, "metadata", "name")).sort()).toEqual(["gateway", "gateway", "gateway", "gateway", "gateway-backend-keys", "gateway-config", "gateway-credentials"]);
  });
});

describe("LiteLLMGatewayConfig proxy Deployment", () => {
  it("runs ≥ 2 pinned non-root replicas with a read-only root, writable /tmp, spread over nodes", async () => {
    const { resources } = await construct(args);
    const d = findResource(resources, DEPLOYMENT, "gateway-proxy").inputs;
    const pod = at(d, "spec", "template", "spec");
    const c = at(pod, "containers", 0);
    expect(at(d, "spec", "replicas")).toBe(2);
    expect(c.image).toBe("ghcr.io/berriai/litellm-non_root:main-v1.106.2-stable");
    expect(c.args).toEqual(["--config", "/etc/litellm/config.yaml", "--port", "4000", "--num_workers", "1"]);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } });
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(c.volumeMounts).toEqual([
      { name: "config", mountPath: "/etc/litellm", readOnly: true },
      { name: "tmp", mountPath: "/tmp" },
    ]);
    expect(pod.volumes).toEqual([
      {
        name: "config",
        configMap: {
          name: "gateway-config",
          items: [
            { key: "config.yaml", path: "config.yaml" },
            { key: "switchyard_guard.py", path: "switchyard_guard.py" },
          ],
        },
      },
      { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
    ]);
    expect(pod.topologySpreadConstraints.map((t: { topologyKey: string; whenUnsatisfiable: string }) => `${t.topologyKey} ${t.whenUnsatisfiable}`)).toEqual([
      "kubernetes.io/hostname DoNotSchedule",
      "topology.kubernetes.io/zone ScheduleAnyway",
    ]);
    // Tainted GPU nodes and cordoned nodes are no domains of the hard spread: counted empty, they left no node for a surge pod.
    expect(pod.topologySpreadConstraints[0].nodeTaintsPolicy).toBe("Honor");
    expect(pod.automountServiceAccountToken).toBe(false);
    // Local disk bounded: the /tmp emptyDir (1 GiB) and the logs fit in 2 GiB, so a runaway writer is evicted before it fills the node.
    expect(c.resources).toEqual({ requests: { cpu: "2", memory: "4Gi", "ephemeral-storage": "1Gi" }, limits: { memory: "4Gi", "ephemeral-storage": "2Gi" } });
  });

  it("probes /health/liveliness and /health/readiness, never /health (which calls every backend)", async () => {
    const { resources } = await construct(args);
    const c = at(findResource(resources, DEPLOYMENT, "gateway-proxy").inputs, "spec", "template", "spec", "containers", 0);
    expect(c.startupProbe).toMatchObject({ httpGet: { path: "/health/liveliness", port: "http" }, periodSeconds: 5, failureThreshold: 36 });
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: "/health/liveliness", port: "http" }, periodSeconds: 15, failureThreshold: 4 });
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: "/health/readiness", port: "http" }, periodSeconds: 5, failureThreshold: 3 });
  });

  it("reads every credential from a Secret and runs in production mode with logging at ERROR", async () => {
    const { resources } = await construct(args);
    const env: { name: string; value?: string; valueFrom?: unknown }[] = at(findResource(resources, DEPLOYMENT, "gateway-proxy").inputs, "spec", "template", "spec", "containers", 0, "env");
    const plain = Object.fromEntries(env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
    expect(plain).toEqual({
      LITELLM_MODE: "PRODUCTION",
      LITELLM_LOG: "ERROR",
      LITELLM_LOCAL_MODEL_COST_MAP: "True",
      DISABLE_ADMIN_UI: "True",
      NO_DOCS: "True",
      XDG_CACHE_HOME: "/tmp/cache",
      REDIS_HOST: "gateway-redis.abc123.use1.cache.amazonaws.com",
      REDIS_PORT: "6379",
      REDIS_SSL: "true",
    });
    const fromSecrets = Object.fromEntries(env.filter((e) => e.valueFrom !== undefined).map((e) => [e.name, at(e.valueFrom, "secretKeyRef")]));
    expect(fromSecrets).toEqual({
      LITELLM_MASTER_KEY: { name: "gateway-credentials", key: "master-key" },
      LITELLM_SALT_KEY: { name: "gateway-credentials", key: "salt-key" },
      REDIS_PASSWORD: { name: "gateway-credentials", key: "redis-password" },
      ...Object.fromEntries([...fleet.map((b) => b.apiKeySecretEnv), "OPENAI_API_KEY"].map((n) => [n, { name: "gateway-backend-keys", key: n }])),
    });
  });

  it("connects to Redis in plain text only when told to, and without a password only when none is given", async () => {
    const { resources } = await construct({ ...args, redis: { host: "redis.internal", port: 6380, tls: false } });
    const env: { name: string; value?: string }[] = at(findResource(resources, DEPLOYMENT, "gateway-proxy").inputs, "spec", "template", "spec", "containers", 0, "env");
    expect(env.filter((e) => e.name.startsWith("REDIS_"))).toEqual([
      { name: "REDIS_HOST", value: "redis.internal" },
      { name: "REDIS_PORT", value: "6380" },
    ]);
    const yaml: string = at(findResource(resources, CONFIG_MAP, "gateway-config").inputs, "data", "config.yaml");
    expect(parse(yaml).router_settings).not.toHaveProperty("redis_password");
    expect(at(findResource(resources, SECRET, "gateway-credentials").inputs, "stringData")).not.toHaveProperty("redis-password");
  });

  it("rolls the pods when the config changes (config hash annotation)", async () => {
    const hash = async (a: LiteLLMGatewayConfigArgs) =>
      at(findResource((await construct(a)).resources, DEPLOYMENT, "gateway-proxy").inputs, "spec", "template", "metadata", "annotations", "switchyard.dev/config-sha256");
    const before = await hash(args);
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(await hash(args)).toBe(before);
    expect(await hash({ ...args, reliability: { numRetries: 3 } })).not.toBe(before);
  });
});

describe("LiteLLMGatewayConfig config, exposure and outputs", () => {
  it("puts exactly the rendered config and the request guard it loads in the ConfigMap", async () => {
    const { resources } = await construct(args);
    const data = at(findResource(resources, CONFIG_MAP, "gateway-config").inputs, "data");
    expect(Object.keys(data).sort()).toEqual(["config.yaml", "switchyard_guard.py"]);
    expect(parse(data["config.yaml"])).toEqual(renderLiteLLMConfig(fleet, { fallbacks: [openAiFallback], replicas: 2, redis: { withPassword: true } }));
    // The callback the config names is the module shipped beside it.
    expect(parse(data["config.yaml"]).litellm_settings.callbacks).toEqual(["switchyard_guard.proxy_handler_instance"]);
    expect(data["switchyard_guard.py"]).toMatch(/^proxy_handler_instance = SwitchyardGuard\(\)$/m);
  });

  it("keeps the Service ClusterIP, the PDB at one eviction (unready proxies always), and admits only the clients on port 4000", async () => {
    const { resources } = await construct(args);
    expect(at(findResource(resources, SERVICE, "gateway-svc").inputs, "spec")).toMatchObject({ type: "ClusterIP", ports: [{ name: "http", port: 4000, targetPort: "http", protocol: "TCP" }] });
    expect(at(findResource(resources, PDB, "gateway-pdb").inputs, "spec", "maxUnavailable")).toBe(1);
    expect(at(findResource(resources, PDB, "gateway-pdb").inputs, "spec", "unhealthyPodEvictionPolicy")).toBe("AlwaysAllow");
    const policy = at(findResource(resources, NETPOL, "gateway-netpol").inputs, "spec");
    expect(policy.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(policy.ingress).toEqual([
      {
        from: [
          { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "apps" } } },
          { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "ingress-nginx" } } },
        ],
        ports: [{ protocol: "TCP", port: 4000 }],
      },
    ]);
    expect(JSON.stringify(policy.egress)).toContain('"except":["169.254.169.254/32"]');
  });

  it("with metrics, loads LiteLLM's prometheus callback, serves it on its own port, and admits only the scrapers there", async () => {
    const scrapers = [{ namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" } }];
    const { resources } = await construct({ ...args, metrics: { scrapers } });
    const data = at(findResource(resources, CONFIG_MAP, "gateway-config").inputs, "data");
    expect(parse(data["config.yaml"]).litellm_settings.callbacks).toEqual(["switchyard_guard.proxy_handler_instance", "prometheus"]);
    const container = at(findResource(resources, DEPLOYMENT, "gateway-proxy").inputs, "spec", "template", "spec", "containers", 0);
    expect(container.ports).toEqual([
      { name: "http", containerPort: 4000, protocol: "TCP" },
      { name: "metrics", containerPort: 9464, protocol: "TCP" },
    ]);
    expect(container.env).toContainEqual({ name: "SWITCHYARD_METRICS_PORT", value: "9464" });
    const ingress = at(findResource(resources, NETPOL, "gateway-netpol").inputs, "spec", "ingress");
    expect(ingress[1]).toEqual({
      from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } }],
      ports: [{ protocol: "TCP", port: 9464 }],
    });
    // Clients still reach the proxy port only.
    expect(ingress[0].ports).toEqual([{ protocol: "TCP", port: 4000 }]);
    expect(ingress).toHaveLength(2);
  });

  it("outputs the endpoint, the Secret and ConfigMap names, the pod labels, and the master key as a secret", async () => {
    const { resources, component } = await construct({ ...args, masterKey: "sk-given-master-key-0123456789" });
    expect(await valueOf(component.endpoint)).toBe("http://gateway.gateway.svc.cluster.local:4000/v1");
    expect(await valueOf(component.credentialsSecretName)).toBe("gateway-credentials");
    expect(await valueOf(component.backendKeysSecretName)).toBe("gateway-backend-keys");
    expect(await valueOf(component.configMapName)).toBe("gateway-config");
    expect(component.podLabels).toEqual({ "app.kubernetes.io/name": "litellm-gateway", "app.kubernetes.io/instance": "gateway", "app.kubernetes.io/managed-by": "switchyard" });
    expect(await pulumi.isSecret(component.masterKey)).toBe(true);
    expect(await valueOf(component.masterKey)).toBe("sk-given-master-key-0123456789");
    expect(findResource(resources, COMPONENT, "gateway").secretOutputPaths).toEqual(["masterKey"]);
  });

  it("prefixes a generated master key with sk- as LiteLLM requires, and keeps it secret", async () => {
    const key = gatewayMasterKeyFrom("generated0123456789");
    expect(await valueOf(key)).toBe("sk-generated0123456789");
    expect(await pulumi.isSecret(key)).toBe(true);
    const { component } = await construct(args);
    expect(await pulumi.isSecret(component.masterKey)).toBe(true);
  });
});

describe("LiteLLMGatewayConfig secrets", () => {
  const sentinels = {
    master: "sk-sentinel-master-3b9f1c7e2a",
    salt: "sentinel-salt-8d2e4f6a1c",
    redis: "sentinel-redis-5a7c9e1b3d",
    backend: "sentinel-backend-key-2f4a6c8e0b",
    fallback: "sentinel-openai-key-1e3c5a7f9d",
  };
  const withSentinels: LiteLLMGatewayConfigArgs = {
    ...args,
    masterKey: sentinels.master,
    saltKey: sentinels.salt,
    redis: { ...gatewayArgs.redis, password: sentinels.redis },
    apiKeys: { ...gatewayArgs.apiKeys, [fleet[0]!.apiKeySecretEnv]: sentinels.backend, OPENAI_API_KEY: sentinels.fallback },
  };

  it("keeps every credential in Secret stringData only, marked secret: never in the ConfigMap, env values, labels or outputs", async () => {
    const { resources, component } = await construct(withSentinels);
    const hits = resources.flatMap((r) =>
      Object.values(sentinels).flatMap((s) =>
        stringLeaves(r.inputs)
          .filter((l) => l.value.includes(s))
          .map((l) => ({ where: `${r.type} ${r.name} ${l.path}`, secret: underSecret(l.path, r.secretPaths) })),
      ),
    );
    expect(hits.map((h) => h.where).sort()).toEqual(
      [
        `${SECRET} gateway-credentials stringData.master-key`,
        `${SECRET} gateway-credentials stringData.salt-key`,
        `${SECRET} gateway-credentials stringData.redis-password`,
        `${SECRET} gateway-backend-keys stringData.${fleet[0]!.apiKeySecretEnv}`,
        `${SECRET} gateway-backend-keys stringData.OPENAI_API_KEY`,
      ].sort(),
    );
    expect(hits.every((h) => h.secret)).toBe(true);
    const registered = findResource(resources, COMPONENT, "gateway");
    const outputHits = stringLeaves(registered.outputs).filter((l) => Object.values(sentinels).some((s) => l.value.includes(s)));
    expect(outputHits.map((l) => l.path)).toEqual(["masterKey"]);
    expect(underSecret("masterKey", registered.secretOutputPaths)).toBe(true);
    expect(JSON.stringify(component.config)).not.toMatch(/sentinel/);
  });
});

describe("LiteLLMGatewayConfig invalid arguments", () => {
  it.each<[string, Partial<LiteLLMGatewayConfigArgs>, string[]]>([
    ["a floating image tag", { image: "ghcr.io/berriai/litellm-non_root:main-latest" }, ['image ("ghcr.io/berriai/litellm-non_root:main-latest") must be pinned']],
    ["one replica", { replicas: 1 }, ["replicas (1) must be a whole number from 2 to 50"]],
    ["a model group on one provider without fallback", { fallbacks: undefined, apiKeys: Object.fromEntries(fleet.map((b) => [b.apiKeySecretEnv, "k"])), backends: [fleet[4]!] }, ['give model group "llama-3.1-8b" backends on at least two providers']],
    ["a missing backend key", { apiKeys: { OPENAI_API_KEY: "k" } }, ["has no key for"]],
  ])("%s: throws before registering anything, not even the component", async (_label, overrides, fragments) => {
    const { error, resources } = await synthesizeFailure(() => new LiteLLMGatewayConfig("gateway", { ...args, ...overrides }));
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/^LiteLLMGatewayConfig "gateway" has \d+ invalid arguments?:/);
    for (const fragment of fragments) expect(error.message).toContain(fragment);
    expect(resources).toEqual([]);
  });
});
