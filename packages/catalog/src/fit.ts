/** Cheapest whole-node way to get N GPUs of at least M GiB each. */
import { CAPACITY_TYPES, PROVIDERS, isCapacityType, isProvider } from "./constants";
import { INSTANCE_TYPES } from "./instance-types";
import { gpuMemoryGiB } from "./lookup";
import { nodeHourlyCost, supportsCapacityType } from "./pricing";
import type { Fit, FitQuery, InstanceType } from "./types";

/** Costs closer than this (relative) are treated as equal and go to the tie-break. */
const COST_EPSILON = 1e-9;

function validateFitQuery(query: FitQuery): void {
  const problems: string[] = [];
  const { gpus, minGpuMemoryGiB, capacityType, providers } = query;
  if (!Number.isInteger(gpus) || gpus <= 0) {
    problems.push(`gpus (${String(gpus)}) must be a positive integer`);
  }
  if (typeof minGpuMemoryGiB !== "number" || !Number.isFinite(minGpuMemoryGiB) || minGpuMemoryGiB < 0) {
    problems.push(`minGpuMemoryGiB (${String(minGpuMemoryGiB)}) must be a number >= 0 (GiB per GPU)`);
  }
  if (!isCapacityType(capacityType)) {
    problems.push(`capacityType (${JSON.stringify(capacityType)}) must be one of ${CAPACITY_TYPES.join(", ")}`);
  }
  if (providers !== undefined) {
    const unknown = Array.isArray(providers) ? providers.filter((p) => !isProvider(p)) : [providers];
    if (unknown.length > 0) {
      problems.push(`providers contains ${JSON.stringify(unknown)}; allowed: ${PROVIDERS.join(", ")}`);
    }
  }
  if (problems.length > 0) throw new Error(`invalid FitQuery: ${problems.join("; ")}`);
}

/** Nodes needed for `gpus` GPUs: whole nodes, never fewer than the provider's minimum purchase. */
export function nodesNeeded(instance: InstanceType, gpus: number): number {
  return Math.max(Math.ceil(gpus / instance.gpusPerNode), instance.minPurchaseNodes);
}

function sameCost(a: number, b: number): boolean {
  return Math.abs(a - b) <= COST_EPSILON * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Orders fits: cheaper first; on equal cost, fewer idle GPUs (nodes × gpusPerNode − gpus), then fewer
 * nodes (tensor parallelism stays inside one NVLink domain), then provider in {@link PROVIDERS} order,
 * then instance type name (plain code-unit order, locale-independent).
 */
export function compareFits(a: Fit, b: Fit, gpus: number): number {
  if (!sameCost(a.hourlyCost, b.hourlyCost)) return a.hourlyCost - b.hourlyCost;
  const idle = (f: Fit) => f.nodes * f.instanceType.gpusPerNode - gpus;
  if (idle(a) !== idle(b)) return idle(a) - idle(b);
  if (a.nodes !== b.nodes) return a.nodes - b.nodes;
  const pa = PROVIDERS.indexOf(a.instanceType.provider);
  const pb = PROVIDERS.indexOf(b.instanceType.provider);
  if (pa !== pb) return pa - pb;
  return a.instanceType.name < b.instanceType.name ? -1 : a.instanceType.name > b.instanceType.name ? 1 : 0;
}

/**
 * {@link cheapestFit} over an explicit list of instance types (e.g. the catalog with your contract
 * prices patched in). Throws on an invalid query; returns undefined when nothing qualifies.
 */
export function cheapestFitAmong(candidates: readonly InstanceType[], query: FitQuery): Fit | undefined {
  validateFitQuery(query);
  const providers = query.providers ?? PROVIDERS;
  let best: Fit | undefined;
  for (const instanceType of candidates) {
    if (!providers.includes(instanceType.provider)) continue;
    if (gpuMemoryGiB(instanceType) < query.minGpuMemoryGiB) continue;
    if (!supportsCapacityType(instanceType, query.capacityType)) continue;
    const nodes = nodesNeeded(instanceType, query.gpus);
    const fit: Fit = { instanceType, nodes, hourlyCost: nodes * nodeHourlyCost(instanceType, query.capacityType) };
    if (best === undefined || compareFits(fit, best, query.gpus) < 0) best = fit;
  }
  return best;
}

/**
 * The fewest-dollars way to get at least `gpus` GPUs, each with at least `minGpuMemoryGiB`, at
 * `capacityType`, from whole nodes of a single instance type (nodes = ceil(gpus / gpusPerNode), never
 * below `minPurchaseNodes`; shapes are not mixed). Instance types that cannot be priced at the capacity
 * type (spot on Lambda, spot where no spot price is catalogued) are skipped. Ties are broken by
 * {@link compareFits}. Returns undefined when nothing qualifies.
 */
export function cheapestFit(query: FitQuery): Fit | undefined {
  return cheapestFitAmong(INSTANCE_TYPES, query);
}
