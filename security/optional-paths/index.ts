/**
 * Not a deployment: the components' optional paths that no environment or example takes, rendered offline by the
 * security scan (scripts/security-scan.ts) so the scanners see what they would deploy: a GPU pool on AWS through
 * Karpenter, each weight strategy (node-cache's DaemonSet, replicate's Job and bucket, stream), vLLM loading from
 * a weight cache, and SharedServices with cross-region replication and web-identity readers.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GpuNodePool, ModelWeightCache, SharedServices, VllmServing } from "@switchyard/components";
import type { ModelWeightCacheArgs } from "@switchyard/components";

const REVISION = "6f6073b423013f6a7d4d9f39144961bfbfbc386b";
const sha = (n: number) => n.toString(16).padStart(2, "0").repeat(32);

export = () => {
  const config = new pulumi.Config();
  const cluster = new k8s.Provider("cluster", { kubeconfig: config.requireSecret("kubeconfig"), enableServerSideApply: true });

  const pool = new GpuNodePool("p5-karpenter", {
    provider: "aws",
    region: "us-east-1",
    instanceType: "p5.48xlarge",
    capacityType: "spot",
    maxNodes: 2,
    aws: { clusterName: "inference", karpenter: { nodeRoleName: "KarpenterNodeRole-inference", discoveryTagValue: "inference", amiAlias: "al2023@v20250920" } },
  }, { providers: [cluster] });

  const weights: Omit<ModelWeightCacheArgs, "strategy"> = {
    placement: pool.placement,
    namespace: "inference",
    model: {
      name: "llama-70b",
      files: [
        { path: "model-00001-of-00002.safetensors", sizeBytes: 70_000_000_000, sha256: sha(1) },
        { path: "model-00002-of-00002.safetensors", sizeBytes: 70_000_000_000, sha256: sha(2) },
        { path: "config.json", sizeBytes: 1_000_000, sha256: sha(3) },
      ],
      huggingFace: { repo: "meta-llama/Llama-3.3-70B-Instruct", revision: REVISION },
    },
    origin: { provider: "aws", uri: "s3://switchyard-weights/models/llama-70b", region: "us-east-1", credentialsSecret: { name: "weights-origin-reader" } },
  };
  const nodeCache = new ModelWeightCache("node-cache", { ...weights, strategy: "node-cache", nodeCache: { hostPath: "/mnt/nvme/switchyard-models" } }, { providers: [cluster] });
  // The origin in another region: replicate copies it next to the GPUs.
  const remoteOrigin = { ...weights.origin, uri: "s3://switchyard-weights-usw2/models/llama-70b", region: "us-west-2" };
  new ModelWeightCache("replicate", { ...weights, origin: remoteOrigin, strategy: "replicate", replica: { bucketName: "switchyard-weights-use1", writerSecret: { name: "replica-writer" }, readerSecret: { name: "replica-reader" } } }, { providers: [cluster] });
  new ModelWeightCache("stream", { ...weights, strategy: "stream" }, { providers: [cluster] });

  new VllmServing("llama-70b-cached", {
    placement: pool.placement,
    namespace: "inference",
    image: "vllm/vllm-openai:v0.11.0@sha256:014a95f21c9edf6abe0aea6b07353f96baa4ec291c427bb1176dc7c93a85845c",
    model: { id: "meta-llama/Llama-3.3-70B-Instruct", revision: REVISION, servedModelName: "llama-70b", parameterCountBillions: 70, dtype: "bf16" },
    quantization: "fp8",
    tensorParallelSize: 2,
    maxModelLen: 16384,
    minReplicas: 1,
    maxReplicas: 1,
    weightSource: nodeCache.weightSource,
    gateway: { namespace: "gateway", podLabels: { "app.kubernetes.io/name": "litellm-gateway", "app.kubernetes.io/instance": "gateway" } },
    backend: { modelName: "llama-70b", tokensPerSecond: 2400, expectedLatencyMs: 350 },
  }, { providers: [cluster], dependsOn: [pool] });

  new SharedServices("shared", {
    region: "us-east-1",
    replication: { region: "us-west-2" },
    readers: [
      { name: "coreweave", provider: "coreweave", identity: "web-identity", webIdentity: { issuerUrl: "https://oidc.cks.coreweave.com/id/0123456789abcdef", subjects: ["system:serviceaccount:inference:default"] } },
      { name: "eks", provider: "aws", identity: "web-identity", webIdentity: { issuerUrl: "https://oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789", subjects: ["system:serviceaccount:inference:default"] } },
    ],
    auditLog: { mode: "COMPLIANCE" },
    budget: { monthlyLimitUsd: 25_000, alertEmails: ["platform@example.com"] },
  });
  return {};
};
