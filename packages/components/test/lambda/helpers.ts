import type { LambdaInstanceInputs, LambdaProviderOptions } from "../../src/gpu-node-pool/lambda";
import type { FakeLambdaApi } from "./fake-lambda-api";

/** The fake's account key. */
export const API_KEY = "secret_switchyard-test_0123456789abcdef";

/** Small timing knobs so that tests run in milliseconds; production uses LAMBDA_PROVIDER_DEFAULTS. */
export const FAST: LambdaProviderOptions = {
  launchIntervalMs: 50,
  requestIntervalMs: 0,
  pollIntervalMs: 10,
  capacityBackoffInitialMs: 20,
  capacityBackoffMaxMs: 40,
  rateLimitBackoffMs: 50,
  requestTimeoutMs: 5_000,
};

export function instanceInputs(fake: FakeLambdaApi, overrides: Partial<LambdaInstanceInputs> = {}): LambdaInstanceInputs {
  return {
    apiKey: API_KEY,
    instanceTypeName: "gpu_8x_h100_sxm5",
    regionName: "us-east-1",
    sshKeyName: "ops",
    instanceName: "lambda-pool-0",
    userData: "#cloud-config\nruncmd: [[echo, hello]]\n",
    fileSystemNames: [],
    apiBaseUrl: fake.url,
    timeouts: { activeSeconds: 5, capacitySeconds: 5 },
    ...overrides,
  };
}

/** The rejection message of `promise`; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  throw new Error("expected the promise to reject, but it resolved");
}
