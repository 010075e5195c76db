// The fixture suites of test/ci/check-closing-line.test.ts: each breaks in one way the closing line must count.
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: import.meta.dirname,
  test: { include: ["*.fixture.ts"], pool: "forks" },
});
