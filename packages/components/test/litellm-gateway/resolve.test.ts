import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { litellmImageVersion, resolveLiteLLMGatewayArgs } from "@switchyard/components/src/litellm-gateway";
import type { LiteLLMGatewayConfigArgs } from "@switchyard/components/src/litellm-gateway";
import { fleet, gatewayArgs } from "./fixtures";

const args = gatewayArgs as LiteLLMGatewayConfigArgs;

function problems(overrides: Partial<LiteLLMGatewayConfigArgs>, name = "gateway"): string {
  try {
    resolveLiteLLMGatewayArgs(name, { ...args, ...overrides });
  } catch (error) {
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error("expected resolveLiteLLMGatewayArgs to throw");
}

describe("resolveLiteLLMGatewayArgs", () => {
  it("fills the defaults: 2 replicas, port 4000, 2 cores and 4 GiB, the in-cluster /v1 endpoint", () => {
    const r = resolveLiteLLMGatewayArgs("gateway", args);
    expect(r.replicas).toBe(2);
    expect(r.port).toBe(4000);
    expect(r.resources).toEqual({ cpuCores: 2, memoryGiB: 4 });
    expect(r.endpoint).toBe("http://gateway.gateway.svc.cluster.local:4000/v1");
    expect(r.apiKeyEnvNames).toEqual([...new Set([...fleet.map((b) => b.apiKeySecretEnv), "OPENAI_API_KEY"])].sort());
    expect(r.redis.port).toBe(6379);
    // Two replicas: the rendered config shares router state through Redis.
    expect(r.config.router_settings.redis_host).toBe("os.environ/REDIS_HOST");
    expect(r.configSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.probes.liveness.path).toBe("/health/liveliness");
    expect(r.probes.readiness.path).toBe("/health/readiness");
  });

  it.each([
    ["ghcr.io/berriai/litellm-non_root:main-v1.106.2-stable", [1, 106, 2]],
    ["ghcr.io/berriai/litellm-non_root:v1.83.14", [1, 83, 14]],
    ["ghcr.io/berriai/litellm-non_root:main-stable", undefined],
    [`ghcr.io/berriai/litellm-non_root@sha256:${"a".repeat(64)}`, undefined],
  ])("reads the LiteLLM version of %s", (image, version) => {
    expect(litellmImageVersion(image)).toEqual(version);
  });

  it.each<[string, Partial<LiteLLMGatewayConfigArgs>, string[]]>([
    ["a floating tag", { image: "ghcr.io/berriai/litellm-non_root:main-stable" }, ['image ("ghcr.io/berriai/litellm-non_root:main-stable") must be pinned']],
    ["the root image", { image: "ghcr.io/berriai/litellm:main-v1.106.2-stable" }, ["must be the non-root variant"]],
    ["a release before the RCE fixes", { image: "ghcr.io/berriai/litellm-non_root:main-v1.83.7-stable" }, ["must be LiteLLM 1.83.14 or newer"]],
    ["a single replica", { replicas: 1 }, ["replicas (1) must be a whole number from 2 to 50"]],
    ["no Redis", { redis: undefined }, ["redis is required: the proxy replicas share cooldowns"]],
    ["a Redis port out of range", { redis: { host: "r", port: 70000 } }, ["redis.port (70000) must be a TCP port"]],
    ["a missing backend key", { apiKeys: { ...gatewayArgs.apiKeys, OPENAI_API_KEY: undefined as never } }, ['has no key for "OPENAI_API_KEY"']],
    ["no clients", { clients: [] }, ["clients ([]) must list at least one client namespace"]],
    ["a bad client namespace", { clients: [{ namespace: "Apps" }] }, ['clients[0].namespace ("Apps") must be a DNS-1123 label']],
    ["metrics without scrapers", { metrics: { scrapers: [] } }, ["metrics.scrapers ([]) must list the Prometheus pods that scrape the proxies", "admits only these to the metrics port"]],
    ["a bad scraper label", { metrics: { scrapers: [{ namespace: "monitoring", podLabels: { "app/": "prometheus" } }] } }, ['metrics.scrapers[0].podLabels["app/"]', "not a valid Kubernetes label key"]],
    ["an invalid backend (validated like renderLiteLLMConfig)", { backends: [{ ...fleet[0]!, baseUrl: "http://x:8000" }, ...fleet.slice(1)] }, ['backends[0].baseUrl ("http://x:8000") must be an http(s) URL ending in /v1']],
  ])("rejects %s", (_label, overrides, fragments) => {
    const message = problems(overrides);
    for (const fragment of fragments) expect(message).toContain(fragment);
  });

  it("names missing and unused API keys", () => {
    const { OPENAI_API_KEY: _dropped, ...withoutOpenAi } = gatewayArgs.apiKeys;
    const message = problems({ apiKeys: { ...withoutOpenAi, STRAY_API_KEY: "x" } });
    expect(message).toContain('has no key for "OPENAI_API_KEY"');
    expect(message).toContain('apiKeys["STRAY_API_KEY"] ("STRAY_API_KEY") is not read by any backend or the fallback');
  });

  it("never echoes a credential into the error", () => {
    const sentinel = "sentinel bad key with spaces 9f8e7d";
    const message = problems({ masterKey: sentinel, saltKey: sentinel, apiKeys: { ...gatewayArgs.apiKeys, OPENAI_API_KEY: sentinel }, redis: { host: "r", password: sentinel } });
    expect(message).toContain("masterKey must start with sk-");
    expect(message).toContain("saltKey must be at least 16 characters");
    expect(message).toContain('apiKeys["OPENAI_API_KEY"] must be a non-empty key');
    expect(message).toContain("redis.password must be a non-empty password");
    expect(message).not.toContain("9f8e7d");
  });

  it("lists every problem at once, the name's first", () => {
    const message = problems({ image: "litellm:latest", replicas: 1, clients: [] }, "Gateway");
    expect(message).toContain('LiteLLMGatewayConfig "Gateway" has 5 invalid arguments:');
    expect(message).toContain('name ("Gateway") must be a DNS-1035 label');
  });

  it("skips checks of values not known yet (Outputs)", () => {
    expect(() => resolveLiteLLMGatewayArgs("gateway", { ...args, masterKey: pulumi.output("unknown-at-construction"), redis: { host: pulumi.output("later") } })).not.toThrow();
  });
});
