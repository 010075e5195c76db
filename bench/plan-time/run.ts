/**
 * Plan-time benchmark (figures, not a test): `plan()` on examples/fleet.yaml with every model's demand
 * multiplied by 1, 10, 100 and 1000, timed as the median of a few runs, with the ratio of each step to
 * the previous one. Linear time means a ratio of at most ~10 per 10× of demand; issue 15 asks for 100× in
 * at most 2 s. bench/plan-time/README.md says how to read it.
 *
 *   pnpm exec tsx bench/plan-time/run.ts [--scales 1,10,100,1000] [--runs 3]
 */
import { cpus } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { loadFleetSpec, plan } from "../../packages/planner/src";
import type { FleetPlan, FleetSpec } from "../../packages/planner/src";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

/** The spec with every model's demand scale multiplied by `factor`. */
function scaled(spec: FleetSpec, factor: number): FleetSpec {
  return {
    ...spec,
    models: spec.models.map((m) => ({
      ...m,
      demand:
        m.demand.hourly !== undefined
          ? { ...m.demand, hourly: { ...m.demand.hourly, scale: m.demand.hourly.scale * factor } }
          : { ...m.demand, series: { ...m.demand.series!, scale: m.demand.series!.scale * factor } },
    })),
  };
}

function timed(spec: FleetSpec, runs: number): { ms: number; result: FleetPlan } {
  const times: number[] = [];
  let result: FleetPlan | undefined;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    result = plan(spec);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, result: result! };
}

const scales = arg("scales", "1,10,100,1000").split(",").map(Number);
const runs = Number(arg("runs", "3"));
const spec = loadFleetSpec(join(__dirname, "..", "..", "examples", "fleet.yaml"));
plan(spec); // warm-up: module loading and JIT are not the planner's time

const fmt = (x: number, digits = 0) => x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const rows: string[][] = [["demand", "peak replicas", "reserved nodes", "plan (median of " + String(runs) + ")", "× previous", "compute $/month", "reserved search"]];
let previous: number | undefined;
for (const s of scales) {
  const { ms, result } = timed(scaled(spec, s), runs);
  const peak = result.models.reduce((a, m) => a + Math.max(0, ...m.profile.requiredReplicas), 0);
  const reservedNodes = result.models.reduce((a, m) => a + m.pools.reduce((b, p) => b + p.reservedNodes, 0), 0);
  const search = result.warnings.some((w) => w.includes("coordinate search")) ? "grid search" : "exhaustive";
  rows.push([`${s}×`, fmt(peak), fmt(reservedNodes), `${fmt(ms)} ms`, previous === undefined ? "" : `${(ms / previous).toFixed(2)}`, fmt(result.cost.compute.total), search]);
  previous = ms;
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
const line = (r: string[]) => `| ${r.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join(" | ")} |`;
const cpu = cpus();
process.stdout.write(`bench/plan-time: plan() on examples/fleet.yaml, demand × ${scales.join(", ")}\n`);
process.stdout.write(`machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, Node ${process.version}\n\n`);
process.stdout.write(`${line(rows[0]!)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|\n${rows.slice(1).map(line).join("\n")}\n`);

// An absurd scale is refused at once, with the property to fix (never a search that does not end).
const absurd = 1e12;
const t0 = performance.now();
try {
  plan(scaled(spec, absurd));
  process.stdout.write(`\n${absurd}×: planned (not refused)\n`);
} catch (error) {
  const first = (error as Error).message.split("\n").slice(0, 2).join(" ");
  process.stdout.write(`\n${absurd.toExponential()}×: refused in ${fmt(performance.now() - t0)} ms — ${first}\n`);
}
