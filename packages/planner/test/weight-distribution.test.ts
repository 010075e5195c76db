import { describe, expect, it } from "vitest";
import { chooseWeightDistribution, nodeStartsPerMonth, plan } from "../src";
import { specWith } from "./helpers";

const pool = (nodeStartsPerMonth: number, localNvmeGiB = 60_000) => ({ model: "m", weightsGB: 140, replicasPerNode: 4, localNvmeGiB, nodeStartsPerMonth });

describe("weight distribution, hand-computed", () => {
  it("replicates into CoreWeave when churn is high: 140 GB × $0.06 + 140 GB × $0.09 = $21.00", () => {
    const d = chooseWeightDistribution({ provider: "coreweave", origin: "aws", storagePricePerGBMonth: 0.06, revisionsPerMonth: 1, pools: [pool(10)] });
    expect(d.strategy).toBe("replicate");
    expect(d.monthly.storage).toBeCloseTo(8.4, 9);
    expect(d.monthly.egress).toBeCloseTo(12.6, 9);
    expect(d.egressGBPerMonth).toBe(140);
    // node-cache: 10 node starts × 140 GB × $0.09 = $126; stream: 40 replica starts × 140 × 0.09 = $504
    expect(d.alternatives.find((a) => a.strategy === "node-cache")?.total).toBeCloseTo(126, 9);
    expect(d.alternatives.find((a) => a.strategy === "stream")?.total).toBeCloseTo(504, 9);
    expect(d.reason).toContain("replicate at $21.00/month");
  });

  it("caches on node NVMe when nodes rarely start (1 start: $12.60 < $21.00), unless the NVMe is too small", () => {
    expect(chooseWeightDistribution({ provider: "coreweave", origin: "aws", storagePricePerGBMonth: 0.06, revisionsPerMonth: 1, pools: [pool(1)] }).strategy).toBe("node-cache");
    const small = chooseWeightDistribution({ provider: "coreweave", origin: "aws", storagePricePerGBMonth: 0.06, revisionsPerMonth: 1, pools: [pool(1, 100)] });
    expect(small.strategy).toBe("replicate");
    expect(small.alternatives.find((a) => a.strategy === "node-cache")?.feasible).toBe(false);
  });

  it("streams from the origin in the origin's own cloud (no egress, no second copy)", () => {
    const d = chooseWeightDistribution({ provider: "aws", origin: "aws", storagePricePerGBMonth: 0.023, revisionsPerMonth: 1, pools: [pool(500)] });
    expect(d).toMatchObject({ strategy: "stream", monthly: { storage: 0, egress: 0, total: 0 } });
  });

  it("pays nothing to move weights out of CoreWeave (free egress), so node-cache beats paying for a replica", () => {
    const d = chooseWeightDistribution({ provider: "lambda", origin: "coreweave", storagePricePerGBMonth: 0.2, revisionsPerMonth: 1, pools: [pool(300)] });
    expect(d).toMatchObject({ strategy: "node-cache", monthly: { total: 0 } });
  });

  it("never replicates into Lambda, which sells no object storage: node-cache or stream instead", () => {
    const d = chooseWeightDistribution({ provider: "lambda", origin: "aws", storagePricePerGBMonth: 0.2, revisionsPerMonth: 1, pools: [pool(10)] });
    expect(d.strategy).toBe("node-cache");
    expect(d.alternatives.find((a) => a.strategy === "replicate")).toMatchObject({ feasible: false, note: "lambda sells no object storage to replicate into" });
  });

  it("counts node starts from the schedule's upward steps (cyclic) and from spot churn", () => {
    // Schedule 1,1,3,3,2 (cyclic): +2 once per 5 hours → 2 × 730/5 = 292. Spot: 2 nodes, availability 0.5,
    // 2 h up → 2 h down → 730/4 = 182.5 cycles × 2 starts × 2 nodes = 730.
    expect(nodeStartsPerMonth([1, 1, 3, 3, 2], 2, { availability: 0.5, meanUpHours: 2 }, 730)).toBeCloseTo(1022, 9);
    expect(nodeStartsPerMonth([2, 2, 2], 0, null, 730)).toBe(0);
  });
});

describe("gateway egress, hand-computed", () => {
  it("charges prompts at AWS's $0.09/GB out of the gateway and streamed completions at GCP's $0.12/GB back", () => {
    // One GCP pool, 1,000 prompt + 100 completion tokens/s all month: prompts 1,000 × 3,600 × 730 × 4 B =
    // 10.512 GB → $0.94608; completions 100 × 3,600 × 730 × 200 B = 52.56 GB → $6.3072.
    const spec = specWith({ providers: [{ provider: "gcp", capacityTypes: ["on-demand"] }], replicas: [1], policy: { resilience: "none" } });
    spec.models[0]!.demand.hourly = { requestsPerSecond: [1], inputTokensPerSecond: [1000], outputTokensPerSecond: [100] };
    const p = plan(spec);
    expect(p.cost.gatewayEgress).toBeCloseTo(0.94608 + 6.3072, 2);
    // The sender pays: prompts on AWS's bill, completions on GCP's. A constant schedule never starts a
    // node, so node-cache moves no weights at all.
    expect(p.cost.byProvider.find((b) => b.provider === "aws")?.egress).toBeCloseTo(0.95, 2);
    expect(p.cost.byProvider.find((b) => b.provider === "gcp")?.egress).toBeCloseTo(6.31, 2);
    expect(p.weightDistribution).toMatchObject([{ provider: "gcp", strategy: "node-cache", monthly: { total: 0 } }]);
  });
});
