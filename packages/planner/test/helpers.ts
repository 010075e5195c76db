/** Spec builders for the planner's tests: demand given directly in replicas (decode-bound, 1,000 tok/s per replica). */
import type { CapacityType, Provider } from "@switchyard/catalog";
import type { FleetSpecInput } from "../src";

export const DECODE = 1000;

export interface ProviderInput {
  provider: Provider;
  capacityTypes: CapacityType[];
  maxNodes?: number;
  prices?: Record<string, { onDemandPerNodeHour?: number; spotPerNodeHour?: number; reservedDiscount?: number }>;
  spot?: { availability: number; meanUpHours: number };
}

export interface SpecOptions {
  providers: ProviderInput[];
  /** Replicas busy per profile hour. */
  replicas: number[];
  gpusPerReplica?: number;
  policy?: FleetSpecInput["policy"];
  name?: string;
  simulation?: FleetSpecInput["simulation"];
}

/** A catalog-listed region per provider, spelt as the provider does. */
const REGION: Record<Provider, string> = { coreweave: "US-EAST-04", lambda: "us-east-1", aws: "us-east-1", gcp: "us-central1" };

export function specWith(o: SpecOptions): FleetSpecInput {
  return {
    name: o.name ?? "test",
    gateway: { provider: "aws", region: "us-east-1" },
    weightOrigin: { provider: "aws", region: "us-east-1" },
    providers: o.providers.map((p) => ({ region: REGION[p.provider], ...p })),
    policy: o.policy,
    simulation: o.simulation,
    models: [
      {
        name: "m",
        // 70 GB published (bf16), 33 GiB in GPU memory (fp8): fits one H100 as well as two.
        huggingFace: { repo: "example/m", revision: "0123456789abcdef0123456789abcdef01234567" },
        parameterCountBillions: 35,
        checkpointDtype: "bf16",
        quantization: "fp8",
        serving: { gpuType: "H100", gpusPerReplica: o.gpusPerReplica ?? 2, prefillTokensPerSecond: 1e9, decodeTokensPerSecond: DECODE, source: "test" },
        latencySlo: { ttftMs: 1000, tpotMs: 40 },
        demand: {
          hourly: {
            requestsPerSecond: o.replicas.map((r) => r),
            inputTokensPerSecond: o.replicas.map(() => 0),
            outputTokensPerSecond: o.replicas.map((r) => r * DECODE),
          },
        },
      },
    ],
  };
}

/** The four providers with every tier each sells. */
export const ALL_PROVIDERS: ProviderInput[] = [
  { provider: "coreweave", capacityTypes: ["reserved", "spot", "on-demand"] },
  { provider: "lambda", capacityTypes: ["on-demand"] },
  { provider: "aws", capacityTypes: ["spot", "on-demand"] },
  { provider: "gcp", capacityTypes: ["spot", "on-demand"] },
];
