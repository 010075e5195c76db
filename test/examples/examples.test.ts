/**
 * The examples, synthesized end to end from their own Pulumi.dev.yaml (credentials replaced by placeholders
 * marked secret), as `switchyard render` does: what each one deploys and how its gateway routes.
 */
import { join } from "node:path";
import { REPO_ROOT, renderExample } from "@switchyard/cli/src/render-stacks";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

interface Deployment {
  model_name: string;
  litellm_params: { model: string; order?: number; weight?: number };
  model_info: { id: string };
}

async function example(name: string) {
  const rendered = await renderExample(join(REPO_ROOT, "examples", name));
  const file = (prefix: string) => rendered.files.filter((f) => f.path.startsWith(prefix)).map((f) => f.path);
  const litellmFile = rendered.files.find((f) => f.path.startsWith("litellm/"));
  const litellm = parse(litellmFile!.content) as { model_list: Deployment[]; router_settings: { fallbacks?: unknown[] } };
  return { rendered, file, litellm };
}

describe("examples/single-cluster", () => {
  it("deploys one EKS GPU node group, one vLLM server and the gateway, with a hosted fallback", async () => {
    const { file, litellm } = await example("single-cluster");
    // AL2023 on the g6e's instance-store NVMe: a launch template RAIDs it under the kubelet.
    expect(file("aws/")).toEqual(["aws/ec2.LaunchTemplate-l40s-launch-template.json", "aws/eks.NodeGroup-l40s-nodegroup.json"]);
    expect(file("kubernetes/").filter((p) => p.includes("Deployment"))).toEqual(["kubernetes/Deployment-gateway-proxy.yaml", "kubernetes/Deployment-llama-8b-vllm.yaml"]);
    expect(litellm.model_list.map((d) => [d.model_info.id, d.litellm_params.model])).toEqual([
      ["llama-8b", "hosted_vllm/llama-8b"],
      [expect.stringContaining("gpt-4o-mini"), "openai/gpt-4o-mini"],
    ]);
    expect(JSON.stringify(litellm.router_settings.fallbacks)).toContain("gpt-4o-mini");
  });
});

describe("examples/burst-overflow", () => {
  it("puts the reserved CoreWeave backend in order 1 and AWS on-demand burst in order 3", async () => {
    const { file, litellm } = await example("burst-overflow");
    expect(file("kubernetes/").filter((p) => p.includes("NodePool"))).toEqual(["kubernetes/NodePool-h100-reserved-nodepool.yaml"]);
    expect(file("aws/")).toEqual(["aws/ec2.LaunchTemplate-p5-burst-launch-template.json", "aws/eks.NodeGroup-p5-burst-nodegroup.json"]);
    const order = Object.fromEntries(litellm.model_list.map((d) => [d.model_info.id, d.litellm_params.order]));
    expect(order).toEqual({ "coreweave-llama-70b": 1, "aws-llama-70b": 3 });
    expect(file("kubernetes/").filter((p) => p.includes("ScaledObject"))).toEqual(["kubernetes/ScaledObject-aws-llama-70b-scaler.yaml"]);
  });
});

describe("examples/active-active", () => {
  it("splits CoreWeave and Lambda 60/40 within one tier, with a hosted fallback behind both", async () => {
    const { rendered, litellm } = await example("active-active");
    const weights = Object.fromEntries(litellm.model_list.filter((d) => d.model_name === "llama-70b").map((d) => [d.model_info.id, d.litellm_params.weight]));
    const total = (weights["coreweave-llama-70b"] ?? 0) + (weights["lambda-llama-70b"] ?? 0);
    expect((weights["coreweave-llama-70b"] ?? 0) / total).toBeCloseTo(0.6, 3);
    expect((weights["lambda-llama-70b"] ?? 0) / total).toBeCloseTo(0.4, 3);
    // The Lambda instance is a dynamic-provider resource: its launch request, with the API key and the
    // cloud-init (which carries the join token) written only as the secret marker.
    const instance = JSON.parse(rendered.files.find((f) => f.path === "pulumi-nodejs/dynamic.Resource-lambda-h100-node-0.json")!.content);
    expect(instance.inputs).toMatchObject({ instanceTypeName: "gpu_8x_h100_sxm5", regionName: "us-east-1", apiKey: "[secret]", userData: "[secret]" });
    expect(instance.inputs.__provider).toBeUndefined();
    expect(JSON.stringify(litellm.router_settings.fallbacks)).toContain("gpt-4o-mini");
  });
});
