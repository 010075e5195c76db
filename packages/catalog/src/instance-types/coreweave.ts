/**
 * CoreWeave CKS GPU instance types. CoreWeave rents whole nodes only: the smallest H100 purchase is one
 * 8-GPU `gd-8xh100ib-i128` node at $49.24/h — "$6.16/h per H100" is that node divided by 8
 * (provider-facts §0 #3, §1.8). `minPurchaseNodes` is 1 node, i.e. 8 GPUs.
 */
import { decimalGBToGiB } from "../units";
import type { InstanceType } from "../types";

const PRICING =
  "https://coreweave.com/pricing (snapshot PrashantSedhain/coreweave-pricing-tracker:data/2026-10-10.json)";
// vCPU / RAM / local NVMe come from the same pricing-page table ("System RAM (GB)" is binary-sized DIMMs: GiB).
const SPECS = "specs: same snapshot (vcpus, systemRAMGB, localStorageTB); ids: pulumi/pulumi-coreweave:examples/huggingface-llama/gpuTypes.ts";
const source = `${PRICING}; ${SPECS}`;
const verifiedOn = "2026-10-10";
// North America list prices; EU is identical on-demand and $19.51 (vs $19.71) for H100 spot.
const priceRegion = "north-america";

/**
 * CoreWeave advertises reserved capacity at "up to 60%" off on-demand (provider-facts §1.8). "Up to" is
 * the longest, largest commitment; we default to half of it so that plans built on reserved capacity
 * never assume more savings than a typical contract gives. Put your contract's figure here.
 */
const RESERVED_DISCOUNT = 0.3;

export const COREWEAVE_INSTANCE_TYPES: InstanceType[] = [
  {
    provider: "coreweave",
    name: "gd-8xh100ib-i128",
    gpuType: "H100",
    gpusPerNode: 8,
    vcpus: 128,
    memoryGiB: 2048,
    localNvmeGiB: decimalGBToGiB(61_440), // 61.44 TB
    onDemandPerNodeHour: 49.24,
    spotPerNodeHour: 19.71,
    reservedDiscount: RESERVED_DISCOUNT,
    minPurchaseNodes: 1,
    gcpAcceleratorType: undefined,
    priceRegion,
    source,
    verifiedOn,
  },
  {
    provider: "coreweave",
    name: "gd-8xh200ib-i128",
    gpuType: "H200",
    gpusPerNode: 8,
    vcpus: 128,
    memoryGiB: 2048,
    localNvmeGiB: decimalGBToGiB(61_440), // 61.44 TB
    onDemandPerNodeHour: 50.44,
    spotPerNodeHour: 20.93,
    reservedDiscount: RESERVED_DISCOUNT,
    minPurchaseNodes: 1,
    gcpAcceleratorType: undefined,
    priceRegion,
    source,
    verifiedOn,
  },
  {
    // provider-facts §1.8 lists no spot price for A100 (the raw snapshot shows one; the reference wins).
    provider: "coreweave",
    name: "gd-8xa100-i128",
    gpuType: "A100-80GB",
    gpusPerNode: 8,
    vcpus: 128,
    memoryGiB: 2048,
    localNvmeGiB: decimalGBToGiB(7_680), // 7.68 TB
    onDemandPerNodeHour: 21.6,
    spotPerNodeHour: undefined,
    reservedDiscount: RESERVED_DISCOUNT,
    minPurchaseNodes: 1,
    gcpAcceleratorType: undefined,
    priceRegion,
    source,
    verifiedOn,
  },
  {
    // provider-facts §1.8 lists no spot price for L40S (the raw snapshot shows one; the reference wins).
    provider: "coreweave",
    name: "gd-8xl40s-i128",
    gpuType: "L40S",
    gpusPerNode: 8,
    vcpus: 128,
    memoryGiB: 1024,
    localNvmeGiB: decimalGBToGiB(7_680), // 7.68 TB
    onDemandPerNodeHour: 18.0,
    spotPerNodeHour: undefined,
    reservedDiscount: RESERVED_DISCOUNT,
    minPurchaseNodes: 1,
    gcpAcceleratorType: undefined,
    priceRegion,
    source,
    verifiedOn,
  },
];
