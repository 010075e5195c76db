/**
 * `FleetPlan`: what `plan(spec)` produces and the stacks and the CLI consume. Plain JSON — numbers,
 * strings, arrays, `null` — so `JSON.parse(JSON.stringify(plan))` is the same plan and `simulate` can
 * run on a plan read back from `plan.json`. Money is USD; "monthly" means `hoursPerMonth` hours.
 */
import type { CapacityType, Dtype, InstanceType, Provider, VllmQuantization } from "@switchyard/catalog";
import type { ForecastReport } from "./forecast";
import type { OutageCover } from "./hosted-capacity";

export const FLEET_PLAN_KIND = "switchyard.fleet-plan";
export const FLEET_PLAN_VERSION = 3;

/** How a provider's GPUs get the model weights (DESIGN.md, ModelWeightCache). */
export type WeightStrategy = "replicate" | "node-cache" | "stream";

/** LiteLLM `order`: reserved 1 → spot 2 → on-demand burst 3 → hosted-API fallback 4. */
export type OrderTier = 1 | 2 | 3 | 4;

export interface FleetPlan {
  kind: typeof FLEET_PLAN_KIND;
  version: typeof FLEET_PLAN_VERSION;
  specName: string;
  /** `CATALOG_COMPILED_ON` of the catalog whose prices the plan used. */
  catalogCompiledOn: string;
  hoursPerMonth: number;
  policy: PlanPolicy;
  gateway: { provider: Provider; region: string };
  weightOrigin: { provider: Provider; region: string };
  /** Per enabled provider: the market behaviour the plan assumed. */
  providers: ProviderPlan[];
  models: ModelPlan[];
  /** Every routing target, GPU backends and hosted fallbacks, for the LiteLLM gateway. */
  backends: BackendPlan[];
  /** Per provider that serves at least one model. */
  weightDistribution: WeightDistributionPlan[];
  cost: MonthlyCost;
  /** Null when no single provider can host every model (a warning says so). */
  baseline: BaselineComparison | null;
  /** Non-fatal findings: budget exceeded, quotas that bind, assumptions worth checking. */
  warnings: string[];
}

export interface PlanPolicy {
  maxSpotShare: number;
  headroom: number;
  resilience: "provider" | "none";
  /** Share of demand still served the moment one provider fails. */
  outageShare: number;
  /** Who carries it: the other providers' GPUs (`spare`), the hosted API (`hosted`), or the hosted API up to its rate limit and GPUs the rest (`both`). */
  outageCover: OutageCover;
  budgetPerMonth: number | null;
  router: { latency: number; cost: number; availability: number };
  simulation: { stepMinutes: number; days: number; seed: number; scaleDownDelayMinutes: number; outageHours: number };
}

export interface ProviderPlan {
  provider: Provider;
  region: string;
  /** The spec declared the region real but not in the catalog yet (`unlistedRegion`): the stacks accept it too. */
  unlistedRegion: boolean;
  capacityTypes: CapacityType[];
  /** Spot market model used for expected costs and seeded simulations; null without spot. */
  spot: { availability: number; meanUpHours: number } | null;
  availability: number;
  onDemandObtainability: number;
  rttMs: number;
  nodeProvisionMinutes: number;
  storagePricePerGBMonth: number;
}

/** One model: its demand profile, its pools (one per provider) and its reserved decision. */
export interface ModelPlan {
  /** The model group clients ask the gateway for, and the name vLLM serves it under. */
  name: string;
  /** What is served: the published repository at a pinned commit. */
  huggingFace: { repo: string; revision: string };
  parameterCountBillions: number;
  /** How the published files are stored: what is downloaded, stored and copied. */
  checkpointDtype: Dtype;
  /** vLLM `--quantization` at load, or null to serve the checkpoint as stored. */
  quantization: VllmQuantization | null;
  /** vLLM `--max-model-len`, or null for the model's own. */
  maxModelLen: number | null;
  /** The published files in decimal GB: what egress, storage and node disks are sized from. */
  weightsGB: number;
  /** The weights in GPU memory, GiB, and their dtype there: what fit is decided from. */
  gpuWeights: { dtype: Dtype; gib: number };
  gpuType: string;
  gpusPerReplica: number;
  throughput: { prefillTokensPerSecond: number; decodeTokensPerSecond: number; source: string };
  latencySlo: { ttftMs: number; tpotMs: number };
  /** Requests one replica serves at once at the SLO: decode tokens/s × TPOT (the catalog's `concurrentRequestsPerReplica`). */
  concurrentRequestsPerReplica: number;
  engineStartMinutes: number;
  profile: PlanProfile;
  pools: PoolPlan[];
  reserved: ReservedDecision | null;
  hostedFallback: HostedFallbackPlan | null;
  /** Expected compute cost of this model per month (reserved + expected spot + on-demand). */
  monthlyCompute: number;
  /** Expected hosted API spend per month covering provider outages (0 under outageCover spare); spikes above the forecast come on top, see `simulate`. */
  monthlyHosted: number;
}

export interface PlanProfile {
  /**
   * Hours in one cycle of the profile (24 or 168 for a series; the CSV's length for hourly rates). Hour 0 is the
   * trace's first hour; the tiers' schedules read it as Monday 00:00 UTC (hour 0 of the day for a 24-hour profile).
   */
  hours: number;
  /** Replicas busy per profile hour. */
  demandReplicas: number[];
  /** ⌈headroom × demand⌉: replicas the fleet runs per hour. */
  requiredReplicas: number[];
  /** Replicas the fleet keeps after losing any one provider (0 without resilience): ⌈outageShare × demand⌉ less what the hosted API carries (`survivorReplicas`). */
  survivorReplicas: number[];
  /** Replicas of demand the hosted API carries when a provider fails, within its rate limit (0 under outageCover spare). */
  outageHostedReplicas: number[];
  requestsPerSecond: number[];
  inputTokensPerSecond: number[];
  outputTokensPerSecond: number[];
  /** How the profile was forecast from history (`demand.series.forecast`): its trend, calibration and held-out coverage; null otherwise. */
  forecast: ForecastReport | null;
}

/** One provider's node pool for one model (a GpuNodePool + VllmServing pair in the stacks). */
export interface PoolPlan {
  provider: Provider;
  region: string;
  instanceType: string;
  /** The instance type as priced here (catalog or the spec's own, with its contract prices): what each GpuNodePool is given. */
  instance: InstanceType;
  gpusPerNode: number;
  replicasPerNode: number;
  /** USD per node-hour per tier; null where the pool does not use that tier. */
  pricePerNodeHour: { reserved: number | null; spot: number | null; spotExpected: number | null; onDemand: number | null };
  /** Fixed nodes, running around the clock: reserved ones, or on-demand where the provider cannot autoscale (`fixedTier`). */
  reservedNodes: number;
  spotNodes: { min: number; max: number };
  onDemandNodes: { min: number; max: number };
  /** How the fixed nodes are bought: `reserved`, or `on-demand` on a provider without a node autoscaler (Lambda). */
  fixedTier: CapacityType;
  /** What the stacks deploy: one GpuNodePool + VllmServing per entry, with these bounds, routed in this order. */
  tiers: PoolTierPlan[];
  /** What the stacks apply: the node pool's and the replica autoscaler's bounds. */
  autoscaler: { minNodes: number; maxNodes: number; minReplicas: number; maxReplicas: number };
  /** Planned burst nodes per profile hour (reserved nodes are on top, always); each tier's `schedule` holds them per hour of the week. */
  schedule: { spotNodes: number[]; onDemandNodes: number[] };
  /** Node request to serving replica: provisioning + weight load (per the chosen strategy) + engine start. */
  scaleUpMinutes: number;
  /** Quota from the spec (maxNodes), or null for none. */
  quotaNodes: number | null;
  gpuHoursPerMonth: number;
  /** Share of the model's planned GPU-hours on this pool, 0–1. */
  share: number;
  monthlyCompute: number;
}

/** One deployed tier of a pool: a GpuNodePool and the VllmServing on it, and the gateway backend it becomes. */
export interface PoolTierPlan {
  capacityType: CapacityType;
  /** The gateway backend and VllmServing name, `<provider>-<model>-<capacityType>`. */
  backend: string;
  /** LiteLLM `order`: fixed capacity 1, spot 2, on-demand burst 3 (the catalog's `routingOrder`). */
  order: OrderTier;
  /** A fixed node count (minNodes = maxNodes), paid around the clock; otherwise autoscaled from zero. */
  fixed: boolean;
  minNodes: number;
  maxNodes: number;
  minReplicas: number;
  maxReplicas: number;
  /** USD per node-hour at this tier (spot: the list price, not the expected one). */
  pricePerNodeHour: number;
  /**
   * The predictive schedule (`tierSchedule`): the replicas the plan allocates the tier per hour of the week, ready when
   * the hour starts (requested the pool's scale-up time before it) and released when it ends; the reactive scaler adds
   * above it. Empty for a fixed tier, and when the tier's minReplicas already covers every hour. The stacks render one
   * KEDA cron trigger per window, and `simulate` holds the same windows.
   */
  schedule: ScheduleWindow[];
}

/**
 * Minimum replicas an autoscaled tier holds over a span of the week, in minutes from Monday 00:00 UTC (hour 0 of the
 * demand profile). A window with its end before its start crosses the week's end.
 */
export interface ScheduleWindow {
  /** First minute of the week it holds, 0–10079. */
  startMinuteOfWeek: number;
  /** Minute of the week it ends at (exclusive), 1–10080; before `startMinuteOfWeek` when it crosses the week's end. */
  endMinuteOfWeek: number;
  /** Replicas held from its start to its end, ≥ 1. */
  minReplicas: number;
}

/**
 * The reserved level and the classic rule it is measured against: reserve unit k while the fraction of
 * hours needing ≥ k units exceeds reserved price / burst price. The plan's level is the exact optimum
 * of the same cost model, so its cost is never above the classic level's (both are shown).
 */
export interface ReservedDecision {
  provider: Provider;
  plannedNodes: number;
  classicRuleNodes: number;
  /** Reserved price over the cheapest burst price per replica-hour the rule compares against. */
  priceRatio: number;
  burstReference: string;
  monthlyComputeAtPlanned: number;
  monthlyComputeAtClassic: number | null;
}

export interface HostedFallbackPlan {
  /** The gateway's model group for it. */
  name: string;
  /** LiteLLM route, `<provider>/<model>`. */
  model: string;
  /** The account's rate limit, or null for none given. */
  requestsPerMinute: number | null;
  /** The account's rate limit in prompt plus generated tokens per minute, or null for none given. */
  tokensPerMinute: number | null;
  pricePerMillionInputTokens: number;
  pricePerMillionOutputTokens: number;
  rttMs: number;
  availability: number;
}

/** One LiteLLM deployment: `<provider>-<model>-<capacityType>`, or the hosted fallback's name. */
export interface BackendPlan {
  name: string;
  model: string;
  provider: Provider | "hosted";
  capacityType: CapacityType | "hosted";
  order: OrderTier;
  /** 0.3·latency + 0.4·cost + 0.3·availability (configurable), each normalised to (0, 1], higher better; null for hosted. */
  score: number | null;
  scoreParts: { latency: number; cost: number; availability: number } | null;
  /** LiteLLM weight within its model and order tier: score × (mean planned replicas + 1), normalised to sum to 1; always > 0. */
  weight: number;
  costPerReplicaHour: number | null;
  /** What the gateway bills per token (LiteLLM input/output_cost_per_token): the catalog's `tokenPrices` of the replica-hour, or the hosted list price. */
  tokenPrices: { inputCostPerToken: number; outputCostPerToken: number };
  expectedLatencyMs: number;
  plannedReplicas: { mean: number; max: number };
  /** What the gateway sends it at once at most (its replicas at their most × per-replica concurrency); beyond, the next tier. Null for hosted. */
  maxConcurrentRequests: number | null;
}

export interface WeightDistributionPlan {
  provider: Provider;
  strategy: WeightStrategy;
  reason: string;
  monthly: { storage: number; egress: number; total: number };
  egressGBPerMonth: number;
  coldStartsPerMonth: { nodes: number; replicas: number };
  /** Every strategy considered, feasible or not, with its monthly cost. */
  alternatives: { strategy: WeightStrategy; feasible: boolean; storage: number; egress: number; total: number; note: string }[];
}

export interface MonthlyCost {
  compute: { reserved: number; spot: number; onDemand: number; total: number };
  /** Expected hosted API spend covering provider outages (the models' `monthlyHosted`). */
  hosted: number;
  storage: number;
  weightEgress: number;
  gatewayEgress: number;
  total: number;
  byProvider: { provider: Provider; compute: number; storage: number; egress: number; total: number }[];
}

export interface BaselineComparison {
  /** The single hyperscaler the plan is compared against (cheapest on-demand per replica by default). */
  provider: Provider;
  /** On-demand nodes sized for peak × headroom, running 24/7 — how most teams start. */
  peakSized: { nodes: Record<string, number>; monthly: number };
  /** The same provider on-demand, following the profile hour by hour (no resilience, no spot). */
  autoscaled: { monthly: number };
  savingsVsPeakSizedPercent: number;
  savingsVsAutoscaledPercent: number;
}
