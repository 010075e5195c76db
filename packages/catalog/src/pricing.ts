/**
 * Hourly cost of an instance type per purchase tier. Prices are stored per whole node; per-GPU figures
 * are always derived here, never stored.
 */
import { assertCapacityType, providerHasSpot, providerSellsCapacityType } from "./constants";
import type { CapacityType } from "./constants";
import type { InstanceType } from "./types";

/**
 * Whether `instance` can be bought and priced at `capacityType`: the provider must sell that tier
 * (Lambda sells on-demand only), and spot needs a catalogued spot price — so false on e.g. AWS g5, whose
 * spot price this catalog does not hold. Reserved may carry no discount.
 */
export function supportsCapacityType(instance: InstanceType, capacityType: CapacityType): boolean {
  if (!providerSellsCapacityType(instance.provider, capacityType)) return false;
  return capacityType !== "spot" || instance.spotPerNodeHour !== undefined;
}

/**
 * USD per node per hour at `capacityType`: on-demand as listed, reserved = on-demand × (1 − reservedDiscount),
 * spot as listed. Throws a clear Error where there is no spot price (always on Lambda).
 */
export function nodeHourlyCost(instance: InstanceType, capacityType: CapacityType): number {
  assertCapacityType(capacityType);
  switch (capacityType) {
    case "on-demand":
      return instance.onDemandPerNodeHour;
    case "reserved":
      if (!providerSellsCapacityType(instance.provider, "reserved")) {
        throw new Error(`${instance.provider}/${instance.name}: ${instance.provider} sells no reserved capacity through its API; use "on-demand"`);
      }
      return instance.onDemandPerNodeHour * (1 - instance.reservedDiscount);
    case "spot": {
      const id = `${instance.provider}/${instance.name}`;
      if (!providerHasSpot(instance.provider)) {
        throw new Error(`${id}: ${instance.provider} sells no spot capacity; use "on-demand"${providerSellsCapacityType(instance.provider, "reserved") ? ' or "reserved"' : ""}`);
      }
      if (instance.spotPerNodeHour === undefined) {
        throw new Error(
          `${id}: no spot price in the catalog (${instance.provider} sells spot, but it is not priced here); ` +
            `use "on-demand" or "reserved", or add a spotPerNodeHour`,
        );
      }
      return instance.spotPerNodeHour;
    }
  }
}

/** USD per GPU per hour: {@link nodeHourlyCost} divided by `gpusPerNode`. */
export function gpuHourlyCost(instance: InstanceType, capacityType: CapacityType): number {
  return nodeHourlyCost(instance, capacityType) / instance.gpusPerNode;
}
