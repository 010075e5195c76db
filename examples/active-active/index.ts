/**
 * active-active: Llama 3.3 70B served from CoreWeave and Lambda at the same time, 60/40, with a hosted API
 * behind both. Either cloud can disappear: LiteLLM benches the dead backend after its allowed failures and the
 * other takes all traffic; if both are gone, requests fall back to the hosted model (order 4).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GpuNodePool, LiteLLMGatewayConfig, VllmServing, derivedKey, gatewayPodLabels } from "@switchyard/components";
import type { Placement, VllmServingArgs } from "@switchyard/components";

export = () => {
  const config = new pulumi.Config();
  const keySeed = config.requireSecret("keySeed");
  const coreweave = new k8s.Provider("coreweave", { kubeconfig: config.requireSecret("coreweaveKubeconfig"), enableServerSideApply: true });
  const lambdaCluster = new k8s.Provider("lambda", { kubeconfig: config.requireSecret("lambdaKubeconfig"), enableServerSideApply: true });
  const gatewayCluster = new k8s.Provider("gateway-cluster", { kubeconfig: config.requireSecret("kubeconfig"), enableServerSideApply: true });
  const ingress = (host: string) => ({ host, className: "nginx", tlsSecretName: "inference-tls", controllerNamespace: "ingress-nginx" });

  const llama = (name: string, placement: Placement, host: string): VllmServingArgs => ({
    placement,
    apiKey: derivedKey(keySeed, `vllm-api-key/${name}`),
    namespace: "inference",
    image: "vllm/vllm-openai:v0.11.0@sha256:014a95f21c9edf6abe0aea6b07353f96baa4ec291c427bb1176dc7c93a85845c",
    model: { id: "meta-llama/Llama-3.3-70B-Instruct", revision: "6f6073b423013f6a7d4d9f39144961bfbfbc386b", servedModelName: "llama-70b", parameterCountBillions: 70, dtype: "bf16" },
    quantization: "fp8",
    tensorParallelSize: 2,
    maxModelLen: 16384,
    minReplicas: 4,
    maxReplicas: 4,
    gateway: { namespace: "gateway", podLabels: gatewayPodLabels("gateway") },
    ingress: ingress(host),
    backend: { modelName: "llama-70b", tokensPerSecond: 2400, expectedLatencyMs: 350 },
  });

  const cwPool = new GpuNodePool("cw-h100", {
    provider: "coreweave",
    region: "US-EAST-04",
    instanceType: "gd-8xh100ib-i128",
    capacityType: "on-demand",
    minNodes: 1,
    maxNodes: 1,
    coreweave: {},
  }, { providers: [coreweave] });
  const cw = new VllmServing("coreweave-llama-70b", llama("coreweave-llama-70b", cwPool.placement, config.require("coreweaveHost")), { providers: [coreweave], dependsOn: [cwPool] });

  // Lambda has no managed Kubernetes: the instance joins the k3s cluster of `lambdaKubeconfig` by cloud-init.
  const lambdaPool = new GpuNodePool("lambda-h100", {
    provider: "lambda",
    region: "us-east-1",
    instanceType: "gpu_8x_h100_sxm5",
    capacityType: "on-demand",
    minNodes: 1,
    maxNodes: 1,
    lambda: {
      apiKey: config.requireSecret("lambdaApiKey"),
      sshKeyName: config.require("lambdaSshKeyName"),
      // Optional: the Lambda Cloud API through a proxy of your own (default https://cloud.lambda.ai/api/v1).
      ...(config.get("lambdaApiBaseUrl") !== undefined ? { apiBaseUrl: config.require("lambdaApiBaseUrl") } : {}),
      cluster: { distribution: "k3s", version: config.require("k3sVersion"), serverUrl: config.require("k3sServerUrl"), joinToken: config.requireSecret("clusterJoinToken") },
    },
  });
  const lambda = new VllmServing("lambda-llama-70b", llama("lambda-llama-70b", lambdaPool.placement, config.require("lambdaHost")), { providers: [lambdaCluster], dependsOn: [lambdaPool] });

  const proxy = new LiteLLMGatewayConfig("gateway", {
    namespace: "gateway",
    image: "ghcr.io/berriai/litellm-non_root:main-v1.106.2-stable",
    // Every key from one secret (derivedKey), so the stack needs no random provider; LiteLLM's master key starts with sk-.
    masterKey: pulumi.interpolate`sk-${derivedKey(keySeed, "litellm-master-key")}`,
    saltKey: derivedKey(keySeed, "litellm-salt-key"),
    backends: [cw.backend, lambda.backend],
    apiKeys: { [cw.backend.apiKeySecretEnv]: cw.apiKey, [lambda.backend.apiKeySecretEnv]: lambda.apiKey, OPENAI_API_KEY: config.requireSecret("hostedApiKey") },
    redis: { host: config.require("redisHost"), password: config.requireSecret("redisPassword") },
    // Both are on-demand (LiteLLM order 3): one tier, split 60/40 rather than by score.
    routing: { weights: { [cw.backend.name]: 60, [lambda.backend.name]: 40 } },
    fallbacks: [{ modelName: "gpt-4o-mini", model: "openai/gpt-4o-mini", apiKeySecretEnv: "OPENAI_API_KEY", inputCostPerToken: 0.00000015, outputCostPerToken: 0.0000006 }],
    clients: [{ namespace: "apps" }],
  }, { providers: [gatewayCluster] });

  return {
    gatewayUrl: proxy.endpoint,
    weights: proxy.config.model_list.map((m) => `${m.model_info.id}: weight ${m.litellm_params.weight ?? "-"}, order ${m.litellm_params.order ?? "-"}`),
  };
};
