import { describe, expect, it } from "vitest";
import {
  CATALOG_COMPILED_ON,
  EGRESS_PRICES,
  EgressPriceSchema,
  GPU_TYPES,
  GpuTypeSchema,
  INSTANCE_TYPES,
  InstanceTypeSchema,
  getInstanceType,
  parseEgressPrices,
  parseGpuTypes,
  parseInstanceTypes,
} from "../src";
import type { InstanceType, Provider } from "../src";

const p5 = getInstanceType("aws", "p5.48xlarge");
const withFields = (over: Record<string, unknown>): Record<string, unknown> => ({ ...p5, ...over });
const without = (field: keyof InstanceType): Record<string, unknown> => {
  const copy: Record<string, unknown> = { ...p5 };
  delete copy[field];
  return copy;
};

describe("InstanceTypeSchema", () => {
  it("accepts every catalog entry", () => {
    for (const entry of INSTANCE_TYPES) expect(InstanceTypeSchema.safeParse(entry).success).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["a negative price", withFields({ onDemandPerNodeHour: -1 }), "onDemandPerNodeHour"],
    ["a zero price", withFields({ onDemandPerNodeHour: 0 }), "onDemandPerNodeHour"],
    ["gpusPerNode 0", withFields({ gpusPerNode: 0 }), "gpusPerNode"],
    ["fractional gpusPerNode", withFields({ gpusPerNode: 2.5 }), "gpusPerNode"],
    ["a missing source", without("source"), "source"],
    ["a source that is not a URL or owner/repo:path", withFields({ source: "the internet" }), "source"],
    ["a missing verifiedOn", without("verifiedOn"), "verifiedOn"],
    ["a non-ISO verifiedOn", withFields({ verifiedOn: "10/10/2026" }), "verifiedOn"],
    ["spot not below on-demand (per-GPU price typed as per-node?)", withFields({ spotPerNodeHour: 60 }), "spotPerNodeHour"],
    ["a reserved discount of 100%", withFields({ reservedDiscount: 1 }), "reservedDiscount"],
    ["an unknown GPU type", withFields({ gpuType: "H100-PCIe" }), "gpuType"],
    ["an unknown provider", withFields({ provider: "azure" }), "provider"],
    ["a GKE accelerator type off GCP", withFields({ gcpAcceleratorType: "nvidia-h100-80gb" }), "gcpAcceleratorType"],
    ["negative local NVMe", withFields({ localNvmeGiB: -5 }), "localNvmeGiB"],
    ["minPurchaseNodes 0", withFields({ minPurchaseNodes: 0 }), "minPurchaseNodes"],
  ])("rejects %s, naming the field", (_label, entry, field) => {
    const result = InstanceTypeSchema.safeParse(entry);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toContain(field);
    // The load-time parser names the entry and the field.
    expect(() => parseInstanceTypes([entry])).toThrow(new RegExp(`\\[0\\] \\S+/p5\\.48xlarge: ${field}: `));
  });

  it("rejects a spot price on Lambda, which has no spot tier", () => {
    const lambda = { ...getInstanceType("lambda", "gpu_8x_h100_sxm5"), spotPerNodeHour: 10 };
    expect(() => parseInstanceTypes([lambda])).toThrow(/lambda\/gpu_8x_h100_sxm5: spotPerNodeHour: lambda sells no spot capacity/);
  });

  it("requires a GKE accelerator type on GCP", () => {
    const g2 = { ...getInstanceType("gcp", "g2-standard-48"), gcpAcceleratorType: undefined };
    expect(() => parseInstanceTypes([g2])).toThrow(/gcp\/g2-standard-48: gcpAcceleratorType: required on gcp/);
  });

  it("rejects a misspelt field (strict object)", () => {
    const typo = { ...withFields({ spotPricePerNodeHour: 10 }) };
    expect(InstanceTypeSchema.safeParse(typo).success).toBe(false);
    expect(() => parseInstanceTypes([typo])).toThrow(/spotPricePerNodeHour/);
  });

  it("rejects duplicate provider/name pairs", () => {
    expect(() => parseInstanceTypes([p5, p5])).toThrow("duplicate instance type(s) aws/p5.48xlarge");
  });

  it("reports every bad entry, not just the first", () => {
    const bad = [withFields({ gpusPerNode: 0 }), { ...getInstanceType("aws", "g5.12xlarge"), onDemandPerNodeHour: -2 }];
    expect(() => parseInstanceTypes(bad)).toThrow(/\[0\] aws\/p5\.48xlarge: gpusPerNode: [^\n]*\n\s+\[1\] aws\/g5\.12xlarge: onDemandPerNodeHour: /);
  });

  it("returns frozen records with absent optionals present as undefined", () => {
    const [parsed] = parseInstanceTypes([without("spotPerNodeHour")]);
    expect(parsed).toBeDefined();
    expect(Object.keys(parsed ?? {})).toContain("spotPerNodeHour");
    expect(parsed?.spotPerNodeHour).toBeUndefined();
    expect(Object.isFrozen(parsed)).toBe(true);
  });
});

describe("GpuTypeSchema and EgressPriceSchema", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["zero memory", { ...GPU_TYPES[0], memoryGiB: 0 }, "memoryGiB"],
    ["a GFD label without the NVIDIA- prefix", { ...GPU_TYPES[0], nvidiaProduct: "H100 80GB" }, "nvidiaProduct"],
    ["a missing source", { ...GPU_TYPES[0], source: undefined }, "source"],
  ])("GPU type with %s is rejected", (_label, entry, field) => {
    const result = GpuTypeSchema.safeParse(entry);
    expect(result.error?.issues.map((i) => i.path.join("."))).toContain(field);
    expect(() => parseGpuTypes([entry])).toThrow(new RegExp(`\\[0\\] H100: ${field}: `));
  });

  it("egress entry with a negative price is rejected", () => {
    const result = EgressPriceSchema.safeParse({ ...EGRESS_PRICES[0], internetPerGB: -0.09 });
    expect(result.error?.issues.map((i) => i.path.join("."))).toContain("internetPerGB");
  });

  it("egress prices must cover every provider exactly once", () => {
    expect(() => parseEgressPrices(EGRESS_PRICES.slice(1))).toThrow(/missing: aws/);
  });
});

describe("the shipped data", () => {
  const all = [...INSTANCE_TYPES, ...GPU_TYPES, ...EGRESS_PRICES];

  it("is verified on or before the compilation date", () => {
    for (const entry of all) expect(entry.verifiedOn <= CATALOG_COMPILED_ON, `${entry.source} ${entry.verifiedOn}`).toBe(true);
  });

  it("is frozen", () => {
    expect(Reflect.set(p5, "onDemandPerNodeHour", 1)).toBe(false);
    expect(p5.onDemandPerNodeHour).toBe(55.04);
    expect(Object.isFrozen(INSTANCE_TYPES)).toBe(true);
  });

  // Pins each required SKU against provider-facts.md: GPUs/node, GPU, node prices, date of the figure.
  it.each<[Provider, string, string, number, number, number | undefined, string]>([
    ["coreweave", "gd-8xh100ib-i128", "H100", 8, 49.24, 19.71, "2026-10-10"],
    ["coreweave", "gd-8xh200ib-i128", "H200", 8, 50.44, 20.93, "2026-10-10"],
    ["coreweave", "gd-8xa100-i128", "A100-80GB", 8, 21.6, undefined, "2026-10-10"],
    ["coreweave", "gd-8xl40s-i128", "L40S", 8, 18.0, undefined, "2026-10-10"],
    ["lambda", "gpu_8x_h100_sxm5", "H100", 8, 31.92, undefined, "2026-08-18"],
    ["lambda", "gpu_1x_h100_sxm5", "H100", 1, 4.29, undefined, CATALOG_COMPILED_ON],
    ["lambda", "gpu_8x_a100_80gb_sxm4", "A100-80GB", 8, 22.32, undefined, "2026-08-18"],
    ["aws", "p5.48xlarge", "H100", 8, 55.04, 20.79, "2026-09-17"],
    ["aws", "p4d.24xlarge", "A100-40GB", 8, 21.957642, undefined, "2026-09-17"],
    ["aws", "g6e.12xlarge", "L40S", 4, 10.49264, undefined, "2026-09-17"],
    ["aws", "g6.12xlarge", "L4", 4, 4.6016, undefined, "2026-09-17"],
    ["aws", "g5.12xlarge", "A10G", 4, 5.672, undefined, "2026-09-17"],
    ["gcp", "a3-highgpu-8g", "H100", 8, 88.49, 52.96, CATALOG_COMPILED_ON],
    ["gcp", "g2-standard-48", "L4", 4, 4.0017, 2.4007, CATALOG_COMPILED_ON],
  ])("%s %s: %s ×%d, $%d on-demand, spot %s", (provider, name, gpuType, gpusPerNode, onDemand, spot, verifiedOn) => {
    expect(getInstanceType(provider, name)).toMatchObject({
      gpuType,
      gpusPerNode,
      onDemandPerNodeHour: onDemand,
      spotPerNodeHour: spot,
      minPurchaseNodes: 1,
      verifiedOn,
    });
  });

  it("carries GKE accelerator types on GCP only", () => {
    expect(getInstanceType("gcp", "a3-highgpu-8g").gcpAcceleratorType).toBe("nvidia-h100-80gb");
    expect(getInstanceType("gcp", "g2-standard-48").gcpAcceleratorType).toBe("nvidia-l4");
    for (const entry of INSTANCE_TYPES.filter((e) => e.provider !== "gcp")) expect(entry.gcpAcceleratorType).toBeUndefined();
  });

  it("has no reserved discount where the reference gives none, and a conservative one for CoreWeave", () => {
    for (const entry of INSTANCE_TYPES) {
      expect(entry.reservedDiscount).toBe(entry.provider === "coreweave" ? 0.3 : 0);
    }
  });
});
