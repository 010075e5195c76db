/** Valid VllmServing arguments; tests spread and override them. */
import type { Placement, WeightSource } from "../../src/contracts";
import type { VllmAutoscalingArgs, VllmServingArgs } from "../../src/vllm-serving";

/** One CoreWeave 8×H100 node, reserved: $49.24 per node-hour (provider-facts §1.8). */
export const h100Node: Placement = {
  provider: "coreweave",
  region: "US-EAST-04A",
  capacityType: "reserved",
  instanceType: "gd-8xh100ib-i128",
  gpuType: "H100",
  gpusPerNode: 8,
  gpuMemoryGiB: 80,
  nodeSelector: { "switchyard.dev/pool": "h100-reserved" },
  tolerations: [
    { key: "switchyard.dev/dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule" },
    { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
  ],
  hourlyCostPerNode: 49.24,
};

/** One AWS g6.xlarge: a single 24 GB L4 (22.4 GiB), spot. */
export const l4Node: Placement = {
  provider: "aws",
  region: "us-east-1",
  capacityType: "spot",
  instanceType: "g6.xlarge",
  gpuType: "L4",
  gpusPerNode: 1,
  gpuMemoryGiB: 22.4,
  nodeSelector: { "switchyard.dev/pool": "l4-spot" },
  tolerations: [{ key: "nvidia.com/gpu", operator: "Exists" }],
  hourlyCostPerNode: 0.3,
};

export const LLAMA_8B_REVISION = "0e9e39f249a16976918f6564b8830bc894c89659";

export const llama8b: VllmServingArgs = {
  placement: h100Node,
  namespace: "inference",
  image: "vllm/vllm-openai:v0.11.0",
  model: {
    id: "meta-llama/Llama-3.1-8B-Instruct",
    revision: LLAMA_8B_REVISION,
    servedModelName: "llama-3.1-8b",
    parameterCountBillions: 8,
    dtype: "bf16",
  },
  maxReplicas: 1,
  gateway: { namespace: "gateway", podLabels: { "app.kubernetes.io/name": "litellm" } },
  backend: { tokensPerSecond: 2500, expectedLatencyMs: 300 },
};

export const llama70b: VllmServingArgs = {
  ...llama8b,
  model: {
    id: "meta-llama/Llama-3.3-70B-Instruct",
    revision: "6f6073b423013f6a7d4d9f39144961bfbfbc386b",
    servedModelName: "llama-3.3-70b",
    parameterCountBillions: 70,
    dtype: "bf16",
  },
  tensorParallelSize: 4,
};

/** kube-prometheus-stack's Prometheus pods, which the NetworkPolicy admits to scrape vLLM's /metrics. */
export const prometheusScraper = { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" } };

export const kedaScaling: VllmAutoscalingArgs = {
  mode: "keda",
  prometheusServerUrl: "http://prometheus-operated.monitoring:9090",
  metricsScraper: prometheusScraper,
  targetInFlightPerReplica: 48,
};

export const hpaScaling: VllmAutoscalingArgs = { mode: "hpa", metricsScraper: prometheusScraper, targetInFlightPerReplica: 48 };

/** The gateway-side wake signal, as the stacks derive it for a tier at zero. */
export const wakeQuery = 'sum(rate(litellm_deployment_total_requests_total{model_group="llama-8b"}[2m]))';

/** A node-local cache: weights under /models, a ready marker waited on by an init container. */
export const nodeCache: WeightSource = {
  modelPath: "/models/meta-llama/Llama-3.1-8B-Instruct",
  revision: undefined,
  loadFormat: "safetensors",
  volumes: [{ name: "model-cache", hostPath: { path: "/mnt/nvme/models", type: "Directory" } }],
  volumeMounts: [{ name: "model-cache", mountPath: "/models", readOnly: true }],
  env: [{ name: "HF_HUB_OFFLINE", value: "1" }],
  initContainers: [
    {
      name: "wait-for-cache",
      image: "busybox:1.37.0",
      command: ["sh", "-c", "until [ -f /models/.ready ]; do sleep 5; done"],
      volumeMounts: [{ name: "model-cache", mountPath: "/models", readOnly: true }],
    },
  ],
};

/** Run:ai streamer from an S3-compatible bucket, credentials by secretKeyRef. */
export const s3Stream: WeightSource = {
  modelPath: "s3://weights/meta-llama/Llama-3.1-8B-Instruct",
  revision: undefined,
  loadFormat: "runai_streamer",
  volumes: [],
  volumeMounts: [],
  env: [
    { name: "AWS_ENDPOINT_URL", value: "https://cwobject.com" },
    { name: "AWS_ACCESS_KEY_ID", valueFrom: { secretKeyRef: { name: "weights-reader", key: "access-key-id" } } },
    { name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: "weights-reader", key: "secret-access-key" } } },
  ],
  initContainers: [],
};
