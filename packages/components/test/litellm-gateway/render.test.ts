import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Backend } from "@switchyard/components/src/contracts";
import { renderLiteLLMConfig, renderLiteLLMConfigYaml, WEIGHT_TOTAL } from "@switchyard/components/src/litellm-gateway";
import type { LiteLLMConfig, LiteLLMRenderOptions } from "@switchyard/components/src/litellm-gateway";
import { awsOnDemand, awsSpot, coreweave8b, coreweaveReserved, fleet, gcp8b, gcpSpot, openAiFallback } from "./fixtures";

const production: LiteLLMRenderOptions = { fallbacks: [openAiFallback], replicas: 2, redis: { withPassword: true } };

function deployment(config: LiteLLMConfig, id: string) {
  const found = config.model_list.find((d) => d.model_info.id === id);
  if (!found) throw new Error(`no deployment ${id}`);
  return found;
}

describe("renderLiteLLMConfig for a fleet on three providers", () => {
  const config = renderLiteLLMConfig(fleet, production);

  it("lists one deployment per backend, grouped by model and tier, then the fallback", () => {
    expect(config.model_list.map((d) => `${d.model_name} ${d.litellm_params.order ?? "-"} ${d.model_info.id}`)).toEqual([
      "llama-3.1-8b 1 coreweave-llama-8b",
      "llama-3.1-8b 2 gcp-llama-8b-spot",
      "llama-3.3-70b 1 coreweave-llama-70b",
      "llama-3.3-70b 2 aws-llama-70b-spot",
      "llama-3.3-70b 2 gcp-llama-70b-spot",
      "llama-3.3-70b 3 aws-llama-70b-burst",
      "gpt-4o-mini-fallback - fallback-gpt-4o-mini-fallback",
    ]);
  });

  it.each(fleet.map((b) => [b.name, b] as const))("%s: hosted_vllm route, /v1 base, key by env reference, explicit timeouts, chat mode", (_name, b) => {
    const d = deployment(config, b.name);
    expect(d.model_name).toBe(b.modelName);
    expect(d.litellm_params.model).toBe(`hosted_vllm/${b.servedModelName}`);
    expect(d.litellm_params.api_base).toBe(b.baseUrl);
    expect(d.litellm_params.api_base).toMatch(/\/v1$/);
    expect(d.litellm_params.api_key).toBe(`os.environ/${b.apiKeySecretEnv}`);
    expect(d.litellm_params.timeout).toBe(120);
    expect(d.litellm_params.stream_timeout).toBe(30);
    // No tpm/rpm on a backend: the gateway enforces the deployments' rate limits (for the hosted APIs), and a tier's
    // limit is its replicas' concurrency (max_parallel_requests), not a token rate.
    expect(d.litellm_params.tpm).toBeUndefined();
    expect(d.litellm_params.rpm).toBeUndefined();
    expect(d.model_info).toEqual({ id: b.name, mode: "chat", health_check_timeout: 10 });
  });

  it("emits the purchase tier as order: reserved 1, spot 2, on-demand burst 3", () => {
    expect(Object.fromEntries(fleet.map((b) => [b.name, deployment(config, b.name).litellm_params.order]))).toEqual({
      "coreweave-llama-70b": 1,
      "aws-llama-70b-spot": 2,
      "gcp-llama-70b-spot": 2,
      "aws-llama-70b-burst": 3,
      "coreweave-llama-8b": 1,
      "gcp-llama-8b-spot": 2,
    });
  });

  it("weights the two spot backends by 0.3·latency + 0.4·cost + 0.3·availability, normalised to the best", () => {
    // aws: cheaper per token ($18.20 / 2200 tok/s vs $22.10 / 2300), gcp: faster (320 ms vs 350 ms), same availability.
    const awsScore = 0.3 * (320 / 350) + 0.4 * 1 + 0.3 * 1;
    const gcpScore = 0.3 * 1 + 0.4 * (18.2 / 2200 / (22.1 / 2300)) + 0.3 * 1;
    const aws = deployment(config, awsSpot.name).litellm_params.weight!;
    const gcp = deployment(config, gcpSpot.name).litellm_params.weight!;
    expect(aws).toBe(Math.round((WEIGHT_TOTAL * awsScore) / (awsScore + gcpScore)));
    expect([aws, gcp]).toEqual([508, 492]);
    // A backend alone in its tier takes all of it.
    expect(deployment(config, coreweaveReserved.name).litellm_params.weight).toBe(WEIGHT_TOTAL);
    expect(deployment(config, awsOnDemand.name).litellm_params.weight).toBe(WEIGHT_TOTAL);
  });

  it.each([
    // $24.56/h ÷ (3600 s × 2400 tok/s × (1 + 1 prompt token per output token × 0.25 price ratio))
    [coreweaveReserved, 5.68519e-7, 2.27407e-6],
    [awsSpot, 4.59596e-7, 1.83838e-6],
    [coreweave8b, 9.47531e-8, 3.79012e-7],
    [gcp8b, 4.07407e-8, 1.62963e-7],
  ] as [Backend, number, number][])("prices %s's tokens from its GPU-hour cost and measured throughput", (b, input, output) => {
    const p = deployment(config, b.name).litellm_params;
    expect(p.input_cost_per_token).toBe(input);
    expect(p.output_cost_per_token).toBe(output);
    // At the measured throughput and prompt mix an hour of tokens bills the hour's GPU cost (to rounding).
    const perHour = 3600 * b.tokensPerSecond * (p.output_cost_per_token + 1 * p.input_cost_per_token);
    expect(perHour).toBeCloseTo(b.costPerHour, 3);
  });

  it("retries, benches failing backends, and routes on background health checks", () => {
    expect(config.router_settings).toMatchObject({
      routing_strategy: "simple-shuffle",
      num_retries: 2,
      retry_after: 0,
      timeout: 120,
      stream_timeout: 30,
      cooldown_time: 60,
      allowed_fails: 2,
      allowed_fails_policy: {
        BadGatewayErrorAllowedFails: 2,
        InternalServerErrorAllowedFails: 2,
        ServiceUnavailableErrorAllowedFails: 2,
        TimeoutErrorAllowedFails: 1,
        AuthenticationErrorAllowedFails: 0,
        RateLimitErrorAllowedFails: 0,
      },
      enable_weighted_failover: true,
    });
    expect(config.general_settings).toEqual({
      master_key: "os.environ/LITELLM_MASTER_KEY",
      background_health_checks: true,
      health_check_interval: 30,
      enable_health_check_routing: true,
      health_check_details: false,
    });
    // Failure counts live for cooldown_time, so it must outlast a health-check interval.
    expect(config.router_settings.cooldown_time).toBeGreaterThan(config.general_settings.health_check_interval);
  });

  it("falls back from every group to the hosted model, which is priced at list and not health-checked", () => {
    expect(config.router_settings.fallbacks).toEqual([{ "llama-3.1-8b": ["gpt-4o-mini-fallback"] }, { "llama-3.3-70b": ["gpt-4o-mini-fallback"] }]);
    expect(deployment(config, "fallback-gpt-4o-mini-fallback")).toEqual({
      model_name: "gpt-4o-mini-fallback",
      litellm_params: {
        model: "openai/gpt-4o-mini",
        api_key: "os.environ/OPENAI_API_KEY",
        timeout: 120,
        stream_timeout: 30,
        input_cost_per_token: 0.00000015,
        output_cost_per_token: 0.0000006,
      },
      model_info: { id: "fallback-gpt-4o-mini-fallback", mode: "chat", disable_background_health_check: true },
    });
  });

  it("shares router state through Redis read from the environment when there are replicas", () => {
    expect(config.router_settings).toMatchObject({ redis_host: "os.environ/REDIS_HOST", redis_port: "os.environ/REDIS_PORT", redis_password: "os.environ/REDIS_PASSWORD" });
    const single = renderLiteLLMConfig(fleet, { fallbacks: [openAiFallback] });
    expect(Object.keys(single.router_settings).filter((k) => k.startsWith("redis"))).toEqual([]);
  });

  it("keeps verbose logging and prompt logging off, downloads nothing at request time, and never lets clients bring credentials", () => {
    expect(config.litellm_settings).toEqual({
      set_verbose: false,
      json_logs: true,
      turn_off_message_logging: true,
      request_timeout: 120,
      disable_hf_tokenizer_download: true,
      callbacks: ["switchyard_guard.proxy_handler_instance"],
    });
    const yaml = renderLiteLLMConfigYaml(config);
    for (const forbidden of ["allow_client_side_credentials", "configurable_clientside_auth_params", "detailed_debug", "set_verbose: true"]) {
      expect(yaml).not.toContain(forbidden);
    }
  });

  it("holds no credential: every key, password or secret field is an os.environ reference", () => {
    const leaves: [string, unknown][] = [];
    const walk = (value: unknown, path: string) => {
      if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
      else leaves.push([path, value]);
    };
    walk(config, "");
    const credentialFields = leaves.filter(([path]) => /(^|\.)(api_key|master_key|redis_password|[a-z_]*secret[a-z_]*|[a-z_]*token)$/.test(path) && !path.endsWith("cost_per_token"));
    expect(credentialFields.length).toBe(fleet.length + 3);
    for (const [path, value] of credentialFields) expect(value, path).toMatch(/^os\.environ\/[A-Z_][A-Z0-9_]*$/);
  });

  it("round-trips through YAML unchanged and renders byte-identically whatever the backend order", () => {
    const yaml = renderLiteLLMConfigYaml(config);
    expect(parse(yaml)).toEqual(config);
    const shuffled = [...fleet].reverse();
    expect(renderLiteLLMConfigYaml(renderLiteLLMConfig(shuffled, production))).toBe(yaml);
    expect(yaml).toMatchSnapshot();
  });
});

describe("renderLiteLLMConfig routing options", () => {
  it("gives a canary exactly its share of its tier and the rest to the others by score", () => {
    const config = renderLiteLLMConfig(fleet, { routing: { canaryPercent: { [gcpSpot.name]: 5 } } });
    expect(deployment(config, gcpSpot.name).litellm_params.weight).toBe(50);
    expect(deployment(config, awsSpot.name).litellm_params.weight).toBe(950);
  });

  it("uses given weights (e.g. the planner's) instead of the score, scaled to 1000 per tier", () => {
    const config = renderLiteLLMConfig(fleet, { routing: { weights: { [awsSpot.name]: 0.25, [gcpSpot.name]: 0.75 } } });
    expect(deployment(config, awsSpot.name).litellm_params.weight).toBe(250);
    expect(deployment(config, gcpSpot.name).litellm_params.weight).toBe(750);
    // Tiers without given weights keep their score weights.
    expect(deployment(config, coreweaveReserved.name).litellm_params.weight).toBe(WEIGHT_TOTAL);
  });

  it("gives a canary its share next to given weights, which split the rest", () => {
    const v2: Backend = { ...gcpSpot, name: "gcp-llama-70b-spot-v2" };
    const config = renderLiteLLMConfig([...fleet, v2], { routing: { weights: { [awsSpot.name]: 60, [gcpSpot.name]: 40 }, canaryPercent: { [v2.name]: 5 } } });
    expect([awsSpot.name, gcpSpot.name, v2.name].map((n) => deployment(config, n).litellm_params.weight)).toEqual([570, 380, 50]);
  });

  it("puts hosted OpenAI-compatible backends after every GPU tier, on the openai/ route", () => {
    const hosted: Backend = { ...awsOnDemand, name: "together-llama-70b", provider: "hosted", baseUrl: "https://api.together.example/v1", apiKeySecretEnv: "TOGETHER_API_KEY" };
    const config = renderLiteLLMConfig([...fleet, hosted]);
    expect(deployment(config, hosted.name).litellm_params).toMatchObject({ model: "openai/llama-3.3-70b", order: 4, weight: 1000 });
  });

  it("gives each tier its own time-to-first-token budget (stream_timeout) where set, the shared one elsewhere", () => {
    const config = renderLiteLLMConfig(fleet, { fallbacks: [openAiFallback], reliability: { streamTimeoutSeconds: 20, streamTimeoutSecondsByTier: { reserved: 5, "on-demand": 15, hosted: 45 } } });
    expect(Object.fromEntries(config.model_list.map((d) => [d.model_info.id, d.litellm_params.stream_timeout]))).toEqual({
      "coreweave-llama-8b": 5,
      "gcp-llama-8b-spot": 20,
      "coreweave-llama-70b": 5,
      "aws-llama-70b-spot": 20,
      "gcp-llama-70b-spot": 20,
      "aws-llama-70b-burst": 15,
      "fallback-gpt-4o-mini-fallback": 45,
    });
    // The router-wide value is the shared budget; the request timeout is not a first-token budget and stays one value.
    expect(config.router_settings.stream_timeout).toBe(20);
    expect(new Set(config.model_list.map((d) => d.litellm_params.timeout))).toEqual(new Set([120]));
  });

  it("follows custom score weights: cost only favours the cheaper spot backend more", () => {
    const costOnly = renderLiteLLMConfig(fleet, { routing: { scoreWeights: { latency: 0, cost: 1, availability: 0 } } });
    expect(deployment(costOnly, awsSpot.name).litellm_params.weight).toBe(537);
    const latencyOnly = renderLiteLLMConfig(fleet, { routing: { scoreWeights: { latency: 1, cost: 0, availability: 0 } } });
    expect(deployment(latencyOnly, gcpSpot.name).litellm_params.weight).toBeGreaterThan(deployment(latencyOnly, awsSpot.name).litellm_params.weight!);
  });

  it("prices tokens from custom pricing assumptions", () => {
    const config = renderLiteLLMConfig(fleet, { routing: { pricing: { inputPriceRatio: 0, promptTokensPerOutputToken: 3 } } });
    expect(deployment(config, coreweaveReserved.name).litellm_params).toMatchObject({ input_cost_per_token: 0, output_cost_per_token: 2.84259e-6 });
  });
});

describe("renderLiteLLMConfig: what a plan deploys", () => {
  const together = { ...openAiFallback, modelName: "together-llama-70b", model: "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", requestsPerMinute: 600, tokensPerMinute: 1_000_000, modelGroups: ["llama-3.3-70b"] };

  it("renders one group per hosted fallback with its rate limit, and chains a group to the ones covering it, in order", () => {
    const config = renderLiteLLMConfig(fleet, { fallbacks: [together, { ...openAiFallback, modelGroups: ["llama-3.3-70b", "llama-3.1-8b"] }] });
    const hosted = config.model_list.filter((e) => e.model_info.id.startsWith("fallback-"));
    expect(hosted.map((e) => [e.model_name, e.litellm_params.model, e.litellm_params.rpm, e.litellm_params.tpm])).toEqual([
      ["together-llama-70b", "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", 600, 1_000_000],
      ["gpt-4o-mini-fallback", "openai/gpt-4o-mini", undefined, undefined],
    ]);
    expect(config.router_settings.fallbacks).toEqual([{ "llama-3.1-8b": ["gpt-4o-mini-fallback"] }, { "llama-3.3-70b": ["together-llama-70b", "gpt-4o-mini-fallback"] }]);
    // The limits are enforced by the gateway, not only read as routing hints.
    expect(config.router_settings.optional_pre_call_checks).toEqual(["enforce_model_rate_limits"]);
  });

  it("enforces rate limits only when a hosted fallback has one (no pre-call check otherwise)", () => {
    expect(renderLiteLLMConfig(fleet, { fallbacks: [openAiFallback] }).router_settings.optional_pre_call_checks).toBeUndefined();
    expect(renderLiteLLMConfig(fleet, {}).router_settings.optional_pre_call_checks).toBeUndefined();
    expect(renderLiteLLMConfig(fleet, { fallbacks: [{ ...openAiFallback, tokensPerMinute: 2_000_000 }] }).router_settings.optional_pre_call_checks).toEqual(["enforce_model_rate_limits"]);
  });

  it("tries a fixed backend (a replica count paid whether used or not) first, whatever its capacity type", () => {
    const config = renderLiteLLMConfig([{ ...awsOnDemand, fixed: true }, awsSpot, coreweaveReserved], {});
    const order = (id: string) => config.model_list.find((e) => e.model_info.id === id)!.litellm_params.order;
    expect([order(awsOnDemand.name), order(awsSpot.name), order(coreweaveReserved.name)]).toEqual([1, 2, 1]);
  });

  it("caps a backend at its maxConcurrentRequests, shared by the proxy replicas (each counts its own)", () => {
    const config = renderLiteLLMConfig([{ ...coreweaveReserved, maxConcurrentRequests: 96 }, awsSpot], { replicas: 2, redis: { withPassword: true } });
    const params = (id: string) => config.model_list.find((e) => e.model_info.id === id)!.litellm_params;
    expect([params(coreweaveReserved.name).max_parallel_requests, params(awsSpot.name).max_parallel_requests]).toEqual([48, undefined]);
    expect(() => renderLiteLLMConfig([{ ...coreweaveReserved, maxConcurrentRequests: 0 }, awsSpot], {})).toThrow("backends[0].maxConcurrentRequests (0) must be a whole number of requests ≥ 1");
  });

  it("serves a group from one provider without a fallback only when singleProviderGroups accepts it", () => {
    expect(() => renderLiteLLMConfig([coreweave8b], {})).toThrow('give model group "llama-3.1-8b" backends on at least two providers');
    expect(renderLiteLLMConfig([coreweave8b], { singleProviderGroups: ["llama-3.1-8b"] }).model_list.map((e) => e.model_info.id)).toEqual([coreweave8b.name]);
    expect(() => renderLiteLLMConfig([coreweave8b], { singleProviderGroups: ["mistral"] })).toThrow('singleProviderGroups[0] ("mistral") is not a backend model group');
  });

  it("refuses a rate limit that is not a whole number of requests or tokens, and two fallbacks of one name", () => {
    expect(() => renderLiteLLMConfig(fleet, { fallbacks: [{ ...together, requestsPerMinute: 0.5 }] })).toThrow("fallbacks[0].requestsPerMinute (0.5) must be a whole number of requests per minute ≥ 1");
    expect(() => renderLiteLLMConfig(fleet, { fallbacks: [{ ...together, tokensPerMinute: 0 }] })).toThrow("fallbacks[0].tokensPerMinute (0) must be a whole number of tokens per minute ≥ 1");
    expect(() => renderLiteLLMConfig(fleet, { fallbacks: [together, together] })).toThrow('fallbacks[1].modelName ("together-llama-70b") is used by another fallback');
  });
});

describe("renderLiteLLMConfig validation", () => {
  const lone = (b: Backend): Backend[] => [b];
  it.each<[string, Backend[], LiteLLMRenderOptions, string[]]>([
    ["no backends", [], {}, ["backends ([]) must list at least one backend"]],
    ["a duplicate name", [...fleet, { ...gcp8b }], {}, ['backends[6].name ("gcp-llama-8b-spot") is used by another backend']],
    ["a base URL without /v1", [{ ...coreweave8b, baseUrl: "http://llama-8b:8000" }, gcp8b], {}, ['backends[0].baseUrl ("http://llama-8b:8000") must be an http(s) URL ending in /v1']],
    ["plain http to a public host", [{ ...coreweave8b, baseUrl: "http://llama-8b.example.com/v1" }, gcp8b], {}, ['backends[0].baseUrl ("http://llama-8b.example.com/v1") sends the API key over plain http to a host outside the cluster; use https://']],
    ["the metadata address", [{ ...coreweave8b, baseUrl: "http://169.254.169.254/v1" }, gcp8b], {}, ['backends[0].baseUrl ("http://169.254.169.254/v1") points at a link-local address']],
    ["a credential in the URL", [{ ...coreweave8b, baseUrl: "https://user:secret@llama-8b.example.com/v1" }, gcp8b], {}, ["backends[0].baseUrl", "carries a user name or password; put the credential in the API key secret"]],
    ["an infinite price", [{ ...coreweave8b, costPerHour: Number.POSITIVE_INFINITY }, gcp8b], {}, ["backends[0].costPerHour (Infinity) must be a positive, finite USD per hour"]],
    ["zero throughput", [coreweave8b, { ...gcp8b, tokensPerSecond: 0 }], {}, ["backends[1].tokensPerSecond (0) must be a positive"]],
    ["a reserved env name", [{ ...coreweave8b, apiKeySecretEnv: "LITELLM_MASTER_KEY" }, gcp8b], {}, ['backends[0].apiKeySecretEnv ("LITELLM_MASTER_KEY") is reserved']],
    ["a group on one provider without a fallback", lone(coreweave8b), {}, ['give model group "llama-3.1-8b" backends on at least two providers (it has "coreweave") or a fallback']],
    [
      "two backends of one provider without a fallback",
      [coreweave8b, { ...coreweave8b, name: "coreweave-llama-8b-b" }],
      {},
      ['give model group "llama-3.1-8b" backends on at least two providers (it has "coreweave") or a fallback'],
    ],
    ["a fallback named like a backend group", fleet, { fallbacks: [{ ...openAiFallback, modelName: "llama-3.1-8b" }] }, ['fallbacks[0].modelName ("llama-3.1-8b") is already a backend model group']],
    ["a fallback over plain http", fleet, { fallbacks: [{ ...openAiFallback, apiBase: "http://api.example.com/v1" }] }, ['fallbacks[0].apiBase ("http://api.example.com/v1") sends the API key over plain http to a host outside the cluster; use https://']],
    [
      "a backend named like the fallback's deployment id",
      [...fleet, { ...gcp8b, name: "fallback-gpt-4o-mini-fallback" }],
      { fallbacks: [openAiFallback] },
      ['backends[6].name ("fallback-gpt-4o-mini-fallback") is the hosted fallback\'s deployment id'],
    ],
    ["a fallback for an unknown group", fleet, { fallbacks: [{ ...openAiFallback, modelGroups: ["mistral"] }] }, ['fallbacks[0].modelGroups[0] ("mistral") is not a backend model group']],
    ["replicas without Redis", fleet, { replicas: 3 }, ["redis is required with 3 proxy replicas"]],
    ["a canary alone in its tier", fleet, { routing: { canaryPercent: { [coreweaveReserved.name]: 5 } } }, ["leaves nothing for llama-3.3-70b tier reserved"]],
    ["a canary over 50%", fleet, { routing: { canaryPercent: { [gcpSpot.name]: 60 } } }, ['routing.canaryPercent["gcp-llama-70b-spot"] (60) must be a percentage in (0, 50]']],
    ["availability above 1", fleet, { routing: { availability: { [gcpSpot.name]: 1.2 } } }, ['routing.availability["gcp-llama-70b-spot"] (1.2) must be a fraction in (0, 1]']],
    ["availability for no backend", fleet, { routing: { availability: { ghost: 0.9 } } }, ['routing.availability["ghost"] ("ghost") names no backend']],
    ["given weights for part of a tier", fleet, { routing: { weights: { [awsSpot.name]: 1 } } }, ['routing.weights ({"aws-llama-70b-spot":1}) covers only part of llama-3.3-70b tier spot: add a weight for "gcp-llama-70b-spot"']],
    ["a NaN given weight", fleet, { routing: { weights: { [awsSpot.name]: Number.NaN, [gcpSpot.name]: 1 } } }, ['routing.weights["aws-llama-70b-spot"] (NaN) must be a finite number > 0']],
    ["an infinite given weight", fleet, { routing: { weights: { [awsSpot.name]: Number.POSITIVE_INFINITY, [gcpSpot.name]: 1 } } }, ['routing.weights["aws-llama-70b-spot"] (Infinity) must be a finite number > 0']],
    ["a zero given weight", fleet, { routing: { weights: { [awsSpot.name]: 0, [gcpSpot.name]: 1 } } }, ['routing.weights["aws-llama-70b-spot"] (0) must be a finite number > 0']],
    ["a given weight for no backend", fleet, { routing: { weights: { ghost: 1 } } }, ['routing.weights["ghost"] ("ghost") names no backend']],
    [
      "a given weight for a canary",
      fleet,
      { routing: { weights: { [awsSpot.name]: 1, [gcpSpot.name]: 1 }, canaryPercent: { [gcpSpot.name]: 5 } } },
      ['routing.weights["gcp-llama-70b-spot"] (1) is set for a canary'],
    ],
    ["all score weights zero", fleet, { routing: { scoreWeights: { latency: 0, cost: 0, availability: 0 } } }, ["routing.scoreWeights", "must not all be 0"]],
    ["a NaN score weight", fleet, { routing: { scoreWeights: { cost: Number.NaN } } }, ["routing.scoreWeights.cost (NaN) must be a finite number ≥ 0"]],
    ["a cooldown shorter than the health-check interval", fleet, { reliability: { cooldownSeconds: 30, healthCheckIntervalSeconds: 30 } }, ["reliability.cooldownSeconds (30) must exceed healthCheckIntervalSeconds (30)"]],
    [
      "a cooldown longer than two health-check intervals",
      fleet,
      { reliability: { cooldownSeconds: 61, healthCheckIntervalSeconds: 30 } },
      ["reliability.cooldownSeconds (61) must be at most twice healthCheckIntervalSeconds (60)"],
    ],
    [
      "a per-tier stream timeout for an unknown tier or out of range",
      fleet,
      { reliability: { streamTimeoutSecondsByTier: { reserved: 0, burst: 10 } as never } },
      ["reliability.streamTimeoutSecondsByTier.reserved (0) must be a whole number from 1 to 3600 seconds", "reliability.streamTimeoutSecondsByTier.burst (10) is not a tier: use reserved, spot, on-demand, hosted"],
    ],
    ["LiteLLM's 6000 s timeout", fleet, { reliability: { requestTimeoutSeconds: 6000 } }, ["reliability.requestTimeoutSeconds (6000) must be a whole number from 1 to 3600"]],
  ])("rejects %s", (_label, backends, options, fragments) => {
    let error: unknown;
    try {
      renderLiteLLMConfig(backends, options);
    } catch (e) {
      error = e;
    }
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    for (const fragment of fragments) expect((error as Error).message).toContain(fragment);
  });

  it("lists every problem at once", () => {
    let message = "";
    try {
      renderLiteLLMConfig([{ ...coreweave8b, baseUrl: "ftp://x", costPerHour: -1 }], { replicas: 2 });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('renderLiteLLMConfig "config" has 4 invalid arguments:');
    for (const fragment of ["backends[0].baseUrl", "backends[0].costPerHour (-1)", 'model group "llama-3.1-8b"', "redis is required with 2 proxy replicas"]) {
      expect(message).toContain(fragment);
    }
  });
});
