/**
 * GCP accelerator-optimized machine types, us-central1 (provider-facts §4.2, §4.3). The reference
 * quotes these prices without a date of their own: the compilation date is used.
 *
 * Reserved: the reference has no committed-use-discount figures (and notes that A3 gets neither
 * sustained-use discounts nor flexible CUDs), so `reservedDiscount` is 0 — reserved priced as
 * on-demand, which never understates a budget. Put your resource-based CUD rate here.
 */
import { CATALOG_COMPILED_ON } from "../constants";
import type { InstanceType } from "../types";

const PRICING = "https://cloud.google.com/compute/vm-instance-pricing (accelerator-optimized, provider-facts §4.3)";
const SPECS = "specs: https://cloud.google.com/compute/docs/accelerator-optimized-machines";
const source = `${PRICING}; ${SPECS}`;
const verifiedOn = CATALOG_COMPILED_ON;
const priceRegion = "us-central1";

export const GCP_INSTANCE_TYPES: InstanceType[] = [
  {
    provider: "gcp",
    name: "a3-highgpu-8g",
    gpuType: "H100",
    gpusPerNode: 8,
    vcpus: 208,
    memoryGiB: 1872,
    localNvmeGiB: 6_000, // 16 x 375 GiB Local SSD, attached automatically
    onDemandPerNodeHour: 88.49,
    spotPerNodeHour: 52.96,
    reservedDiscount: 0,
    minPurchaseNodes: 1,
    gcpAcceleratorType: "nvidia-h100-80gb",
    priceRegion,
    source,
    verifiedOn,
  },
  {
    provider: "gcp",
    name: "g2-standard-48",
    gpuType: "L4",
    gpusPerNode: 4,
    vcpus: 48,
    memoryGiB: 192,
    localNvmeGiB: 0, // Local SSD is optional on G2 and billed separately
    onDemandPerNodeHour: 4.0017,
    spotPerNodeHour: 2.4007,
    reservedDiscount: 0,
    minPurchaseNodes: 1,
    gcpAcceleratorType: "nvidia-l4",
    priceRegion,
    source,
    verifiedOn,
  },
];
