/** Valid ModelWeightCache arguments; tests spread and override them. */
import type { Placement } from "../../src/contracts";
import type { ModelWeightCacheArgs, WeightFileArgs } from "../../src/model-weight-cache";
import { h100Node } from "../vllm-serving/fixtures";

const sha = (n: number) => n.toString(16).padStart(2, "0").repeat(32);

/**
 * A 70B bf16 checkpoint of exactly 140 GB (140 × 10^9 bytes): 27 shards of 5 GB, one of 4.998 GB and 2 MB of
 * config and tokenizer, so the egress table can be checked by hand.
 */
export const llama70bFiles: WeightFileArgs[] = [
  ...Array.from({ length: 28 }, (_, i) => ({
    path: `model-${String(i + 1).padStart(5, "0")}-of-00028.safetensors`,
    sizeBytes: i === 27 ? 4_998_000_000 : 5_000_000_000,
    sha256: sha(i + 1),
  })),
  { path: "config.json", sizeBytes: 1_000_000, sha256: sha(100) },
  { path: "tokenizer.json", sizeBytes: 1_000_000, sha256: sha(101) },
];

/** One CoreWeave 8×H100 node pool (61.44 TB local NVMe in the catalog): the VllmServing tests' node. */
export const coreweaveH100: Placement = h100Node;

export const awsP5: Placement = {
  provider: "aws",
  region: "us-west-2",
  capacityType: "spot",
  instanceType: "p5.48xlarge",
  gpuType: "H100",
  gpusPerNode: 8,
  gpuMemoryGiB: 80,
  nodeSelector: { "switchyard.dev/pool": "p5-spot" },
  tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
  hourlyCostPerNode: 30,
};

/** GKE G2 (L4): no local SSD in the catalog price. */
export const gcpG2: Placement = {
  provider: "gcp",
  region: "us-central1",
  capacityType: "spot",
  instanceType: "g2-standard-48",
  gpuType: "L4",
  gpusPerNode: 4,
  gpuMemoryGiB: 22.4,
  nodeSelector: { "switchyard.dev/pool": "l4-spot" },
  tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
  hourlyCostPerNode: 2,
};

export const lambdaH100: Placement = {
  provider: "lambda",
  region: "us-east-1",
  capacityType: "on-demand",
  instanceType: "gpu_8x_h100_sxm5",
  gpuType: "H100",
  gpusPerNode: 8,
  gpuMemoryGiB: 80,
  nodeSelector: { "switchyard.dev/pool": "lambda-h100" },
  tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
  hourlyCostPerNode: 31.92,
};

export const LLAMA_70B_REVISION = "6f6073b423013f6a7d4d9f39144961bfbfbc386b";

/** The SharedServices origin on AWS us-east-1, read with a key pair kept in a Secret. */
export const awsOrigin: ModelWeightCacheArgs["origin"] = {
  provider: "aws",
  uri: "s3://switchyard-weights/models/llama-3-3-70b",
  region: "us-east-1",
  credentialsSecret: { name: "weights-origin-reader" },
};

export const baseArgs: Omit<ModelWeightCacheArgs, "strategy"> = {
  placement: coreweaveH100,
  namespace: "inference",
  model: { name: "llama-3-3-70b", files: llama70bFiles, huggingFace: { repo: "meta-llama/Llama-3.3-70B-Instruct", revision: LLAMA_70B_REVISION } },
  origin: awsOrigin,
};

export const streamArgs: ModelWeightCacheArgs = { ...baseArgs, strategy: "stream" };

export const nodeCacheArgs: ModelWeightCacheArgs = {
  ...baseArgs,
  strategy: "node-cache",
  nodeCache: { hostPath: "/mnt/nvme/switchyard-models" },
  egressAssumptions: { nodes: 4 },
};

export const replicateArgs: ModelWeightCacheArgs = {
  ...baseArgs,
  strategy: "replicate",
  replica: { bucketName: "switchyard-weights-cw", writerSecret: { name: "caios-writer" }, readerSecret: { name: "caios-reader" } },
};
