/**
 * @switchyard/planner — the egress-aware, outage-proof capacity and routing planner (pure TypeScript,
 * no Pulumi): `plan(spec)` → `FleetPlan`; `simulate(plan, trace, events)`; `lowerBound(spec, trace, events)`.
 */
export { plan, singleCloudSpec } from "./plan";
export { simulate } from "./simulate";
export { NODE_SCALE_DOWN_DELAY_MINUTES, replicaSecondsPerRequest, scalesToZero, tierScaler } from "./scaler";
export type { TierScaler } from "./scaler";
export { HOURS_PER_WEEK, MINUTES_PER_WEEK, hoursOfWeek, scheduleWindows, scheduledReplicas, tierSchedule, windowHolds } from "./schedule";
export type { DemandTrace, OutageReport, SimulateOptions, SimulationResult } from "./simulate";
export { lowerBound } from "./lower-bound";
export type { LowerBoundOptions, LowerBoundResult } from "./lower-bound";
export { FleetSpecSchema, parseFleetSpec } from "./spec";
export type { FleetSpec, FleetSpecInput, ModelSpec, ProviderSpec } from "./spec";
export { loadFleetSpec, parseSpecText } from "./load";
export { FleetSpecError, PlanInfeasibleError } from "./errors";
export type { SpecIssue } from "./errors";
export { costDiff, costDiffMarkdown } from "./diff";
export type { CostDiffRow } from "./diff";
export {
  cycleSeries,
  parseHourlyCsv,
  parsePerMinuteCsv,
  profileFromHourly,
  profileFromSeries,
  quantile,
  replicasFor,
  replicasForRates,
  resampleSeries,
  scaleSeries,
  seriesFromHourly,
} from "./demand";
export type { DemandProfile, DemandSeries, HourlyRates, Throughput } from "./demand";
export { forecastProfile } from "./forecast";
export { costConfidence, hostedShare, survivorReplicas } from "./hosted-capacity";
export type { CostBasis, HostedRateLimit, OutageCover } from "./hosted-capacity";
export type { Forecast, ForecastOptions, ForecastReport } from "./forecast";
export { applyHistory, historyModels, parseHistoryCsv } from "./history";
export type { History } from "./history";
export { isDown, mulberry32, outageDrills, seededSpotAvailability, spotAvailabilityFromTrace, spotFractionAt } from "./events";
export type { Outage, SimulationEvents, SpotAvailabilitySeries, SpotTraceFile } from "./events";
export { drillEvents, peakHourOfDay, providersInUse, traceFromSpec } from "./scenario";
export type { DrillOptions } from "./scenario";
export { allocate, minCostFill, spotBudgetReplicas } from "./allocate";
export type { AllocPool, AllocRequest, Allocation } from "./allocate";
export { classicReservedUnits } from "./capacity";
export { backendName, routeModel } from "./routing";
export type { BackendCandidate } from "./routing";
export { chooseWeightDistribution, nodeStartsPerMonth, weightLoadMinutes } from "./weight-distribution";
export type { PoolStarts, WeightDistributionInput } from "./weight-distribution";
export * as defaults from "./defaults";
export { FLEET_PLAN_KIND, FLEET_PLAN_VERSION } from "./types";
export type {
  BackendPlan,
  BaselineComparison,
  FleetPlan,
  HostedFallbackPlan,
  ModelPlan,
  MonthlyCost,
  OrderTier,
  PlanPolicy,
  PlanProfile,
  PoolPlan,
  PoolTierPlan,
  ProviderPlan,
  ReservedDecision,
  ScheduleWindow,
  WeightDistributionPlan,
  WeightStrategy,
} from "./types";
