/**
 * The security gate (scripts/security-scan.ts) with the real, pinned scanners: violations planted in a rendered
 * object and in a workflow come out as unwaived findings carrying each scanner's own message, and the policy file's
 * waivers apply only to what they name.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPolicy, installScanners, readPolicy, scan, terraformType, terraformValues } from "../../scripts/security-scan";
import type { Finding, Verdict, Waiver } from "../../scripts/security-scan";

const ROOT = path.resolve(__dirname, "..", "..");

/** A vLLM-like Deployment as VllmServing renders it, but privileged and with a misspelt field: what no waiver may cover. */
const PRIVILEGED_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: planted
  namespace: inference
  labels:
    app.kubernetes.io/name: vllm-serving
spec:
  replica: 1
  selector:
    matchLabels: { app: planted }
  template:
    metadata:
      labels: { app: planted }
    spec:
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.11.0
          securityContext:
            privileged: true
`;

let work: string;
let verdict: Verdict;

function unwaived(scanner: string, rule: string): Finding[] {
  return verdict.unwaived.filter((f) => f.scanner === scanner && f.rule === rule);
}

describe("security gate on planted violations", () => {
  beforeAll(() => {
    const home = installScanners();
    work = mkdtempSync(path.join(tmpdir(), "switchyard-planted-"));
    mkdirSync(path.join(work, "render", "planted", "kubernetes"), { recursive: true });
    writeFileSync(path.join(work, "render", "planted", "kubernetes", "Deployment-planted.yaml"), PRIVILEGED_DEPLOYMENT);
    // A bucket anyone can read, as a rendered AWS resource of the same stack.
    mkdirSync(path.join(work, "render", "planted", "aws"));
    writeFileSync(path.join(work, "render", "planted", "resources.txt"), "");
    writeFileSync(path.join(work, "render", "planted", "aws", "s3.Bucket-planted.json"), JSON.stringify({ type: "aws:s3/bucket:Bucket", name: "planted", inputs: { acl: "public-read", region: "us-east-1" } }));
    // The repository's workflow with one action back on a movable tag and a pull-request title in a shell script.
    mkdirSync(path.join(work, "workflows"));
    const workflow = readFileSync(path.join(ROOT, ".github", "workflows", "preview.yml"), "utf8")
      .replace(/actions\/download-artifact@[0-9a-f]{40} # v[\d.]+/, "actions/download-artifact@v4")
      .replace('run: git worktree add ../base "$BASE_SHA"', 'run: echo "${{ github.event.pull_request.title }}" && git worktree add ../base "$BASE_SHA"');
    writeFileSync(path.join(work, "workflows", "preview.yml"), workflow);
    verdict = applyPolicy(scan(home, path.join(work, "render"), path.join(work, "workflows")), readPolicy(path.join(ROOT, "security", "scanner-policy.yaml")));
  }, 20 * 60_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("fails a misspelt field against Kubernetes' own schema, with kubeconform's message", () => {
    expect(unwaived("kubeconform", "invalid")).toEqual([
      expect.objectContaining({ target: "vllm-serving:Deployment/planted", message: expect.stringContaining("at '/spec': additional properties 'replica' not allowed") }),
    ]);
  });

  it("fails a privileged container with kube-score's and checkov's own messages", () => {
    expect(unwaived("kube-score", "container-security-context-privileged")).toEqual([
      expect.objectContaining({ target: "vllm-serving:Deployment/planted", where: "planted", message: expect.stringContaining("(vllm)") }),
    ]);
    expect(unwaived("checkov", "CKV_K8S_16")).toEqual([
      expect.objectContaining({ target: "vllm-serving:Deployment/planted", message: expect.stringMatching(/privileged/i) }),
    ]);
  });

  it("fails a world-readable bucket in the rendered AWS resources, with checkov's message", () => {
    expect(unwaived("checkov", "CKV_AWS_20")).toEqual([expect.objectContaining({ target: "aws:s3/Bucket/planted", where: "planted", message: expect.stringMatching(/public READ/i) })]);
  });

  it("fails an action pinned to a tag and an expression expanded in a shell script, with zizmor's messages", () => {
    expect(unwaived("zizmor", "unpinned-uses").map((f) => f.message)).toEqual(["High: unpinned action reference (this step)"]);
    const injection = unwaived("zizmor", "template-injection");
    expect(injection.length).toBeGreaterThanOrEqual(1);
    expect(injection[0]).toMatchObject({ target: "workflow:preview.yml", message: expect.stringMatching(/code injection/i) });
  });

  it("still applies the waivers that name the planted object (the vLLM image runs as root)", () => {
    expect(verdict.waived.some((f) => f.scanner === "checkov" && f.rule === "CKV_K8S_23" && f.target === "vllm-serving:Deployment/planted")).toBe(true);
    expect(unwaived("checkov", "CKV_K8S_23")).toEqual([]);
  });
});

describe("rendered AWS resources as the Terraform plan checkov reads", () => {
  it("names Pulumi AWS types as Terraform does, exceptions included", () => {
    expect(terraformType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")).toBe("aws_s3_bucket_server_side_encryption_configuration");
    expect(terraformType("aws:elasticache/replicationGroup:ReplicationGroup")).toBe("aws_elasticache_replication_group");
    expect(terraformType("aws:ec2/securityGroup:SecurityGroup")).toBe("aws_security_group");
    expect(terraformType("aws:iam/openIdConnectProvider:OpenIdConnectProvider")).toBe("aws_iam_openid_connect_provider");
  });

  it("snake-cases fields, makes nested objects blocks, singularises block lists, and keeps tags a map", () => {
    expect(terraformValues({ bucket: "b", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }], tags: { "switchyard-component": "x" }, subnetIds: ["s1"] })).toEqual({
      bucket: "b",
      rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "aws:kms" }], bucket_key_enabled: true }],
      tags: { "switchyard-component": "x" },
      subnet_ids: ["s1"],
    });
  });
});

describe("the waiver policy", () => {
  const finding = (rule: string, target: string): Finding => ({ scanner: "checkov", rule, target, where: "coreweave", message: "m" });
  const waiver = (rule: string, targets: string[]): Waiver => ({ scanner: "checkov", rule, targets, reason: "accepted for a stated reason" });

  it("waives only the named rule for targets its globs match, and reports targets that match nothing as stale", () => {
    const verdict = applyPolicy(
      [finding("CKV_K8S_43", "vllm-serving:Deployment/a"), finding("CKV_K8S_43", "litellm-gateway:Deployment/gateway"), finding("CKV_K8S_16", "vllm-serving:Deployment/a")],
      [waiver("CKV_K8S_43", ["vllm-serving:Deployment/*", "model-weight-cache:Job/*"])],
    );
    expect(verdict.waived.map((f) => `${f.rule} ${f.target}`)).toEqual(["CKV_K8S_43 vllm-serving:Deployment/a"]);
    expect(verdict.unwaived.map((f) => `${f.rule} ${f.target}`)).toEqual(["CKV_K8S_43 litellm-gateway:Deployment/gateway", "CKV_K8S_16 vllm-serving:Deployment/a"]);
    expect(verdict.stale.map((s) => s.target)).toEqual(["model-weight-cache:Job/*"]);
  });

  it("refuses a waiver without a reason, naming the entry", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "switchyard-policy-"));
    try {
      cpSync(path.join(ROOT, "security", "scanner-policy.yaml"), path.join(dir, "ok.yaml"));
      expect(readPolicy(path.join(dir, "ok.yaml")).length).toBeGreaterThan(0);
      writeFileSync(path.join(dir, "bad.yaml"), "waivers:\n  - scanner: checkov\n    rule: CKV_K8S_16\n    targets: ['*']\n    reason: ok\n");
      expect(() => readPolicy(path.join(dir, "bad.yaml"))).toThrow(/waivers\.0\.reason: say why the finding is accepted/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
