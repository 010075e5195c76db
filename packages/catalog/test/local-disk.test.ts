import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BYTES_PER_GB, BYTES_PER_GIB, defaultNodeDiskGiB, hubDownloadGiB, nodeDiskGiB, replicasPerNode, vllmEphemeralStorageGiB } from "../src";

describe("hubDownloadGiB: the volume a replica downloads a Hub checkpoint into", () => {
  it.each([
    ["Llama-3.3-70B bf16, parameters × 2 bytes", 140, 146],
    ["Llama-3.3-70B bf16, the published 141.1 GB", 141.1, 147],
    ["Llama-3.1-8B bf16", 16, 19],
    ["Llama-3.1-405B fp8", 405, 417],
  ])("%s (%s GB) → %i GiB", (_label, gb, gib) => {
    expect(hubDownloadGiB(gb)).toBe(gib);
  });

  it("never undershoots the checkpoint by less than 10% plus 2 GiB, and is whole GiB", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 2_000, noNaN: true }), (gb) => {
        const gib = hubDownloadGiB(gb);
        expect(Number.isInteger(gib)).toBe(true);
        expect(gib).toBeGreaterThanOrEqual(((gb * BYTES_PER_GB) / BYTES_PER_GIB) * 1.1 + 2);
      }),
    );
  });

  it("refuses a size that is not a positive number", () => {
    expect(() => hubDownloadGiB(0)).toThrow("weightsGB (0) must be a positive number of decimal GB");
  });
});

describe("vllmEphemeralStorageGiB: one replica's ephemeral-storage request", () => {
  it.each([
    ["70B bf16 from the Hub", 140, 156],
    ["8B bf16 from the Hub", 16, 29],
    ["weights streamed or node-cached", undefined, 10],
  ])("%s → %i GiB", (_label, gb, gib) => {
    expect(vllmEphemeralStorageGiB(gb)).toBe(gib);
  });
});

describe("nodeDiskGiB: the disk that holds what a node's pods request, with images, under 85% full", () => {
  it.each([
    ["nothing requested: the images and system alone", 0, 100, 200],
    ["four 70B bf16 replicas from the Hub (p5, TP 2)", replicasPerNode(8, 2) * 156, 835, 835],
    ["eight 8B bf16 replicas from the Hub (p5, TP 1)", replicasPerNode(8, 1) * 29, 373, 373],
    ["four streamed replicas: scratch only", 4 * 10, 148, 200],
  ])("%s (%i GiB) → at least %i GiB, default %i GiB", (_label, requested, minimum, defaultSize) => {
    expect(nodeDiskGiB(requested)).toBe(minimum);
    expect(defaultNodeDiskGiB(requested)).toBe(defaultSize);
  });

  it("is the smallest whole disk that keeps images, system and requests under the kubelet's 85% image-GC threshold", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (requested) => {
        const disk = nodeDiskGiB(requested);
        expect(85 + requested).toBeLessThanOrEqual(0.85 * disk + 1e-9);
        expect(85 + requested).toBeGreaterThan(0.85 * (disk - 1));
        expect(defaultNodeDiskGiB(requested)).toBe(Math.max(200, disk));
      }),
    );
  });

  it("refuses a negative request", () => {
    expect(() => nodeDiskGiB(-1)).toThrow("ephemeralStorageGiB (-1) must be a number of GiB ≥ 0");
  });
});
