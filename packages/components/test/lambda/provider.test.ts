import fc from "fast-check";
import { afterEach, describe, expect, it, test, vi } from "vitest";
import {
  LAMBDA_API_BASE_URL,
  LAMBDA_LAUNCH_INTERVAL_MS,
  LAMBDA_PROVIDER_DEFAULTS,
  LAMBDA_REQUEST_INTERVAL_MS,
  LambdaProvider,
  REPLACING_PROPERTIES,
  UPDATABLE_PROPERTIES,
} from "../../src/gpu-node-pool/lambda";
import type { LambdaInstanceInputs, LambdaInstanceState } from "../../src/gpu-node-pool/lambda";
import { throughGate } from "../../src/gpu-node-pool/lambda/api";
import { FakeLambdaApi } from "./fake-lambda-api";
import type { FakeLambdaApiOptions } from "./fake-lambda-api";
import { API_KEY, FAST, instanceInputs, rejectionOf } from "./helpers";

const fakes: FakeLambdaApi[] = [];
async function startFake(options: Partial<FakeLambdaApiOptions> = {}): Promise<FakeLambdaApi> {
  const fake = await FakeLambdaApi.start({ apiKey: API_KEY, ...options });
  fakes.push(fake);
  return fake;
}
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

function gaps(times: number[]): number[] {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.slice(1).map((t, i) => t - (sorted[i] as number));
}

describe("create", () => {
  it("launches with the documented body and polls until active with an IP", async () => {
    const fake = await startFake({ pollsUntilActive: 3 });
    const inputs = instanceInputs(fake, { fileSystemNames: ["weights-us-east-1"] });

    const result = await new LambdaProvider(FAST).create(inputs);

    const launches = fake.launches();
    expect(launches).toHaveLength(1);
    expect(launches[0]?.body).toStrictEqual({
      region_name: "us-east-1",
      instance_type_name: "gpu_8x_h100_sxm5",
      ssh_key_names: ["ops"],
      file_system_names: ["weights-us-east-1"],
      quantity: 1,
      name: "lambda-pool-0",
      user_data: inputs.userData,
    });
    expect(launches[0]?.headers["content-type"]).toBe("application/json");
    const polls = fake.requestsTo("GET", `/instances/${result.id}`);
    expect(polls).toHaveLength(3);
    expect(polls.map((p) => p.status)).toStrictEqual([200, 200, 200]);
    expect(result.outs).toMatchObject({
      instanceId: result.id,
      ip: "203.0.113.10",
      privateIp: "10.19.0.10",
      status: "active",
    });
    // State keeps what delete/read need, with the defaults filled.
    expect(result.outs).toMatchObject({ apiKey: API_KEY, apiBaseUrl: fake.url, timeouts: { activeSeconds: 5, capacitySeconds: 5 } });
    expect(fake.terminations()).toHaveLength(0);
  });

  it("spaces three concurrent launches at least the launch interval apart", async () => {
    const fake = await startFake();
    const provider = new LambdaProvider({ ...FAST, launchIntervalMs: 150 });

    const results = await Promise.all(
      [0, 1, 2].map((i) => provider.create(instanceInputs(fake, { instanceName: `lambda-pool-${i}` }))),
    );

    expect(new Set(results.map((r) => r.id)).size).toBe(3);
    const launches = fake.launches();
    expect(launches.map((l) => l.status)).toStrictEqual([200, 200, 200]);
    for (const gap of gaps(launches.map((l) => l.time))) expect(gap).toBeGreaterThanOrEqual(150);
  });

  it("spaces launches process-wide, across provider objects (each resource may deserialize its own)", async () => {
    const fake = await startFake();
    const options = { ...FAST, launchIntervalMs: 120 };
    await Promise.all([0, 1].map((i) => new LambdaProvider(options).create(instanceInputs(fake, { instanceName: `p-${i}` }))));
    for (const gap of gaps(fake.launches().map((l) => l.time))) expect(gap).toBeGreaterThanOrEqual(120);
  });

  it("uses the documented limits in production: 1 launch per 12 s, 1 request per s", () => {
    expect(LAMBDA_LAUNCH_INTERVAL_MS).toBe(12_000);
    expect(LAMBDA_REQUEST_INTERVAL_MS).toBe(1_000);
    expect(new LambdaProvider().options).toStrictEqual(LAMBDA_PROVIDER_DEFAULTS);
    expect(new LambdaProvider().options.launchIntervalMs).toBe(12_000);
    expect(new LambdaProvider().options.requestIntervalMs).toBe(1_000);
    expect(LAMBDA_API_BASE_URL).toBe("https://cloud.lambda.ai/api/v1");
  });

  it("holds the second launch 12 000 ms behind the first with the production interval", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "Date"] });
    const started: number[] = [];
    const task = (): Promise<void> => {
      started.push(Date.now());
      return Promise.resolve();
    };
    const interval = new LambdaProvider().options.launchIntervalMs;
    const first = throughGate("production-interval-test launch", interval, task);
    const second = throughGate("production-interval-test launch", interval, task);
    await vi.advanceTimersByTimeAsync(11_999);
    expect(started).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all([first, second]);
    expect(started).toHaveLength(2);
    expect((started[1] as number) - (started[0] as number)).toBe(12_000);
  });

  it("backs off on HTTP 429 and retries until the launch is accepted", async () => {
    const fake = await startFake({ launchIntervalMs: 300 });
    // The provider spaces launches too tightly on purpose, so the fake answers 429.
    const provider = new LambdaProvider({ ...FAST, launchIntervalMs: 1, rateLimitBackoffMs: 80 });

    const results = await Promise.all([0, 1].map((i) => provider.create(instanceInputs(fake, { instanceName: `p-${i}` }))));

    expect(results.every((r) => r.outs?.status === "active")).toBe(true);
    const launches = fake.launches();
    expect(launches.filter((l) => l.status === 429).length).toBeGreaterThanOrEqual(1);
    const accepted = launches.filter((l) => l.status === 200);
    expect(accepted).toHaveLength(2);
    for (const gap of gaps(accepted.map((l) => l.time))) expect(gap).toBeGreaterThanOrEqual(300);
    // After each 429 the next launch waited at least the backoff.
    launches.forEach((l, i) => {
      const next = launches[i + 1];
      if (l.status === 429 && next) expect(next.time - l.time).toBeGreaterThanOrEqual(80);
    });
  });

  it("honours Retry-After on HTTP 429", async () => {
    const fake = await startFake({ launchIntervalMs: 400, retryAfterSeconds: 1 });
    const provider = new LambdaProvider({ ...FAST, launchIntervalMs: 1, rateLimitBackoffMs: 10 });

    await Promise.all([0, 1].map((i) => provider.create(instanceInputs(fake, { instanceName: `p-${i}` }))));

    const launches = fake.launches();
    const limited = launches.findIndex((l) => l.status === 429);
    expect(limited).toBeGreaterThanOrEqual(0);
    const next = launches[limited + 1];
    expect(next).toBeDefined();
    expect((next?.time ?? 0) - (launches[limited]?.time ?? 0)).toBeGreaterThanOrEqual(1_000);
  });

  it("fails clearly after the 429 retry budget is spent", async () => {
    const fake = await startFake({ launchIntervalMs: 60_000 });
    await new LambdaProvider(FAST).create(instanceInputs(fake));
    const message = await rejectionOf(
      new LambdaProvider({ ...FAST, rateLimitRetries: 2, rateLimitBackoffMs: 5 }).create(instanceInputs(fake, { instanceName: "second" })),
    );
    expect(message).toMatch(/Launching Lambda instance "second" \(gpu_8x_h100_sxm5 in region us-east-1\) failed/);
    expect(message).toMatch(/HTTP 429/);
    expect(fake.launches().filter((l) => l.status === 429)).toHaveLength(3);
  });

  it("retries insufficient capacity, then succeeds", async () => {
    const fake = await startFake({ insufficientCapacityLaunches: 2 });

    const result = await new LambdaProvider(FAST).create(instanceInputs(fake));

    expect(fake.launches().map((l) => l.status)).toStrictEqual([400, 400, 200]);
    expect(result.outs?.status).toBe("active");
  });

  it("gives up on insufficient capacity after capacitySeconds with a final error naming type and region", async () => {
    const fake = await startFake({ insufficientCapacityLaunches: 1_000, capacityRegions: { gpu_8x_h100_sxm5: ["us-west-1", "us-east-1"] } });
    const started = performance.now();

    const message = await rejectionOf(
      new LambdaProvider(FAST).create(instanceInputs(fake, { timeouts: { activeSeconds: 5, capacitySeconds: 0.3 } })),
    );

    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(3_000);
    expect(message).toMatch(/^Lambda Cloud has no capacity for instance type gpu_8x_h100_sxm5 in region us-east-1: \d+ launch attempts/);
    expect(message).toContain("timeouts.capacitySeconds = 0.3");
    expect(message).toContain("Regions reporting capacity for gpu_8x_h100_sxm5 right now: us-west-1.");
    expect(message).toContain("Try another region");
    expect(message).toContain("let another provider in the fleet carry this load");
    expect(fake.launches().length).toBeGreaterThan(2);
    expect(fake.instances.size).toBe(0);
  });

  it("terminates an instance that never becomes active, then fails after activeSeconds", async () => {
    const fake = await startFake({ neverActive: true });

    const message = await rejectionOf(
      new LambdaProvider(FAST).create(instanceInputs(fake, { timeouts: { activeSeconds: 0.3, capacitySeconds: 5 } })),
    );

    const [id] = [...fake.instances.keys()];
    expect(id).toBeDefined();
    expect(message).toContain(`Lambda instance ${id} ("lambda-pool-0", gpu_8x_h100_sxm5 in region us-east-1) did not become active`);
    expect(message).toContain("within 0.3 s (timeouts.activeSeconds; last seen: status booting, no IP yet)");
    expect(message).toContain("It has been terminated, so nothing is left running and billed.");
    expect(fake.terminations().map((t) => t.body)).toStrictEqual([{ instance_ids: [id] }]);
    expect(fake.instances.get(id as string)?.status).toBe("terminated");
  });

  it("terminates an instance that turns unhealthy while booting, without waiting for the bound", async () => {
    const fake = await startFake({ bootOutcome: "unhealthy" });

    const message = await rejectionOf(
      new LambdaProvider(FAST).create(instanceInputs(fake, { timeouts: { activeSeconds: 60, capacitySeconds: 5 } })),
    );

    const [id] = [...fake.instances.keys()];
    expect(message).toContain(`Lambda instance ${id} ("lambda-pool-0", gpu_8x_h100_sxm5 in region us-east-1) became unhealthy`);
    expect(fake.terminations().map((t) => t.body)).toStrictEqual([{ instance_ids: [id] }]);
  });

  it("relays the API's error (code and message) for a rejected launch, without the request body", async () => {
    const fake = await startFake();

    const message = await rejectionOf(new LambdaProvider(FAST).create(instanceInputs(fake, { sshKeyName: "missing-key" })));

    expect(message).toBe(
      'Launching Lambda instance "lambda-pool-0" (gpu_8x_h100_sxm5 in region us-east-1) failed: ' +
        "Lambda Cloud API POST /instance-operations/launch answered HTTP 400 global/invalid-parameters: SSH key missing-key does not exist.",
    );
    expect(message).not.toContain("user_data");
    expect(message).not.toContain("#cloud-config");
  });

  it("fails clearly on a wrong API key (401) without showing the key", async () => {
    const fake = await startFake({ echoApiKeyInErrors: true });
    const wrongKey = "secret_wrong-key_fedcba9876543210";

    const message = await rejectionOf(new LambdaProvider(FAST).create(instanceInputs(fake, { apiKey: wrongKey })));

    expect(message).toContain("answered HTTP 401 global/invalid-api-key: API key was invalid, expired, or deleted");
    expect(message).toContain("Check the Lambda API key given as apiKey");
    expect(message).not.toContain(wrongKey);
    expect(message).toContain("[redacted]");
  });

  it("reports an unreachable API", async () => {
    const fake = await startFake();
    const url = fake.url;
    await fake.close();
    fakes.splice(fakes.indexOf(fake), 1);
    const message = await rejectionOf(new LambdaProvider(FAST).create({ ...instanceInputs(fake), apiBaseUrl: url }));
    expect(message).toMatch(/Lambda Cloud API POST \/instance-operations\/launch could not be reached: .*ECONNREFUSED/);
  });
});

describe("delete", () => {
  it("terminates the instance", async () => {
    const fake = await startFake();
    const provider = new LambdaProvider(FAST);
    const { id, outs } = await provider.create(instanceInputs(fake));

    await provider.delete(id, outs as LambdaInstanceState);

    expect(fake.terminations().map((t) => t.body)).toStrictEqual([{ instance_ids: [id] }]);
    expect(fake.instances.get(id)?.status).toBe("terminated");
  });

  it("succeeds for an instance that is already gone (404) or already terminated", async () => {
    const fake = await startFake();
    const provider = new LambdaProvider(FAST);
    const { id, outs } = await provider.create(instanceInputs(fake));
    const state = outs as LambdaInstanceState;

    await provider.delete(id, state);
    await expect(provider.delete(id, state)).resolves.toBeUndefined();
    await expect(provider.delete("0123456789abcdef0123456789abcdef", state)).resolves.toBeUndefined();

    expect(fake.terminations().map((t) => t.status)).toStrictEqual([200, 400, 404]);
  });

  it("fails on other errors, naming the instance", async () => {
    const fake = await startFake();
    const provider = new LambdaProvider(FAST);
    const { id, outs } = await provider.create(instanceInputs(fake));
    const message = await rejectionOf(provider.delete(id, { ...(outs as LambdaInstanceState), apiKey: "secret_rotated-away_00000000" }));
    expect(message).toContain(`Terminating Lambda instance ${id} failed: Lambda Cloud API POST /instance-operations/terminate answered HTTP 401`);
    expect(message).not.toContain("secret_rotated-away_00000000");
  });
});

describe("read", () => {
  it("refreshes status and addresses", async () => {
    const fake = await startFake();
    const provider = new LambdaProvider(FAST);
    const { id, outs } = await provider.create(instanceInputs(fake));
    const instance = fake.instances.get(id);
    if (instance) instance.ip = "198.51.100.7";

    const result = await provider.read(id, outs);

    expect(result.id).toBe(id);
    expect(result.props).toMatchObject({ instanceId: id, ip: "198.51.100.7", status: "active", apiKey: API_KEY });
  });

  it("reports a terminated or missing instance as gone (empty id)", async () => {
    const fake = await startFake();
    const provider = new LambdaProvider(FAST);
    const { id, outs } = await provider.create(instanceInputs(fake));
    await provider.delete(id, outs as LambdaInstanceState);

    expect((await provider.read(id, outs as LambdaInstanceState)).id).toBe("");
    expect((await provider.read("0123456789abcdef0123456789abcdef", outs as LambdaInstanceState)).id).toBe("");
  });
});

describe("diff and update", () => {
  const base: LambdaInstanceState = {
    apiKey: API_KEY,
    instanceTypeName: "gpu_8x_h100_sxm5",
    regionName: "us-east-1",
    sshKeyName: "ops",
    instanceName: "lambda-pool-0",
    userData: "#cloud-config\n{}\n",
    fileSystemNames: [],
    apiBaseUrl: LAMBDA_API_BASE_URL,
    timeouts: { activeSeconds: 1200, capacitySeconds: 1800 },
    instanceId: "i-1",
    ip: "203.0.113.10",
    privateIp: "10.19.0.10",
    status: "active",
  };
  const inputsOf = (state: LambdaInstanceState): LambdaInstanceInputs => {
    const { instanceId: _i, ip: _ip, privateIp: _p, status: _s, ...inputs } = state;
    return inputs;
  };
  const changes: Record<keyof LambdaInstanceInputs, unknown> = {
    instanceTypeName: "gpu_1x_h100_sxm5",
    regionName: "us-west-1",
    sshKeyName: "ops-2",
    instanceName: "lambda-pool-9",
    userData: "#cloud-config\n{runcmd: []}\n",
    fileSystemNames: ["weights"],
    apiKey: "secret_rotated_0000000000000000",
    apiBaseUrl: "https://cloud.lambdalabs.com/api/v1",
    timeouts: { activeSeconds: 600, capacitySeconds: 1800 },
  };
  const provider = new LambdaProvider(FAST);

  test.each(REPLACING_PROPERTIES.map((p) => [p]))("a change of %s replaces the instance (create before delete)", async (property) => {
    const result = await provider.diff("i-1", base, { ...inputsOf(base), [property]: changes[property] });
    expect(result).toStrictEqual({ changes: true, replaces: [property], deleteBeforeReplace: false });
  });

  test.each(UPDATABLE_PROPERTIES.map((p) => [p]))("a change of %s is an update, not a replacement", async (property) => {
    const result = await provider.diff("i-1", base, { ...inputsOf(base), [property]: changes[property] });
    expect(result).toStrictEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("reports no change for identical inputs, and for defaults spelled out or left out", async () => {
    expect(await provider.diff("i-1", base, inputsOf(base))).toStrictEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    const { fileSystemNames: _f, apiBaseUrl: _a, timeouts: _t, ...bare } = inputsOf(base);
    expect((await provider.diff("i-1", base, bare as LambdaInstanceInputs)).changes).toBe(false);
  });

  it("replaces exactly when a replacing property changed (any combination)", async () => {
    const keys = Object.keys(changes) as (keyof LambdaInstanceInputs)[];
    await fc.assert(
      fc.asyncProperty(fc.subarray(keys), async (changed) => {
        const news = { ...inputsOf(base), ...Object.fromEntries(changed.map((k) => [k, changes[k]])) };
        const result = await provider.diff("i-1", base, news);
        const expected = REPLACING_PROPERTIES.filter((p) => changed.includes(p));
        expect(result.replaces).toStrictEqual(expected);
        expect(result.changes).toBe(changed.length > 0);
        expect(result.deleteBeforeReplace).toBe(false);
      }),
    );
  });

  it("update only rewrites state and calls no API", async () => {
    const fake = await startFake();
    const news = { ...inputsOf(base), apiKey: "secret_rotated_0000000000000000", apiBaseUrl: fake.url };
    const result = await provider.update("i-1", base, news);
    expect(result.outs).toStrictEqual({ ...news, instanceId: "i-1", ip: "203.0.113.10", privateIp: "10.19.0.10", status: "active" });
    expect(fake.requests).toHaveLength(0);
  });
});

describe("check", () => {
  const provider = new LambdaProvider(FAST);
  const good = {
    apiKey: API_KEY,
    instanceTypeName: "gpu_8x_h100_sxm5",
    regionName: "us-east-1",
    sshKeyName: "ops",
    instanceName: "lambda-pool-0",
    userData: "#cloud-config\n{}\n",
  } as LambdaInstanceInputs;

  it("fills the documented defaults", async () => {
    const result = await provider.check(good, good);
    expect(result.failures).toStrictEqual([]);
    expect(result.inputs).toMatchObject({
      fileSystemNames: [],
      apiBaseUrl: LAMBDA_API_BASE_URL,
      timeouts: { activeSeconds: 1200, capacitySeconds: 1800 },
    });
  });

  it("names every bad property, and never shows a secret", async () => {
    const result = await provider.check(good, {
      ...good,
      apiKey: "",
      sshKeyName: "ops,ops-2",
      fileSystemNames: ["a", "b"],
      apiBaseUrl: "ftp://example.com",
      userData: "   ",
      timeouts: { activeSeconds: -1, capacitySeconds: 1800 },
    });
    expect(result.failures?.map((f) => f.property)).toStrictEqual([
      "apiKey",
      "userData",
      "sshKeyName",
      "fileSystemNames",
      "apiBaseUrl",
      "timeouts.activeSeconds",
    ]);
    expect(result.failures?.find((f) => f.property === "fileSystemNames")?.reason).toContain("at most one file system");
  });

  it("skips values that are not known yet (preview)", async () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const result = await provider.check(good, { ...good, userData: unknown, fileSystemNames: unknown as unknown as string[] });
    expect(result.failures).toStrictEqual([]);
  });
});
