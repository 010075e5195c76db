/** `switchyard render`: every environment and example, twice, byte for byte; secrets never written. */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { renderEnvironmentVariant, renderTargets } from "@switchyard/cli/src/render-stacks";
import { configFromStackFile, secretPlaceholder } from "@switchyard/synth";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, "utf8"));
    }
  };
  walk(dir);
  return out;
}

describe("switchyard render", () => {
  it("is deterministic: two renders of every environment and example are byte-identical", async () => {
    const a = mkdtempSync(join(tmpdir(), "render-a-"));
    const b = mkdtempSync(join(tmpdir(), "render-b-"));
    const rendered = await renderTargets(["all"], a, process.cwd());
    await renderTargets(["all"], b, process.cwd());
    expect(rendered.map((r) => r.target).sort()).toEqual(["aws", "coreweave", "examples/active-active", "examples/burst-overflow", "examples/single-cluster", "gcp", "lambda", "shared"]);
    const [ta, tb] = [tree(a), tree(b)];
    expect(ta.size).toBeGreaterThan(150);
    expect([...ta.keys()].sort()).toEqual([...tb.keys()].sort());
    for (const [path, content] of ta) expect(tb.get(path), path).toBe(content);

    // One file per resource, by kind: manifests as YAML, the LiteLLM config, cloud inputs as JSON.
    expect(ta.has("shared/litellm/gateway-config-config.yaml")).toBe(true);
    expect(ta.has("coreweave/kubernetes/Deployment-coreweave-llama-70b-reserved-vllm.yaml")).toBe(true);
    expect(ta.has("shared/aws/s3.Bucket-shared-weights.json")).toBe(true);
    // The shared stack's gateway was fed from the provider renders' outputs.
    expect(ta.get("shared/litellm/gateway-config-config.yaml")).toContain("api_base: https://coreweave-llama-70b-reserved.cw.inference.example.com/v1");
    // Credentials are placeholders marked secret, and written only as the marker.
    // Generated keys (the mocks derive them from the resource name) never appear either.
    const generated = ["coreweave-llama-70b-reserved-api-key", "gateway-master-key", "redis-auth"].map((n) => createHash("sha256").update(`switchyard-synth:${n}`).digest("hex").slice(0, 24));
    for (const [path, content] of ta) {
      expect(content, path).not.toContain("placeholder-");
      for (const g of generated) expect(content, path).not.toContain(g);
    }
    expect(ta.get("coreweave/providers/kubernetes-cluster.json")).toContain('"kubeconfig": "[secret]"');
    // Values one cloud resource reads from another are placeholders naming their source, not dropped.
    expect(JSON.parse(ta.get("shared/aws/s3.BucketServerSideEncryptionConfiguration-shared-weights-encryption.json")!).inputs.rules[0].applyServerSideEncryptionByDefault).toEqual({
      sseAlgorithm: "aws:kms",
      kmsMasterKeyId: "<aws:kms/Key shared-kms.arn>",
    });
    const weightsPolicy = JSON.parse(JSON.parse(ta.get("shared/aws/s3.BucketPolicy-shared-weights-policy.json")!).inputs.policy as string) as { Statement: { Resource: string[] }[] };
    expect(weightsPolicy.Statement[0]!.Resource).toEqual(["<aws:s3/Bucket shared-weights.arn>", "<aws:s3/Bucket shared-weights.arn>/*"]);
    const gatewayEnv = (parse(ta.get("shared/kubernetes/Deployment-gateway-proxy.yaml")!) as { spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } } }).spec.template.spec.containers[0]!.env;
    expect(gatewayEnv.find((e) => e.name === "REDIS_HOST")?.value).toBe("<aws:elasticache/ReplicationGroup shared-redis.primaryEndpointAddress>");
    // A secret map keeps its key names (schema-valid, reviewable), every value the marker.
    expect(parse(ta.get("shared/kubernetes/Secret-gateway-credentials.yaml")!)).toMatchObject({
      kind: "Secret",
      stringData: { "master-key": "[secret]", "redis-password": "[secret]", "salt-key": "[secret]" },
    });
  });
});

describe("switchyard render on a stack config with encrypted values", () => {
  it("reads `secure:` values (pulumi config set --secret, also with --path) as placeholders marked secret, never asking for plain text", async () => {
    // What `pulumi config set --secret switchyard:kubeconfig …` writes.
    const ciphertext = "v1:Uk9Wm3sGk0L5gHk1:3XxKqf1Y0l7fQ2s9c8b1a0ZyWvU=";
    const rendered = await renderEnvironmentVariant("coreweave", "coreweave", { set: { kubeconfig: { secure: ciphertext } } });
    const files = new Map(rendered.files.map((f) => [f.path, f.content]));
    expect(files.get("providers/kubernetes-cluster.json")).toContain('"kubeconfig": "[secret]"');
    for (const [path, content] of files) {
      expect(content, path).not.toContain(ciphertext);
      expect(content, path).not.toContain("placeholder-");
    }
    // Inside an object (`--secret --path`): the value becomes a placeholder named by its path, the key secret.
    expect(configFromStackFile({ config: { "switchyard:gatewayMetrics": { url: "https://p.example.com", bearerToken: { secure: ciphertext } }, "switchyard:namespace": "inference" } })).toEqual({
      config: { "switchyard:gatewayMetrics": JSON.stringify({ url: "https://p.example.com", bearerToken: secretPlaceholder("gatewayMetrics.bearerToken") }), "switchyard:namespace": "inference" },
      secretConfigKeys: ["switchyard:gatewayMetrics"],
    });
  });
});

describe("render variants (security/render-variants.yaml)", () => {
  it("renders the aws environment creating its EKS cluster: the control plane and its key, and no kubeconfig", async () => {
    const rendered = await renderEnvironmentVariant("aws", "variants/aws-create-cluster", {
      remove: ["clusterName", "nodeRoleArn"],
      set: { createCluster: { name: "inference", version: "1.33", publicAccessCidrs: [] } },
      withoutSecrets: ["kubeconfig"],
    });
    const files = new Map(rendered.files.map((f) => [f.path, f.content]));
    const cluster = JSON.parse(files.get("aws/eks.Cluster-eks.json")!) as { inputs: Record<string, unknown> };
    expect(cluster.inputs).toMatchObject({ name: "inference", version: "1.33", encryptionConfig: { provider: { keyArn: "<aws:kms/Key eks-secrets.arn>" }, resources: ["secrets"] } });
    expect(files.has("aws/kms.Key-eks-secrets.json")).toBe(true);
    for (const [path, content] of files) expect(content, path).not.toContain("placeholder-kubeconfig");
  });
});
