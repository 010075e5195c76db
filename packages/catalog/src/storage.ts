/**
 * Storage prices, USD per GB-month, for keeping a copy of model weights in a provider: its standard (hot)
 * object-storage class, and, where the provider has no object store, the shared filesystem that stands in
 * for one. Free tiers, request charges and volume discounts are ignored: weight copies are a few hundred GB.
 */
import { CATALOG_COMPILED_ON, assertProvider } from "./constants";
import type { Provider } from "./constants";
import { parseStoragePrices } from "./schemas";
import type { StoragePrice } from "./types";

const verifiedOn = CATALOG_COMPILED_ON;

const RAW_STORAGE_PRICES: StoragePrice[] = [
  {
    provider: "aws",
    objectStoragePerGBMonth: 0.023,
    filesystemPerGBMonth: null,
    note: "S3 Standard, first 50 TB a month, us-east-1.",
    source: "https://aws.amazon.com/s3/pricing/",
    verifiedOn,
  },
  {
    provider: "gcp",
    objectStoragePerGBMonth: 0.02,
    filesystemPerGBMonth: null,
    note: "Cloud Storage Standard, single region us-central1.",
    source: "https://cloud.google.com/storage/pricing",
    verifiedOn,
  },
  {
    provider: "coreweave",
    objectStoragePerGBMonth: 0.06,
    filesystemPerGBMonth: 0.07,
    note: "AI Object Storage hot tier (warm $0.03, cold $0.015); Distributed File Storage $0.07. Egress and requests free.",
    source: "https://coreweave.com/pricing (provider-facts §1.7)",
    verifiedOn,
  },
  {
    provider: "lambda",
    objectStoragePerGBMonth: null,
    filesystemPerGBMonth: 0.2,
    note: "Lambda sells no object storage; persistent filesystems are billed per GB-month while they exist [secondary].",
    source: "https://docs.lambda.ai/public-cloud/filesystems/ (provider-facts §2.5)",
    verifiedOn,
  },
];

/** Storage prices per provider, validated at module load; exactly one entry per provider. */
export const STORAGE_PRICES: readonly StoragePrice[] = parseStoragePrices(RAW_STORAGE_PRICES);

/** The storage price entry for one provider. */
export function storagePriceFor(provider: Provider): StoragePrice {
  assertProvider(provider);
  const entry = STORAGE_PRICES.find((e) => e.provider === provider);
  if (entry === undefined) throw new Error(`no storage price for ${provider}`); // unreachable: checked at load
  return entry;
}

/** USD per GB-month of the provider's object store, or undefined where it has none (Lambda). */
export function objectStoragePricePerGBMonth(provider: Provider): number | undefined {
  return storagePriceFor(provider).objectStoragePerGBMonth ?? undefined;
}
