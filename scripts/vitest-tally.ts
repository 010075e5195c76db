/**
 * A vitest reporter that counts the run the way CI must read it, for `scripts/check.mjs`'s closing line.
 *
 * vitest marks the tests of a suite whose `beforeAll` threw as skipped, and a module that failed to load has no
 * tests at all, so its own counts can say "0 failed" for a run that failed. Here a test counts as skipped only when
 * it was skipped on purpose; a test that never ran because its setup failed counts as failed, and so does a module
 * or suite with an error of its own (load failure, failing `afterAll`) that no failed test already accounts for, an
 * unhandled error, and a run that was interrupted.
 *
 * Writes the tally as JSON to the file named by SWITCHYARD_TEST_TALLY (when set).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Reporter, SerializedError, TestModule, TestRunEndReason, TestSuite } from "vitest/node";

export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  /** One line per failed test (where it is), per module or suite error and per unhandled error (where, and the error's first line). */
  problems: string[];
}

export function tallyRun(
  modules: ReadonlyArray<TestModule>,
  unhandledErrors: ReadonlyArray<SerializedError>,
  reason: TestRunEndReason,
): Tally {
  const tally: Tally = { passed: 0, failed: 0, skipped: 0, problems: [] };
  for (const module of modules) tallyContainer(module, false, tally);
  for (const error of unhandledErrors) {
    tally.failed += 1;
    tally.problems.push(`unhandled error: ${firstLine(error)}`);
  }
  if (reason === "interrupted") {
    tally.failed += 1;
    tally.problems.push("the run was interrupted before every test finished");
  }
  return tally;
}

/**
 * Counts a module's or suite's tests into `tally`; returns how many tests in it, at any depth, count as failed and
 * how many of those never ran.
 */
function tallyContainer(container: TestModule | TestSuite, setupFailed: boolean, tally: Tally): { failed: number; notRun: number } {
  const errors = container.errors();
  const broken = setupFailed || errors.length > 0;
  let failedHere = 0;
  let failedBelow = 0;
  let notRun = 0;
  for (const child of container.children) {
    if (child.type === "suite") {
      const below = tallyContainer(child, broken, tally);
      failedBelow += below.failed;
      notRun += below.notRun;
      continue;
    }
    const state = child.result().state;
    if (state === "passed") tally.passed += 1;
    else if (state === "skipped" && !broken) tally.skipped += 1;
    else {
      // Failed; skipped because its setup failed; or still pending when the run ended.
      failedHere += 1;
      if (state === "failed") tally.problems.push(`${child.module.relativeModuleId} > ${child.fullName}`);
      else notRun += 1;
    }
  }
  if (errors.length > 0) {
    // A load failure has no tests, and a failing afterAll follows tests that passed: then the error itself counts.
    if (failedHere + failedBelow === 0) failedHere = 1;
    const where = container.type === "module" ? container.relativeModuleId : `${container.module.relativeModuleId} > ${container.fullName}`;
    const consequence = notRun > 0 ? ` (${notRun} test${notRun === 1 ? "" : "s"} not run, counted as failed)` : "";
    tally.problems.push(`${where}: ${firstLine(errors[0]!)}${consequence}`);
  }
  tally.failed += failedHere;
  return { failed: failedHere + failedBelow, notRun };
}

function firstLine(error: SerializedError): string {
  // Serialized across the worker boundary: a thrown non-Error may arrive without a message.
  const text = typeof error.message === "string" && error.message !== "" ? error.message : (error.name ?? "an error without a message");
  return text.split("\n")[0]!.trim();
}

export default class TallyReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    const file = process.env.SWITCHYARD_TEST_TALLY;
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(tallyRun(modules, unhandledErrors, reason), null, 2));
  }
}
