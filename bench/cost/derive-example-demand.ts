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
 * And a demand history for `switchyard plan --history` (examples/demand/history.csv): BurstGPT days 42–55, its last two
 * whole weeks (bench/cost/burstgpt.ts: week 1's per-minute shape × each real day's total), summed to 5-minute steps
 * from Monday 2026-11-02 00:00 UTC and scaled so that their mean request rate is the chat profile's hourly mean.
 *
 * Run: pnpm exec tsx bench/cost/derive-example-demand.ts   (rewrites examples/demand/*.csv)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { burstgptSeries } from "./burstgpt";

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

// The history: BurstGPT days 42–55 at 5-minute steps, their mean at the chat profile's mean hour (its busiest 5
// minutes ÷ the conversation trace's burst factor).
const chat = summary.find((r) => r.trace === "azure2023_conv")!;
const chatMeanRps = (PEAK_RPS.chat * shape.reduce((a, b) => a + b, 0)) / shape.length / Number(chat.peak_over_mean_5min);
const FIRST_DAY = 42;
const all = burstgptSeries(join(repoRoot, "..", "shared", "data"), FIRST_DAY + 14);
const from = FIRST_DAY * 1440;
const meanRps = all.requests.slice(from).reduce((a, b) => a + b, 0) / (14 * 1440 * 60);
const factor = chatMeanRps / meanRps;
const STEP = 5;
const start = Date.UTC(2026, 10, 2); // a Monday, as BurstGPT day 42 is day 0's weekday
const history = ["timestamp,model,requests,input_tokens,output_tokens"];
for (let i = 0; i < (14 * 1440) / STEP; i++) {
  const sum = (xs: number[]) => xs.slice(from + i * STEP, from + (i + 1) * STEP).reduce((a, b) => a + b, 0) * factor;
  history.push([new Date(start + i * STEP * 60_000).toISOString().replace(".000Z", "Z"), "llama-70b", Math.round(sum(all.requests)), Math.round(sum(all.inputTokens)), Math.round(sum(all.outputTokens))].join(","));
}
const historyPath = join(repoRoot, "examples", "demand", "history.csv");
writeFileSync(historyPath, `${history.join("\n")}\n`);
console.log(`${historyPath}: BurstGPT days ${FIRST_DAY}–${FIRST_DAY + 13} at 5-minute steps from 2026-11-02T00:00Z, scaled ×${factor.toPrecision(3)} to a mean ${chatMeanRps.toFixed(1)} req/s`);
