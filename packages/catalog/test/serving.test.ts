import { describe, expect, it } from "vitest";
import {
  concurrentRequestsPerReplica,
  defineInstanceType,
  gpuWeights,
  replicasPerNode,
  routingOrder,
  smallestFittingTensorParallelSize,
  tensorParallelProblem,
  tokenPrices,
  weightsFit,
} from "../src";

describe("gpuWeights: a checkpoint's footprint in GPU memory", () => {
  it.each([
    ["a bf16 70B served as stored", { parameterCountBillions: 70, checkpointDtype: "bf16" as const }, "bf16", 130.39],
    ["a bf16 70B quantized to fp8 on load", { parameterCountBillions: 70, checkpointDtype: "bf16" as const, quantization: "fp8" as const }, "fp8", 65.19],
    ["an fp8 checkpoint under AWQ (int4)", { parameterCountBillions: 70, checkpointDtype: "fp8" as const, quantization: "awq" as const }, "int4", 32.6],
    ["an int4 checkpoint under fp8: the smaller stays", { parameterCountBillions: 70, checkpointDtype: "int4" as const, quantization: "fp8" as const }, "int4", 32.6],
    ["compressed-tensors: the checkpoint decides", { parameterCountBillions: 8, checkpointDtype: "fp8" as const, quantization: "compressed-tensors" as const }, "fp8", 7.45],
  ])("%s", (_label, model, dtype, gib) => {
    const w = gpuWeights(model);
    expect(w.dtype).toBe(dtype);
    expect(w.gib).toBeCloseTo(gib, 2);
  });
});

describe("tensor parallelism and fit", () => {
  it("accepts only sizes that split a node into whole replicas, and names the ones that do", () => {
    expect(tensorParallelProblem(2, 8)).toBeUndefined();
    expect(tensorParallelProblem(3, 8)).toBe("must divide gpusPerNode (8); use 1, 2, 4 or 8");
    expect(tensorParallelProblem(0, 8)).toBe("must be a whole number ≥ 1");
    expect(replicasPerNode(8, 2)).toBe(4);
    expect(() => replicasPerNode(8, 3)).toThrow("tensorParallelSize (3) must divide gpusPerNode (8)");
  });

  it("leaves KV-cache room: weights at most 90% of TP × memory × 0.9 (64.8 GiB on one 80 GiB GPU)", () => {
    expect(weightsFit(64.8, 1, 80)).toBe(true);
    expect(weightsFit(64.81, 1, 80)).toBe(false);
    expect(weightsFit(130.39, 2, 80)).toBe(false);
    expect(smallestFittingTensorParallelSize(130.39, 8, 80)).toBe(4);
    expect(smallestFittingTensorParallelSize(700, 8, 80)).toBeUndefined();
  });
});

describe("tokenPrices", () => {
  it("bills exactly the replica-hour at its throughput and prompt mix", () => {
    const p = tokenPrices(8.62, 2400);
    // One hour: 2400 tok/s out and as many in (the default mix), inputs at a quarter of the output price.
    expect(3600 * 2400 * (p.outputCostPerToken + p.inputCostPerToken)).toBeCloseTo(8.62, 4);
    expect(p.inputCostPerToken / p.outputCostPerToken).toBeCloseTo(0.25, 5);
  });
});

describe("concurrentRequestsPerReplica", () => {
  it("is decode throughput × TPOT (Little's law), at least one", () => {
    expect(concurrentRequestsPerReplica(2400, 40)).toBe(96);
    expect(concurrentRequestsPerReplica(8000, 25)).toBe(200);
    expect(concurrentRequestsPerReplica(10, 5)).toBe(1);
  });
});

describe("routingOrder", () => {
  it.each([
    ["reserved", false, 1],
    ["on-demand", true, 1],
    ["spot", true, 1],
    ["spot", false, 2],
    ["on-demand", false, 3],
  ] as const)("%s (fixed: %s) is tried in order %i", (capacityType, fixed, order) => {
    expect(routingOrder(capacityType, fixed)).toBe(order);
  });
});

describe("defineInstanceType", () => {
  const g6 = { provider: "aws", name: "g6.xlarge", gpuType: "L4", gpusPerNode: 1, vcpus: 4, memoryGiB: 16, onDemandPerNodeHour: 0.8048, spotPerNodeHour: 0.3464 };

  it("fills what only a catalog entry needs", () => {
    expect(defineInstanceType(g6)).toEqual({
      instanceType: { ...g6, localNvmeGiB: 0, reservedDiscount: 0, minPurchaseNodes: 1, gcpAcceleratorType: undefined, priceRegion: "user-defined", source: "user-defined", verifiedOn: "unverified" },
      problems: [],
    });
  });

  it.each([
    ["spot above on-demand", { ...g6, spotPerNodeHour: 1 }, "spotPerNodeHour", "must be below on-demand"],
    ["spot on Lambda", { ...g6, provider: "lambda" }, "spotPerNodeHour", "lambda sells no spot capacity"],
    ["a GCP shape without its accelerator", { ...g6, provider: "gcp", spotPerNodeHour: undefined }, "gcpAcceleratorType", "required on gcp"],
    ["an unknown GPU", { ...g6, gpuType: "B300" }, "gpuType", ""],
    ["an unknown field", { ...g6, gpus: 1 }, "", "gpus"],
  ])("refuses %s, naming the field", (_label, raw, field, message) => {
    const { instanceType, problems } = defineInstanceType(raw);
    expect(instanceType).toBeUndefined();
    expect(problems.some((p) => p.field === field && p.message.includes(message))).toBe(true);
  });
});
