import { hkdfSync } from "node:crypto";
import { plainOutputs } from "@switchyard/synth";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { derivedKey } from "../src";

const SEED = "0123456789abcdef0123456789abcdef";
const valueOf = async (o: pulumi.Output<string>) => ((await plainOutputs({ v: o })) as { v: string }).v;

describe("derivedKey", () => {
  it("is HKDF-SHA256 of the seed for the purpose: 48 hex characters, the same every run, secret", async () => {
    const key = derivedKey(SEED, "vllm-api-key/coreweave-llama-70b-reserved");
    expect(await valueOf(key)).toBe(Buffer.from(hkdfSync("sha256", SEED, "switchyard", "vllm-api-key/coreweave-llama-70b-reserved", 24)).toString("hex"));
    expect(await valueOf(key)).toMatch(/^[0-9a-f]{48}$/);
    expect(await pulumi.isSecret(key)).toBe(true);
  });

  it("gives each purpose and each seed its own key", async () => {
    const keys = await Promise.all([derivedKey(SEED, "a"), derivedKey(SEED, "b"), derivedKey(`${SEED}0`, "a")].map(valueOf));
    expect(new Set(keys).size).toBe(3);
  });

  it("refuses a short seed and an empty purpose, saying what to use", () => {
    expect(() => derivedKey("short", "a")).toThrow(/the seed is 5 characters; fix: use at least 32 random characters/);
    expect(() => derivedKey(SEED, "")).toThrow(/purpose must name what the key is for/);
  });
});
