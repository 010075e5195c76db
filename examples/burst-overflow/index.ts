/**
 * burst-overflow: a reserved CoreWeave H100 node carries the baseline; AWS on-demand p5 nodes take only what
 * it cannot. The gateway (on the AWS cluster) sends every request to LiteLLM order 1 — the reserved backend —
 * and spills to order 3 — AWS on-demand — only when order 1 fails, is benched, or is at its concurrency cap.
 * The AWS node group and its vLLM replicas scale from zero on that spill, which the gateway's metrics count.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GpuNodePool, LiteLLMGatewayConfig, VllmServing, derivedKey, gatewayPodLabels, gatewayWakeQuery, vllmEphemeralStorageGiB } from "@switchyard/components";
import type { Placement, VllmServingArgs } from "@switchyard/components";

export = () => {
  const config = new pulumi.Config();
  const keySeed = config.requireSecret("keySeed");
  const coreweave = new k8s.Provider("coreweave", { kubeconfig: config.requireSecret("coreweaveKubeconfig"), enableServerSideApply: true });
  const aws = new k8s.Provider("aws", { kubeconfig: config.requireSecret("awsKubeconfig"), enableServerSideApply: true });
  const gateway = { namespace: "gateway", podLabels: gatewayPodLabels("gateway") };
  const prometheusServerUrl = config.require("prometheusUrl");
  // The AWS cluster's Prometheus pods (kube-prometheus-stack): they scrape vLLM's queue and the gateway's metrics.
  const prometheus = { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" } };

  const llama = (placement: Placement): Omit<VllmServingArgs, "minReplicas" | "maxReplicas" | "autoscaling" | "ingress"> => ({
    placement,
    namespace: "inference",
    image: "vllm/vllm-openai:v0.11.0@sha256:014a95f21c9edf6abe0aea6b07353f96baa4ec291c427bb1176dc7c93a85845c",
    model: { id: "meta-llama/Llama-3.3-70B-Instruct", revision: "6f6073b423013f6a7d4d9f39144961bfbfbc386b", servedModelName: "llama-70b", parameterCountBillions: 70, dtype: "bf16" },
    quantization: "fp8",
    tensorParallelSize: 2,
    maxModelLen: 16384,
    gateway,
    // 120 requests at once per replica: 2,400 decode tokens/s × a 50 ms TPOT, as the planner sizes it. The gateway caps
    // each backend at that × maxReplicas and overflows the rest; the burst tier scales on it.
    backend: { modelName: "llama-70b", tokensPerSecond: 2400, expectedLatencyMs: 350, concurrentRequestsPerReplica: 120 },
  });

  // Four TP2 replicas per 8-GPU node, each downloading the 140 GB bf16 checkpoint from the Hub to local NVMe.
  const localDiskPerNode = 4 * vllmEphemeralStorageGiB(140);

  // Baseline: one reserved 8×H100 node, four TP2 replicas, always on.
  const reserved = new GpuNodePool("h100-reserved", {
    provider: "coreweave",
    region: "US-EAST-04",
    instanceType: "gd-8xh100ib-i128",
    capacityType: "reserved",
    minNodes: 1,
    maxNodes: 1,
    ephemeralStoragePerNodeGiB: localDiskPerNode,
    coreweave: {},
  }, { providers: [coreweave] });
  const baseline = new VllmServing("coreweave-llama-70b", {
    ...llama(reserved.placement),
    apiKey: derivedKey(keySeed, "vllm-api-key/coreweave-llama-70b"),
    minReplicas: 4,
    maxReplicas: 4,
    ingress: { host: config.require("coreweaveHost"), className: "nginx", tlsSecretName: "inference-tls", controllerNamespace: "ingress-nginx" },
  }, { providers: [coreweave], dependsOn: [reserved] });

  // Burst: AWS on-demand p5 nodes, from zero to two, woken by the requests the baseline cannot take.
  const burstPool = new GpuNodePool("p5-burst", {
    provider: "aws",
    region: "us-east-1",
    instanceType: "p5.48xlarge",
    capacityType: "on-demand",
    minNodes: 0,
    maxNodes: 2,
    ephemeralStoragePerNodeGiB: localDiskPerNode,
    aws: { clusterName: config.require("awsClusterName"), nodeRoleArn: config.require("awsNodeRoleArn"), subnetIds: config.requireObject<string[]>("awsSubnetIds") },
  });
  const burst = new VllmServing("aws-llama-70b", {
    ...llama(burstPool.placement),
    apiKey: derivedKey(keySeed, "vllm-api-key/aws-llama-70b"),
    minReplicas: 0,
    maxReplicas: 8,
    // Woken from zero by llama-70b's spill at the gateway below, which the same cluster's Prometheus scrapes.
    autoscaling: { mode: "keda", prometheusServerUrl, metricsScraper: prometheus, wake: { query: gatewayWakeQuery("llama-70b", ["aws-llama-70b"]) } },
  }, { providers: [aws], dependsOn: [burstPool] });

  const proxy = new LiteLLMGatewayConfig("gateway", {
    namespace: "gateway",
    image: "ghcr.io/berriai/litellm-non_root:main-v1.106.2-stable",
    // Every key from one secret (derivedKey), so the stack needs no random provider; LiteLLM's master key starts with sk-.
    masterKey: pulumi.interpolate`sk-${derivedKey(keySeed, "litellm-master-key")}`,
    saltKey: derivedKey(keySeed, "litellm-salt-key"),
    backends: [baseline.backend, burst.backend],
    apiKeys: { [baseline.backend.apiKeySecretEnv]: baseline.apiKey, [burst.backend.apiKeySecretEnv]: burst.apiKey },
    redis: { host: config.require("redisHost"), password: config.requireSecret("redisPassword") },
    clients: [{ namespace: "apps" }],
    metrics: { scrapers: [prometheus] },
  }, { providers: [aws] });

  return {
    gatewayUrl: proxy.endpoint,
    orders: proxy.config.model_list.map((m) => `${m.model_info.id}: order ${m.litellm_params.order}`),
  };
};
