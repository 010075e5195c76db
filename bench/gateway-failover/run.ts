/**
 * Gateway failover benchmark: a fixed open-loop load through the real LiteLLM proxy in front of three fake
 * OpenAI-compatible backends on three providers; part-way through, the heaviest-weighted backend meets a fault:
 *
 *   outage       its provider goes away: hard-killed, every socket destroyed, port closed (plain requests)
 *   stream-cut   it cuts every stream after 2 of 5 chunks (streamed requests)
 *   ratelimit    it answers 429 with Retry-After: 30 (plain requests)
 *   slow         its first token takes 5 s (headers at once, as vLLM answers a queued stream; health checks pass)
 *
 * Each scenario runs twice on the same model list (same weights, tiers, prices and per-deployment timeouts):
 *
 *   rendered   the config renderLiteLLMConfig produces, with its production reliability defaults
 *   defaults   the same model_list with LiteLLM's default router and general settings (master key and the
 *              tokenizer-download switch only; see withLiteLLMDefaults)
 *
 * and `slow` a third time, `rendered 2s`, with a 2 s time-to-first-token budget for the tier
 * (`reliability.streamTimeoutSecondsByTier`).
 *
 * and prints client errors, p50/p99 latency and the time from the fault to traffic shifted for each. A benchmark,
 * not a test: it prints figures and asserts nothing.
 *
 * Run: pnpm exec tsx bench/gateway-failover/run.ts [--scenario outage,stream-cut,ratelimit,slow] [--rate 20]
 *      [--seconds 30] [--kill-at 10] [--latency-ms 100] [--timeline]
 */
import { renderLiteLLMConfig } from "@switchyard/components/src/litellm-gateway";
import type { GatewayReliabilityArgs, LiteLLMConfig } from "@switchyard/components/src/litellm-gateway";
import type { Backend } from "@switchyard/components/src/contracts";
import { FakeBackend } from "../../test/gateway/fake-backend";
import { LiteLLMProxy, chat, chatStream, ensureLiteLLM, percentile, runLoad, servedBy } from "../../test/gateway/proxy";
import type { ChatResult, StreamResult, TimedResult } from "../../test/gateway/proxy";

const MASTER_KEY = "sk-switchyard-bench-master-0123456789";

interface Scenario {
  name: string;
  /** Streamed requests (read to their end) instead of plain ones. */
  stream: boolean;
  fault: (victim: FakeBackend) => void | Promise<void>;
  /** A third run of the rendered config with these reliability settings, under this label. */
  tuned?: { label: string; reliability: GatewayReliabilityArgs };
}

const SCENARIOS: Scenario[] = [
  { name: "outage", stream: false, fault: (victim) => victim.kill() },
  { name: "stream-cut", stream: true, fault: (victim) => void (victim.mode = "cut") },
  { name: "ratelimit", stream: false, fault: (victim) => void (victim.mode = "ratelimit") },
  {
    name: "slow",
    stream: true,
    fault: (victim) => void (victim.firstChunkDelayMs = 5000),
    tuned: { label: "rendered 2s", reliability: { streamTimeoutSecondsByTier: { spot: 2 } } },
  },
];

interface Options {
  scenarios: Scenario[];
  rate: number;
  seconds: number;
  killAt: number;
  latencyMs: number;
  timeline: boolean;
}

function options(): Options {
  const argv = process.argv.slice(2);
  const value = (flag: string, fallback: number) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  const i = argv.indexOf("--scenario");
  const names = i >= 0 ? (argv[i + 1] ?? "").split(",") : SCENARIOS.map((sc) => sc.name);
  const scenarios = names.map((name) => {
    const found = SCENARIOS.find((sc) => sc.name === name);
    if (!found) throw new Error(`--scenario ${name}: choose from ${SCENARIOS.map((sc) => sc.name).join(", ")}`);
    return found;
  });
  return { scenarios, rate: value("--rate", 20), seconds: value("--seconds", 30), killAt: value("--kill-at", 10), latencyMs: value("--latency-ms", 100), timeline: argv.includes("--timeline") };
}

/** A streamed result in the plain result's shape: a stream that broke after its 200 counts as status 520. */
function asChatResult(r: StreamResult): ChatResult {
  return {
    status: r.complete ? 200 : r.status === 200 ? 520 : r.status,
    modelId: r.complete ? r.modelId : r.status === 200 ? "broken" : undefined,
    cost: undefined,
    retries: r.retries,
    fallbacks: r.fallbacks,
    headers: new Headers(),
    body: r.error ?? "",
    ms: r.ms,
    error: undefined,
  };
}

/** Three backends of one model group in one tier, on three providers; costs and latencies differ so weights do. */
const specs = [
  { name: "coreweave-llama-8b", provider: "coreweave", costPerHour: 2.0, expectedLatencyMs: 100 },
  { name: "aws-llama-8b", provider: "aws", costPerHour: 3.0, expectedLatencyMs: 140 },
  { name: "gcp-llama-8b", provider: "gcp", costPerHour: 3.5, expectedLatencyMs: 160 },
] as const;

interface RunSummary {
  scenario: string;
  config: string;
  requests: number;
  errors: number;
  errorsAfterKill: number;
  retriedOrFellBack: number;
  p50Ms: number;
  p99Ms: number;
  p99AfterKillMs: number;
  /** From the fault to the last request (by send time) that failed or needed a retry/fallback; 0 if none. */
  rebalanceMs: number;
  /** Whether requests sent in the last {@link SETTLED_WINDOW_MS} of the run still failed or needed retries. */
  stillAffectedAtEnd: boolean;
  servedAfterKill: Record<string, number>;
  /** Streams cut mid-way and resumed on another backend by the request guard (continuations the backends served). */
  resumed: number;
  /** Failed requests by HTTP status (`0` = no response), with one sample error message each. */
  errorsByStatus: Record<string, { count: number; sample: string }>;
  timeline: WindowSummary[];
}

/** One slice of the run, by send time. */
interface WindowSummary {
  fromS: number;
  toS: number;
  requests: number;
  errors: number;
  retried: number;
  p50Ms: number;
  p99Ms: number;
}

/** A run counts as rebalanced only if nothing sent in its last 5 s failed or needed a retry. */
const SETTLED_WINDOW_MS = 5000;
const TIMELINE_STEP_MS = 5000;

async function run(scenario: Scenario, label: string, bin: string, makeConfig: (backends: Backend[]) => LiteLLMConfig, o: Options): Promise<RunSummary> {
  const fakes = specs.map((s) => new FakeBackend({ name: s.name, servedModelName: "llama-3.1-8b", apiKey: `key-${s.name}`, latencyMs: o.latencyMs }));
  let proxy: LiteLLMProxy | undefined;
  try {
    for (const f of fakes) await f.start();
    const backends: Backend[] = specs.map((s, i) => ({
      name: s.name,
      provider: s.provider,
      region: "local",
      capacityType: "spot",
      modelName: "llama-3.1-8b",
      servedModelName: "llama-3.1-8b",
      baseUrl: fakes[i]!.baseUrl,
      apiKeySecretEnv: `${s.name.toUpperCase().replace(/-/g, "_")}_API_KEY`,
      costPerHour: s.costPerHour,
      tokensPerSecond: 2000,
      expectedLatencyMs: s.expectedLatencyMs,
    }));
    const config = makeConfig(backends);
    const env: Record<string, string> = { LITELLM_MASTER_KEY: MASTER_KEY };
    backends.forEach((b, i) => (env[b.apiKeySecretEnv] = `key-${specs[i]!.name}`));
    const weights = Object.fromEntries(config.model_list.map((d) => [d.model_info.id, d.litellm_params.weight]));
    const victimName = Object.entries(weights).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))[0]![0];
    const victim = fakes.find((f) => f.name === victimName)!;
    proxy = await LiteLLMProxy.start({ bin, config, env });
    const p = proxy;
    console.log(`${scenario.name} ${label}: proxy ready; weights ${JSON.stringify(weights)}; fault on ${victimName} at ${o.killAt}s`);
    const killAtMs = o.killAt * 1000;
    const request = { model: "llama-3.1-8b", key: MASTER_KEY, timeoutMs: 300_000 };
    const send = scenario.stream ? async () => asChatResult(await chatStream(p, request)) : () => chat(p, request);
    const results = await runLoad(send, {
      ratePerSecond: o.rate,
      durationMs: o.seconds * 1000,
      events: [{ atMs: killAtMs, run: () => scenario.fault(victim) }],
    });
    const resumed = fakes.reduce((sum, f) => sum + f.counts.continued, 0);
    return { ...summarise(scenario.name, label, results, killAtMs, o.seconds * 1000), resumed };
  } finally {
    await proxy?.stop();
    for (const f of fakes) await f.kill();
  }
}

function summarise(scenario: string, label: string, results: TimedResult[], killAtMs: number, durationMs: number): Omit<RunSummary, "resumed"> {
  const after = results.filter((r) => r.sentAtMs >= killAtMs);
  const isAffected = (r: TimedResult) => r.status !== 200 || r.retries > 0 || r.fallbacks > 0;
  const affected = after.filter(isAffected);
  const errorsByStatus: Record<string, { count: number; sample: string }> = {};
  for (const r of results.filter((x) => x.status !== 200)) {
    const entry = (errorsByStatus[String(r.status)] ??= { count: 0, sample: errorSample(r) });
    entry.count++;
  }
  const timeline: WindowSummary[] = [];
  for (let from = 0; from < durationMs; from += TIMELINE_STEP_MS) {
    const slice = results.filter((r) => r.sentAtMs >= from && r.sentAtMs < from + TIMELINE_STEP_MS);
    timeline.push({
      fromS: from / 1000,
      toS: Math.min(durationMs, from + TIMELINE_STEP_MS) / 1000,
      requests: slice.length,
      errors: slice.filter((r) => r.status !== 200).length,
      retried: slice.filter((r) => r.retries > 0 || r.fallbacks > 0).length,
      p50Ms: Math.round(percentile(slice.map((r) => r.ms), 50)),
      p99Ms: Math.round(percentile(slice.map((r) => r.ms), 99)),
    });
  }
  return {
    scenario,
    config: label,
    requests: results.length,
    errors: results.filter((r) => r.status !== 200).length,
    errorsAfterKill: after.filter((r) => r.status !== 200).length,
    retriedOrFellBack: results.filter((r) => r.retries > 0 || r.fallbacks > 0).length,
    p50Ms: Math.round(percentile(results.map((r) => r.ms), 50)),
    p99Ms: Math.round(percentile(results.map((r) => r.ms), 99)),
    p99AfterKillMs: Math.round(percentile(after.map((r) => r.ms), 99)),
    rebalanceMs: affected.length === 0 ? 0 : Math.round(Math.max(...affected.map((r) => r.sentAtMs)) - killAtMs),
    stillAffectedAtEnd: results.some((r) => r.sentAtMs >= durationMs - SETTLED_WINDOW_MS && isAffected(r)),
    servedAfterKill: servedBy(after),
    errorsByStatus,
    timeline,
  };
}

/** The error's message, shortened: what the client was told (or why it got no answer). */
function errorSample(r: TimedResult): string {
  let text = r.error ?? r.body;
  try {
    const parsed = JSON.parse(r.body) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === "string") text = parsed.error.message;
  } catch {
    // Not JSON: keep the raw text.
  }
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/**
 * The same model list (weights, tiers, prices, per-deployment timeouts) under LiteLLM's own router and general
 * settings. Only the master key and the tokenizer switch are kept: without `disable_hf_tokenizer_download` each
 * failed request for a llama-named model first tries to download a tokenizer from huggingface.co, which on a
 * machine without internet access adds ~23 s of retries and would swamp the router's own behaviour.
 */
function withLiteLLMDefaults(config: LiteLLMConfig): LiteLLMConfig {
  return {
    model_list: config.model_list,
    litellm_settings: { disable_hf_tokenizer_download: config.litellm_settings.disable_hf_tokenizer_download },
    general_settings: { master_key: config.general_settings.master_key },
  } as unknown as LiteLLMConfig;
}

async function main(): Promise<void> {
  const o = options();
  const bin = ensureLiteLLM();
  console.log(`gateway failover bench: ${o.rate} req/s for ${o.seconds} s, fault on the heaviest backend at ${o.killAt} s, backend latency ${o.latencyMs} ms`);
  const rows: RunSummary[] = [];
  for (const scenario of o.scenarios) {
    rows.push(await run(scenario, "rendered", bin, (backends) => renderLiteLLMConfig(backends), o));
    rows.push(await run(scenario, "defaults", bin, (backends) => withLiteLLMDefaults(renderLiteLLMConfig(backends)), o));
    const tuned = scenario.tuned;
    if (tuned) rows.push(await run(scenario, tuned.label, bin, (backends) => renderLiteLLMConfig(backends, { reliability: tuned.reliability }), o));
  }
  const columns: [string, (s: RunSummary) => string][] = [
    ["scenario", (s) => s.scenario],
    ["config", (s) => s.config],
    ["requests", (s) => String(s.requests)],
    ["client errors", (s) => `${s.errors} (${((100 * s.errors) / s.requests).toFixed(1)}%)`],
    ["retried/fallback", (s) => String(s.retriedOrFellBack)],
    ["resumed", (s) => String(s.resumed)],
    ["p50 ms", (s) => String(s.p50Ms)],
    ["p99 ms", (s) => String(s.p99Ms)],
    ["p99 after fault ms", (s) => String(s.p99AfterKillMs)],
    ["shifted after s", (s) => (s.stillAffectedAtEnd ? `not by end (last ${(s.rebalanceMs / 1000).toFixed(1)})` : (s.rebalanceMs / 1000).toFixed(1))],
    ["served after fault", (s) => Object.entries(s.servedAfterKill).map(([k, v]) => `${k}=${v}`).join(" ")],
  ];
  const widths = columns.map(([title, get]) => Math.max(title.length, ...rows.map((r) => get(r).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  console.log("");
  console.log(line(columns.map(([title]) => title)));
  for (const r of rows) console.log(line(columns.map(([, get]) => get(r))));
  console.log("");
  console.log(
    `shifted after: from the fault to the last request (by send time) that failed or needed a retry or fallback; "not by end" when requests sent in the last ${SETTLED_WINDOW_MS / 1000} s still did. Streams that broke after their 200 count as status 520.`,
  );
  for (const r of rows) {
    for (const [status, e] of Object.entries(r.errorsByStatus)) console.log(`${r.scenario} ${r.config}: status ${status === "0" ? "none (no response)" : status}: ${e.count}, e.g. ${e.sample}`);
    if (!o.timeline) continue;
    console.log("");
    console.log(`${r.scenario} ${r.config}: per ${TIMELINE_STEP_MS / 1000} s of send time (fault at ${o.killAt} s)`);
    const table: [string, (w: WindowSummary) => string][] = [
      ["window s", (w) => `${w.fromS}-${w.toS}`],
      ["requests", (w) => String(w.requests)],
      ["errors", (w) => String(w.errors)],
      ["retried", (w) => String(w.retried)],
      ["p50 ms", (w) => String(w.p50Ms)],
      ["p99 ms", (w) => String(w.p99Ms)],
    ];
    const tableWidths = table.map(([title, get]) => Math.max(title.length, ...r.timeline.map((w) => get(w).length)));
    console.log(table.map(([title], i) => title.padEnd(tableWidths[i]!)).join("  "));
    for (const w of r.timeline) console.log(table.map(([, get], i) => get(w).padEnd(tableWidths[i]!)).join("  "));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
