/**
 * The closing line of `.ci/run` (scripts/check.mjs + scripts/vitest-tally.ts), driven through the real vitest on
 * fixture suites that break the ways a CI run breaks: a failing test, a `beforeAll` that throws (vitest reports
 * its tests as skipped), a module that fails to load, a failing `afterAll`, and vitest failing to start.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const FIXTURES = "test/ci/tally-fixtures/vitest.config.ts";
const scratch = mkdtempSync(path.join(tmpdir(), "switchyard-tally-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `node scripts/check.mjs vitest -- <args>` with its own tally file; returns its exit status and stdout lines. */
function check(name: string, vitestArgs: string[]): { status: number | null; lines: string[] } {
  const result = spawnSync(process.execPath, ["scripts/check.mjs", "vitest", "--", ...vitestArgs], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, SWITCHYARD_TEST_TALLY: path.join(scratch, `${name}.json`), NO_COLOR: "1" },
    timeout: 120_000,
  });
  return { status: result.status, lines: result.stdout.trimEnd().split("\n") };
}

describe("the closing line", () => {
  it("counts tests whose setup failed, a module that failed to load and a failing afterAll as failed, and is the last line", () => {
    const { status, lines } = check("broken", ["--config", FIXTURES]);
    expect(status).toBe(1);
    // vitest itself reports "1 failed | 4 passed | 5 skipped" for these fixtures.
    expect(lines.at(-1)).toBe("tests: 4 passed, 7 failed, 1 skipped");
    const failures = lines.filter((line) => line.startsWith("failed: "));
    expect(failures.sort()).toEqual(
      [
        "failed: fails.fixture.ts > fails",
        "failed: load-fails.fixture.ts: cannot load this module",
        "failed: setup-fails.fixture.ts > needs a server: the server did not start (4 tests not run, counted as failed)",
        "failed: teardown-fails.fixture.ts: teardown failed",
      ].sort(),
    );
    expect(lines.at(-2 - failures.length)).toBe("checks: vitest failed");
  });

  it("passes a clean run and counts a test skipped on purpose as skipped", () => {
    const { status, lines } = check("clean", ["--config", FIXTURES, "passes.fixture.ts"]);
    expect(status).toBe(0);
    expect(lines.slice(-2)).toEqual(["checks: vitest passed", "tests: 2 passed, 0 failed, 1 skipped"]);
  });

  it("counts vitest failing to start as a failure", () => {
    const { status, lines } = check("no-start", ["--config", "test/ci/tally-fixtures/no-such-config.mts"]);
    expect(status).toBe(1);
    expect(lines.slice(-3)).toEqual([
      "checks: vitest failed",
      "failed: vitest exited with status 1 before it counted the run",
      "tests: 0 passed, 1 failed, 0 skipped",
    ]);
  });
});
