import { hkdfSync } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

const MIN_SEED_LENGTH = 32;

/**
 * A key for one purpose, derived from a seed with HKDF-SHA256 (RFC 5869, node:crypto): every API key a stack
 * hands out comes from one secret it holds, and none needs the random provider in its state. Hex, so it needs no
 * quoting in headers or env files; 48 characters (192 bits). The same seed and purpose always give the same key,
 * and changing the seed rotates every key derived from it.
 */
export function derivedKey(seed: pulumi.Input<string>, purpose: string): pulumi.Output<string> {
  if (purpose.length === 0) throw new Error("derivedKey: purpose must name what the key is for, e.g. the backend's name");
  if (typeof seed === "string") checkSeed(seed);
  return pulumi.secret(
    pulumi.output(seed).apply((s) => {
      checkSeed(s); // a seed known only at deployment: the engine reports this as the program's error
      return Buffer.from(hkdfSync("sha256", s, "switchyard", purpose, 24)).toString("hex");
    }),
  );
}

function checkSeed(seed: string): void {
  if (seed.length < MIN_SEED_LENGTH) {
    throw new Error(`derivedKey: the seed is ${seed.length} characters; fix: use at least ${MIN_SEED_LENGTH} random characters, e.g. "$(openssl rand -hex 32)"`);
  }
}
