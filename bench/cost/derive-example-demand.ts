/**
 * Derives the example fleet's demand profiles (examples/demand/*.csv) from public traces:
 *
 *   shape   BurstGPT hour-of-day request rate (HPMLL/BurstGPT via IsabellaLiu99/burstgpt_analysis,
 *           ../shared/data/traces/derived/burstgpt1_hour_of_day.csv, column norm_to_peak)
 *   tokens  Azure LLM inference trace 2023 (Patel et al., "Splitwise"), mean prompt and completion
 *           tokens per request: conversation → chat model, code → code model (summary.csv)
 *   bursts  each hour holds its busiest 5 minutes: mean × peak_over_mean_5min of the same Azure trace
 *   scale   a chosen peak request rate (PEAK_RPS below): a fleet of a few dozen H100s
 *
 * Run: pnpm exec tsx bench/cost/derive-example-demand.ts   (rewrites examples/demand/*.csv)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const repoRoot = join(__dirname, "..", "..");
const traces = join(repoRoot, "..", "shared", "data", "traces");
const PEAK_RPS = { chat: 120, code: 400 } as const;

function csv(path: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(path, "utf8").trim().split(/\r?\n/);
  const cols = head!.split(",");
  return rows.map((r) => {
    // summary.csv quotes some fields; none of the columns used here contain commas before them
    const cells = r.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, "").replace(/^"|"$/g, ""));
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? ""]));
  });
}

const shape = csv(join(traces, "derived", "burstgpt1_hour_of_day.csv")).map((r) => Number(r.norm_to_peak));
const summary = csv(join(traces, "summary.csv"));
for (const [name, trace] of [["chat", "azure2023_conv"], ["code", "azure2023_code"]] as const) {
  const row = summary.find((r) => r.trace === trace)!;
  const input = Number(row.mean_input);
  const output = Number(row.mean_output);
  const burst = Number(row.peak_over_mean_5min);
  const lines = ["hour,requests_per_s,input_tokens_per_s,output_tokens_per_s"];
  // PEAK_RPS is the busiest 5 minutes of the busiest hour; every hour scales with the diurnal shape,
  // so each row is that hour's busiest 5 minutes (its mean × burst) — the rate the fleet must serve.
  shape.forEach((norm, hour) => {
    const rps = PEAK_RPS[name] * norm;
    lines.push([hour, rps.toFixed(3), (rps * input).toFixed(1), (rps * output).toFixed(1)].join(","));
  });
  const out = join(repoRoot, "examples", "demand", `${name}-hourly.csv`);
  writeFileSync(out, `${lines.join("\n")}\n`);
  console.log(`${out}: peak ${PEAK_RPS[name]} req/s (busiest 5 min; hour mean ${(PEAK_RPS[name] / burst).toFixed(1)}), ${input.toFixed(0)} prompt + ${output.toFixed(0)} completion tokens per request (${trace})`);
}
