/**
 * The harness's mock provider echoes inputs, so computed AWS attributes (`arn`, a bucket's auto name, a cache's
 * endpoint) resolve to undefined and ARN-based policies cannot be checked. `withAwsAttributes` wraps the running
 * mock provider so AWS resources come back with realistic, deterministic ARNs; call it first inside the program
 * given to `synthesize`. It also records each resource's dependencies, which the harness does not.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { MockResourceArgs, Mocks } from "@pulumi/pulumi/runtime/mocks.js";

export const ACCOUNT_ID = "123456789012";

/** The access key id the mocks give an `aws.iam.AccessKey` of this logical name (distinct per name). */
export function mockAccessKeyId(name: string): string {
  return `AKIA${fakeUuid(name).replace(/-/g, "").slice(0, 16).toUpperCase()}`;
}

function fakeUuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function computed(args: MockResourceArgs): Record<string, unknown> {
  const inputs = args.inputs as Record<string, any>;
  const region = (inputs["region"] as string | undefined) ?? "us-east-1";
  switch (args.type) {
    case "aws:s3/bucket:Bucket": {
      const bucket = (inputs["bucket"] as string | undefined) ?? `${args.name}-a1b2c3d`;
      return { id: bucket, bucket, arn: `arn:aws:s3:::${bucket}` };
    }
    case "aws:kms/key:Key": {
      const keyId = fakeUuid(args.name);
      return { id: keyId, keyId, arn: `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${keyId}` };
    }
    case "aws:iam/role:Role":
      return { id: args.name, name: args.name, arn: `arn:aws:iam::${ACCOUNT_ID}:role/${args.name}` };
    case "aws:iam/user:User":
      return { id: args.name, name: args.name, arn: `arn:aws:iam::${ACCOUNT_ID}:user/switchyard/${args.name}` };
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
      return { arn: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${String(inputs["url"]).replace(/^https:\/\//, "")}` };
    case "aws:iam/accessKey:AccessKey":
      return { id: mockAccessKeyId(args.name), secret: "mock-provider-generated-secret" };
    case "aws:secretsmanager/secret:Secret":
      return { id: `${inputs["name"]}`, arn: `arn:aws:secretsmanager:${region}:${ACCOUNT_ID}:secret:${inputs["name"]}-AbCdEf` };
    case "aws:elasticache/subnetGroup:SubnetGroup":
      return { name: args.name };
    case "aws:elasticache/replicationGroup:ReplicationGroup":
      return { primaryEndpointAddress: `master.${args.name}.abc123.use1.cache.amazonaws.com` };
    case "aws:eks/cluster:Cluster": {
      const name = (inputs["name"] as string | undefined) ?? args.name;
      return {
        name,
        arn: `arn:aws:eks:${region}:${ACCOUNT_ID}:cluster/${name}`,
        endpoint: `https://${createHash("sha256").update(name).digest("hex").slice(0, 32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`,
        certificateAuthority: { data: Buffer.from(`ca-of-${name}`).toString("base64") },
      };
    }
    case "aws:ec2/securityGroup:SecurityGroup":
      return { id: `sg-${createHash("sha256").update(args.name).digest("hex").slice(0, 17)}` };
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return { id: `lt-${createHash("sha256").update(args.name).digest("hex").slice(0, 17)}`, latestVersion: 1, defaultVersion: 1 };
    default:
      return {};
  }
}

type RegisterRequest = { getType(): string; getName(): string; getDependenciesList(): string[] };
type RecordingMonitor = { mocks: Mocks; registerResource(req: RegisterRequest, callback: unknown): unknown };

const dependencies = new Map<string, string[]>();

/** Names of the resources `type name` was registered as depending on (explicit `dependsOn` and input dependencies). */
export function dependenciesOf(type: string, name: string): string[] {
  return (dependencies.get(`${type} ${name}`) ?? []).map((urn) => urn.split("::").pop() ?? urn);
}

export function withAwsAttributes(): void {
  const monitor = (pulumi.runtime as unknown as { getMonitor(): RecordingMonitor }).getMonitor();
  const base = monitor.mocks;
  if ((base as { awsAttributes?: boolean }).awsAttributes) return;
  dependencies.clear();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: RegisterRequest, callback: unknown) => {
    dependencies.set(`${req.getType()} ${req.getName()}`, req.getDependenciesList());
    return register(req, callback);
  };
  const wrapped: Mocks & { awsAttributes: boolean } = {
    awsAttributes: true,
    async newResource(args: MockResourceArgs) {
      const result = await base.newResource(args);
      const { id, ...extra } = computed(args);
      return { id: (id as string | undefined) ?? result.id, state: { ...result.state, ...extra } };
    },
    call: (args) => {
      if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/deployer`, userId: "AIDAEXAMPLE", id: ACCOUNT_ID };
      if (args.token === "aws:index/getPartition:getPartition") return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
      return base.call(args);
    },
  };
  monitor.mocks = wrapped;
}
