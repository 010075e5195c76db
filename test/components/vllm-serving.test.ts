import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { VllmServing, resolveGpuNodePoolArgs } from "@switchyard/components";
import type { VllmServingArgs } from "@switchyard/components";
import { hpaScaling, kedaScaling, llama70b, llama8b, s3Stream, wakeQuery } from "../../packages/components/test/vllm-serving/fixtures";
import { awsManaged, coreweaveReserved } from "../fixtures/gpu-node-pools";
import { validateKubernetesObjects } from "../harness/kubernetes-schema";
import { childrenOf, findResource, stringLeaves, synthesize, synthesizeFailure, valueOf } from "../harness/mocks";
import type { RecordedResource } from "../harness/mocks";

const COMPONENT = "switchyard:index:VllmServing";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SECRET = "kubernetes:core/v1:Secret";
const SERVICE = "kubernetes:core/v1:Service";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const TRIGGER_AUTHENTICATION = "kubernetes:keda.sh/v1alpha1:TriggerAuthentication";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const PASSWORD = "random:index/randomPassword:RandomPassword";

const ingress = { host: "llama.coreweave.example.com", className: "nginx", tlsSecretName: "llama-tls", controllerNamespace: "ingress-nginx" };

/** The variants whose child lists are public contract. */
const variants: Record<string, VllmServingArgs> = {
  fixed: llama8b,
  keda: { ...llama8b, minReplicas: 1, maxReplicas: 4, autoscaling: kedaScaling },
  kedaToZero: { ...llama8b, minReplicas: 0, maxReplicas: 4, autoscaling: { ...kedaScaling, wake: { query: wakeQuery } } },
  kedaToZeroRemote: {
    ...llama8b,
    minReplicas: 0,
    maxReplicas: 4,
    autoscaling: { ...kedaScaling, wake: { query: wakeQuery, prometheusServerUrl: "https://prometheus.gateway.example.com", bearerTokenSecret: { name: "gateway-prometheus-reader", key: "token" } } },
  },
  kedaScheduled: {
    ...llama8b,
    minReplicas: 0,
    maxReplicas: 4,
    autoscaling: { ...kedaScaling, wake: { query: wakeQuery }, schedule: [{ startMinuteOfWeek: 467, endMinuteOfWeek: 1080, minReplicas: 4 }, { startMinuteOfWeek: 10_067, endMinuteOfWeek: 60, minReplicas: 2 }] },
  },
  hpa: { ...llama8b, minReplicas: 1, maxReplicas: 4, autoscaling: hpaScaling },
  ingress: { ...llama8b, ingress },
  providedKey: { ...llama8b, apiKey: pulumi.secret("provided-key-0123456789") },
  streamed70b: { ...llama70b, weightSource: s3Stream },
};

async function serve(args: VllmServingArgs, name = "llama-8b") {
  const { resources, result } = await synthesize(() => new VllmServing(name, args));
  return { resources, children: childrenOf(resources, COMPONENT, name), component: result };
}

/** Type and name of each resource, sorted: registration order depends on when each child's inputs resolve. */
function shape(resources: RecordedResource[]): string[] {
  return resources.map((r) => `${r.type} ${r.name}`).sort();
}

/** Whether `path` is, or lies inside, one of the paths recorded as secret. */
function underSecret(path: string, secretPaths: string[]): boolean {
  return secretPaths.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
}

/** Reads a nested input by path segments. */
function at(value: unknown, ...path: (string | number)[]): any {
  return path.reduce<unknown>((v, key) => (v as Record<string | number, unknown> | undefined)?.[key], value);
}

describe("VllmServing children", () => {
  const base = [`${SECRET} llama-8b-api-key`, `${DEPLOYMENT} llama-8b-vllm`, `${SERVICE} llama-8b-svc`, `${PDB} llama-8b-pdb`];
  it.each<[string, string[]]>([
    ["fixed", [`${PASSWORD} llama-8b-api-key`, ...base, `${NETPOL} llama-8b-netpol`]],
    ["keda", [`${PASSWORD} llama-8b-api-key`, ...base, `${SCALED_OBJECT} llama-8b-scaler`, `${NETPOL} llama-8b-netpol`]],
    ["kedaToZero", [`${PASSWORD} llama-8b-api-key`, ...base, `${SCALED_OBJECT} llama-8b-scaler`, `${NETPOL} llama-8b-netpol`]],
    ["kedaScheduled", [`${PASSWORD} llama-8b-api-key`, ...base, `${SCALED_OBJECT} llama-8b-scaler`, `${NETPOL} llama-8b-netpol`]],
    ["kedaToZeroRemote", [`${PASSWORD} llama-8b-api-key`, ...base, `${TRIGGER_AUTHENTICATION} llama-8b-wake-auth`, `${SCALED_OBJECT} llama-8b-scaler`, `${NETPOL} llama-8b-netpol`]],
    ["hpa", [`${PASSWORD} llama-8b-api-key`, ...base, `${HPA} llama-8b-scaler`, `${NETPOL} llama-8b-netpol`]],
    ["ingress", [`${PASSWORD} llama-8b-api-key`, ...base, `${NETPOL} llama-8b-netpol`, `${INGRESS} llama-8b-ingress`]],
    ["providedKey", [...base, `${NETPOL} llama-8b-netpol`]],
  ])("%s registers exactly these children", async (variant, expected) => {
    const { resources, children } = await serve(variants[variant]!);
    expect(shape(children)).toEqual([...expected].sort());
    // Nothing outside the component but the component itself.
    expect(resources.filter((r) => r.parentType !== COMPONENT).map((r) => r.type)).toEqual([COMPONENT]);
  });

  it.each(Object.keys(variants))("%s: every Kubernetes object passes the Kubernetes/KEDA schema, named and namespaced", async (variant) => {
    const { children } = await serve(variants[variant]!);
    const kube = children.filter((r) => r.type.startsWith("kubernetes:"));
    expect(validateKubernetesObjects(children)).toBe(kube.length);
    for (const r of kube) {
      expect(at(r.inputs, "metadata", "namespace")).toBe("inference");
      expect(at(r.inputs, "metadata", "name")).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(at(r.inputs, "metadata", "labels")).toMatchObject({ "app.kubernetes.io/instance": "llama-8b", "app.kubernetes.io/managed-by": "switchyard" });
    }
  });
});

describe("VllmServing Deployment", () => {
  it("runs vllm serve on the Placement's nodes with TP GPUs, probes and memory-backed /dev/shm", async () => {
    const { resources } = await serve({ ...llama70b, weightSource: s3Stream }, "llama-70b");
    const d = findResource(resources, DEPLOYMENT, "llama-70b-vllm").inputs;
    const pod = at(d, "spec", "template", "spec");
    const c = at(pod, "containers", 0);
    expect(at(d, "spec", "replicas")).toBe(1);
    expect(c.command).toEqual(["vllm", "serve"]);
    expect(c.args).toEqual([
      "s3://weights/meta-llama/Llama-3.1-8B-Instruct",
      // The deployment's own name first: vLLM labels its metrics with it, so this deployment scales on its own queue.
      "--served-model-name",
      "llama-70b",
      "llama-3.3-70b",
      "--tensor-parallel-size",
      "4",
      "--gpu-memory-utilization",
      "0.9",
      "--load-format",
      "runai_streamer",
      "--enable-prefix-caching",
      "--port",
      "8000",
      "--host",
      "0.0.0.0",
    ]);
    expect(c.resources).toEqual({
      // Streamed weights write nothing locally: only the 10 GiB of compile caches and logs.
      requests: { cpu: "9", memory: "30Gi", "nvidia.com/gpu": "4", "ephemeral-storage": "10Gi" },
      limits: { memory: "30Gi", "nvidia.com/gpu": "4", "ephemeral-storage": "10Gi" },
    });
    expect(pod.nodeSelector).toEqual({ "switchyard.dev/pool": "h100-reserved" });
    expect(pod.tolerations).toEqual([
      { key: "switchyard.dev/dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule" },
      { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
    ]);
    expect(pod.volumes[0]).toEqual({ name: "dshm", emptyDir: { medium: "Memory", sizeLimit: "8Gi" } });
    expect(c.volumeMounts[0]).toEqual({ name: "dshm", mountPath: "/dev/shm" });
    // 70B bf16 = 130.4 GiB → 600 + 1304 s → 1910 s cold-start budget = 191 × 10 s.
    expect(c.startupProbe).toMatchObject({ httpGet: { path: "/health", port: "http" }, periodSeconds: 10, failureThreshold: 191 });
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: "/health" }, periodSeconds: 5, failureThreshold: 3 });
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: "/health" }, periodSeconds: 15, failureThreshold: 4 });
    expect(c.env.map((e: { name: string }) => e.name)).toEqual(["VLLM_API_KEY", "VLLM_NO_USAGE_STATS", "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
  });

  it.each(["keda", "kedaToZero", "hpa"])("%s: leaves replicas to the scaler", async (variant) => {
    const { resources } = await serve(variants[variant]!);
    expect(at(findResource(resources, DEPLOYMENT, "llama-8b-vllm").inputs, "spec")).not.toHaveProperty("replicas");
  });

  it("scales to zero with KEDA on requests in flight plus the gateway wake query", async () => {
    const { resources } = await serve(variants["kedaToZero"]!);
    const spec = at(findResource(resources, SCALED_OBJECT, "llama-8b-scaler").inputs, "spec");
    expect(spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "llama-8b" });
    expect(spec.minReplicaCount).toBe(0);
    expect(spec.triggers.map((t: { metadata: { query: string } }) => t.metadata.query)).toEqual(['sum({__name__=~"vllm:num_requests_running|vllm:num_requests_waiting",model_name="llama-8b"})', wakeQuery]);
    expect(spec.triggers[1].metadata.activationThreshold).toBe("0");
  });
});

describe("VllmServing schedule", () => {
  it("renders each window as a KEDA cron trigger in UTC beside the in-flight and wake triggers", async () => {
    const { resources } = await serve(variants["kedaScheduled"]!);
    const spec = at(findResource(resources, SCALED_OBJECT, "llama-8b-scaler").inputs, "spec");
    expect(spec.triggers.map((t: { type: string; name: string }) => `${t.type} ${t.name}`)).toEqual(["prometheus in-flight", "prometheus wake", "cron schedule-0", "cron schedule-1"]);
    expect(spec.triggers.slice(2).map((t: { metadata: unknown }) => t.metadata)).toEqual([
      { timezone: "UTC", start: "47 7 * * 1", end: "0 18 * * 1", desiredReplicas: "4" },
      { timezone: "UTC", start: "47 23 * * 0", end: "0 1 * * 1", desiredReplicas: "2" },
    ]);
  });
});

describe("VllmServing exposure", () => {
  it("keeps the Service ClusterIP and admits only the gateway (and the ingress controller) on 8000", async () => {
    const { resources } = await serve(variants["ingress"]!);
    expect(at(findResource(resources, SERVICE, "llama-8b-svc").inputs, "spec", "type")).toBe("ClusterIP");
    const policy = at(findResource(resources, NETPOL, "llama-8b-netpol").inputs, "spec");
    expect(policy.podSelector).toEqual({ matchLabels: { "app.kubernetes.io/name": "vllm-serving", "app.kubernetes.io/instance": "llama-8b", "app.kubernetes.io/managed-by": "switchyard" } });
    expect(policy.ingress).toEqual([
      {
        from: [
          { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "gateway" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "litellm" } } },
          { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } },
        ],
        ports: [{ protocol: "TCP", port: 8000 }],
      },
    ]);
  });

  it("exposes only /v1 through the TLS Ingress", async () => {
    const { resources } = await serve(variants["ingress"]!);
    const spec = at(findResource(resources, INGRESS, "llama-8b-ingress").inputs, "spec");
    expect(spec.tls).toEqual([{ hosts: ["llama.coreweave.example.com"], secretName: "llama-tls" }]);
    const paths = spec.rules.flatMap((rule: { http: { paths: { path: string; pathType: string }[] } }) => rule.http.paths);
    expect(paths.map((p: { path: string; pathType: string }) => `${p.pathType} ${p.path}`)).toEqual(["Prefix /v1"]);
    // Fit for LLM traffic on ingress-nginx: longer than the gateway's 120 s, streamed tokens unbuffered, long prompts.
    expect(at(findResource(resources, INGRESS, "llama-8b-ingress").inputs, "metadata", "annotations")).toEqual({
      "nginx.ingress.kubernetes.io/proxy-read-timeout": "300",
      "nginx.ingress.kubernetes.io/proxy-send-timeout": "300",
      "nginx.ingress.kubernetes.io/proxy-buffering": "off",
      "nginx.ingress.kubernetes.io/proxy-body-size": "16m",
      "pulumi.com/skipAwait": "true",
    });
  });

  it("never creates a LoadBalancer or NodePort Service in any variant", async () => {
    for (const args of Object.values(variants)) {
      const { resources } = await serve(args);
      for (const svc of resources.filter((r) => r.type === SERVICE)) expect(at(svc.inputs, "spec", "type")).toBe("ClusterIP");
    }
  });
});

describe("VllmServing outputs", () => {
  it("outputs the in-cluster endpoint and a Backend costed at the replica's share of the node", async () => {
    const { component } = await serve(variants["keda"]!);
    expect(await valueOf(component.serviceName)).toBe("llama-8b");
    expect(await valueOf(component.endpoint)).toBe("http://llama-8b.inference.svc.cluster.local:8000/v1");
    expect(await valueOf(component.externalEndpoint)).toBeUndefined();
    expect(component.backend).toEqual({
      name: "llama-8b",
      provider: "coreweave",
      region: "US-EAST-04A",
      capacityType: "reserved",
      modelName: "llama-3.1-8b",
      servedModelName: "llama-3.1-8b",
      baseUrl: "http://llama-8b.inference.svc.cluster.local:8000/v1",
      apiKeySecretEnv: "LLAMA_8B_API_KEY",
      costPerHour: 49.24 / 8,
      // Autoscaled (KEDA): the gateway tries it by its capacity type, not as a fixed tier.
      fixed: false,
      tokensPerSecond: 2500,
      expectedLatencyMs: 300,
    });
  });

  it("routes the Backend through the Ingress when there is one", async () => {
    const { component } = await serve(variants["ingress"]!);
    expect(await valueOf(component.externalEndpoint)).toBe("https://llama.coreweave.example.com/v1");
    expect(component.backend.baseUrl).toBe("https://llama.coreweave.example.com/v1");
  });

  it("generates a 48-character alphanumeric key when none is given, and outputs it as a secret", async () => {
    const { resources, component } = await serve(llama8b);
    expect(findResource(resources, PASSWORD, "llama-8b-api-key").inputs).toMatchObject({ length: 48, special: false });
    expect(await pulumi.isSecret(component.apiKey)).toBe(true);
    const registered = findResource(resources, COMPONENT, "llama-8b");
    expect(registered.secretOutputPaths).toContain("apiKey");
  });
});

describe("VllmServing secrets", () => {
  const SENTINEL_KEY = "sentinel-api-key-7f3c9a1e5b2d4c6f";
  const SENTINEL_HF_SECRET = "sentinel-hf-token-secret";

  it("keeps the API key in the Secret's stringData only, marked secret, and the HF token as a secretKeyRef", async () => {
    const { resources, component } = await serve({ ...variants["ingress"]!, apiKey: SENTINEL_KEY, hfTokenSecret: { name: SENTINEL_HF_SECRET, key: "token" } });
    const hits = resources.flatMap((r) => stringLeaves(r.inputs).filter((l) => l.value.includes(SENTINEL_KEY)).map((l) => `${r.type} ${r.name} ${l.path}`));
    expect(hits).toEqual([`${SECRET} llama-8b-api-key stringData.api-key`]);
    const secret = findResource(resources, SECRET, "llama-8b-api-key");
    expect(underSecret("stringData.api-key", secret.secretPaths)).toBe(true);

    const hfHits = resources.flatMap((r) => stringLeaves(r.inputs).filter((l) => l.value.includes(SENTINEL_HF_SECRET)).map((l) => `${r.type} ${l.path}`));
    expect(hfHits).toEqual([`${DEPLOYMENT} spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.name`]);

    const registered = findResource(resources, COMPONENT, "llama-8b");
    const plainOutputHits = stringLeaves(registered.outputs)
      .filter((l) => l.value.includes(SENTINEL_KEY))
      .map((l) => l.path);
    expect(plainOutputHits.every((path) => underSecret(path, registered.secretOutputPaths))).toBe(true);
    expect(plainOutputHits).toEqual(["apiKey"]);
    expect(await pulumi.isSecret(component.apiKey)).toBe(true);
    expect(JSON.stringify(component.backend)).not.toContain(SENTINEL_KEY);
  });

  it("never passes the key through args, env values, labels or annotations", async () => {
    const { resources } = await serve({ ...llama8b, apiKey: SENTINEL_KEY });
    const container = at(findResource(resources, DEPLOYMENT, "llama-8b-vllm").inputs, "spec", "template", "spec", "containers", 0);
    expect(container.args.join(" ")).not.toContain(SENTINEL_KEY);
    expect(container.args).not.toContain("--api-key");
    expect(container.env.find((e: { name: string }) => e.name === "VLLM_API_KEY")).toEqual({
      name: "VLLM_API_KEY",
      valueFrom: { secretKeyRef: { name: "llama-8b-api-key", key: "api-key" } },
    });
    for (const r of resources) {
      expect(JSON.stringify(at(r.inputs, "metadata") ?? {})).not.toContain(SENTINEL_KEY);
    }
  });
});

describe("VllmServing invalid arguments", () => {
  it.each<[string, VllmServingArgs, string[]]>([
    ["unpinned image", { ...llama8b, image: "vllm/vllm-openai:latest" }, ['image ("vllm/vllm-openai:latest")', "must be pinned"]],
    ["TP not dividing the node", { ...llama8b, tensorParallelSize: 3 }, ["tensorParallelSize (3) must divide gpusPerNode (8); use 1, 2, 4 or 8"]],
    ["scale to zero without a wake signal", { ...llama8b, minReplicas: 0, maxReplicas: 2, autoscaling: kedaScaling }, ["autoscaling.wake is required when minReplicas is 0"]],
    ["--trust-remote-code", { ...llama8b, extraArgs: ["--trust-remote-code"] }, ['extraArgs[0] ("--trust-remote-code") is not allowed']],
    [
      "a schedule window above maxReplicas",
      { ...llama8b, maxReplicas: 2, autoscaling: { ...kedaScaling, schedule: [{ startMinuteOfWeek: 467, endMinuteOfWeek: 1080, minReplicas: 3 }] } },
      ["autoscaling.schedule[0].minReplicas (3) must be a whole number of replicas from 1 to maxReplicas (2)"],
    ],
    ["a model that does not fit", { ...llama70b, tensorParallelSize: 1 }, ["model.parameterCountBillions (70)", "raise tensorParallelSize to 4"]],
  ])("%s: throws before registering anything, not even the component", async (_label, args, fragments) => {
    const { error, resources } = await synthesizeFailure(() => new VllmServing("llama-8b", args));
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    expect(error.message).toContain('VllmServing "llama-8b" has 1 invalid argument:');
    for (const fragment of fragments) expect(error.message).toContain(fragment);
    expect(resources).toEqual([]);
  });
});

describe("VllmServing local disk: a 70B bf16 checkpoint from the Hub", () => {
  /** Llama-3.3-70B in bf16 at TP 2: four replicas per 8-GPU node, each downloading the 140 GB checkpoint. */
  const fromHub = (placement: VllmServingArgs["placement"]): VllmServingArgs => ({ ...llama70b, placement, tensorParallelSize: 2, quantization: "fp8", maxReplicas: 4, minReplicas: 4 });

  async function pod(args: VllmServingArgs) {
    const { resources } = await serve(args, "llama-70b");
    const spec = at(findResource(resources, DEPLOYMENT, "llama-70b-vllm").inputs, "spec", "template", "spec");
    return { spec, container: spec.containers[0] };
  }

  // The same pod on both clouds: an emptyDir lands wherever the kubelet keeps ephemeral storage, which the pool puts on
  // local NVMe (p5: RAID0 of its 8 × 3.84 TB instance store; CoreWeave: the node's /mnt/local NVMe RAID).
  it.each([
    ["AWS p5.48xlarge (instance store RAID0)", resolveGpuNodePoolArgs("p5-spot", awsManaged).placement],
    ["CoreWeave gd-8xh100ib-i128 (/mnt/local NVMe)", resolveGpuNodePoolArgs("h100-reserved", coreweaveReserved).placement],
  ])("on %s: a 146 GiB emptyDir as HF_HOME and a matching 156 GiB ephemeral-storage request and limit", async (_label, placement) => {
    const { spec, container } = await pod(fromHub(placement));
    expect(spec.volumes).toEqual([
      { name: "dshm", emptyDir: { medium: "Memory", sizeLimit: "4Gi" } },
      // 140 GB = 130.4 GiB, + 10% + 2 GiB, rounded up.
      { name: "hf-cache", emptyDir: { sizeLimit: "146Gi" } },
    ]);
    expect(container.volumeMounts).toEqual([
      { name: "dshm", mountPath: "/dev/shm" },
      { name: "hf-cache", mountPath: "/var/cache/huggingface" },
    ]);
    expect(container.env.filter((e: { name: string }) => e.name.startsWith("HF_"))).toEqual([
      { name: "HF_HOME", value: "/var/cache/huggingface" },
      { name: "HF_XET_CHUNK_CACHE_SIZE_BYTES", value: "0" },
    ]);
    // The volume counts against the pod's limit (the sum of its containers'): 146 + 10 GiB of compile caches and logs.
    expect(container.resources).toEqual({
      requests: { cpu: "5", memory: "18Gi", "nvidia.com/gpu": "2", "ephemeral-storage": "156Gi" },
      limits: { memory: "18Gi", "nvidia.com/gpu": "2", "ephemeral-storage": "156Gi" },
    });
    expect(container.args).not.toContain("--download-dir");
  });

  it("fits the node the pool sizes for it: four replicas' 624 GiB on the p5's 28,610 GiB of NVMe, and on CoreWeave's", () => {
    for (const pool of [awsManaged, coreweaveReserved]) {
      const r = resolveGpuNodePoolArgs("pool", { ...pool, ephemeralStoragePerNodeGiB: 4 * 156 });
      expect(r.ephemeralStorage).toMatchObject({ on: "local-nvme", requestedPerNodeGiB: 624, requiredGiB: 835 });
      expect(r.ephemeralStorage.localNvmeGiB).toBeGreaterThanOrEqual(28_610);
    }
  });
});
