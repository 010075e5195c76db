/**
 * BurstGPT as a demand series (HPMLL/BurstGPT, CC-BY-4.0, Wang et al., KDD'25; aggregates in
 * ../shared/data/traces/derived): its real per-minute token rate for week 1, and for the later days a stated
 * construction — day d ≥ 7 is week 1's minute shape of the same weekday (day d mod 7) scaled by the real daily total of
 * day d over that of day d mod 7 (`burstgpt1_daily.csv`, 61 days). The aggregates hold total tokens only: requests come
 * from week 1's tokens per request, and the prompt/completion split from the Azure 2023 conversation means.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { DemandSeries } from "../../packages/planner/src";

function csvRows(path: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(path, "utf8").trim().split(/\r?\n/);
  const cols = head!.split(",");
  return rows.map((r) => Object.fromEntries(r.split(",").map((c, i) => [cols[i]!, c])));
}

/** Days of BurstGPT's daily totals. */
export const BURSTGPT_DAYS = 61;

/** The first `days` days (7 to 61) of BurstGPT, per minute. */
export function burstgptSeries(data: string, days: number): DemandSeries {
  if (!Number.isInteger(days) || days < 7 || days > BURSTGPT_DAYS) throw new Error(`burstgptSeries: ${days} days; BurstGPT has 7 to ${BURSTGPT_DAYS}`);
  const derived = join(data, "traces", "derived");
  const week = csvRows(join(derived, "burstgpt1_week1_per_minute.csv")).map((r) => Number(r.total_tok_per_s) * 60);
  const daily = csvRows(join(derived, "burstgpt1_daily.csv"));
  const total = daily.map((r) => Number(r.total_tokens));
  const tokensPerRequest = total.slice(0, 7).reduce((a, b) => a + b, 0) / daily.slice(0, 7).reduce((a, r) => a + Number(r.requests), 0);
  const inputShare = 1154.7 / (1154.7 + 211.1); // Azure 2023 conversation mix (summary.csv): BurstGPT's split is not in the aggregates
  const tokens = Array.from({ length: days * 1440 }, (_, m) => {
    const day = Math.floor(m / 1440);
    const weekday = day % 7;
    return (week[weekday * 1440 + (m % 1440)] ?? 0) * (day < 7 ? 1 : total[day]! / total[weekday]!);
  });
  return {
    stepMinutes: 1,
    requests: tokens.map((t) => t / tokensPerRequest),
    inputTokens: tokens.map((t) => t * inputShare),
    outputTokens: tokens.map((t) => t * (1 - inputShare)),
  };
}
