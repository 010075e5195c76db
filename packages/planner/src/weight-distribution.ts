/**
 * How each provider's GPUs get the weights, chosen by total monthly cost:
 *
 *   replicate   a bucket in that cloud:  storage (GB × $/GB-month) + one transfer per revision
 *   node-cache  node-local NVMe:         one transfer per node start (needs NVMe ≥ weights)
 *   stream      Run:ai streamer:         one transfer per replica start, straight from the origin
 *
 * Transfers cost the origin's egress price to that provider (the sender pays; same provider is free).
 * Starts per month = autoscaling starts (from the planned schedule) + spot churn (each spot reclaim
 * replaces the node, and it moves back when spot returns: two starts per reclaim cycle) + one load of each
 * new revision on every fixed node.
 */
import { decimalGBToGiB, egressPricePerGB, objectStoragePricePerGBMonth } from "@switchyard/catalog";
import type { Provider } from "@switchyard/catalog";
import type { WeightDistributionPlan, WeightStrategy } from "./types";

export interface PoolStarts {
  model: string;
  weightsGB: number;
  replicasPerNode: number;
  localNvmeGiB: number;
  nodeStartsPerMonth: number;
}

export interface WeightDistributionInput {
  provider: Provider;
  origin: Provider;
  storagePricePerGBMonth: number;
  revisionsPerMonth: number;
  pools: readonly PoolStarts[];
}

const money = (x: number) => `$${x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** Node starts per month of one pool: upward steps of its cyclic schedule plus spot churn. */
export function nodeStartsPerMonth(burstNodesPerHour: readonly number[], meanSpotNodes: number, spot: { availability: number; meanUpHours: number } | null, hoursPerMonth: number): number {
  const H = burstNodesPerHour.length;
  let ups = 0;
  for (let h = 0; h < H; h++) ups += Math.max(0, burstNodesPerHour[h]! - burstNodesPerHour[(h - 1 + H) % H]!);
  const autoscaling = H === 0 ? 0 : (ups * hoursPerMonth) / H;
  let churn = 0;
  if (spot !== null && meanSpotNodes > 0) {
    const meanDownHours = (spot.meanUpHours * (1 - spot.availability)) / spot.availability;
    const cycles = hoursPerMonth / (spot.meanUpHours + meanDownHours);
    churn = 2 * meanSpotNodes * cycles;
  }
  return autoscaling + churn;
}

export function chooseWeightDistribution(input: WeightDistributionInput): WeightDistributionPlan {
  const price = egressPricePerGB(input.origin, input.provider);
  const sameCloud = input.origin === input.provider;
  const totalGB = input.pools.reduce((a, p) => a + p.weightsGB, 0);
  const nodeStarts = input.pools.reduce((a, p) => a + p.nodeStartsPerMonth, 0);
  const replicaStarts = input.pools.reduce((a, p) => a + p.nodeStartsPerMonth * p.replicasPerNode, 0);
  const nodeGB = input.pools.reduce((a, p) => a + p.weightsGB * p.nodeStartsPerMonth, 0);
  const replicaGB = input.pools.reduce((a, p) => a + p.weightsGB * p.nodeStartsPerMonth * p.replicasPerNode, 0);
  const nvmeShort = input.pools.filter((p) => p.localNvmeGiB < decimalGBToGiB(p.weightsGB));

  // ModelWeightCache replicates into the cloud's object store; a cloud without one (Lambda) cannot.
  const hasObjectStore = objectStoragePricePerGBMonth(input.provider) !== undefined;
  const replicateStorage = sameCloud ? 0 : totalGB * input.storagePricePerGBMonth;
  const replicateGB = sameCloud ? 0 : totalGB * input.revisionsPerMonth;
  const alternatives: WeightDistributionPlan["alternatives"] = [
    {
      strategy: "replicate",
      feasible: hasObjectStore,
      storage: replicateStorage,
      egress: replicateGB * price,
      total: replicateStorage + replicateGB * price,
      note: !hasObjectStore
        ? `${input.provider} sells no object storage to replicate into`
        : sameCloud
        ? "the origin bucket is in this cloud already"
        : `${totalGB.toFixed(0)} GB stored at ${money(input.storagePricePerGBMonth)}/GB-month, copied ${input.revisionsPerMonth}× a month at ${money(price)}/GB`,
    },
    {
      strategy: "node-cache",
      feasible: nvmeShort.length === 0,
      storage: 0,
      egress: nodeGB * price,
      total: nodeGB * price,
      note:
        nvmeShort.length > 0
          ? `node NVMe too small for ${nvmeShort.map((p) => p.model).join(", ")}`
          : `${nodeStarts.toFixed(0)} node starts a month × weights at ${money(price)}/GB`,
    },
    {
      strategy: "stream",
      feasible: true,
      storage: 0,
      egress: replicaGB * price,
      total: replicaGB * price,
      note: `${replicaStarts.toFixed(0)} replica starts a month × weights at ${money(price)}/GB`,
    },
  ];
  // Cheapest wins; on a tie, fewer bytes over the wire at start-up (stream in the origin's cloud reads
  // from the origin directly; elsewhere node-cache restarts from NVMe), then the fixed order below.
  const tieOrder: WeightStrategy[] = sameCloud ? ["stream", "node-cache", "replicate"] : ["node-cache", "replicate", "stream"];
  const ranked = alternatives
    .filter((a) => a.feasible)
    .sort((a, b) => (Math.abs(a.total - b.total) > 1e-9 ? a.total - b.total : tieOrder.indexOf(a.strategy) - tieOrder.indexOf(b.strategy)));
  const chosen = ranked[0]!;
  const others = alternatives.filter((a) => a !== chosen).map((a) => `${a.strategy} ${a.feasible ? money(a.total) : "(not possible: " + a.note + ")"}`);
  const reason = sameCloud
    ? `${chosen.strategy}: weights live in this cloud (origin ${input.origin}), so no egress; ${others.join(", ")}`
    : `${chosen.strategy} at ${money(chosen.total)}/month (${chosen.note}) beats ${others.join(" and ")}`;
  return {
    provider: input.provider,
    strategy: chosen.strategy,
    reason,
    monthly: { storage: chosen.storage, egress: chosen.egress, total: chosen.total },
    egressGBPerMonth: { replicate: replicateGB, "node-cache": nodeGB, stream: replicaGB }[chosen.strategy],
    coldStartsPerMonth: { nodes: nodeStarts, replicas: replicaStarts },
    alternatives,
  };
}

/** Minutes a new node's replica spends reading weights under `strategy`. */
export function weightLoadMinutes(strategy: WeightStrategy, sameCloud: boolean, weightsGB: number, gbps: { sameCloudGBps: number; crossCloudGBps: number }): number {
  // A new node's cache is empty, so node-cache reads from the origin like stream does.
  const rate = strategy === "replicate" || sameCloud ? gbps.sameCloudGBps : gbps.crossCloudGBps;
  return weightsGB / rate / 60;
}
