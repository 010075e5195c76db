/**
 * The instance types one provider entry of a fleet spec may use: the catalog's, plus the ones the spec defines
 * (`customInstanceTypes`), with the spec's contract prices (`prices`) applied. Decided here once, for the spec's
 * checks, the planner's pools and, through the plan, the GpuNodePool each stack creates.
 */
import { defineInstanceType, instanceTypesFor } from "@switchyard/catalog";
import type { InstanceType, InstanceTypeProblem } from "@switchyard/catalog";

/** What of a provider entry decides its instance types. */
export interface InstanceTypeSource {
  provider: InstanceType["provider"];
  customInstanceTypes?: readonly Record<string, unknown>[] | undefined;
  prices?: Record<string, { onDemandPerNodeHour?: number | undefined; spotPerNodeHour?: number | undefined; reservedDiscount?: number | undefined }> | undefined;
}

/** The entry's own instance types, each validated by the catalog's rules; problems by index and field. */
export function customInstanceTypes(p: InstanceTypeSource): { types: InstanceType[]; problems: (InstanceTypeProblem & { index: number })[] } {
  const types: InstanceType[] = [];
  const problems: (InstanceTypeProblem & { index: number })[] = [];
  (p.customInstanceTypes ?? []).forEach((raw, index) => {
    const defined = defineInstanceType({ ...raw, provider: p.provider });
    if (defined.instanceType === undefined) problems.push(...defined.problems.map((problem) => ({ ...problem, index })));
    else types.push(defined.instanceType);
  });
  return { types, problems };
}

/** Every instance type the entry may use, catalog first, with its contract prices applied. */
export function providerInstanceTypes(p: InstanceTypeSource): InstanceType[] {
  return [...instanceTypesFor(p.provider), ...customInstanceTypes(p).types].map((it) => withPrices(it, p));
}

function withPrices(it: InstanceType, p: InstanceTypeSource): InstanceType {
  const o = p.prices?.[it.name];
  if (o === undefined) return it;
  return {
    ...it,
    onDemandPerNodeHour: o.onDemandPerNodeHour ?? it.onDemandPerNodeHour,
    spotPerNodeHour: o.spotPerNodeHour ?? it.spotPerNodeHour,
    reservedDiscount: o.reservedDiscount ?? it.reservedDiscount,
  };
}
