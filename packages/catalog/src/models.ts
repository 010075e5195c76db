/**
 * Model weight sizes. These are raw weights only — parameters × bytes per parameter — with no KV cache,
 * activations, CUDA graphs or quantization scales; leave headroom when sizing GPUs.
 *
 * Keep GB and GiB apart: model cards and object stores quote decimal GB (10^9 bytes); GPU memory and
 * this catalog's `memoryGiB` fields are GiB (2^30 bytes). 70B in bf16 is 140 GB but 130.39 GiB.
 */
import { BYTES_PER_GB, BYTES_PER_GIB } from "./units";

export const DTYPES = ["fp32", "bf16", "fp16", "fp8", "int8", "int4"] as const;
export type Dtype = (typeof DTYPES)[number];

const BYTES_PER_PARAMETER: Readonly<Record<Dtype, number>> = {
  fp32: 4,
  bf16: 2,
  fp16: 2,
  fp8: 1,
  int8: 1,
  int4: 0.5,
};

/** True when `value` is one of {@link DTYPES}. */
export function isDtype(value: unknown): value is Dtype {
  return typeof value === "string" && (DTYPES as readonly string[]).includes(value);
}

/** Bytes one parameter takes in `dtype` (int4 packs two parameters per byte: 0.5). */
export function bytesPerParameter(dtype: Dtype): number {
  if (!isDtype(dtype)) throw new Error(`unknown dtype ${JSON.stringify(dtype)}; allowed: ${DTYPES.join(", ")}`);
  return BYTES_PER_PARAMETER[dtype];
}

function weightBytes(parameterCountBillions: number, dtype: Dtype): number {
  if (typeof parameterCountBillions !== "number" || !Number.isFinite(parameterCountBillions) || parameterCountBillions <= 0) {
    throw new Error(
      `parameterCountBillions (${String(parameterCountBillions)}) must be a positive number of billions, e.g. 70 for a 70B model`,
    );
  }
  return parameterCountBillions * 1e9 * bytesPerParameter(dtype);
}

/** Raw weight size in GiB (bytes / 2^30): what has to fit in GPU memory before any KV cache. */
export function modelWeightGiB(parameterCountBillions: number, dtype: Dtype): number {
  return weightBytes(parameterCountBillions, dtype) / BYTES_PER_GIB;
}

/** Raw weight size in decimal GB (bytes / 10^9): what storage and egress are billed on. */
export function modelWeightGB(parameterCountBillions: number, dtype: Dtype): number {
  return weightBytes(parameterCountBillions, dtype) / BYTES_PER_GB;
}

/** A Hugging Face repository id, `org/name` (or a legacy top-level `name`). */
export const HUGGING_FACE_REPO_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/;
/** A pinned Hugging Face commit: 40 lower-case hex characters. Branches and tags float, so they are never accepted. */
export const COMMIT_SHA = /^[0-9a-f]{40}$/;
