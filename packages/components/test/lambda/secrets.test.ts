import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LambdaProvider, renderLambdaCloudInit } from "../../src/gpu-node-pool/lambda";
import type { LambdaInstanceInputs, LambdaInstanceState } from "../../src/gpu-node-pool/lambda";
import { FakeLambdaApi } from "./fake-lambda-api";
import { FAST, instanceInputs, rejectionOf } from "./helpers";

// Sentinels: if either shows up anywhere it should not, a test names where.
const SENTINEL_KEY = "secret_SENTINEL-API-KEY_9d8c7b6a5f4e3d2c";
const SENTINEL_TOKEN = "K10SENTINELJOINTOKEN1a2b3c4d::server:5e6f7a8b9c0d";
const USER_DATA = renderLambdaCloudInit({
  distribution: "k3s",
  version: "v1.31.4+k3s1",
  serverUrl: "https://10.0.0.5:6443",
  joinToken: SENTINEL_TOKEN,
  nodeLabels: { "switchyard.dev/pool": "lambda" },
  nodeTaints: [],
});
const SECRET_OUTPUTS = ["apiKey", "userData"];

function expectClean(where: string, text: string): void {
  expect(text.includes(SENTINEL_KEY), `${where} contains the API key`).toBe(false);
  expect(text.includes(SENTINEL_TOKEN), `${where} contains the join token`).toBe(false);
}

describe("secret hygiene of the Lambda provider", () => {
  let fake: FakeLambdaApi;
  let wrongKeyFake: FakeLambdaApi;
  const inputs = (overrides: Partial<LambdaInstanceInputs> = {}): LambdaInstanceInputs =>
    instanceInputs(fake, { apiKey: SENTINEL_KEY, userData: USER_DATA, ...overrides });

  beforeAll(async () => {
    fake = await FakeLambdaApi.start({ apiKey: SENTINEL_KEY });
    // Accepts another key only, and echoes whatever key it was shown in its 401 message.
    wrongKeyFake = await FakeLambdaApi.start({ apiKey: "secret_the-right-key_000000000000", echoApiKeyInErrors: true });
  });
  afterAll(async () => {
    await fake.close();
    await wrongKeyFake.close();
  });

  it("returns the secrets only under the outputs marked secret", async () => {
    const { id, outs } = await new LambdaProvider(FAST).create(inputs());
    const state = outs as LambdaInstanceState;
    expect(state.apiKey).toBe(SENTINEL_KEY);
    expect(state.userData).toBe(USER_DATA);
    for (const [key, value] of Object.entries(state)) {
      if (!SECRET_OUTPUTS.includes(key)) expectClean(`output ${key}`, JSON.stringify(value));
    }
    expectClean("the resource id", id);
    const refreshed = await new LambdaProvider(FAST).read(id, state);
    for (const [key, value] of Object.entries(refreshed.props ?? {})) {
      if (!SECRET_OUTPUTS.includes(key)) expectClean(`refreshed output ${key}`, JSON.stringify(value));
    }
  });

  it("sends the API key only in the Authorization header, and the token only in user_data", () => {
    expect(fake.requests.length).toBeGreaterThan(0);
    for (const r of fake.requests) {
      const where = `${r.method} ${r.path}`;
      expect(r.headers.authorization).toBe(`Bearer ${SENTINEL_KEY}`);
      const { authorization: _auth, ...otherHeaders } = r.headers;
      expect(JSON.stringify(otherHeaders).includes(SENTINEL_KEY), `${where} headers`).toBe(false);
      expect(r.path.includes(SENTINEL_KEY), `${where} path`).toBe(false);
      expect(r.rawBody.includes(SENTINEL_KEY), `${where} body`).toBe(false);
      if (r.path === "/instance-operations/launch") {
        expect((r.body as { user_data: string }).user_data).toBe(USER_DATA);
      } else {
        expect(r.rawBody.includes(SENTINEL_TOKEN), `${where} body`).toBe(false);
      }
    }
  });

  it("keeps both secrets out of every error message", async () => {
    const messages: [string, string][] = [];
    const collect = async (scenario: string, promise: Promise<unknown>): Promise<void> => {
      messages.push([scenario, await rejectionOf(promise)]);
    };
    const wrongKey = { ...inputs(), apiBaseUrl: wrongKeyFake.url };

    await collect("401 on launch (server echoes the key)", new LambdaProvider(FAST).create(wrongKey));
    await collect("401 on delete", new LambdaProvider(FAST).delete("0123456789abcdef0123456789abcdef", { ...wrongKey } as LambdaInstanceState));
    await collect("401 on read", new LambdaProvider(FAST).read("0123456789abcdef0123456789abcdef", { ...wrongKey } as LambdaInstanceState));
    await collect("rejected launch (400)", new LambdaProvider(FAST).create(inputs({ sshKeyName: "nope" })));

    const noCapacity = await FakeLambdaApi.start({ apiKey: SENTINEL_KEY, insufficientCapacityLaunches: 1_000 });
    const neverActive = await FakeLambdaApi.start({ apiKey: SENTINEL_KEY, neverActive: true });
    const rateLimited = await FakeLambdaApi.start({ apiKey: SENTINEL_KEY, launchIntervalMs: 60_000 });
    try {
      await collect(
        "capacity exhausted",
        new LambdaProvider(FAST).create({ ...inputs(), apiBaseUrl: noCapacity.url, timeouts: { activeSeconds: 5, capacitySeconds: 0.1 } }),
      );
      await collect(
        "never active",
        new LambdaProvider(FAST).create({ ...inputs(), apiBaseUrl: neverActive.url, timeouts: { activeSeconds: 0.1, capacitySeconds: 5 } }),
      );
      await new LambdaProvider(FAST).create({ ...inputs(), apiBaseUrl: rateLimited.url });
      await collect(
        "rate limited",
        new LambdaProvider({ ...FAST, rateLimitRetries: 1, rateLimitBackoffMs: 5 }).create({ ...inputs(), apiBaseUrl: rateLimited.url }),
      );
    } finally {
      await Promise.all([noCapacity.close(), neverActive.close(), rateLimited.close()]);
    }
    await collect("unreachable API", new LambdaProvider(FAST).create({ ...inputs(), apiBaseUrl: noCapacity.url }));

    const check = await new LambdaProvider(FAST).check(inputs(), { ...inputs(), sshKeyName: "", fileSystemNames: ["a", "b"] });
    for (const failure of check.failures ?? []) messages.push([`check ${failure.property}`, failure.reason]);

    expect(messages.length).toBeGreaterThanOrEqual(10);
    for (const [scenario, message] of messages) expectClean(`error of "${scenario}"`, message);
    // The echoing server's 401 was relayed, with the key replaced.
    expect(messages[0]?.[1]).toContain("[redacted]");
  });
});
