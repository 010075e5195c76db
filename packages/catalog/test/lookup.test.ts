import { describe, expect, it } from "vitest";
import {
  GPU_TYPES,
  GPU_TYPE_IDS,
  findInstanceType,
  getGpuType,
  getInstanceType,
  gpuMemoryGiB,
  instanceTypesFor,
  instanceTypesWithGpu,
  providerHasSpot,
} from "../src";
import type { GpuTypeId, Provider } from "../src";

describe("GPU types", () => {
  it.each<[GpuTypeId, number, "nvlink" | "pcie", string]>([
    ["H100", 80, "nvlink", "NVIDIA-H100-80GB-HBM3"],
    ["H200", 141, "nvlink", "NVIDIA-H200"],
    ["A100-80GB", 80, "nvlink", "NVIDIA-A100-SXM4-80GB"],
    ["A100-40GB", 40, "nvlink", "NVIDIA-A100-SXM4-40GB"],
    ["L40S", 48, "pcie", "NVIDIA-L40S"],
    ["L4", 24, "pcie", "NVIDIA-L4"],
    ["A10G", 24, "pcie", "NVIDIA-A10G"],
  ])("%s: %d GiB, %s, GFD label %s", (id, memoryGiB, interconnect, nvidiaProduct) => {
    expect(getGpuType(id)).toMatchObject({ id, memoryGiB, interconnect, nvidiaProduct });
  });

  it("has exactly one entry per GPU_TYPE_IDS value", () => {
    expect(GPU_TYPES.map((g) => g.id)).toEqual([...GPU_TYPE_IDS]);
  });

  it("rejects an unknown id, listing the known ones", () => {
    expect(() => getGpuType("B200" as GpuTypeId)).toThrow('unknown GPU type "B200"; known: H100, H200, A100-80GB, A100-40GB, L40S, L4, A10G');
  });
});

describe("instance type lookups", () => {
  it("findInstanceType returns the entry or undefined", () => {
    expect(findInstanceType("aws", "p5.48xlarge")?.gpuType).toBe("H100");
    expect(findInstanceType("aws", "p9.big")).toBeUndefined();
    // Names are per provider: a CoreWeave name is not an AWS instance type.
    expect(findInstanceType("aws", "gd-8xh100ib-i128")).toBeUndefined();
  });

  it("getInstanceType names what was wrong and what is known", () => {
    expect(() => getInstanceType("aws", "p9.big")).toThrow(
      'no instance type "p9.big" for aws; known: p5.48xlarge, p4d.24xlarge, g6e.12xlarge, g6.12xlarge, g5.12xlarge',
    );
  });

  it("rejects an unknown provider instead of answering 'not found'", () => {
    expect(() => findInstanceType("azure" as Provider, "nd96")).toThrow('unknown provider "azure"; allowed: aws, gcp, coreweave, lambda');
    expect(() => instanceTypesFor("oci" as Provider)).toThrow(/unknown provider "oci"/);
  });

  it.each<[Provider, string[]]>([
    ["aws", ["p5.48xlarge", "p4d.24xlarge", "g6e.12xlarge", "g6.12xlarge", "g5.12xlarge"]],
    ["gcp", ["a3-highgpu-8g", "g2-standard-48"]],
    ["coreweave", ["gd-8xh100ib-i128", "gd-8xh200ib-i128", "gd-8xa100-i128", "gd-8xl40s-i128"]],
    ["lambda", ["gpu_8x_h100_sxm5", "gpu_1x_h100_sxm5", "gpu_8x_a100_80gb_sxm4"]],
  ])("instanceTypesFor(%s)", (provider, names) => {
    const found = instanceTypesFor(provider);
    expect(found.map((it) => it.name)).toEqual(names);
    expect(found.every((it) => it.provider === provider)).toBe(true);
  });

  it.each<[GpuTypeId, Provider | undefined, string[]]>([
    ["H100", undefined, ["p5.48xlarge", "a3-highgpu-8g", "gd-8xh100ib-i128", "gpu_8x_h100_sxm5", "gpu_1x_h100_sxm5"]],
    ["H100", "lambda", ["gpu_8x_h100_sxm5", "gpu_1x_h100_sxm5"]],
    ["L4", undefined, ["g6.12xlarge", "g2-standard-48"]],
    ["A100-40GB", undefined, ["p4d.24xlarge"]],
    ["A100-80GB", "aws", []],
  ])("instanceTypesWithGpu(%s, %s)", (gpuType, provider, names) => {
    expect(instanceTypesWithGpu(gpuType, provider).map((it) => it.name)).toEqual(names);
  });

  it("gpuMemoryGiB reads the GPU type of the instance (p4d is the 40 GB A100)", () => {
    expect(gpuMemoryGiB(getInstanceType("aws", "p4d.24xlarge"))).toBe(40);
    expect(gpuMemoryGiB(getInstanceType("lambda", "gpu_8x_a100_80gb_sxm4"))).toBe(80);
  });

  it.each<[Provider, boolean]>([
    ["aws", true],
    ["gcp", true],
    ["coreweave", true],
    ["lambda", false],
  ])("providerHasSpot(%s) is %s", (provider, expected) => {
    expect(providerHasSpot(provider)).toBe(expected);
  });
});
