import { describe, expect, it } from "vitest";
import { ModelWeightCache } from "@switchyard/components/src/model-weight-cache";
import type { ModelWeightCacheArgs } from "@switchyard/components/src/model-weight-cache";
import { VllmServing } from "@switchyard/components/src/vllm-serving";
import { awsP5, gcpG2, lambdaH100, nodeCacheArgs, replicateArgs, streamArgs } from "../../packages/components/test/model-weight-cache/fixtures";
import { withAwsAttributes } from "../harness/aws-attributes";
import { llama70b } from "../../packages/components/test/vllm-serving/fixtures";
import { validateKubernetesObjects } from "../harness/kubernetes-schema";
import { childrenOf, findResource, stringLeaves, synthesize, synthesizeFailure, valueOf } from "../harness/mocks";
import type { RecordedResource } from "../harness/mocks";

const COMPONENT = "switchyard:index:ModelWeightCache";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
const JOB = "kubernetes:batch/v1:Job";
const DAEMON_SET = "kubernetes:apps/v1:DaemonSet";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const BUCKET = "aws:s3/bucket:Bucket";
const KMS_KEY = "aws:kms/key:Key";
const GCS_BUCKET = "gcp:storage/bucket:Bucket";

async function cache(args: ModelWeightCacheArgs, name = "llama-70b") {
  const { resources, result } = await synthesize(() => {
    withAwsAttributes();
    return new ModelWeightCache(name, args);
  });
  return { resources, children: childrenOf(resources, COMPONENT, name), component: result };
}

function shape(resources: RecordedResource[]): string[] {
  return resources.map((r) => `${r.type} ${r.name}`).sort();
}

const awsReplicate: ModelWeightCacheArgs = { ...replicateArgs, placement: awsP5, replica: { ...replicateArgs.replica!, bucketName: "switchyard-weights-usw2" } };
const awsReplicaCompanions = ["versioning", "encryption", "public-access", "ownership", "policy"];

describe("ModelWeightCache children (public contract: types and names)", () => {
  it.each<[string, ModelWeightCacheArgs, string[]]>([
    ["stream", streamArgs, []],
    ["node-cache", nodeCacheArgs, [`${CONFIG_MAP} llama-70b-sync-config`, `${NETWORK_POLICY} llama-70b-sync-netpol`, `${DAEMON_SET} llama-70b-cache`]],
    ["replicate on CoreWeave (existing CAIOS bucket)", replicateArgs, [`${CONFIG_MAP} llama-70b-sync-config`, `${NETWORK_POLICY} llama-70b-sync-netpol`, `${JOB} llama-70b-sync`]],
    [
      "replicate on AWS (bucket and key created here)",
      awsReplicate,
      [
        `${CONFIG_MAP} llama-70b-sync-config`,
        `${NETWORK_POLICY} llama-70b-sync-netpol`,
        `${JOB} llama-70b-sync`,
        `${KMS_KEY} llama-70b-key`,
        "aws:kms/keyPolicy:KeyPolicy llama-70b-key-policy",
        `${BUCKET} llama-70b-bucket`,
        "aws:s3/bucketVersioning:BucketVersioning llama-70b-bucket-versioning",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration llama-70b-bucket-lifecycle",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration llama-70b-bucket-encryption",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock llama-70b-bucket-public-access",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls llama-70b-bucket-ownership",
        "aws:s3/bucketPolicy:BucketPolicy llama-70b-bucket-policy",
        "aws:s3/bucketLogging:BucketLogging llama-70b-bucket-logging",
        `${BUCKET} llama-70b-access-logs`,
        "aws:s3/bucketVersioning:BucketVersioning llama-70b-access-logs-versioning",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration llama-70b-access-logs-lifecycle",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration llama-70b-access-logs-encryption",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock llama-70b-access-logs-public-access",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls llama-70b-access-logs-ownership",
        "aws:s3/bucketPolicy:BucketPolicy llama-70b-access-logs-policy",
      ],
    ],
    ["replicate on GCP", { ...replicateArgs, placement: gcpG2, replica: { ...replicateArgs.replica!, bucketName: "switchyard-weights-usc1" } }, [
      `${CONFIG_MAP} llama-70b-sync-config`,
      `${NETWORK_POLICY} llama-70b-sync-netpol`,
      `${JOB} llama-70b-sync`,
      `${GCS_BUCKET} llama-70b-bucket`,
    ]],
  ])("%s registers exactly these children", async (_label, args, expected) => {
    const { resources, children } = await cache(args);
    expect(shape(children)).toEqual([...expected].sort());
    expect(resources.filter((r) => r.parentType !== COMPONENT).map((r) => r.type)).toEqual([COMPONENT]);
    const kube = children.filter((r) => r.type.startsWith("kubernetes:"));
    expect(validateKubernetesObjects(children)).toBe(kube.length);
    for (const r of kube) expect((r.inputs["metadata"] as { namespace: string }).namespace).toBe("inference");
  });

  it("node-cache on Lambda (local NVMe, no object storage) registers the DaemonSet", async () => {
    const { children } = await cache({ ...nodeCacheArgs, placement: lambdaH100 });
    expect(children.map((c) => c.type).sort()).toEqual([DAEMON_SET, CONFIG_MAP, NETWORK_POLICY].sort());
  });
});

describe("ModelWeightCache copy pods' network", () => {
  it.each([["node-cache", nodeCacheArgs], ["replicate", replicateArgs]] as const)("%s: a NetworkPolicy selects the copy pods, admits no ingress and leaves egress open (origin, bucket, Hub)", async (_label, args) => {
    const { children } = await cache(args);
    const policy = children.find((c) => c.type === NETWORK_POLICY)!.inputs as { spec: { podSelector: { matchLabels: Record<string, string> }; policyTypes: string[]; ingress: unknown[]; egress: unknown[] } };
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "model-weight-cache", "app.kubernetes.io/instance": "llama-70b" } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress: [{}],
    });
    const pods = children.filter((c) => c.type === JOB || c.type === DAEMON_SET).map((c) => (c.inputs as { spec: { template: { metadata: { labels: Record<string, string> } } } }).spec.template.metadata.labels);
    expect(pods).toHaveLength(1);
    expect(pods[0]).toMatchObject(policy.spec.podSelector.matchLabels);
  });
});

describe("ModelWeightCache stateful children are retained on delete", () => {
  it("AWS replica bucket, every companion and its KMS key", async () => {
    const { resources } = await cache(awsReplicate);
    for (const role of ["", ...awsReplicaCompanions.map((c) => `-${c}`)]) {
      const r = resources.find((x) => x.name === `llama-70b-bucket${role}`)!;
      expect(r.retainOnDelete, r.name).toBe(true);
    }
    expect(findResource(resources, KMS_KEY, "llama-70b-key").retainOnDelete).toBe(true);
    expect(findResource(resources, JOB, "llama-70b-sync").retainOnDelete).toBe(false);
  });

  it("GCS replica bucket", async () => {
    const { resources } = await cache({ ...replicateArgs, placement: gcpG2 });
    const bucket = findResource(resources, GCS_BUCKET, "llama-70b-bucket");
    expect(bucket.retainOnDelete).toBe(true);
    expect(bucket.inputs).toMatchObject({ uniformBucketLevelAccess: true, publicAccessPrevention: "enforced", versioning: { enabled: true }, forceDestroy: false, location: "US-CENTRAL1" });
  });
});

describe("ModelWeightCache AWS replica hardening", () => {
  it("SSE-KMS with the created key's full ARN and bucket keys, all four public-access blocks, TLS-only policy", async () => {
    const { resources } = await cache(awsReplicate);
    const key = findResource(resources, KMS_KEY, "llama-70b-key");
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30, region: "us-west-2" });
    const keyPolicy = JSON.parse(resources.find((r) => r.name === "llama-70b-key-policy")!.inputs["policy"] as string);
    expect(keyPolicy.Statement[1].Condition.StringEquals).toEqual({ "kms:ViaService": ["s3.us-west-2.amazonaws.com"], "kms:CallerAccount": "123456789012" });
    const sse = resources.find((r) => r.name === "llama-70b-bucket-encryption")!;
    const rule = (sse.inputs["rules"] as any[])[0];
    expect(rule.applyServerSideEncryptionByDefault.sseAlgorithm).toBe("aws:kms");
    expect(rule.applyServerSideEncryptionByDefault.kmsMasterKeyId).toMatch(/^arn:aws:kms:us-west-2:\d{12}:key\/[0-9a-f-]{36}$/);
    expect(rule.bucketKeyEnabled).toBe(true);
    expect(resources.find((r) => r.name === "llama-70b-bucket-public-access")!.inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    const policy = JSON.parse(resources.find((r) => r.name === "llama-70b-bucket-policy")!.inputs["policy"] as string);
    expect(policy.Statement[0]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } }, Resource: ["arn:aws:s3:::switchyard-weights-usw2", "arn:aws:s3:::switchyard-weights-usw2/*"] });
  });
});

describe("ModelWeightCache AWS replica access logs", () => {
  it("a log bucket in the replica's region (SSE-S3, logs kept a year, written only by S3 log delivery for this bucket) receives its server access logs", async () => {
    const { resources } = await cache(awsReplicate);
    const logs = findResource(resources, BUCKET, "llama-70b-access-logs");
    expect(logs.retainOnDelete).toBe(true);
    expect(logs.inputs["region"]).toBe("us-west-2");
    expect(findResource(resources, "aws:s3/bucketLogging:BucketLogging", "llama-70b-bucket-logging").inputs).toEqual({
      bucket: "switchyard-weights-usw2",
      region: "us-west-2",
      targetBucket: expect.stringMatching(/^llama-70b-access-logs/),
      targetPrefix: "llama-70b-bucket/",
    });
    expect(resources.find((r) => r.name === "llama-70b-access-logs-encryption")!.inputs["rules"]).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
    const lifecycle = resources.find((r) => r.name === "llama-70b-access-logs-lifecycle")!.inputs["rules"] as { id: string; expiration?: { days: number } }[];
    expect(lifecycle.find((rule) => rule.id === "expire-objects")?.expiration).toEqual({ days: 365 });
    const policy = JSON.parse(resources.find((r) => r.name === "llama-70b-access-logs-policy")!.inputs["policy"] as string);
    expect(policy.Statement.find((st: { Sid: string }) => st.Sid === "S3ServerAccessLogDelivery")).toMatchObject({
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Condition: { ArnLike: { "aws:SourceArn": ["arn:aws:s3:::switchyard-weights-usw2"] } },
    });
  });
});

describe("ModelWeightCache outputs", () => {
  it("the WeightSource plugs into VllmServing under mocks, and the flat outputs carry the estimate", async () => {
    const { resources, result } = await synthesize(() => {
      const weights = new ModelWeightCache("llama-70b", nodeCacheArgs);
      const vllm = new VllmServing("llama-70b", { ...llama70b, weightSource: weights.weightSource }, { dependsOn: [weights] });
      return { weights, vllm };
    });
    const deployment = findResource(resources, "kubernetes:apps/v1:Deployment", "llama-70b-vllm");
    const pod = (deployment.inputs["spec"] as any).template.spec;
    expect(pod.initContainers.map((c: { name: string }) => c.name)).toEqual(["wait-for-weights"]);
    expect(pod.volumes.map((v: { name: string }) => v.name)).toEqual(["dshm", "model-weights"]);
    expect(pod.containers[0].args[0]).toBe("/models/llama-3-3-70b");
    expect(validateKubernetesObjects(resources)).toBeGreaterThan(0);
    expect(await valueOf(result.weights.monthlyEgressGB)).toBe(1120);
    expect(await valueOf(result.weights.monthlyEgressCostUsd)).toBe(100.8);
    expect(await valueOf(result.weights.strategy)).toBe("node-cache");
    const registered = findResource(resources, COMPONENT, "llama-70b").outputs!;
    expect(registered).toMatchObject({ strategy: "node-cache", weightGB: 140, monthlyEgressGB: 1120, monthlyEgressCostUsd: 100.8, modelPath: "/models/llama-3-3-70b" });
  });

  it("no credential value is ever part of what it registers: Secrets are only referenced by name", async () => {
    const { resources } = await cache(replicateArgs);
    const envs = resources.flatMap((r) => stringLeaves(r.inputs).filter((l) => /\.env\[\d+\]\.value$/.test(l.path)));
    expect(envs.length).toBeGreaterThan(5);
    for (const e of envs) expect(e.path).not.toMatch(/ACCESS_KEY/);
    const keyVars = resources.flatMap((r) => stringLeaves(r.inputs).filter((l) => /ACCESS_KEY/.test(l.value) && l.path.endsWith(".name")));
    for (const v of keyVars) {
      const envPath = v.path.replace(/\.name$/, "");
      const r = resources.find((x) => stringLeaves(x.inputs).some((l) => l.path === v.path))!;
      const hasValue = stringLeaves(r.inputs).some((l) => l.path === `${envPath}.value`);
      expect(hasValue, `${v.value} must come from a secretKeyRef`).toBe(false);
    }
  });
});

describe("ModelWeightCache rejects invalid arguments before registering anything", () => {
  it.each<[string, ModelWeightCacheArgs, RegExp]>([
    ["unpinned model (branch name)", { ...streamArgs, model: { ...streamArgs.model, huggingFace: { repo: "meta-llama/Llama-3.3-70B-Instruct", revision: "main" } } }, /model\.huggingFace\.revision \("main"\) must be a 40-character/],
    ["strategy the cloud cannot do", { ...replicateArgs, placement: lambdaH100 }, /Lambda sells no object storage/],
    ["missing origin credentials", { ...streamArgs, origin: { ...streamArgs.origin, credentialsSecret: undefined as never } }, /origin\.credentialsSecret is required/],
  ])("%s", async (_label, args, message) => {
    const { error, resources } = await synthesizeFailure(() => new ModelWeightCache("llama-70b", args));
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^ModelWeightCache "llama-70b" has 1 invalid argument:/);
    expect(resources).toEqual([]);
  });
});
