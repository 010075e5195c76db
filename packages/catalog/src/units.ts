/** GB is decimal (10^9 bytes, how vendors sell disks and how model sizes are usually quoted); GiB is binary (2^30). */
export const BYTES_PER_GB = 1e9;
export const BYTES_PER_GIB = 2 ** 30;

/** Converts a vendor's decimal GB figure (disks: "3.84 TB", "3800 GB") to whole GiB, rounding down. */
export function decimalGBToGiB(gb: number): number {
  return Math.floor((gb * BYTES_PER_GB) / BYTES_PER_GIB);
}
