#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (the workspace runs TypeScript sources directly, no build step).
// Both hooks: `require` for the CLI itself, `import()` for the Pulumi programs `switchyard render` loads.
import { createRequire } from "node:module";
import { register as registerCjs } from "tsx/cjs/api";
import { register as registerEsm } from "tsx/esm/api";

registerCjs();
registerEsm();
createRequire(import.meta.url)("../src/bin.ts");
