/**
 * Each tier of a model scales on its own queue (issue 12, "tiers of one model scale in lockstep"). The CoreWeave
 * stack is synthesized from its committed config; for every vLLM Deployment it renders, a stand-in exports
 * `vllm:num_requests_waiting` labelled as vLLM labels it — `model_name` is the first `--served-model-name`
 * (vllm/config/model.py `get_served_model_name`: "the first model_name in served_model_name is taken"), read here
 * from the Deployment's own args. A real Prometheus (Debian's, via scripts/prometheus.sh) scrapes them, and the
 * exact query each rendered ScaledObject carries is evaluated against it: each must see its own Deployment's queue,
 * and no other tier's or model's.
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RecordedResource } from "@switchyard/synth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, synthesizeEnvironment } from "../environments/fixtures";

interface Exporter {
  deployment: string;
  metricsName: string;
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

/** One vLLM replica's /metrics as vLLM's Prometheus logger writes the queue gauge. */
async function startExporter(deployment: string, metricsName: string, waiting: number): Promise<Exporter> {
  const exporter = { deployment, metricsName, waiting } as Exporter;
  exporter.server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(`# HELP vllm:num_requests_waiting Number of requests waiting to be processed.\n# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting{engine="0",model_name="${exporter.metricsName}"} ${exporter.waiting}\n`);
  });
  await new Promise<void>((done) => exporter.server.listen(0, "127.0.0.1", done));
  exporter.port = (exporter.server.address() as AddressInfo).port;
  return exporter;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((done) => s.listen(0, "127.0.0.1", done));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((done) => s.close(() => done()));
  return port;
}

async function instant(prometheus: string, query: string): Promise<number | undefined> {
  const r = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await r.json()) as { status: string; data: { result: { value: [number, string] }[] } };
  if (body.status !== "success") throw new Error(`Prometheus refused ${query}: ${JSON.stringify(body)}`);
  const sample = body.data.result[0];
  return sample === undefined ? undefined : Number(sample.value[1]);
}

describe("per-tier scaling signals, evaluated by a real Prometheus", () => {
  let prometheus: ChildProcess | undefined;
  let url = "";
  const exporters: Exporter[] = [];
  let scalers: { name: string; deployment: string; query: string }[] = [];

  beforeAll(async () => {
    const installed = spawnSync("bash", [join(REPO_ROOT, "scripts/prometheus.sh")], { encoding: "utf8", timeout: 10 * 60_000 });
    if (installed.status !== 0) throw new Error(`scripts/prometheus.sh could not provide prometheus:\n${installed.stderr}`);
    const bin = installed.stdout.trim().split("\n").pop()!;

    const { resources } = await synthesizeEnvironment("coreweave");
    const deployments = resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment" && r.parentType === "switchyard:index:VllmServing");
    scalers = resources
      .filter((r) => r.type === "kubernetes:keda.sh/v1alpha1:ScaledObject")
      .map((r) => {
        const spec = r.inputs["spec"] as { scaleTargetRef: { name: string }; triggers: { name: string; metadata: { query: string } }[] };
        return { name: r.name, deployment: spec.scaleTargetRef.name, query: spec.triggers.find((t) => t.name === "queue-depth")!.metadata.query };
      });
    // A distinct queue per Deployment (and two replicas for the first), so a query that reads another's shows up.
    for (const [i, d] of deployments.entries()) {
      const name = String((d.inputs["metadata"] as { name: string }).name);
      const replicas = i === 0 ? 2 : 1;
      for (let r = 0; r < replicas; r++) exporters.push(await startExporter(name, servedNames(d)[0]!, 10 + i));
    }

    const dir = mkdtempSync(join(tmpdir(), "switchyard-prometheus-"));
    const config = join(dir, "prometheus.yml");
    writeFileSync(
      config,
      ["global:", "  scrape_interval: 1s", "scrape_configs:", "  - job_name: vllm", "    static_configs:", "      - targets:", ...exporters.map((e) => `          - 127.0.0.1:${e.port}`), ""].join("\n"),
    );
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    prometheus = spawn(bin, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: "ignore" });
    // Ready, and every target scraped at least once.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const up = await instant(url, "count(up == 1)").catch(() => undefined);
      if (up === exporters.length) break;
      if (Date.now() > deadline) throw new Error(`Prometheus did not scrape the ${exporters.length} exporters within 60 s (${up ?? "not ready"})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 12 * 60_000);

  afterAll(async () => {
    prometheus?.kill("SIGTERM");
    await Promise.all(exporters.map((e) => new Promise<void>((done) => e.server.close(() => done()))));
  });

  it("renders a ScaledObject for every autoscaled tier, each targeting its own Deployment", () => {
    expect(scalers.length).toBeGreaterThanOrEqual(4);
    expect(new Set(scalers.map((s) => s.deployment)).size).toBe(scalers.length);
  });

  it("gives each ScaledObject exactly its own Deployment's waiting requests, summed over its replicas", async () => {
    for (const s of scalers) {
      const own = exporters.filter((e) => e.deployment === s.deployment).reduce((a, e) => a + e.waiting, 0);
      expect(own, `${s.deployment} has no exporter`).toBeGreaterThan(0);
      expect(`${s.name}: ${await instant(url, s.query)}`).toBe(`${s.name}: ${own}`);
    }
  });

  it("stays at 0 for a tier whose model's other tiers are busy", async () => {
    const busy = exporters.find((e) => e.deployment.includes("-reserved"))!;
    const sameModel = scalers.filter((s) => s.deployment !== busy.deployment && s.deployment.startsWith(busy.deployment.replace(/-reserved$/, "")));
    expect(sameModel.length).toBeGreaterThan(0);
    for (const e of exporters) e.waiting = e === busy ? 40 : 0;
    await new Promise((r) => setTimeout(r, 3000)); // three scrapes
    for (const s of sameModel) expect(`${s.name}: ${await instant(url, s.query)}`).toBe(`${s.name}: 0`);
  });
});
