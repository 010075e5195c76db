/**
 * From a validated spec to what the planner computes with: per provider its market behaviour, per
 * model its demand profile (in replicas) and one pool per provider that can host it, priced from the
 * catalog with the spec's contract overrides.
 */
import { PROVIDER_NODES_AUTOSCALE, getGpuType, gpuWeights, modelWeightGB, objectStoragePricePerGBMonth, replicasPerNode, tensorParallelProblem } from "@switchyard/catalog";
import type { CapacityType, Dtype, InstanceType, Provider } from "@switchyard/catalog";
import { ENGINE_START_MINUTES, NODE_PROVISION_MINUTES, RTT_MS, SPOT_BEHAVIOUR } from "./defaults";
import { profileFromHourly, profileFromSeries, replicasFor, replicasForRates, resampleSeries, scaleSeries } from "./demand";
import type { DemandProfile, DemandSeries, HourlyRates, Throughput } from "./demand";
import { FleetSpecError } from "./errors";
import { forecastProfile } from "./forecast";
import { costConfidence, hostedLimitReplicas, hostedUsd, rateLimitOf } from "./hosted-capacity";
import type { CostBasis } from "./hosted-capacity";
import type { ForecastReport } from "./forecast";
import { providerInstanceTypes } from "./instance-types";
import type { SpecIssue } from "./errors";
import type { FleetSpec, ModelSpec, ProviderSpec } from "./spec";
import type { ProviderPlan } from "./types";

/** A provider as the plan reports it, plus its node quota. */
export interface ResolvedProvider extends ProviderPlan {
  maxNodes: number;
}

export interface ResolvedPool {
  provider: ResolvedProvider;
  instance: InstanceType;
  /**
   * How the pool's fixed nodes (the `reserved` level: running around the clock) are bought: `reserved`, or
   * `on-demand` where the provider's nodes cannot autoscale (Lambda), so every node it runs is a fixed one.
   */
  fixedTier: CapacityType;
  /** Replicas per node: gpusPerNode / gpusPerReplica (the catalog's `replicasPerNode`, as VllmServing deploys them). */
  k: number;
  reservedPrice: number | undefined;
  spotPrice: number | undefined;
  /** Expected cost of a node planned on spot: spot while obtainable, this pool's on-demand otherwise. */
  spotExpected: number | undefined;
  onDemandPrice: number | undefined;
  maxNodes: number;
}

export interface ResolvedModel {
  spec: ModelSpec;
  name: string;
  weightsGB: number;
  gpuWeights: { dtype: Dtype; gib: number };
  throughput: Throughput;
  profile: DemandProfile;
  /** The demand as given, for simulating the spec itself: an hourly profile or a series at the simulation step. */
  hourly: HourlyRates | undefined;
  series: DemandSeries | undefined;
  /** How a forecast profile was made (`demand.series.forecast`), or null. */
  forecast: ForecastReport | null;
  engineStartMinutes: number;
  pools: ResolvedPool[];
}

export interface ResolvedFleet {
  spec: FleetSpec;
  providers: ResolvedProvider[];
  models: ResolvedModel[];
  warnings: string[];
}

export function resolveProvider(p: ProviderSpec, gatewayProvider: Provider): ResolvedProvider {
  const spotSold = p.capacityTypes.includes("spot");
  return {
    provider: p.provider,
    region: p.region,
    unlistedRegion: p.unlistedRegion ?? false,
    capacityTypes: [...p.capacityTypes],
    spot: spotSold ? { availability: p.spot?.availability ?? SPOT_BEHAVIOUR.availability, meanUpHours: p.spot?.meanUpHours ?? SPOT_BEHAVIOUR.meanUpHours } : null,
    availability: p.availability,
    onDemandObtainability: p.onDemandObtainability,
    rttMs: p.rttMs ?? (p.provider === gatewayProvider ? RTT_MS.sameProvider : RTT_MS.otherProvider),
    nodeProvisionMinutes: p.nodeProvisionMinutes ?? NODE_PROVISION_MINUTES[p.provider],
    storagePricePerGBMonth: p.storagePricePerGBMonth ?? objectStoragePricePerGBMonth(p.provider) ?? 0,
    maxNodes: p.maxNodes ?? Infinity,
  };
}

/** Pool for `model` on `provider`, or undefined when no allowed instance type can host it. */
export function resolvePool(model: ModelSpec, p: ProviderSpec, rp: ResolvedProvider, warnings: string[]): ResolvedPool | undefined {
  const allowed = providerInstanceTypes(p).filter((it) => p.instanceTypes === undefined || p.instanceTypes.includes(it.name));
  const tp = model.serving.gpusPerReplica;
  const candidates = allowed
    .filter((it) => it.gpuType === model.serving.gpuType && tensorParallelProblem(tp, it.gpusPerNode) === undefined)
    .map((it) => {
      const k = replicasPerNode(it.gpusPerNode, tp);
      const has = (ct: CapacityType) => p.capacityTypes.includes(ct);
      const onDemandPrice = has("on-demand") ? it.onDemandPerNodeHour : undefined;
      const spotPrice = has("spot") && it.spotPerNodeHour !== undefined ? it.spotPerNodeHour : undefined;
      if (!PROVIDER_NODES_AUTOSCALE[p.provider]) {
        // No autoscaler: every node is fixed, at the price it is bought at, and none can be added on demand.
        const fixedPrice = has("on-demand") ? it.onDemandPerNodeHour : undefined;
        return { it, k, onDemandPrice: undefined, spotPrice: undefined, reservedPrice: fixedPrice, perReplica: (fixedPrice ?? Infinity) / k };
      }
      const reserved = it.onDemandPerNodeHour * (1 - it.reservedDiscount);
      const reservedPrice = has("reserved") && reserved < it.onDemandPerNodeHour - 1e-9 ? reserved : undefined;
      const cheapest = Math.min(...[onDemandPrice, spotPrice, reservedPrice].filter((x): x is number => x !== undefined));
      return { it, k, onDemandPrice, spotPrice, reservedPrice, perReplica: cheapest / k };
    })
    .filter((c) => Number.isFinite(c.perReplica))
    .sort((a, b) => a.perReplica - b.perReplica || a.it.gpusPerNode - b.it.gpusPerNode || (a.it.name < b.it.name ? -1 : 1));
  const best = candidates[0];
  if (best === undefined) return undefined;
  if (p.capacityTypes.includes("spot") && best.spotPrice === undefined) {
    warnings.push(`${p.provider}/${best.it.name} has no spot price in the catalog: no spot planned for ${model.name} there (add providers[].prices.${best.it.name}.spotPerNodeHour)`);
  }
  if (p.capacityTypes.includes("reserved") && best.reservedPrice === undefined) {
    warnings.push(`${p.provider}/${best.it.name}: reserved is priced as on-demand (no reservedDiscount known), so no reserved nodes are planned for ${model.name} there; set providers[].prices.${best.it.name}.reservedDiscount to your contract's`);
  }
  const spotExpected =
    best.spotPrice === undefined || rp.spot === null
      ? undefined
      : rp.spot.availability * best.spotPrice + (1 - rp.spot.availability) * (best.onDemandPrice ?? best.spotPrice);
  return {
    provider: rp,
    instance: best.it,
    fixedTier: PROVIDER_NODES_AUTOSCALE[p.provider] ? "reserved" : "on-demand",
    k: best.k,
    reservedPrice: best.reservedPrice,
    spotPrice: best.spotPrice,
    spotExpected,
    onDemandPrice: best.onDemandPrice,
    maxNodes: rp.maxNodes,
  };
}

function demandIssues(spec: FleetSpec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  spec.models.forEach((m, i) => {
    const h = m.demand.hourly;
    if (h !== undefined && (h.requestsPerSecond === undefined || h.inputTokensPerSecond === undefined || h.outputTokensPerSecond === undefined)) {
      issues.push({ path: `models[${i}].demand.hourly.file`, message: `${JSON.stringify(h.file)} has not been read`, fix: "load the spec with loadFleetSpec(path), which reads demand files, or give the three lists inline" });
    }
    const s = m.demand.series;
    if (s !== undefined && (s.requests === undefined || s.inputTokens === undefined || s.outputTokens === undefined || s.stepMinutes === undefined)) {
      issues.push({ path: `models[${i}].demand.series.file`, message: `${JSON.stringify(s.file)} has not been read`, fix: "load the spec with loadFleetSpec(path), which reads demand files, or give stepMinutes and the three lists inline" });
    }
  });
  return issues;
}

export function resolveModelDemand(
  m: ModelSpec,
  spec: FleetSpec,
  throughput: Throughput,
  pools: readonly ResolvedPool[],
): { profile: DemandProfile; hourly: HourlyRates | undefined; series: DemandSeries | undefined; forecast: ForecastReport | null } {
  const h = m.demand.hourly;
  if (h !== undefined) {
    const scale = (xs: number[] | undefined) => (xs ?? []).map((x) => x * h.scale);
    const hourly = { requestsPerSecond: scale(h.requestsPerSecond), inputTokensPerSecond: scale(h.inputTokensPerSecond), outputTokensPerSecond: scale(h.outputTokensPerSecond) };
    return { profile: profileFromHourly(hourly, throughput), hourly, series: undefined, forecast: null };
  }
  const s = m.demand.series!;
  const raw: DemandSeries = { stepMinutes: s.stepMinutes!, requests: s.requests!, inputTokens: s.inputTokens!, outputTokens: s.outputTokens! };
  const history = resampleSeries(scaleSeries(raw, s.scale), spec.simulation.stepMinutes);
  // Simulated, and profiled, from Monday 00:00 UTC as the tiers' schedules are: the week before the first step is empty.
  const series = fromWeekStart(history, s.startMinuteOfWeek);
  if (s.forecast !== undefined) {
    const options = { horizonDays: s.forecast.horizonDays, startMinuteOfWeek: s.startMinuteOfWeek };
    const stated = s.forecast.confidence;
    if (stated !== "cost") {
      const { profile, report } = forecastProfile(history, throughput, { ...options, confidence: stated });
      return { profile, hourly: undefined, series, forecast: report };
    }
    const { profile, report } = costSizedForecast(history, throughput, options, m.hostedFallback!, pools);
    return { profile, hourly: undefined, series, forecast: report };
  }
  return { profile: profileFromSeries(series, throughput, s.profileHours, s.quantile), hourly: undefined, series, forecast: null };
}

/** Under `confidence: cost`, how much of an hour's demand above the GPUs' level the hosted API's rate limit must take. */
const RATE_LIMIT_CONFIDENCE = 0.99;

/**
 * `forecast.confidence: cost`: the forecast at the confidence where the cheapest GPU replica-hour the fleet can add
 * (`pools`) costs what the hosted API charges for the tokens it would serve, at the history's mix. Where the hosted
 * API's rate limit could not take what lies above that level in an hour (at the 0.99 forecast), the level is raised
 * so it can: the GPUs hold what the limit cannot.
 */
function costSizedForecast(
  history: DemandSeries,
  throughput: Throughput,
  options: { horizonDays: number; startMinuteOfWeek: number },
  hosted: NonNullable<ModelSpec["hostedFallback"]>,
  pools: readonly ResolvedPool[],
): { profile: DemandProfile; report: ForecastReport } {
  const basis = costBasis(history, throughput, hosted, pools);
  const { profile, report } = forecastProfile(history, throughput, { ...options, confidence: costConfidence(basis), calibrateFor: "cost" });
  const limit = rateLimitOf(hosted);
  let raised = 0;
  if (limit.requestsPerMinute !== null || limit.tokensPerMinute !== null) {
    const high = forecastProfile(history, throughput, { ...options, confidence: RATE_LIMIT_CONFIDENCE }).profile.demandReplicas;
    profile.demandReplicas = profile.demandReplicas.map((level, h) => {
      const meanReplicas = replicasForRates(profile.inputTokensPerSecond[h]!, profile.outputTokensPerSecond[h]!, throughput);
      const takes = hostedLimitReplicas(limit, profile.requestsPerSecond[h]!, profile.inputTokensPerSecond[h]! + profile.outputTokensPerSecond[h]!, meanReplicas);
      const floor = high[h]! - takes;
      if (floor <= level) return level;
      raised++;
      return floor;
    });
  }
  return { profile, report: { ...report, costBasis: { ...basis, hoursRaisedForRateLimit: raised } } };
}

/** The prices `costConfidence` weighs, from the model's pools and the history's token mix. */
function costBasis(history: DemandSeries, throughput: Throughput, hosted: NonNullable<ModelSpec["hostedFallback"]>, pools: readonly ResolvedPool[]): CostBasis {
  const burst = pools.flatMap((p) => [p.spotExpected, p.onDemandPrice].filter((x): x is number => x !== undefined).map((price) => price / p.k));
  const fixed = pools.filter((p) => p.reservedPrice !== undefined).map((p) => p.reservedPrice! / p.k);
  const gpuPerReplicaHour = Math.min(...(burst.length > 0 ? burst : fixed));
  const input = history.inputTokens.reduce((a, x) => a + x, 0);
  const output = history.outputTokens.reduce((a, x) => a + x, 0);
  const replicaHours = replicasFor(input, output, 3600, throughput);
  return { gpuPerReplicaHour: round4(gpuPerReplicaHour), hostedPerReplicaHour: replicaHours > 0 ? round4(hostedUsd(hosted, input, output) / replicaHours) : Infinity };
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;

/** The series with empty steps before it, so that its step 0 is Monday 00:00 UTC (its first step at `startMinuteOfWeek`). */
function fromWeekStart(series: DemandSeries, startMinuteOfWeek: number): DemandSeries {
  const pad = Math.round(startMinuteOfWeek / series.stepMinutes);
  if (pad === 0) return series;
  const padded = (xs: number[]) => [...new Array<number>(pad).fill(0), ...xs];
  return { stepMinutes: series.stepMinutes, requests: padded(series.requests), inputTokens: padded(series.inputTokens), outputTokens: padded(series.outputTokens) };
}

/** Resolves every provider and model; throws `FleetSpecError` when demand files were not loaded. */
export function resolveFleet(spec: FleetSpec): ResolvedFleet {
  const issues = demandIssues(spec);
  if (issues.length > 0) throw new FleetSpecError(issues);
  const warnings: string[] = [];
  const providers = spec.providers.map((p) => resolveProvider(p, spec.gateway.provider));
  const models = spec.models.map((m): ResolvedModel => {
    const throughput = { prefillTokensPerSecond: m.serving.prefillTokensPerSecond, decodeTokensPerSecond: m.serving.decodeTokensPerSecond };
    const allowed = m.providers ?? spec.providers.map((p) => p.provider);
    const pools = spec.providers
      .map((p, i) => (allowed.includes(p.provider) ? resolvePool(m, p, providers[i]!, warnings) : undefined))
      .filter((p): p is ResolvedPool => p !== undefined);
    const { profile, hourly, series, forecast } = resolveModelDemand(m, spec, throughput, pools);
    getGpuType(m.serving.gpuType);
    return {
      spec: m,
      name: m.name,
      weightsGB: m.weightsGB ?? modelWeightGB(m.parameterCountBillions, m.checkpointDtype),
      gpuWeights: gpuWeights(m),
      throughput,
      profile,
      hourly,
      series,
      forecast,
      engineStartMinutes: m.engineStartMinutes ?? ENGINE_START_MINUTES,
      pools,
    };
  });
  return { spec, providers, models, warnings };
}
