import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_RELIABILITY } from "../../src/litellm-gateway";
import {
  DEFAULT_INGRESS_PROXY_TIMEOUT_SECONDS,
  INGRESS_MAX_BODY_SIZE,
  deploymentSpec,
  horizontalPodAutoscalerSpec,
  ingressSpec,
  minuteOfWeekCron,
  networkPolicySpec,
  podDisruptionBudgetSpec,
  resolveVllmServingArgs,
  scaledObjectSpec,
  serviceSpec,
  shmSizeGiB,
  WAKE_TRIGGER_THRESHOLD,
  wakeAuthenticationSpec,
} from "../../src/vllm-serving";
import type { ResolvedVllmServing, VllmServingArgs } from "../../src/vllm-serving";
import { h100Node, hpaScaling, kedaScaling, llama8b, nodeCache, wakeQuery } from "./fixtures";

/** The parts of the specs the tests read, typed loosely: the builders return Pulumi input types. */
type Json = Record<string, any>;

const resolve = (overrides: Partial<VllmServingArgs> = {}) => resolveVllmServingArgs("llama-8b", { ...llama8b, ...overrides });
const pod = (r: ResolvedVllmServing): Json => (deploymentSpec(r) as Json).spec.template.spec;
const container = (r: ResolvedVllmServing): Json => pod(r).containers[0];
const ingressArgs = { host: "llama.coreweave.example.com", className: "nginx", tlsSecretName: "llama-tls", controllerNamespace: "ingress-nginx" };

describe("deploymentSpec", () => {
  it("runs vllm serve explicitly with the resolved args on port 8000", () => {
    const r = resolve();
    expect(container(r)).toMatchObject({ name: "vllm", image: "vllm/vllm-openai:v0.11.0", command: ["vllm", "serve"], args: r.args, ports: [{ name: "http", containerPort: 8000 }] });
  });

  it("sets replicas = minReplicas without a scaler and leaves it out when one owns the Deployment", () => {
    expect((deploymentSpec(resolve({ minReplicas: 2, maxReplicas: 2 })) as Json).spec.replicas).toBe(2);
    expect((deploymentSpec(resolve({ maxReplicas: 3, autoscaling: kedaScaling })) as Json).spec).not.toHaveProperty("replicas");
    expect((deploymentSpec(resolve({ maxReplicas: 3, autoscaling: hpaScaling })) as Json).spec).not.toHaveProperty("replicas");
  });

  it("has `pulumi up` wait for readiness only where there are replicas: a tier its scaler may keep at zero skips it", () => {
    const zero = resolve({ minReplicas: 0, maxReplicas: 4, autoscaling: { ...kedaScaling, wake: { query: "vector(0)" } } });
    for (const spec of [deploymentSpec(zero), serviceSpec(zero)] as Json[]) expect(spec.metadata.annotations).toEqual({ "pulumi.com/skipAwait": "true" });
    const fixed = resolve({ minReplicas: 2, maxReplicas: 2 });
    const scaled = resolve({ minReplicas: 1, maxReplicas: 3, autoscaling: kedaScaling });
    for (const spec of [deploymentSpec(fixed), serviceSpec(fixed), deploymentSpec(scaled), serviceSpec(scaled)] as Json[]) expect(spec.metadata).not.toHaveProperty("annotations");
  });

  it("pins pods to the Placement and spreads them across nodes", () => {
    const spec = pod(resolve());
    expect(spec.nodeSelector).toEqual({ "switchyard.dev/pool": "h100-reserved" });
    expect(spec.tolerations).toEqual([
      { key: "switchyard.dev/dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule" },
      { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
    ]);
    expect(spec.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { "app.kubernetes.io/name": "vllm-serving", "app.kubernetes.io/instance": "llama-8b", "app.kubernetes.io/managed-by": "switchyard" } } },
    ]);
  });

  it("hardens the pod: no service-account token, no service links, no escalation, no capabilities, RuntimeDefault seccomp", () => {
    const spec = pod(resolve());
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.enableServiceLinks).toBe(false);
    expect(spec.terminationGracePeriodSeconds).toBe(60);
    expect(spec.securityContext).toEqual({ seccompProfile: { type: "RuntimeDefault" } });
    expect(container(resolve()).securityContext).toEqual({ allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } });
    expect(spec).not.toHaveProperty("hostIPC");
    expect(spec).not.toHaveProperty("hostNetwork");
  });

  it("probes /health three different ways: a startup budget, fast readiness, tolerant liveness", () => {
    const c = container(resolve());
    expect(c.startupProbe).toEqual({ httpGet: { path: "/health", port: "http" }, periodSeconds: 10, failureThreshold: 120, timeoutSeconds: 5, successThreshold: 1 });
    expect(c.readinessProbe).toEqual({ httpGet: { path: "/health", port: "http" }, periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 3, successThreshold: 1 });
    expect(c.livenessProbe).toEqual({ httpGet: { path: "/health", port: "http" }, periodSeconds: 15, failureThreshold: 4, timeoutSeconds: 10, successThreshold: 1 });
    expect(c.livenessProbe.periodSeconds * c.livenessProbe.failureThreshold).toBeGreaterThan(c.readinessProbe.periodSeconds * c.readinessProbe.failureThreshold);
  });

  it("lets a rollout take as long as the cold start plus scheduling, not the 600 s default", () => {
    const r = resolve({ coldStartBudgetSeconds: 3000 });
    expect((deploymentSpec(r) as Json).spec.progressDeadlineSeconds).toBe(4800);
    expect(r.rolloutTimeout).toBe("80m"); // Pulumi's customTimeouts on the Deployment
    // One replica on a pool of unknown size: no room to surge into, so the old pod goes first.
    expect((deploymentSpec(r) as Json).spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
  });

  it("takes the API key from the Secret and merges the weight source", () => {
    const spec = pod(resolve({ weightSource: nodeCache }));
    expect(spec.containers[0].env[0]).toEqual({ name: "VLLM_API_KEY", valueFrom: { secretKeyRef: { name: "llama-8b-api-key", key: "api-key" } } });
    expect(spec.initContainers.map((c: Json) => c.name)).toEqual(["wait-for-cache"]);
    expect(spec.volumes.map((v: Json) => v.name)).toEqual(["dshm", "model-cache"]);
    expect(pod(resolve())).not.toHaveProperty("initContainers");
  });

  // For any node size and any tensor-parallel size that divides it, the GPU request and limit are the TP
  // size, /dev/shm is memory-backed and scales with it, and the memory limit covers the process plus shm.
  it("derives GPU, /dev/shm and memory from tensorParallelSize (property)", () => {
    const nodeAndTp = fc.constantFrom(1, 2, 4, 8).chain((gpus) => fc.tuple(fc.constant(gpus), fc.constantFrom(...[1, 2, 4, 8].filter((d) => gpus % d === 0))));
    fc.assert(
      fc.property(nodeAndTp, ([gpusPerNode, tp]) => {
        const r = resolve({ placement: { ...h100Node, gpusPerNode }, tensorParallelSize: tp });
        const c = container(r);
        expect(c.resources.limits["nvidia.com/gpu"]).toBe(String(tp));
        expect(c.resources.requests["nvidia.com/gpu"]).toBe(String(tp));
        expect(c.resources.requests.memory).toBe(c.resources.limits.memory);
        const shm = pod(r).volumes.find((v: Json) => v.name === "dshm");
        expect(shm.emptyDir).toEqual({ medium: "Memory", sizeLimit: `${shmSizeGiB(tp)}Gi` });
        expect(shmSizeGiB(tp)).toBeGreaterThanOrEqual(shmSizeGiB(Math.max(1, tp / 2)));
        expect(r.resources.memoryLimitGiB).toBe(r.resources.processMemoryGiB + shmSizeGiB(tp));
        expect(c.resources.limits.memory).toBe(`${r.resources.memoryLimitGiB}Gi`);
        expect(r.backend.costPerHour * (gpusPerNode / tp)).toBeCloseTo(h100Node.hourlyCostPerNode, 9);
      }),
    );
  });

  it("gives the startup probe at least the cold-start budget for any model size or explicit budget (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 70, noNaN: true }), fc.option(fc.integer({ min: 60, max: 86_400 }), { nil: undefined }), (params, budget) => {
        const r = resolve({ model: { ...llama8b.model, parameterCountBillions: params }, tensorParallelSize: 8, coldStartBudgetSeconds: budget });
        const startup = container(r).startupProbe;
        expect(startup.periodSeconds * startup.failureThreshold).toBeGreaterThanOrEqual(r.coldStartBudgetSeconds);
        expect(startup.periodSeconds * startup.failureThreshold).toBeLessThan(r.coldStartBudgetSeconds + startup.periodSeconds);
        if (budget !== undefined) expect(r.coldStartBudgetSeconds).toBe(budget);
        else expect(r.coldStartBudgetSeconds).toBeGreaterThanOrEqual(1200);
      }),
    );
  });

  it("never passes --trust-remote-code or --api-key to vLLM, however extraArgs spell them (property)", () => {
    const dangerous = fc.constantFrom("--trust-remote-code", "--trust_remote_code", "--trust-remote", "--api-key", "--api-key=sk-123", "--api_key", "--trust-remote-code=true");
    const benign = fc.constantFrom("--max-num-seqs", "64", "--enforce-eager", "--kv-cache-dtype", "fp8", "--swap-space=4");
    fc.assert(
      fc.property(fc.array(fc.oneof(dangerous, benign), { maxLength: 8 }), (extraArgs) => {
        let args: string[];
        try {
          args = resolve({ extraArgs }).args;
        } catch {
          return; // rejected: nothing reaches the pod
        }
        for (const arg of args) expect(arg.replace(/_/g, "-")).not.toMatch(/^--(trust-remote|api-key)/);
      }),
    );
  });
});

describe("serviceSpec and podDisruptionBudgetSpec", () => {
  it("exposes port 8000 on a ClusterIP Service only", () => {
    expect((serviceSpec(resolve()) as Json).spec).toEqual({
      type: "ClusterIP",
      selector: { "app.kubernetes.io/name": "vllm-serving", "app.kubernetes.io/instance": "llama-8b", "app.kubernetes.io/managed-by": "switchyard" },
      ports: [{ name: "http", port: 8000, targetPort: "http", protocol: "TCP" }],
    });
  });

  it("lets one node's worth of pods go, and unready pods always, so drains never block", () => {
    expect((podDisruptionBudgetSpec(resolve()) as Json).spec).toMatchObject({ maxUnavailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow" });
    expect((podDisruptionBudgetSpec(resolve()) as Json).spec).not.toHaveProperty("minAvailable");
    // 4 replicas of 2 GPUs fill one 8-GPU node: a drain of that node must evict all four.
    const full = resolve({ tensorParallelSize: 2, minReplicas: 4, maxReplicas: 4 });
    expect((podDisruptionBudgetSpec(full) as Json).spec).toMatchObject({ maxUnavailable: 4, unhealthyPodEvictionPolicy: "AlwaysAllow" });
  });
});

describe("networkPolicySpec", () => {
  it("admits only the gateway pods, on 8000, and blocks the metadata endpoint", () => {
    const spec = (networkPolicySpec(resolve()) as Json).spec;
    expect(spec.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "gateway" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "litellm" } } }],
        ports: [{ protocol: "TCP", port: 8000 }],
      },
    ]);
    expect(spec.egress[0].to).toContainEqual({ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32"] } });
  });

  it("also admits the ingress controller's namespace when there is an Ingress", () => {
    const from = (networkPolicySpec(resolve({ ingress: ingressArgs })) as Json).spec.ingress[0].from;
    expect(from).toHaveLength(2);
    expect(from[1]).toEqual({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } });
  });

  it("also admits the metrics scraper's pods when autoscaling reads vLLM's queue, and only those pods", () => {
    const from = (networkPolicySpec(resolve({ maxReplicas: 3, autoscaling: kedaScaling })) as Json).spec.ingress[0].from;
    expect(from).toHaveLength(2);
    expect(from[1]).toEqual({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } });
  });
});

describe("ingressSpec", () => {
  it("routes only the /v1 prefix over TLS", () => {
    const r = resolve({ ingress: ingressArgs });
    const spec = (ingressSpec(r, r.ingress!) as Json).spec;
    expect(spec.ingressClassName).toBe("nginx");
    expect(spec.tls).toEqual([{ hosts: ["llama.coreweave.example.com"], secretName: "llama-tls" }]);
    expect(spec.rules).toEqual([
      {
        host: "llama.coreweave.example.com",
        http: { paths: [{ path: "/v1", pathType: "Prefix", backend: { service: { name: "llama-8b", port: { name: "http" } } } }] },
      },
    ]);
    expect(spec).not.toHaveProperty("defaultBackend");
  });

  it("annotates for LLM traffic on ingress-nginx: timeouts above the gateway's, no response buffering, long prompts", () => {
    const r = resolve({ ingress: ingressArgs });
    expect((ingressSpec(r, r.ingress!) as Json).metadata.annotations).toEqual({
      "nginx.ingress.kubernetes.io/proxy-read-timeout": "300",
      "nginx.ingress.kubernetes.io/proxy-send-timeout": "300",
      "nginx.ingress.kubernetes.io/proxy-buffering": "off",
      "nginx.ingress.kubernetes.io/proxy-body-size": "16m",
      // A fleet's first `up` does not wait on each backend's external load balancer.
      "pulumi.com/skipAwait": "true",
    });
    // The gateway's per-attempt timeout runs out first, with margin: an ingress 504 would cool a healthy backend down.
    expect(DEFAULT_INGRESS_PROXY_TIMEOUT_SECONDS).toBeGreaterThanOrEqual(2 * DEFAULT_RELIABILITY.requestTimeoutSeconds);
  });

  it("takes the timeout from ingress.proxyTimeoutSeconds, and annotates whatever the class is called", () => {
    const custom = { ...ingressArgs, className: "nginx-public", proxyTimeoutSeconds: 900 };
    const r = resolve({ ingress: custom });
    const annotations = (ingressSpec(r, r.ingress!) as Json).metadata.annotations;
    expect(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]).toBe("900");
    expect(annotations["nginx.ingress.kubernetes.io/proxy-send-timeout"]).toBe("900");
    expect(annotations["nginx.ingress.kubernetes.io/proxy-buffering"]).toBe("off");
  });

  it.each([30, 7201, 120.5])("refuses ingress.proxyTimeoutSeconds %s", (proxyTimeoutSeconds) => {
    expect(() => resolve({ ingress: { ...ingressArgs, proxyTimeoutSeconds } })).toThrow(/ingress\.proxyTimeoutSeconds/);
  });

  it("accepts a 128k-token prompt that ingress-nginx's default 1 MiB refuses, with a tenfold margin", () => {
    // The worst text case: ~1.5 non-Latin characters per token, each JSON-escaped as \uXXXX (Python's json.dumps default).
    const content = "語".repeat(Math.round(128_000 * 1.5));
    const body = JSON.stringify({ model: "llama-3.1-8b", stream: true, messages: [{ role: "user", content }] }).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    expect(Buffer.byteLength(body)).toBeGreaterThan(1024 * 1024);
    expect(INGRESS_MAX_BODY_SIZE).toBe("16m");
    expect(Buffer.byteLength(body) * 10).toBeLessThan(16 * 1024 * 1024);
  });
});

describe("scaler specs", () => {
  it("scales on requests in flight (running + waiting) per replica with KEDA", () => {
    const r = resolve({ minReplicas: 1, maxReplicas: 6, autoscaling: { ...kedaScaling, targetInFlightPerReplica: 40, pollingIntervalSeconds: 30, scaleDownCooldownSeconds: 900 } });
    const spec = (scaledObjectSpec(r, r.autoscaling!) as Json).spec;
    expect(spec).toMatchObject({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "llama-8b" },
      minReplicaCount: 1,
      maxReplicaCount: 6,
      pollingInterval: 30,
      cooldownPeriod: 900,
      advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 900 } } } },
    });
    expect(spec.triggers).toEqual([
      {
        type: "prometheus",
        name: "in-flight",
        metadata: {
          serverAddress: "http://prometheus-operated.monitoring:9090",
          query: 'sum({__name__=~"vllm:num_requests_running|vllm:num_requests_waiting",model_name="llama-8b"})',
          threshold: "40",
        },
      },
    ]);
  });

  it("adds a gateway-side wake trigger that only governs activation when scaling to zero", () => {
    const r = resolve({ minReplicas: 0, maxReplicas: 4, autoscaling: { ...kedaScaling, wake: { query: wakeQuery } } });
    const spec = (scaledObjectSpec(r, r.autoscaling!) as Json).spec;
    expect(spec.minReplicaCount).toBe(0);
    expect(spec.triggers[1]).toEqual({
      type: "prometheus",
      name: "wake",
      metadata: { serverAddress: "http://prometheus-operated.monitoring:9090", query: wakeQuery, threshold: String(WAKE_TRIGGER_THRESHOLD), activationThreshold: "0" },
    });
  });

  it("sizes the wake from the spill when given a threshold: KEDA asks for ⌈value / threshold⌉ replicas", () => {
    const r = resolve({ minReplicas: 0, maxReplicas: 4, autoscaling: { ...kedaScaling, wake: { query: wakeQuery, threshold: 0.8 } } });
    expect((scaledObjectSpec(r, r.autoscaling!) as Json).spec.triggers[1].metadata).toMatchObject({ threshold: "0.8", activationThreshold: "0" });
  });

  it("reads the wake signal from another cluster's Prometheus with a bearer token through a TriggerAuthentication", () => {
    const wake = { query: wakeQuery, prometheusServerUrl: "https://prometheus.gateway.example.com", bearerTokenSecret: { name: "gateway-prometheus-reader", key: "token" } };
    const r = resolve({ minReplicas: 0, maxReplicas: 4, autoscaling: { ...kedaScaling, wake } });
    const spec = (scaledObjectSpec(r, r.autoscaling!) as Json).spec;
    expect(spec.triggers[0].metadata.serverAddress).toBe("http://prometheus-operated.monitoring:9090");
    expect(spec.triggers[1]).toEqual({
      type: "prometheus",
      name: "wake",
      metadata: { serverAddress: "https://prometheus.gateway.example.com", query: wakeQuery, threshold: String(WAKE_TRIGGER_THRESHOLD), activationThreshold: "0", authModes: "bearer" },
      authenticationRef: { name: "llama-8b-wake" },
    });
    expect(wakeAuthenticationSpec(r, wake.bearerTokenSecret)).toEqual({
      apiVersion: "keda.sh/v1alpha1",
      kind: "TriggerAuthentication",
      metadata: { name: "llama-8b-wake", namespace: "inference", labels: r.labels },
      spec: { secretTargetRef: [{ parameter: "bearerToken", name: "gateway-prometheus-reader", key: "token" }] },
    });
  });

  it("adds one KEDA cron trigger per schedule window, in UTC, Monday 00:00 being minute 0", () => {
    const schedule = [
      { startMinuteOfWeek: 467, endMinuteOfWeek: 1080, minReplicas: 4 },
      // Sunday 23:47 to Monday 01:00: one trigger, since KEDA holds from a start to the end that follows it.
      { startMinuteOfWeek: 10_067, endMinuteOfWeek: 60, minReplicas: 2 },
      // Saturday 12:00 to the week's end (10080 is the next Monday 00:00).
      { startMinuteOfWeek: 7920, endMinuteOfWeek: 10_080, minReplicas: 3 },
    ];
    const r = resolve({ minReplicas: 0, maxReplicas: 4, autoscaling: { ...kedaScaling, wake: { query: wakeQuery }, schedule } });
    const triggers = (scaledObjectSpec(r, r.autoscaling!) as Json).spec.triggers;
    expect(triggers.map((t: Json) => t.name)).toEqual(["in-flight", "wake", "schedule-0", "schedule-1", "schedule-2"]);
    expect(triggers.slice(2)).toEqual([
      { type: "cron", name: "schedule-0", metadata: { timezone: "UTC", start: "47 7 * * 1", end: "0 18 * * 1", desiredReplicas: "4" } },
      { type: "cron", name: "schedule-1", metadata: { timezone: "UTC", start: "47 23 * * 0", end: "0 1 * * 1", desiredReplicas: "2" } },
      { type: "cron", name: "schedule-2", metadata: { timezone: "UTC", start: "0 12 * * 6", end: "0 0 * * 1", desiredReplicas: "3" } },
    ]);
  });

  it.each<[number, string]>([
    [0, "0 0 * * 1"],
    [59, "59 0 * * 1"],
    [1439, "59 23 * * 1"],
    [1440, "0 0 * * 2"],
    [4 * 1440 + 17 * 60 + 30, "30 17 * * 5"],
    [6 * 1440, "0 0 * * 0"],
    [10_079, "59 23 * * 0"],
    [10_080, "0 0 * * 1"],
  ])("renders minute %i of the week as the weekly cron %s (cron's Sunday is 0)", (minute, cron) => {
    expect(minuteOfWeekCron(minute)).toBe(cron);
  });

  it("holds each window from its start to its end under KEDA's rule: active while the end's next firing precedes the start's", () => {
    // KEDA's cron scaler (pkg/scalers/cron_scaler.go) is active when the next end comes before the next start. A weekly
    // cron "M H * * D" fires at one minute of the week; `now` is taken mid-minute, so a firing at this minute is past.
    const firing = (cron: string) => {
      const [m, h, , , d] = cron.split(" ").map(Number);
      return ((d! + 6) % 7) * 1440 + h! * 60 + m!;
    };
    const next = (at: number, now: number) => (at > now ? at : at + 10_080);
    const windows = [
      { startMinuteOfWeek: 467, endMinuteOfWeek: 1080, minReplicas: 4 },
      { startMinuteOfWeek: 10_067, endMinuteOfWeek: 60, minReplicas: 2 },
      { startMinuteOfWeek: 7920, endMinuteOfWeek: 10_080, minReplicas: 3 },
    ];
    const r = resolve({ maxReplicas: 4, autoscaling: { ...kedaScaling, schedule: windows } });
    const crons = (scaledObjectSpec(r, r.autoscaling!) as Json).spec.triggers.filter((t: Json) => t.type === "cron");
    windows.forEach((w, i) => {
      const { start, end } = crons[i].metadata;
      for (let now = 0; now < 10_080; now++) {
        const active = next(firing(end), now) < next(firing(start), now);
        const inside = w.startMinuteOfWeek < w.endMinuteOfWeek ? now >= w.startMinuteOfWeek && now < w.endMinuteOfWeek : now >= w.startMinuteOfWeek || now < w.endMinuteOfWeek;
        if (active !== inside) throw new Error(`window ${i} at minute ${now}: KEDA ${active ? "active" : "inactive"}`);
      }
    });
  });

  it("targets the same requests in flight as an HPA Pods metric", () => {
    const r = resolve({ minReplicas: 1, maxReplicas: 3, autoscaling: hpaScaling });
    expect((horizontalPodAutoscalerSpec(r, r.autoscaling!) as Json).spec).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "llama-8b" },
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [{ type: "Pods", pods: { metric: { name: "vllm_num_requests_in_flight" }, target: { type: "AverageValue", averageValue: "48" } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 600 } },
    });
  });
});
