/**
 * Each tier of a model scales on its own requests in flight (issue 12, "tiers of one model scale in lockstep"). The
 * CoreWeave stack is synthesized from its committed config; for every vLLM Deployment it renders, a stand-in exports
 * `vllm:num_requests_running` and `vllm:num_requests_waiting` labelled as vLLM labels them — `model_name` is the first `--served-model-name`
 * (vllm/config/model.py `get_served_model_name`: "the first model_name in served_model_name is taken"), read here
 * from the Deployment's own args. A real Prometheus (Debian's, via scripts/prometheus.sh) scrapes them, and the
 * exact query each rendered ScaledObject carries is evaluated against it: each must see its own Deployment's requests,
 * and no other tier's or model's.
 */
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RecordedResource } from "@switchyard/synth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthesizeEnvironment } from "../environments/fixtures";
import { ensurePrometheus, instant, startPrometheus } from "./prometheus";
import type { RunningPrometheus } from "./prometheus";

interface Exporter {
  deployment: string;
  metricsName: string;
  running: number;
  waiting: number;
  server: Server;
  port: number;
}

/** The names a Deployment's vLLM serves, in the order its args give them. */
function servedNames(deployment: RecordedResource): string[] {
  const args = (deployment.inputs as { spec: { template: { spec: { containers: { args: string[] }[] } } } }).spec.template.spec.containers[0]!.args;
  const start = args.indexOf("--served-model-name") + 1;
  const end = args.findIndex((a, i) => i > start && a.startsWith("--"));
  return args.slice(start, end);
}

/** One vLLM replica's /metrics as vLLM's Prometheus logger writes the scheduler gauges. */
async function startExporter(deployment: string, metricsName: string, running: number, waiting: number): Promise<Exporter> {
  const exporter = { deployment, metricsName, running, waiting } as Exporter;
  exporter.server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    const labels = `{engine="0",model_name="${exporter.metricsName}"}`;
    res.end(
      [
        "# HELP vllm:num_requests_running Number of requests in model execution batches.",
        "# TYPE vllm:num_requests_running gauge",
        `vllm:num_requests_running${labels} ${exporter.running}`,
        "# HELP vllm:num_requests_waiting Number of requests waiting to be processed.",
        "# TYPE vllm:num_requests_waiting gauge",
        `vllm:num_requests_waiting${labels} ${exporter.waiting}`,
        "",
      ].join("\n"),
    );
  });
  await new Promise<void>((done) => exporter.server.listen(0, "127.0.0.1", done));
  exporter.port = (exporter.server.address() as AddressInfo).port;
  return exporter;
}

describe("per-tier scaling signals, evaluated by a real Prometheus", () => {
  let prometheus: RunningPrometheus | undefined;
  let url = "";
  const exporters: Exporter[] = [];
  let scalers: { name: string; deployment: string; query: string }[] = [];

  beforeAll(async () => {
    const bin = ensurePrometheus();

    const { resources } = await synthesizeEnvironment("coreweave");
    const deployments = resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment" && r.parentType === "switchyard:index:VllmServing");
    scalers = resources
      .filter((r) => r.type === "kubernetes:keda.sh/v1alpha1:ScaledObject")
      .map((r) => {
        const spec = r.inputs["spec"] as { scaleTargetRef: { name: string }; triggers: { name: string; metadata: { query: string } }[] };
        return { name: r.name, deployment: spec.scaleTargetRef.name, query: spec.triggers.find((t) => t.name === "in-flight")!.metadata.query };
      });
    // Distinct figures per Deployment (and two replicas for the first), so a query that reads another's shows up.
    for (const [i, d] of deployments.entries()) {
      const name = String((d.inputs["metadata"] as { name: string }).name);
      const replicas = i === 0 ? 2 : 1;
      for (let r = 0; r < replicas; r++) exporters.push(await startExporter(name, servedNames(d)[0]!, 100 * (i + 1), 10 + i));
    }

    prometheus = await startPrometheus(bin, exporters.map((e) => `127.0.0.1:${e.port}`));
    url = prometheus.url;
  }, 12 * 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all(exporters.map((e) => new Promise<void>((done) => e.server.close(() => done()))));
  });

  it("renders a ScaledObject for every autoscaled tier, each targeting its own Deployment", () => {
    expect(scalers.length).toBeGreaterThanOrEqual(4);
    expect(new Set(scalers.map((s) => s.deployment)).size).toBe(scalers.length);
  });

  it("gives each ScaledObject exactly its own Deployment's requests in flight, running and waiting, summed over its replicas", async () => {
    for (const s of scalers) {
      const own = exporters.filter((e) => e.deployment === s.deployment).reduce((a, e) => a + e.running + e.waiting, 0);
      expect(own, `${s.deployment} has no exporter`).toBeGreaterThan(0);
      expect(`${s.name}: ${await instant(url, s.query)}`).toBe(`${s.name}: ${own}`);
    }
  });

  it("stays at 0 for a tier whose model's other tiers are busy", async () => {
    const busy = exporters.find((e) => e.deployment.includes("-reserved"))!;
    const sameModel = scalers.filter((s) => s.deployment !== busy.deployment && s.deployment.startsWith(busy.deployment.replace(/-reserved$/, "")));
    expect(sameModel.length).toBeGreaterThan(0);
    for (const e of exporters) {
      e.running = e === busy ? 96 : 0;
      e.waiting = e === busy ? 40 : 0;
    }
    await new Promise((r) => setTimeout(r, 3000)); // three scrapes
    for (const s of sameModel) expect(`${s.name}: ${await instant(url, s.query)}`).toBe(`${s.name}: 0`);
  });
});
