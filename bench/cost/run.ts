/**
 * Cost benchmark (figures, not a test): the planner on real public LLM traces, against two single-cloud
 * baselines and the perfect-foresight lower bound, with seeded spot reclaims and a 6-hour outage of each
 * provider in turn; then the same plan under spot behaviour replayed from real availability and
 * preemption traces. bench/cost/README.md explains every modelling choice.
 *
 *   pnpm exec tsx bench/cost/run.ts [--seed N] [--seeds 3] [--step-minutes 5] [--mean-replicas 40] [--no-sensitivity]
 *
 * The main table is seed N; the seeded drill is repeated for seeds N … N+seeds−1, and a target counts
 * as met on a trace only if it is met under every one of them.
 *
 * Data: ../shared/data beside the repository, or $SWITCHYARD_DATA; without it the benchmark prints why
 * and exits 0.
 */
import { existsSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  defaults,
  drillEvents,
  lowerBound,
  parsePerMinuteCsv,
  plan,
  replicasFor,
  resampleSeries,
  simulate,
  singleCloudSpec,
  spotAvailabilityFromTrace,
  traceFromSpec,
} from "../../packages/planner/src";
import { instanceTypesWithGpu } from "@switchyard/catalog";
import type { Provider } from "@switchyard/catalog";
import { burstgptSeries } from "./burstgpt";
import type { DemandSeries, DemandTrace, FleetPlan, FleetSpecInput, LowerBoundResult, SimulationEvents, SimulationResult, SpotTraceFile } from "../../packages/planner/src";

const repoRoot = join(__dirname, "..", "..");
// SWITCHYARD_DATA points elsewhere (e.g. a copy of the data folder, or nowhere to check the skip).
const data = process.env.SWITCHYARD_DATA ?? join(repoRoot, "..", "shared", "data");
const spotData = join(data, "prices", "spot-availability-skypilot");

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

const SEED = arg("seed", 1);
const SEEDS = Array.from({ length: Math.round(arg("seeds", 3)) }, (_, i) => SEED + i);
const STEP = arg("step-minutes", 5);
const MEAN_REPLICAS = arg("mean-replicas", 40);
const SENSITIVITY = !process.argv.includes("--no-sensitivity");
/** `--out-of-sample-only`: skip the in-sample traces (the out-of-sample run alone). */
const OUT_OF_SAMPLE_ONLY = process.argv.includes("--out-of-sample-only");
const DAYS = 7;
const MINUTES = DAYS * 1440;
const HEADROOM = 1.2;
const MODEL = "llama-70b";

// The model every trace is served with: Llama 3.3 70B FP8 on H100 TP2 (examples/fleet.yaml's figures).
const THROUGHPUT = { prefillTokensPerSecond: 8000, decodeTokensPerSecond: 2400 };
// examples/fleet.yaml's hosted fallback for this model (LiteLLM order 4). The headline figures are the
// GPU fleet alone; a separate line shows what the fallback would have served and cost.
const HOSTED_FALLBACK = { name: "together-llama-70b", model: "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", pricePerMillionInputTokens: 0.88, pricePerMillionOutputTokens: 0.88, rttMs: 40 };

function csvRows(path: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(path, "utf8").trim().split(/\r?\n/);
  const cols = head!.split(",");
  return rows.map((r) => Object.fromEntries(r.split(",").map((c, i) => [cols[i]!, c])));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** BurstGPT hour-of-day request-rate shape, peak = 1. */
function diurnalShape(): number[] {
  return csvRows(join(data, "traces", "derived", "burstgpt1_hour_of_day.csv")).map((r) => Number(r.norm_to_peak));
}

/** A one-hour per-minute trace tiled over the week under the diurnal shape. */
function weekFromHour(hour: DemandSeries, shape: number[]): DemandSeries {
  const n = hour.requests.length;
  const at = (xs: number[], m: number) => (xs[m % n] ?? 0) * shape[Math.floor(m / 60) % 24]!;
  return {
    stepMinutes: 1,
    requests: Array.from({ length: MINUTES }, (_, m) => at(hour.requests, m)),
    inputTokens: Array.from({ length: MINUTES }, (_, m) => at(hour.inputTokens, m)),
    outputTokens: Array.from({ length: MINUTES }, (_, m) => at(hour.outputTokens, m)),
  };
}

function scaleTo(series: DemandSeries, meanReplicas: number): { series: DemandSeries; factor: number } {
  const mean = series.requests.reduce((a, _, i) => a + replicasFor(series.inputTokens[i]!, series.outputTokens[i]!, 60, THROUGHPUT), 0) / series.requests.length;
  const factor = meanReplicas / mean;
  const scale = (xs: number[]) => xs.map((x) => x * factor);
  return { series: { stepMinutes: 1, requests: scale(series.requests), inputTokens: scale(series.inputTokens), outputTokens: scale(series.outputTokens) }, factor };
}

/** summary.csv rows of the real spot traces. */
function spotSummary(prefix: string, contains = ""): { behaviour: { availability: number; meanUpHours: number }; files: number } {
  const rows = csvRows(join(spotData, "summary.csv")).filter((r) => r.file!.startsWith(prefix) && r.file!.includes(contains));
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    behaviour: { availability: round(median(rows.map((r) => Number(r.frac_ticks_value_gt0)))), meanUpHours: round(median(rows.map((r) => Number(r.mean_up_run_h)))) },
    files: rows.length,
  };
}

function loadSpotTrace(path: string): SpotTraceFile {
  return JSON.parse(readFileSync(join(spotData, path), "utf8")) as SpotTraceFile;
}

/** Real V100 spot traces standing in for each provider's H100 market (no public H100 trace exists), one zone per provider. */
function replayedSpot(kind: "availability" | "preemption"): { events: NonNullable<SimulationEvents["spotAvailability"]>; source: string } {
  const files =
    kind === "availability"
      ? { dir: "availability/16-node/aws-08-27-2023", aws: "us-east-2b_v100_1.json", coreweave: "us-west-2a_v100_1.json", gcp: "us-west-2c_v100_1.json" }
      : { dir: "preemption/4-node/aws-08-03-2023", aws: "us-east-1f_v100_1.json", coreweave: "us-west-2c_v100_1.json", gcp: "us-east-2a_v100_1.json" };
  const load = (f: string) => spotAvailabilityFromTrace(loadSpotTrace(`${files.dir}/${f}`), STEP, MINUTES, 1);
  return {
    events: { aws: load(files.aws), coreweave: load(files.coreweave), gcp: load(files.gcp) },
    source: `${files.dir} (aws ${files.aws}, coreweave ${files.coreweave}, gcp ${files.gcp}; value / the trace's maximum)`,
  };
}

interface Variant {
  label: string;
  spot?: { availability: number; meanUpHours: number };
  policy?: FleetSpecInput["policy"];
  lambdaMaxNodes?: number | null;
  coreweaveReservedDiscount?: number;
  /** Plan from a forecast of the series (`demand.series.forecast`) instead of each hour of day's busiest step. */
  forecast?: { confidence: number | "cost"; horizonDays: number };
  /** The hosted fallback's rate limit; none (unlimited) by default. */
  hostedRequestsPerMinute?: number;
  /** Multiplies every spot price in the catalog (every provider). */
  spotPriceFactor?: number;
  /** Multiplies on-demand (and so reserved) prices outside AWS: the neoclouds' and GCP's, not the baselines'. */
  nonAwsOnDemandPriceFactor?: number;
  /** Multiplies the hosted API's per-token prices. */
  hostedPriceFactor?: number;
  /** Multiplies node provisioning and vLLM's engine start (the catalog's defaults); weights load as configured. */
  bootFactor?: number;
  /** Fit on the days the plan runs (days 7–55) instead of week 1: hour-of-week foresight. */
  fitOnRunDays?: true;
}

/** `providers[].prices` for one variant: catalog H100 prices scaled as the variant says, the reserved discount set. */
type PriceOverrides = NonNullable<FleetSpecInput["providers"][number]["prices"]>;

function pricesFor(provider: Provider, variant: Variant): PriceOverrides {
  const prices: PriceOverrides = {};
  for (const it of instanceTypesWithGpu("H100", provider)) {
    const price: PriceOverrides[string] = {};
    if (variant.spotPriceFactor !== undefined && it.spotPerNodeHour !== undefined) price.spotPerNodeHour = it.spotPerNodeHour * variant.spotPriceFactor;
    if (variant.nonAwsOnDemandPriceFactor !== undefined && provider !== "aws") price.onDemandPerNodeHour = it.onDemandPerNodeHour * variant.nonAwsOnDemandPriceFactor;
    if (variant.coreweaveReservedDiscount !== undefined && provider === "coreweave" && it.name === "gd-8xh100ib-i128") price.reservedDiscount = variant.coreweaveReservedDiscount;
    if (Object.keys(price).length > 0) prices[it.name] = price;
  }
  return prices;
}

function specFor(name: string, series: DemandSeries, spot: { availability: number; meanUpHours: number }, variant: Variant = { label: "as configured" }): FleetSpecInput {
  const s = variant.spot ?? spot;
  const lambdaMax = variant.lambdaMaxNodes === undefined ? 6 : variant.lambdaMaxNodes;
  const boot = (provider: Provider) => (variant.bootFactor === undefined ? {} : { nodeProvisionMinutes: defaults.NODE_PROVISION_MINUTES[provider] * variant.bootFactor });
  return {
    name,
    gateway: { provider: "aws", region: "us-east-1" },
    weightOrigin: { provider: "aws", region: "us-east-1" },
    policy: { maxSpotShare: 0.6, headroom: HEADROOM, resilience: "provider", outageShare: 1, ...variant.policy },
    providers: [
      {
        provider: "coreweave",
        region: "US-EAST-04",
        capacityTypes: ["reserved", "spot", "on-demand"],
        rttMs: 20,
        spot: s,
        prices: pricesFor("coreweave", variant),
        ...boot("coreweave"),
      },
      { provider: "lambda", region: "us-east-1", capacityTypes: ["on-demand"], ...(lambdaMax === null ? {} : { maxNodes: lambdaMax }), rttMs: 25, prices: pricesFor("lambda", variant), ...boot("lambda") },
      { provider: "aws", region: "us-east-1", capacityTypes: ["spot", "on-demand"], spot: s, prices: pricesFor("aws", variant), ...boot("aws") },
      { provider: "gcp", region: "us-central1", capacityTypes: ["spot", "on-demand"], rttMs: 30, spot: s, prices: pricesFor("gcp", variant), ...boot("gcp") },
    ],
    models: [
      {
        name: MODEL,
        huggingFace: { repo: "meta-llama/Llama-3.3-70B-Instruct", revision: "6f6073b423013f6a7d4d9f39144961bfbfbc386b" },
        parameterCountBillions: 70,
        checkpointDtype: "bf16",
        quantization: "fp8",
        ...(variant.bootFactor === undefined ? {} : { engineStartMinutes: defaults.ENGINE_START_MINUTES * variant.bootFactor }),
        serving: { gpuType: "H100", gpusPerReplica: 2, ...THROUGHPUT, source: "examples/fleet.yaml" },
        latencySlo: { ttftMs: 2000, tpotMs: 40 },
        hostedFallback: {
          ...HOSTED_FALLBACK,
          ...(variant.hostedPriceFactor === undefined
            ? {}
            : { pricePerMillionInputTokens: HOSTED_FALLBACK.pricePerMillionInputTokens * variant.hostedPriceFactor, pricePerMillionOutputTokens: HOSTED_FALLBACK.pricePerMillionOutputTokens * variant.hostedPriceFactor }),
          ...(variant.hostedRequestsPerMinute === undefined ? {} : { requestsPerMinute: variant.hostedRequestsPerMinute }),
        },
        demand: {
          series: {
            stepMinutes: series.stepMinutes,
            requests: series.requests,
            inputTokens: series.inputTokens,
            outputTokens: series.outputTokens,
            ...(variant.forecast === undefined ? { profileHours: 24, quantile: 1 } : { profileHours: 168, forecast: variant.forecast }),
          },
        },
      },
    ],
    simulation: { stepMinutes: STEP, days: DAYS, seed: SEED, scaleDownDelayMinutes: 10, outageHours: 6 },
  };
}

type StepCounts = { requests: number; inputTokens: number; outputTokens: number };

/** The trace with every step of a clock hour carrying the one value `pick` reads from that hour's steps. */
function perClockHour(trace: DemandTrace, pick: (s: DemandTrace["models"][string], from: number, to: number) => StepCounts): DemandTrace {
  const perHour = Math.max(1, Math.round(60 / trace.stepMinutes));
  const models: DemandTrace["models"] = {};
  for (const [name, s] of Object.entries(trace.models)) {
    const out = { requests: [...s.requests], inputTokens: [...s.inputTokens], outputTokens: [...s.outputTokens] };
    for (let from = 0; from < s.requests.length; from += perHour) {
      const to = Math.min(s.requests.length, from + perHour);
      const value = pick(s, from, to);
      for (let t = from; t < to; t++) {
        out.requests[t] = value.requests;
        out.inputTokens[t] = value.inputTokens;
        out.outputTokens[t] = value.outputTokens;
      }
    }
    models[name] = out;
  }
  return { stepMinutes: trace.stepMinutes, models };
}

/**
 * The trace with every step carrying its clock hour's busiest step: the demand a controller has to be
 * ready for when it can only know the hour, not the five minutes, ahead. Its lower bound is a
 * reference for the gap (not a bound on the plan: the plan could, in principle, follow the steps).
 */
function hourPeakTrace(trace: DemandTrace): DemandTrace {
  return perClockHour(trace, (s, from, to) => {
    let peak = from;
    for (let t = from; t < to; t++) {
      if (replicasFor(s.inputTokens[t]!, s.outputTokens[t]!, 60, THROUGHPUT) > replicasFor(s.inputTokens[peak]!, s.outputTokens[peak]!, 60, THROUGHPUT)) peak = t;
    }
    return { requests: s.requests[peak]!, inputTokens: s.inputTokens[peak]!, outputTokens: s.outputTokens[peak]! };
  });
}

/** The trace with each clock hour's demand spread evenly over its steps: the same hourly totals, no bursts within the hour. */
function hourMeanTrace(trace: DemandTrace): DemandTrace {
  const mean = (xs: number[], from: number, to: number) => xs.slice(from, to).reduce((a, b) => a + b, 0) / (to - from);
  return perClockHour(trace, (s, from, to) => ({ requests: mean(s.requests, from, to), inputTokens: mean(s.inputTokens, from, to), outputTokens: mean(s.outputTokens, from, to) }));
}

/**
 * `p` as deployed with each on-demand burst tier's maximum raised to what the trace's busiest step needs (at most its
 * provider's quota): a what-if on the deployed maxima, which `plan` sizes from the fit window's forecast.
 */
function withOnDemandMaximaFor(p: FleetPlan, trace: DemandTrace): FleetPlan {
  const d = trace.models[MODEL]!;
  const peak = Math.max(...d.requests.map((_, i) => replicasFor(d.inputTokens[i]!, d.outputTokens[i]!, STEP * 60, THROUGHPUT)));
  const raised = structuredClone(p);
  for (const pool of raised.models[0]!.pools) {
    for (const tier of pool.tiers) {
      if (tier.fixed || tier.capacityType !== "on-demand") continue;
      tier.maxNodes = Math.max(tier.maxNodes, Math.min(pool.quotaNodes ?? Infinity, Math.ceil((p.policy.headroom * peak) / pool.replicasPerNode)));
      tier.maxReplicas = tier.maxNodes * pool.replicasPerNode;
    }
  }
  return raised;
}

interface Scenario {
  sim: SimulationResult;
  lb: LowerBoundResult;
}

interface RunResult {
  planMs: number;
  p: FleetPlan;
  seeded: Scenario;
  peakSized: number;
  peakNodes: number;
  peakReplicas: number;
  autoscaled: number;
  autoscaledLb: number;
}

/** The GPU fleet alone (no hosted fallback: what it misses counts as unmet) and the lower bound, on one run. */
async function scenario(spec: FleetSpecInput, p: FleetPlan, trace: DemandTrace, events: SimulationEvents): Promise<Scenario> {
  return { sim: simulate(p, trace, events, { useHostedFallback: false }), lb: await lowerBound(spec, trace, events) };
}

/** Plan (timed), simulate with seeded spot + outage drills, lower bound, and both AWS baselines, on one trace. */
async function runOne(spec: FleetSpecInput): Promise<RunResult> {
  const times: number[] = [];
  let p: FleetPlan | undefined;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    p = plan(spec);
    times.push(performance.now() - t0);
  }
  const trace = traceFromSpec(spec, DAYS);
  const seeded = await scenario(spec, p!, trace, drillEvents(p!, MINUTES, STEP, { seed: SEED }));
  const baseSpec = singleCloudSpec(spec, "aws");
  const base = plan(baseSpec);
  const pool = base.models[0]!.pools[0]!;
  const demand = trace.models[MODEL]!;
  const peakReplicas = Math.max(...demand.requests.map((_, i) => replicasFor(demand.inputTokens[i]!, demand.outputTokens[i]!, STEP * 60, THROUGHPUT)));
  const peakNodes = Math.ceil((HEADROOM * peakReplicas) / pool.replicasPerNode - 1e-9);
  const peakSized = peakNodes * pool.pricePerNodeHour.onDemand! * DAYS * 24;
  const autoscaled = simulate(base, trace, {}, { useHostedFallback: false }).cost.compute;
  const autoscaledLb = (await lowerBound(baseSpec, trace, {})).cost;
  return { planMs: median(times), p: p!, seeded, peakSized, peakNodes, peakReplicas, autoscaled, autoscaledLb };
}

/** Days of the out-of-sample run: fit on BurstGPT days 0–6, run on days 7–55 (weeks 2–8). */
const FIT_DAYS = 7;
const RUN_DAYS = 49;

function sliceSeries(s: DemandSeries, fromMinute: number, toMinute: number, factor = 1): DemandSeries {
  const cut = (xs: number[]) => xs.slice(fromMinute, toMinute).map((x) => x * factor);
  return { stepMinutes: s.stepMinutes, requests: cut(s.requests), inputTokens: cut(s.inputTokens), outputTokens: cut(s.outputTokens) };
}

function traceOf(series: DemandSeries): DemandTrace {
  const s = resampleSeries(series, STEP);
  return { stepMinutes: STEP, models: { [MODEL]: { requests: s.requests, inputTokens: s.inputTokens, outputTokens: s.outputTokens } } };
}

/** Requests a fixed fleet of `replicas` cannot serve on `trace` (in proportion to the replicas short, per step). */
function fixedFleetUnmet(trace: DemandTrace, replicas: number): number {
  const d = trace.models[MODEL]!;
  return d.requests.reduce((a, r, i) => {
    const need = replicasFor(d.inputTokens[i]!, d.outputTokens[i]!, STEP * 60, THROUGHPUT);
    return need > replicas ? a + (r * (need - replicas)) / need : a;
  }, 0);
}

/** The out-of-sample configuration the targets are scored on: GPUs sized by cost against the hosted API, which also covers outages. */
const HEADLINE: Variant = { label: "forecast by cost, outageCover hosted", forecast: { confidence: "cost", horizonDays: 7 }, policy: { outageCover: "hosted" } };

interface OutOfSampleRow {
  label: string;
  seed: number;
  gpu: number;
  hosted: number;
  egress: number;
  /** GPU-only bound under the row's policy (runs that keep it at every step). */
  lb: number;
  /** GPU + hosted bound: the hosted API may serve any step within its limit (`hostedSpikes`), as the run's does. */
  lbTotal: number;
  lbHosted: number;
  droppedWithHosted: number;
  unmetGpuOnly: number;
  worstOutage: number;
  violations: number;
}

/**
 * Out of sample: BurstGPT's real week 1 and the 49 days after it (bench/cost/burstgpt.ts's construction), scaled as
 * the in-sample trace is (week 1's mean at MEAN_REPLICAS). Every plan and baseline is fitted on days 0–6 and run on
 * days 7–55; the hosted fallback serves what the GPUs do not, within its rate limit. A weekly re-fit row plans each
 * week from all the days before it (the forecast's trend and recalibration as history grows).
 */
async function outOfSample(spot: { availability: number; meanUpHours: number }): Promise<void> {
  const all = burstgptSeries(data, FIT_DAYS + RUN_DAYS);
  const { series: fit, factor } = scaleTo(sliceSeries(all, 0, FIT_DAYS * 1440), MEAN_REPLICAS);
  const trace = traceOf(sliceSeries(all, FIT_DAYS * 1440, (FIT_DAYS + RUN_DAYS) * 1440, factor));
  const minutes = RUN_DAYS * 1440;
  const d = trace.models[MODEL]!;
  const demandMean = d.requests.reduce((a, _, i) => a + replicasFor(d.inputTokens[i]!, d.outputTokens[i]!, STEP * 60, THROUGHPUT), 0) / d.requests.length;
  console.log(`\nout of sample — BurstGPT: fitted on days 0–6 (real per-minute week 1), run on days 7–55 (week 1's minute shape × each real day's total ÷ the same weekday's in week 1)`);
  console.log(`  demand: week 1 mean ${MEAN_REPLICAS} replicas (×${factor.toPrecision(3)}); days 7–55 mean ${demandMean.toFixed(1)} replicas, busiest ${STEP}-minute step ${Math.max(...d.requests.map((_, i) => replicasFor(d.inputTokens[i]!, d.outputTokens[i]!, STEP * 60, THROUGHPUT))).toFixed(0)}`);

  // Baselines fitted on the fit window: AWS on-demand sized for its busiest step, and autoscaled by the same controller.
  const fitSpec = specFor("burstgpt_oos", fit, spot);
  const baseSpec = singleCloudSpec(fitSpec, "aws");
  const base = plan(baseSpec);
  const pool = base.models[0]!.pools[0]!;
  const fitTrace = traceOf(fit);
  const f = fitTrace.models[MODEL]!;
  const fitPeak = Math.max(...f.requests.map((_, i) => replicasFor(f.inputTokens[i]!, f.outputTokens[i]!, STEP * 60, THROUGHPUT)));
  const peakNodes = Math.ceil((HEADROOM * fitPeak) / pool.replicasPerNode - 1e-9);
  const peakSized = peakNodes * pool.pricePerNodeHour.onDemand! * RUN_DAYS * 24;
  const autoscaledSim = simulate(base, trace, {}, { useHostedFallback: false });
  const autoscaled = autoscaledSim.cost.compute;
  // The same baseline serving what it drops on the hosted fallback: the same demand served as the plan's rows are.
  const autoscaledHosted = simulate(base, trace, {}).cost.total;
  console.log(
    `  baselines (fitted on days 0–6, run on days 7–55): AWS peak-sized ${usd(peakSized)} (${peakNodes} nodes for the fit window's busiest step × ${HEADROOM}), ` +
      `drops ${Math.round(fixedFleetUnmet(trace, peakNodes * pool.replicasPerNode)).toLocaleString("en-US")} requests; ` +
      `AWS autoscaled ${usd(autoscaled)}, drops ${Math.round(autoscaledSim.unmet.requests).toLocaleString("en-US")} requests (${autoscaledSim.unmet.requestPercent.toFixed(2)}%); ` +
      `AWS autoscaled with the hosted fallback taking what it drops ${usd(autoscaledHosted)}, drops 0`,
  );

  const rows: OutOfSampleRow[] = [];
  const score = async (label: string, spec: FleetSpecInput, p: FleetPlan, seed: number) => {
    const events = drillEvents(p, minutes, STEP, { seed });
    const withHosted = simulate(p, trace, events);
    const gpuOnly = simulate(p, trace, events, { useHostedFallback: false });
    // The relaxation alone: the exact search takes minutes on 49 days of this demand (a looser bound, so a larger gap).
    const lb = await lowerBound(spec, trace, events, { exact: false });
    const lbTotal = await lowerBound(spec, trace, events, { hostedSpikes: true });
    rows.push({
      label,
      seed,
      gpu: withHosted.cost.compute,
      hosted: withHosted.cost.hostedFallback,
      egress: ((p.cost.weightEgress + p.cost.gatewayEgress) * RUN_DAYS * 24) / p.hoursPerMonth,
      lb: lb.cost,
      lbTotal: lbTotal.cost,
      lbHosted: lbTotal.hosted,
      droppedWithHosted: withHosted.unmet.requests,
      unmetGpuOnly: gpuOnly.unmetOutsideOutages.requests,
      worstOutage: Math.min(...withHosted.outages.map((o) => o.servedPercent)),
      violations: withHosted.policyViolationSteps,
    });
  };
  const variants: Variant[] = [
    { label: "forecast (confidence 0.95)", forecast: { confidence: 0.95, horizonDays: 7 } },
    { label: "forecast (confidence 0.8)", forecast: { confidence: 0.8, horizonDays: 7 } },
    { label: "busiest step per hour of day", hostedRequestsPerMinute: undefined },
    { label: "forecast 0.95, hosted ≤ 3,000 rpm", forecast: { confidence: 0.95, horizonDays: 7 }, hostedRequestsPerMinute: 3000 },
    { label: "forecast 0.95, outageCover hosted", forecast: { confidence: 0.95, horizonDays: 7 }, policy: { outageCover: "hosted" } },
    { label: "forecast 0.5, outageCover hosted", forecast: { confidence: 0.5, horizonDays: 7 }, policy: { outageCover: "hosted" } },
    { label: "forecast by cost, outageCover spare", forecast: { confidence: "cost", horizonDays: 7 } },
    HEADLINE,
    { label: "forecast by cost, outageCover both, hosted ≤ 3,000 rpm", forecast: { confidence: "cost", horizonDays: 7 }, policy: { outageCover: "both" }, hostedRequestsPerMinute: 3000 },
  ];
  for (const v of variants) {
    const spec = specFor("burstgpt_oos", fit, spot, v);
    const p = plan(spec);
    for (const seed of SEEDS) await score(v.label, spec, p, seed);
  }
  const head = ["plan (fitted on days 0–6)", "seed", "GPUs", "hosted", "egress", "total", "vs peak-sized", "vs autoscaled", "vs autoscaled + hosted", "gap to GPU-only LB", "LB with hosted (of it hosted)", "gap to it", "dropped (hosted within its limit)", "GPU-only unmet outside outages", "worst outage served by GPUs"];
  console.log(
    table(
      head,
      rows.map((r) => {
        const total = r.gpu + r.hosted + r.egress;
        return [
          r.label,
          String(r.seed),
          usd(r.gpu),
          usd(r.hosted),
          usd(r.egress),
          usd(total),
          pct(savings(peakSized, total)),
          pct(savings(autoscaled, total)),
          pct(savings(autoscaledHosted, total)),
          pct(gap(total, r.lb)),
          `${usd(r.lbTotal)} (${usd(r.lbHosted)})`,
          pct(gap(total, r.lbTotal)),
          `${Math.round(r.droppedWithHosted).toLocaleString("en-US")} req`,
          `${Math.round(r.unmetGpuOnly).toLocaleString("en-US")} req`,
          `${r.worstOutage.toFixed(2)}%`,
        ];
      }),
    ),
  );
  const worst = (label: string) => {
    const rs = rows.filter((r) => r.label === label);
    const totals = rs.map((r) => r.gpu + r.hosted + r.egress);
    return {
      vsPeak: Math.min(...totals.map((t) => savings(peakSized, t))),
      vsAuto: Math.min(...totals.map((t) => savings(autoscaled, t))),
      gap: Math.max(...rs.map((r, i) => gap(totals[i]!, r.lb))),
      gapTotal: Math.max(...rs.map((r, i) => gap(totals[i]!, r.lbTotal))),
      dropped: Math.max(...rs.map((r) => r.droppedWithHosted)),
      outage: Math.min(...rs.map((r) => r.worstOutage)),
    };
  };
  const bounds = (label: string) => Math.max(...rows.filter((r) => r.label === label).map((r) => r.lb));
  const totalBounds = (label: string) => Math.max(...rows.filter((r) => r.label === label).map((r) => r.lbTotal));
  for (const v of [variants[0]!, HEADLINE]) {
    const bound = bounds(v.label);
    const total = totalBounds(v.label);
    console.log(
      `\n  what the targets allow, ${v.label}: the GPU-only bound under its policy (perfect foresight, HiGHS LP, ${v.policy?.outageCover === "hosted" ? "no hot spare: the hosted API covers outages" : "the policy's hot spare"}, worst seed) ${usd(bound)} is itself ` +
        `${pct(savings(peakSized, bound))} vs peak-sized, ${pct(savings(autoscaled, bound))} vs autoscaled, ${pct(savings(autoscaledHosted, bound))} vs autoscaled + hosted — ` +
        `the baselines are cheaper only by dropping ${autoscaledSim.unmet.requestPercent.toFixed(0)}% of requests. ` +
        `With the hosted tier serving spikes within its limit too (hostedSpikes), the bound is ${usd(total)}: ${pct(savings(peakSized, total))} vs peak-sized, ${pct(savings(autoscaled, total))} vs autoscaled.`,
    );
  }
  const headlinePlan = plan(specFor("burstgpt_oos", fit, spot, HEADLINE));
  const basis = headlinePlan.models[0]!.profile.forecast?.costBasis;
  if (basis !== null && basis !== undefined) {
    console.log(
      `\n  ${HEADLINE.label}: confidence ${headlinePlan.models[0]!.profile.forecast!.confidence.toFixed(3)} = 1 − GPU ${usd2(basis.gpuPerReplicaHour)} ÷ hosted ${usd2(basis.hostedPerReplicaHour)} per replica-hour ` +
        `(the cheapest burst replica against the hosted price of the tokens it serves at week 1's mix); the plan prices ${usd(headlinePlan.cost.hosted)}/month of hosted outage cover`,
    );
  }
  for (const v of [HEADLINE, variants[0]!]) {
    const w = worst(v.label);
    console.log(`\n  out-of-sample targets, ${v.label}, worst of seeds ${SEEDS.join(", ")}:`);
    console.log(`    total ≥ 70% below AWS peak-sized     ${w.vsPeak >= 70 ? "met" : "missed"} (${pct(w.vsPeak)})`);
    console.log(`    total ≥ 45% below AWS autoscaled     ${w.vsAuto >= 45 ? "met" : "missed"} (${pct(w.vsAuto)})`);
    console.log(
      `    within 5% of the lower bound         ${w.gapTotal <= 5 ? "met" : "missed"} (${pct(w.gapTotal)} over the GPU + hosted LP bound with the same policy and rate limit; ${pct(w.gap)} over the GPU-only one)`,
    );
    console.log(`    0 requests dropped                   ${w.dropped === 0 ? "met" : "missed"} (${Math.round(w.dropped).toLocaleString("en-US")})`);
    console.log(`    every outage absorbed                ${w.dropped === 0 ? "met" : "missed"} (worst ${w.outage.toFixed(2)}% served by GPUs; the rest by the hosted tier within its limit)`);
  }

  // Which physical input limits the cost targets: the perfect-foresight bound (GPU + hosted, the headline's policy)
  // with one input changed at a time, beside the headline plan run on the same days. Baselines stay at AWS list prices.
  if (SENSITIVITY) {
    console.log(`\n  what moves the bound — ${HEADLINE.label}, seed ${SEED}, one input changed per row; baselines at AWS's list prices (targets: ≥ 70% vs peak-sized, ≥ 45% vs autoscaled):`);
    const changes: Variant[] = [
      { ...HEADLINE, label: "as configured" },
      { ...HEADLINE, label: "spot obtainable 100% of the time", spot: { availability: 1, meanUpHours: spot.meanUpHours } },
      { ...HEADLINE, label: "spot at half price", spotPriceFactor: 0.5 },
      { ...HEADLINE, label: "on-demand outside AWS at half price", nonAwsOnDemandPriceFactor: 0.5 },
      { ...HEADLINE, label: "CoreWeave reserved at 60% off", coreweaveReservedDiscount: 0.6 },
      { ...HEADLINE, label: "Lambda without a node quota", lambdaMaxNodes: null },
      { ...HEADLINE, label: "hosted API at half price", hostedPriceFactor: 0.5 },
      { ...HEADLINE, label: "hosted API at twice the price", hostedPriceFactor: 2 },
      { ...HEADLINE, label: "nodes ready at once (weights still load)", bootFactor: 0 },
      { ...HEADLINE, label: "nodes twice as slow to provision and start", bootFactor: 2 },
      { ...HEADLINE, label: "plan fitted on the days it runs", fitOnRunDays: true },
    ];
    const runDays = sliceSeries(all, FIT_DAYS * 1440, (FIT_DAYS + RUN_DAYS) * 1440, factor);
    const lines: string[][] = [];
    // Every row drills the same outages (the as-configured plan's: which providers it uses, its peak hour), so a
    // row differs from the first only in its one input; its own spot series is drawn from its own availability.
    let outages: SimulationEvents["outages"] | undefined;
    for (const v of changes) {
      const spec = specFor("burstgpt_oos", v.fitOnRunDays === true ? runDays : fit, spot, v);
      const p = plan(spec);
      const drilled = drillEvents(p, minutes, STEP, { seed: SEED });
      outages ??= drilled.outages;
      const events: SimulationEvents = { ...drilled, outages };
      const run = simulate(p, trace, events);
      const runTotal = run.cost.total + ((p.cost.weightEgress + p.cost.gatewayEgress) * RUN_DAYS * 24) / p.hoursPerMonth;
      const bound = await lowerBound(spec, trace, events, { hostedSpikes: true });
      // The same bound held at the plan's reserved and fixed nodes: what is left once those week-1 commitments stand.
      const committed = await lowerBound(spec, trace, events, { hostedSpikes: true, reservedAsIn: p });
      lines.push([
        v.label,
        `${usd(bound.cost)} (${usd(bound.hosted)})`,
        pct(savings(peakSized, bound.cost)),
        pct(savings(autoscaled, bound.cost)),
        usd(runTotal),
        pct(savings(peakSized, runTotal)),
        pct(savings(autoscaled, runTotal)),
        pct(gap(runTotal, bound.cost)),
        `${usd(committed.cost)} (${pct(gap(runTotal, committed.cost))})`,
      ]);
    }
    console.log(table(["one input changed", "GPU + hosted bound (of it hosted)", "bound vs peak-sized", "bound vs autoscaled", "plan run", "plan vs peak-sized", "plan vs autoscaled", "plan's gap to it", "bound at the plan's fixed nodes (plan's gap to it)"], lines));

    // What separates the headline plan from its bound: the run's limits lifted one after another (each row keeps the
    // ones above it), each row against its own bound on the same demand and outages.
    console.log(`\n  what separates the plan from the bound — ${HEADLINE.label}, seed ${SEED}, the run's limits lifted one after another (each row keeps the rows above):`);
    const instant: Variant = { ...HEADLINE, bootFactor: 0 };
    const lifts: { label: string; variant: Variant; maxima: boolean; hourMean: boolean }[] = [
      { label: "as configured", variant: HEADLINE, maxima: false, hourMean: false },
      { label: "on-demand maxima for the run's busiest step", variant: HEADLINE, maxima: true, hourMean: false },
      { label: "nodes ready at once (weights still load)", variant: instant, maxima: true, hourMean: false },
      { label: "each hour's demand spread evenly over it", variant: instant, maxima: true, hourMean: true },
      { label: "no headroom (policy.headroom 1)", variant: { ...instant, policy: { ...HEADLINE.policy, headroom: 1 } }, maxima: true, hourMean: true },
    ];
    const evenHours = hourMeanTrace(trace);
    const liftLines: string[][] = [];
    for (const lift of lifts) {
      const spec = specFor("burstgpt_oos", fit, spot, lift.variant);
      const p = plan(spec);
      const demand = lift.hourMean ? evenHours : trace;
      const drilled = drillEvents(p, minutes, STEP, { seed: SEED });
      const events: SimulationEvents = { ...drilled, outages: outages ?? drilled.outages };
      const run = simulate(lift.maxima ? withOnDemandMaximaFor(p, demand) : p, demand, events);
      const runTotal = run.cost.total + ((p.cost.weightEgress + p.cost.gatewayEgress) * RUN_DAYS * 24) / p.hoursPerMonth;
      const bound = await lowerBound(spec, demand, events, { hostedSpikes: true });
      liftLines.push([lift.label, `${usd(bound.cost)} (${usd(bound.hosted)})`, usd(run.cost.compute), usd(run.cost.hostedFallback), usd(runTotal), pct(gap(runTotal, bound.cost)), run.nodeStarts.toLocaleString("en-US")]);
    }
    console.log(table(["limit lifted", "GPU + hosted bound (of it hosted)", "plan run: GPUs", "hosted", "total", "gap to its bound", "node starts"], liftLines));
  }

  // Re-fit weekly: week k of the run is planned from every day before it, as a team re-planning each week would.
  for (const v of [variants[0]!, HEADLINE]) {
    let refit = { gpu: 0, hosted: 0, egress: 0, dropped: 0 };
    const weeks: string[] = [];
    for (let week = 0; week < RUN_DAYS / 7; week++) {
      const from = (FIT_DAYS + 7 * week) * 1440;
      const history = sliceSeries(all, 0, from, factor);
      const spec = specFor("burstgpt_refit", history, spot, v);
      const p = plan(spec);
      const weekTrace = traceOf(sliceSeries(all, from, from + 7 * 1440, factor));
      const sim = simulate(p, weekTrace, drillEvents(p, 7 * 1440, STEP, { seed: SEED }));
      const f = p.models[0]!.profile.forecast!;
      const w = weekTrace.models[MODEL]!;
      const meanDemand = w.requests.reduce((a, _, i) => a + replicasFor(w.inputTokens[i]!, w.outputTokens[i]!, STEP * 60, THROUGHPUT), 0) / w.requests.length;
      const plannedMean = p.models[0]!.profile.demandReplicas.reduce((a, x) => a + x, 0) / p.models[0]!.profile.hours;
      weeks.push(
        `    week ${week + 2}: ${f.historyDays} days of history, confidence ${f.confidence.toFixed(3)}, trend ${pct(f.trendPerWeek * 100)}/week, calibration ×${f.calibration}; ` +
          `planned mean ${plannedMean.toFixed(0)} replicas against ${meanDemand.toFixed(0)} served; GPUs ${usd(sim.cost.compute)}, hosted ${usd(sim.cost.hostedFallback)}`,
      );
      refit = { gpu: refit.gpu + sim.cost.compute, hosted: refit.hosted + sim.cost.hostedFallback, egress: refit.egress + ((p.cost.weightEgress + p.cost.gatewayEgress) * 7 * 24) / p.hoursPerMonth, dropped: refit.dropped + sim.unmet.requests };
    }
    const refitTotal = refit.gpu + refit.hosted + refit.egress;
    const lbSeed = rows.find((r) => r.label === v.label && r.seed === SEED)!.lb;
    console.log(
      `\n  re-fit weekly, ${v.label} (each week planned from every day before it; seed ${SEED}; outages on each week's days 1–4): GPUs ${usd(refit.gpu)} + hosted ${usd(refit.hosted)} + egress ${usd(refit.egress)} = ${usd(refitTotal)}; ` +
        `vs peak-sized ${pct(savings(peakSized, refitTotal))}, vs autoscaled ${pct(savings(autoscaled, refitTotal))}, vs autoscaled + hosted ${pct(savings(autoscaledHosted, refitTotal))}, gap to the 49-day bound ${pct(gap(refitTotal, lbSeed))}, dropped ${Math.round(refit.dropped).toLocaleString("en-US")} requests`,
    );
    console.log(weeks.join("\n"));
  }
}

function priceCheck(): string[] {
  const lines: string[] = [];
  const cw = csvRows(join(data, "prices", "coreweave-pricing-tracker", "coreweave_gpu_prices_history.csv")).filter((r) => r.model === "NVIDIA HGX H100" && r.region === "North America");
  const spot = cw.map((r) => Number(r.spot_usd_per_node_hr)).filter((x) => x > 0);
  const od = cw.map((r) => Number(r.on_demand_usd_per_node_hr)).filter((x) => x > 0);
  lines.push(`CoreWeave HGX H100 (NA), ${cw.length} snapshots ${cw[0]?.scrape_date}..${cw.at(-1)?.scrape_date}: on-demand $${Math.min(...od)}–$${Math.max(...od)}/node-h, spot $${Math.min(...spot)}–$${Math.max(...spot)} (catalog: 49.24 / 19.71)`);
  const aws = csvRows(join(data, "prices", "aws-p5-ondemand-history", "gpu_prices.csv")).filter((r) => r.price_usd !== "");
  lines.push(`AWS p5.48xlarge on-demand, ${aws[0]?.timestamp?.slice(0, 10)}..${aws.at(-1)?.timestamp?.slice(0, 10)}: $${aws[0]?.price_usd} → $${aws.at(-1)?.price_usd}/node-h (catalog: 55.04)`);
  const pi = csvRows(join(data, "prices", "gpu-marketplace-primeintellect", "marketplace_by_provider.csv")).filter((r) => r.gpu_type === "H100_80GB" && r.socket === "SXM5");
  const med = pi.map((r) => Number(r.market_median)).sort((a, b) => a - b);
  const lambda = pi.filter((r) => r.provider === "lambdalabs").map((r) => Number(r.min_usd_per_gpu_hr));
  lines.push(`H100 SXM marketplace median (Prime Intellect, Oct–Nov 2025): $${med[0]}–$${med.at(-1)}/GPU-h; lambdalabs listed $${Math.min(...lambda)}–$${Math.max(...lambda)} (catalog Lambda 8×: $3.99/GPU-h, 2026)`);
  return lines;
}

const pct = (x: number) => `${x >= 0 ? "" : "−"}${Math.abs(x).toFixed(1)}%`;
const usd = (x: number) => `$${Math.round(x).toLocaleString("en-US")}`;
const usd2 = (x: number) => `$${x.toFixed(2)}`;
const savings = (base: number, cost: number) => ((base - cost) / base) * 100;
const gap = (cost: number, lb: number) => ((cost - lb) / lb) * 100;
const outageText = (sim: SimulationResult) => sim.outages.map((o) => `${o.provider} ${Math.round(o.droppedRequests).toLocaleString("en-US")} (${o.servedPercent.toFixed(2)}%)`).join(", ");

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

async function main(): Promise<void> {
  if (!existsSync(join(data, "traces")) || !existsSync(join(data, "prices"))) {
    console.log(`bench/cost: skipped — no trace data at ${data} (expected ../shared/data/traces and ../shared/data/prices beside the repository)`);
    return;
  }
  const started = performance.now();
  const shape = diurnalShape();
  const seededFrom = spotSummary("availability/1-node/aws-02-15-2023/");
  const spot = seededFrom.behaviour;
  const preemption = spotSummary("preemption/", "_v100_");
  const traces: { name: string; note: string; series: DemandSeries }[] = [
    ["azure2023_code", "Azure 2023 code, its 1 h per-minute trace tiled over 7 days × BurstGPT hour-of-day shape"],
    ["azure2023_conv", "Azure 2023 conversation, 1 h per-minute tiled × BurstGPT shape"],
    ["mooncake_conversation", "Mooncake (Kimi) conversation, 1 h per-minute tiled × BurstGPT shape"],
  ].map(([name, note]) => ({ name: name!, note: note!, series: weekFromHour(parsePerMinuteCsv(readFileSync(join(data, "traces", "derived", `${name}_per_minute.csv`), "utf8"), name), shape) }));
  traces.push({ name: "burstgpt1_week1", note: "BurstGPT week 1, real per-minute tokens (7 days); 84.5/15.5 prompt/completion split", series: burstgptSeries(data, 7) });

  const cpu = cpus();
  console.log(`bench/cost — seed ${SEED}, ${STEP}-minute steps, ${DAYS} days, mean demand scaled to ${MEAN_REPLICAS} replicas (${2 * MEAN_REPLICAS} H100s) of Llama-3.3-70B FP8 TP2`);
  console.log(`machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, Node ${process.version}`);
  console.log("fleet: CoreWeave (reserved/spot/on-demand), Lambda (on-demand, ≤ 6 nodes), AWS and GCP (spot/on-demand); headroom 1.2, spot ≤ 60%, survive any one provider");
  console.log(`spot (seeded): availability ${spot.availability}, mean up-run ${spot.meanUpHours} h per provider — medians of the ${seededFrom.files} AWS V100 availability traces (aws-02-15-2023) in spot-availability-skypilot/summary.csv`);
  console.log(`  (the ${preemption.files} V100 preemption traces there: median availability ${preemption.behaviour.availability}, median mean up-run ${preemption.behaviour.meanUpHours} h; replayed below)`);
  console.log("baselines: AWS p5.48xlarge on-demand (the cheaper hyperscaler), same headroom — sized for the 5-minute peak 24/7, and autoscaled by the same controller (no spot, no resilience, no outages)");
  console.log("lower bound: exact whole-node optimum with perfect foresight, each burst node paid from order to ready (HiGHS LP relaxation shown beside it)");
  for (const line of priceCheck()) console.log(`price check: ${line}`);
  console.log("");

  if (OUT_OF_SAMPLE_ONLY) {
    await outOfSample(spot);
    console.log(`\nbench wall time ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return;
  }
  const availability = replayedSpot("availability");
  const preempt = replayedSpot("preemption");
  const rows: string[][] = [];
  const details: string[] = [];
  const verdicts: {
    name: string;
    vsPeak: number;
    vsAuto: number;
    gap: number;
    unmet: number;
    worstOutage: number;
    /** Savings the lower bound itself reaches (perfect foresight; best seed), and the bound that knows only each hour's peak. */
    bound: { vsPeak: number; vsAuto: number; hourVsPeak: number; hourVsAuto: number };
    fallback: { requests: number; usd: number };
  }[] = [];
  const seedRows: string[][] = [];
  let sensitivitySeries: DemandSeries | undefined;
  for (const t of traces) {
    const { series, factor } = scaleTo(t.series, MEAN_REPLICAS);
    const spec = specFor(t.name, series, spot);
    const r = await runOne(spec);
    const { sim, lb } = r.seeded;
    const trace = traceFromSpec(spec, DAYS);
    const drills = drillEvents(r.p, MINUTES, STEP, { seed: SEED });
    const hourly = await lowerBound(spec, hourPeakTrace(trace), drills);
    const replayA = await scenario(spec, r.p, trace, { outages: drills.outages, spotAvailability: availability.events });
    const replayP = await scenario(spec, r.p, trace, { outages: drills.outages, spotAvailability: preempt.events });
    if (t.name === "mooncake_conversation") sensitivitySeries = series;
    const cost = sim.cost.compute;
    rows.push([
      t.name,
      `×${factor.toPrecision(3)}`,
      r.planMs.toFixed(0),
      pct(savings(r.peakSized, cost)),
      pct(savings(r.autoscaled, cost)),
      pct(gap(cost, lb.cost)),
      `${sim.unmetOutsideOutages.gpuHours.toFixed(2)} GPU-h, ${Math.round(sim.unmetOutsideOutages.requests)} req`,
      outageText(sim),
    ]);
    // The same drill under the other seeds: a target is met on this trace only if every seed meets it.
    const perSeed = [r.seeded];
    for (const seed of SEEDS.slice(1)) perSeed.push(await scenario(spec, r.p, trace, drillEvents(r.p, MINUTES, STEP, { seed })));
    const worst = (f: (sc: Scenario) => number, pick: (...xs: number[]) => number) => pick(...perSeed.map(f));
    verdicts.push({
      name: t.name,
      vsPeak: worst((sc) => savings(r.peakSized, sc.sim.cost.compute), Math.min),
      vsAuto: worst((sc) => savings(r.autoscaled, sc.sim.cost.compute), Math.min),
      gap: worst((sc) => gap(sc.sim.cost.compute, sc.lb.cost), Math.max),
      unmet: worst((sc) => sc.sim.unmetOutsideOutages.requests, Math.max),
      worstOutage: worst((sc) => Math.min(...sc.sim.outages.map((o) => o.servedPercent)), Math.min),
      bound: {
        vsPeak: worst((sc) => savings(r.peakSized, sc.lb.cost), Math.max),
        vsAuto: worst((sc) => savings(r.autoscaled, sc.lb.cost), Math.max),
        hourVsPeak: savings(r.peakSized, hourly.cost),
        hourVsAuto: savings(r.autoscaled, hourly.cost),
      },
      fallback: {
        requests: worst((sc) => sc.sim.unmet.requests, Math.max),
        usd: Math.max(...SEEDS.map((seed) => simulate(r.p, trace, drillEvents(r.p, MINUTES, STEP, { seed })).cost.hostedFallback)),
      },
    });
    perSeed.forEach((sc, i) =>
      seedRows.push([
        t.name,
        String(SEEDS[i]),
        pct(savings(r.peakSized, sc.sim.cost.compute)),
        pct(savings(r.autoscaled, sc.sim.cost.compute)),
        pct(gap(sc.sim.cost.compute, sc.lb.cost)),
        `${sc.sim.unmetOutsideOutages.gpuHours.toFixed(2)} GPU-h, ${Math.round(sc.sim.unmetOutsideOutages.requests)} req`,
        outageText(sc.sim),
      ]),
    );
    const pool = (x: FleetPlan["models"][number]["pools"][number]) => `${x.provider} R${x.reservedNodes}/spot≤${x.spotNodes.max}/od≤${x.onDemandNodes.max}`;
    details.push(
      [
        `${t.name}: ${t.note}; peak/mean ${(r.peakReplicas / MEAN_REPLICAS).toFixed(2)} at ${STEP}-min steps`,
        `  week: plan ${usd(cost)} (its own profile estimate ${usd((r.p.cost.compute.total * DAYS * 24) / r.p.hoursPerMonth)}); lower bound ${usd(lb.cost)} (${lb.method}; LP relaxation ${usd(lb.relaxation)}); ` +
          `the same bound with each hour's peak known but not its 5-minute steps ${usd(hourly.cost)} (plan ${pct(gap(cost, hourly.cost))} above it)`,
        `  baselines: AWS autoscaled ${usd(r.autoscaled)} (${pct(gap(r.autoscaled, r.autoscaledLb))} above its own lower bound ${usd(r.autoscaledLb)}), AWS peak-sized ${usd(r.peakSized)} (${r.peakNodes} nodes)`,
        `  plan: ${r.p.models[0]!.pools.filter((x) => x.autoscaler.maxNodes > 0).map(pool).join(", ")}; spot reclaims ${sim.spotReclaims}, node starts ${sim.nodeStarts}, ` +
          `policy-violation steps ${sim.policyViolationSteps} (spot over its cap with every provider up ${sim.spotOverCapSteps}), unmet in all ${sim.unmet.gpuHours.toFixed(2)} GPU-h (${Math.round(sim.unmet.requests).toLocaleString("en-US")} requests)`,
        ...[
          ["replayed availability traces", replayA],
          ["replayed preemption traces", replayP],
        ].map(([label, s]) => {
          const sc = s as Scenario;
          return (
            `  ${label as string}: plan ${usd(sc.sim.cost.compute)}, gap ${pct(gap(sc.sim.cost.compute, sc.lb.cost))}, vs autoscaled ${pct(savings(r.autoscaled, sc.sim.cost.compute))}, ` +
            `unmet outside outages ${sc.sim.unmetOutsideOutages.gpuHours.toFixed(2)} GPU-h (${Math.round(sc.sim.unmetOutsideOutages.requests)} req), outages dropped ${outageText(sc.sim)}`
          );
        }),
      ].join("\n"),
    );
  }
  console.log("seeded spot reclaims + a 6-hour outage of each provider in turn (one per day, centred on the daily peak):");
  console.log(
    table(["trace", "scale", "plan ms", "vs peak-sized", "vs autoscaled", "gap to LB", "unmet outside outages", "outage drills: requests dropped (served %)"], rows),
  );
  console.log("");
  for (const d of details) console.log(d);
  console.log(`\nreplay sources — availability: ${availability.source}; preemption: ${preempt.source}`);
  console.log(`\nthe seeded drill under seeds ${SEEDS.join(", ")} (same plans):`);
  console.log(table(["trace", "seed", "vs peak-sized", "vs autoscaled", "gap to LB", "unmet outside outages", "outage drills: requests dropped (served %)"], seedRows));

  const met = (label: string, ok: (v: (typeof verdicts)[number]) => boolean, show: (v: (typeof verdicts)[number]) => string) => {
    const good = verdicts.filter(ok);
    console.log(`  ${label.padEnd(44)} ${good.length}/${verdicts.length} traces  (${verdicts.map((v) => `${v.name} ${show(v)}`).join(", ")})`);
  };
  console.log(`\ntargets (met on a trace only if met under every seed; worst seed shown):`);
  met("savings ≥ 70% vs peak-sized", (v) => v.vsPeak >= 70, (v) => pct(v.vsPeak));
  met("savings ≥ 45% vs autoscaled", (v) => v.vsAuto >= 45, (v) => pct(v.vsAuto));
  met("gap to lower bound ≤ 5%", (v) => v.gap <= 5, (v) => pct(v.gap));
  met("zero unmet demand outside outages", (v) => v.unmet === 0, (v) => `${Math.round(v.unmet)} req`);
  met("every single-provider outage fully absorbed", (v) => v.worstOutage >= 100, (v) => `worst ${v.worstOutage.toFixed(2)}%`);
  console.log("\nwhat the cost targets allow: savings at the lower bound itself (perfect foresight, best seed) | with each hour's peak known but not its 5-minute steps (seed 1):");
  for (const v of verdicts) {
    console.log(
      `  ${v.name.padEnd(22)} vs peak-sized ${pct(v.bound.vsPeak).padStart(6)} | ${pct(v.bound.hourVsPeak).padStart(6)}   vs autoscaled ${pct(v.bound.vsAuto).padStart(6)} | ${pct(v.bound.hourVsAuto).padStart(6)}`,
    );
  }
  console.log(`\nwith the example fleet's hosted fallback (${HOSTED_FALLBACK.name}, $${HOSTED_FALLBACK.pricePerMillionInputTokens}/M tokens, LiteLLM order 4) every request above is served; worst seed:`);
  for (const v of verdicts) console.log(`  ${v.name.padEnd(22)} ${Math.round(v.fallback.requests).toLocaleString("en-US")} requests sent to the fallback (outages included), ${usd(v.fallback.usd)} for the week`);

  // What moves the numbers (one trace, one input changed at a time; not the configuration above).
  if (SENSITIVITY && sensitivitySeries !== undefined) {
    console.log("\nsensitivity on mooncake_conversation (each row changes one input; seeded spot + outage drills):");
    const variants: Variant[] = [
      { label: "as configured" },
      { label: "spot obtainable 95% of the time", spot: { availability: 0.95, meanUpHours: spot.meanUpHours } },
      { label: "CoreWeave reserved at 60% off", coreweaveReservedDiscount: 0.6 },
      { label: "Lambda without a node quota", lambdaMaxNodes: null },
      { label: "outageShare 0 (no hot spare)", policy: { outageShare: 0 } },
      { label: "resilience none", policy: { resilience: "none" } },
    ];
    for (const v of variants) {
      const r = await runOne(specFor("mooncake_conversation", sensitivitySeries, spot, v));
      const c = r.seeded.sim.cost.compute;
      console.log(
        `  ${v.label.padEnd(34)} vs peak-sized ${pct(savings(r.peakSized, c)).padStart(6)}  vs autoscaled ${pct(savings(r.autoscaled, c)).padStart(6)}  ` +
          `gap ${pct(gap(c, r.seeded.lb.cost)).padStart(6)}  worst outage served ${Math.min(...r.seeded.sim.outages.map((o) => o.servedPercent)).toFixed(2)}%`,
      );
    }
  }
  await outOfSample(spot);
  console.log(`\nbench wall time ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
