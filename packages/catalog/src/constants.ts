/** The closed vocabularies of the catalog: providers, purchase tiers, GPU types. */

export const PROVIDERS = ["aws", "gcp", "coreweave", "lambda"] as const;
export type Provider = (typeof PROVIDERS)[number];

export const CAPACITY_TYPES = ["reserved", "on-demand", "spot"] as const;
export type CapacityType = (typeof CAPACITY_TYPES)[number];

export const GPU_TYPE_IDS = ["H100", "H200", "A100-80GB", "A100-40GB", "L40S", "L4", "A10G"] as const;
export type GpuTypeId = (typeof GPU_TYPE_IDS)[number];

/** Where data can be sent from a provider: another provider, or the public internet. */
export const EGRESS_DESTINATIONS = [...PROVIDERS, "internet"] as const;
export type EgressDestination = (typeof EGRESS_DESTINATIONS)[number];

/**
 * Date the catalog was last compiled from `provider-facts.md` (ISO yyyy-mm-dd). Entries whose source
 * gives no date of its own carry this date as `verifiedOn`; no entry may be verified after it.
 */
export const CATALOG_COMPILED_ON = "2026-11-01";

/**
 * The purchase tiers each provider sells through the API Switchyard drives. Lambda has no spot tier
 * (docs.lambda.ai/public-cloud/billing), and its reserved capacity is sold as 1-Click Clusters under
 * contract, not through the instance API; the other three sell all three tiers.
 */
export const PROVIDER_CAPACITY_TYPES: Readonly<Record<Provider, readonly CapacityType[]>> = {
  aws: CAPACITY_TYPES,
  gcp: CAPACITY_TYPES,
  coreweave: CAPACITY_TYPES,
  lambda: ["on-demand"],
};

/**
 * Whether a provider's GPU nodes can follow demand without a person: a cluster autoscaler (Karpenter or an EKS
 * managed node group, GKE, CoreWeave CKS node pools) adds and removes them. Lambda instances are launched and
 * terminated through its API by `pulumi up`, so a Lambda pool is a fixed number of nodes, running around the
 * clock: the planner prices it that way and the stacks deploy it that way.
 */
export const PROVIDER_NODES_AUTOSCALE: Readonly<Record<Provider, boolean>> = { aws: true, gcp: true, coreweave: true, lambda: false };

/** True when `value` is one of {@link PROVIDERS}. */
export function isProvider(value: unknown): value is Provider {
  return typeof value === "string" && (PROVIDERS as readonly string[]).includes(value);
}

/** True when `value` is one of {@link CAPACITY_TYPES}. */
export function isCapacityType(value: unknown): value is CapacityType {
  return typeof value === "string" && (CAPACITY_TYPES as readonly string[]).includes(value);
}

/** True when `value` is one of {@link GPU_TYPE_IDS}. */
export function isGpuTypeId(value: unknown): value is GpuTypeId {
  return typeof value === "string" && (GPU_TYPE_IDS as readonly string[]).includes(value);
}

/** Throws a clear Error unless `value` is a known provider. */
export function assertProvider(value: unknown): asserts value is Provider {
  if (!isProvider(value)) {
    throw new Error(`unknown provider ${JSON.stringify(value)}; allowed: ${PROVIDERS.join(", ")}`);
  }
}

/** Throws a clear Error unless `value` is a known capacity type. */
export function assertCapacityType(value: unknown): asserts value is CapacityType {
  if (!isCapacityType(value)) {
    throw new Error(`unknown capacity type ${JSON.stringify(value)}; allowed: ${CAPACITY_TYPES.join(", ")}`);
  }
}

/** Whether the provider sells this purchase tier at all (Lambda: on-demand only). */
export function providerSellsCapacityType(provider: Provider, capacityType: CapacityType): boolean {
  assertProvider(provider);
  assertCapacityType(capacityType);
  return PROVIDER_CAPACITY_TYPES[provider].includes(capacityType);
}

/** Whether the provider sells spot/preemptible capacity at all (Lambda: no). */
export function providerHasSpot(provider: Provider): boolean {
  return providerSellsCapacityType(provider, "spot");
}
