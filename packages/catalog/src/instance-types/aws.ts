/**
 * AWS EC2 GPU instance types, us-east-1 Linux on-demand (provider-facts §3.4, §3.5).
 *
 * Spot: only p5.48xlarge has a spot figure in the reference (indicative, volatile). AWS sells spot for
 * the others too, but they are not priced here, so `spotPerNodeHour` is undefined and
 * `supportsCapacityType(it, "spot")` is false for them — enter a current price to plan spot on them.
 *
 * Reserved: the reference has no Savings Plan / Reserved Instance figures, so `reservedDiscount` is 0
 * (reserved priced as on-demand). That never understates a budget; put your Savings Plan rate here.
 */
import { decimalGBToGiB } from "../units";
import type { InstanceType } from "../types";

const PRICING = "https://instances.vantage.sh (2026-09-17 snapshot, provider-facts §3.5)";
const verifiedOn = "2026-09-17";
const priceRegion = "us-east-1";
const specs = (family: string) => `specs: https://aws.amazon.com/ec2/instance-types/${family}/`;

export const AWS_INSTANCE_TYPES: InstanceType[] = [
  {
    provider: "aws",
    name: "p5.48xlarge",
    gpuType: "H100",
    gpusPerNode: 8,
    vcpus: 192,
    memoryGiB: 2048,
    localNvmeGiB: decimalGBToGiB(8 * 3_840),
    onDemandPerNodeHour: 55.04, // after the June-2025 cut; it was 98.32
    spotPerNodeHour: 20.79, // "≈20.79 [UNCERTAIN, volatile]" in §3.5 / §7.2
    reservedDiscount: 0,
    minPurchaseNodes: 1,
    gcpAcceleratorType: undefined,
    priceRegion,
    source: `${PRICING}; ${specs("p5")}`,
    verifiedOn,
  },
  {
    // A100 **40 GB** — the 80 GB part is p4de.24xlarge.
    provider: "aws",
    name: "p4d.24xlarge",
    gpuType: "A100-40GB",
    gpusPerNode: 8,
    vcpus: 96,
    memoryGiB: 1152,
    localNvmeGiB: decimalGBToGiB(8 * 1_000),
    onDemandPerNodeHour: 21.957642,
    spotPerNodeHour: undefined,
    reservedDiscount: 0,
    minPurchaseNodes: 1,
    gcpAcceleratorType: undefined,
    priceRegion,
    source: `${PRICING}; ${specs("p4")}`,
    verifiedOn,
  },
  {
    provider: "aws",
    name: "g6e.12xlarge",
    gpuType: "L40S",
    gpusPerNode: 4,
    vcpus: 48,
    memoryGiB: 384,
    localNvmeGiB: decimalGBToGiB(2 * 1_900),
    onDemandPerNodeHour: 10.49264,
    spotPerNodeHour: undefined,
    reservedDiscount: 0,
    minPurchaseNodes: 1,
    gcpAcceleratorType: undefined,
    priceRegion,
    source: `${PRICING}; ${specs("g6e")}`,
    verifiedOn,
  },
  {
    provider: "aws",
    name: "g6.12xlarge",
    gpuType: "L4",
    gpusPerNode: 4,
    vcpus: 48,
    memoryGiB: 192,
    localNvmeGiB: decimalGBToGiB(4 * 940),
    onDemandPerNodeHour: 4.6016,
    spotPerNodeHour: undefined,
    reservedDiscount: 0,
    minPurchaseNodes: 1,
    gcpAcceleratorType: undefined,
    priceRegion,
    source: `${PRICING}; ${specs("g6")}`,
    verifiedOn,
  },
  {
    provider: "aws",
    name: "g5.12xlarge",
    gpuType: "A10G",
    gpusPerNode: 4,
    vcpus: 48,
    memoryGiB: 192,
    localNvmeGiB: decimalGBToGiB(1 * 3_800),
    onDemandPerNodeHour: 5.672,
    spotPerNodeHour: undefined,
    reservedDiscount: 0,
    minPurchaseNodes: 1,
    gcpAcceleratorType: undefined,
    priceRegion,
    source: `${PRICING}; ${specs("g5")}`,
    verifiedOn,
  },
];
