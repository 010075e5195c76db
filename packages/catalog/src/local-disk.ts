/**
 * Local disk on GPU nodes: what one vLLM replica writes there, and how large the disk that holds the kubelet's
 * ephemeral storage must be for the replicas one node runs. One rule: VllmServing sizes its Hub download volume and
 * its `ephemeral-storage` request with it, GpuNodePool sizes (and checks) its node disk with it, and a stack that
 * builds both from a plan multiplies one by replicas per node.
 *
 * Sizes are GiB (what Kubernetes quantities like `146Gi` and disk sizes mean); checkpoint sizes are decimal GB, as
 * the Hub and the fleet spec quote them (`models[].weightsGB`).
 */
import { BYTES_PER_GB, BYTES_PER_GIB } from "./units";

/**
 * Margin on a checkpoint's size for the Hub download volume: going over the volume's `sizeLimit` evicts the pod
 * and deletes what it downloaded, so the estimate must never undershoot. Parameter counts are rounded
 * (Llama-3.1-8B has 8.03 B, Gemma-2-9B 9.24 B: +2.7%) and some repos add small files.
 */
export const HUB_DOWNLOAD_MARGIN = 0.1;
/** Config, tokenizer and lock files next to the weights in the Hugging Face cache. */
export const HUB_DOWNLOAD_EXTRA_GIB = 2;
/**
 * What a vLLM container writes outside its volumes: torch.compile, Triton and FlashInfer JIT caches under `~/.cache`
 * and its logs (the kubelet keeps up to 5 × 10 MiB). Part of every replica's `ephemeral-storage` request.
 */
export const VLLM_SCRATCH_GIB = 10;
/**
 * Container images (two vLLM versions side by side during an update, each ~10 GB compressed plus ~25 GiB unpacked),
 * the OS and system logs: what a node's disk holds before any pod writes to it.
 */
export const NODE_DISK_SYSTEM_GIB = 85;
/**
 * Share of the disk everything may fill: the kubelet starts deleting images at 85% (`imageGCHighThresholdPercent`)
 * and evicts pods below 10% free (`nodefs.available`), so the sum stays under 85%. Kubernetes kubelet defaults.
 */
export const NODE_DISK_FILL_LIMIT = 0.85;
/** A node disk's size when nothing requires more: room for images and caches, as GPU node pools have always had. */
export const DEFAULT_NODE_DISK_GIB = 200;

/**
 * `sizeLimit` of the volume vLLM downloads a Hub checkpoint of `weightsGB` into (its `HF_HOME`): the files plus 10%
 * and 2 GiB, rounded up. 70B bf16 (140 GB) → 146 GiB; 8B bf16 (16 GB) → 19 GiB.
 */
export function hubDownloadGiB(weightsGB: number): number {
  if (typeof weightsGB !== "number" || !Number.isFinite(weightsGB) || weightsGB <= 0) {
    throw new Error(`weightsGB (${String(weightsGB)}) must be a positive number of decimal GB, e.g. 141.1`);
  }
  return Math.ceil((weightsGB * BYTES_PER_GB) / BYTES_PER_GIB * (1 + HUB_DOWNLOAD_MARGIN) + HUB_DOWNLOAD_EXTRA_GIB);
}

/**
 * One vLLM replica's `ephemeral-storage` request (= limit): its Hub download volume when it downloads a checkpoint of
 * `weightsGB` (undefined when the weights come from elsewhere), plus {@link VLLM_SCRATCH_GIB}. 70B bf16 from the Hub →
 * 156 GiB; streamed or node-cached → 10 GiB.
 */
export function vllmEphemeralStorageGiB(hubWeightsGB: number | undefined): number {
  return (hubWeightsGB === undefined ? 0 : hubDownloadGiB(hubWeightsGB)) + VLLM_SCRATCH_GIB;
}

/**
 * Smallest disk (GiB) that holds the kubelet's ephemeral storage for pods requesting `ephemeralStorageGiB` together
 * on one node: the system's {@link NODE_DISK_SYSTEM_GIB} plus the requests, under {@link NODE_DISK_FILL_LIMIT}.
 * Nothing requested → 100 GiB; four 70B bf16 replicas from the Hub (4 × 156) → 835 GiB.
 */
export function nodeDiskGiB(ephemeralStorageGiB: number): number {
  if (typeof ephemeralStorageGiB !== "number" || !Number.isFinite(ephemeralStorageGiB) || ephemeralStorageGiB < 0) {
    throw new Error(`ephemeralStorageGiB (${String(ephemeralStorageGiB)}) must be a number of GiB ≥ 0`);
  }
  // Rounded to 1e-9 first, so 85 / 0.85 is 100, not 100.00000000000001.
  return Math.ceil(Number(((NODE_DISK_SYSTEM_GIB + ephemeralStorageGiB) / NODE_DISK_FILL_LIMIT).toFixed(9)));
}

/** The default size of a node disk that holds `ephemeralStorageGiB` of requests: {@link nodeDiskGiB}, at least 200. */
export function defaultNodeDiskGiB(ephemeralStorageGiB: number): number {
  return Math.max(DEFAULT_NODE_DISK_GIB, nodeDiskGiB(ephemeralStorageGiB));
}
