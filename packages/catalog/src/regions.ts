/**
 * Where each provider can run, spelt as its APIs take the names, so a misspelt region is refused with a
 * "did you mean" before anything is planned or deployed. AWS: commercial-partition regions (`us-east-1`);
 * GCP: regions (`us-central1`); Lambda Cloud: regions (`us-east-1`); CoreWeave: Regions (`US-EAST-04`,
 * the `region` label) and Availability Zones (`US-EAST-04A`, what a CKS cluster is created in), upper case.
 *
 * Names are matched exactly, case included: `us-east-04` is not CoreWeave's spelling and is refused with
 * "did you mean US-EAST-04?". A region that is real but not listed yet gets through the caller's escape
 * hatch (fleet spec `unlistedRegion: true`, GpuNodePool `allowUnlistedRegion: true`); add it here, with
 * its source, so the next caller needs none.
 */
import { z } from "zod";
import { CATALOG_COMPILED_ON, PROVIDERS, assertProvider } from "./constants";
import type { Provider } from "./constants";
import { IsoDateSchema, ProviderSchema, SourceSchema } from "./schemas";
import { closestSpellings, editDistance } from "./spelling";

/** The names one provider's APIs accept as a region, and where they were read. */
export interface RegionList {
  provider: Provider;
  /** Region (and, for CoreWeave, Availability Zone) names exactly as the provider spells them. */
  names: readonly string[];
  /** URL or `owner/repo:path` the names come from. */
  source: string;
  /** ISO date (yyyy-mm-dd) the names were last checked against `source`. */
  verifiedOn: string;
}

// None of these sources carries a date of its own; they were read on 2026-12-03, after the catalog was
// compiled, so the compilation date stands in (catalog README, "Updating prices", step 3).
const verifiedOn = CATALOG_COMPILED_ON;

// The `aws` partition only: China (`cn-*`), GovCloud (`us-gov-*`), ISO and EU sovereign regions are other
// partitions, with their own accounts and ARN prefixes. Descriptions are in the same file.
const AWS_REGIONS = [
  "af-south-1",
  "ap-east-1", "ap-east-2",
  "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
  "ap-south-1", "ap-south-2",
  "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
  "ca-central-1", "ca-west-1",
  "eu-central-1", "eu-central-2",
  "eu-north-1",
  "eu-south-1", "eu-south-2",
  "eu-west-1", "eu-west-2", "eu-west-3",
  "il-central-1",
  "me-central-1", "me-south-1", "me-west-1",
  "mx-central-1",
  "sa-east-1", "sa-west-1",
  "us-east-1", "us-east-2",
  "us-west-1", "us-west-2",
];

const GCP_REGIONS = [
  "africa-south1",
  "asia-east1", "asia-east2",
  "asia-northeast1", "asia-northeast2", "asia-northeast3",
  "asia-south1", "asia-south2",
  "asia-southeast1", "asia-southeast2",
  "australia-southeast1", "australia-southeast2",
  "europe-central2",
  "europe-north1", "europe-north2",
  "europe-southwest1",
  "europe-west1", "europe-west2", "europe-west3", "europe-west4", "europe-west6", "europe-west8", "europe-west9", "europe-west10", "europe-west12",
  "me-central1", "me-central2", "me-west1",
  "northamerica-northeast1", "northamerica-northeast2", "northamerica-south1",
  "southamerica-east1", "southamerica-west1",
  "us-central1",
  "us-east1", "us-east4", "us-east5",
  "us-south1",
  "us-west1", "us-west2", "us-west3", "us-west4",
];

const LAMBDA_REGIONS = [
  "asia-northeast-1", "asia-northeast-2",
  "asia-south-1",
  "australia-east-1",
  "europe-central-1", "europe-south-1",
  "me-west-1",
  "us-east-1", "us-east-2", "us-east-3",
  "us-midwest-1",
  "us-south-1", "us-south-2", "us-south-3",
  "us-west-1", "us-west-2", "us-west-3",
];

// Availability Zones, General Access and Dedicated Access alike. A zone is its Region's name plus one
// letter (US-EAST-04 → US-EAST-04A, RNO2 → RNO2A), so the Regions are derived from the zones below.
const COREWEAVE_ZONES = [
  "ATL2A", "ATL4A", "RDU1A",
  "US-EAST-01A", "US-EAST-02A", "US-EAST-02B", "US-EAST-03A", "US-EAST-04A", "US-EAST-05A", "US-EAST-06A", "US-EAST-07A",
  "US-EAST-08A", "US-EAST-09A", "US-EAST-10A", "US-EAST-11A", "US-EAST-13A", "US-EAST-14A",
  "AUS1A", "DFW1A", "SBN1A",
  "US-CENTRAL-01A", "US-CENTRAL-02A", "US-CENTRAL-03A", "US-CENTRAL-04A", "US-CENTRAL-05A", "US-CENTRAL-06A", "US-CENTRAL-07A",
  "US-CENTRAL-08A", "US-CENTRAL-08B",
  "PDX2A", "RNO2A",
  "US-WEST-01A", "US-WEST-04A", "US-WEST-09B", "US-WEST-10A",
  "CA-EAST-01A",
  "EU-NORTH-01A", "EU-NORTH-02A", "EU-NORTH-04A", "EU-NORTH-05A",
  "EU-SOUTH-01A", "EU-SOUTH-03B", "EU-SOUTH-04A",
  "EU-WEST-01A", "EU-WEST-02A",
];
const COREWEAVE_REGIONS = [...new Set(COREWEAVE_ZONES.map((zone) => zone.slice(0, -1)))];

const RAW_REGION_LISTS: RegionList[] = [
  {
    provider: "aws",
    names: AWS_REGIONS,
    source: "boto/botocore:botocore/data/partitions.json (partition aws, botocore 1.44.5); https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html",
    verifiedOn,
  },
  {
    provider: "gcp",
    names: GCP_REGIONS,
    source:
      "https://cloud.google.com/compute/docs/regions-zones (as listed on https://cloud.google.com/workload-manager/docs/evaluate/locations " +
      "and https://cloud.google.com/memorystore/docs/redis/regions)",
    verifiedOn,
  },
  {
    provider: "coreweave",
    names: [...COREWEAVE_REGIONS, ...COREWEAVE_ZONES],
    source:
      "https://docs.coreweave.com/platform/regions/all-availability-zones (with .../general-access, .../dedicated-access " +
      "and https://docs.coreweave.com/platform/instances/availability-matrix)",
    verifiedOn,
  },
  {
    provider: "lambda",
    names: LAMBDA_REGIONS,
    source: "https://cloud.lambda.ai/api/v1/instance-types (regions; provider-facts §2.2); skypilot-org/skypilot-catalog:catalogs/v7/lambda/vms.csv (Region)",
    verifiedOn,
  },
];

/** How each provider spells a region: CoreWeave in upper case, the others in lower case. */
const SPELLING: Readonly<Record<Provider, RegExp>> = {
  aws: /^[a-z0-9]+(-[a-z0-9]+)+$/,
  gcp: /^[a-z0-9]+(-[a-z0-9]+)+$/,
  lambda: /^[a-z0-9]+(-[a-z0-9]+)+$/,
  coreweave: /^[A-Z0-9]+(-[A-Z0-9]+)*$/,
};

const RegionListSchema = z
  .strictObject({
    provider: ProviderSchema,
    names: z.array(z.string()).min(1),
    source: SourceSchema,
    verifiedOn: IsoDateSchema,
  })
  .superRefine((list, ctx) => {
    list.names.forEach((name, i) => {
      if (!SPELLING[list.provider].test(name)) ctx.addIssue({ code: "custom", path: ["names", i], message: `${JSON.stringify(name)} is not spelt as ${list.provider} spells regions` });
      if (list.names.indexOf(name) !== i) ctx.addIssue({ code: "custom", path: ["names", i], message: `${JSON.stringify(name)} is listed twice` });
    });
  });

/** Validates the region lists (exactly one per provider); throws an Error naming each bad entry. Returns frozen copies. */
function parseRegionLists(raw: unknown): Readonly<Record<Provider, RegionList>> {
  const result = z.array(RegionListSchema).safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`invalid region catalog:\n  ${problems.join("\n  ")}`);
  }
  const byProvider = new Map(result.data.map((list) => [list.provider, list]));
  const missing = PROVIDERS.filter((p) => !byProvider.has(p));
  if (missing.length > 0 || byProvider.size !== result.data.length) {
    throw new Error(`invalid region catalog: need exactly one list per provider (missing: ${missing.join(", ") || "none"})`);
  }
  const lists = Object.fromEntries(PROVIDERS.map((p) => [p, Object.freeze({ ...byProvider.get(p)!, names: Object.freeze([...byProvider.get(p)!.names]) })]));
  return Object.freeze(lists) as Record<Provider, RegionList>;
}

/** The region names of every provider, validated at module load. */
export const REGIONS: Readonly<Record<Provider, RegionList>> = parseRegionLists(RAW_REGION_LISTS);

/** The region names `provider` accepts, exactly as it spells them. */
export function regionsFor(provider: Provider): readonly string[] {
  assertProvider(provider);
  return REGIONS[provider].names;
}

/** Whether `region` is one of `provider`'s listed regions, spelt exactly (case included). */
export function isKnownRegion(provider: Provider, region: string): boolean {
  return regionsFor(provider).includes(region);
}

/** Why a region was refused, in two parts so each caller can phrase its error its own way. */
export interface RegionProblem {
  /** What is wrong, written to follow the value: `is not a gcp region the catalog knows`. */
  reason: string;
  /** How to fix it: the "did you mean", then the escape hatch (or adding the region to the catalog). */
  fix: string;
  /** The listed names spelt closest to the value (case ignored), best first; may be empty. */
  suggestions: string[];
}

// Regions of AWS partitions other than `aws`: real, but outside what the catalog lists (see AWS_REGIONS).
const AWS_OTHER_PARTITION = /^(cn|us-gov|us-iso[a-z]?|eu-isoe|eusc)-/;
/** How many nearest names to show when none is close enough to be a likely typo. */
const NEAREST_SHOWN = 5;
const DISPLAY_NAME: Readonly<Record<Provider, string>> = { aws: "AWS", gcp: "GCP", coreweave: "CoreWeave", lambda: "Lambda" };

/**
 * `undefined` when `region` is one of `provider`'s listed regions; otherwise what is wrong and how to fix
 * it: a "did you mean" from the closest spellings (case ignored, so `us-east-04` on CoreWeave suggests
 * `US-EAST-04`), then `escapeHatch`, the caller's way to accept a real region the catalog does not list
 * yet (e.g. `set allowUnlistedRegion: true`). Without one, the fix is to add the region to the catalog.
 */
export function regionProblem(provider: Provider, region: string, escapeHatch?: string): RegionProblem | undefined {
  const names = regionsFor(provider);
  if (names.includes(region)) return undefined;
  const hatch =
    escapeHatch === undefined
      ? "If the region is real but not listed yet, add it to @switchyard/catalog (src/regions.ts) with its source"
      : `If the region is real but not in the catalog yet, ${escapeHatch}`;
  if (provider === "aws" && AWS_OTHER_PARTITION.test(region)) {
    // Never "add it to the catalog": the AWS list is the commercial partition by definition.
    const other = escapeHatch === undefined ? "" : ` ${hatch}`;
    return { reason: "is not in the commercial AWS partition (aws), the only one the catalog lists", fix: `use a commercial region such as "us-east-1".${other}`, suggestions: [] };
  }
  const reason = `is not among the ${DISPLAY_NAME[provider]} regions the catalog lists`;
  const suggestions = closestSpellings(region, names, Math.max(2, Math.floor(region.length / 4)));
  if (suggestions.length === 0) {
    const distance = (name: string) => editDistance(region.toLowerCase(), name.toLowerCase());
    const nearest = [...names].sort((a, b) => distance(a) - distance(b)).slice(0, NEAREST_SHOWN);
    return { reason, fix: `use a listed region (nearest in spelling: ${quotedList(nearest, ", ")}). ${hatch}`, suggestions };
  }
  const caseOnly = suggestions.length === 1 && suggestions[0]!.toLowerCase() === region.toLowerCase();
  const spelling = caseOnly ? ` (${DISPLAY_NAME[provider]} spells regions in ${provider === "coreweave" ? "upper" : "lower"} case)` : "";
  return { reason, fix: `did you mean ${quotedList(suggestions, " or ")}${spelling}? ${hatch}`, suggestions };
}

/** `"a", "b" or "c"` (or joined with `last` as the final separator). */
function quotedList(names: readonly string[], last: string): string {
  const quoted = names.map((n) => JSON.stringify(n));
  return quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")}${last}${quoted[quoted.length - 1]}`;
}
