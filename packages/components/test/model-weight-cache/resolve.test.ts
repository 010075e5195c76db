import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import {
  CAIOS_ENDPOINT,
  CAIOS_LOTA_ENDPOINT,
  DEFAULT_SYNC_IMAGE,
  PAUSE_IMAGE,
  READY_MARKER,
  estimateWeightEgress,
  manifestDigest,
  nodeCacheDaemonSetSpec,
  resolveModelWeightCacheArgs,
  sha256SumsText,
  syncConfigMapSpec,
  syncJobSpec,
} from "../../src/model-weight-cache";
import type { ModelWeightCacheArgs, WeightEgressInput } from "../../src/model-weight-cache";
import { resolveVllmServingArgs } from "../../src/vllm-serving";
import { llama70b } from "../vllm-serving/fixtures";
import { awsOrigin, awsP5, baseArgs, coreweaveH100, gcpG2, lambdaH100, llama70bFiles, nodeCacheArgs, replicateArgs, streamArgs } from "./fixtures";

type Json = Record<string, any>;

const resolve = (args: ModelWeightCacheArgs, name = "llama-70b") => resolveModelWeightCacheArgs(name, args);

/** Every problem the resolver reports, as `propertyPath: reason` lines. */
function problems(args: ModelWeightCacheArgs, name = "llama-70b"): string[] {
  try {
    resolve(args, name);
  } catch (error) {
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    return (error as { errors: { propertyPath: string; reason: string }[] }).errors.map((e) => `${e.propertyPath}: ${e.reason}`);
  }
  throw new Error("expected the arguments to be rejected");
}

describe("egress estimate: 140 GB model, hand-computed", () => {
  const base: WeightEgressInput = {
    strategy: "node-cache",
    from: "aws",
    to: "coreweave",
    weightGB: 140,
    revisionsPerMonth: 1,
    nodes: 4,
    nodeArrivalsPerMonth: 4,
    coldStartsPerMonth: 30,
    replicaStoragePricePerGBMonth: 0.06,
  };
  // AWS internet egress $0.09/GB, GCP $0.12/GB, CoreWeave and Lambda $0 (catalog, provider-facts §3.7).
  it.each<[string, Partial<WeightEgressInput>, { copies: number; gb: number; egress: number; storage: number; total: number }]>([
    // 4 nodes × 1 revision + 4 node arrivals = 8 copies; 8 × 140 = 1120 GB; × $0.09 = $100.80.
    ["node-cache, AWS → CoreWeave, 4 nodes", {}, { copies: 8, gb: 1120, egress: 100.8, storage: 0, total: 100.8 }],
    // 4 nodes, 2 revisions, 1 spot replacement: 9 copies; 1260 GB; $113.40.
    ["node-cache, 2 revisions, 1 arrival", { revisionsPerMonth: 2, nodeArrivalsPerMonth: 1 }, { copies: 9, gb: 1260, egress: 113.4, storage: 0, total: 113.4 }],
    // 1 copy per revision: 140 GB × $0.09 = $12.60, plus 140 GB × $0.06 storage = $8.40.
    ["replicate, AWS → CoreWeave", { strategy: "replicate" }, { copies: 1, gb: 140, egress: 12.6, storage: 8.4, total: 21 }],
    // 30 cold starts × 140 GB = 4200 GB × $0.09 = $378.00.
    ["stream, AWS → CoreWeave, 30 cold starts", { strategy: "stream" }, { copies: 30, gb: 4200, egress: 378, storage: 0, total: 378 }],
    // GCP sends at $0.12/GB: 1120 GB → $134.40.
    ["node-cache, GCP → CoreWeave", { from: "gcp" }, { copies: 8, gb: 1120, egress: 134.4, storage: 0, total: 134.4 }],
    // Same cloud: the catalog's intra-provider price is $0.
    ["stream, AWS → AWS", { strategy: "stream", to: "aws" }, { copies: 30, gb: 4200, egress: 0, storage: 0, total: 0 }],
    // CoreWeave charges no egress: streaming from CAIOS is free however often.
    ["stream, CoreWeave → Lambda", { strategy: "stream", from: "coreweave", to: "lambda" }, { copies: 30, gb: 4200, egress: 0, storage: 0, total: 0 }],
  ])("%s", (_label, overrides, expected) => {
    const e = estimateWeightEgress({ ...base, ...overrides });
    expect(e.copiesPerMonth).toBe(expected.copies);
    expect(e.egressGBPerMonth).toBeCloseTo(expected.gb, 9);
    expect(e.egressCostPerMonth).toBe(expected.egress);
    expect(e.storageCostPerMonth).toBe(expected.storage);
    expect(e.totalCostPerMonth).toBe(expected.total);
    expect(e.assumptions.length).toBeGreaterThan(1);
  });

  it("the component's estimate for the fixture (140 GB, 4 nodes, defaults) is the table's first row", () => {
    const r = resolve(nodeCacheArgs);
    expect(r.model.weightBytes).toBe(140e9);
    expect(r.egress).toMatchObject({ strategy: "node-cache", from: "aws", to: "coreweave", weightGB: 140, copiesPerMonth: 8, egressPricePerGB: 0.09, egressCostPerMonth: 100.8 });
  });

  it("replicate uses the cloud's default storage price unless one is given", () => {
    expect(resolve(replicateArgs).egress.storageCostPerMonth).toBe(8.4);
    expect(resolve({ ...replicateArgs, egressAssumptions: { replicaStoragePricePerGBMonth: 0.03 } }).egress.storageCostPerMonth).toBe(4.2);
  });

  it("egress grows linearly with copies and never goes negative (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 64 }), (nodes, revisions, arrivals) => {
        const e = estimateWeightEgress({ ...base, nodes, revisionsPerMonth: revisions, nodeArrivalsPerMonth: arrivals });
        expect(e.copiesPerMonth).toBe(nodes * revisions + arrivals);
        expect(e.egressCostPerMonth).toBeCloseTo(e.copiesPerMonth * 140 * 0.09, 1);
        expect(e.egressCostPerMonth).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe("manifest", () => {
  it("digest is independent of file order and changes with any file", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(llama70bFiles, { minLength: llama70bFiles.length, maxLength: llama70bFiles.length }), (shuffled) => {
        expect(manifestDigest(shuffled)).toBe(manifestDigest(llama70bFiles));
      }),
    );
    const changed = llama70bFiles.map((f, i) => (i === 3 ? { ...f, sha256: "f".repeat(64) } : f));
    expect(manifestDigest(changed)).not.toBe(manifestDigest(llama70bFiles));
  });

  it("renders sha256sum lines sorted by path", () => {
    const text = sha256SumsText(llama70bFiles);
    expect(text.split("\n")[0]).toBe(`${"64".repeat(32)}  config.json`);
    expect(text.trim().split("\n")).toHaveLength(30);
  });
});

describe("WeightSource per strategy", () => {
  it("stream: the origin's s3:// path with the Run:ai streamer, keys by secretKeyRef, AWS region, no metadata probe off AWS", () => {
    const ws = resolve(streamArgs).weightSource;
    expect(ws).toEqual({
      modelPath: "s3://switchyard-weights/models/llama-3-3-70b",
      revision: undefined,
      loadFormat: "runai_streamer",
      volumes: [],
      volumeMounts: [],
      env: [
        { name: "AWS_ACCESS_KEY_ID", valueFrom: { secretKeyRef: { name: "weights-origin-reader", key: "access-key-id" } } },
        { name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: "weights-origin-reader", key: "secret-access-key" } } },
        { name: "AWS_REGION", value: "us-east-1" },
        { name: "AWS_DEFAULT_REGION", value: "us-east-1" },
        { name: "AWS_EC2_METADATA_DISABLED", value: "true" },
      ],
      initContainers: [],
    });
  });

  it("stream from CoreWeave AI Object Storage: cwobject.com endpoint and virtual-hosted addressing (never path-style)", () => {
    const ws = resolve({ ...streamArgs, origin: { provider: "coreweave", uri: "s3://cw-weights/llama", credentialsSecret: { name: "caios" } } }).weightSource;
    expect(ws.env).toContainEqual({ name: "AWS_ENDPOINT_URL", value: CAIOS_ENDPOINT });
    expect(ws.env.map((e) => e.name)).not.toContain("RUNAI_STREAMER_S3_USE_VIRTUAL_ADDRESSING");
  });

  it("stream from GCS: the S3-compatible endpoint with path-style addressing", () => {
    const ws = resolve({ ...streamArgs, origin: { provider: "gcp", uri: "s3://gcs-weights/llama", credentialsSecret: { name: "gcs-hmac" } } }).weightSource;
    expect(ws.env).toContainEqual({ name: "AWS_ENDPOINT_URL", value: "https://storage.googleapis.com" });
    expect(ws.env).toContainEqual({ name: "RUNAI_STREAMER_S3_USE_VIRTUAL_ADDRESSING", value: "0" });
  });

  it("stream on AWS keeps the instance metadata service reachable", () => {
    const ws = resolve({ ...streamArgs, placement: awsP5 }).weightSource;
    expect(ws.env.map((e) => e.name)).not.toContain("AWS_EC2_METADATA_DISABLED");
  });

  it("replicate on CoreWeave: vLLM streams the in-cloud copy with the reader's keys, content-addressed prefix", () => {
    const r = resolve(replicateArgs);
    expect(r.weightSource.modelPath).toBe(`s3://switchyard-weights-cw/models/llama-3-3-70b/${r.model.pin}`);
    expect(r.weightSource.loadFormat).toBe("runai_streamer");
    expect(r.weightSource.env).toEqual([
      { name: "AWS_ACCESS_KEY_ID", valueFrom: { secretKeyRef: { name: "caios-reader", key: "access-key-id" } } },
      { name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: "caios-reader", key: "secret-access-key" } } },
      { name: "AWS_ENDPOINT_URL", value: CAIOS_ENDPOINT },
      { name: "AWS_EC2_METADATA_DISABLED", value: "true" },
    ]);
    expect(r.replica).toMatchObject({ createsBucket: false, pathStyle: false, endpointUrl: CAIOS_ENDPOINT });
  });

  it("replicate on CoreWeave can read through LOTA", () => {
    const r = resolve({ ...replicateArgs, replica: { ...replicateArgs.replica!, useLota: true } });
    expect(r.weightSource.env).toContainEqual({ name: "AWS_ENDPOINT_URL", value: CAIOS_LOTA_ENDPOINT });
    // The sync Job still writes through the global endpoint.
    expect(r.replica!.endpointUrl).toBe(CAIOS_ENDPOINT);
  });

  it("node-cache: read-only hostPath of this revision, a marker-waiting init container, offline hub", () => {
    const r = resolve(nodeCacheArgs);
    const ws = r.weightSource;
    expect(ws.modelPath).toBe("/models/llama-3-3-70b");
    expect(ws.loadFormat).toBe("safetensors");
    expect(ws.volumes).toEqual([{ name: "model-weights", hostPath: { path: `/mnt/nvme/switchyard-models/llama-3-3-70b/${r.model.pin}`, type: "DirectoryOrCreate" } }]);
    expect(ws.volumeMounts).toEqual([{ name: "model-weights", mountPath: "/models/llama-3-3-70b", readOnly: true }]);
    expect(ws.env).toEqual([{ name: "HF_HUB_OFFLINE", value: "1" }]);
    const init = ws.initContainers[0] as Json;
    expect(init).toMatchObject({ name: "wait-for-weights", image: DEFAULT_SYNC_IMAGE, volumeMounts: [{ name: "model-weights", mountPath: "/models/llama-3-3-70b", readOnly: true }] });
    expect(init.command[2]).toContain(`/models/llama-3-3-70b/${READY_MARKER}`);
    expect(init.command[2]).toContain(r.model.manifestDigest);
    expect(init.command[2]).toContain("7200");
    expect(init.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
  });

  it.each([
    ["stream", streamArgs],
    ["replicate", replicateArgs],
    ["node-cache", nodeCacheArgs],
  ] as const)("VllmServing accepts the %s WeightSource", (_label, args) => {
    const ws = resolve(args).weightSource;
    const vllm = resolveVllmServingArgs("llama-70b", { ...llama70b, weightSource: ws });
    expect(vllm.args[0]).toBe(ws.modelPath);
    expect(vllm.args).toContain(ws.loadFormat);
    expect(vllm.args).not.toContain("--revision");
  });
});

describe("copy workloads", () => {
  it("the replicate Job copies with rclone as a non-root user, keys by secretKeyRef, virtual-hosted for CoreWeave", () => {
    const r = resolve(replicateArgs);
    const job = syncJobSpec(r) as Json;
    const pod = job.spec.template.spec;
    const c = pod.containers[0];
    expect(job.metadata.name).toBe(`llama-70b-sync-${r.model.pin.slice(0, 8)}`);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.restartPolicy).toBe("Never");
    expect(job.spec.activeDeadlineSeconds).toBe(7200);
    expect(c.image).toBe(DEFAULT_SYNC_IMAGE);
    expect(c.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(c.resources).toEqual({ requests: { cpu: "1", memory: "1Gi", "ephemeral-storage": "1Gi" }, limits: { memory: "1Gi", "ephemeral-storage": "2Gi" } });
    const env = Object.fromEntries(c.env.map((e: Json) => [e.name, e.value ?? e.valueFrom]));
    expect(env["RCLONE_CONFIG_ORIGIN_ACCESS_KEY_ID"]).toEqual({ secretKeyRef: { name: "weights-origin-reader", key: "access-key-id" } });
    expect(env["RCLONE_CONFIG_ORIGIN_REGION"]).toBe("us-east-1");
    expect(env["RCLONE_CONFIG_REPLICA_SECRET_ACCESS_KEY"]).toEqual({ secretKeyRef: { name: "caios-writer", key: "secret-access-key" } });
    expect(env["RCLONE_CONFIG_REPLICA_ENDPOINT"]).toBe(CAIOS_ENDPOINT);
    expect(env["RCLONE_CONFIG_REPLICA_FORCE_PATH_STYLE"]).toBe("false");
    expect(env["REPLICA_PREFIX"]).toBe(`models/llama-3-3-70b/${r.model.pin}`);
    expect(env["MANIFEST_DIGEST"]).toBe(r.model.manifestDigest);
  });

  it("the sync script verifies every SHA-256 by reading the copy back before writing the marker", () => {
    const script = resolve(replicateArgs).configData["sync.sh"]!;
    const check = script.indexOf("rclone checksum sha256 /etc/switchyard/SHA256SUMS");
    const marker = script.indexOf(`rclone rcat "\${dst}/${READY_MARKER}"`);
    expect(check).toBeGreaterThan(0);
    expect(script).toContain("--download --one-way");
    expect(marker).toBeGreaterThan(check);
    expect(script).toContain("rclone delete");
  });

  it("the ConfigMap carries the manifest and the script, and nothing secret", () => {
    const cm = syncConfigMapSpec(resolve(replicateArgs)) as Json;
    expect(Object.keys(cm.data).sort()).toEqual(["SHA256SUMS", "files.txt", "sync.sh"]);
    expect(cm.data["files.txt"].trim().split("\n")).toHaveLength(30);
  });

  it("the node-cache DaemonSet runs on the pool's nodes: root only to chown, copy as non-root, pause holds", () => {
    const r = resolve(nodeCacheArgs);
    const ds = nodeCacheDaemonSetSpec(r) as Json;
    const pod = ds.spec.template.spec;
    expect(pod.nodeSelector).toEqual({ "switchyard.dev/pool": "h100-reserved" });
    expect(pod.tolerations).toEqual(coreweaveH100.tolerations);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.volumes[0]).toEqual({ name: "node-cache", hostPath: { path: "/mnt/nvme/switchyard-models", type: "DirectoryOrCreate" } });
    const [prepare, fetch] = pod.initContainers;
    expect(prepare.securityContext).toMatchObject({ runAsUser: 0, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: ["CHOWN"] } });
    expect(prepare.command[2]).toBe(`mkdir -p /cache/llama-3-3-70b/${r.model.pin} && chown 65532:65532 /cache/llama-3-3-70b/${r.model.pin}`);
    expect(fetch.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, capabilities: { drop: ["ALL"] } });
    expect(pod.containers).toEqual([expect.objectContaining({ name: "hold", image: PAUSE_IMAGE })]);
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.resources.requests).toBeDefined();
      expect(c.resources.limits.memory).toBe(c.resources.requests.memory);
      expect(c.securityContext.privileged).toBe(false);
    }
    const script = r.configData["fetch.sh"]!;
    expect(script.indexOf("rclone checksum sha256")).toBeLessThan(script.indexOf(`mv "\${dir}/${READY_MARKER}.tmp"`));
  });
});

describe("invalid arguments", () => {
  it("rejects a branch name as the Hugging Face revision", () => {
    expect(problems({ ...streamArgs, model: { ...baseArgs.model, huggingFace: { repo: "meta-llama/Llama-3.3-70B-Instruct", revision: "main" } } })).toEqual([
      "model.huggingFace.revision: model.huggingFace.revision (\"main\") must be a 40-character lowercase hex commit SHA; a branch or tag name moves, so the same config would fetch different weights",
    ]);
  });

  it("rejects a model without a manifest (an unpinned prefix)", () => {
    expect(problems({ ...streamArgs, model: { name: "llama-3-3-70b", files: [] } })[0]).toMatch(/^model\.files: .*the manifest is the pin/);
  });

  it("rejects pickle checkpoints and malformed manifest entries", () => {
    const files = [
      { path: "pytorch_model.bin", sizeBytes: 10, sha256: "a".repeat(64) },
      { path: "../escape.safetensors", sizeBytes: 10, sha256: "b".repeat(64) },
      { path: "model.safetensors", sizeBytes: -1, sha256: "XYZ" },
    ];
    const p = problems({ ...streamArgs, model: { name: "m", files } });
    expect(p.some((x) => x.startsWith("model.files[0].path") && x.includes("pickle"))).toBe(true);
    expect(p.some((x) => x.startsWith("model.files[1].path"))).toBe(true);
    expect(p.some((x) => x.startsWith("model.files[2].sizeBytes"))).toBe(true);
    expect(p.some((x) => x.startsWith("model.files[2].sha256"))).toBe(true);
  });

  it("rejects missing origin credentials", () => {
    const { credentialsSecret: _omitted, ...noCredentials } = awsOrigin;
    expect(problems({ ...streamArgs, origin: noCredentials as ModelWeightCacheArgs["origin"] })).toEqual([
      "origin.credentialsSecret: origin.credentialsSecret is required: a Kubernetes Secret (same namespace) holding the origin's read-only credentials; credentials are never passed as literal values",
    ]);
  });

  it("rejects replicate on Lambda, which sells no object storage", () => {
    expect(problems({ ...replicateArgs, placement: lambdaH100 })).toEqual([
      'strategy: strategy ("replicate") cannot run on lambda (placement.provider): Lambda sells no object storage to replicate into; use "node-cache" or "stream"',
    ]);
  });

  it("rejects node-cache on an instance type without local NVMe", () => {
    const p = problems({ ...nodeCacheArgs, placement: gcpG2 });
    expect(p).toEqual(['strategy: strategy ("node-cache") cannot run on gcp g2-standard-48: it has no local NVMe in the catalog (0 GiB); use "replicate" or "stream", or a pool of an instance type with local NVMe']);
  });

  it("rejects replicating an AWS origin into its own region", () => {
    const p = problems({ ...replicateArgs, placement: { ...awsP5, region: "us-east-1" } });
    expect(p).toEqual([expect.stringMatching(/^strategy: .*copies the origin onto itself/)]);
  });

  it("rejects a Lambda origin, a non-s3 URI and a floating sync image, all at once", () => {
    const p = problems({ ...streamArgs, origin: { ...awsOrigin, provider: "lambda", uri: "https://example.com/w" }, syncImage: "rclone/rclone:latest" });
    expect(p.map((x) => x.split(":")[0])).toEqual(["origin.provider", "origin.uri", "syncImage"]);
  });

  it("rejects blocks that belong to another strategy, and a missing one", () => {
    expect(problems({ ...streamArgs, nodeCache: { hostPath: "/mnt/nvme" } }).map((x) => x.split(":")[0])).toEqual(["nodeCache"]);
    expect(problems({ ...baseArgs, strategy: "replicate" }).map((x) => x.split(":")[0])).toEqual(["replica"]);
    expect(problems({ ...baseArgs, strategy: "node-cache" }).map((x) => x.split(":")[0])).toEqual(["nodeCache"]);
  });

  it("rejects a KMS alias for an AWS replica and an existingBucket: false on CoreWeave", () => {
    const aws = problems({ ...replicateArgs, placement: awsP5, replica: { ...replicateArgs.replica!, kmsKeyArn: "alias/weights" } });
    expect(aws).toEqual([expect.stringMatching(/^replica\.kmsKeyArn: .*full KMS key ARN/)]);
    const cw = problems({ ...replicateArgs, replica: { ...replicateArgs.replica!, existingBucket: false } });
    expect(cw).toEqual([expect.stringMatching(/^replica\.existingBucket: .*must already exist/)]);
  });

  it("accepts a strategy the cloud can do on each cloud", () => {
    expect(resolve({ ...replicateArgs, placement: awsP5 }).replica).toMatchObject({ provider: "aws", region: "us-west-2", createsBucket: true, createsKmsKey: true });
    expect(resolve({ ...replicateArgs, placement: gcpG2 }).replica).toMatchObject({ provider: "gcp", pathStyle: true, createsBucket: true });
    expect(resolve({ ...nodeCacheArgs, placement: lambdaH100 }).nodeCache).toMatchObject({ localNvmeGiB: 22_528 });
    expect(resolve({ ...streamArgs, placement: lambdaH100 }).weightSource.loadFormat).toBe("runai_streamer");
  });
});
