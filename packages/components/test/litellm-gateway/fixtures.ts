/** A fleet serving two model groups on three providers; tests spread and override these. */
import type { Backend } from "@switchyard/components/src/contracts";

export const coreweaveReserved: Backend = {
  name: "coreweave-llama-70b",
  provider: "coreweave",
  region: "US-EAST-04A",
  capacityType: "reserved",
  modelName: "llama-3.3-70b",
  servedModelName: "llama-3.3-70b",
  baseUrl: "https://llama-70b.coreweave.example.com/v1",
  apiKeySecretEnv: "COREWEAVE_LLAMA_70B_API_KEY",
  costPerHour: 24.56,
  tokensPerSecond: 2400,
  expectedLatencyMs: 300,
};

export const awsSpot: Backend = {
  name: "aws-llama-70b-spot",
  provider: "aws",
  region: "us-east-1",
  capacityType: "spot",
  modelName: "llama-3.3-70b",
  servedModelName: "llama-3.3-70b",
  baseUrl: "https://llama-70b.aws.example.com/v1",
  apiKeySecretEnv: "AWS_LLAMA_70B_API_KEY",
  costPerHour: 18.2,
  tokensPerSecond: 2200,
  expectedLatencyMs: 350,
};

export const gcpSpot: Backend = {
  name: "gcp-llama-70b-spot",
  provider: "gcp",
  region: "us-central1",
  capacityType: "spot",
  modelName: "llama-3.3-70b",
  servedModelName: "llama-3.3-70b",
  baseUrl: "https://llama-70b.gcp.example.com/v1",
  apiKeySecretEnv: "GCP_LLAMA_70B_API_KEY",
  costPerHour: 22.1,
  tokensPerSecond: 2300,
  expectedLatencyMs: 320,
};

export const awsOnDemand: Backend = {
  name: "aws-llama-70b-burst",
  provider: "aws",
  region: "us-east-1",
  capacityType: "on-demand",
  modelName: "llama-3.3-70b",
  servedModelName: "llama-3.3-70b",
  baseUrl: "https://llama-70b-burst.aws.example.com/v1",
  apiKeySecretEnv: "AWS_LLAMA_70B_BURST_API_KEY",
  costPerHour: 49.0,
  tokensPerSecond: 2200,
  expectedLatencyMs: 350,
};

export const coreweave8b: Backend = {
  name: "coreweave-llama-8b",
  provider: "coreweave",
  region: "US-EAST-04A",
  capacityType: "reserved",
  modelName: "llama-3.1-8b",
  servedModelName: "llama-3.1-8b",
  baseUrl: "http://llama-8b.inference.svc.cluster.local:8000/v1",
  apiKeySecretEnv: "COREWEAVE_LLAMA_8B_API_KEY",
  costPerHour: 3.07,
  tokensPerSecond: 1800,
  expectedLatencyMs: 120,
};

export const gcp8b: Backend = {
  name: "gcp-llama-8b-spot",
  provider: "gcp",
  region: "us-central1",
  capacityType: "spot",
  modelName: "llama-3.1-8b",
  servedModelName: "llama-3.1-8b",
  baseUrl: "https://llama-8b.gcp.example.com/v1",
  apiKeySecretEnv: "GCP_LLAMA_8B_API_KEY",
  costPerHour: 1.1,
  tokensPerSecond: 1500,
  expectedLatencyMs: 150,
};

/** Two model groups on three providers, every purchase tier present. */
export const fleet: Backend[] = [coreweaveReserved, awsSpot, gcpSpot, awsOnDemand, coreweave8b, gcp8b];

export const openAiFallback = {
  modelName: "gpt-4o-mini-fallback",
  model: "openai/gpt-4o-mini",
  apiKeySecretEnv: "OPENAI_API_KEY",
  inputCostPerToken: 0.00000015,
  outputCostPerToken: 0.0000006,
};

/** Valid LiteLLMGatewayConfig arguments for the fleet; tests spread and override them. */
export const gatewayArgs = {
  namespace: "gateway",
  backends: fleet,
  apiKeys: Object.fromEntries([...fleet.map((b) => b.apiKeySecretEnv), openAiFallback.apiKeySecretEnv].map((env) => [env, `key-for-${env.toLowerCase()}`])),
  image: "ghcr.io/berriai/litellm-non_root:main-v1.106.2-stable",
  redis: { host: "gateway-redis.abc123.use1.cache.amazonaws.com", password: "redis-password-placeholder" },
  fallbacks: [openAiFallback],
  clients: [{ namespace: "apps" }, { namespace: "ingress-nginx", podLabels: { "app.kubernetes.io/name": "ingress-nginx" } }],
};
