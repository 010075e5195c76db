/** Lookups over the validated GPU and instance type data. */
import { GPU_TYPE_IDS, PROVIDERS, assertProvider, isGpuTypeId } from "./constants";
import type { GpuTypeId, Provider } from "./constants";
import { GPU_TYPES } from "./gpu-types";
import { INSTANCE_TYPES } from "./instance-types";
import type { GpuType, InstanceType } from "./types";

const GPU_BY_ID: ReadonlyMap<GpuTypeId, GpuType> = new Map(GPU_TYPES.map((g) => [g.id, g]));
const INSTANCE_BY_KEY: ReadonlyMap<string, InstanceType> = new Map(INSTANCE_TYPES.map((it) => [`${it.provider}/${it.name}`, it]));
const INSTANCES_BY_PROVIDER: ReadonlyMap<Provider, readonly InstanceType[]> = new Map(
  PROVIDERS.map((p) => [p, Object.freeze(INSTANCE_TYPES.filter((it) => it.provider === p))]),
);

/** The GPU type with this id; throws (listing the known ids) for an unknown one. */
export function getGpuType(id: GpuTypeId): GpuType {
  const gpu = isGpuTypeId(id) ? GPU_BY_ID.get(id) : undefined;
  if (gpu === undefined) throw new Error(`unknown GPU type ${JSON.stringify(id)}; known: ${GPU_TYPE_IDS.join(", ")}`);
  return gpu;
}

/** Memory of one GPU of this instance type, in GiB. */
export function gpuMemoryGiB(instance: InstanceType): number {
  return getGpuType(instance.gpuType).memoryGiB;
}

/** The instance type `name` of `provider`, or undefined when the catalog has none by that name. */
export function findInstanceType(provider: Provider, name: string): InstanceType | undefined {
  assertProvider(provider);
  return INSTANCE_BY_KEY.get(`${provider}/${name}`);
}

/** Like {@link findInstanceType} but throws, listing the known names, when there is none. */
export function getInstanceType(provider: Provider, name: string): InstanceType {
  const found = findInstanceType(provider, name);
  if (found === undefined) {
    const known = instanceTypesFor(provider).map((it) => it.name);
    throw new Error(`no instance type ${JSON.stringify(name)} for ${provider}; known: ${known.join(", ")}`);
  }
  return found;
}

/** All catalogued instance types of one provider. */
export function instanceTypesFor(provider: Provider): readonly InstanceType[] {
  assertProvider(provider);
  return INSTANCES_BY_PROVIDER.get(provider) ?? [];
}

/** All catalogued instance types carrying `gpuType`, optionally of one provider only. */
export function instanceTypesWithGpu(gpuType: GpuTypeId, provider?: Provider): readonly InstanceType[] {
  getGpuType(gpuType); // throws on an unknown id rather than silently matching nothing
  const pool = provider === undefined ? INSTANCE_TYPES : instanceTypesFor(provider);
  return Object.freeze(pool.filter((it) => it.gpuType === gpuType));
}
