import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ModelWeightCache } from "@switchyard/components/src/model-weight-cache";
import { SharedServices } from "@switchyard/components/src/shared-services";
import type { SharedServicesArgs, WeightReaderArgs } from "@switchyard/components/src/shared-services";
import { accessKeySlots } from "@switchyard/components/src/shared-services/key-rotation";
import { replicateArgs } from "../../packages/components/test/model-weight-cache/fixtures";
import { ACCOUNT_ID, dependenciesOf, mockAccessKeyId, withAwsAttributes } from "../harness/aws-attributes";
import { COREWEAVE_ISSUER, fullArgs, minimalArgs } from "../../packages/components/test/shared-services/fixtures";
import { childrenOf, findResource, stringLeaves, synthesize, synthesizeFailure, valueOf } from "../harness/mocks";
import type { RecordedResource } from "../harness/mocks";

const COMPONENT = "switchyard:index:SharedServices";
const T = {
  bucket: "aws:s3/bucket:Bucket",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  logging: "aws:s3/bucketLogging:BucketLogging",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  objectLock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  key: "aws:kms/key:Key",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  oidc: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
  user: "aws:iam/user:User",
  userPolicy: "aws:iam/userPolicy:UserPolicy",
  accessKey: "aws:iam/accessKey:AccessKey",
  keyPolicy: "aws:kms/keyPolicy:KeyPolicy",
  redis: "aws:elasticache/replicationGroup:ReplicationGroup",
  subnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  budget: "aws:budgets/budget:Budget",
  password: "random:index/randomPassword:RandomPassword",
} as const;

async function shared(args: SharedServicesArgs, name = "shared") {
  const { resources, result } = await synthesize(() => {
    withAwsAttributes();
    return new SharedServices(name, args);
  });
  return { resources, children: childrenOf(resources, COMPONENT, name), component: result };
}

const the = (resources: RecordedResource[], type: string, name: string) => findResource(resources, type, name).inputs as Record<string, any>;
const bucketParts = ["", "-versioning", "-lifecycle", "-encryption", "-public-access", "-ownership", "-policy"];
const bucketTypes = [T.bucket, T.versioning, T.lifecycle, T.sse, T.publicAccess, T.ownership, T.policy];
const hardened = (prefix: string) => bucketParts.map((suffix, i) => `${bucketTypes[i]} ${prefix}${suffix}`);

/** Children every SharedServices has: the key, the weights and audit buckets, their access logs, the budget. */
const ALWAYS = [
  `${T.key} shared-kms`,
  `${T.keyPolicy} shared-kms-policy`,
  ...hardened("shared-weights"),
  ...hardened("shared-audit"),
  `${T.objectLock} shared-audit-lock`,
  ...hardened("shared-access-logs"),
  `${T.logging} shared-weights-logging`,
  `${T.logging} shared-audit-logging`,
  `${T.budget} shared-budget`,
];

describe("SharedServices children (public contract: types and names)", () => {
  it("minimal: KMS key, weights bucket, audit bucket with its lock, their access logs, budget", async () => {
    const { resources, children } = await shared(minimalArgs);
    expect(children.map((r) => `${r.type} ${r.name}`).sort()).toEqual([...ALWAYS].sort());
    expect(resources.filter((r) => r.parentType !== COMPONENT).map((r) => r.type)).toEqual([COMPONENT]);
  });

  it("everything on: replication, provider keys, three readers, Redis", async () => {
    const { children } = await shared(fullArgs());
    expect(children.map((r) => `${r.type} ${r.name}`).sort()).toEqual(
      [
        ...ALWAYS,
        `${T.key} shared-replica-kms`,
        `${T.keyPolicy} shared-replica-kms-policy`,
        ...hardened("shared-weights-replica"),
        ...hardened("shared-access-logs-replica"),
        `${T.logging} shared-weights-replica-logging`,
        `${T.role} shared-replication`,
        `${T.rolePolicy} shared-replication`,
        `${T.replication} shared-weights-replication`,
        `${T.secret} shared-provider-key-anthropic`,
        `${T.secretVersion} shared-provider-key-anthropic-version`,
        `${T.secret} shared-provider-key-openai`,
        `${T.secretVersion} shared-provider-key-openai-version`,
        `${T.oidc} shared-reader-coreweave-oidc`,
        `${T.role} shared-reader-coreweave`,
        `${T.rolePolicy} shared-reader-coreweave`,
        `${T.role} shared-reader-eks-usw2`,
        `${T.rolePolicy} shared-reader-eks-usw2`,
        `${T.user} shared-reader-lambda`,
        `${T.userPolicy} shared-reader-lambda`,
        `${T.accessKey} shared-reader-lambda-key-a`,
        `${T.accessKey} shared-reader-lambda-key-b`,
        `${T.secret} shared-reader-lambda-key`,
        `${T.secretVersion} shared-reader-lambda-key-version`,
        `${T.password} shared-redis-auth`,
        `${T.secret} shared-redis-auth`,
        `${T.secretVersion} shared-redis-auth-version`,
        `${T.subnetGroup} shared-redis`,
        `${T.securityGroup} shared-redis`,
        `${T.ingress} shared-redis-from-sg-0`,
        `${T.redis} shared-redis`,
      ].sort(),
    );
  });
});

describe("weights origin bucket security (each test fails if its property is removed)", () => {
  it("versioning is Enabled", async () => {
    const { resources } = await shared(minimalArgs);
    expect(the(resources, T.versioning, "shared-weights-versioning")).toMatchObject({ bucket: "shared-weights-a1b2c3d", versioningConfiguration: { status: "Enabled" } });
  });

  it("SSE-KMS with the shared key's full ARN (not an alias)", async () => {
    const { resources } = await shared(minimalArgs);
    const rule = the(resources, T.sse, "shared-weights-encryption").rules[0];
    expect(rule.applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: "aws:kms", kmsMasterKeyId: expect.stringMatching(new RegExp(`^arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/[0-9a-f-]{36}$`)) });
  });

  it("S3 bucket keys are enabled", async () => {
    const { resources } = await shared(minimalArgs);
    expect(the(resources, T.sse, "shared-weights-encryption").rules[0].bucketKeyEnabled).toBe(true);
  });

  it.each(["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"])("public access block %s is true", async (flag) => {
    const { resources } = await shared(minimalArgs);
    expect(the(resources, T.publicAccess, "shared-weights-public-access")[flag]).toBe(true);
  });

  it("ACLs are disabled (BucketOwnerEnforced)", async () => {
    const { resources } = await shared(minimalArgs);
    expect(the(resources, T.ownership, "shared-weights-ownership").rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
  });

  it("the policy denies plain HTTP and TLS < 1.2 on the bucket and its objects, and allows nobody", async () => {
    const { resources } = await shared({ ...minimalArgs, weights: { bucketName: "switchyard-weights" } });
    const doc = JSON.parse(the(resources, T.policy, "shared-weights-policy").policy);
    const arn = "arn:aws:s3:::switchyard-weights";
    expect(doc.Statement).toContainEqual(expect.objectContaining({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }));
    expect(doc.Statement).toContainEqual(expect.objectContaining({ Effect: "Deny", Resource: [arn, `${arn}/*`], Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } }));
    expect(doc.Statement.filter((s: { Effect: string }) => s.Effect === "Allow")).toEqual([]);
  });

  it("the bucket and every companion are retained on delete, and never force-destroyed", async () => {
    const { resources } = await shared(minimalArgs);
    for (const id of hardened("shared-weights")) {
      const [type, name] = id.split(" ");
      expect(findResource(resources, type!, name!).retainOnDelete, id).toBe(true);
    }
    expect(the(resources, T.bucket, "shared-weights").forceDestroy).toBe(false);
  });
});

describe("bucket lifecycle and server access logs", () => {
  const buckets = ["shared-weights", "shared-audit", "shared-weights-replica", "shared-access-logs", "shared-access-logs-replica"];

  it.each(buckets)("%s: aborts multipart uploads left after 7 days, expires previous versions, after versioning is on", async (bucket) => {
    const { resources } = await shared(fullArgs());
    const lifecycle = findResource(resources, T.lifecycle, `${bucket}-lifecycle`);
    const rules = lifecycle.inputs["rules"] as Record<string, unknown>[];
    // The audit bucket keeps previous versions for its Object Lock retention; the others for 30 days.
    const noncurrentDays = bucket === "shared-audit" ? 365 : 30;
    expect(rules.slice(0, 2)).toEqual([
      { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
      { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays } },
    ]);
    // Access logs themselves expire after a year.
    expect(rules.slice(2)).toEqual(bucket.startsWith("shared-access-logs") ? [{ id: "expire-objects", status: "Enabled", filter: {}, expiration: { days: 365 } }] : []);
    expect(dependenciesOf(T.lifecycle, `${bucket}-lifecycle`)).toContain(`${bucket}-versioning`);
    expect(lifecycle.retainOnDelete).toBe(true);
  });

  it("logs every bucket's requests into a log bucket of its own region, each under its own prefix", async () => {
    const { resources } = await shared(fullArgs());
    const logging = (source: string) => the(resources, T.logging, `${source}-logging`);
    expect(logging("shared-weights")).toEqual({ bucket: "switchyard-weights", region: "us-east-1", targetBucket: "shared-access-logs-a1b2c3d", targetPrefix: "shared-weights/" });
    expect(logging("shared-audit")).toEqual({ bucket: "switchyard-audit", region: "us-east-1", targetBucket: "shared-access-logs-a1b2c3d", targetPrefix: "shared-audit/" });
    expect(logging("shared-weights-replica")).toEqual({ bucket: "switchyard-weights-usw2", region: "us-west-2", targetBucket: "shared-access-logs-replica-a1b2c3d", targetPrefix: "shared-weights-replica/" });
    expect(the(resources, T.bucket, "shared-access-logs-replica").region).toBe("us-west-2");
  });

  it("the log bucket is SSE-S3 (log delivery cannot write SSE-KMS), private, TLS-only, and writable only by S3 logging for those buckets", async () => {
    const { resources } = await shared(minimalArgs);
    expect(the(resources, T.sse, "shared-access-logs-encryption").rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
    expect(the(resources, T.publicAccess, "shared-access-logs-public-access")).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    expect(the(resources, T.ownership, "shared-access-logs-ownership").rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    const doc = JSON.parse(the(resources, T.policy, "shared-access-logs-policy").policy);
    const arn = "arn:aws:s3:::shared-access-logs-a1b2c3d";
    expect(doc.Statement.filter((st: { Effect: string }) => st.Effect === "Allow")).toEqual([
      {
        Sid: "S3ServerAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${arn}/*`,
        Condition: { ArnLike: { "aws:SourceArn": ["arn:aws:s3:::shared-weights-a1b2c3d", "arn:aws:s3:::shared-audit-a1b2c3d"] } },
      },
    ]);
    expect(doc.Statement).toContainEqual(expect.objectContaining({ Effect: "Deny", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }));
  });
});

describe("KMS key", () => {
  it("rotates yearly, has a 30-day deletion window, and is retained on delete", async () => {
    const { resources } = await shared(minimalArgs);
    const key = findResource(resources, T.key, "shared-kms");
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30, region: "us-east-1" });
    expect(key.retainOnDelete).toBe(true);
  });

  const policyOf = (resources: RecordedResource[], name: string) => {
    const policy = findResource(resources, T.keyPolicy, `${name}-policy`);
    expect(policy.retainOnDelete).toBe(true);
    expect(policy.inputs["keyId"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(dependenciesOf(T.keyPolicy, `${name}-policy`)).toContain(name);
    return JSON.parse(policy.inputs["policy"] as string) as { Statement: Record<string, any>[] };
  };

  it("has an explicit policy: the account administers it through IAM but cannot use it directly, only through S3 and Secrets Manager", async () => {
    const { resources } = await shared(minimalArgs);
    const [administer, use] = policyOf(resources, "shared-kms").Statement;
    expect(administer).toMatchObject({ Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Resource: "*" });
    expect(administer!.Action).toEqual(expect.arrayContaining(["kms:Put*", "kms:ScheduleKeyDeletion", "kms:Describe*"]));
    expect((administer!.Action as string[]).filter((a) => /Encrypt|Decrypt|GenerateDataKey|Grant$|^kms:Create\*$|^kms:\*$/.test(a))).toEqual([]);
    expect(use).toEqual({
      Sid: "AccountUsesThroughServices",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"],
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": ["s3.us-east-1.amazonaws.com", "secretsmanager.us-east-1.amazonaws.com"], "kms:CallerAccount": ACCOUNT_ID } },
    });
  });

  it("with Redis, ElastiCache may use the shared key too; the replica's key serves S3 in its own region only", async () => {
    const { resources } = await shared(fullArgs());
    expect(policyOf(resources, "shared-kms").Statement[1]!.Condition.StringEquals["kms:ViaService"]).toEqual([
      "elasticache.us-east-1.amazonaws.com",
      "s3.us-east-1.amazonaws.com",
      "secretsmanager.us-east-1.amazonaws.com",
    ]);
    expect(policyOf(resources, "shared-replica-kms").Statement[1]!.Condition.StringEquals["kms:ViaService"]).toEqual(["s3.us-west-2.amazonaws.com"]);
  });
});

describe("cross-region replication", () => {
  it("waits for versioning on both buckets (and the role's policy) before the rule exists", async () => {
    const { resources } = await shared(fullArgs());
    findResource(resources, T.replication, "shared-weights-replication");
    expect(dependenciesOf(T.replication, "shared-weights-replication")).toEqual(
      expect.arrayContaining(["shared-weights-versioning", "shared-weights-replica-versioning", "shared-replication"]),
    );
    expect(the(resources, T.versioning, "shared-weights-replica-versioning").versioningConfiguration).toEqual({ status: "Enabled" });
  });

  it("replicates the weights prefix SSE-KMS objects into the replica's own key, never deletes", async () => {
    const { resources } = await shared(fullArgs());
    const config = the(resources, T.replication, "shared-weights-replication");
    expect(config.role).toBe(`arn:aws:iam::${ACCOUNT_ID}:role/shared-replication`);
    expect(config.rules).toEqual([
      {
        id: "weights",
        status: "Enabled",
        priority: 1,
        filter: { prefix: "models/" },
        deleteMarkerReplication: { status: "Disabled" },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
        destination: {
          bucket: "arn:aws:s3:::switchyard-weights-usw2",
          storageClass: "STANDARD",
          encryptionConfiguration: { replicaKmsKeyId: expect.stringMatching(/^arn:aws:kms:us-west-2:/) },
        },
      },
    ]);
    expect(findResource(resources, T.replication, "shared-weights-replication").retainOnDelete).toBe(true);
  });

  it("the replica bucket passes the same checks: versioning, SSE-KMS + bucket key, four blocks, owner-enforced, TLS-only, retained", async () => {
    const { resources } = await shared(fullArgs());
    expect(the(resources, T.sse, "shared-weights-replica-encryption").rules[0]).toMatchObject({ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true });
    expect(the(resources, T.publicAccess, "shared-weights-replica-public-access")).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    expect(the(resources, T.ownership, "shared-weights-replica-ownership").rule.objectOwnership).toBe("BucketOwnerEnforced");
    expect(the(resources, T.policy, "shared-weights-replica-policy").policy).toContain("aws:SecureTransport");
    expect(the(resources, T.bucket, "shared-weights-replica").region).toBe("us-west-2");
    for (const id of hardened("shared-weights-replica")) {
      const [type, name] = id.split(" ");
      expect(findResource(resources, type!, name!).retainOnDelete, id).toBe(true);
    }
  });

  it("the role is trusted by S3 only and can do nothing but replicate between these two buckets", async () => {
    const { resources } = await shared(fullArgs());
    const trust = JSON.parse(the(resources, T.role, "shared-replication").assumeRolePolicy);
    expect(trust.Statement).toEqual([{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    const policy = JSON.parse(the(resources, T.rolePolicy, "shared-replication").policy);
    const resourcesNamed = policy.Statement.map((s: { Resource: string }) => s.Resource);
    expect(resourcesNamed).toEqual([
      "arn:aws:s3:::switchyard-weights",
      "arn:aws:s3:::switchyard-weights/*",
      "arn:aws:s3:::switchyard-weights-usw2/*",
      expect.stringMatching(/^arn:aws:kms:us-east-1:/),
      expect.stringMatching(/^arn:aws:kms:us-west-2:/),
    ]);
    for (const s of policy.Statement) {
      for (const action of s.Action as string[]) expect(action).not.toMatch(/\*/);
    }
  });
});

describe("provider API keys in Secrets Manager", () => {
  it("one secret per key, encrypted with the shared key, value marked secret, retained, with a recovery window", async () => {
    const { resources } = await shared(fullArgs());
    const secret = findResource(resources, T.secret, "shared-provider-key-openai");
    expect(secret.inputs).toMatchObject({ name: "switchyard/shared/provider-keys/openai", kmsKeyId: expect.stringMatching(/^arn:aws:kms:/), recoveryWindowInDays: 30 });
    expect(secret.retainOnDelete).toBe(true);
    const version = findResource(resources, T.secretVersion, "shared-provider-key-openai-version");
    expect(version.inputs["secretString"]).toBe("sk-openai-test");
    expect(version.secretPaths).toContain("secretString");
  });

  it("a key that arrives as a non-secret Output is still stored and registered as secret", async () => {
    const { resources } = await shared({ ...fullArgs(), providerApiKeys: { openai: pulumi.output("sk-from-an-unmarked-output") }, redis: { ...fullArgs().redis!, authToken: pulumi.output("unmarkedRedisToken0123456") } });
    const version = findResource(resources, T.secretVersion, "shared-provider-key-openai-version");
    expect(version.inputs["secretString"]).toBe("sk-from-an-unmarked-output");
    expect(version.secretPaths).toContain("secretString");
    expect(findResource(resources, T.redis, "shared-redis").secretPaths).toContain("authToken");
    expect(findResource(resources, T.secretVersion, "shared-redis-auth-version").secretPaths).toContain("secretString");
  });

  it("a plain-string key is refused before anything is registered", async () => {
    const { error, resources } = await synthesizeFailure(() => new SharedServices("shared", { ...minimalArgs, providerApiKeys: { openai: "sk-plain" } }));
    expect(error.message).toMatch(/providerApiKeys\["openai"\] must be a Pulumi secret/);
    expect(error.message).not.toContain("sk-plain");
    expect(resources).toEqual([]);
  });
});

describe("read-only identities for the other clouds", () => {
  it("web-identity: one role per cloud, trusting exactly one OIDC provider with StringEquals on aud and exact sub", async () => {
    const { resources } = await shared(fullArgs());
    const host = COREWEAVE_ISSUER.replace("https://", "");
    expect(the(resources, T.oidc, "shared-reader-coreweave-oidc")).toMatchObject({ url: COREWEAVE_ISSUER, clientIdLists: ["sts.amazonaws.com"] });
    const trust = JSON.parse(the(resources, T.role, "shared-reader-coreweave").assumeRolePolicy);
    expect(trust.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${host}` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${host}:aud`]: "sts.amazonaws.com", [`${host}:sub`]: ["system:serviceaccount:inference:default"] } },
      },
    ]);
    // An existing provider (the EKS cluster's) is reused, not created again.
    expect(resources.some((r) => r.name === "shared-reader-eks-usw2-oidc")).toBe(false);
    expect(JSON.parse(the(resources, T.role, "shared-reader-eks-usw2").assumeRolePolicy).Statement[0].Principal.Federated).toMatch(/oidc-provider\/oidc\.eks\.us-west-2/);
  });

  it.each([
    [T.rolePolicy, "shared-reader-coreweave"],
    [T.userPolicy, "shared-reader-lambda"],
  ])("%s %s: get and list under the weights prefix, decrypt via S3 only; no writes, no wildcards", async (type, name) => {
    const { resources } = await shared(fullArgs());
    const policy = JSON.parse(the(resources, type, name).policy);
    expect(policy.Statement).toEqual([
      { Sid: "ReadWeights", Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::switchyard-weights/models/*" },
      { Sid: "ListWeights", Effect: "Allow", Action: ["s3:ListBucket"], Resource: "arn:aws:s3:::switchyard-weights", Condition: { StringLike: { "s3:prefix": ["models/*"] } } },
      {
        Sid: "DecryptWeightsThroughS3",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: expect.stringMatching(/^arn:aws:kms:us-east-1:/),
        Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
      },
    ]);
  });

  it("access keys exist only for access-key readers, and their secret lands only in Secrets Manager, marked secret", async () => {
    const { resources, component } = await shared(fullArgs());
    expect(resources.filter((r) => r.type === T.accessKey).map((r) => r.name)).toEqual(["shared-reader-lambda-key-a", "shared-reader-lambda-key-b"]);
    const version = findResource(resources, T.secretVersion, "shared-reader-lambda-key-version");
    expect(JSON.parse(version.inputs["secretString"] as string)).toEqual({ accessKeyId: expect.stringMatching(/^AKIA[0-9A-F]{16}$/), secretAccessKey: "mock-provider-generated-secret" });
    expect(version.secretPaths).toContain("secretString");
    for (const slot of ["a", "b"]) expect(findResource(resources, T.accessKey, `shared-reader-lambda-key-${slot}`).additionalSecretOutputs).toContain("secret");
    expect(await valueOf(component.readerAccessKeySecretArns["lambda"]!)).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:switchyard\/shared\/readers\/lambda-/);
    expect(Object.keys(component.readerRoleArns).sort()).toEqual(["coreweave", "eks-usw2"]);
  });

  describe("access keys rotate on a schedule: two slots, one replaced per period, the secret on the newer", () => {
    afterEach(() => vi.useRealTimers());
    // 2026-12-05 is day 20,792 since the epoch: in period 231 of 90 days (from 2026-12-03), so slot b (odd) is current.
    const atDay = (day: number) => vi.useFakeTimers({ toFake: ["Date"], now: day * 86_400_000 });
    const keyIdOf = (slot: string) => mockAccessKeyId(`shared-reader-lambda-key-${slot}`);
    const published = (resources: RecordedResource[]) => JSON.parse(findResource(resources, T.secretVersion, "shared-reader-lambda-key-version").inputs["secretString"] as string).accessKeyId;
    const slots = (resources: RecordedResource[]) =>
      Object.fromEntries(["a", "b"].map((slot) => {
        const key = findResource(resources, T.accessKey, `shared-reader-lambda-key-${slot}`);
        return [slot, { trigger: key.replacementTrigger, deleteBeforeReplace: key.deleteBeforeReplace }];
      }));

    it("accessKeySlots: the previous and the current period, slot by parity; a period starts at midnight UTC every 90 days since the epoch", () => {
      expect(accessKeySlots(new Date("2026-12-05T12:00:00Z"), 90)).toEqual([
        { slot: "a", generation: 230, current: false },
        { slot: "b", generation: 231, current: true },
      ]);
      expect(accessKeySlots(new Date("2027-03-03T00:00:00Z"), 90)[1]).toEqual({ slot: "a", generation: 232, current: true });
      expect(accessKeySlots(new Date("2027-03-02T23:59:59Z"), 90)[1]!.generation).toBe(231);
      expect(accessKeySlots(new Date("2026-12-05T00:00:00Z"), 30).map((s) => s.generation)).toEqual([692, 693]);
    });

    it("on the day a period starts, exactly the older slot's key is replaced (delete first), and the secret moves to it", async () => {
      atDay(20_792);
      const before = (await shared(fullArgs())).resources;
      expect(slots(before)).toEqual({ a: { trigger: 230, deleteBeforeReplace: true }, b: { trigger: 231, deleteBeforeReplace: true } });
      expect(published(before)).toBe(keyIdOf("b"));

      atDay(20_880); // 2027-03-03: period 232 begins
      const after = (await shared(fullArgs())).resources;
      expect(slots(after)).toEqual({ a: { trigger: 232, deleteBeforeReplace: true }, b: { trigger: 231, deleteBeforeReplace: true } });
      expect(published(after)).toBe(keyIdOf("a"));
      // The key the other cloud still holds (slot b) is untouched until period 233.
      expect(the(after, T.accessKey, "shared-reader-lambda-key-b")).toEqual(the(before, T.accessKey, "shared-reader-lambda-key-b"));
    });

    it("keyRotationDays sets the period, and says it in the secret's description", async () => {
      atDay(20_792);
      const { resources } = await shared({ ...fullArgs(), readers: [{ name: "lambda", provider: "lambda", identity: "access-key", keyRotationDays: 30 }] });
      expect(slots(resources)).toEqual({ a: { trigger: 692, deleteBeforeReplace: true }, b: { trigger: 693, deleteBeforeReplace: true } });
      expect(published(resources)).toBe(keyIdOf("b"));
      expect(the(resources, T.secret, "shared-reader-lambda-key").description).toMatch(/every 30 days, the previous key stays valid one more period/);
    });

    it.each<[string, Partial<WeightReaderArgs>, RegExp]>([
      ["zero days", { keyRotationDays: 0 }, /readers\[0\]\.keyRotationDays \(0\) must be a whole number of days from 1 to 365/],
      ["a fraction", { keyRotationDays: 1.5 }, /readers\[0\]\.keyRotationDays \(1\.5\) must be a whole number of days from 1 to 365/],
      ["over a year", { keyRotationDays: 400 }, /readers\[0\]\.keyRotationDays \(400\) must be a whole number/],
      ["a web identity", { identity: "web-identity", webIdentity: { issuerUrl: "https://oidc.example.com/id/ABC", subjects: ["system:serviceaccount:inference:vllm"] }, keyRotationDays: 30 }, /readers\[0\]\.keyRotationDays \(30\) only applies when identity is "access-key"/],
    ])("refuses %s before registering anything", async (_label, patch, message) => {
      const reader: WeightReaderArgs = { name: "lambda", provider: "lambda", identity: "access-key", ...patch };
      const { error, resources } = await synthesizeFailure(() => new SharedServices("shared", { ...minimalArgs, readers: [reader] }));
      expect(error.message).toMatch(message);
      expect(resources).toEqual([]);
    });
  });

  it("no reader without web identity on clouds that can federate", async () => {
    const { error, resources } = await synthesizeFailure(() => new SharedServices("shared", { ...minimalArgs, readers: [{ name: "eks", provider: "aws", identity: "access-key" }] }));
    expect(error.message).toMatch(/readers\[0\]\.identity \("access-key"\) is not allowed for aws/);
    expect(resources).toEqual([]);
  });
});

describe("gateway Redis", () => {
  const withToken = () => fullArgs({ openai: "sk-openai-test", anthropic: "sk-ant-test", redis: "redisToken0123456789abcdef" });

  it("TLS in transit required, encrypted at rest with the shared key, an AUTH token marked secret, multi-AZ failover", async () => {
    const { resources } = await shared(withToken());
    const redis = findResource(resources, T.redis, "shared-redis");
    expect(redis.inputs).toMatchObject({
      engine: "redis",
      engineVersion: "7.1",
      nodeType: "cache.t4g.small",
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      atRestEncryptionEnabled: true,
      kmsKeyId: expect.stringMatching(/^arn:aws:kms:/),
      port: 6379,
    });
    expect(redis.inputs["authToken"]).toBe("redisToken0123456789abcdef");
    expect(redis.secretPaths).toContain("authToken");
  });

  it("admits only the gateway's security group on 6379", async () => {
    const { resources } = await shared(fullArgs());
    const rules = resources.filter((r) => r.type === T.ingress);
    expect(rules.map((r) => r.inputs)).toEqual([expect.objectContaining({ referencedSecurityGroupId: "sg-gateway", ipProtocol: "tcp", fromPort: 6379, toPort: 6379 })]);
    expect(the(resources, T.securityGroup, "shared-redis").ingress).toBeUndefined();
  });

  it("the token is also kept in Secrets Manager for the gateway, and the endpoint is a flat output", async () => {
    const { resources, component } = await shared(withToken());
    expect(resources.some((r) => r.type === T.password)).toBe(false);
    const version = findResource(resources, T.secretVersion, "shared-redis-auth-version");
    expect(version.inputs["secretString"]).toBe("redisToken0123456789abcdef");
    expect(version.secretPaths).toContain("secretString");
    expect(await valueOf(component.redisEndpoint)).toBe("master.shared-redis.abc123.use1.cache.amazonaws.com");
    expect(await valueOf(component.redisPort)).toBe(6379);
    expect(await valueOf(component.redisAuthTokenSecretArn)).toMatch(/secret:switchyard\/shared\/redis-auth-token-/);
  });
});

describe("audit-log bucket", () => {
  it("Object Lock is enabled at creation with a default retention, after versioning, retained", async () => {
    const { resources } = await shared({ ...minimalArgs, auditLog: { retentionDays: 400, mode: "COMPLIANCE" } });
    expect(the(resources, T.bucket, "shared-audit").objectLockEnabled).toBe(true);
    const lock = findResource(resources, T.objectLock, "shared-audit-lock");
    expect(lock.inputs).toMatchObject({ objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: "COMPLIANCE", days: 400 } } });
    expect(lock.retainOnDelete).toBe(true);
    expect(dependenciesOf(T.objectLock, "shared-audit-lock")).toContain("shared-audit-versioning");
    expect(the(resources, T.versioning, "shared-audit-versioning").versioningConfiguration.status).toBe("Enabled");
    expect(findResource(resources, T.bucket, "shared-audit").retainOnDelete).toBe(true);
    // The weights bucket has no Object Lock (weights are replaced by new revisions, not kept forever).
    expect(the(resources, T.bucket, "shared-weights").objectLockEnabled).toBeUndefined();
  });
});

describe("AWS Budgets", () => {
  it("a monthly cost budget with actual and forecast alert thresholds to the given addresses", async () => {
    const { resources, component } = await shared(minimalArgs);
    expect(the(resources, T.budget, "shared-budget")).toMatchObject({
      budgetType: "COST",
      limitAmount: "1000.00",
      limitUnit: "USD",
      timeUnit: "MONTHLY",
      notifications: [50, 80, 100].map((threshold) => ({ comparisonOperator: "GREATER_THAN", threshold, thresholdType: "PERCENTAGE", notificationType: "ACTUAL", subscriberEmailAddresses: ["platform@example.com"] })).concat([
        { comparisonOperator: "GREATER_THAN", threshold: 100, thresholdType: "PERCENTAGE", notificationType: "FORECASTED", subscriberEmailAddresses: ["platform@example.com"] },
      ]),
    });
    expect(await valueOf(component.budgetName)).toBe("switchyard-shared-monthly");
  });
});

describe("outputs are flat scalars", () => {
  it("every registered output is a string, a number, undefined, or a map of strings", async () => {
    const { resources } = await shared(fullArgs());
    const outputs = findResource(resources, COMPONENT, "shared").outputs!;
    for (const [key, value] of Object.entries(outputs)) {
      const flat = value === undefined || typeof value === "string" || typeof value === "number" || Object.values(value as object).every((v) => typeof v === "string");
      expect(flat, key).toBe(true);
    }
    expect(outputs).toMatchObject({ weightsBucketName: "switchyard-weights", weightsBucketArn: "arn:aws:s3:::switchyard-weights", weightsPrefix: "models/", replicaBucketName: "switchyard-weights-usw2", auditLogBucketName: "switchyard-audit" });
  });
});

describe("secret sentinel scan across SharedServices and ModelWeightCache", () => {
  const SENTINELS = {
    openai: "sentinel-openai-6b1f0c2e9d7a4b3c",
    anthropic: "sentinel-anthropic-0d9e8f7a6b5c4d3e",
    redis: "sentinelRedisToken5a4b3c2d1e0f9a8b",
  };
  const MOCK_ACCESS_KEY_SECRET = "mock-provider-generated-secret";
  /** The only places a credential may appear: Secrets Manager values and the API field that requires it. */
  const ALLOWED = new Set([`${T.secretVersion} secretString`, `${T.redis} authToken`]);

  async function both() {
    return synthesize(() => {
      withAwsAttributes();
      const services = new SharedServices("shared", fullArgs(SENTINELS));
      const weights = new ModelWeightCache("llama-70b", replicateArgs);
      return { services, weights };
    });
  }

  it("random keys and tokens appear only inside secret values, each marked secret", async () => {
    const { resources } = await both();
    for (const sentinel of [...Object.values(SENTINELS), MOCK_ACCESS_KEY_SECRET]) {
      const hits = resources.flatMap((r) =>
        stringLeaves(r.inputs)
          .filter((l) => l.value.includes(sentinel))
          .map((l) => ({ r, path: l.path })),
      );
      expect(hits.length, sentinel).toBeGreaterThan(0);
      for (const { r, path } of hits) {
        expect(ALLOWED.has(`${r.type} ${path}`), `${sentinel} found in ${r.type} ${r.name} ${path}`).toBe(true);
        expect(r.secretPaths.some((p) => path === p || path.startsWith(`${p}.`)), `${r.type} ${r.name} ${path} must be secret`).toBe(true);
      }
    }
  });

  it("never in ConfigMaps, env values, args, labels, annotations, tags, names or plain outputs", async () => {
    const { resources, result } = await both();
    const sentinels = [...Object.values(SENTINELS), MOCK_ACCESS_KEY_SECRET];
    const kube = resources.filter((r) => r.type.startsWith("kubernetes:"));
    expect(kube.map((r) => r.type).sort()).toEqual(["kubernetes:batch/v1:Job", "kubernetes:core/v1:ConfigMap", "kubernetes:networking.k8s.io/v1:NetworkPolicy"]);
    for (const r of resources) {
      const text = JSON.stringify({ inputs: r.type === T.secretVersion || r.type === T.redis ? {} : r.inputs, outputs: r.outputs });
      for (const s of sentinels) expect(text.includes(s), `${s} in ${r.type} ${r.name}`).toBe(false);
    }
    for (const component of [result.services, result.weights]) {
      const outputs = findResource(resources, component === result.services ? COMPONENT : "switchyard:index:ModelWeightCache", component === result.services ? "shared" : "llama-70b").outputs;
      for (const s of sentinels) expect(JSON.stringify(outputs)).not.toContain(s);
    }
    // The flat outputs hold ARNs of the secrets, never the values.
    expect(await valueOf(result.services.providerApiKeySecretArns["openai"]!)).toMatch(/^arn:aws:secretsmanager:/);
    expect(await pulumi.isSecret(result.services.providerApiKeySecretArns["openai"]!)).toBe(false);
  });
});

describe("SharedServices rejects invalid arguments before registering anything", () => {
  it("lists every problem in one error", async () => {
    const { error, resources } = await synthesizeFailure(() =>
      new SharedServices("Shared_Services", { region: "mars-1", budget: { monthlyLimitUsd: -1, alertEmails: ["not-an-email"] } }),
    );
    expect(error.message).toMatch(/^SharedServices "Shared_Services" has 4 invalid arguments:/);
    expect(resources).toEqual([]);
  });
});
