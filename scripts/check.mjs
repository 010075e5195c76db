// Runs what CI runs — type-check, lint, the engine build, the vitest suite, the security scan — every stage even after one fails, and
// ends the run with the one closing line CI reads: "tests: N passed, N failed, N skipped". typecheck, lint and scan
// count as one test each, and so does the engine build (scripts/engine/build-*.sh);
// vitest's tests are counted by scripts/vitest-tally.ts (a test whose setup failed is failed, not skipped); a stage
// that exits non-zero with nothing counted as failed adds one failure, so the line never says "0 failed" for a run
// that failed. Exit status: 0 only when nothing failed.
//
//   node scripts/check.mjs                         # typecheck, lint, engine, vitest, scan
//   node scripts/check.mjs vitest -- <vitest args> # some stages; arguments after -- go to vitest
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
// A caller (the closing-line test) may name its own file, so a run inside a run never shares one.
const tallyFile = process.env.SWITCHYARD_TEST_TALLY ?? path.join(root, "out", "vitest-tally.json");

const separator = process.argv.indexOf("--");
const requested = separator === -1 ? process.argv.slice(2) : process.argv.slice(2, separator);
const vitestArgs = separator === -1 ? [] : process.argv.slice(separator + 1);

const stages = {
  typecheck: () => run(bin("tsc"), ["-p", "tsconfig.json"]),
  lint: () => run(bin("eslint"), ["."]),
  // The real Pulumi engine and a Kubernetes control plane, built from Go modules into the cache (warm: a second):
  // built here, before vitest, so a cold build does not compete with the timing-sensitive tests for the CPUs.
  engine: () => run("bash", ["-c", 'bash scripts/engine/build-kube.sh >/dev/null & kube=$!; bash scripts/engine/build-pulumi.sh >/dev/null; pulumi=$?; wait "$kube" && exit "$pulumi"']),
  // Third-party scanners on every rendered environment and example and on the workflows (security/scanner-policy.yaml).
  scan: () => run(bin("tsx"), [path.join("scripts", "security-scan.ts")]),
  vitest: () => {
    rmSync(tallyFile, { force: true });
    const reporter = path.join(root, "scripts", "vitest-tally.ts");
    const status = run(bin("vitest"), ["run", "--reporter=default", `--reporter=${reporter}`, ...vitestArgs], { SWITCHYARD_TEST_TALLY: tallyFile });
    const tally = existsSync(tallyFile) ? JSON.parse(readFileSync(tallyFile, "utf8")) : undefined;
    return { status, tally };
  },
};

const unknown = requested.filter((name) => !(name in stages));
if (unknown.length > 0) {
  console.error(`check.mjs: unknown stage ${unknown.join(", ")}; stages are ${Object.keys(stages).join(", ")}`);
  process.exit(2);
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const outcomes = [];
const problems = [];
for (const name of requested.length > 0 ? requested : Object.keys(stages)) {
  const result = stages[name]();
  const { status, tally } = typeof result === "number" ? { status: result, tally: undefined } : result;
  if (tally) {
    totals.passed += tally.passed;
    totals.failed += tally.failed;
    totals.skipped += tally.skipped;
    problems.push(...tally.problems);
    if (status !== 0 && tally.failed === 0) {
      totals.failed += 1;
      problems.push(`${name} exited with status ${status} although no test failed`);
    }
  } else if (status === 0 && name !== "vitest") {
    totals.passed += 1;
  } else {
    totals.failed += 1;
    problems.push(name === "vitest" ? `vitest exited with status ${status} before it counted the run` : `${name} failed (exit status ${status}; its output is above)`);
  }
  outcomes.push(`${name} ${status === 0 ? "passed" : "failed"}`);
}

console.log("");
console.log(`checks: ${outcomes.join(", ")}`);
const shown = 30; // a broken build can fail hundreds of tests: their names are in the output above
for (const problem of problems.slice(0, shown)) console.log(`failed: ${problem}`);
if (problems.length > shown) console.log(`failed: … and ${problems.length - shown} more (above)`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (result.error) {
    console.error(`check.mjs: could not run ${command}: ${result.error.message}`);
    return 127;
  }
  return result.status ?? 128;
}
