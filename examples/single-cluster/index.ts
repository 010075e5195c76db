/**
 * single-cluster: one existing EKS cluster, one model, the gateway in front of it.
 *
 * An on-demand L40S node group (g6e.12xlarge, 4 GPUs) serving Llama 3.1 8B, four replicas per node, and the
 * LiteLLM gateway in the same cluster. One provider cannot survive its own outage, so the model group falls
 * back to a hosted API (LiteLLM order 4) when the node group is gone or saturated.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GpuNodePool, LiteLLMGatewayConfig, VllmServing, derivedKey, gatewayPodLabels, vllmEphemeralStorageGiB } from "@switchyard/components";

export = () => {
  const config = new pulumi.Config();
  const keySeed = config.requireSecret("keySeed");
  const cluster = new k8s.Provider("cluster", { kubeconfig: config.requireSecret("kubeconfig"), enableServerSideApply: true });
  const gatewayPods = gatewayPodLabels("gateway");

  const pool = new GpuNodePool("l40s", {
    provider: "aws",
    region: config.require("region"),
    instanceType: "g6e.12xlarge",
    capacityType: "on-demand",
    minNodes: 1,
    maxNodes: 2,
    // Four replicas per node, each downloading the 16 GB checkpoint from the Hub: onto the g6e's NVMe (RAID0).
    ephemeralStoragePerNodeGiB: 4 * vllmEphemeralStorageGiB(16),
    aws: { clusterName: config.require("clusterName"), nodeRoleArn: config.require("nodeRoleArn"), subnetIds: config.requireObject<string[]>("subnetIds") },
  });
  const llama = new VllmServing(
    "llama-8b",
    {
      placement: pool.placement,
      apiKey: derivedKey(keySeed, "vllm-api-key/llama-8b"),
      namespace: "inference",
      image: "vllm/vllm-openai:v0.11.0@sha256:014a95f21c9edf6abe0aea6b07353f96baa4ec291c427bb1176dc7c93a85845c",
      model: { id: "meta-llama/Llama-3.1-8B-Instruct", revision: "0e9e39f249a16976918f6564b8830bc894c89659", servedModelName: "llama-8b", parameterCountBillions: 8, dtype: "bf16" },
      maxModelLen: 16384,
      minReplicas: 4,
      maxReplicas: 8,
      autoscaling: {
        mode: "keda",
        prometheusServerUrl: config.require("prometheusUrl"),
        // kube-prometheus-stack's Prometheus pods, admitted to scrape vLLM's requests in flight.
        metricsScraper: { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" } },
      },
      gateway: { namespace: "gateway", podLabels: gatewayPods },
      // 90 requests at once per replica (1,800 decode tokens/s × a 50 ms TPOT): the autoscaler aims for that in flight.
      backend: { modelName: "llama-8b", tokensPerSecond: 1800, expectedLatencyMs: 150, concurrentRequestsPerReplica: 90 },
    },
    { providers: [cluster], dependsOn: [pool] },
  );
  const gateway = new LiteLLMGatewayConfig(
    "gateway",
    {
      namespace: "gateway",
      image: "ghcr.io/berriai/litellm-non_root:main-v1.106.2-stable",
      // Every key from one secret (derivedKey), so the stack needs no random provider; LiteLLM's master key starts with sk-.
      masterKey: pulumi.interpolate`sk-${derivedKey(keySeed, "litellm-master-key")}`,
      saltKey: derivedKey(keySeed, "litellm-salt-key"),
      backends: [llama.backend],
      apiKeys: { [llama.backend.apiKeySecretEnv]: llama.apiKey, OPENAI_API_KEY: config.requireSecret("hostedApiKey") },
      redis: { host: config.require("redisHost"), password: config.requireSecret("redisPassword") },
      fallbacks: [{ modelName: "gpt-4o-mini", model: "openai/gpt-4o-mini", apiKeySecretEnv: "OPENAI_API_KEY", inputCostPerToken: 0.00000015, outputCostPerToken: 0.0000006 }],
      clients: [{ namespace: "apps" }],
    },
    { providers: [cluster] },
  );
  return { gatewayUrl: gateway.endpoint, backend: llama.backend.name, monthlyNodeCostUsd: pool.hourlyCostPerNode.apply((h) => Math.round(h * 730 * 100) / 100) };
};
