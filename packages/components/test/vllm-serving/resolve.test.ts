import * as pulumi from "@pulumi/pulumi";
import { modelWeightGiB } from "@switchyard/catalog";
import { describe, expect, it } from "vitest";
import {
  defaultColdStartBudgetSeconds,
  effectiveWeights,
  isPinnedImage,
  resolveVllmServingArgs,
} from "../../src/vllm-serving";
import type { ResolvedVllmServing, VllmServingArgs } from "../../src/vllm-serving";
import { h100Node, hpaScaling, kedaScaling, l4Node, LLAMA_8B_REVISION, llama70b, llama8b, nodeCache, prometheusScraper, s3Stream } from "./fixtures";

const resolve = (overrides: Partial<VllmServingArgs> = {}, name = "llama-8b") => resolveVllmServingArgs(name, { ...llama8b, ...overrides });

function failure(args: VllmServingArgs, name = "llama-8b"): pulumi.InputPropertiesError {
  try {
    resolveVllmServingArgs(name, args);
  } catch (error) {
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    return error as pulumi.InputPropertiesError;
  }
  throw new Error("expected resolveVllmServingArgs to throw");
}

describe("resolveVllmServingArgs defaults", () => {
  const r = resolve();
  it.each<[string, (r: ResolvedVllmServing) => unknown, unknown]>([
    ["tensorParallelSize", (r) => r.tensorParallelSize, 1],
    ["gpuMemoryUtilization", (r) => r.gpuMemoryUtilization, 0.9],
    ["enablePrefixCaching", (r) => r.enablePrefixCaching, true],
    ["minReplicas", (r) => r.minReplicas, 1],
    ["Deployment replicas without a scaler = minReplicas", (r) => r.replicas, 1],
    ["autoscaling", (r) => r.autoscaling, undefined],
    ["GPUs = tensorParallelSize", (r) => r.resources.gpus, 1],
    ["CPU cores = 1 + 2 per GPU", (r) => r.resources.cpuCores, 3],
    ["/dev/shm = 2 GiB per GPU", (r) => r.resources.shmSizeGiB, 2],
    ["process memory = 6 + 4 GiB per GPU", (r) => r.resources.processMemoryGiB, 10],
    ["memory limit = process + /dev/shm", (r) => r.resources.memoryLimitGiB, 12],
    ["checkpoint size = parameters × bytes of dtype (8 × 2 GB)", (r) => r.checkpointGB, 16],
    ["Hub download volume = 14.9 GiB × 1.1 + 2 GiB, rounded up", (r) => r.hubDownloadGiB, 19],
    ["ephemeral-storage = the download volume + 10 GiB of scratch", (r) => r.resources.ephemeralStorageGiB, 29],
    ["cold-start budget floor", (r) => r.coldStartBudgetSeconds, 1200],
    ["startup probe failures × 10 s = budget", (r) => r.probes.startup.failureThreshold, 120],
    ["load format from the Hub", (r) => r.loadFormat, "safetensors"],
    ["revision from the Hub", (r) => r.revision, LLAMA_8B_REVISION],
    ["model path = model.id", (r) => r.modelPath, "meta-llama/Llama-3.1-8B-Instruct"],
    ["apiKey (generated later)", (r) => r.apiKey, undefined],
    ["endpoint", (r) => r.endpoint, "http://llama-8b.inference.svc.cluster.local:8000/v1"],
    ["externalEndpoint", (r) => r.externalEndpoint, undefined],
    ["backend.name = component name", (r) => r.backend.name, "llama-8b"],
    ["backend.modelName = servedModelName", (r) => r.backend.modelName, "llama-3.1-8b"],
    ["backend.apiKeySecretEnv from the name", (r) => r.backend.apiKeySecretEnv, "LLAMA_8B_API_KEY"],
    ["backend.baseUrl = in-cluster endpoint", (r) => r.backend.baseUrl, "http://llama-8b.inference.svc.cluster.local:8000/v1"],
    ["backend.costPerHour = 1/8 of the node", (r) => r.backend.costPerHour, 49.24 / 8],
    ["backend.provider from the Placement", (r) => r.backend.provider, "coreweave"],
    ["backend.capacityType from the Placement", (r) => r.backend.capacityType, "reserved"],
  ])("%s", (_label, pick, expected) => {
    expect(pick(r)).toEqual(expected);
  });

  it("builds the vllm serve command line in a fixed order, with the explicit prefix-caching flag", () => {
    expect(r.command).toEqual(["vllm", "serve"]);
    expect(r.args).toEqual([
      "meta-llama/Llama-3.1-8B-Instruct",
      "--served-model-name",
      "llama-8b",
      "llama-3.1-8b",
      "--tensor-parallel-size",
      "1",
      "--gpu-memory-utilization",
      "0.9",
      "--revision",
      LLAMA_8B_REVISION,
      "--load-format",
      "safetensors",
      "--enable-prefix-caching",
      "--port",
      "8000",
      "--host",
      "0.0.0.0",
    ]);
  });

  it("passes the typed options and appends extraArgs last", () => {
    const args = resolve({ maxModelLen: 8192, quantization: "fp8", enablePrefixCaching: false, extraArgs: ["--max-num-seqs", "128"] }).args;
    expect(args.slice(args.indexOf("--max-model-len"), args.indexOf("--max-model-len") + 2)).toEqual(["--max-model-len", "8192"]);
    expect(args.slice(args.indexOf("--quantization"), args.indexOf("--quantization") + 2)).toEqual(["--quantization", "fp8"]);
    expect(args).toContain("--no-enable-prefix-caching");
    expect(args).not.toContain("--enable-prefix-caching");
    expect(args.slice(-2)).toEqual(["--max-num-seqs", "128"]);
  });

  it.each([
    ["node-local cache", nodeCache, "/models/meta-llama/Llama-3.1-8B-Instruct", "safetensors"],
    ["S3 stream", s3Stream, "s3://weights/meta-llama/Llama-3.1-8B-Instruct", "runai_streamer"],
  ])("loads from a %s without --revision, with the source's load format", (_label, weightSource, path, format) => {
    const r = resolve({ weightSource });
    expect(r.args[0]).toBe(path);
    expect(r.args).not.toContain("--revision");
    expect(r.args[r.args.indexOf("--load-format") + 1]).toBe(format);
    expect(r.loadsFromHub).toBe(false);
  });

  it("keeps --revision when a weight source still names a hub repo, and omits --load-format it leaves to vLLM", () => {
    const r = resolve({ weightSource: { ...s3Stream, modelPath: "meta-llama/Llama-3.1-8B-Instruct", loadFormat: undefined, revision: LLAMA_8B_REVISION } });
    expect(r.args[r.args.indexOf("--revision") + 1]).toBe(LLAMA_8B_REVISION);
    expect(r.args).not.toContain("--load-format");
  });

  it("merges the weight source's volumes, mounts, env and init containers after its own", () => {
    const r = resolve({ weightSource: nodeCache });
    expect(r.volumes.map((v) => v.name)).toEqual(["dshm", "model-cache"]);
    expect(r.volumeMounts.map((m) => m.mountPath)).toEqual(["/dev/shm", "/models"]);
    expect(r.env.map((e) => e.name)).toEqual(["VLLM_API_KEY", "VLLM_NO_USAGE_STATS", "HF_HUB_OFFLINE"]);
    expect(r.initContainers.map((c) => c.name)).toEqual(["wait-for-cache"]);
  });

  it("downloads from the Hub into the sized hf-cache volume as HF_HOME, and only then", () => {
    const hub = resolve();
    expect(hub.volumes.map((v) => v.name)).toEqual(["dshm", "hf-cache"]);
    expect(hub.volumeMounts).toEqual([{ name: "dshm", mountPath: "/dev/shm" }, { name: "hf-cache", mountPath: "/var/cache/huggingface" }]);
    expect(hub.env.filter((e) => ["HF_HOME", "HF_XET_CHUNK_CACHE_SIZE_BYTES"].includes(e.name as string))).toEqual([{ name: "HF_HOME", value: "/var/cache/huggingface" }, { name: "HF_XET_CHUNK_CACHE_SIZE_BYTES", value: "0" }]);
    // The published size, when stated, sizes it: 141.1 GB → 147 GiB + 10.
    const stated = resolve({ model: { ...llama70b.model, weightsGB: 141.1 }, tensorParallelSize: 4 });
    expect([stated.checkpointGB, stated.hubDownloadGiB, stated.resources.ephemeralStorageGiB]).toEqual([141.1, 147, 157]);
    // A weight source that names a hub repo still downloads; streamed and node-cached weights do not.
    expect(resolve({ weightSource: { ...s3Stream, modelPath: "meta-llama/Llama-3.1-8B-Instruct", revision: LLAMA_8B_REVISION } }).hubDownloadGiB).toBe(19);
    for (const weightSource of [s3Stream, nodeCache]) {
      const r = resolve({ weightSource });
      expect([r.hubDownloadGiB, r.resources.ephemeralStorageGiB]).toEqual([undefined, 10]);
      expect(r.volumes.map((v) => v.name)).not.toContain("hf-cache");
      expect(r.env.map((e) => e.name)).not.toContain("HF_HOME");
    }
  });

  it("reads HF_TOKEN from the given Secret, never as a value", () => {
    const r = resolve({ hfTokenSecret: { name: "hf-token", key: "token" } });
    expect(r.env.find((e) => e.name === "HF_TOKEN")).toEqual({ name: "HF_TOKEN", valueFrom: { secretKeyRef: { name: "hf-token", key: "token" } } });
  });

  it("defaults KEDA autoscaling and leaves replicas to the scaler", () => {
    const r = resolve({ minReplicas: 1, maxReplicas: 4, autoscaling: kedaScaling });
    expect(r.replicas).toBeUndefined();
    expect(r.autoscaling).toEqual({
      mode: "keda",
      prometheusServerUrl: "http://prometheus-operated.monitoring:9090",
      inFlightQuery: 'sum({__name__=~"vllm:num_requests_running|vllm:num_requests_waiting",model_name="llama-8b"})',
      targetInFlightPerReplica: 48,
      metricsScraper: { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" } },
      wake: undefined,
      pollingIntervalSeconds: 15,
      scaleDownCooldownSeconds: 600,
      schedule: [],
    });
  });

  it("keeps a valid schedule as given, across the week's end too, and names every bad window at once", () => {
    const schedule = [
      { startMinuteOfWeek: 467, endMinuteOfWeek: 1080, minReplicas: 4 },
      { startMinuteOfWeek: 10_067, endMinuteOfWeek: 60, minReplicas: 2 },
    ];
    expect(resolve({ maxReplicas: 4, autoscaling: { ...kedaScaling, schedule } }).autoscaling!.schedule).toEqual(schedule);
    const error = failure({ ...llama8b, maxReplicas: 4, autoscaling: { ...kedaScaling, schedule: [{ startMinuteOfWeek: -1, endMinuteOfWeek: 10_081, minReplicas: 9 }] } });
    expect(error.errors.map((e) => e.propertyPath)).toEqual(["autoscaling.schedule[0].startMinuteOfWeek", "autoscaling.schedule[0].endMinuteOfWeek", "autoscaling.schedule[0].minReplicas"]);
  });

  it("aims the in-flight target at the backend's per-replica concurrency unless given", () => {
    const backend = { ...llama8b.backend, concurrentRequestsPerReplica: 96 };
    const { targetInFlightPerReplica: _given, ...noTarget } = kedaScaling;
    expect(resolve({ maxReplicas: 4, backend, autoscaling: noTarget }).autoscaling!.targetInFlightPerReplica).toBe(96);
    expect(resolve({ maxReplicas: 4, backend, autoscaling: { ...noTarget, targetInFlightPerReplica: 80 } }).autoscaling!.targetInFlightPerReplica).toBe(80);
  });

  it("uses the external endpoint as the backend URL when there is an Ingress", () => {
    const r = resolve({ ingress: { host: "llama.coreweave.example.com", className: "nginx", tlsSecretName: "llama-tls", controllerNamespace: "ingress-nginx" } });
    expect(r.externalEndpoint).toBe("https://llama.coreweave.example.com/v1");
    expect(r.backend.baseUrl).toBe("https://llama.coreweave.example.com/v1");
  });

  it("honours explicit backend, resources and budget settings", () => {
    const r = resolve({
      backend: { modelName: "llama-8b", tokensPerSecond: 1, expectedLatencyMs: 2, apiKeySecretEnv: "VLLM_CW_KEY" },
      resources: { cpuCores: 6, memoryGiB: 40 },
      coldStartBudgetSeconds: 3605,
    });
    expect(r.backend).toMatchObject({ modelName: "llama-8b", apiKeySecretEnv: "VLLM_CW_KEY", tokensPerSecond: 1, expectedLatencyMs: 2 });
    expect(r.resources).toMatchObject({ cpuCores: 6, processMemoryGiB: 40, memoryLimitGiB: 42 });
    expect(r.probes.startup.failureThreshold).toBe(361);
  });
});

describe("the Backend's concurrency cap", () => {
  it("is maxReplicas × concurrentRequestsPerReplica, and absent without the per-replica figure", () => {
    expect(resolve({ minReplicas: 1, maxReplicas: 4, autoscaling: kedaScaling, backend: { ...llama8b.backend, concurrentRequestsPerReplica: 96 } }).backend.maxConcurrentRequests).toBe(384);
    expect(resolve().backend.maxConcurrentRequests).toBeUndefined();
  });

  it("refuses a per-replica figure that is not a whole number ≥ 1", () => {
    expect(() => resolve({ backend: { ...llama8b.backend, concurrentRequestsPerReplica: 0.5 } })).toThrow("backend.concurrentRequestsPerReplica (0.5) must be a whole number of requests ≥ 1");
  });
});

describe("derived rules", () => {
  it.each([
    // parameters, dtype, expected budget seconds
    [8, "bf16", 1200],
    [70, "bf16", 1910],
    [405, "bf16", 8150],
    [70, "int4", 1200],
  ] as const)("cold-start budget of a %sB %s model is %i s", (params, dtype, seconds) => {
    expect(defaultColdStartBudgetSeconds(modelWeightGiB(params, dtype))).toBe(seconds);
  });

  it.each([
    [70, "bf16", undefined, "bf16"],
    [70, "bf16", "awq", "int4"],
    [70, "bf16", "gptq_marlin", "int4"],
    [70, "bf16", "fp8", "fp8"],
    [70, "bf16", "compressed-tensors", "bf16"],
    [70, "int4", "fp8", "int4"],
    [70, "fp8", undefined, "fp8"],
  ] as const)("%sB stored as %s with quantization %s occupies GPU memory as %s", (params, dtype, quantization, expected) => {
    const w = effectiveWeights({ model: { ...llama8b.model, parameterCountBillions: params, dtype }, quantization });
    expect(w.dtype).toBe(expected);
    expect(w.gib).toBeCloseTo(modelWeightGiB(params, expected), 6);
  });

  it.each([
    ["vllm/vllm-openai:v0.11.0", true],
    ["vllm/vllm-openai:0.11.0-cu129", true],
    ["docker.io/vllm/vllm-openai:v0.10.1.1", true],
    ["ghcr.io/coreweave/ml-containers/vllm-tensorizer:8552fbc-v0.10.0", true],
    ["registry.example.com:5000/vllm/vllm-openai:v0.11.0", true],
    [`vllm/vllm-openai@sha256:${"a".repeat(64)}`, true],
    [`vllm/vllm-openai:latest@sha256:${"b".repeat(64)}`, true],
    ["vllm/vllm-openai", false],
    ["vllm/vllm-openai:latest", false],
    ["vllm/vllm-openai:nightly", false],
    ["vllm/vllm-openai:main", false],
    ["vllm/vllm-openai:latest-cu129", false],
    ["vllm/vllm-openai:v0.11.0-nightly", false],
    ["vllm/vllm-openai:cu129", false],
    ["registry.example.com:5000/vllm", false],
    [`vllm/vllm-openai@sha256:${"a".repeat(10)}`, false],
  ])("isPinnedImage(%s) is %s", (image, pinned) => {
    expect(isPinnedImage(image)).toBe(pinned);
  });
});

describe("resolveVllmServingArgs validation", () => {
  it.each<[string, VllmServingArgs, string, string[]]>([
    ["a bad namespace", { ...llama8b, namespace: "Inference" }, "namespace", ['namespace ("Inference")', "DNS-1123"]],
    ["an unpinned image", { ...llama8b, image: "vllm/vllm-openai:latest" }, "image", ['image ("vllm/vllm-openai:latest")', "version tag", "@sha256:"]],
    ["an image without a tag", { ...llama8b, image: "vllm/vllm-openai" }, "image", ['image ("vllm/vllm-openai")', "must be pinned"]],
    ["a floating revision", { ...llama8b, model: { ...llama8b.model, revision: "main" } }, "model.revision", ['model.revision ("main")', "40-character", "commit SHA"]],
    ["a served name with capitals", { ...llama8b, model: { ...llama8b.model, servedModelName: "Llama 8B" } }, "model.servedModelName", ['("Llama 8B")', "lowercase"]],
    ["a non-positive size", { ...llama8b, model: { ...llama8b.model, parameterCountBillions: 0 } }, "model.parameterCountBillions", ["(0)", "positive number of billions"]],
    ["an unknown dtype", { ...llama8b, model: { ...llama8b.model, dtype: "fp4" as never } }, "model.dtype", ['("fp4")', '"bf16"']],
    ["a tensor-parallel size that does not divide the node", { ...llama8b, tensorParallelSize: 3 }, "tensorParallelSize", ["tensorParallelSize (3) must divide gpusPerNode (8); use 1, 2, 4 or 8"]],
    ["a fractional tensor-parallel size", { ...llama8b, tensorParallelSize: 1.5 }, "tensorParallelSize", ["(1.5)", "whole number"]],
    ["utilization of 1", { ...llama8b, gpuMemoryUtilization: 1 }, "gpuMemoryUtilization", ["(1)", "between 0 and 1 (exclusive)"]],
    ["a zero max-model-len", { ...llama8b, maxModelLen: 0 }, "maxModelLen", ["(0)", "≥ 1"]],
    ["an unknown quantization", { ...llama8b, quantization: "nf4" as never }, "quantization", ['("nf4")', '"awq"']],
    ["--trust-remote-code in extraArgs", { ...llama8b, extraArgs: ["--trust-remote-code"] }, "extraArgs[0]", ['("--trust-remote-code")', "not allowed", "runs code from the model repository"]],
    ["--api-key=... in extraArgs", { ...llama8b, extraArgs: ["--max-num-seqs", "64", "--api-key=abc"] }, "extraArgs[2]", ["not allowed", "comes from the apiKey arg"]],
    ["an underscore spelling", { ...llama8b, extraArgs: ["--trust_remote_code"] }, "extraArgs[0]", ["not allowed"]],
    ["an abbreviation argparse would accept", { ...llama8b, extraArgs: ["--trust-remote"] }, "extraArgs[0]", ["not allowed"]],
    ["a flag a typed arg owns", { ...llama8b, extraArgs: ["--tensor-parallel-size", "2"] }, "extraArgs[0]", ["VllmServing owns", "use tensorParallelSize"]],
    ["a short owned flag", { ...llama8b, extraArgs: ["-tp4"] }, "extraArgs[0]", ["use tensorParallelSize"]],
    ["a model that does not fit", { ...llama70b, tensorParallelSize: 1 }, "model.parameterCountBillions", ["(70)", "130.4 GiB", "more than 90% of the 72.0 GiB", "raise tensorParallelSize to 4"]],
    ["a model that just misses at TP 2", { ...llama70b, tensorParallelSize: 2 }, "model.parameterCountBillions", ["raise tensorParallelSize to 4", "raise gpuMemoryUtilization to 0.95"]],
    ["a model too big for any TP on the node", { ...llama70b, placement: l4Node, tensorParallelSize: 1 }, "model.parameterCountBillions", ["use a quantized checkpoint", "GPUs with more memory"]],
    ["min > max", { ...llama8b, minReplicas: 3, maxReplicas: 2, autoscaling: kedaScaling }, "maxReplicas", ["maxReplicas (2) must be ≥ minReplicas (3)"]],
    ["min ≠ max without autoscaling", { ...llama8b, minReplicas: 1, maxReplicas: 3 }, "maxReplicas", ["must equal minReplicas (1) without autoscaling", "configure autoscaling"]],
    ["scale to zero without autoscaling", { ...llama8b, minReplicas: 0, maxReplicas: 2 }, "minReplicas", ["minReplicas (0)", '"keda"', "wake trigger", "no metrics at zero replicas"]],
    ["scale to zero with an HPA", { ...llama8b, minReplicas: 0, maxReplicas: 2, autoscaling: hpaScaling }, "minReplicas", ['not possible with autoscaling.mode "hpa"']],
    ["scale to zero without a wake trigger", { ...llama8b, minReplicas: 0, maxReplicas: 2, autoscaling: kedaScaling }, "autoscaling.wake", ["is required when minReplicas is 0", "gateway-side", "gatewayWakeQuery"]],
    ["a wake trigger that would never be used", { ...llama8b, maxReplicas: 2, autoscaling: { ...kedaScaling, wake: { query: "sum(x)" } } }, "autoscaling.wake", ["only wakes a deployment from zero replicas"]],
    ["an empty wake query", { ...llama8b, minReplicas: 0, maxReplicas: 2, autoscaling: { ...kedaScaling, wake: { query: " " } } }, "autoscaling.wake.query", ["non-empty PromQL"]],
    ["a wake Prometheus that is no URL", { ...llama8b, minReplicas: 0, maxReplicas: 2, autoscaling: { ...kedaScaling, wake: { query: "sum(x)", prometheusServerUrl: "prometheus:9090" } } }, "autoscaling.wake.prometheusServerUrl", ["http(s) URL of the Prometheus that scrapes the gateway"]],
    ["a wake threshold of 0", { ...llama8b, minReplicas: 0, maxReplicas: 2, autoscaling: { ...kedaScaling, wake: { query: "sum(x)", threshold: 0 } } }, "autoscaling.wake.threshold", ["(0)", "positive number", "value per replica wanted"]],
    ["a wake token without a key", { ...llama8b, minReplicas: 0, maxReplicas: 2, autoscaling: { ...kedaScaling, wake: { query: "sum(x)", bearerTokenSecret: { name: "reader", key: "" } } } }, "autoscaling.wake.bearerTokenSecret.key", ["must be a Secret key"]],
    ["the replaced wakeQuery", { ...llama8b, minReplicas: 0, maxReplicas: 2, autoscaling: { ...kedaScaling, wake: { query: "sum(x)" }, wakeQuery: "sum(x)" } as never }, "autoscaling.wakeQuery", ["was replaced by autoscaling.wake"]],
    ["autoscaling without a metrics scraper", { ...llama8b, maxReplicas: 2, autoscaling: { mode: "keda", prometheusServerUrl: "http://prometheus:9090", targetInFlightPerReplica: 48 } as never }, "autoscaling.metricsScraper", ["is required", "NetworkPolicy admits only the gateway", "in-flight signal stays empty"]],
    ["a scraper selecting every pod", { ...llama8b, maxReplicas: 2, autoscaling: { ...kedaScaling, metricsScraper: { namespace: "monitoring", podLabels: {} } } }, "autoscaling.metricsScraper.podLabels", ["at least one label"]],
    ["KEDA without Prometheus", { ...llama8b, maxReplicas: 2, autoscaling: { mode: "keda", metricsScraper: prometheusScraper } }, "autoscaling.prometheusServerUrl", ['is required in "keda" mode']],
    ["a Prometheus URL in HPA mode", { ...llama8b, maxReplicas: 2, autoscaling: { ...hpaScaling, prometheusServerUrl: "http://p:9090" } }, "autoscaling.prometheusServerUrl", ['not used in "hpa" mode']],
    ["a zero in-flight target", { ...llama8b, maxReplicas: 2, autoscaling: { ...kedaScaling, targetInFlightPerReplica: 0 } }, "autoscaling.targetInFlightPerReplica", ["(0)", "positive number"]],
    ["no in-flight target and no backend concurrency", { ...llama8b, maxReplicas: 2, autoscaling: { ...kedaScaling, targetInFlightPerReplica: undefined } }, "autoscaling.targetInFlightPerReplica", ["is required without backend.concurrentRequestsPerReplica"]],
    ["the replaced queue-depth target", { ...llama8b, maxReplicas: 2, autoscaling: { ...kedaScaling, targetQueueDepthPerReplica: 5 } as never }, "autoscaling.targetQueueDepthPerReplica", ["was replaced by autoscaling.targetInFlightPerReplica", "would be scaled in"]],
    ["a window starting at the week's end", { ...llama8b, maxReplicas: 4, autoscaling: { ...kedaScaling, schedule: [{ startMinuteOfWeek: 10_080, endMinuteOfWeek: 60, minReplicas: 2 }] } }, "autoscaling.schedule[0].startMinuteOfWeek", ["(10080)", "from 0 (Monday 00:00 UTC) to 10079"]],
    ["a window ending at minute 0", { ...llama8b, maxReplicas: 4, autoscaling: { ...kedaScaling, schedule: [{ startMinuteOfWeek: 600, endMinuteOfWeek: 0, minReplicas: 2 }] } }, "autoscaling.schedule[0].endMinuteOfWeek", ["(0)", "from 1 to 10080", "before startMinuteOfWeek for a window across the week's end"]],
    ["a fractional minute", { ...llama8b, maxReplicas: 4, autoscaling: { ...kedaScaling, schedule: [{ startMinuteOfWeek: 467.5, endMinuteOfWeek: 1080, minReplicas: 2 }] } }, "autoscaling.schedule[0].startMinuteOfWeek", ["(467.5)", "whole minute of the week"]],
    ["a window above maxReplicas", { ...llama8b, maxReplicas: 4, autoscaling: { ...kedaScaling, schedule: [{ startMinuteOfWeek: 467, endMinuteOfWeek: 1080, minReplicas: 5 }] } }, "autoscaling.schedule[0].minReplicas", ["(5)", "from 1 to maxReplicas (4)", "lower it or raise maxReplicas"]],
    ["a window of no replicas", { ...llama8b, maxReplicas: 4, autoscaling: { ...kedaScaling, schedule: [{ startMinuteOfWeek: 467, endMinuteOfWeek: 1080, minReplicas: 0 }] } }, "autoscaling.schedule[0].minReplicas", ["(0)", "from 1 to maxReplicas (4)"]],
    ["a window covering the whole week", { ...llama8b, maxReplicas: 4, autoscaling: { ...kedaScaling, schedule: [{ startMinuteOfWeek: 0, endMinuteOfWeek: 10_080, minReplicas: 2 }] } }, "autoscaling.schedule[0]", ["covers the whole week", "set minReplicas instead"]],
    ["a window closing when it opens", { ...llama8b, maxReplicas: 4, autoscaling: { ...kedaScaling, schedule: [{ startMinuteOfWeek: 600, endMinuteOfWeek: 600, minReplicas: 2 }] } }, "autoscaling.schedule[0]", ["opens and closes at the same minute", "KEDA's cron trigger refuses", "set endMinuteOfWeek"]],
    [
      "two windows alike",
      { ...llama8b, maxReplicas: 4, autoscaling: { ...kedaScaling, schedule: [{ startMinuteOfWeek: 467, endMinuteOfWeek: 1080, minReplicas: 2 }, { startMinuteOfWeek: 467, endMinuteOfWeek: 1080, minReplicas: 3 }] } },
      "autoscaling.schedule[1]",
      ["opens and closes when autoscaling.schedule[0] does", "keep one window with the larger minReplicas"],
    ],
    ["a schedule in HPA mode", { ...llama8b, maxReplicas: 4, autoscaling: { ...hpaScaling, schedule: [{ startMinuteOfWeek: 467, endMinuteOfWeek: 1080, minReplicas: 2 }] } }, "autoscaling.schedule", ["KEDA cron triggers", 'use mode "keda" or remove it']],
    ["an empty gateway selector", { ...llama8b, gateway: { namespace: "gateway", podLabels: {} } }, "gateway.podLabels", ["at least one label", "admit every pod"]],
    ["a bad gateway namespace", { ...llama8b, gateway: { ...llama8b.gateway, namespace: "Gateway" } }, "gateway.namespace", ['("Gateway")', "DNS-1123"]],
    ["a wildcard ingress host", { ...llama8b, ingress: { host: "*.example.com", className: "nginx", tlsSecretName: "tls", controllerNamespace: "ingress-nginx" } }, "ingress.host", ['("*.example.com")', "without wildcards"]],
    ["an ingress without a TLS secret", { ...llama8b, ingress: { host: "llama.example.com", className: "nginx", tlsSecretName: "", controllerNamespace: "ingress-nginx" } }, "ingress.tlsSecretName", ["TLS is required"]],
    ["a too-short cold-start budget", { ...llama8b, coldStartBudgetSeconds: 30 }, "coldStartBudgetSeconds", ["(30)", "between 60 and 86400"]],
    ["zero CPU", { ...llama8b, resources: { cpuCores: 0 } }, "resources.cpuCores", ["(0)", "positive"]],
    ["a non-positive throughput", { ...llama8b, backend: { ...llama8b.backend, tokensPerSecond: -1 } }, "backend.tokensPerSecond", ["(-1)", "positive"]],
    ["a lowercase env name", { ...llama8b, backend: { ...llama8b.backend, apiKeySecretEnv: "llama_key" } }, "backend.apiKeySecretEnv", ['("llama_key")', "upper-snake-case"]],
    ["a weight source at another revision", { ...llama8b, weightSource: { ...s3Stream, revision: "f".repeat(40) } }, "weightSource.revision", [`must equal model.revision (${LLAMA_8B_REVISION})`]],
    ["an HF token for a local path", { ...llama8b, weightSource: nodeCache, hfTokenSecret: { name: "hf", key: "token" } }, "hfTokenSecret", ["only used when loading from the Hugging Face Hub"]],
    ["a weight source that sets the API key", { ...llama8b, weightSource: { ...s3Stream, env: [{ name: "VLLM_API_KEY", value: "x" }] } }, "weightSource.env[0].name", ["set by VllmServing itself"]],
    ["a weight source mounting /dev/shm", { ...llama8b, weightSource: { ...nodeCache, volumeMounts: [{ name: "model-cache", mountPath: "/dev/shm" }] } }, "weightSource.volumeMounts[0].mountPath", ["memory-backed /dev/shm"]],
    ["a download dir of its own", { ...llama8b, extraArgs: ["--download-dir", "/tmp/w"] }, "extraArgs[0]", ["VllmServing owns", "hf-cache volume"]],
    ["a non-positive checkpoint size", { ...llama8b, model: { ...llama8b.model, weightsGB: 0 } }, "model.weightsGB", ["(0)", "positive number of decimal GB"]],
    ["a weight source naming the download volume", { ...llama8b, weightSource: { ...nodeCache, volumes: [{ name: "hf-cache", emptyDir: {} }] } }, "weightSource.volumes[0].name", ['Hub download volume "hf-cache"']],
    ["a weight source moving HF_HOME", { ...llama8b, weightSource: { ...s3Stream, env: [{ name: "HF_HOME", value: "/tmp" }] } }, "weightSource.env[0].name", ["set by VllmServing itself"]],
  ])("rejects %s", (_label, args, property, fragments) => {
    const error = failure(args);
    expect(error.errors.map((e) => e.propertyPath)).toContain(property);
    for (const fragment of fragments) expect(error.message).toContain(fragment);
  });

  it.each(["8b-llama", "Llama", "a".repeat(56)])("rejects the component name %s, which must name a Service and its -api-key Secret", (name) => {
    const error = failure(llama8b, name);
    expect(error.errors.map((e) => e.propertyPath)).toEqual(["name"]);
    expect(error.message).toContain(`name (${JSON.stringify(name).slice(0, 40)}`);
    expect(error.message).toContain("DNS-1035 label of at most 55 characters");
  });

  it("lists every problem at once, in argument order", () => {
    const error = failure({ ...llama8b, namespace: "", image: "vllm/vllm-openai:latest", tensorParallelSize: 3, minReplicas: 0, maxReplicas: 1 });
    expect(error.message).toContain("4 invalid arguments");
    expect(error.errors.map((e) => e.propertyPath)).toEqual(["namespace", "image", "tensorParallelSize", "minReplicas"]);
  });

  it("never echoes a rejected API key", () => {
    const error = failure({ ...llama8b, apiKey: "short key" });
    expect(error.errors.map((e) => e.propertyPath)).toEqual(["apiKey"]);
    expect(error.message).not.toContain("short key");
    expect(error.message).toContain("value not shown");
  });

  it("accepts an API key that is still an Output (validated by the Secret, not here)", () => {
    expect(() => resolve({ apiKey: pulumi.output("short") })).not.toThrow();
  });

  it("fits a 70B model at TP 4 on H100s and an 8B model on one L4", () => {
    expect(resolveVllmServingArgs("llama-70b", llama70b).resources.gpus).toBe(4);
    expect(resolveVllmServingArgs("llama-8b-l4", { ...llama8b, placement: l4Node }).backend.costPerHour).toBe(0.3);
  });

  it("allows the owned-flag check to pass benign look-alikes", () => {
    const r = resolve({ extraArgs: ["--model-impl", "vllm", "--max-num-seqs", "64", "--config-format", "hf", "--quantization-param-path=/x"] });
    expect(r.args.slice(-7)).toEqual(["--model-impl", "vllm", "--max-num-seqs", "64", "--config-format", "hf", "--quantization-param-path=/x"]);
  });

  it("uses h100Node's divisors in the message", () => {
    expect(failure({ ...llama8b, placement: { ...h100Node, gpusPerNode: 4 }, tensorParallelSize: 8 }).message).toContain("use 1, 2 or 4");
  });
});
