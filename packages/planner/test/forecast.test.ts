import { describe, expect, it } from "vitest";
import { FleetSpecError, applyHistory, forecastProfile, parseFleetSpec, parseHistoryCsv, plan, traceFromSpec } from "../src";
import type { DemandSeries } from "../src";
import { weeklyGrowthPerDay } from "../src/forecast";
import { DECODE, specWith } from "./helpers";

/** Decode-bound at 1,000 tokens/s per replica: a step's output tokens / (1000 × step seconds) replicas. */
const T = { prefillTokensPerSecond: 1e12, decodeTokensPerSecond: DECODE };

/** A series whose step i needs `replicas(i)` replicas (decode-bound). */
function seriesOf(steps: number, stepMinutes: number, replicas: (i: number) => number): DemandSeries {
  const out = Array.from({ length: steps }, (_, i) => replicas(i) * DECODE * stepMinutes * 60);
  return { stepMinutes, requests: out.map((x) => x / 500), inputTokens: out.map(() => 0), outputTokens: out };
}
const HOUR_STEPS = 12; // 5-minute steps
const WEEK_STEPS = 168 * HOUR_STEPS;
/**
 * Three weeks where hours 0–19 of each day need 1 replica in weeks 1–2 and 4 in week 3, and hours 20–23 need 20
 * throughout: held out by steps the calibration reads ×4, by cost ×1.
 */
const nightShiftHistory = () => seriesOf(3 * WEEK_STEPS, 5, (i) => (Math.floor(i / HOUR_STEPS) % 24 >= 20 ? 20 : i >= 2 * WEEK_STEPS ? 4 : 1));

describe("forecastProfile", () => {
  it("takes each hour of the week's quantile at the stated confidence, not its busiest step", () => {
    // Three weeks; within each hour eleven steps at 10 and one at 40 (a 5-minute burst): the 0.9 quantile is 10, 1 is 40.
    const history = seriesOf(3 * WEEK_STEPS, 5, (i) => (i % HOUR_STEPS === 0 ? 40 : 10));
    const { profile, report } = forecastProfile(history, T, { confidence: 0.9, horizonDays: 7, startMinuteOfWeek: 0 });
    expect(profile.demandReplicas).toHaveLength(168);
    expect(report.trendPerWeek).toBe(0);
    // The held-out third week is like the first two: the quantile held for 11 of 12 steps, so no recalibration is needed.
    expect(report.calibration).toBe(1);
    expect(report.heldOutCoverage).toEqual({ before: 0.9167, after: 0.9167 });
    expect(new Set(profile.demandReplicas.map((x) => Math.round(x * 1e6) / 1e6))).toEqual(new Set([10]));
  });

  it("keeps the hour-of-week shape: a Monday peak is not every day's", () => {
    const history = seriesOf(WEEK_STEPS, 5, (i) => (Math.floor(i / HOUR_STEPS) === 9 ? 30 : 5));
    const { profile, report } = forecastProfile(history, T, { confidence: 0.95, horizonDays: 7, startMinuteOfWeek: 0 });
    expect(profile.demandReplicas[9]).toBeCloseTo(30, 6);
    expect(profile.demandReplicas[24 + 9]).toBeCloseTo(5, 6);
    // One week: nothing held out, nothing to calibrate with, and no trend.
    expect(report).toMatchObject({ historyDays: 7, calibration: 1, heldOutSteps: 0, heldOutCoverage: null, trendPerWeek: 0 });
  });

  it("places hours by the history's minute of the week: a history starting Wednesday 00:00 puts its first hour at hour 48", () => {
    const history = seriesOf(WEEK_STEPS, 5, (i) => (i < HOUR_STEPS ? 20 : 2));
    const { profile } = forecastProfile(history, T, { confidence: 0.95, horizonDays: 7, startMinuteOfWeek: 2 * 1440 });
    expect(profile.demandReplicas[48]).toBeCloseTo(20, 6);
    expect(profile.demandReplicas[0]).toBeCloseTo(2, 6);
  });

  it("follows a steady trend to the horizon's end and recalibrates on the weeks it held out", () => {
    // Demand grows 10 % a week, steadily (per day), over four weeks.
    const perDay = Math.log(1.1) / 7;
    const history = seriesOf(4 * WEEK_STEPS, 5, (i) => 10 * Math.exp(perDay * ((i * 5) / 1440)));
    const { profile, report } = forecastProfile(history, T, { confidence: 0.95, horizonDays: 7, startMinuteOfWeek: 0 });
    expect(report.trendPerWeek).toBeCloseTo(0.1, 3);
    // The last step of the history is at 10 × 1.1^4; one week on, the plan's level is about 10 × 1.1^5.
    const end = 10 * 1.1 ** 5;
    expect(Math.max(...profile.demandReplicas)).toBeGreaterThan(end * 0.97);
    expect(Math.max(...profile.demandReplicas)).toBeLessThan(end * 1.05);
    // Week 4 held out, forecast from the three weeks before it with their trend (two weeks have none).
    expect(report.heldOutSteps).toBe(WEEK_STEPS);
    expect(report.heldOutCoverage!.after).toBeGreaterThanOrEqual(0.95);
  });

  it("raises its level when the held-out weeks ran above the forecast: one spike day in three weeks", () => {
    const spikeDay = 16;
    const history = seriesOf(3 * WEEK_STEPS, 5, (i) => (Math.floor((i * 5) / 1440) === spikeDay ? 40 : 10));
    const { profile, report } = forecastProfile(history, T, { confidence: 0.99, horizonDays: 7, startMinuteOfWeek: 0 });
    expect(report.heldOutCoverage!.before).toBeLessThan(0.99);
    expect(report.calibration).toBeGreaterThan(1);
    expect(report.heldOutCoverage!.after).toBeGreaterThanOrEqual(0.99);
    expect(Math.min(...profile.demandReplicas)).toBeGreaterThan(10);
  });

  it("calibrates for cost by weighing each held-out step by its forecast: a night's miss does not buy a day's GPUs", () => {
    // Hours 0–19 of each day need 1 replica in weeks 1–2 and 4 in week 3; hours 20–23 need 20 throughout. Held out:
    // week 2 (all at the forecast) and week 3 (its night steps 4× it). By steps, 5/12 of them ran 4× over, so the 0.618
    // quantile of actual ÷ forecast is 4; by replicas the night steps are 20 of every 100 forecast in week 3, 1/10 overall.
    const history = nightShiftHistory();
    const options = { confidence: 0.618, horizonDays: 7, startMinuteOfWeek: 0 };
    const byCoverage = forecastProfile(history, T, options);
    const byCost = forecastProfile(history, T, { ...options, calibrateFor: "cost" });
    expect([byCoverage.report.calibration, byCost.report.calibration]).toEqual([4, 1]);
    expect(byCost.report.heldOutCoverage).toEqual({ before: 0.5833, after: 0.5833 });
    // The profile before calibration: nights at 1 (24 of their 36 steps), days at 20.
    expect([byCoverage.profile.demandReplicas[0], byCoverage.profile.demandReplicas[20]]).toEqual([4, 80]);
    expect([byCost.profile.demandReplicas[0], byCost.profile.demandReplicas[20]]).toEqual([1, 20]);
  });

  it("refuses a step that does not divide an hour", () => {
    expect(() => forecastProfile(seriesOf(100, 7, () => 1), T, { confidence: 0.9, horizonDays: 7, startMinuteOfWeek: 0 })).toThrow(/7-minute step does not divide an hour/);
  });

  it("measures growth week over week, so the weekly shape does not read as a trend, and only what every week agrees on", () => {
    const weekly = [1, 1, 1, 1, 1, 5, 5];
    const times = (k: number) => weekly.map((x) => k * x);
    const perWeek = (daily: number[]) => Math.exp(7 * weeklyGrowthPerDay(daily));
    expect(weeklyGrowthPerDay([...weekly, ...weekly, ...weekly])).toBe(0);
    expect(weeklyGrowthPerDay(weekly)).toBe(0);
    // One week against another is a level shift, not a trend.
    expect(weeklyGrowthPerDay([...weekly, ...times(2)])).toBe(0);
    expect(perWeek([...weekly, ...times(2), ...times(4)])).toBeCloseTo(2, 9);
    // Weeks that grew ×2 then ×1.5 agree on ×1.5; a week up and a week down agree on nothing.
    expect(perWeek([...weekly, ...times(2), ...times(3)])).toBeCloseTo(1.5, 9);
    expect(weeklyGrowthPerDay([...weekly, ...times(2), ...weekly])).toBe(0);
    expect(perWeek([...times(4), ...times(2), ...weekly])).toBeCloseTo(0.5, 9);
  });
});

/** A decode-bound history CSV: `rows` of [ISO time, model or undefined, replicas at 5-minute steps]. */
function csv(rows: [string, string | undefined, number][], withModel = true): string {
  const head = withModel ? "timestamp,model,requests,input_tokens,output_tokens" : "timestamp,requests,input_tokens,output_tokens";
  return [head, ...rows.map(([t, m, r]) => [t, ...(withModel ? [m] : []), r * 10, 0, r * DECODE * 300].join(","))].join("\n");
}

describe("parseHistoryCsv", () => {
  it("infers the step, fills steps without a row with zero, and places the first row in the week (Monday 00:00 UTC = 0)", () => {
    // 2026-11-04 is a Wednesday.
    const h = parseHistoryCsv(csv([["2026-11-04T10:00:00Z", "m", 3], ["2026-11-04T10:15:00Z", "m", 5], ["2026-11-04T10:05:00+00:00", "m", 4]]));
    expect(h.stepMinutes).toBe(5);
    expect(h.startMinuteOfWeek).toBe(2 * 1440 + 600);
    expect(h.start).toBe("2026-11-04T10:00:00.000Z");
    expect(h.models.get("m")!.requests).toEqual([30, 40, 0, 50]);
  });

  it.each<[string, string, RegExp]>([
    ["no timestamp column", "minute,requests,input_tokens,output_tokens\n0,1,1,1", /missing column timestamp/],
    ["a time without a zone", csv([["2026-11-04T10:00:00", "m", 3]]), /not an ISO 8601 time with a zone; write it as 2026-11-02T00:00:00Z/],
    ["a negative count", "timestamp,requests,input_tokens,output_tokens\n2026-11-04T10:00:00Z,-1,0,0", /line 2, requests "-1" is not a count ≥ 0/],
    ["a 7-minute step", csv([["2026-11-04T10:00:00Z", "m", 3], ["2026-11-04T10:07:00Z", "m", 3]]), /7 minutes apart, which does not divide an hour/],
    ["a repeated row", csv([["2026-11-04T10:00:00Z", "m", 3], ["2026-11-04T10:00:00Z", "m", 3]]), /line 3 repeats line 2 .*sum them into one row/],
    ["over a year", csv([["2025-01-01T00:00:00Z", "m", 3], ["2026-11-04T10:00:00Z", "m", 3]]), /more than a year/],
    ["no rows", "timestamp,requests,input_tokens,output_tokens\n", /no rows/],
  ])("refuses %s, naming the line or column and the fix", (_label, text, message) => {
    expect(() => parseHistoryCsv(text, "h.csv")).toThrow(message);
  });
});

describe("applyHistory", () => {
  const spec = parseFleetSpec(specWith({ providers: [{ provider: "aws", capacityTypes: ["spot", "on-demand"] }], replicas: new Array<number>(24).fill(4), policy: { resilience: "none" } }));
  const week = Array.from({ length: 7 * 288 }, (_, i): [string, string | undefined, number] => [new Date(Date.UTC(2026, 10, 2) + i * 300_000).toISOString(), "m", 2 + (Math.floor(i / 12) % 24 >= 9 ? 6 : 0)]);

  it("replaces the named model's demand with a forecast series from the history's start, and plans a 168-hour profile", () => {
    const withHistory = applyHistory(spec, parseHistoryCsv(csv(week)), "h.csv");
    const s = withHistory.models[0]!.demand.series!;
    // 2026-11-02 is a Monday.
    expect({ step: s.stepMinutes, start: s.startMinuteOfWeek, forecast: s.forecast, steps: s.requests!.length }).toEqual({ step: 5, start: 0, forecast: { confidence: 0.95, horizonDays: 7 }, steps: 2016 });
    const p = plan(withHistory);
    expect(p.models[0]!.profile.hours).toBe(168);
    expect(p.models[0]!.profile.forecast).toMatchObject({ historyDays: 7, confidence: 0.95, calibration: 1 });
    expect(p.models[0]!.profile.demandReplicas[9]).toBeCloseTo(8, 3);
    expect(p.models[0]!.profile.demandReplicas[8]).toBeCloseTo(2, 3);
  });

  it("simulates from the Monday before the history: a history from Wednesday has two empty days first", () => {
    const fromWednesday = week.slice(2 * 288);
    const trace = traceFromSpec(applyHistory(spec, parseHistoryCsv(csv(fromWednesday)), "h.csv"), 7);
    const out = trace.models["m"]!.outputTokens;
    expect(out.slice(0, 2 * 288).every((x) => x === 0)).toBe(true);
    expect(out[2 * 288]).toBeGreaterThan(0);
  });

  it("takes a file without a model column for a spec of one model", () => {
    const h = parseHistoryCsv(csv(week, false));
    expect(applyHistory(spec, h, "h.csv").models[0]!.demand.series!.forecast).toBeDefined();
  });

  it("refuses a model the spec does not have, naming the spec's models", () => {
    const error = (() => {
      try {
        applyHistory(spec, parseHistoryCsv(csv([["2026-11-02T00:00:00Z", "llama-8b", 1]])), "h.csv");
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(FleetSpecError);
    expect((error as FleetSpecError).issues).toEqual([{ path: "--history", message: 'h.csv names model "llama-8b", which the spec does not have', fix: "use the spec's model names (m), or leave that model's rows out" }]);
  });
});

describe("forecast.confidence: cost", () => {
  // One AWS on-demand pool: p5 at $55.04 a node-hour, 4 replicas a node = $13.76 a replica-hour. Decode-bound at 1,000
  // tokens/s, a replica-hour serves 3.6 M generated tokens: at $10 a million the hosted API charges $36 for them.
  // Confidence = 1 − 13.76 / 36. Each hour's twelve 5-minute steps need 10, 11, … 21 replicas, three weeks long.
  const history = seriesOf(3 * WEEK_STEPS, 5, (i) => 10 + (i % HOUR_STEPS));
  const hosted = { name: "hosted", model: "openai/gpt-4o-mini", pricePerMillionInputTokens: 1, pricePerMillionOutputTokens: 10 };
  const specFor = (fallback: Record<string, unknown> | null) => {
    const spec = specWith({ providers: [{ provider: "aws", capacityTypes: ["on-demand"] }], replicas: [1], policy: { resilience: "none" } });
    const model = spec.models[0] as Record<string, unknown>;
    model.demand = { series: { ...history, forecast: { confidence: "cost", horizonDays: 7 } } };
    if (fallback !== null) model.hostedFallback = fallback;
    return spec;
  };

  it("sizes the GPUs at the quantile where a replica costs what the hosted API would charge for its tokens", () => {
    const p = plan(specFor(hosted));
    const f = p.models[0]!.profile.forecast!;
    expect(f.costBasis).toEqual({ gpuPerReplicaHour: 13.76, hostedPerReplicaHour: 36, hoursRaisedForRateLimit: 0 });
    expect(f.confidence).toBeCloseTo(1 - 13.76 / 36, 12);
    // The nearest-rank 0.618 quantile of 10 … 21 (three of each) is 17; the held-out week needs no recalibration.
    expect(f.calibration).toBe(1);
    expect(new Set(p.models[0]!.profile.demandReplicas)).toEqual(new Set([17]));
    const stated = forecastProfile(history, T, { confidence: 1 - 13.76 / 36, horizonDays: 7, startMinuteOfWeek: 0 });
    expect(p.models[0]!.profile.demandReplicas).toEqual(stated.profile.demandReplicas.map((x) => Math.round(x * 1000) / 1000));
  });

  it("holds on GPUs what the hosted API's rate limit cannot take above that level", () => {
    // 2 requests/s per replica: 31 a second at the mean of 15.5 replicas. 120 a minute is 1 replica's worth, so each
    // hour's level is its 0.99 forecast (21) less 1.
    const p = plan(specFor({ ...hosted, requestsPerMinute: 120 }));
    expect(p.models[0]!.profile.forecast!.costBasis).toEqual({ gpuPerReplicaHour: 13.76, hostedPerReplicaHour: 36, hoursRaisedForRateLimit: 168 });
    expect(new Set(p.models[0]!.profile.demandReplicas)).toEqual(new Set([20]));
  });

  it("calibrates by the held-out weeks' cost, as forecastProfile does with calibrateFor: cost", () => {
    const nights = nightShiftHistory();
    const spec = specFor(hosted);
    (spec.models[0] as Record<string, unknown>).demand = { series: { ...nights, forecast: { confidence: "cost", horizonDays: 7 } } };
    const f = plan(spec).models[0]!.profile;
    expect(f.forecast!.calibration).toBe(1);
    expect([f.demandReplicas[0], f.demandReplicas[20]]).toEqual([1, 20]);
  });

  it("is refused without a hosted fallback to weigh the GPUs against", () => {
    expect(() => plan(specFor(null))).toThrow(FleetSpecError);
    expect(() => plan(specFor(null))).toThrow(/models\[0\]\.demand\.series\.forecast\.confidence: is cost, but m has no hostedFallback to weigh its GPUs against.*give the model a hostedFallback, or state a confidence, e\.g\. 0\.95/s);
  });
});
