/**
 * A real Prometheus for the scaling tests: Debian's, provided by scripts/prometheus.sh, scraping the given targets
 * every second on loopback, and its HTTP API's instant queries.
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, sleep } from "../gateway/proxy";
import { REPO_ROOT } from "../environments/fixtures";

export interface RunningPrometheus {
  url: string;
  stop: () => Promise<void>;
}

/** Installs Prometheus if needed (scripts/prometheus.sh) and returns its path; throws with the script's message. */
export function ensurePrometheus(): string {
  const installed = spawnSync("bash", [join(REPO_ROOT, "scripts/prometheus.sh")], { encoding: "utf8", timeout: 10 * 60_000 });
  if (installed.status !== 0) throw new Error(`scripts/prometheus.sh could not provide prometheus:\n${installed.stderr}`);
  return installed.stdout.trim().split("\n").pop()!;
}

/** Starts Prometheus scraping `targets` (host:port, path /metrics) every second; resolves once each was scraped. */
export async function startPrometheus(bin: string, targets: string[]): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), "switchyard-prometheus-"));
  const config = join(dir, "prometheus.yml");
  writeFileSync(config, ["global:", "  scrape_interval: 1s", "scrape_configs:", "  - job_name: scaling-test", "    static_configs:", "      - targets:", ...targets.map((t) => `          - ${t}`), ""].join("\n"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(bin, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: "ignore" });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((done) => child.once("exit", () => done()));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await instant(url, "count(up == 1)").catch(() => undefined);
    if (up === targets.length) return { url, stop };
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`Prometheus did not scrape the ${targets.length} targets within 60 s (${up ?? "not ready"})`);
    }
    await sleep(250);
  }
}

/** The value of an instant query's single sample, or undefined when the result is empty. */
export async function instant(prometheus: string, query: string): Promise<number | undefined> {
  const r = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await r.json()) as { status: string; data: { result: { value: [number, string] }[] } };
  if (body.status !== "success") throw new Error(`Prometheus refused ${query}: ${JSON.stringify(body)}`);
  if (body.data.result.length > 1) throw new Error(`${query} returned ${body.data.result.length} series; a KEDA trigger needs one`);
  const sample = body.data.result[0];
  return sample === undefined ? undefined : Number(sample.value[1]);
}
