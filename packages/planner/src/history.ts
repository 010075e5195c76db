/**
 * A team's own demand history (`switchyard plan --history <file>`): counts per minute or per 5 minutes, per model,
 * taken from the gateway's spend logs or metrics. It replaces the spec's demand for the models it names with a
 * series the planner forecasts from (`demand.series.forecast`), simulated from the Monday 00:00 UTC before it.
 *
 *     timestamp,model,requests,input_tokens,output_tokens
 *     2026-11-02T00:00:00Z,llama-70b,412,1840233,201455
 *
 * `timestamp` is the step's start, ISO 8601 with `Z` or an offset; the step is the smallest gap between rows (1 to 60
 * minutes, dividing an hour); a step with no row had no requests. `model` may be left out when the spec has one model.
 */
import { FleetSpecError } from "./errors";
import type { SpecIssue } from "./errors";
import { MINUTES_PER_WEEK } from "./schedule";
import { parseFleetSpec } from "./spec";
import type { FleetSpec } from "./spec";

/** A year of minutes: a longer history is older than any trend the forecast should follow. */
const MAX_HISTORY_MINUTES = 366 * 1440;

export interface History {
  stepMinutes: number;
  /** Minute of the week (0 = Monday 00:00 UTC) of step 0: the earliest row's. */
  startMinuteOfWeek: number;
  /** The earliest row's timestamp, ISO 8601 UTC. */
  start: string;
  /** Counts per step from `start`, per model; the key is null when the file has no model column. */
  models: Map<string | null, { requests: number[]; inputTokens: number[]; outputTokens: number[] }>;
}

/** Parses a history CSV; throws an `Error` naming the line and column of the first problem. */
export function parseHistoryCsv(text: string, what = "history"): History {
  const lines = text.split(/\r?\n/).map((l, i) => ({ text: l.trim(), number: i + 1 })).filter((l) => l.text !== "" && !l.text.startsWith("#"));
  const header = (lines[0]?.text ?? "").split(",").map((h) => h.trim());
  const col = (name: string, required = true) => {
    const i = header.indexOf(name);
    if (i < 0 && required) throw new Error(`${what}: missing column ${name} (have ${header.join(", ") || "nothing"}); the columns are timestamp,model,requests,input_tokens,output_tokens (model optional)`);
    return i;
  };
  const [t, m, r, inp, out] = [col("timestamp"), col("model", false), col("requests"), col("input_tokens"), col("output_tokens")];
  const rows = lines.slice(1).map(({ text: line, number }) => {
    const cells = line.split(",").map((c) => c.trim());
    const at = Date.parse(cells[t] ?? "");
    if (!Number.isFinite(at) || !/(Z|[+-]\d\d:?\d\d)$/i.test(cells[t] ?? "")) {
      throw new Error(`${what}: line ${number}, timestamp ${JSON.stringify(cells[t] ?? "")} is not an ISO 8601 time with a zone; write it as 2026-11-02T00:00:00Z`);
    }
    if (at % 60_000 !== 0) throw new Error(`${what}: line ${number}, timestamp ${cells[t]} is not at a whole minute; give each step's start`);
    const count = (i: number, name: string) => {
      const x = Number(cells[i] ?? "");
      if (cells[i] === undefined || cells[i] === "" || !Number.isFinite(x) || x < 0) throw new Error(`${what}: line ${number}, ${name} ${JSON.stringify(cells[i] ?? "")} is not a count ≥ 0`);
      return x;
    };
    return { minute: at / 60_000, model: m >= 0 ? (cells[m] ?? "") : null, requests: count(r, "requests"), input: count(inp, "input_tokens"), output: count(out, "output_tokens"), number };
  });
  if (rows.length === 0) throw new Error(`${what}: no rows; export at least a week of counts per minute or per 5 minutes`);
  const first = Math.min(...rows.map((x) => x.minute));
  const last = Math.max(...rows.map((x) => x.minute));
  const minutes = [...new Set(rows.map((x) => x.minute))].sort((a, b) => a - b);
  const step = minutes.slice(1).reduce((g, x, i) => gcd(g, x - minutes[i]!), 0) || 1;
  if (last - first >= MAX_HISTORY_MINUTES) throw new Error(`${what}: spans ${Math.round((last - first) / 1440)} days, more than a year; export the last few weeks (the forecast weighs recent weeks, and a trend over a year is not this week's)`);
  if (60 % step !== 0) throw new Error(`${what}: rows are ${step} minutes apart, which does not divide an hour; export counts per 1, 5, 15 or 60 minutes`);
  const steps = (last - first) / step + 1;
  const models: History["models"] = new Map();
  const seen = new Map<string, number>();
  for (const row of rows) {
    if (row.model === "") throw new Error(`${what}: line ${row.number}, model is empty; name the spec's model (models[].name)`);
    const key = `${row.model} ${row.minute}`;
    const twin = seen.get(key);
    if (twin !== undefined) throw new Error(`${what}: line ${row.number} repeats line ${twin} (${row.model ?? "the"} model at ${new Date(row.minute * 60_000).toISOString()}); sum them into one row`);
    seen.set(key, row.number);
    let s = models.get(row.model);
    if (s === undefined) {
      s = { requests: new Array<number>(steps).fill(0), inputTokens: new Array<number>(steps).fill(0), outputTokens: new Array<number>(steps).fill(0) };
      models.set(row.model, s);
    }
    const i = (row.minute - first) / step;
    s.requests[i] = row.requests;
    s.inputTokens[i] = row.input;
    s.outputTokens[i] = row.output;
  }
  // 1970-01-01 was a Thursday: minute of the week counted from Monday 00:00 UTC.
  const startMinuteOfWeek = (((first + 3 * 1440) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  return { stepMinutes: step, startMinuteOfWeek, start: new Date(first * 60_000).toISOString(), models };
}

/**
 * The spec with each model the history names demanded by that history, forecast (the model's own
 * `demand.series.forecast` if it had one, else confidence 0.95 over 7 days; `options.confidence` replaces the
 * confidence of every model the history names). Models the history does not name keep their demand. Throws
 * `FleetSpecError` (path `--history`) for a model the spec lacks, or a file without a model column for a spec with
 * several; (path `--confidence`) for `cost` on a model with no hosted fallback to weigh its GPUs against.
 */
export function applyHistory(spec: FleetSpec, history: History, source: string, options: { confidence?: number | "cost" } = {}): FleetSpec {
  const names = spec.models.map((m) => m.name);
  const issues: SpecIssue[] = [];
  if (history.models.has(null) && spec.models.length > 1) {
    issues.push({ path: "--history", message: `${source} has no model column and the spec has ${spec.models.length} models`, fix: `add a model column naming one of ${names.join(", ")} on every row` });
  }
  for (const name of history.models.keys()) {
    if (name !== null && !names.includes(name)) issues.push({ path: "--history", message: `${source} names model ${JSON.stringify(name)}, which the spec does not have`, fix: `use the spec's model names (${names.join(", ")}), or leave that model's rows out` });
  }
  const countsOf = (name: string) => history.models.get(name) ?? (spec.models.length === 1 ? history.models.get(null) : undefined);
  if (options.confidence === "cost") {
    for (const m of spec.models) {
      if (countsOf(m.name) !== undefined && m.hostedFallback === undefined) {
        issues.push({ path: "--confidence", message: `is cost, but ${m.name} has no hostedFallback to weigh its GPUs against`, fix: `give ${m.name} a hostedFallback in the spec, or pass a confidence, e.g. --confidence 0.95` });
      }
    }
  }
  if (issues.length > 0) throw new FleetSpecError(issues, source);
  const models = spec.models.map((m) => {
    const counts = countsOf(m.name);
    if (counts === undefined) return m;
    const own = m.demand.series?.forecast ?? { confidence: 0.95, horizonDays: 7 };
    const forecast = options.confidence === undefined ? own : { ...own, confidence: options.confidence };
    return { ...m, demand: { series: { stepMinutes: history.stepMinutes, ...counts, scale: 1, profileHours: 168 as const, quantile: 1, startMinuteOfWeek: history.startMinuteOfWeek, forecast } } };
  });
  return parseFleetSpec({ ...spec, models }, source);
}

/** The models of `spec` the history names (the one model, for a file without a model column). */
export function historyModels(spec: FleetSpec, history: History): string[] {
  return spec.models.filter((m) => history.models.has(m.name) || (spec.models.length === 1 && history.models.has(null))).map((m) => m.name);
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
