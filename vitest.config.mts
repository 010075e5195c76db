import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    // Pulumi mocks keep global runtime state: one file per worker, never shared.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
