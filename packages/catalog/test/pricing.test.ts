import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CAPACITY_TYPES, INSTANCE_TYPES, getInstanceType, gpuHourlyCost, nodeHourlyCost, supportsCapacityType } from "../src";
import type { CapacityType, InstanceType, Provider } from "../src";

describe("per-GPU cost is derived from the per-node price", () => {
  it.each<[Provider, string, CapacityType, number]>([
    ["coreweave", "gd-8xh100ib-i128", "on-demand", 6.155], // $49.24 / 8: the "$6.16" H100 figure
    ["coreweave", "gd-8xh200ib-i128", "on-demand", 6.305],
    ["coreweave", "gd-8xa100-i128", "on-demand", 2.7],
    ["coreweave", "gd-8xl40s-i128", "on-demand", 2.25],
    ["coreweave", "gd-8xh100ib-i128", "spot", 2.46375], // $19.71 / 8
    ["lambda", "gpu_8x_h100_sxm5", "on-demand", 3.99], // $31.92 / 8
    ["lambda", "gpu_1x_h100_sxm5", "on-demand", 4.29],
    ["lambda", "gpu_8x_a100_80gb_sxm4", "on-demand", 2.79],
    ["aws", "p5.48xlarge", "on-demand", 6.88],
    ["aws", "p5.48xlarge", "spot", 2.59875],
    ["aws", "p4d.24xlarge", "on-demand", 2.74470525],
    ["aws", "g6e.12xlarge", "on-demand", 2.62316],
    ["aws", "g6.12xlarge", "on-demand", 1.1504],
    ["aws", "g5.12xlarge", "on-demand", 1.418],
    ["gcp", "a3-highgpu-8g", "on-demand", 11.06125],
    ["gcp", "a3-highgpu-8g", "spot", 6.62],
    ["gcp", "g2-standard-48", "on-demand", 1.000425],
    ["gcp", "g2-standard-48", "spot", 0.600175],
  ])("%s %s %s → $%d per GPU-hour", (provider, name, capacityType, perGpu) => {
    expect(gpuHourlyCost(getInstanceType(provider, name), capacityType)).toBeCloseTo(perGpu, 9);
  });
});

describe("reserved = on-demand × (1 − reservedDiscount)", () => {
  it.each<[Provider, string, number, number]>([
    // CoreWeave: 30% default (half of the advertised "up to 60%").
    ["coreweave", "gd-8xh100ib-i128", 34.468, 4.3085],
    ["coreweave", "gd-8xa100-i128", 15.12, 1.89],
    // No reserved figure in the reference: priced as on-demand.
    ["aws", "p5.48xlarge", 55.04, 6.88],
    ["gcp", "a3-highgpu-8g", 88.49, 11.06125],
  ])("%s %s reserved → $%d per node, $%d per GPU", (provider, name, perNode, perGpu) => {
    const inst = getInstanceType(provider, name);
    expect(nodeHourlyCost(inst, "reserved")).toBeCloseTo(perNode, 9);
    expect(gpuHourlyCost(inst, "reserved")).toBeCloseTo(perGpu, 9);
  });
});

describe("spot", () => {
  it.each<[Provider, string, boolean]>([
    ["lambda", "gpu_8x_h100_sxm5", false], // Lambda has no spot tier at all
    ["lambda", "gpu_1x_h100_sxm5", false],
    ["aws", "g5.12xlarge", false], // AWS sells it, but the catalog holds no price
    ["aws", "g6e.12xlarge", false],
    ["coreweave", "gd-8xa100-i128", false],
    ["aws", "p5.48xlarge", true],
    ["gcp", "g2-standard-48", true],
    ["coreweave", "gd-8xh100ib-i128", true],
  ])("supportsCapacityType(%s %s, spot) is %s", (provider, name, expected) => {
    expect(supportsCapacityType(getInstanceType(provider, name), "spot")).toBe(expected);
  });

  it("refuses to price spot on Lambda, saying why and what to use instead", () => {
    const lambda = getInstanceType("lambda", "gpu_8x_h100_sxm5");
    expect(() => nodeHourlyCost(lambda, "spot")).toThrow(/lambda\/gpu_8x_h100_sxm5: lambda sells no spot capacity; use "on-demand"/);
    expect(() => gpuHourlyCost(lambda, "spot")).toThrow(/sells no spot capacity/);
  });

  it("refuses to price spot where the provider sells it but no price is catalogued", () => {
    expect(() => nodeHourlyCost(getInstanceType("aws", "g5.12xlarge"), "spot")).toThrow(/aws\/g5.12xlarge: no spot price in the catalog/);
  });

  it("rejects an unknown capacity type, listing the allowed ones", () => {
    const p5 = getInstanceType("aws", "p5.48xlarge");
    expect(() => nodeHourlyCost(p5, "preemptible" as CapacityType)).toThrow('unknown capacity type "preemptible"; allowed: reserved, on-demand, spot');
    expect(() => supportsCapacityType(p5, "committed" as CapacityType)).toThrow(/allowed: reserved, on-demand, spot/);
  });

  it("on-demand is always supported, reserved everywhere but Lambda", () => {
    for (const inst of INSTANCE_TYPES) {
      expect(supportsCapacityType(inst, "on-demand")).toBe(true);
      expect(supportsCapacityType(inst, "reserved")).toBe(inst.provider !== "lambda");
    }
  });

  it("refuses to price reserved on Lambda, whose reserved capacity is not sold through its API", () => {
    const lambda = getInstanceType("lambda", "gpu_8x_h100_sxm5");
    expect(() => nodeHourlyCost(lambda, "reserved")).toThrow(/lambda sells no reserved capacity through its API; use "on-demand"/);
  });
});

describe("properties", () => {
  const catalogEntry = fc.constantFrom(...INSTANCE_TYPES);

  it("spot is strictly cheaper than on-demand wherever it is priced", () => {
    fc.assert(
      fc.property(catalogEntry, (inst) => {
        fc.pre(supportsCapacityType(inst, "spot"));
        expect(nodeHourlyCost(inst, "spot")).toBeLessThan(nodeHourlyCost(inst, "on-demand"));
      }),
    );
  });

  it("reserved is never dearer than on-demand and matches the discount", () => {
    fc.assert(
      fc.property(catalogEntry, (inst) => {
        fc.pre(supportsCapacityType(inst, "reserved"));
        const reserved = nodeHourlyCost(inst, "reserved");
        expect(reserved).toBeLessThanOrEqual(inst.onDemandPerNodeHour);
        expect(reserved / inst.onDemandPerNodeHour).toBeCloseTo(1 - inst.reservedDiscount, 12);
      }),
    );
  });

  it("gpuHourlyCost × gpusPerNode == nodeHourlyCost for every catalog entry and capacity type", () => {
    fc.assert(
      fc.property(catalogEntry, fc.constantFrom(...CAPACITY_TYPES), (inst, capacityType) => {
        fc.pre(supportsCapacityType(inst, capacityType));
        expect(gpuHourlyCost(inst, capacityType) * inst.gpusPerNode).toBe(nodeHourlyCost(inst, capacityType));
      }),
    );
  });

  it("gpuHourlyCost × gpusPerNode == nodeHourlyCost for arbitrary shapes and prices", () => {
    const base = getInstanceType("coreweave", "gd-8xh100ib-i128");
    const shape = fc.record({
      gpusPerNode: fc.integer({ min: 1, max: 16 }),
      onDemandPerNodeHour: fc.double({ min: 0.01, max: 500, noNaN: true }),
      spotFraction: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
      reservedDiscount: fc.double({ min: 0, max: 0.9, noNaN: true }),
      capacityType: fc.constantFrom(...CAPACITY_TYPES),
    });
    fc.assert(
      fc.property(shape, (s) => {
        const inst: InstanceType = {
          ...base,
          gpusPerNode: s.gpusPerNode,
          onDemandPerNodeHour: s.onDemandPerNodeHour,
          spotPerNodeHour: s.onDemandPerNodeHour * s.spotFraction,
          reservedDiscount: s.reservedDiscount,
        };
        const node = nodeHourlyCost(inst, s.capacityType);
        expect(gpuHourlyCost(inst, s.capacityType) * s.gpusPerNode).toBeCloseTo(node, 9);
      }),
    );
  });
});
