/**
 * The gateway's Redis as deployed — TLS and a password, as SharedServices' ElastiCache requires — proven with two
 * real LiteLLM proxies sharing a real redis-server (Debian's, installed by scripts/redis-server.sh) that serves TLS
 * only, with a certificate from a CA this test makes: a backend benched by one replica is skipped by the other, the
 * state is in Redis behind TLS and AUTH, and a Redis outage mid-load costs clients nothing.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderLiteLLMConfig } from "@switchyard/components/src/litellm-gateway";
import type { GatewayReliabilityArgs } from "@switchyard/components/src/litellm-gateway";
import type { Backend } from "@switchyard/components/src/contracts";
import { FakeBackend } from "./fake-backend";
import { LiteLLMProxy, chat, ensureLiteLLM, freePort, runLoad, sleep } from "./proxy";
import type { ChatResult } from "./proxy";

const ROOT = path.resolve(import.meta.dirname, "../..");
const MASTER_KEY = "sk-switchyard-test-master-0123456789";
const REDIS_PASSWORD = "switchyard-test-redis-password-0123";
/** Health checks every 20 s: within a scenario, only Redis can tell replica B that replica A benched a backend. */
const reliability: GatewayReliabilityArgs = {
  numRetries: 2,
  requestTimeoutSeconds: 2,
  streamTimeoutSeconds: 2,
  cooldownSeconds: 30,
  allowedFailures: 2,
  allowedTimeouts: 1,
  healthCheckIntervalSeconds: 20,
  healthCheckTimeoutSeconds: 1,
};

const dir = mkdtempSync(path.join(tmpdir(), "switchyard-redis-"));
const fakes = ["shared-aws", "shared-gcp"].map((name) => new FakeBackend({ name, servedModelName: "shared-served", apiKey: `key-${name}` }));
const aws = fakes[0]!;
const COOLDOWN_KEY = "deployment:shared-aws:cooldown";
let redisBin: string;
let redisPort: number;
let redis: ChildProcess | undefined;
let proxies: LiteLLMProxy[] = [];

/** A CA, and a server certificate it signs for 127.0.0.1 and localhost: what the proxies must verify. */
function makeCertificates(): void {
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=switchyard-test-ca", "-keyout", "ca.key", "-out", "ca.pem");
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr");
  writeFileSync(path.join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-extfile", "san.ext", "-out", "server.pem");
}

/** redis-server on TLS only (plain port off), AUTH required, nothing persisted; resolves once it accepts TLS. */
async function startRedis(): Promise<void> {
  redis = spawn(
    redisBin,
    [
      "--port", "0",
      "--tls-port", String(redisPort),
      "--bind", "127.0.0.1",
      "--tls-cert-file", "server.pem",
      "--tls-key-file", "server.key",
      "--tls-ca-cert-file", "ca.pem",
      "--tls-auth-clients", "no",
      "--requirepass", REDIS_PASSWORD,
      "--save", "",
      "--appendonly", "no",
      "--dir", dir,
    ],
    { cwd: dir, stdio: "ignore" },
  );
  for (let i = 0; i < 100; i++) {
    if (redisCli("PING").stdout.trim() === "PONG") return;
    await sleep(100);
  }
  throw new Error("redis-server did not answer PING over TLS within 10 s");
}

function redisCli(...command: string[]) {
  return spawnSync("redis-cli", ["--tls", "--cacert", path.join(dir, "ca.pem"), "-h", "127.0.0.1", "-p", String(redisPort), "--no-auth-warning", "-a", REDIS_PASSWORD, ...command], { encoding: "utf8" });
}

async function stopRedis(): Promise<void> {
  const child = redis;
  redis = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGKILL");
  await exited;
}

const send = (proxy: LiteLLMProxy) => chat(proxy, { model: "shared", key: MASTER_KEY });

describe("the gateway's Redis: TLS, a password, two replicas, an outage", () => {
  beforeAll(async () => {
    const installed = spawnSync("bash", [path.join(ROOT, "scripts/redis-server.sh")], { encoding: "utf8", timeout: 10 * 60_000 });
    if (installed.status !== 0) {
      const summary = installed.stderr.split("\n").filter((line) => line.includes("ERROR")).pop() ?? `exit status ${installed.status}`;
      throw new Error(`scripts/redis-server.sh could not provide redis-server: ${summary}\n${installed.stderr}`);
    }
    redisBin = installed.stdout.trim();
    makeCertificates();
    redisPort = await freePort();
    await startRedis();
    const bin = ensureLiteLLM();
    for (const f of fakes) await f.start();
    const backends: Backend[] = fakes.map((f, i) => ({
      name: f.name,
      provider: i === 0 ? "aws" : "gcp",
      region: "local",
      capacityType: "spot",
      modelName: "shared",
      servedModelName: "shared-served",
      baseUrl: f.baseUrl,
      apiKeySecretEnv: `${f.name.toUpperCase().replace("-", "_")}_API_KEY`,
      costPerHour: 2,
      tokensPerSecond: 1000,
      expectedLatencyMs: 100,
    }));
    const config = renderLiteLLMConfig(backends, { reliability, replicas: 2, redis: { withPassword: true } });
    // What LiteLLMGatewayConfig gives the pods (REDIS_SSL from `redis.tls`, the password from the Secret), plus the
    // test's CA: ElastiCache's certificate chains to a public root in the image's trust store.
    const env: Record<string, string> = {
      LITELLM_MASTER_KEY: MASTER_KEY,
      LITELLM_SALT_KEY: "sk-switchyard-test-salt-0123456789",
      REDIS_HOST: "127.0.0.1",
      REDIS_PORT: String(redisPort),
      REDIS_PASSWORD,
      REDIS_SSL: "true",
      REDIS_SSL_CA_CERTS: path.join(dir, "ca.pem"),
      SHARED_AWS_API_KEY: "key-shared-aws",
      SHARED_GCP_API_KEY: "key-shared-gcp",
    };
    proxies = [await LiteLLMProxy.start({ bin, config, env }), await LiteLLMProxy.start({ bin, config, env })];
  }, 16 * 60_000);

  afterAll(async () => {
    for (const p of proxies) await p.stop();
    for (const f of fakes) await f.kill();
    await stopRedis();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it("shares a cooldown through Redis over TLS: replica B skips the backend replica A benched", async () => {
    const [a, b] = proxies as [LiteLLMProxy, LiteLLMProxy];
    aws.mode = "error";
    // Through A until A has benched it (after allowedFailures + 1 = 3 failures by LiteLLM's count, health checks
    // included; a retry in flight may add one) and written the cooldown to Redis.
    const throughA: ChatResult[] = [];
    const benched = () => redisCli("EXISTS", COOLDOWN_KEY).stdout.trim() === "1";
    while (!benched() && throughA.length < 60) throughA.push(await send(a));
    const failuresSeenByA = aws.counts.failed;
    // LiteLLM re-reads cooldowns from Redis about once a second; 3 s leaves room for a loaded machine.
    await sleep(3000);
    const throughB: ChatResult[] = [];
    for (let i = 0; i < 20; i++) throughB.push(await send(b));
    const hitsFromB = aws.counts.failed - failuresSeenByA;
    const keys = redisCli("--scan").stdout.split("\n").filter(Boolean);
    aws.recover();
    console.warn(`[redis] shared cooldown: ${JSON.stringify({ requestsThroughA: throughA.length, failuresSeenByA, requestsThroughB: throughB.length, hitsFromB, errors: [...throughA, ...throughB].filter((r) => r.status !== 200).length, cooldownKeys: keys.filter((k) => k.includes("cooldown")) })}`);

    expect(benched()).toBe(true);
    expect([...throughA, ...throughB].every((r) => r.status === 200)).toBe(true);
    expect(throughB.every((r) => r.modelId === "shared-gcp")).toBe(true);
    // On its own, B would bench the backend only after allowedFailures + 1 = 3 failures of its own. With A's cooldown
    // read from Redis it sends at most one request there (seen: 0–1; LiteLLM re-reads cooldowns about once a second).
    expect(hitsFromB).toBeLessThanOrEqual(1);
    // The cooldown is a key in Redis, read over TLS with the password; a plain-text client gets nothing.
    expect(keys).toContain(COOLDOWN_KEY);
    const plain = spawnSync("redis-cli", ["-h", "127.0.0.1", "-p", String(redisPort), "PING"], { encoding: "utf8", timeout: 5000 });
    expect(plain.stdout.trim()).not.toBe("PONG");
  });

  it("keeps serving through a Redis outage mid-load and after Redis returns: zero client errors", async () => {
    const [a, b] = proxies as [LiteLLMProxy, LiteLLMProxy];
    let turn = 0;
    const results = await runLoad(() => send(turn++ % 2 === 0 ? a : b), {
      ratePerSecond: 10,
      durationMs: 9000,
      events: [
        { atMs: 2000, run: () => stopRedis() },
        { atMs: 5000, run: () => startRedis() },
      ],
    });
    const errors = results.filter((r) => r.status !== 200);
    const during = results.filter((r) => r.sentAtMs >= 2000 && r.sentAtMs < 5000);
    console.warn(`[redis] outage: ${JSON.stringify({ requests: results.length, errors: errors.length, duringOutage: during.length, okDuringOutage: during.filter((r) => r.status === 200).length, maxMs: Math.round(Math.max(...results.map((r) => r.ms))), firstError: errors[0]?.body.slice(0, 200) ?? errors[0]?.error })}`);
    expect(during.length).toBeGreaterThan(20);
    expect(errors).toEqual([]);
    // Redis is back: the proxies write to it again.
    expect(redisCli("PING").stdout.trim()).toBe("PONG");
  });
});
