/**
 * Writes packages/provider/schema.json from packages/provider/src/wire.ts (Pulumi's component analyzer), or with --check fails when
 * the checked-in file differs from it.
 *
 *   bash scripts/dev.sh provider-schema            # regenerate after changing src/wire.ts or the library's args
 *   bash scripts/dev.sh provider-schema --check
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { inferSchema } from "../packages/provider/src/schema";

const file = path.resolve(import.meta.dirname, "..", "packages", "provider", "schema.json");
const text = `${JSON.stringify(inferSchema(), null, 2)}\n`;
if (process.argv.includes("--check")) {
  if (readFileSync(file, "utf8") !== text) {
    console.error(`provider-schema: ${file} differs from the schema inferred from src/wire.ts: run 'bash scripts/dev.sh provider-schema' and commit it`);
    process.exit(1);
  }
  console.log(`provider-schema: ${file} is up to date`);
} else {
  writeFileSync(file, text);
  console.log(`provider-schema: wrote ${file}`);
}
