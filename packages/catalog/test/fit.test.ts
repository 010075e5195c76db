import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CAPACITY_TYPES, GPU_TYPES, INSTANCE_TYPES, PROVIDERS, cheapestFit, cheapestFitAmong, getInstanceType } from "../src";
import type { CapacityType, FitQuery, InstanceType, Provider } from "../src";

interface Case {
  why: string;
  query: FitQuery;
  expected: { provider: Provider; name: string; nodes: number; hourlyCost: number } | undefined;
}

// Every expected figure below is worked out by hand from provider-facts.md prices.
const cases: Case[] = [
  {
    why: "8 × ≥80 GiB on-demand anywhere: CoreWeave A100 node $21.60 beats Lambda 8×A100 $22.32, Lambda 8×H100 $31.92, 8 × Lambda 1×H100 $34.32, CW H100 $49.24, p5 $55.04, a3 $88.49",
    query: { gpus: 8, minGpuMemoryGiB: 80, capacityType: "on-demand" },
    expected: { provider: "coreweave", name: "gd-8xa100-i128", nodes: 1, hourlyCost: 21.6 },
  },
  {
    why: "1 × ≥80 GiB on CoreWeave only: the smallest unit is a whole 8-GPU node, so 1 A100 node at $21.60",
    query: { gpus: 1, minGpuMemoryGiB: 80, capacityType: "on-demand", providers: ["coreweave"] },
    expected: { provider: "coreweave", name: "gd-8xa100-i128", nodes: 1, hourlyCost: 21.6 },
  },
  {
    why: "1 × ≥80 GiB anywhere: Lambda's single-H100 instance at $4.29 beats any whole 8-GPU node",
    query: { gpus: 1, minGpuMemoryGiB: 80, capacityType: "on-demand" },
    expected: { provider: "lambda", name: "gpu_1x_h100_sxm5", nodes: 1, hourlyCost: 4.29 },
  },
  {
    why: "1 × ≥80 GiB spot on CoreWeave: A100 has no spot price, H100 spot $19.71 < H200 spot $20.93",
    query: { gpus: 1, minGpuMemoryGiB: 80, capacityType: "spot", providers: ["coreweave"] },
    expected: { provider: "coreweave", name: "gd-8xh100ib-i128", nodes: 1, hourlyCost: 19.71 },
  },
  {
    why: "8 × ≥80 GiB reserved: CoreWeave A100 $21.60 × 0.7 = $15.12; Lambda has no reserved discount ($22.32)",
    query: { gpus: 8, minGpuMemoryGiB: 80, capacityType: "reserved" },
    expected: { provider: "coreweave", name: "gd-8xa100-i128", nodes: 1, hourlyCost: 15.12 },
  },
  {
    why: "9 × ≥80 GiB: nine Lambda 1×H100 ($38.61) beat two whole 8-GPU nodes (CW A100 $43.20, Lambda A100 $44.64)",
    query: { gpus: 9, minGpuMemoryGiB: 80, capacityType: "on-demand" },
    expected: { provider: "lambda", name: "gpu_1x_h100_sxm5", nodes: 9, hourlyCost: 38.61 },
  },
  {
    why: "8 × ≥24 GiB: two GCP g2-standard-48 (4×L4, $8.0034) beat two g6.12xlarge ($9.2032) and two g5.12xlarge ($11.344)",
    query: { gpus: 8, minGpuMemoryGiB: 24, capacityType: "on-demand" },
    expected: { provider: "gcp", name: "g2-standard-48", nodes: 2, hourlyCost: 8.0034 },
  },
  {
    why: "8 × ≥24 GiB spot: two g2-standard-48 at $2.4007 ($4.8014) beat CW H100 spot $19.71 and p5 spot $20.79",
    query: { gpus: 8, minGpuMemoryGiB: 24, capacityType: "spot" },
    expected: { provider: "gcp", name: "g2-standard-48", nodes: 2, hourlyCost: 4.8014 },
  },
  {
    why: "4 × ≥40 GiB: one g6e.12xlarge (4×L40S, $10.49264) beats 4 × Lambda 1×H100 ($17.16) and CW L40S ($18.00)",
    query: { gpus: 4, minGpuMemoryGiB: 40, capacityType: "on-demand" },
    expected: { provider: "aws", name: "g6e.12xlarge", nodes: 1, hourlyCost: 10.49264 },
  },
  {
    why: "8 × ≥80 GiB on AWS or GCP only: p5.48xlarge $55.04 beats a3-highgpu-8g $88.49; p4d is A100 40 GB and does not qualify",
    query: { gpus: 8, minGpuMemoryGiB: 80, capacityType: "on-demand", providers: ["aws", "gcp"] },
    expected: { provider: "aws", name: "p5.48xlarge", nodes: 1, hourlyCost: 55.04 },
  },
  {
    why: "8 × ≥40 GiB on AWS only: g6e.12xlarge ×2 ($20.98528) beats p4d.24xlarge ($21.957642)",
    query: { gpus: 8, minGpuMemoryGiB: 40, capacityType: "on-demand", providers: ["aws"] },
    expected: { provider: "aws", name: "g6e.12xlarge", nodes: 2, hourlyCost: 20.98528 },
  },
  {
    why: "16 × ≥100 GiB: only the H200 (141 GiB) qualifies, two CoreWeave nodes at $50.44",
    query: { gpus: 16, minGpuMemoryGiB: 100, capacityType: "on-demand" },
    expected: { provider: "coreweave", name: "gd-8xh200ib-i128", nodes: 2, hourlyCost: 100.88 },
  },
  { why: "no GPU has 200 GiB", query: { gpus: 1, minGpuMemoryGiB: 200, capacityType: "on-demand" }, expected: undefined },
  { why: "Lambda sells no spot", query: { gpus: 1, minGpuMemoryGiB: 0, capacityType: "spot", providers: ["lambda"] }, expected: undefined },
  { why: "an empty provider list matches nothing", query: { gpus: 1, minGpuMemoryGiB: 0, capacityType: "on-demand", providers: [] }, expected: undefined },
];

describe("cheapestFit, hand-computed", () => {
  it.each(cases)("$why", ({ query, expected }) => {
    const fit = cheapestFit(query);
    if (expected === undefined) {
      expect(fit).toBeUndefined();
      return;
    }
    expect(fit).toBeDefined();
    expect({ provider: fit?.instanceType.provider, name: fit?.instanceType.name, nodes: fit?.nodes }).toEqual({
      provider: expected.provider,
      name: expected.name,
      nodes: expected.nodes,
    });
    expect(fit?.hourlyCost).toBeCloseTo(expected.hourlyCost, 9);
  });
});

describe("cheapestFit tie-break (documented order: cost, idle GPUs, nodes, provider order, name)", () => {
  const base = getInstanceType("aws", "g6e.12xlarge");
  const shape = (over: Partial<InstanceType>): InstanceType => ({ ...base, ...over });
  const query: FitQuery = { gpus: 8, minGpuMemoryGiB: 0, capacityType: "on-demand" };

  it("equal cost: fewer idle GPUs wins", () => {
    const exact = shape({ name: "z-exact", gpusPerNode: 8, onDemandPerNodeHour: 20 });
    const idle = shape({ name: "a-idle", gpusPerNode: 12, onDemandPerNodeHour: 20 });
    expect(cheapestFitAmong([idle, exact], query)?.instanceType.name).toBe("z-exact");
    expect(cheapestFitAmong([exact, idle], query)?.instanceType.name).toBe("z-exact");
  });

  it("equal cost and idle GPUs: fewer nodes wins", () => {
    const twoNodes = shape({ name: "a-small", gpusPerNode: 4, onDemandPerNodeHour: 10 });
    const oneNode = shape({ name: "z-big", gpusPerNode: 8, onDemandPerNodeHour: 20 });
    expect(cheapestFitAmong([twoNodes, oneNode], query)?.instanceType.name).toBe("z-big");
    expect(cheapestFitAmong([oneNode, twoNodes], query)?.instanceType.name).toBe("z-big");
  });

  it("identical shapes: provider order (aws, gcp, coreweave, lambda), then name", () => {
    const onLambda = shape({ provider: "lambda", name: "a", gpusPerNode: 8, onDemandPerNodeHour: 20 });
    const onGcp = shape({ provider: "gcp", name: "b", gpusPerNode: 8, onDemandPerNodeHour: 20, gcpAcceleratorType: "nvidia-l4" });
    expect(cheapestFitAmong([onLambda, onGcp], query)?.instanceType.provider).toBe("gcp");
    const b = shape({ name: "b", gpusPerNode: 8, onDemandPerNodeHour: 20 });
    const a = shape({ name: "a", gpusPerNode: 8, onDemandPerNodeHour: 20 });
    expect(cheapestFitAmong([b, a], query)?.instanceType.name).toBe("a");
  });

  it("respects minPurchaseNodes", () => {
    const bulk = shape({ name: "bulk", gpusPerNode: 8, onDemandPerNodeHour: 1, minPurchaseNodes: 4 });
    const fit = cheapestFitAmong([bulk], { gpus: 1, minGpuMemoryGiB: 0, capacityType: "on-demand" });
    expect(fit).toMatchObject({ nodes: 4, hourlyCost: 4 });
  });
});

describe("cheapestFit rejects a bad query, naming every bad field", () => {
  it.each<[string, FitQuery, RegExp]>([
    ["zero GPUs", { gpus: 0, minGpuMemoryGiB: 80, capacityType: "on-demand" }, /gpus \(0\) must be a positive integer/],
    ["fractional GPUs", { gpus: 1.5, minGpuMemoryGiB: 80, capacityType: "on-demand" }, /gpus \(1.5\) must be a positive integer/],
    ["negative memory", { gpus: 1, minGpuMemoryGiB: -1, capacityType: "on-demand" }, /minGpuMemoryGiB \(-1\) must be a number >= 0/],
    ["unknown capacity", { gpus: 1, minGpuMemoryGiB: 0, capacityType: "dedicated" as CapacityType }, /capacityType \("dedicated"\) must be one of reserved, on-demand, spot/],
    ["unknown provider", { gpus: 1, minGpuMemoryGiB: 0, capacityType: "spot", providers: ["azure" as Provider] }, /providers contains \["azure"\]; allowed: aws, gcp, coreweave, lambda/],
  ])("%s", (_label, query, message) => {
    expect(() => cheapestFit(query)).toThrow(message);
  });

  it("lists all problems at once", () => {
    expect(() => cheapestFit({ gpus: -2, minGpuMemoryGiB: Number.NaN, capacityType: "on-demand" })).toThrow(/gpus \(-2\).*; minGpuMemoryGiB \(NaN\)/);
  });
});

describe("cheapestFit properties", () => {
  const memoryOf = new Map(GPU_TYPES.map((g) => [g.id, g.memoryGiB]));
  // Independent re-statement of the pricing rules, so the property can disagree with the implementation.
  const priceFor = (inst: InstanceType, capacityType: CapacityType): number | undefined =>
    capacityType === "on-demand"
      ? inst.onDemandPerNodeHour
      : inst.provider === "lambda"
        ? undefined // Lambda sells on-demand only
        : capacityType === "reserved"
          ? inst.onDemandPerNodeHour * (1 - inst.reservedDiscount)
          : inst.spotPerNodeHour;

  const queryArb = fc.record({
    gpus: fc.integer({ min: 1, max: 64 }),
    minGpuMemoryGiB: fc.oneof(fc.constantFrom(0, 16, 24, 40, 48, 80, 100, 141, 142), fc.double({ min: 0, max: 160, noNaN: true })),
    capacityType: fc.constantFrom(...CAPACITY_TYPES),
    providers: fc.option(fc.subarray([...PROVIDERS]), { nil: undefined }),
  });

  it("returns ≥ the GPUs asked for, each with ≥ the memory asked for, and nothing in the catalog is strictly cheaper", () => {
    fc.assert(
      fc.property(queryArb, (query) => {
        const allowed = query.providers ?? PROVIDERS;
        const eligible = INSTANCE_TYPES.flatMap((inst) => {
          const price = priceFor(inst, query.capacityType);
          const memory = memoryOf.get(inst.gpuType) ?? 0;
          if (!allowed.includes(inst.provider) || memory < query.minGpuMemoryGiB || price === undefined) return [];
          const nodes = Math.max(Math.ceil(query.gpus / inst.gpusPerNode), inst.minPurchaseNodes);
          return [{ inst, cost: nodes * price }];
        });
        const fit = cheapestFit(query);
        if (eligible.length === 0) {
          expect(fit).toBeUndefined();
          return;
        }
        expect(fit).toBeDefined();
        if (fit === undefined) return;
        expect(fit.nodes * fit.instanceType.gpusPerNode).toBeGreaterThanOrEqual(query.gpus);
        expect(memoryOf.get(fit.instanceType.gpuType)).toBeGreaterThanOrEqual(query.minGpuMemoryGiB);
        expect(allowed).toContain(fit.instanceType.provider);
        for (const { cost } of eligible) expect(cost).toBeGreaterThanOrEqual(fit.hourlyCost - 1e-9);
        expect(Math.min(...eligible.map((e) => e.cost))).toBeCloseTo(fit.hourlyCost, 9);
      }),
    );
  });

  it("does not depend on the order of the candidates", () => {
    const permutation = fc.shuffledSubarray([...INSTANCE_TYPES], { minLength: INSTANCE_TYPES.length });
    fc.assert(
      fc.property(queryArb, permutation, (query, shuffled) => {
        const a = cheapestFitAmong(INSTANCE_TYPES, query);
        const b = cheapestFitAmong(shuffled, query);
        expect(b?.instanceType).toBe(a?.instanceType);
        expect(b?.nodes).toBe(a?.nodes);
      }),
    );
  });
});
