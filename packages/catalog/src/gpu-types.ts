/**
 * GPU models. Memory is the nominal figure NVIDIA markets ("80 GB"); HBM and GDDR are binary-sized,
 * so it is GiB, and it is what `cheapestFit` compares against. nvidia-smi reports slightly less usable
 * memory (e.g. 81,559 MiB on an H100 SXM) — size KV caches from the real figure, not this one.
 *
 * `nvidiaProduct` is the GPU Feature Discovery label `nvidia.com/gpu.product`: the nvidia-smi product
 * name with spaces replaced by dashes (provider-facts §6.3). SXM and PCIe boards of the same chip have
 * different labels; the values here are the boards the catalogued instance types actually carry.
 */
import { CATALOG_COMPILED_ON, GPU_TYPE_IDS } from "./constants";
import { parseGpuTypes } from "./schemas";
import type { GpuType } from "./types";

// No GPU spec in provider-facts.md carries a date of its own: all use the compilation date.
const verifiedOn = CATALOG_COMPILED_ON;
const GFD = "NVIDIA/gpu-feature-discovery:README.md (label nvidia.com/gpu.product)";

const RAW_GPU_TYPES: GpuType[] = [
  {
    id: "H100",
    displayName: "NVIDIA H100 SXM5 80GB",
    memoryGiB: 80,
    interconnect: "nvlink",
    nvidiaProduct: "NVIDIA-H100-80GB-HBM3", // the exact example in provider-facts §6.3
    source: `https://www.nvidia.com/en-us/data-center/h100/; ${GFD}`,
    verifiedOn,
  },
  {
    id: "H200",
    displayName: "NVIDIA H200 SXM 141GB",
    memoryGiB: 141,
    interconnect: "nvlink",
    nvidiaProduct: "NVIDIA-H200",
    source: `https://www.nvidia.com/en-us/data-center/h200/; ${GFD}`,
    verifiedOn,
  },
  {
    id: "A100-80GB",
    displayName: "NVIDIA A100 SXM4 80GB",
    memoryGiB: 80,
    interconnect: "nvlink",
    nvidiaProduct: "NVIDIA-A100-SXM4-80GB",
    source: `https://www.nvidia.com/en-us/data-center/a100/; ${GFD}`,
    verifiedOn,
  },
  {
    // p4d.24xlarge carries these (provider-facts §3.4), not the 80 GB part.
    id: "A100-40GB",
    displayName: "NVIDIA A100 SXM4 40GB",
    memoryGiB: 40,
    interconnect: "nvlink",
    nvidiaProduct: "NVIDIA-A100-SXM4-40GB",
    source: `https://www.nvidia.com/en-us/data-center/a100/; ${GFD}`,
    verifiedOn,
  },
  {
    id: "L40S",
    displayName: "NVIDIA L40S 48GB",
    memoryGiB: 48,
    interconnect: "pcie",
    nvidiaProduct: "NVIDIA-L40S",
    source: `https://www.nvidia.com/en-us/data-center/l40s/; ${GFD}`,
    verifiedOn,
  },
  {
    id: "L4",
    displayName: "NVIDIA L4 24GB",
    memoryGiB: 24,
    interconnect: "pcie",
    nvidiaProduct: "NVIDIA-L4",
    source: `https://www.nvidia.com/en-us/data-center/l4/; ${GFD}`,
    verifiedOn,
  },
  {
    // AWS-only variant of the A10 (g5 family).
    id: "A10G",
    displayName: "NVIDIA A10G 24GB",
    memoryGiB: 24,
    interconnect: "pcie",
    nvidiaProduct: "NVIDIA-A10G",
    source: `https://aws.amazon.com/ec2/instance-types/g5/; ${GFD}`,
    verifiedOn,
  },
];

/** Every GPU type the catalog knows, validated at module load; exactly one per {@link GPU_TYPE_IDS} entry. */
export const GPU_TYPES: readonly GpuType[] = parseGpuTypes(RAW_GPU_TYPES);

const missing = GPU_TYPE_IDS.filter((id) => !GPU_TYPES.some((g) => g.id === id));
if (missing.length > 0) throw new Error(`GPU type catalog has no entry for ${missing.join(", ")}`);
