import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import {
  budgetNotifications,
  readerPolicy,
  replicationRolePolicy,
  resolveSharedServicesArgs,
  tlsOnlyStatements,
  webIdentityTrustPolicy,
} from "../../src/shared-services";
import type { SharedServicesArgs } from "../../src/shared-services";
import { COREWEAVE_ISSUER, fullArgs, minimalArgs } from "./fixtures";

function problems(args: SharedServicesArgs, name = "shared"): string[] {
  try {
    resolveSharedServicesArgs(name, args);
  } catch (error) {
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    return (error as { errors: { propertyPath: string; reason: string }[] }).errors.map((e) => `${e.propertyPath}: ${e.reason}`);
  }
  throw new Error("expected the arguments to be rejected");
}

const BUCKET = "arn:aws:s3:::switchyard-weights";
const KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555";

describe("policy documents", () => {
  it("a reader gets objects and lists keys under its prefix only, and decrypts only through S3 in the bucket's region", () => {
    expect(readerPolicy(BUCKET, "models/", KEY, "us-east-1").Statement).toEqual([
      { Sid: "ReadWeights", Effect: "Allow", Action: ["s3:GetObject"], Resource: `${BUCKET}/models/*` },
      { Sid: "ListWeights", Effect: "Allow", Action: ["s3:ListBucket"], Resource: BUCKET, Condition: { StringLike: { "s3:prefix": ["models/*"] } } },
      { Sid: "DecryptWeightsThroughS3", Effect: "Allow", Action: ["kms:Decrypt"], Resource: KEY, Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } } },
    ]);
  });

  it("web-identity trust: one federated provider, StringEquals on aud and exact sub", () => {
    const doc = webIdentityTrustPolicy("arn:aws:iam::123456789012:oidc-provider/issuer.example/id/1", "issuer.example/id/1", "sts.amazonaws.com", ["system:serviceaccount:inference:default"]);
    expect(doc.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/issuer.example/id/1" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { "issuer.example/id/1:aud": "sts.amazonaws.com", "issuer.example/id/1:sub": ["system:serviceaccount:inference:default"] } },
      },
    ]);
  });

  it("replication role: replicate/read-version actions on the two buckets, KMS through S3 only", () => {
    const doc = replicationRolePolicy({
      sourceBucketArn: BUCKET,
      destinationBucketArn: "arn:aws:s3:::replica",
      sourceKmsKeyArn: KEY,
      destinationKmsKeyArn: "arn:aws:kms:us-west-2:123456789012:key/x",
      sourceRegion: "us-east-1",
      destinationRegion: "us-west-2",
    });
    const actions = doc.Statement.flatMap((s) => s["Action"] as string[]);
    expect(actions.sort()).toEqual(
      [
        "kms:Decrypt",
        "kms:Encrypt",
        "s3:GetObjectVersionAcl",
        "s3:GetObjectVersionForReplication",
        "s3:GetObjectVersionTagging",
        "s3:GetReplicationConfiguration",
        "s3:ListBucket",
        "s3:ReplicateDelete",
        "s3:ReplicateObject",
        "s3:ReplicateTags",
      ].sort(),
    );
    for (const s of doc.Statement) expect(s["Resource"]).not.toBe("*");
  });

  it("TLS-only statements deny plain HTTP and TLS below 1.2 on the bucket and its objects", () => {
    expect(tlsOnlyStatements(BUCKET)).toEqual([
      { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [BUCKET, `${BUCKET}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
      { Sid: "DenyOutdatedTls", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [BUCKET, `${BUCKET}/*`], Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } },
    ]);
  });
});

describe("resolveSharedServicesArgs", () => {
  it("fills the documented defaults", () => {
    const r = resolveSharedServicesArgs("shared", minimalArgs);
    expect(r.weights).toEqual({ bucketName: undefined, prefix: "models/" });
    expect(r.auditLog).toEqual({ bucketName: undefined, retentionDays: 365, mode: "GOVERNANCE" });
    expect(r.budget).toMatchObject({ actualThresholdsPercent: [50, 80, 100], forecastThresholdsPercent: [100] });
    expect(r.replication).toBeUndefined();
    expect(r.redis).toBeUndefined();
    expect(r.readers).toEqual([]);
  });

  it("budget notifications: one per threshold, actual then forecast, percentages", () => {
    const r = resolveSharedServicesArgs("shared", minimalArgs);
    expect(budgetNotifications(r.budget).map((n) => `${n.notificationType} ${n.threshold}${n.thresholdType === "PERCENTAGE" ? "%" : ""}`)).toEqual(["ACTUAL 50%", "ACTUAL 80%", "ACTUAL 100%", "FORECASTED 100%"]);
  });

  it("resolves readers, provider keys (sorted, secret) and Redis", async () => {
    const r = resolveSharedServicesArgs("shared", fullArgs());
    expect(r.providerApiKeys.map((k) => k.secretName)).toEqual(["switchyard/shared/provider-keys/anthropic", "switchyard/shared/provider-keys/openai"]);
    expect(await pulumi.isSecret(r.providerApiKeys[0]!.value)).toBe(true);
    expect(r.readers[0]).toMatchObject({ name: "coreweave", identity: "web-identity", prefix: "models/", webIdentity: { issuerHost: COREWEAVE_ISSUER.replace("https://", ""), audience: "sts.amazonaws.com" } });
    expect(r.redis).toMatchObject({ nodes: 2, engineVersion: "7.1", authToken: undefined });
  });

  it("refuses plain-string credentials without echoing them", () => {
    const args: SharedServicesArgs = { ...minimalArgs, providerApiKeys: { openai: "sk-plain-leaked-value" }, redis: { ...fullArgs().redis!, authToken: "plain-redis-token-value" } };
    const p = problems(args);
    expect(p).toEqual([
      'providerApiKeys["openai"]: providerApiKeys["openai"] must be a Pulumi secret (config.requireSecret(...) or pulumi.secret(...)), not a plain string (value not shown)',
      "redis.authToken: redis.authToken must be a Pulumi secret (config.requireSecret(...) or pulumi.secret(...)), not a plain string (value not shown); omit it to generate one",
    ]);
    expect(p.join("\n")).not.toContain("sk-plain-leaked-value");
    expect(p.join("\n")).not.toContain("plain-redis-token-value");
  });

  it("refuses static keys where the cloud can federate, and wildcard subjects", () => {
    const p = problems({
      ...minimalArgs,
      readers: [
        { name: "gke", provider: "gcp", identity: "access-key" },
        { name: "cw", provider: "coreweave", identity: "web-identity", webIdentity: { issuerUrl: COREWEAVE_ISSUER, subjects: ["system:serviceaccount:inference:*"] } },
      ],
    });
    expect(p.map((x) => x.split(":")[0])).toEqual(["readers[0].identity", "readers[1].webIdentity.subjects[0]"]);
    expect(p[0]).toContain('use "web-identity"');
  });

  it("checks regions against the catalog's AWS list: a did-you-mean for a typo, the partition for China or GovCloud", () => {
    expect(problems({ ...minimalArgs, region: "eu-west-9" })).toEqual([
      'region: region ("eu-west-9") is not among the AWS regions the catalog lists; did you mean "eu-west-1", "eu-west-2" or "eu-west-3"? ' +
        "If the region is real but not listed yet, add it to @switchyard/catalog (src/regions.ts) with its source",
    ]);
    expect(problems({ ...minimalArgs, replication: { region: "us-gov-west-1" } })).toEqual([
      'replication.region: replication.region ("us-gov-west-1") is not in the commercial AWS partition (aws), the only one the catalog lists; use a commercial region such as "us-east-1".',
    ]);
  });

  it("lists every problem at once: region, replication region, Redis open to the world, budget", () => {
    const p = problems({
      region: "cn-north-1",
      replication: { region: "cn-north-1" },
      redis: { vpcId: "vpc-1", subnetIds: ["subnet-a"], allowedCidrBlocks: ["0.0.0.0/0"], nodeType: "t4g" },
      budget: { monthlyLimitUsd: 0, alertEmails: [] },
    });
    expect(p.map((x) => x.split(":")[0])).toEqual([
      "region",
      "replication.region",
      "redis.subnetIds",
      "redis.allowedCidrBlocks[0]",
      "redis.nodeType",
      "budget.monthlyLimitUsd",
      "budget.alertEmails",
    ]);
  });
});
