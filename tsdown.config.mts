/**
 * How the published packages are built (`pnpm pack` runs it from each package's prepack): one ESM bundle per package
 * with its declarations and source maps, dependencies left as imports. The workspace itself runs the TypeScript
 * sources (tsx, vitest); only the tarballs carry `dist/`, through each package.json's publishConfig.
 */
import path from "node:path";
import { defineConfig, type UserConfig } from "tsdown";

/** A published package's build; `assets` are copied into dist/ beside the bundle. */
const published = (name: string, { assets = [], ...extra }: UserConfig & { assets?: string[] } = {}): UserConfig => ({
  name: `@switchyard/${name}`,
  cwd: path.join(import.meta.dirname, "packages", name),
  entry: "src/index.ts",
  format: "esm",
  platform: "node",
  target: "node22",
  outDir: "dist",
  dts: true,
  sourcemap: true,
  // The tarball's own package.json names `dist/` through publishConfig; the workspace one keeps pointing at the sources.
  exports: false,
  copy: [{ from: "../../LICENSE", to: "." }, ...assets.map((from) => ({ from, to: "dist" }))],
  // zod's own declarations need `esModuleInterop`, which Pulumi's template tsconfig does not set: the schema types
  // the catalog and the planner export are bundled into their declarations instead of imported from zod.
  deps: { dts: { alwaysBundle: ["zod", /^zod\//] } },
  ...extra,
});

export default defineConfig([
  published("catalog"),
  published("planner"),
  // The gateway's request guard is read next to the bundle at run time (litellm-gateway/render.ts).
  published("components", { assets: ["src/litellm-gateway/switchyard_guard.py"] }),
  // The CLI: one executable module. `render` stays out (it synthesizes this repository's stacks; main.ts says so), and
  // the shims give the bundle the __dirname its --version reads package.json by.
  published("cli", {
    entry: { switchyard: "src/bin.ts" },
    dts: false,
    shims: true,
    banner: { js: "#!/usr/bin/env node" },
    deps: { neverBundle: [/render-stacks/] },
  }),
]);
