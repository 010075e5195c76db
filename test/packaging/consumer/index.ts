// A Pulumi program as a user writes it in a project made by `pulumi new typescript`, with the three packages
// installed from their tarballs: the planner sizes the fleet, the catalog prices a node, and every component deploys.
import * as pulumi from "@pulumi/pulumi";
import { getInstanceType, nodeHourlyCost } from "@switchyard/catalog";
import { GpuNodePool, LiteLLMGatewayConfig, ModelWeightCache, SharedServices, VllmServing, derivedKey, gatewayPodLabels } from "@switchyard/components";
import { loadFleetSpec, plan } from "@switchyard/planner";

const config = new pulumi.Config();
const keySeed = config.requireSecret("keySeed");

const fleet = plan(loadFleetSpec("fleet.yaml"));
const instance = getInstanceType("coreweave", "gd-8xh100ib-i128");

const shared = new SharedServices("shared", {
  region: "us-east-1",
  weights: { bucketName: "outside-weights" },
  budget: { monthlyLimitUsd: 25_000, alertEmails: ["platform@example.com"] },
});

const pool = new GpuNodePool("h100", {
  provider: "coreweave",
  region: "US-EAST-04A",
  // The catalog's node at this user's contract price: the catalog extended from user code, no fork.
  instanceType: { ...instance, onDemandPerNodeHour: 40, reservedDiscount: 0.25 },
  capacityType: "reserved",
  minNodes: 1,
  maxNodes: 1,
  coreweave: { gpuDriverVersion: "570" },
});

const weights = new ModelWeightCache("llama-8b-weights", {
  placement: pool.placement,
  namespace: "inference",
  strategy: "node-cache",
  nodeCache: { hostPath: "/mnt/nvme/switchyard-models" },
  model: {
    name: "llama-3-1-8b",
    files: [{ path: "model.safetensors", sizeBytes: 16_060_522_240, sha256: "ab".repeat(32) }],
    huggingFace: { repo: "meta-llama/Llama-3.1-8B-Instruct", revision: "0e9e39f249a16976918f6564b8830bc894c89659" },
  },
  origin: { provider: "aws", uri: "s3://outside-weights/models/llama-3-1-8b", region: "us-east-1", credentialsSecret: { name: "weights-reader" } },
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
    minReplicas: 2,
    maxReplicas: 2,
    gateway: { namespace: "gateway", podLabels: gatewayPodLabels("gateway") },
    backend: { modelName: "llama-8b", tokensPerSecond: 1800, expectedLatencyMs: 150, concurrentRequestsPerReplica: 90 },
  },
  { dependsOn: [pool, weights] },
);

const gateway = new LiteLLMGatewayConfig("gateway", {
  namespace: "gateway",
  image: "ghcr.io/berriai/litellm-non_root:main-v1.106.2-stable",
  masterKey: pulumi.interpolate`sk-${derivedKey(keySeed, "litellm-master-key")}`,
  saltKey: derivedKey(keySeed, "litellm-salt-key"),
  backends: [llama.backend],
  apiKeys: { [llama.backend.apiKeySecretEnv]: llama.apiKey },
  redis: { host: "redis.gateway.svc", password: derivedKey(keySeed, "redis-password") },
  clients: [{ namespace: "apps" }],
  // One provider in this example: the group has no second provider to fail over to, and says so.
  singleProviderGroups: ["llama-8b"],
});

export const plannedMonthlyCostUsd = fleet.cost.total;
export const weightsBucket = shared.weightsBucketName;
export const catalogCostPerHourUsd = nodeHourlyCost(instance, "reserved");
export const contractCostPerHourUsd = pool.hourlyCostPerNode;
export const gatewayUrl = gateway.endpoint;
