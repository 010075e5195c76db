/**
 * Lambda Cloud on-demand instance types. Prices are per whole instance (`price_cents_per_hour`), the
 * same in every region; Lambda has no spot tier and the reference gives no reserved discount
 * (1-Click Clusters are reserved under contract, outside the instance API), so `reservedDiscount`
 * is 0 and the catalog does not sell "reserved" on Lambda (PROVIDER_CAPACITY_TYPES).
 */
import { CATALOG_COMPILED_ON } from "../constants";
import type { InstanceType } from "../types";

const API = "https://cloud.lambda.ai/api/v1/instance-types";
// specs.vcpus / memory_gib / storage_gib as the same endpoint reports them (read-only capture of 2026-08-11).
const SPECS = `specs: ${API} (specs.vcpus, memory_gib, storage_gib)`;
// Lambda's price is the same in every region.
const priceRegion = "all-regions";

export const LAMBDA_INSTANCE_TYPES: InstanceType[] = [
  {
    provider: "lambda",
    name: "gpu_8x_h100_sxm5",
    gpuType: "H100",
    gpusPerNode: 8,
    vcpus: 208, // provider-facts §2.2
    memoryGiB: 1800, // provider-facts §2.2
    localNvmeGiB: 22_528,
    onDemandPerNodeHour: 31.92, // $3.99/GPU
    spotPerNodeHour: undefined,
    reservedDiscount: 0,
    minPurchaseNodes: 1,
    gcpAcceleratorType: undefined,
    priceRegion,
    source: `${API} (live capture 2026-08-18, provider-facts §2.6); ${SPECS}`,
    verifiedOn: "2026-08-18",
  },
  {
    provider: "lambda",
    name: "gpu_1x_h100_sxm5",
    gpuType: "H100",
    gpusPerNode: 1,
    vcpus: 26,
    memoryGiB: 225,
    localNvmeGiB: 2_816,
    onDemandPerNodeHour: 4.29,
    spotPerNodeHour: undefined,
    reservedDiscount: 0,
    minPurchaseNodes: 1,
    gcpAcceleratorType: undefined,
    priceRegion,
    source: `${API} (mid-2026 client price table, provider-facts §2.6); ${SPECS}`,
    // The reference dates this price only as "~Jul 2026": compilation date used.
    verifiedOn: CATALOG_COMPILED_ON,
  },
  {
    provider: "lambda",
    name: "gpu_8x_a100_80gb_sxm4",
    gpuType: "A100-80GB",
    gpusPerNode: 8,
    vcpus: 240,
    memoryGiB: 1800,
    localNvmeGiB: 20_480,
    onDemandPerNodeHour: 22.32,
    spotPerNodeHour: undefined,
    reservedDiscount: 0,
    minPurchaseNodes: 1,
    gcpAcceleratorType: undefined,
    priceRegion,
    source: `${API} (live capture 2026-08-18, provider-facts §2.6); ${SPECS}`,
    verifiedOn: "2026-08-18",
  },
];
