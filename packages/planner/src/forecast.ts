/**
 * A demand profile forecast from history (issue 15, point 1): per hour of the week, the `confidence` quantile of the
 * replicas the history's steps needed in that hour, brought to the level of the coming `horizonDays` by the history's
 * trend, and recalibrated by how past forecasts of this kind held on the weeks after them.
 *
 *  - Trend: the week-over-week growth of daily mean demand (day d against day d + 7, so the weekly shape cancels
 *    out) that every week of the history agrees on, as a rate per day (`weeklyGrowthPerDay`). It needs 21 days; with
 *    less, or weeks that disagree, the level is the history's own. Each step is
 *    scaled by the growth from its day to the horizon's busier end, at most ×2 either way, so a few weeks of growth
 *    are not extrapolated without bound.
 *  - Profile: hour w of the week (0 = Monday 00:00 UTC) takes the quantile over every step of the history that fell in
 *    hour w, across its weeks. An hour of the week the history never saw takes its hour of day, over all days.
 *  - Calibration: each whole week of history after the first is forecast from the weeks before it (rolling origin,
 *    the way the forecast is used), and the profile is multiplied by the `confidence` quantile of actual ÷ forecast
 *    over those held-out steps, so the stated confidence is what the held-out weeks showed, not what the method
 *    assumes. Only folds fitted as the final forecast is are scored: when it follows a trend, folds with three weeks
 *    before them (which can have one), so the growth the trend follows is not counted a second time as a miss. With no such fold the
 *    multiplier is 1, and the report says nothing was held out.
 *    With `calibrateFor: "cost"` (`forecast.confidence: cost`) each held-out step counts in proportion to its forecast
 *    replicas, so the multiplier is the one that would have cost the held-out weeks least: a GPU replica costs the same
 *    at every step, and a night step whose forecast is a tenth of a replica should not move the level as much as a
 *    busy hour's (BurstGPT's weekly re-fit: ×3.24 by steps, ×0.90 by cost, on its fifth week).
 *
 * The mean rates per hour (traffic and egress costs) carry the trend, not the quantile or the calibration.
 */
import { quantile, replicasFor, weightedQuantile } from "./demand";
import type { DemandProfile, DemandSeries, Throughput } from "./demand";
import type { CostBasis } from "./hosted-capacity";
import { HOURS_PER_WEEK } from "./schedule";

const MINUTES_PER_DAY = 1440;
/** The most the trend may scale a step of history: ×2 up or ÷2 down. */
const MAX_TREND_FACTOR = 2;
/** Calibration multipliers outside this range mean the history is too short or too irregular to trust either way. */
const CALIBRATION_RANGE = [0.5, 4] as const;

export interface ForecastOptions {
  /** The quantile of each hour's demand to plan for, (0, 1]. */
  confidence: number;
  /** Days ahead the plan is for: the trend is taken to the busier end of them. */
  horizonDays: number;
  /** Minute of the week (0 = Monday 00:00 UTC) of the history's step 0. */
  startMinuteOfWeek: number;
  /**
   * What the calibration holds to: the share of held-out steps under the forecast (`coverage`, a stated confidence),
   * or the held-out weeks' cost of GPUs against the hosted API (`cost`, the confidence `costConfidence` chose), where
   * each step weighs its forecast replicas. Default `coverage`.
   */
  calibrateFor?: "coverage" | "cost";
}

/** What the forecast was made from and how far it held: `PlanProfile.forecast` reports it. */
export interface ForecastReport {
  historyDays: number;
  stepMinutes: number;
  confidence: number;
  horizonDays: number;
  /**
   * With `confidence: cost`, the prices it was chosen from (`costConfidence`), and the hours whose level was raised so
   * the hosted API's rate limit takes what is above it at 0.99; null for a stated confidence.
   */
  costBasis: (CostBasis & { hoursRaisedForRateLimit: number }) | null;
  /** Growth of daily mean demand per week, e.g. 0.12 for +12 % a week; 0 under 21 days of history, or when its weeks disagree. */
  trendPerWeek: number;
  /** The multiplier the held-out weeks asked for; 1 when none was held out (under two weeks, or a trend and under four). */
  calibration: number;
  /** Held-out steps the rolling-origin backtest scored. */
  heldOutSteps: number;
  /** Share of held-out steps at or under the forecast before calibration, and after it; null with none held out. */
  heldOutCoverage: { before: number; after: number } | null;
}

export interface Forecast {
  /** 168 hours, hour 0 = Monday 00:00 UTC. */
  profile: DemandProfile;
  report: ForecastReport;
}

/** The forecast profile of `history` (counts per step; step 0 at `startMinuteOfWeek`). */
export function forecastProfile(history: DemandSeries, t: Throughput, o: ForecastOptions): Forecast {
  checkStep(history.stepMinutes);
  const fit = fitProfile(history, t, o);
  const backtest = rollingBacktest(history, t, o, fit.growthPerDay !== 0);
  const asked = o.calibrateFor === "cost" ? weightedQuantile(backtest.ratios, backtest.forecasts, o.confidence) : quantile(backtest.ratios, o.confidence);
  const calibration = backtest.ratios.length === 0 ? 1 : clamp(asked, ...CALIBRATION_RANGE);
  const coverage = (k: number) => backtest.ratios.filter((r) => r <= k + 1e-12).length / backtest.ratios.length;
  return {
    profile: { ...fit.profile, demandReplicas: fit.profile.demandReplicas.map((x) => x * calibration) },
    report: {
      historyDays: round((history.requests.length * history.stepMinutes) / MINUTES_PER_DAY, 2),
      stepMinutes: history.stepMinutes,
      confidence: o.confidence,
      horizonDays: o.horizonDays,
      costBasis: null,
      trendPerWeek: round(Math.exp(7 * fit.growthPerDay) - 1, 4),
      calibration: round(calibration, 4),
      heldOutSteps: backtest.ratios.length,
      heldOutCoverage: backtest.ratios.length === 0 ? null : { before: round(coverage(1), 4), after: round(coverage(calibration), 4) },
    },
  };
}

function checkStep(stepMinutes: number): void {
  if (!Number.isInteger(stepMinutes) || stepMinutes < 1 || 60 % stepMinutes !== 0) {
    throw new Error(`forecastProfile: a ${stepMinutes}-minute step does not divide an hour; resample the history to 1, 5, 15 or 60 minutes`);
  }
}

/** The uncalibrated forecast: per hour of the week, the trend-adjusted quantile. */
function fitProfile(history: DemandSeries, t: Throughput, o: ForecastOptions): { profile: DemandProfile; growthPerDay: number } {
  const step = history.stepMinutes;
  const n = history.requests.length;
  const seconds = step * 60;
  const replicas = Array.from({ length: n }, (_, i) => replicasFor(history.inputTokens[i] ?? 0, history.outputTokens[i] ?? 0, seconds, t));
  const days = Math.ceil((n * step) / MINUTES_PER_DAY);
  const dayOf = (i: number) => Math.floor((i * step) / MINUTES_PER_DAY);
  const growthPerDay = weeklyGrowthPerDay(dailyMeans(replicas, dayOf, days));
  // The horizon's busier end: its last day when demand grows, the day after the history when it shrinks.
  const target = growthPerDay > 0 ? days + o.horizonDays : days;
  const factor = Array.from({ length: days }, (_, d) => clamp(Math.exp(growthPerDay * (target - d)), 1 / MAX_TREND_FACTOR, MAX_TREND_FACTOR));

  const hourOfWeek = (i: number) => Math.floor((o.startMinuteOfWeek + i * step) / 60) % HOURS_PER_WEEK;
  const byWeekHour = Array.from({ length: HOURS_PER_WEEK }, () => [] as number[]);
  const byDayHour = Array.from({ length: 24 }, () => [] as number[]);
  const sums = Array.from({ length: HOURS_PER_WEEK }, () => ({ requests: 0, input: 0, output: 0, steps: 0 }));
  for (let i = 0; i < n; i++) {
    const f = factor[dayOf(i)]!;
    const h = hourOfWeek(i);
    byWeekHour[h]!.push(replicas[i]! * f);
    byDayHour[h % 24]!.push(replicas[i]! * f);
    const s = sums[h]!;
    s.requests += (history.requests[i] ?? 0) * f;
    s.input += (history.inputTokens[i] ?? 0) * f;
    s.output += (history.outputTokens[i] ?? 0) * f;
    s.steps += 1;
  }
  const dayHourLevel = byDayHour.map((xs) => quantile(xs, o.confidence));
  const rate = (h: number, x: number) => x / (sums[h]!.steps * seconds);
  // An hour of the week the history never saw: the mean over that hour of day.
  const hourOfDayRate = (h: number, pick: (s: (typeof sums)[number]) => number) => {
    const same = sums.filter((s, w) => w % 24 === h % 24 && s.steps > 0);
    const steps = same.reduce((a, s) => a + s.steps, 0);
    return steps === 0 ? 0 : same.reduce((a, s) => a + pick(s), 0) / (steps * seconds);
  };
  const hours = Array.from({ length: HOURS_PER_WEEK }, (_, h) => h);
  const seen = (h: number) => sums[h]!.steps > 0;
  return {
    growthPerDay,
    profile: {
      demandReplicas: hours.map((h) => (seen(h) ? quantile(byWeekHour[h]!, o.confidence) : dayHourLevel[h % 24]!)),
      requestsPerSecond: hours.map((h) => (seen(h) ? rate(h, sums[h]!.requests) : hourOfDayRate(h, (s) => s.requests))),
      inputTokensPerSecond: hours.map((h) => (seen(h) ? rate(h, sums[h]!.input) : hourOfDayRate(h, (s) => s.input))),
      outputTokensPerSecond: hours.map((h) => (seen(h) ? rate(h, sums[h]!.output) : hourOfDayRate(h, (s) => s.output))),
    },
  };
}

function dailyMeans(replicas: readonly number[], dayOf: (i: number) => number, days: number): number[] {
  const sum = new Array<number>(days).fill(0);
  const count = new Array<number>(days).fill(0);
  replicas.forEach((r, i) => {
    sum[dayOf(i)]! += r;
    count[dayOf(i)]! += 1;
  });
  return sum.map((s, d) => (count[d]! > 0 ? s / count[d]! : 0));
}

/**
 * The growth per day every week of the history agrees on. For each whole week after the first, the median log growth
 * per day between its days and the same weekdays a week before (a Theil–Sen slope at a fixed lag of 7, so the weekly
 * shape cancels out); then, when every week grew (or every week shrank), the smallest of those rates, else 0. One
 * week against another is not a trend: a level shift or a spike week reads as one, and the forecast would carry it
 * to the horizon (BurstGPT's week 2 runs 2× its week 1, its week 5 a third of its week 4). So it needs 21 days,
 * two week-over-week rates.
 */
export function weeklyGrowthPerDay(daily: readonly number[]): number {
  const rates: number[] = [];
  for (let from = 0; from + 14 <= daily.length; from += 7) {
    const slopes: number[] = [];
    for (let d = from; d < from + 7; d++) {
      if (daily[d]! > 0 && daily[d + 7]! > 0) slopes.push(Math.log(daily[d + 7]! / daily[d]!) / 7);
    }
    if (slopes.length > 0) rates.push(median(slopes));
  }
  if (rates.length < MIN_WEEKLY_RATES) return 0;
  if (rates.every((r) => r > 0)) return Math.min(...rates);
  if (rates.every((r) => r < 0)) return Math.max(...rates);
  return 0;
}

/** Week-over-week rates the trend needs: two, so {@link TREND_MIN_DAYS} days of history. */
const MIN_WEEKLY_RATES = 2;
const TREND_MIN_DAYS = 7 * (MIN_WEEKLY_RATES + 1);

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return Number.isInteger(mid) ? (sorted[mid - 1]! + sorted[mid]!) / 2 : sorted[Math.floor(mid)]!;
}

/**
 * Each whole week after the first (after the second when the history has a trend), forecast from the weeks before it
 * (uncalibrated, with a horizon of that week) and scored step by step: actual ÷ forecast replicas, over the steps whose
 * forecast is above zero, with each step's forecast beside its ratio.
 */
function rollingBacktest(history: DemandSeries, t: Throughput, o: ForecastOptions, withTrend: boolean): { ratios: number[]; forecasts: number[] } {
  const stepsPerWeek = (7 * MINUTES_PER_DAY) / history.stepMinutes;
  const weeks = Math.floor(history.requests.length / stepsPerWeek);
  const ratios: number[] = [];
  const forecasts: number[] = [];
  const seconds = history.stepMinutes * 60;
  // A final fit that follows a trend is scored on folds that can have one too (three weeks before them).
  const firstFold = withTrend ? TREND_MIN_DAYS / 7 : 1;
  for (let w = firstFold; w < weeks; w++) {
    const fitted = fitProfile(slice(history, 0, w * stepsPerWeek), t, { ...o, horizonDays: 7 }).profile.demandReplicas;
    for (let i = w * stepsPerWeek; i < (w + 1) * stepsPerWeek; i++) {
      const h = Math.floor((o.startMinuteOfWeek + i * history.stepMinutes) / 60) % HOURS_PER_WEEK;
      const forecast = fitted[h]!;
      if (forecast <= 0) continue;
      ratios.push(replicasFor(history.inputTokens[i] ?? 0, history.outputTokens[i] ?? 0, seconds, t) / forecast);
      forecasts.push(forecast);
    }
  }
  return { ratios, forecasts };
}

function slice(s: DemandSeries, from: number, to: number): DemandSeries {
  return { stepMinutes: s.stepMinutes, requests: s.requests.slice(from, to), inputTokens: s.inputTokens.slice(from, to), outputTokens: s.outputTokens.slice(from, to) };
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
