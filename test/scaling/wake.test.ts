/**
 * A burst tier at zero replicas wakes on its own model's spill at the gateway (issue 12, point 2), proved with the
 * real parts: every stack of the example fleet is synthesized from its committed config; the shared stack's gateway
 * config (as its ConfigMap carries it) runs in the real LiteLLM proxy, in front of stand-ins for the backends — those
 * the plan scales to zero answer every request and health check with the 503 an ingress gives for a Service without
 * endpoints — and a real Prometheus (Debian's) scrapes the proxy's metrics port, where the guard serves LiteLLM's
 * `prometheus` callback. The exact query each rendered ScaledObject's wake trigger carries is evaluated against it.
 *
 * What differs from production, and why: one proxy (no Redis: shared state is another test's subject), each order-1
 * backend capped at TIER1_CAP requests at once instead of the plan's hundreds (the cap's sizing is checked against
 * the plan in plan-mapping.test.ts; here it only has to be reachable), and a one-second scrape interval.
 */
import { PROVIDER_ENVS, deployFleet, gatewayConfig } from "../environments/fixtures";
import type { DeployedFleet } from "../environments/fixtures";
import { FakeBackend } from "../gateway/fake-backend";
import { LiteLLMProxy, chat, ensureLiteLLM, freePort, runBatch, servedBy, sleep } from "../gateway/proxy";
import type { ChatResult } from "../gateway/proxy";
import type { LiteLLMConfig } from "@switchyard/components/src/litellm-gateway";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensurePrometheus, instant, startPrometheus } from "./prometheus";
import type { RunningPrometheus } from "./prometheus";

const SPEC = "examples/fleet.yaml";
const MASTER_KEY = "sk-switchyard-wake-test-9c41d7e2a5b8";
/** Requests one order-1 backend takes at once here; beyond, LiteLLM looks for the next order. */
const TIER1_CAP = 2;
/** Every stand-in takes this long per completion, so concurrency is what it is offered. */
const LATENCY_MS = 1000;

interface WakeTrigger {
  scaler: string;
  backend: string;
  model: string;
  order: number;
  serverAddress: string;
  query: string;
  threshold: string;
}

function report(label: string, figures: unknown): void {
  console.warn(`[wake] ${label}: ${JSON.stringify(figures)}`);
}

describe("burst tiers wake on their own model's spill at the real gateway, read by a real Prometheus", () => {
  let fleet: DeployedFleet;
  let wakes: WakeTrigger[] = [];
  const backends = new Map<string, FakeBackend>();
  let proxy: LiteLLMProxy | undefined;
  let prometheus: RunningPrometheus | undefined;
  /** Concurrent requests each model's order-1 backends take here. */
  const tier1Capacity = new Map<string, number>();

  const values = async () => Object.fromEntries(await Promise.all(wakes.map(async (w) => [w.scaler, (await instant(prometheus!.url, w.query)) ?? Number.NaN] as const)));
  const send = (model: string) => () => chat(proxy!, { model, key: MASTER_KEY, timeoutMs: 60_000 });

  beforeAll(async () => {
    const prometheusBin = ensurePrometheus();
    const litellmBin = ensureLiteLLM();
    fleet = await deployFleet(SPEC);
    const planned = new Map(fleet.plan.backends.map((b) => [b.name, b]));
    wakes = PROVIDER_ENVS.flatMap((env) =>
      (fleet.providers[env] ?? [])
        .filter((r) => r.type === "kubernetes:keda.sh/v1alpha1:ScaledObject")
        .flatMap((r) => {
          const spec = r.inputs["spec"] as { scaleTargetRef: { name: string }; triggers: { name: string; metadata: { serverAddress: string; query: string; threshold: string } }[] };
          const wake = spec.triggers.find((t) => t.name === "wake");
          const backend = planned.get(spec.scaleTargetRef.name)!;
          return wake === undefined ? [] : [{ scaler: r.name, backend: backend.name, model: backend.model, order: backend.order, ...wake.metadata }];
        }),
    );

    // The gateway as deployed, pointed at the stand-ins; each key the config reads from the environment gets one.
    const config = structuredClone(gatewayConfig(fleet.shared)) as unknown as LiteLLMConfig & { router_settings: Record<string, unknown> };
    for (const key of ["redis_host", "redis_port", "redis_password"]) delete config.router_settings[key];
    const env: Record<string, string> = { LITELLM_MASTER_KEY: MASTER_KEY };
    const atZero = new Set(wakes.map((w) => w.backend));
    for (const entry of config.model_list) {
      const id = entry.model_info.id;
      const params = entry.litellm_params;
      const hosted = !params.model.startsWith("hosted_vllm/");
      const key = `key-${id}-0123456789`;
      const backend = new FakeBackend({ name: id, servedModelName: params.model.split("/").slice(1).join("/"), apiKey: key, latencyMs: LATENCY_MS });
      await backend.start();
      if (atZero.has(id)) backend.mode = "unavailable";
      backends.set(id, backend);
      params.api_base = backend.baseUrl;
      env[params.api_key.replace(/^os\.environ\//, "")] = key;
      if (!hosted && params.order === 1) {
        params.max_parallel_requests = TIER1_CAP;
        tier1Capacity.set(entry.model_name, (tier1Capacity.get(entry.model_name) ?? 0) + TIER1_CAP);
      }
    }
    expect(config.litellm_settings.callbacks).toContain("prometheus");
    const metricsPort = await freePort();
    proxy = await LiteLLMProxy.start({ bin: litellmBin, config, env: { ...env, SWITCHYARD_METRICS_PORT: String(metricsPort) } });
    prometheus = await startPrometheus(prometheusBin, [`127.0.0.1:${metricsPort}`]);
  }, 15 * 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await proxy?.stop();
    await Promise.all([...backends.values()].map((b) => b.kill()));
  });

  it("gives every tier the plan scales to zero a wake trigger on the gateway's Prometheus, and no other tier one", () => {
    const toZero = fleet.plan.models.flatMap((m) => m.pools.flatMap((p) => p.tiers)).filter((t) => t.minReplicas === 0 && !t.fixed);
    expect(wakes.map((w) => w.backend).sort()).toEqual(toZero.map((t) => t.backend).sort());
    expect(wakes.length).toBeGreaterThanOrEqual(4);
    expect(new Set(wakes.map((w) => w.model))).toEqual(new Set(["llama-70b", "llama-8b"]));
    for (const w of wakes) expect(w.serverAddress, w.scaler).toMatch(/^https?:\/\//);
  });

  it("is 0 for every tier while the gateway is idle, health checks of the tiers at zero included", async () => {
    // The proxy health-checks every backend at start; wait until those at zero have failed theirs.
    const deadline = Date.now() + 60_000;
    while ([...backends.values()].some((b) => b.mode === "unavailable" && b.counts.unavailable === 0) && Date.now() < deadline) await sleep(500);
    await sleep(3000); // three scrapes
    const idle = await values();
    report("idle", idle);
    for (const w of wakes) expect(`${w.scaler}: ${idle[w.scaler]}`).toBe(`${w.scaler}: 0`);
    expect([...backends.values()].filter((b) => b.mode === "unavailable").every((b) => b.counts.unavailable > 0)).toBe(true);
  });

  it("stays 0 for every tier while a model is busy within its order-1 capacity", async () => {
    // Half of it: at exactly its capacity, a request that arrives as another completes may find every order-1
    // backend still counting that one (LiteLLM releases a slot after its success callbacks), and spill.
    const concurrency = tier1Capacity.get("llama-8b")! / 2;
    const results = await runBatch(concurrency * 12, concurrency, send("llama-8b"));
    await sleep(3000);
    const busy = await values();
    report("llama-8b within capacity", { concurrency, served: servedBy(results), wake: busy });
    expect(results.every((r: ChatResult) => r.status === 200)).toBe(true);
    for (const w of wakes) expect(`${w.scaler}: ${busy[w.scaler]}`).toBe(`${w.scaler}: 0`);
  });

  it("wakes exactly the saturated model's burst tiers at 1.5× its order-1 capacity, and no other model's", async () => {
    const capacity = tier1Capacity.get("llama-70b")!;
    const offered = Math.round(capacity * 1.5);
    const results = await runBatch(offered * 8, offered, send("llama-70b"));
    await sleep(3000);
    const saturated = await values();
    // What KEDA would ask each tier for: ⌈value / threshold⌉ (the tier's share of the spill, from the plan's mix).
    const replicasAsked = Object.fromEntries(wakes.map((w) => [w.scaler, Math.ceil(saturated[w.scaler]! / Number(w.threshold))]));
    report("llama-70b at 1.5× order-1 capacity", { capacity, offered, served: servedBy(results), wake: saturated, replicasAsked });
    // The hosted fallback takes what order 1 cannot while the burst tiers boot: no client errors.
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    for (const w of wakes) {
      if (w.model === "llama-70b") expect(saturated[w.scaler], w.scaler).toBeGreaterThan(0);
      else expect(`${w.scaler}: ${saturated[w.scaler]}`).toBe(`${w.scaler}: 0`);
    }
  });

  it("wakes a model without a hosted fallback too: its spill reaches the next order's tiers, which the gateway cannot place it on", async () => {
    const capacity = tier1Capacity.get("llama-8b")!;
    const offered = capacity * 2;
    const results = await runBatch(offered * 6, offered, send("llama-8b"));
    await sleep(3000);
    const saturated = await values();
    const statuses = results.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    report("llama-8b at 2× order-1 capacity, no fallback", { capacity, offered, served: servedBy(results), statuses, wake: saturated });
    // Order 1 is full and what spills finds the next order at zero: those clients get the gateway's error until it wakes.
    expect(statuses[200]).toBeGreaterThan(0);
    expect(Object.keys(statuses).filter((s) => s !== "200").length).toBeGreaterThan(0);
    const next = Math.min(...wakes.filter((x) => x.model === "llama-8b").map((x) => x.order));
    for (const w of wakes.filter((x) => x.model === "llama-8b" && x.order === next)) expect(saturated[w.scaler], w.scaler).toBeGreaterThan(0);
  });

  it("falls back to 0 for every tier once the spill stops, within the rate window", async () => {
    const started = Date.now();
    let last: Record<string, number> = {};
    while (Date.now() - started < 200_000) {
      last = await values();
      if (wakes.every((w) => last[w.scaler] === 0)) break;
      await sleep(5000);
    }
    report("after the spill", { seconds: Math.round((Date.now() - started) / 1000), wake: last });
    for (const w of wakes) expect(`${w.scaler}: ${last[w.scaler]}`).toBe(`${w.scaler}: 0`);
  }, 240_000);
});
