import { egressPricePerGB } from "@switchyard/catalog";
import type { Provider } from "@switchyard/catalog";
import type { WeightStrategy } from "./args";

export interface WeightEgressInput {
  strategy: WeightStrategy;
  /** Cloud of the origin bucket (the sender, who pays egress). */
  from: Provider;
  /** Cloud of the GPU cluster. */
  to: Provider;
  /** Size of the model in decimal GB (the sum of the manifest). */
  weightGB: number;
  revisionsPerMonth: number;
  nodes: number;
  nodeArrivalsPerMonth: number;
  coldStartsPerMonth: number;
  replicaStoragePricePerGBMonth: number;
}

/** Expected monthly egress of one model into one cluster, and what it costs. */
export interface WeightEgressEstimate {
  strategy: WeightStrategy;
  from: Provider;
  to: Provider;
  weightGB: number;
  /** Full copies of the model that leave the origin per month. */
  copiesPerMonth: number;
  egressGBPerMonth: number;
  /** USD per GB, from the catalog (origin cloud → this cloud). */
  egressPricePerGB: number;
  egressCostPerMonth: number;
  /** GB kept in an in-cloud bucket (`replicate` only; node NVMe is part of the node's price). */
  storageGB: number;
  storageCostPerMonth: number;
  totalCostPerMonth: number;
  /** The assumptions the figures rest on, one sentence each. */
  assumptions: string[];
}

/**
 * Copies per month and what they cost:
 * - `replicate`: one copy per new revision into the in-cloud bucket (vLLM then reads in-cloud, free), plus
 *   storage of the copy;
 * - `node-cache`: one copy per node per revision, plus one per node that joins the pool;
 * - `stream`: one full read of the model per vLLM cold start.
 */
export function estimateWeightEgress(input: WeightEgressInput): WeightEgressEstimate {
  const { strategy, weightGB } = input;
  const copiesPerMonth = copies(input);
  const price = egressPricePerGB(input.from, input.to);
  const egressGBPerMonth = weightGB * copiesPerMonth;
  const egressCostPerMonth = cents(egressGBPerMonth * price);
  const storageGB = strategy === "replicate" ? weightGB : 0;
  const storageCostPerMonth = cents(storageGB * input.replicaStoragePricePerGBMonth);
  return {
    strategy,
    from: input.from,
    to: input.to,
    weightGB,
    copiesPerMonth,
    egressGBPerMonth,
    egressPricePerGB: price,
    egressCostPerMonth,
    storageGB,
    storageCostPerMonth,
    totalCostPerMonth: cents(egressCostPerMonth + storageCostPerMonth),
    assumptions: assumptions(input, price),
  };
}

function copies(input: WeightEgressInput): number {
  switch (input.strategy) {
    case "replicate":
      return input.revisionsPerMonth;
    case "node-cache":
      return input.nodes * input.revisionsPerMonth + input.nodeArrivalsPerMonth;
    case "stream":
      return input.coldStartsPerMonth;
  }
}

function assumptions(input: WeightEgressInput, price: number): string[] {
  const route = `${input.from} → ${input.to} at $${price}/GB (catalog egress price, charged by the sender)`;
  switch (input.strategy) {
    case "replicate":
      return [
        route,
        `${input.revisionsPerMonth} new revision(s) a month, each copied once into the ${input.to} bucket`,
        `the copy is stored at $${input.replicaStoragePricePerGBMonth}/GB-month; vLLM reads it in-cloud for free`,
      ];
    case "node-cache":
      return [
        route,
        `${input.nodes} node(s), each fetching every one of ${input.revisionsPerMonth} revision(s) a month`,
        `${input.nodeArrivalsPerMonth} node(s) a month join the pool and fetch a fresh copy`,
      ];
    case "stream":
      return [route, `${input.coldStartsPerMonth} vLLM cold start(s) a month, each streaming the whole model once`];
  }
}

function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}
