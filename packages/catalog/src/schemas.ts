/**
 * zod schemas for every catalog record, and the parse functions the data files run at module load,
 * so that a bad entry fails loudly (naming the entry and the field) the moment the package is imported.
 */
import { z } from "zod";
import { CAPACITY_TYPES, GPU_TYPE_IDS, PROVIDERS, providerHasSpot } from "./constants";
import type { Provider } from "./constants";
import type { EgressPrice, GpuType, InstanceType, StoragePrice } from "./types";

export const ProviderSchema = z.enum(PROVIDERS);
export const CapacityTypeSchema = z.enum(CAPACITY_TYPES);
export const GpuTypeIdSchema = z.enum(GPU_TYPE_IDS);

/** A URL or `owner/repo:path` (anything with a slash), possibly followed by `; specs: ...`. */
export const SourceSchema = z
  .string({ error: "source is required: a URL or owner/repo:path" })
  .trim()
  .regex(/\S\/\S/, { error: "source must be a URL or owner/repo:path" });

/** Calendar date in ISO form, yyyy-mm-dd. */
export const IsoDateSchema = z.iso.date({ error: "must be an ISO date yyyy-mm-dd" });

const usdPerHour = z.number().positive();

export const GpuTypeSchema = z.strictObject({
  id: GpuTypeIdSchema,
  displayName: z.string().min(1),
  memoryGiB: z.number().positive(),
  interconnect: z.enum(["nvlink", "pcie"]),
  nvidiaProduct: z.string().regex(/^NVIDIA-\S+$/, { error: "must look like a GFD label value, e.g. NVIDIA-H100-80GB-HBM3" }),
  source: SourceSchema,
  verifiedOn: IsoDateSchema,
});

const INSTANCE_TYPE_FIELDS = {
  provider: ProviderSchema,
  name: z.string().min(1),
  gpuType: GpuTypeIdSchema,
  gpusPerNode: z.number().int().positive(),
  vcpus: z.number().int().positive(),
  memoryGiB: z.number().positive(),
  localNvmeGiB: z.number().nonnegative(),
  onDemandPerNodeHour: usdPerHour,
  spotPerNodeHour: usdPerHour.optional(),
  reservedDiscount: z.number().min(0).lt(1, { error: "must be a fraction in [0, 1)" }),
  minPurchaseNodes: z.number().int().positive(),
  gcpAcceleratorType: z.string().min(1).optional(),
  priceRegion: z.string().min(1),
  source: SourceSchema,
  verifiedOn: IsoDateSchema,
};

function checkInstanceType(it: { provider: string; spotPerNodeHour?: number | undefined; onDemandPerNodeHour: number; gcpAcceleratorType?: string | undefined }, ctx: z.RefinementCtx): void {
  if (it.spotPerNodeHour !== undefined && !providerHasSpot(it.provider as Provider)) {
    ctx.addIssue({ code: "custom", path: ["spotPerNodeHour"], message: `${it.provider} sells no spot capacity; leave it undefined` });
  }
  if (it.spotPerNodeHour !== undefined && it.spotPerNodeHour >= it.onDemandPerNodeHour) {
    ctx.addIssue({
      code: "custom",
      path: ["spotPerNodeHour"],
      message: `spot (${it.spotPerNodeHour}) must be below on-demand (${it.onDemandPerNodeHour}); prices are per node, not per GPU`,
    });
  }
  if (it.provider === "gcp" && it.gcpAcceleratorType === undefined) {
    ctx.addIssue({ code: "custom", path: ["gcpAcceleratorType"], message: "required on gcp (GKE guestAccelerators type, e.g. nvidia-l4)" });
  }
  if (it.provider !== "gcp" && it.gcpAcceleratorType !== undefined) {
    ctx.addIssue({ code: "custom", path: ["gcpAcceleratorType"], message: `only meaningful on gcp, not ${it.provider}; leave it undefined` });
  }
}

export const InstanceTypeSchema = z.strictObject(INSTANCE_TYPE_FIELDS).superRefine(checkInstanceType);

/**
 * An instance type a user defines (in a fleet spec, or as GpuNodePool's `instanceType`) for a shape the catalog
 * lacks, or with contract prices: the catalog's fields, with what only a catalog entry needs made optional
 * (local NVMe 0, no reserved discount, one node minimum, source and date of the prices).
 */
export const InstanceTypeDefinitionSchema = z
  .strictObject({
    ...INSTANCE_TYPE_FIELDS,
    localNvmeGiB: INSTANCE_TYPE_FIELDS.localNvmeGiB.default(0),
    reservedDiscount: INSTANCE_TYPE_FIELDS.reservedDiscount.default(0),
    minPurchaseNodes: INSTANCE_TYPE_FIELDS.minPurchaseNodes.default(1),
    priceRegion: INSTANCE_TYPE_FIELDS.priceRegion.optional(),
    source: z.string().min(1).default("user-defined"),
    verifiedOn: z.string().min(1).optional(),
  })
  .superRefine(checkInstanceType);
export type InstanceTypeDefinition = z.input<typeof InstanceTypeDefinitionSchema>;

/** One problem with a user-defined instance type: the field and what is wrong with it. */
export interface InstanceTypeProblem {
  field: string;
  message: string;
}

/**
 * Validates a user-defined instance type and fills its defaults; returns the instance type, or every problem
 * (by field) when it is invalid. A name the catalog already has is refused: override its prices instead.
 */
export function defineInstanceType(raw: unknown): { instanceType: InstanceType; problems: [] } | { instanceType: undefined; problems: InstanceTypeProblem[] } {
  const result = InstanceTypeDefinitionSchema.safeParse(raw);
  if (!result.success) {
    return { instanceType: undefined, problems: result.error.issues.map((i) => ({ field: i.path.map(String).join("."), message: i.message })) };
  }
  const d = result.data;
  return {
    instanceType: {
      ...d,
      spotPerNodeHour: d.spotPerNodeHour,
      gcpAcceleratorType: d.gcpAcceleratorType,
      priceRegion: d.priceRegion ?? "user-defined",
      verifiedOn: d.verifiedOn ?? "unverified",
    },
    problems: [],
  };
}

export const EgressPriceSchema = z.strictObject({
  provider: ProviderSchema,
  sameProviderPerGB: z.number().nonnegative(),
  internetPerGB: z.number().nonnegative(),
  note: z.string().min(1),
  source: SourceSchema,
  verifiedOn: IsoDateSchema,
});

export const StoragePriceSchema = z.strictObject({
  provider: ProviderSchema,
  objectStoragePerGBMonth: z.number().positive().nullable(),
  filesystemPerGBMonth: z.number().positive().nullable(),
  note: z.string().min(1),
  source: SourceSchema,
  verifiedOn: IsoDateSchema,
});

function describeIssues(error: z.ZodError, label: (index: number) => string): string {
  return error.issues
    .map((issue) => {
      const [index, ...field] = issue.path;
      const where = typeof index === "number" ? `${label(index)}: ` : "";
      const fieldPath = field.length > 0 ? `${field.join(".")}: ` : "";
      return `${where}${fieldPath}${issue.message}`;
    })
    .join("\n  ");
}

function entryLabel(raw: unknown, index: number, keyOf: (entry: Record<string, unknown>) => string): string {
  const entry = Array.isArray(raw) ? (raw[index] as unknown) : undefined;
  const key = entry !== null && typeof entry === "object" ? keyOf(entry as Record<string, unknown>) : "?";
  return `[${index}] ${key}`;
}

function show(value: unknown): string {
  return typeof value === "string" ? value : "?";
}

function duplicates(keys: readonly string[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const key of keys) (seen.has(key) ? dups : seen).add(key);
  return [...dups];
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Validates GPU type records; throws an Error naming each bad entry and field. Returns frozen copies. */
export function parseGpuTypes(raw: unknown): readonly GpuType[] {
  const result = z.array(GpuTypeSchema).safeParse(raw);
  if (!result.success) {
    throw new Error(`invalid GPU type catalog:\n  ${describeIssues(result.error, (i) => entryLabel(raw, i, (e) => show(e.id)))}`);
  }
  const dups = duplicates(result.data.map((g) => g.id));
  if (dups.length > 0) throw new Error(`invalid GPU type catalog: duplicate id(s) ${dups.join(", ")}`);
  return deepFreeze(result.data);
}

/** Validates instance type records; throws an Error naming each bad entry and field. Returns frozen copies. */
export function parseInstanceTypes(raw: unknown): readonly InstanceType[] {
  const result = z.array(InstanceTypeSchema).safeParse(raw);
  if (!result.success) {
    const label = (i: number) => entryLabel(raw, i, (e) => `${show(e.provider)}/${show(e.name)}`);
    throw new Error(`invalid instance type catalog:\n  ${describeIssues(result.error, label)}`);
  }
  // zod reports absent optionals as absent keys; the public type has them as present-but-undefined.
  const parsed: InstanceType[] = result.data.map((it) => ({
    ...it,
    spotPerNodeHour: it.spotPerNodeHour,
    gcpAcceleratorType: it.gcpAcceleratorType,
  }));
  const dups = duplicates(parsed.map((it) => `${it.provider}/${it.name}`));
  if (dups.length > 0) throw new Error(`invalid instance type catalog: duplicate instance type(s) ${dups.join(", ")}`);
  return deepFreeze(parsed);
}

/** Validates egress price records (exactly one per provider); throws an Error naming each bad entry and field. */
export function parseEgressPrices(raw: unknown): readonly EgressPrice[] {
  const result = z.array(EgressPriceSchema).safeParse(raw);
  if (!result.success) {
    throw new Error(`invalid egress price catalog:\n  ${describeIssues(result.error, (i) => entryLabel(raw, i, (e) => show(e.provider)))}`);
  }
  const dups = duplicates(result.data.map((e) => e.provider));
  const missing = PROVIDERS.filter((p) => !result.data.some((e) => e.provider === p));
  if (dups.length > 0 || missing.length > 0) {
    throw new Error(
      `invalid egress price catalog: need exactly one entry per provider (duplicates: ${dups.join(", ") || "none"}; missing: ${missing.join(", ") || "none"})`,
    );
  }
  return deepFreeze(result.data);
}

/** Validates storage price records (exactly one per provider); throws an Error naming each bad entry and field. */
export function parseStoragePrices(raw: unknown): readonly StoragePrice[] {
  const result = z.array(StoragePriceSchema).safeParse(raw);
  if (!result.success) {
    throw new Error(`invalid storage price catalog:\n  ${describeIssues(result.error, (i) => entryLabel(raw, i, (e) => show(e.provider)))}`);
  }
  const dups = duplicates(result.data.map((e) => e.provider));
  const missing = PROVIDERS.filter((p) => !result.data.some((e) => e.provider === p));
  if (dups.length > 0 || missing.length > 0) {
    throw new Error(
      `invalid storage price catalog: need exactly one entry per provider (duplicates: ${dups.join(", ") || "none"}; missing: ${missing.join(", ") || "none"})`,
    );
  }
  return deepFreeze(result.data);
}
