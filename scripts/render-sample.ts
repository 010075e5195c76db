/**
 * The main job until the planner and `switchyard render` exist: synthesizes a sample slice of the
 * fleet offline (Pulumi mocks, no cloud credentials) and writes what it would deploy, one YAML file
 * per resource, under out/sample/. The slice: a reserved CoreWeave H100 pool serving Llama 3.1 70B,
 * and an AWS spot L40S pool (Karpenter) serving Llama 3.1 8B, each behind VllmServing.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GpuNodePool, VllmServing } from "@switchyard/components";
import { stringify } from "yaml";
import { synthesize } from "../test/harness/mocks";

const outDir = join(__dirname, "..", "out", "sample");
const gateway = { namespace: "gateway", podLabels: { "app.kubernetes.io/name": "litellm" } };
const image = "vllm/vllm-openai:v0.11.0";

async function main(): Promise<void> {
  const { resources, result } = await synthesize(() => {
    const coreweave = new GpuNodePool("cw-h100", {
      provider: "coreweave",
      region: "US-EAST-04A",
      instanceType: "gd-8xh100ib-i128",
      capacityType: "reserved",
      minNodes: 1,
      maxNodes: 2,
      coreweave: {},
    });
    const llama70b = new VllmServing("llama-70b", {
      placement: coreweave.placement,
      namespace: "inference",
      image,
      model: { id: "meta-llama/Llama-3.1-70B-Instruct", revision: "1605565b47bb9346c5515c34102e054115b4f98b", servedModelName: "llama-70b", parameterCountBillions: 70, dtype: "bf16" },
      tensorParallelSize: 4,
      maxModelLen: 16384,
      minReplicas: 1,
      maxReplicas: 4,
      autoscaling: { mode: "keda", prometheusServerUrl: "http://prometheus-operated.monitoring:9090" },
      gateway,
      ingress: { host: "llama-70b.cw.example.com", className: "nginx", tlsSecretName: "llama-70b-tls", controllerNamespace: "ingress-nginx" },
      backend: { modelName: "llama-70b", tokensPerSecond: 2400, expectedLatencyMs: 350 },
    });
    const aws = new GpuNodePool("aws-l40s", {
      provider: "aws",
      region: "us-east-1",
      instanceType: "g6e.12xlarge",
      capacityType: "on-demand",
      maxNodes: 4,
      aws: { clusterName: "inference", karpenter: { nodeRoleName: "KarpenterNodeRole-inference", discoveryTagValue: "inference", amiAlias: "al2023@v20250920" } },
    });
    const llama8b = new VllmServing("llama-8b", {
      placement: aws.placement,
      namespace: "inference",
      image,
      model: { id: "meta-llama/Llama-3.1-8B-Instruct", revision: "0e9e39f249a16976918f6564b8830bc894c89659", servedModelName: "llama-8b", parameterCountBillions: 8, dtype: "bf16" },
      minReplicas: 1,
      maxReplicas: 4,
      autoscaling: { mode: "keda", prometheusServerUrl: "http://prometheus-operated.monitoring:9090" },
      gateway,
      backend: { tokensPerSecond: 1800, expectedLatencyMs: 200 },
    });
    return { backends: [llama70b.backend, llama8b.backend] };
  });

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  // Registration order depends on promise timing; sort so the listing is stable.
  const custom = resources
    .filter((r) => r.custom)
    .sort((a, b) => (a.parentName ?? "").localeCompare(b.parentName ?? "") || a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
  for (const resource of custom) {
    const file = `${resource.type.replace(/[^A-Za-z0-9.]+/g, "_")}--${resource.name}.yaml`;
    // Secret values are redacted: the sample shows where secrets go, never what they are.
    const body = resource.secretPaths.length > 0 ? redact(resource.inputs, resource.secretPaths) : resource.inputs;
    writeFileSync(join(outDir, file), stringify({ type: resource.type, name: resource.name, inputs: body }, { sortMapEntries: true }));
  }

  console.log(`Rendered ${custom.length} resources into ${outDir}\n`);
  printTable(["type", "name", "parent"], custom.map((r) => [r.type, r.name, r.parentName ?? ""]));
  console.log("\nBackends the gateway would route to:\n");
  printTable(
    ["backend", "provider", "capacity", "model", "base URL", "$/hour"],
    result.backends.map((b) => [b.name, b.provider, b.capacityType, b.modelName, b.baseUrl, b.costPerHour.toFixed(2)]),
  );
}

function redact(inputs: Record<string, unknown>, secretPaths: string[]): Record<string, unknown> {
  const copy = structuredClone(inputs);
  for (const path of secretPaths) {
    const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== "");
    let node: Record<string, unknown> = copy;
    for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
    node[keys[keys.length - 1]!] = "[secret]";
  }
  return copy;
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(row));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
