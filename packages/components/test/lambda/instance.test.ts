import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LambdaInstance, resolveLambdaInstanceTimeouts } from "../../src/gpu-node-pool/lambda";
import type { LambdaInstanceState } from "../../src/gpu-node-pool/lambda";
import { FakeLambdaApi } from "./fake-lambda-api";
import { API_KEY } from "./helpers";

const SENTINEL_KEY = "secret_SENTINEL-API-KEY_5f1d9c0b7a";
const SENTINEL_USER_DATA = "#cloud-config\n# SENTINEL-USER-DATA-7c2e\n";

const registered: pulumi.runtime.MockResourceArgs[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(args);
        return { id: `${args.name}-id`, state: { ...args.inputs, instanceId: "i-mock", ip: "203.0.113.1", privateIp: "10.0.0.1", status: "active" } };
      },
      call: (args) => args.inputs,
    },
    "switchyard",
    "test",
    false,
  );
});

function settled<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

describe("LambdaInstance under Pulumi mocks", () => {
  let instance: LambdaInstance;
  let seenOptions: pulumi.CustomResourceOptions | undefined;

  beforeAll(async () => {
    instance = new LambdaInstance(
      "gpu-0",
      {
        apiKey: SENTINEL_KEY,
        instanceTypeName: "gpu_8x_h100_sxm5",
        regionName: "us-east-1",
        sshKeyName: "ops",
        instanceName: "lambda-pool-0",
        userData: SENTINEL_USER_DATA,
      },
      {
        transformations: [
          (args) => {
            seenOptions = args.opts;
            return undefined;
          },
        ],
      },
    );
    await settled(instance.urn);
  });

  it("registers one pulumi-nodejs:dynamic:Resource with its serialized provider", () => {
    const mine = registered.filter((r) => r.name === "gpu-0");
    expect(mine).toHaveLength(1);
    expect(mine[0]?.type).toBe("pulumi-nodejs:dynamic:Resource");
    expect(mine[0]?.custom).toBe(true);
    expect(typeof mine[0]?.inputs.__provider).toBe("string");
  });

  it("passes apiKey and userData as secrets, and marks them secret outputs too", () => {
    const inputs = registered.find((r) => r.name === "gpu-0")?.inputs as Record<string, unknown>;
    expect(pulumi.runtime.isRpcSecret(inputs.apiKey)).toBe(true);
    expect(pulumi.runtime.unwrapRpcSecret(inputs.apiKey)).toBe(SENTINEL_KEY);
    expect(pulumi.runtime.isRpcSecret(inputs.userData)).toBe(true);
    expect(pulumi.runtime.unwrapRpcSecret(inputs.userData)).toBe(SENTINEL_USER_DATA);
    for (const plain of ["instanceTypeName", "regionName", "sshKeyName", "instanceName", "apiBaseUrl", "timeouts"]) {
      expect(pulumi.runtime.isRpcSecret(inputs[plain])).toBe(false);
    }
    expect(seenOptions?.additionalSecretOutputs).toStrictEqual(["apiKey", "userData"]);
  });

  it("records the documented defaults in its inputs", () => {
    const inputs = registered.find((r) => r.name === "gpu-0")?.inputs as Record<string, unknown>;
    expect(inputs).toMatchObject({
      apiBaseUrl: "https://cloud.lambda.ai/api/v1",
      fileSystemNames: [],
      timeouts: { activeSeconds: 1200, capacitySeconds: 1800 },
    });
  });

  it("exposes instanceId, ip, privateIp and status as outputs", async () => {
    expect(await settled(instance.instanceId)).toBe("i-mock");
    expect(await settled(instance.ip)).toBe("203.0.113.1");
    expect(await settled(instance.privateIp)).toBe("10.0.0.1");
    expect(await settled(instance.status)).toBe("active");
  });

  describe("the serialized provider", () => {
    let text: string;
    let fake: FakeLambdaApi;
    beforeAll(async () => {
      text = registered.find((r) => r.name === "gpu-0")?.inputs.__provider as string;
      fake = await FakeLambdaApi.start({ apiKey: API_KEY, pollsUntilActive: 1 });
    });
    afterAll(() => fake.close());

    it("is self-contained: small, no secrets, no Pulumi runtime captured", () => {
      expect(text.length).toBeLessThan(100_000);
      expect(text).not.toContain(SENTINEL_KEY);
      expect(text).not.toContain("SENTINEL-USER-DATA");
      expect(text).not.toMatch(/require\("@pulumi\/pulumi"\)/);
    });

    it("runs on its own, as the dynamic-provider process loads it, with the production limits", async () => {
      // What @pulumi/pulumi's dynamic-provider host does: requireFromString(text).handler().
      const requireFromPulumi = createRequire(require.resolve("@pulumi/pulumi"));
      const requireFromString = requireFromPulumi("require-from-string") as (code: string) => { handler: () => unknown };
      const provider = requireFromString(text).handler() as {
        options: { launchIntervalMs: number };
        create: (inputs: unknown) => Promise<{ id: string; outs: LambdaInstanceState }>;
        delete: (id: string, props: unknown) => Promise<void>;
      };
      expect(provider.options.launchIntervalMs).toBe(12_000);

      const { id, outs } = await provider.create({
        apiKey: API_KEY,
        instanceTypeName: "gpu_1x_h100_sxm5",
        regionName: "us-east-1",
        sshKeyName: "ops",
        instanceName: "serialized",
        userData: "#cloud-config\n{}\n",
        fileSystemNames: [],
        apiBaseUrl: fake.url,
        timeouts: { activeSeconds: 60, capacitySeconds: 60 },
      });
      expect(outs.status).toBe("active");
      await provider.delete(id, outs);
      expect(fake.instances.get(id)?.status).toBe("terminated");
    });
  });
});

describe("resolveLambdaInstanceTimeouts", () => {
  it("defaults to 20 minutes to become active and 30 minutes of capacity retries", () => {
    expect(resolveLambdaInstanceTimeouts("x", undefined)).toStrictEqual({ activeSeconds: 1200, capacitySeconds: 1800 });
    expect(resolveLambdaInstanceTimeouts("x", { capacitySeconds: 60 })).toStrictEqual({ activeSeconds: 1200, capacitySeconds: 60 });
  });

  it("rejects non-positive bounds before anything is registered, naming each", () => {
    const before = registered.length;
    let error: unknown;
    try {
      new LambdaInstance("bad", {
        apiKey: SENTINEL_KEY,
        instanceTypeName: "gpu_8x_h100_sxm5",
        regionName: "us-east-1",
        sshKeyName: "ops",
        instanceName: "bad",
        userData: SENTINEL_USER_DATA,
        timeouts: { activeSeconds: 0, capacitySeconds: Number.NaN },
      });
    } catch (err) {
      error = err;
    }
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    const e = error as pulumi.InputPropertiesError;
    expect(e.errors.map((x) => x.propertyPath)).toStrictEqual(["timeouts.activeSeconds", "timeouts.capacitySeconds"]);
    expect(e.message).not.toContain(SENTINEL_KEY);
    expect(registered.length).toBe(before);
  });
});
