import { describe, expect, it } from "vitest";
import { PROVIDERS, STORAGE_PRICES, objectStoragePricePerGBMonth, parseStoragePrices, storagePriceFor } from "../src";

describe("storage prices (USD per GB-month)", () => {
  it.each([
    ["aws", 0.023],
    ["gcp", 0.02],
    ["coreweave", 0.06],
  ] as const)("%s object storage: $%d", (provider, price) => {
    expect(objectStoragePricePerGBMonth(provider)).toBe(price);
  });

  it("Lambda has no object store, only a filesystem", () => {
    expect(objectStoragePricePerGBMonth("lambda")).toBeUndefined();
    expect(storagePriceFor("lambda").filesystemPerGBMonth).toBe(0.2);
  });

  it("keeping a 140 GB copy on CoreWeave costs $8.40 a month", () => {
    expect(140 * objectStoragePricePerGBMonth("coreweave")!).toBeCloseTo(8.4, 9);
  });

  it("has one sourced, dated entry per provider", () => {
    expect(STORAGE_PRICES.map((e) => e.provider).sort()).toEqual([...PROVIDERS].sort());
    for (const e of STORAGE_PRICES) {
      expect(e.source).toMatch(/^https:\/\//);
      expect(e.verifiedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it("rejects a missing provider, a duplicate and a negative price, naming the entry", () => {
    expect(() => parseStoragePrices(STORAGE_PRICES.slice(1))).toThrow(/missing: aws/);
    expect(() => parseStoragePrices([...STORAGE_PRICES, STORAGE_PRICES[0]])).toThrow(/duplicates: aws/);
    expect(() => parseStoragePrices([{ ...STORAGE_PRICES[0], objectStoragePerGBMonth: -1 }, ...STORAGE_PRICES.slice(1)])).toThrow(
      /objectStoragePerGBMonth/,
    );
  });

  it("refuses an unknown provider", () => {
    expect(() => storagePriceFor("azure" as never)).toThrow(/azure/);
  });
});
