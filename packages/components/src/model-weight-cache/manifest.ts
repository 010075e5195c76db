import { createHash } from "node:crypto";
import type { WeightFileArgs } from "./args";

/**
 * Extensions of pickle-based checkpoints: loading one runs code from the file, and the Run:ai streamer reads
 * safetensors only, so a manifest carrying them is refused.
 */
export const PICKLE_EXTENSIONS = [".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt"] as const;
/** Written next to the files once every SHA-256 matched; holds the manifest digest. */
export const READY_MARKER = ".switchyard-ready";

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Relative object path: no leading '/', no '.' or '..' segments, no whitespace or shell metacharacters. */
const SAFE_PATH = /^[A-Za-z0-9_][A-Za-z0-9._+-]*(\/[A-Za-z0-9_][A-Za-z0-9._+-]*)*$/;

export function isSha256Hex(value: unknown): value is string {
  return typeof value === "string" && SHA256_HEX.test(value);
}

/** Whether a manifest path is a plain relative path that is safe in a shell script and a URL. */
export function isSafeRelativePath(path: unknown): path is string {
  return typeof path === "string" && path.length <= 512 && SAFE_PATH.test(path) && !path.split("/").some((s) => s === "." || s === "..");
}

export function isPickleFile(path: string): boolean {
  return PICKLE_EXTENSIONS.some((ext) => path.toLowerCase().endsWith(ext));
}

/** Files sorted by path, so the same manifest always renders and hashes the same. */
export function sortedFiles(files: readonly WeightFileArgs[]): WeightFileArgs[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** `sha256sum`-format lines (`<hex>  <path>`), sorted by path: what the copy is checked against. */
export function sha256SumsText(files: readonly WeightFileArgs[]): string {
  return sortedFiles(files)
    .map((f) => `${f.sha256}  ${f.path}\n`)
    .join("");
}

/** One path per line, sorted: rclone's `--files-from-raw` list. */
export function fileListText(files: readonly WeightFileArgs[]): string {
  return sortedFiles(files)
    .map((f) => `${f.path}\n`)
    .join("");
}

/**
 * SHA-256 of the sorted SHA256SUMS text: identifies the revision by content. Two manifests with the same files
 * give the same digest, whatever their order.
 */
export function manifestDigest(files: readonly WeightFileArgs[]): string {
  return createHash("sha256").update(sha256SumsText(files)).digest("hex");
}

export function totalBytes(files: readonly WeightFileArgs[]): number {
  return files.reduce((sum, f) => sum + f.sizeBytes, 0);
}
