/**
 * The rendered gateway config, proven against the real LiteLLM proxy (pinned in scripts/litellm-requirements.txt,
 * installed by scripts/litellm-venv.sh) in front of fake OpenAI-compatible backends on loopback.
 *
 * One proxy serves every scenario; each scenario has a model group and backends of its own, so cooldowns and
 * counters never cross. Timeouts, cooldowns and health-check intervals are shortened (see `reliability`) so the
 * whole file runs in about three minutes; the mechanisms are the ones a production config uses.
 *
 * A machine without Python or PyPI fails here with the install script's message: these tests never skip.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planRoutes, renderLiteLLMConfig, requestCost } from "@switchyard/components/src/litellm-gateway";
import type { GatewayReliabilityArgs, HostedFallbackArgs, LiteLLMConfig } from "@switchyard/components/src/litellm-gateway";
import type { Backend } from "@switchyard/components/src/contracts";
import { CHUNKS_BEFORE_CUT, FakeBackend, STREAM_PIECES } from "./fake-backend";
import { LiteLLMProxy, chat, chatStream, ensureLiteLLM, percentile, runBatch, runLoad, servedBy, sleep } from "./proxy";
import type { ChatResult, StreamResult } from "./proxy";


const MASTER_KEY = "sk-switchyard-test-master-0123456789";

/** Short enough for a test run, same mechanisms as production (cooldown > health-check interval, etc.). */
const reliability: GatewayReliabilityArgs = {
  numRetries: 2,
  requestTimeoutSeconds: 2,
  streamTimeoutSeconds: 2,
  // (k) tier 1's own time-to-first-token budget, shorter than the other tiers'.
  streamTimeoutSecondsByTier: { reserved: 1 },
  cooldownSeconds: 6,
  allowedFailures: 2,
  allowedTimeouts: 1,
  healthCheckIntervalSeconds: 3,
  healthCheckTimeoutSeconds: 1,
};

interface Spec {
  name: string;
  provider: Backend["provider"];
  capacityType: Backend["capacityType"];
  modelName: string;
  costPerHour: number;
  tokensPerSecond: number;
  expectedLatencyMs: number;
  /** The Backend's cap on requests at once (the planner's replicas × per-replica concurrency). */
  maxConcurrentRequests?: number;
  /** The fake's time to answer a completion. Defaults to the fake's 20 ms. */
  latencyMs?: number;
}

const specs: Spec[] = [
  // (a, f) weights and spend: one tier, three providers, clearly different costs and latencies.
  { name: "split-aws", provider: "aws", capacityType: "spot", modelName: "split", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  { name: "split-gcp", provider: "gcp", capacityType: "spot", modelName: "split", costPerHour: 6, tokensPerSecond: 1000, expectedLatencyMs: 200 },
  { name: "split-coreweave", provider: "coreweave", capacityType: "spot", modelName: "split", costPerHour: 12, tokensPerSecond: 1000, expectedLatencyMs: 400 },
  // (b) tiers: two reserved backends in tier 1, one spot backend in tier 2.
  { name: "tier1-coreweave", provider: "coreweave", capacityType: "reserved", modelName: "tiered", costPerHour: 4, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  { name: "tier1-lambda", provider: "lambda", capacityType: "reserved", modelName: "tiered", costPerHour: 4, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  { name: "tier2-aws", provider: "aws", capacityType: "spot", modelName: "tiered", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  // (c) hard kill under load.
  { name: "kill-coreweave", provider: "coreweave", capacityType: "reserved", modelName: "kill", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  { name: "kill-lambda", provider: "lambda", capacityType: "reserved", modelName: "kill", costPerHour: 4, tokensPerSecond: 1000, expectedLatencyMs: 150 },
  { name: "kill-aws", provider: "aws", capacityType: "reserved", modelName: "kill", costPerHour: 6, tokensPerSecond: 1000, expectedLatencyMs: 200 },
  // (d) 500s, then recovery.
  { name: "errors-gcp", provider: "gcp", capacityType: "spot", modelName: "errors", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  { name: "errors-aws", provider: "aws", capacityType: "spot", modelName: "errors", costPerHour: 6, tokensPerSecond: 1000, expectedLatencyMs: 200 },
  // (d) hang, then recovery.
  { name: "hang-gcp", provider: "gcp", capacityType: "spot", modelName: "hang", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  { name: "hang-aws", provider: "aws", capacityType: "spot", modelName: "hang", costPerHour: 6, tokensPerSecond: 1000, expectedLatencyMs: 200 },
  // (h) streams cut mid-way, (i) streams dropped before their first chunk: two equal backends per group.
  { name: "cut-aws", provider: "aws", capacityType: "spot", modelName: "cut", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  { name: "cut-gcp", provider: "gcp", capacityType: "spot", modelName: "cut", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  // (h) a backend whose streams stall after their first chunks (a hung GPU): the connection stays open.
  { name: "stall-aws", provider: "aws", capacityType: "spot", modelName: "stall", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  { name: "stall-gcp", provider: "gcp", capacityType: "spot", modelName: "stall", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  // (h) a lone tier-1 backend cutting streams, a tier-2 backend behind it.
  { name: "cuttier-coreweave", provider: "coreweave", capacityType: "reserved", modelName: "cuttier", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  { name: "cuttier-aws", provider: "aws", capacityType: "spot", modelName: "cuttier", costPerHour: 4, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  { name: "drop-aws", provider: "aws", capacityType: "spot", modelName: "drop", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  { name: "drop-gcp", provider: "gcp", capacityType: "spot", modelName: "drop", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  { name: "prefill-aws", provider: "aws", capacityType: "spot", modelName: "prefill", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  { name: "prefill-gcp", provider: "gcp", capacityType: "spot", modelName: "prefill", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  // (j) a backend answering 429 with Retry-After.
  { name: "limited-aws", provider: "aws", capacityType: "spot", modelName: "limited", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  { name: "limited-gcp", provider: "gcp", capacityType: "spot", modelName: "limited", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  // (k) a backend 5 s to first byte, streamed: past streamTimeoutSeconds the stream goes elsewhere.
  { name: "slow-aws", provider: "aws", capacityType: "spot", modelName: "slow", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  { name: "slow-gcp", provider: "gcp", capacityType: "spot", modelName: "slow", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  // (k) a lone reserved backend slow to its first token (1.5 s: inside the shared 2 s budget, past tier 1's 1 s).
  { name: "ttft-coreweave", provider: "coreweave", capacityType: "reserved", modelName: "ttft", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  { name: "ttft-aws", provider: "aws", capacityType: "spot", modelName: "ttft", costPerHour: 4, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  // (l) overflow: a tier-1 backend capped at 4 requests at once, each taking 0.5 s (8 requests/s), a tier-2 backend behind it.
  { name: "overflow-coreweave", provider: "coreweave", capacityType: "reserved", modelName: "overflow", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100, maxConcurrentRequests: 4, latencyMs: 500 },
  { name: "overflow-aws", provider: "aws", capacityType: "spot", modelName: "overflow", costPerHour: 4, tokensPerSecond: 1000, expectedLatencyMs: 100, latencyMs: 500 },
  // Hosted fallback: a lone backend whose group falls back to a hosted (OpenAI-compatible) model.
  { name: "lone-coreweave", provider: "coreweave", capacityType: "reserved", modelName: "lone", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
  // (m) a lone backend whose group falls back to a hosted API with an account rate limit.
  { name: "capped-coreweave", provider: "coreweave", capacityType: "reserved", modelName: "capped", costPerHour: 2, tokensPerSecond: 1000, expectedLatencyMs: 100 },
];

/** (m) The rate-limited hosted API's account limit: what the plan counts on it to serve, and what the gateway holds it to. */
const HOSTED_RPM = 8;

const fakes = new Map<string, FakeBackend>(
  specs.map((s) => [s.name, new FakeBackend({ name: s.name, servedModelName: `${s.modelName}-served`, apiKey: `key-${s.name}`, ...(s.latencyMs === undefined ? {} : { latencyMs: s.latencyMs }) })]),
);
const hosted = new FakeBackend({ name: "hosted-openai", servedModelName: "gpt-4o-mini", apiKey: "key-hosted-openai" });
/** (m) A hosted API that answers 429 past its account limit, as the provider does. */
const hostedCapped = new FakeBackend({ name: "hosted-capped", servedModelName: "llama-70b-turbo", apiKey: "key-hosted-capped", requestsPerMinute: HOSTED_RPM });
/** Never in the config: proves client-supplied api_base is refused before any connection is made. */
const canary = new FakeBackend({ name: "ssrf-canary", servedModelName: "split-served", apiKey: "none" });

let proxy: LiteLLMProxy | undefined;
let config: LiteLLMConfig;
let backends: Backend[];

function envName(name: string): string {
  return `${name.toUpperCase().replace(/-/g, "_")}_API_KEY`;
}

function fake(name: string): FakeBackend {
  return fakes.get(name)!;
}

const send = (model: string) => chat(proxy!, { model, key: MASTER_KEY });

/** One line per scenario, so the figures can be quoted. */
function report(scenario: string, figures: Record<string, unknown>): void {
  console.warn(`[gateway] ${scenario}: ${JSON.stringify(figures)}`);
}

/** Every stream complete, one id, the whole text once: what the client reads is one uninterrupted completion. */
function expectOneUnbrokenStreamEach(streams: StreamResult[]): void {
  expect(streams.filter((r) => !r.complete)).toEqual([]);
  for (const r of streams) expect(r).toMatchObject({ status: 200, content: STREAM_PIECES.join(""), chunks: STREAM_PIECES.length, ids: 1 });
}

function okCount(results: ChatResult[]): number {
  return results.filter((r) => r.status === 200).length;
}

describe("LiteLLM gateway against the real proxy", () => {
  beforeAll(async () => {
    const bin = ensureLiteLLM();
    for (const f of [...fakes.values(), hosted, hostedCapped, canary]) await f.start();
    backends = specs.map((s) => ({
      name: s.name,
      provider: s.provider,
      region: "local",
      capacityType: s.capacityType,
      modelName: s.modelName,
      servedModelName: `${s.modelName}-served`,
      baseUrl: fake(s.name).baseUrl,
      apiKeySecretEnv: envName(s.name),
      costPerHour: s.costPerHour,
      tokensPerSecond: s.tokensPerSecond,
      expectedLatencyMs: s.expectedLatencyMs,
      ...(s.maxConcurrentRequests === undefined ? {} : { maxConcurrentRequests: s.maxConcurrentRequests }),
    }));
    const fallback: HostedFallbackArgs = {
      modelName: "hosted-fallback",
      model: "openai/gpt-4o-mini",
      apiKeySecretEnv: "HOSTED_OPENAI_API_KEY",
      apiBase: hosted.baseUrl,
      inputCostPerToken: 0.00000015,
      outputCostPerToken: 0.0000006,
      modelGroups: ["lone"],
    };
    const capped: HostedFallbackArgs = {
      modelName: "capped-fallback",
      model: "openai/llama-70b-turbo",
      apiKeySecretEnv: "HOSTED_CAPPED_API_KEY",
      apiBase: hostedCapped.baseUrl,
      inputCostPerToken: 0.00000088,
      outputCostPerToken: 0.00000088,
      requestsPerMinute: HOSTED_RPM,
      modelGroups: ["capped"],
    };
    config = renderLiteLLMConfig(backends, { reliability, fallbacks: [fallback, capped] });
    const env: Record<string, string> = {
      LITELLM_MASTER_KEY: MASTER_KEY,
      LITELLM_SALT_KEY: "sk-switchyard-test-salt-0123456789",
      HOSTED_OPENAI_API_KEY: "key-hosted-openai",
      HOSTED_CAPPED_API_KEY: "key-hosted-capped",
    };
    for (const s of specs) env[envName(s.name)] = `key-${s.name}`;
    proxy = await LiteLLMProxy.start({ bin, config, env });
  }, 16 * 60_000);

  afterAll(async () => {
    await proxy?.stop();
    for (const f of [...fakes.values(), hosted, hostedCapped, canary]) await f.kill();
  }, 30_000);

  it("accepts every rendered key: router_settings are Router arguments, the rest are keys LiteLLM reads", () => {
    const python = path.join(ensureLiteLLM(), "python");
    const result = spawnSync(python, ["-c", KEY_CHECK], { input: JSON.stringify(config), encoding: "utf8", env: { LITELLM_LOCAL_MODEL_COST_MAP: "True", PATH: "/usr/bin:/bin" } });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.trim().split("\n").pop()!)).toEqual({ unknown: [] });
  });

  it("(e) rejects requests without the key, with a wrong key, and with client-supplied credentials or api_base", async () => {
    const before = fake("split-aws").counts.served + fake("split-gcp").counts.served + fake("split-coreweave").counts.served;
    const noKey = await chat(proxy!, { model: "split", key: undefined });
    const wrongKey = await chat(proxy!, { model: "split", key: "sk-not-the-master-key-000000000" });
    const apiBase = await chat(proxy!, { model: "split", key: MASTER_KEY, extra: { api_base: canary.baseUrl } });
    const apiKey = await chat(proxy!, { model: "split", key: MASTER_KEY, extra: { api_key: "key-split-aws", base_url: canary.baseUrl } });
    const after = fake("split-aws").counts.served + fake("split-gcp").counts.served + fake("split-coreweave").counts.served;
    report("(e) auth", { noKey: noKey.status, wrongKey: wrongKey.status, clientApiBase: apiBase.status, clientApiKey: apiKey.status, backendCalls: after - before, canaryCalls: canary.counts.served + canary.counts.unauthorized });
    expect(noKey.status).toBe(401);
    // Without a database LiteLLM cannot look virtual keys up, so any key but the master key gets 400 "No connected db".
    expect([400, 401]).toContain(wrongKey.status);
    expect([400, 401, 403]).toContain(apiBase.status);
    expect([400, 401, 403]).toContain(apiKey.status);
    expect(apiBase.body).toMatch(/api_base is not allowed/);
    expect(after - before).toBe(0);
    expect(canary.counts.served + canary.counts.unauthorized).toBe(0);
  });

  it("(g) nothing a client sends changes where or how often the gateway calls out, and the fallback is neither listed nor callable", async () => {
    const upstream = () => ["split-aws", "split-gcp", "split-coreweave"].reduce((sum, n) => sum + fake(n).counts.served + fake(n).counts.failed, 0) + hosted.counts.served;
    const before = upstream();
    // reliability.requestTimeoutSeconds is 2: a longer client timeout would hold a hung backend's request longer.
    const refused: [string, Record<string, unknown>][] = [
      ["api_key", { api_key: "key-split-aws" }],
      ["num_retries", { num_retries: 8 }],
      ["max_retries", { max_retries: 8 }],
      ["fallbacks", { fallbacks: ["hosted-fallback"] }],
      ["context_window_fallbacks", { context_window_fallbacks: [{ split: ["hosted-fallback"] }] }],
      ["specific_deployment", { specific_deployment: true }],
      ["mock_testing_fallbacks", { mock_testing_fallbacks: true }],
      ["litellm_params.num_retries", { litellm_params: { num_retries: 8 } }],
      ["timeout (100)", { timeout: 100 }],
      ["stream_timeout (100)", { stream_timeout: 100 }],
    ];
    const results = await Promise.all(refused.map(([, extra]) => chat(proxy!, { model: "split", key: MASTER_KEY, extra })));
    const shorterTimeout = await chat(proxy!, { model: "split", key: MASTER_KEY, extra: { timeout: 1.5 } });
    const direct = await chat(proxy!, { model: "hosted-fallback", key: MASTER_KEY });
    const modelsResponse = await fetch(`${proxy!.url}/v1/models`, { headers: { authorization: `Bearer ${MASTER_KEY}` } });
    const listed = ((await modelsResponse.json()) as { data: { id: string }[] }).data.map((m) => m.id).sort();
    const after = upstream();
    report("(g) client fields", { refused: Object.fromEntries(refused.map(([field], i) => [field, results[i]!.status])), shorterTimeout: shorterTimeout.status, directFallback: direct.status, listed, upstreamCalls: after - before });

    refused.forEach(([field], i) => {
      expect(results[i]!.status, `${field}: ${results[i]!.body}`).toBe(400);
      expect(results[i]!.body).toContain(field.split(" ")[0]!);
    });
    expect(shorterTimeout.status, shorterTimeout.body).toBe(200);
    expect(direct.status, direct.body).toBe(400);
    expect(direct.body).toContain("is the gateway's fallback");
    // One upstream call in all: the request with the shorter timeout.
    expect(after - before).toBe(1);
    expect(modelsResponse.status).toBe(200);
    expect(listed).toEqual([...new Set(backends.map((b) => b.modelName))].sort());
  });

  describe("(a) weights and (f) spend", () => {
    const N = 600;
    let results: ChatResult[];
    beforeAll(async () => {
      results = await runBatch(N, 8, () => send("split"));
    }, 180_000);

    it(`splits ${N} requests by the rendered weights, each backend within 4 binomial standard deviations (false-alarm odds < 1e-4)`, () => {
      const routes = planRoutes(backends, {}).filter((r) => r.backend.modelName === "split");
      const counts = servedBy(results);
      const figures = routes.map((r) => {
        const p = r.weight / 1000;
        const sigma = Math.sqrt(N * p * (1 - p));
        return { backend: r.backend.name, weight: r.weight, expected: Math.round(N * p), observed: counts[r.backend.name] ?? 0, tolerance: Math.ceil(4 * sigma) };
      });
      report("(a) weight split", { requests: N, errors: counts.error ?? 0, backends: figures });
      expect(counts.error ?? 0).toBe(0);
      // The weights differ enough that the split is visible, not just within noise of equal thirds.
      expect(Math.max(...routes.map((r) => r.weight)) - Math.min(...routes.map((r) => r.weight))).toBeGreaterThan(200);
      for (const f of figures) expect(Math.abs(f.observed - f.expected), f.backend).toBeLessThanOrEqual(f.tolerance);
    });

    it("(f) reports spend = derived per-token price × tokens for every request (x-litellm-response-cost, relative error < 1e-9)", () => {
      const byId = new Map(config.model_list.map((d) => [d.model_info.id, d.litellm_params]));
      let worst = 0;
      const mispriced: { modelId: string | undefined; retries: number; fallbacks: number; reportedOverExpected: number }[] = [];
      for (const r of results) {
        const params = byId.get(r.modelId!)!;
        const f = fake(r.modelId!);
        const expected = requestCost({ inputCostPerToken: params.input_cost_per_token, outputCostPerToken: params.output_cost_per_token }, f.promptTokens, f.completionTokens);
        const error = Math.abs(r.cost! - expected) / expected;
        worst = Math.max(worst, error);
        if (error >= 1e-9) mispriced.push({ modelId: r.modelId, retries: r.retries, fallbacks: r.fallbacks, reportedOverExpected: r.cost! / expected });
      }
      const sample = results.find((r) => r.modelId === "split-aws")!;
      const params = byId.get("split-aws")!;
      report("(f) spend", {
        requests: results.length,
        maxRelativeError: worst,
        retried: results.filter((r) => r.retries > 0).length,
        mispriced: mispriced.slice(0, 10),
        example: {
          backend: "split-aws",
          costPerHour: 2,
          tokensPerSecond: 1000,
          inputCostPerToken: params.input_cost_per_token,
          outputCostPerToken: params.output_cost_per_token,
          promptTokens: 12,
          completionTokens: 30,
          reported: sample.cost,
        },
      });
      expect(results.every((r) => typeof r.cost === "number" && r.cost > 0)).toBe(true);
      expect(worst).toBeLessThan(1e-9);
    });
  });

  it("(b) sends everything to tier 1, stays there while one tier-1 backend fails, and spills to tier 2 only when all of tier 1 fails", async () => {
    const [r1, r2, t2] = [fake("tier1-coreweave"), fake("tier1-lambda"), fake("tier2-aws")];
    const phase = async () => {
      const failedBefore = r1.counts.failed + r2.counts.failed;
      const results = await runBatch(40, 4, () => send("tiered"));
      return {
        ok: okCount(results),
        byBackend: servedBy(results),
        tier1FailedAttempts: r1.counts.failed + r2.counts.failed - failedBefore,
      };
    };
    const healthy = await phase();
    r1.mode = "error";
    const oneDown = await phase();
    r2.mode = "error";
    const allDown = await phase();
    r1.recover();
    r2.recover();
    // Both tier-1 backends were benched for cooldownSeconds (6 s) from their last failed check.
    await sleep((reliability.cooldownSeconds! + reliability.healthCheckIntervalSeconds! + 1) * 1000);
    const recovered = await phase();
    report("(b) tiers", { healthy, oneTier1Down: oneDown, allTier1Down: allDown, recovered });
    expect([healthy.ok, oneDown.ok, allDown.ok, recovered.ok]).toEqual([40, 40, 40, 40]);
    expect(healthy.byBackend["tier2-aws"] ?? 0).toBe(0);
    // With one tier-1 backend failing, tier 2 gets only requests that met a tier-1 failure (never more spills than
    // failed tier-1 attempts, whatever the machine's speed), and the failing backend is benched after a handful of
    // attempts instead of taking its ~20 of the 40 requests. Observed: 0–2 spills after 3–6 failed attempts.
    expect(oneDown.byBackend["tier2-aws"] ?? 0).toBeLessThanOrEqual(oneDown.tier1FailedAttempts);
    expect(oneDown.tier1FailedAttempts).toBeLessThan(10);
    expect(allDown.byBackend["tier2-aws"]).toBe(40);
    expect(recovered.byBackend["tier2-aws"] ?? 0).toBe(0);
    expect(t2.counts.served).toBe((oneDown.byBackend["tier2-aws"] ?? 0) + 40);
  }, 120_000);

  it("(c) a backend hard-killed under 10 req/s costs zero client-visible errors", async () => {
    const victim = fake("kill-coreweave");
    const killAtMs = 3000;
    const results = await runLoad(() => send("kill"), { ratePerSecond: 10, durationMs: 12_000, events: [{ atMs: killAtMs, run: () => victim.kill() }] });
    const after = results.filter((r) => r.sentAtMs >= killAtMs);
    const retried = after.filter((r) => r.retries > 0 || r.fallbacks > 0);
    const lastRetry = Math.max(0, ...retried.map((r) => r.sentAtMs - killAtMs));
    const victimWeight = config.model_list.find((d) => d.model_info.id === "kill-coreweave")!.litellm_params.weight! / 1000;
    report("(c) hard kill", {
      requests: results.length,
      errors: results.length - okCount(results),
      before: servedBy(results.filter((r) => r.sentAtMs < killAtMs)),
      after: servedBy(after),
      retriedAfterKill: retried.length,
      victimWeight,
      lastRetryMsAfterKill: Math.round(lastRetry),
      p50Ms: Math.round(percentile(results.map((r) => r.ms), 50)),
      p99Ms: Math.round(percentile(results.map((r) => r.ms), 99)),
    });
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(after.filter((r) => r.modelId === "kill-coreweave")).toEqual([]);
    // Benched, not just retried: without benching about victimWeight (~50%) of requests would hit the dead backend first.
    expect(retried.length / after.length).toBeLessThan(victimWeight / 2);
  }, 60_000);

  it.each([
    ["returns 500s", "errors", "error"],
    ["hangs", "hang", "hang"],
  ] as const)("(d) a backend that %s is benched, clients see no errors, and traffic returns after it recovers", async (_label, group, mode) => {
    const victim = fake(`${group}-gcp`);
    const [faultAtMs, recoverAtMs, durationMs] = [2000, 12_000, 22_000];
    // Detection takes one request timeout (a hang) or a few 5xx answers; benching is judged after that.
    const benchedFromMs = faultAtMs + reliability.requestTimeoutSeconds! * 1000 + 1000;
    let loadStart = 0;
    const results = await runLoad(() => send(group), {
      ratePerSecond: 10,
      durationMs,
      events: [
        { atMs: 0, run: () => void (loadStart = performance.now()) },
        { atMs: faultAtMs, run: () => void (victim.mode = mode) },
        { atMs: recoverAtMs, run: () => victim.recover() },
      ],
    });
    const weight = config.model_list.find((d) => d.model_info.id === victim.name)!.litellm_params.weight! / 1000;
    const hits = victim.faultHits.map((t) => t - loadStart);
    const benchedWindow = results.filter((r) => r.sentAtMs >= benchedFromMs && r.sentAtMs < recoverAtMs);
    const hitsWhileBenched = hits.filter((t) => t >= benchedFromMs).length;
    const firstBack = results.find((r) => r.sentAtMs >= recoverAtMs && r.modelId === victim.name);
    const returnMs = firstBack ? Math.round(firstBack.sentAtMs - recoverAtMs) : undefined;
    const tail = results.filter((r) => r.sentAtMs >= durationMs - 4000);
    report(`(d) ${mode}`, {
      requests: results.length,
      errors: results.length - okCount(results),
      victimWeight: weight,
      victimHitsWhileFaulty: hits.length,
      victimHitsAfterDetection: hitsWhileBenched,
      unbenchedExpectationAfterDetection: Math.round(benchedWindow.length * weight),
      trafficReturnedMsAfterRecovery: returnMs,
      lastFourSeconds: servedBy(tail),
      p50Ms: Math.round(percentile(results.map((r) => r.ms), 50)),
      p99Ms: Math.round(percentile(results.map((r) => r.ms), 99)),
    });
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    // Benched: after detection it sees under half of what its weight would send it. What it still sees is the
    // re-probe when its cooldown expires (observed 0–13 of ~44 for a hang: each re-probe holds requests for one
    // request timeout before the second timeout benches it again; 3–7 of ~44 for 500s).
    expect(hitsWhileBenched).toBeLessThan((benchedWindow.length * weight) / 2);
    // Back within two health-check intervals (the cooldown is at most two), +1.5 s for the next request to pick it on a
    // loaded CI machine. Seen: 2.7–3.6 s after 500s (a passing health check lifts the bench), 6.1–6.2 s after a hang
    // (benched by request timeouts: the whole 6 s cooldown).
    expect(returnMs).toBeDefined();
    expect(returnMs!).toBeLessThanOrEqual(2 * reliability.healthCheckIntervalSeconds! * 1000 + 1500);
    // And it carries real traffic again: at least half its weighted share over the last four seconds.
    expect(tail.filter((r) => r.modelId === victim.name).length).toBeGreaterThanOrEqual((tail.length * weight) / 2);
  }, 60_000);

  it("(h) resumes a stream cut after its first chunks on another backend (one unbroken stream) and benches the cutter", async () => {
    // LiteLLM re-routes a stream only before its first content chunk, counts the transport error of a later cut
    // towards no cooldown, and health checks are not streamed: without the guard every stream sent here broke.
    fake("cut-aws").mode = "cut";
    const started = performance.now();
    const streams: StreamResult[] = [];
    for (let i = 0; i < 20; i++) streams.push(await chatStream(proxy!, { model: "cut", key: MASTER_KEY, extra: { max_tokens: 50 } }));
    const elapsedMs = performance.now() - started;
    const cuts = fake("cut-aws").counts.cut;
    fake("cut-aws").recover();
    report("(h) stream cut", { streams: streams.length, broken: streams.filter((r) => !r.complete).length, cutsAtBackend: cuts, resumedElsewhere: fake("cut-gcp").counts.continued, servedByOther: fake("cut-gcp").counts.streamed, elapsedMs: Math.round(elapsedMs) });

    expectOneUnbrokenStreamEach(streams);
    // Every cut stream was resumed exactly once, on the other backend, from where it was cut.
    expect(fake("cut-gcp").counts.continued).toBe(cuts);
    expect(fake("cut-gcp").counts.badContinuations).toBe(0);
    // Each resumed from the pieces the proxy had received (1 or both of the 2 the backend sent before the cut: the
    // reset can discard the second, seen once in CI), asking for the client's max_tokens less those pieces.
    const continuations = fake("cut-gcp").continuations;
    expect(continuations).toHaveLength(cuts);
    for (const c of continuations) {
      expect(c.fromPiece).toBeGreaterThanOrEqual(1);
      expect(c.fromPiece).toBeLessThanOrEqual(CHUNKS_BEFORE_CUT);
      expect(c.maxTokens).toBe(50 - c.fromPiece);
    }
    expect(streams.filter((r) => r.modelId === "cut-aws")).toHaveLength(cuts);
    // All 20 were sent within one cooldown window: the backend is benched at its allowedFailures + 1 = 3rd broken
    // stream (seen: 3 in every run). LiteLLM runs failure callbacks as tasks, so one more stream may be routed
    // before the third is counted: the bound asserted is one above.
    expect(elapsedMs).toBeLessThan(reliability.cooldownSeconds! * 1000);
    expect(cuts).toBeGreaterThanOrEqual(1);
    expect(cuts).toBeLessThanOrEqual(reliability.allowedFailures! + 2);
  });

  it("(h) resumes a stream that stalls after its first chunks once the stream timeout passes, and benches the staller", async () => {
    fake("stall-aws").mode = "stall";
    const streams: StreamResult[] = [];
    for (let i = 0; i < 10; i++) streams.push(await chatStream(proxy!, { model: "stall", key: MASTER_KEY }));
    const stalled = fake("stall-aws").counts.stalled;
    fake("stall-aws").recover();
    const ms = streams.map((r) => Math.round(r.ms));
    report("(h) stream stall", { streams: streams.length, broken: streams.filter((r) => !r.complete).length, stalledAtBackend: stalled, resumedElsewhere: fake("stall-gcp").counts.continued, ms });
    expectOneUnbrokenStreamEach(streams);
    expect(fake("stall-gcp").counts.continued).toBe(stalled);
    expect(stalled).toBeGreaterThanOrEqual(1);
    // Each stall costs its stream one stream timeout (2 s) before the resume. The read timeout surfaces as a transport
    // error, so the guard counts it like a cut and benches the staller at allowedFailures + 1 = 3 (seen: 3); one more
    // may be routed before the third is counted.
    expect(stalled).toBeLessThanOrEqual(reliability.allowedFailures! + 2);
    expect(Math.max(...ms)).toBeLessThan(reliability.streamTimeoutSeconds! * 1000 + 1500);
  });

  it("(h) resumes a lone tier-1 backend's cut streams in tier 2, and ends a stream with one clean error event only when every backend cuts", async () => {
    const [tier1, tier2] = [fake("cuttier-coreweave"), fake("cuttier-aws")];
    tier1.mode = "cut";
    const streams: StreamResult[] = [];
    for (let i = 0; i < 10; i++) streams.push(await chatStream(proxy!, { model: "cuttier", key: MASTER_KEY }));
    const tier1Cuts = tier1.counts.cut;
    expectOneUnbrokenStreamEach(streams);
    expect(tier2.counts.continued).toBe(tier1Cuts);
    expect(tier1Cuts).toBeGreaterThanOrEqual(1);
    expect(tier1Cuts).toBeLessThanOrEqual(reliability.allowedFailures! + 2);

    // Both tiers cut (tier 1 is benched by now): the first backend's cut is resumed, the resumed stream is cut too,
    // and with no backend left that has not failed this stream the client gets the error event, after at most
    // 1 + numRetries upstream streams, not a hang.
    tier2.mode = "cut";
    const upstreamBefore = tier1.counts.cut + tier2.counts.cut + tier1.counts.streamed + tier2.counts.streamed;
    const doomed = await chatStream(proxy!, { model: "cuttier", key: MASTER_KEY });
    const upstream = tier1.counts.cut + tier2.counts.cut + tier1.counts.streamed + tier2.counts.streamed - upstreamBefore;
    tier1.recover();
    tier2.recover();
    report("(h) stream cut, lone tier 1", { streams: streams.length, broken: streams.filter((r) => !r.complete).length, tier1Cuts, resumedInTier2: tier2.counts.continued, everyBackendCutting: { complete: doomed.complete, status: doomed.status, content: doomed.content, upstreamStreams: upstream, ms: Math.round(doomed.ms), error: doomed.error?.slice(0, 160) } });
    expect(doomed).toMatchObject({ status: 200, complete: false });
    expect(doomed.error).toBeDefined();
    expect(STREAM_PIECES.join("").startsWith(doomed.content)).toBe(true);
    expect(upstream).toBeGreaterThanOrEqual(1);
    expect(upstream).toBeLessThanOrEqual(1 + reliability.numRetries!);
  });

  it("(i) retries a stream dropped before its first chunk on another backend: zero client errors", async () => {
    fake("drop-aws").mode = "drop";
    const streams: StreamResult[] = [];
    for (let i = 0; i < 20; i++) streams.push(await chatStream(proxy!, { model: "drop", key: MASTER_KEY }));
    const drops = fake("drop-aws").counts.dropped;
    fake("drop-aws").recover();
    report("(i) stream dropped", { streams: streams.length, broken: streams.filter((r) => !r.complete).length, dropsAtBackend: drops, servedByOther: fake("drop-gcp").counts.streamed });
    expect(drops).toBeGreaterThanOrEqual(1);
    expect(streams.filter((r) => !r.complete)).toEqual([]);
    expect(streams.every((r) => r.modelId === "drop-gcp" && r.chunks === STREAM_PIECES.length)).toBe(true);
  });

  it("(i) re-runs a stream cut before its first token (after vLLM's opening role chunk) on another backend: zero client errors", async () => {
    // LiteLLM's retries cover the call that opens a stream; this one opened, then its pod died in prefill.
    const [cutter, other] = [fake("prefill-aws"), fake("prefill-gcp")];
    cutter.mode = "cut-in-prefill";
    const streams: StreamResult[] = [];
    for (let i = 0; i < 20; i++) streams.push(await chatStream(proxy!, { model: "prefill", key: MASTER_KEY, extra: { max_tokens: 50 } }));
    const cuts = cutter.counts.cut;
    cutter.recover();
    report("(i) stream cut in prefill", { streams: streams.length, broken: streams.filter((r) => !r.complete).length, cutsAtBackend: cuts, servedByOther: other.counts.streamed, continued: other.counts.continued });
    expectOneUnbrokenStreamEach(streams);
    expect(cuts).toBeGreaterThanOrEqual(1);
    // Run again as the client sent it (nothing to continue), and the cutter benched like any stream breaker.
    expect(other.counts.continued).toBe(0);
    expect(other.counts.streamed).toBe(20);
    expect(cuts).toBeLessThanOrEqual(reliability.allowedFailures! + 2);
  });

  it("(j) benches a backend at its first 429 (a client request's or a health check's): zero client errors", async () => {
    fake("limited-aws").mode = "ratelimit";
    const results: ChatResult[] = [];
    for (let i = 0; i < 20; i++) results.push(await send("limited"));
    const limited = fake("limited-aws").counts.rateLimited;
    fake("limited-aws").recover();
    report("(j) 429", { requests: results.length, errors: results.length - okCount(results), upstream429s: limited, servedByOther: fake("limited-gcp").counts.served, p99Ms: Math.round(percentile(results.map((r) => r.ms), 99)) });
    expect(okCount(results)).toBe(20);
    expect(results.every((r) => r.modelId === "limited-gcp")).toBe(true);
    // Benched by the first 429 it answers (seen: 0–1 client requests; a background health check may meet the 429
    // first); one more may be routed before that failure is counted.
    expect(limited).toBeLessThanOrEqual(2);
  });

  it("(k) moves a stream off a backend slower to its first byte than streamTimeoutSeconds, and benches it: zero client errors", async () => {
    fake("slow-aws").latencyMs = 5000;
    const streams: StreamResult[] = [];
    for (let i = 0; i < 20; i++) streams.push(await chatStream(proxy!, { model: "slow", key: MASTER_KEY }));
    fake("slow-aws").latencyMs = 20;
    const ms = streams.map((r) => r.ms);
    const waited = ms.filter((m) => m > reliability.streamTimeoutSeconds! * 1000).length;
    report("(k) slow first byte", { streams: streams.length, broken: streams.filter((r) => !r.complete).length, servedByOther: fake("slow-gcp").counts.streamed, waitedOnSlow: waited, p50Ms: Math.round(percentile(ms, 50)), maxMs: Math.round(Math.max(...ms)) });
    expect(streams.filter((r) => !r.complete)).toEqual([]);
    expect(streams.every((r) => r.modelId === "slow-gcp")).toBe(true);
    // Each stream that met the slow backend waited one streamTimeoutSeconds (2 s) before it moved; after
    // allowedTimeouts + 1 = 2 timeouts the backend is benched and the rest start at once (seen: 1–2; one more may
    // be routed before a timeout is counted).
    expect(waited).toBeLessThanOrEqual(reliability.allowedTimeouts! + 2);

    // The budget bounds the wait for each chunk (time to first token, then each gap), not the whole stream: a stream
    // longer than streamTimeoutSeconds whose chunks keep coming is served to its end.
    fake("slow-gcp").streamChunkIntervalMs = 600;
    const long = await chatStream(proxy!, { model: "slow", key: MASTER_KEY });
    fake("slow-gcp").streamChunkIntervalMs = 25;
    report("(k) long stream", { complete: long.complete, chunks: long.chunks, ms: Math.round(long.ms) });
    expect(long).toMatchObject({ complete: true, chunks: STREAM_PIECES.length, modelId: "slow-gcp" });
    expect(long.ms).toBeGreaterThan(reliability.streamTimeoutSeconds! * 1000);
  });

  it("(k) holds tier 1 to its own time-to-first-token budget: a reserved backend past it loses its streams to tier 2 and is benched", async () => {
    const [tier1, tier2] = [fake("ttft-coreweave"), fake("ttft-aws")];
    tier1.firstChunkDelayMs = 1500;
    const streams: StreamResult[] = [];
    for (let i = 0; i < 10; i++) streams.push(await chatStream(proxy!, { model: "ttft", key: MASTER_KEY }));
    tier1.firstChunkDelayMs = 0;
    const ms = streams.map((r) => Math.round(r.ms));
    report("(k) tier-1 first-token budget", { streams: streams.length, broken: streams.filter((r) => !r.complete).length, byBackend: servedBy(streams), tier1Started: tier1.counts.streamStarts, ms });
    expectOneUnbrokenStreamEach(streams);
    // Under the shared 2 s budget every stream would have come from tier 1 after 1.5 s.
    expect(streams.every((r) => r.modelId === "ttft-aws")).toBe(true);
    expect(tier2.counts.streamed).toBe(streams.length);
    // Each tier-1 attempt costs a stream 1 s. LiteLLM's retries re-pick the lowest tier, and misses are counted in
    // background tasks, so the first stream may meet tier 1 on every attempt (1 + numRetries) and one more stream
    // once before the bench lands (seen: 3 + 1, the first stream 3.2 s); after that streams start at once.
    const budgetMs = reliability.streamTimeoutSecondsByTier!.reserved! * 1000;
    expect(tier1.counts.streamStarts).toBeLessThanOrEqual(reliability.numRetries! + 2);
    expect(streams[0]!.ms).toBeLessThan((reliability.numRetries! + 1) * budgetMs + 1500);
    expect(streams.slice(2).every((r) => r.ms < budgetMs)).toBe(true);
  });

  it("(l) overflows a healthy, saturated tier 1 to tier 2 with zero client errors, and takes the traffic back when load falls", async () => {
    // Tier 1 serves 4 at once × 2 per second = 8 requests/s; 12/s is 1.5× its capacity.
    const over = await runLoad(() => send("overflow"), { ratePerSecond: 12, durationMs: 10_000 });
    const under = await runLoad(() => send("overflow"), { ratePerSecond: 4, durationMs: 5_000 });
    const served = servedBy(over);
    report("overflow", { offered: over.length, errors: over.length - okCount(over), served, tier1Capacity: 80, underLoad: servedBy(under), underErrors: under.length - okCount(under) });
    expect(okCount(over)).toBe(over.length);
    expect((served["overflow-coreweave"] ?? 0) + (served["overflow-aws"] ?? 0)).toBe(120);
    // Tier 1 holds its capacity (80 over the 10 s, less the proxy's own overhead per request) and never more.
    expect(served["overflow-coreweave"]).toBeGreaterThanOrEqual(48);
    expect(served["overflow-coreweave"]).toBeLessThanOrEqual(84);
    expect(served["overflow-aws"]).toBeGreaterThanOrEqual(36);
    // Under its capacity again, tier 2 drains: everything is back on tier 1.
    expect(servedBy(under)).toEqual({ "overflow-coreweave": 20 });
  }, 120_000);

  it("falls back to the hosted group when a lone backend dies, with zero client errors", async () => {
    const lone = fake("lone-coreweave");
    const healthy = await runBatch(10, 2, () => send("lone"));
    await lone.kill();
    const down = await runBatch(20, 2, () => send("lone"));
    report("fallback", { healthy: servedBy(healthy), loneKilled: servedBy(down), hostedServed: hosted.counts.served });
    expect(servedBy(healthy)).toEqual({ "lone-coreweave": 10 });
    expect(servedBy(down)).toEqual({ "fallback-hosted-fallback": 20 });
    expect(hosted.counts.served).toBe(20);
  }, 60_000);

  it("(m) holds a hosted fallback to its rate limit: the gateway refuses the excess itself, so the provider never answers a 429", async () => {
    await fake("capped-coreweave").kill();
    // LiteLLM counts per UTC minute: send the burst within one, so the count is one window's.
    const second = new Date().getUTCSeconds();
    if (second > 45) await sleep((61 - second) * 1000);
    const results = await runBatch(3 * HOSTED_RPM, 2, () => send("capped"));
    const statuses = results.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    const refused = results.filter((r) => r.status !== 200);
    const fallbackRefusals = refused.map((r) => /Fallback to capped-fallback also failed: ([^"\\]*)/.exec(r.body)?.[1] ?? r.body.slice(0, 300));
    report("(m) hosted rate limit", { requestsPerMinute: HOSTED_RPM, sent: results.length, statuses, servedBy: servedBy(results), providerServed: hostedCapped.counts.served, provider429s: hostedCapped.counts.rateLimited, slowestMs: Math.round(Math.max(...results.map((r) => r.ms))), fallbackRefusals: [...new Set(fallbackRefusals)] });
    expect(servedBy(results.filter((r) => r.status === 200))).toEqual({ "fallback-capped-fallback": HOSTED_RPM });
    // LiteLLM answers with the group's own error (its dead backend's 500) and names the fallback's refusal in the body.
    expect(statuses).toEqual({ 200: HOSTED_RPM, 500: 2 * HOSTED_RPM });
    // Each excess request was refused by the gateway's count, none by a benched fallback: it stays in service.
    const usage = fallbackRefusals.map((m) => Number(new RegExp(`^litellm\\.RateLimitError: Model rate limit exceeded\\. RPM limit=${HOSTED_RPM}, current usage=(\\d+)$`).exec(m)?.[1]));
    expect(usage.sort((a, b) => a - b)).toEqual(refused.map((_, i) => HOSTED_RPM + 1 + i));
    expect(hostedCapped.counts.served).toBe(HOSTED_RPM);
    expect(hostedCapped.counts.rateLimited).toBe(0);
  }, 90_000);
});

/**
 * Run with the venv's Python: reads the rendered config on stdin and lists every key LiteLLM 1.106 would not
 * read. router_settings → Router.__init__ parameters (the proxy ignores others with a warning);
 * general_settings → keys proxy_server.py reads with general_settings.get(...); litellm_settings → litellm module
 * attributes; litellm_params → LiteLLM_Params / LiteLLMParamsTypedDict fields; allowed_fails_policy → AllowedFailsPolicy fields.
 */
const KEY_CHECK = String.raw`
import inspect, json, re, sys
import litellm
from litellm.types.router import AllowedFailsPolicy, LiteLLM_Params, LiteLLMParamsTypedDict
import litellm.proxy.proxy_server as proxy_server
config = json.load(sys.stdin)
unknown = []
router_args = set(inspect.signature(litellm.Router.__init__).parameters)
for key in config["router_settings"]:
    if key not in router_args: unknown.append("router_settings." + key)
for key in config["router_settings"].get("allowed_fails_policy", {}):
    if key not in AllowedFailsPolicy.model_fields: unknown.append("allowed_fails_policy." + key)
source = open(proxy_server.__file__).read()
for key in config["general_settings"]:
    if not re.search(r'general_settings\.get\(\s*"%s"' % re.escape(key), source): unknown.append("general_settings." + key)
for key in config["litellm_settings"]:
    if not hasattr(litellm, key): unknown.append("litellm_settings." + key)
for deployment in config["model_list"]:
    for key in deployment["litellm_params"]:
        if key not in LiteLLM_Params.model_fields and key not in LiteLLMParamsTypedDict.__annotations__: unknown.append("litellm_params." + key)
print(json.dumps({"unknown": sorted(set(unknown))}))
`;
