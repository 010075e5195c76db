/**
 * Runs the real LiteLLM proxy for gateway tests and the failover bench: installs the pinned LiteLLM into the
 * project venv (scripts/litellm-venv.sh), starts `litellm --config` on loopback with a rendered config, and
 * sends requests through it.
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { gatewayConfigFiles } from "@switchyard/components/src/litellm-gateway";
import type { LiteLLMConfig } from "@switchyard/components/src/litellm-gateway";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** The first install downloads ~120 packages; later calls return in well under a second. */
const INSTALL_TIMEOUT_MS = 15 * 60_000;
const READY_TIMEOUT_MS = 120_000;

/**
 * The venv's bin directory, installing LiteLLM on first use. Throws with the script's own message (what is
 * missing: python3, venv, PyPI) when it cannot; the script serialises concurrent installs with a lock.
 */
export function ensureLiteLLM(): string {
  const result = spawnSync("bash", [path.join(ROOT, "scripts/litellm-venv.sh")], { encoding: "utf8", timeout: INSTALL_TIMEOUT_MS });
  if (result.status !== 0) {
    const reason = result.error ? String(result.error) : (result.stderr.trim() || `exit status ${result.status}`);
    // The script's own ERROR line first: test reports show an error's first line.
    const summary = reason.split("\n").filter((line) => line.includes("ERROR")).pop() ?? reason.split("\n").pop();
    throw new Error(`scripts/litellm-venv.sh could not provide the LiteLLM proxy the gateway tests need: ${summary}\n${reason}`);
  }
  return result.stdout.trim().split("\n").pop()!;
}

/** A free TCP port on 127.0.0.1 (released before returning, so a small race is possible). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export interface ProxyOptions {
  /** Directory holding the `litellm` executable (from `ensureLiteLLM`). */
  bin: string;
  config: LiteLLMConfig;
  /** Environment the config reads with `os.environ/NAME`: master key, backend keys. */
  env: Record<string, string>;
}

export class LiteLLMProxy {
  private log: string[] = [];
  private constructor(
    readonly url: string,
    private readonly process: ChildProcess,
    private readonly dir: string,
  ) {
    const keep = (chunk: Buffer) => {
      this.log.push(chunk.toString("utf8"));
      if (this.log.length > 400) this.log.splice(0, this.log.length - 400);
    };
    process.stdout?.on("data", keep);
    process.stderr?.on("data", keep);
  }

  /** Starts the proxy on a free loopback port and waits until `/health/readiness` answers 200. */
  static async start(options: ProxyOptions): Promise<LiteLLMProxy> {
    const dir = mkdtempSync(path.join(tmpdir(), "switchyard-litellm-"));
    // The files the ConfigMap carries, as the pod mounts them: config.yaml and the guard module it loads.
    const files = gatewayConfigFiles(options.config);
    for (const [file, content] of Object.entries(files)) writeFileSync(path.join(dir, file), content);
    const configPath = path.join(dir, "config.yaml");
    const port = await freePort();
    const child = spawn(path.join(options.bin, "litellm"), ["--config", configPath, "--host", "127.0.0.1", "--port", String(port), "--num_workers", "1"], {
      cwd: dir,
      // Only what the proxy needs: nothing of the test runner's environment (tokens, cloud credentials) leaks in.
      env: {
        PATH: `${options.bin}:/usr/bin:/bin`,
        HOME: dir,
        LITELLM_MODE: "PRODUCTION",
        LITELLM_LOG: "ERROR",
        LITELLM_LOCAL_MODEL_COST_MAP: "True",
        DISABLE_ADMIN_UI: "True",
        NO_DOCS: "True",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const proxy = new LiteLLMProxy(`http://127.0.0.1:${port}`, child, dir);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`litellm exited with ${child.exitCode} before it was ready:\n${proxy.recentLog()}`);
      try {
        const response = await fetch(`${proxy.url}/health/readiness`, { signal: AbortSignal.timeout(2000) });
        if (response.ok) return proxy;
      } catch {
        // Not listening yet.
      }
      await sleep(250);
    }
    await proxy.stop();
    throw new Error(`litellm was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${proxy.recentLog()}`);
  }

  recentLog(lines = 60): string {
    return this.log.join("").split("\n").slice(-lines).join("\n");
  }

  /** SIGTERM, then SIGKILL after 5 s; removes the config directory. Safe to call twice. */
  async stop(): Promise<void> {
    const child = this.process;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface ChatResult {
  status: number;
  /** `x-litellm-model-id`: the deployment (backend name) that served the request. */
  modelId: string | undefined;
  /** `x-litellm-response-cost` in USD. */
  cost: number | undefined;
  /** Retries and fallbacks LiteLLM needed (`x-litellm-attempted-retries` / `-fallbacks`). */
  retries: number;
  fallbacks: number;
  headers: Headers;
  body: string;
  /** Client-observed latency. */
  ms: number;
  /** Set when the request never got a response (connection error, client timeout). */
  error: string | undefined;
}

export interface ChatOptions {
  model: string;
  /** Bearer key; undefined sends no Authorization header. */
  key: string | undefined;
  /** Extra body fields (e.g. to try client-side credentials). */
  extra?: Record<string, unknown>;
  content?: string;
  timeoutMs?: number;
}

export async function chat(proxy: LiteLLMProxy, options: ChatOptions): Promise<ChatResult> {
  const started = performance.now();
  try {
    const response = await postChat(proxy, options, false);
    const body = await response.text();
    const number = (name: string) => {
      const value = response.headers.get(name);
      return value === null ? undefined : Number(value);
    };
    return {
      status: response.status,
      modelId: response.headers.get("x-litellm-model-id") ?? undefined,
      cost: number("x-litellm-response-cost"),
      retries: number("x-litellm-attempted-retries") ?? 0,
      fallbacks: number("x-litellm-attempted-fallbacks") ?? 0,
      headers: response.headers,
      body,
      ms: performance.now() - started,
      error: undefined,
    };
  } catch (error) {
    return { status: 0, modelId: undefined, cost: undefined, retries: 0, fallbacks: 0, headers: new Headers(), body: "", ms: performance.now() - started, error: String(error) };
  }
}

/** POST /v1/chat/completions with the options' key, model, one user message and extra body fields. */
function postChat(proxy: LiteLLMProxy, options: ChatOptions, stream: boolean): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  return fetch(`${proxy.url}/v1/chat/completions`, {
    method: "POST",
    headers,
    body: JSON.stringify({ model: options.model, ...(stream ? { stream: true } : {}), messages: [{ role: "user", content: options.content ?? "switchyard test" }], ...options.extra }),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
}

export interface LoadOptions {
  ratePerSecond: number;
  durationMs: number;
  /** Called once at each `at` offset (ms from the start), e.g. to kill a backend mid-run. */
  events?: { atMs: number; run: () => void | Promise<void> }[];
}

export interface TimedResult extends ChatResult {
  /** When the request was sent, in ms from the start of the load. */
  sentAtMs: number;
}

/**
 * Open-loop load: sends `ratePerSecond` requests per second for `durationMs` regardless of how fast they
 * complete, fires `events` on schedule, and waits for every request to settle.
 */
export async function runLoad(send: () => Promise<ChatResult>, options: LoadOptions): Promise<TimedResult[]> {
  const results: TimedResult[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  const total = Math.round((options.ratePerSecond * options.durationMs) / 1000);
  const events = [...(options.events ?? [])].sort((a, b) => a.atMs - b.atMs);
  let nextEvent = 0;
  for (let i = 0; i < total; i++) {
    const due = (i * 1000) / options.ratePerSecond;
    while (nextEvent < events.length && events[nextEvent]!.atMs <= due) {
      await waitUntil(start + events[nextEvent]!.atMs);
      await events[nextEvent]!.run();
      nextEvent++;
    }
    await waitUntil(start + due);
    const sentAtMs = performance.now() - start;
    pending.push(send().then((r) => void results.push({ ...r, sentAtMs })));
  }
  for (; nextEvent < events.length; nextEvent++) {
    await waitUntil(start + events[nextEvent]!.atMs);
    await events[nextEvent]!.run();
  }
  await Promise.all(pending);
  return results.sort((a, b) => a.sentAtMs - b.sentAtMs);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(when: number): Promise<void> {
  const delay = when - performance.now();
  if (delay > 0) await sleep(delay);
}

/** The p-th percentile (0–100) of `values`, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** How many results each backend served (by `x-litellm-model-id`), plus `error` for failures. */
export function servedBy(results: Pick<ChatResult, "status" | "modelId">[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === 200 ? (r.modelId ?? "unknown") : "error";
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Closed-loop batch: `count` requests with at most `concurrency` in flight; results in completion order. */
export async function runBatch(count: number, concurrency: number, send: (i: number) => Promise<ChatResult>): Promise<ChatResult[]> {
  const results: ChatResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results.push(await send(i));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

export interface StreamResult {
  status: number;
  /** `x-litellm-model-id`: the backend the stream came from. */
  modelId: string | undefined;
  /** Retries and fallbacks LiteLLM needed before the stream started (`x-litellm-attempted-retries` / `-fallbacks`). */
  retries: number;
  fallbacks: number;
  /** Content chunks received (`data:` events with a delta). */
  chunks: number;
  /** The content of every chunk, concatenated: the completion as the client reads it. */
  content: string;
  /** Distinct chunk ids: 1 when the client saw one completion. */
  ids: number;
  /** The stream ended with `data: [DONE]` and carried no error event. */
  complete: boolean;
  /** An SSE error event, a non-200 answer or a broken connection, as the client saw it. */
  error: string | undefined;
  ms: number;
}

/** A streamed chat completion, read to its end: what a client of the gateway sees of it. */
export async function chatStream(proxy: LiteLLMProxy, options: ChatOptions): Promise<StreamResult> {
  const started = performance.now();
  let status = 0;
  let modelId: string | undefined;
  let retries = 0;
  let fallbacks = 0;
  let text: string;
  try {
    const response = await postChat(proxy, options, true);
    status = response.status;
    modelId = response.headers.get("x-litellm-model-id") ?? undefined;
    retries = Number(response.headers.get("x-litellm-attempted-retries") ?? 0);
    fallbacks = Number(response.headers.get("x-litellm-attempted-fallbacks") ?? 0);
    text = await response.text();
  } catch (error) {
    return { status, modelId, retries, fallbacks, chunks: 0, content: "", ids: 0, complete: false, error: String(error), ms: performance.now() - started };
  }
  const events = text
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => line.slice("data: ".length).trim());
  let chunks = 0;
  let content = "";
  const ids = new Set<string>();
  let error: string | undefined = status === 200 ? undefined : `HTTP ${status}: ${text.slice(0, 300)}`;
  for (const event of events) {
    if (event === "[DONE]") continue;
    try {
      const payload = JSON.parse(event) as { id?: string; error?: unknown; choices?: { delta?: { content?: string } }[] };
      if (payload.error !== undefined) error ??= JSON.stringify(payload.error).slice(0, 300);
      if (payload.id !== undefined) ids.add(payload.id);
      const delta = payload.choices?.[0]?.delta?.content;
      if (delta) {
        chunks++;
        content += delta;
      }
    } catch {
      error ??= `unparsable event: ${event.slice(0, 100)}`;
    }
  }
  const complete = error === undefined && events.at(-1) === "[DONE]";
  return { status, modelId, retries, fallbacks, chunks, content, ids: ids.size, complete, error: complete ? undefined : (error ?? "the stream ended without [DONE]"), ms: performance.now() - started };
}
