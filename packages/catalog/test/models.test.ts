import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DTYPES, bytesPerParameter, modelWeightGB, modelWeightGiB } from "../src";
import type { Dtype } from "../src";

describe("bytesPerParameter", () => {
  it.each<[Dtype, number]>([
    ["fp32", 4],
    ["bf16", 2],
    ["fp16", 2],
    ["fp8", 1],
    ["int8", 1],
    ["int4", 0.5],
  ])("%s → %d bytes", (dtype, bytes) => {
    expect(bytesPerParameter(dtype)).toBe(bytes);
  });

  it("covers every dtype", () => {
    expect(DTYPES.map((d) => bytesPerParameter(d))).toHaveLength(6);
  });

  it("rejects an unknown dtype, listing the allowed ones", () => {
    expect(() => bytesPerParameter("nf4" as Dtype)).toThrow('unknown dtype "nf4"; allowed: fp32, bf16, fp16, fp8, int8, int4');
  });
});

describe("model weight size (raw weights only)", () => {
  it.each<[number, Dtype, number, number]>([
    [70, "bf16", 140, 130.39], // 140e9 / 2^30
    [8, "fp32", 32, 29.8],
    [405, "fp8", 405, 377.19],
    [70, "int4", 35, 32.6],
    [7, "fp16", 14, 13.04],
    [1, "int8", 1, 0.93],
  ])("%dB in %s = %d GB = %d GiB", (billions, dtype, gb, gib) => {
    expect(modelWeightGB(billions, dtype)).toBeCloseTo(gb, 9);
    expect(modelWeightGiB(billions, dtype)).toBeCloseTo(gib, 2);
  });

  it.each([0, -7, Number.NaN, Number.POSITIVE_INFINITY])("rejects a parameter count of %d", (billions) => {
    expect(() => modelWeightGiB(billions, "bf16")).toThrow(/parameterCountBillions .* must be a positive number of billions/);
    expect(() => modelWeightGB(billions, "bf16")).toThrow(/must be a positive number of billions/);
  });

  it("GiB and GB describe the same bytes (GiB × 2^30 == GB × 10^9), GiB always the smaller number", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 2000, noNaN: true }), fc.constantFrom(...DTYPES), (billions, dtype) => {
        const gib = modelWeightGiB(billions, dtype);
        const gb = modelWeightGB(billions, dtype);
        expect(gib * 2 ** 30).toBeCloseTo(gb * 1e9, 0);
        expect(gib).toBeLessThan(gb);
      }),
    );
  });
});
