/**
 * Demand: request traces and hourly profiles, and their conversion to replicas.
 *
 * A replica is one vLLM server spanning `gpusPerReplica` GPUs. Serving a step's load takes
 * replica-seconds = inputTokens / P + outputTokens / D, where P and D are the replica's prefill and
 * decode throughputs at the latency SLO (spec inputs, measured per model × GPU shape). Replicas needed
 * = replica-seconds / step length (../shared/data/traces/README.md, "Converting to GPU-hours").
 */

/** Counts per fixed-length step (not rates). */
export interface DemandSeries {
  stepMinutes: number;
  requests: number[];
  inputTokens: number[];
  outputTokens: number[];
}

/** A cyclic hourly profile: rates per hour of the profile (24 = a day, 168 = a week). */
export interface HourlyRates {
  requestsPerSecond: number[];
  inputTokensPerSecond: number[];
  outputTokensPerSecond: number[];
}

export interface Throughput {
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
}

/** Replicas busy for a step carrying these tokens. */
export function replicasFor(inputTokens: number, outputTokens: number, stepSeconds: number, t: Throughput): number {
  return (inputTokens / t.prefillTokensPerSecond + outputTokens / t.decodeTokensPerSecond) / stepSeconds;
}

/** Replicas busy for an hour at these rates. */
export function replicasForRates(inputTokensPerSecond: number, outputTokensPerSecond: number, t: Throughput): number {
  return inputTokensPerSecond / t.prefillTokensPerSecond + outputTokensPerSecond / t.decodeTokensPerSecond;
}

/** Multiplies every count (requests and tokens) by `factor`: a rate-scaled replay. */
export function scaleSeries(series: DemandSeries, factor: number): DemandSeries {
  return {
    stepMinutes: series.stepMinutes,
    requests: series.requests.map((x) => x * factor),
    inputTokens: series.inputTokens.map((x) => x * factor),
    outputTokens: series.outputTokens.map((x) => x * factor),
  };
}

/**
 * The series at another step length: summed when `stepMinutes` is a multiple of the series' step,
 * spread evenly when the series' step is a multiple of `stepMinutes`. Other ratios throw.
 */
export function resampleSeries(series: DemandSeries, stepMinutes: number): DemandSeries {
  const from = series.stepMinutes;
  if (stepMinutes === from) return series;
  if (stepMinutes % from === 0) {
    const ratio = stepMinutes / from;
    const n = Math.ceil(series.requests.length / ratio);
    const sum = (xs: number[]) => Array.from({ length: n }, (_, i) => xs.slice(i * ratio, (i + 1) * ratio).reduce((a, b) => a + b, 0));
    return { stepMinutes, requests: sum(series.requests), inputTokens: sum(series.inputTokens), outputTokens: sum(series.outputTokens) };
  }
  if (from % stepMinutes === 0) {
    const ratio = from / stepMinutes;
    const spread = (xs: number[]) => xs.flatMap((x) => new Array<number>(ratio).fill(x / ratio));
    return { stepMinutes, requests: spread(series.requests), inputTokens: spread(series.inputTokens), outputTokens: spread(series.outputTokens) };
  }
  throw new Error(`cannot resample a ${from}-minute series to ${stepMinutes}-minute steps; use a multiple or a divisor of ${from}`);
}

/** Repeats (or cuts) a series to exactly `steps` steps. */
export function cycleSeries(series: DemandSeries, steps: number): DemandSeries {
  const n = series.requests.length;
  const take = (xs: number[]) => Array.from({ length: steps }, (_, i) => xs[i % n] ?? 0);
  return { stepMinutes: series.stepMinutes, requests: take(series.requests), inputTokens: take(series.inputTokens), outputTokens: take(series.outputTokens) };
}

/** A series holding an hourly profile's rates, cycled over `steps` steps of `stepMinutes`. */
export function seriesFromHourly(rates: HourlyRates, stepMinutes: number, steps: number): DemandSeries {
  const hours = rates.requestsPerSecond.length;
  const seconds = stepMinutes * 60;
  const at = (xs: number[], i: number) => (xs[Math.floor((i * stepMinutes) / 60) % hours] ?? 0) * seconds;
  return {
    stepMinutes,
    requests: Array.from({ length: steps }, (_, i) => at(rates.requestsPerSecond, i)),
    inputTokens: Array.from({ length: steps }, (_, i) => at(rates.inputTokensPerSecond, i)),
    outputTokens: Array.from({ length: steps }, (_, i) => at(rates.outputTokensPerSecond, i)),
  };
}

/** The q-quantile (nearest rank; q = 1 is the maximum) of a non-empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

/**
 * The `q` quantile of `values` with each value counted `weights[i]` times: the least value whose weight, with every
 * smaller value's, reaches `q` of the total (with equal weights, {@link quantile}). 0 when there is no weight.
 */
export function weightedQuantile(values: readonly number[], weights: readonly number[], q: number): number {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const total = weights.reduce((a, w) => a + w, 0);
  if (!(total > 0)) return 0;
  let reached = 0;
  for (const i of order) {
    reached += weights[i]!;
    if (reached >= q * total * (1 - 1e-12)) return values[i]!;
  }
  return values[order.at(-1)!]!;
}

/** What the planner sizes against, per hour of a cyclic profile. */
export interface DemandProfile {
  /** Replicas busy in each profile hour (for a series: the chosen quantile over that hour's steps). */
  demandReplicas: number[];
  /** Mean rates in each profile hour, for traffic and egress costs. */
  requestsPerSecond: number[];
  inputTokensPerSecond: number[];
  outputTokensPerSecond: number[];
}

/** Profile from an hourly rate profile: the rates are what each hour must serve. */
export function profileFromHourly(rates: HourlyRates, t: Throughput): DemandProfile {
  return {
    demandReplicas: rates.inputTokensPerSecond.map((input, h) => replicasForRates(input, rates.outputTokensPerSecond[h] ?? 0, t)),
    requestsPerSecond: [...rates.requestsPerSecond],
    inputTokensPerSecond: [...rates.inputTokensPerSecond],
    outputTokensPerSecond: [...rates.outputTokensPerSecond],
  };
}

/**
 * Profile from a series (already at the sizing step): for each hour of a `profileHours`-hour cycle
 * (step 0 of the series is hour 0), the `q`-quantile of the replicas its steps need, and its mean rates.
 */
export function profileFromSeries(series: DemandSeries, t: Throughput, profileHours: number, q: number): DemandProfile {
  const seconds = series.stepMinutes * 60;
  const buckets = Array.from({ length: profileHours }, () => ({ replicas: [] as number[], req: 0, input: 0, output: 0, steps: 0 }));
  series.requests.forEach((requests, i) => {
    const hour = Math.floor((i * series.stepMinutes) / 60) % profileHours;
    const b = buckets[hour]!;
    const input = series.inputTokens[i] ?? 0;
    const output = series.outputTokens[i] ?? 0;
    b.replicas.push(replicasFor(input, output, seconds, t));
    b.req += requests;
    b.input += input;
    b.output += output;
    b.steps += 1;
  });
  const rate = (x: number, steps: number) => (steps === 0 ? 0 : x / (steps * seconds));
  return {
    demandReplicas: buckets.map((b) => quantile(b.replicas, q)),
    requestsPerSecond: buckets.map((b) => rate(b.req, b.steps)),
    inputTokensPerSecond: buckets.map((b) => rate(b.input, b.steps)),
    outputTokensPerSecond: buckets.map((b) => rate(b.output, b.steps)),
  };
}

function parseCsv(text: string, what: string): { header: string[]; rows: number[][] } {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
  const header = (lines[0] ?? "").split(",").map((h) => h.trim());
  const rows = lines.slice(1).map((line, i) => {
    const cells = line.split(",").map((c) => Number(c.trim()));
    const bad = cells.findIndex((c) => !Number.isFinite(c));
    if (bad >= 0) throw new Error(`${what}: line ${i + 2}, column ${header[bad] ?? bad + 1}: not a number`);
    return cells;
  });
  return { header, rows };
}

function column(header: string[], names: string[], what: string): number {
  const index = header.findIndex((h) => names.includes(h));
  if (index < 0) throw new Error(`${what}: missing column ${names[0]} (have ${header.join(", ")})`);
  return index;
}

/**
 * Parses a per-minute CSV with columns `minute,requests,input_tokens,output_tokens` (the format of
 * ../shared/data/traces/derived/*_per_minute.csv; extra columns are ignored, missing minutes are 0).
 */
export function parsePerMinuteCsv(text: string, what = "per-minute CSV"): DemandSeries {
  const { header, rows } = parseCsv(text, what);
  const m = column(header, ["minute"], what);
  const r = column(header, ["requests"], what);
  const i = column(header, ["input_tokens"], what);
  const o = column(header, ["output_tokens"], what);
  const last = rows.reduce((a, row) => Math.max(a, row[m]!), -1);
  const series: DemandSeries = { stepMinutes: 1, requests: new Array<number>(last + 1).fill(0), inputTokens: new Array<number>(last + 1).fill(0), outputTokens: new Array<number>(last + 1).fill(0) };
  for (const row of rows) {
    const minute = row[m]!;
    if (!Number.isInteger(minute) || minute < 0) throw new Error(`${what}: minute ${minute} is not a non-negative integer`);
    series.requests[minute] = row[r]!;
    series.inputTokens[minute] = row[i]!;
    series.outputTokens[minute] = row[o]!;
  }
  return series;
}

/** Parses an hourly CSV with columns `hour,requests_per_s,input_tokens_per_s,output_tokens_per_s`. */
export function parseHourlyCsv(text: string, what = "hourly CSV"): HourlyRates {
  const { header, rows } = parseCsv(text, what);
  const h = column(header, ["hour"], what);
  const r = column(header, ["requests_per_s"], what);
  const i = column(header, ["input_tokens_per_s"], what);
  const o = column(header, ["output_tokens_per_s"], what);
  const sorted = [...rows].sort((a, b) => a[h]! - b[h]!);
  sorted.forEach((row, index) => {
    if (row[h] !== index) throw new Error(`${what}: hours must run 0, 1, 2, ... without gaps (found ${row[h]} at position ${index})`);
  });
  return {
    requestsPerSecond: sorted.map((row) => row[r]!),
    inputTokensPerSecond: sorted.map((row) => row[i]!),
    outputTokensPerSecond: sorted.map((row) => row[o]!),
  };
}
