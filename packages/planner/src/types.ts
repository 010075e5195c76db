/**
 * `FleetPlan`: what `plan(spec)` produces and the stacks and the CLI consume. Plain JSON — numbers,
 * strings, arrays, `null` — so `JSON.parse(JSON.stringify(plan))` is the same plan and `simulate` can
 * run on a plan read back from `plan.json`. Money is USD; "monthly" means `hoursPerMonth` hours.
 */
import type { CapacityType, Provider } from "@switchyard/catalog";

export const FLEET_PLAN_KIND = "switchyard.fleet-plan";
export const FLEET_PLAN_VERSION = 1;

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
  baseline: BaselineComparison;
  /** Non-fatal findings: budget exceeded, quotas that bind, assumptions worth checking. */
  warnings: string[];
}

export interface PlanPolicy {
  maxSpotShare: number;
  headroom: number;
  resilience: "provider" | "none";
  outageCover: number;
  budgetPerMonth: number | null;
  router: { latency: number; cost: number; availability: number };
  simulation: { stepMinutes: number; days: number; seed: number; scaleDownDelayMinutes: number; outageHours: number };
}

export interface ProviderPlan {
  provider: Provider;
  region: string;
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
  name: string;
  servedModelName: string;
  weightsGB: number;
  gpuType: string;
  gpusPerReplica: number;
  throughput: { prefillTokensPerSecond: number; decodeTokensPerSecond: number; source: string };
  latencySlo: { ttftMs: number; tpotMs: number };
  engineStartMinutes: number;
  profile: PlanProfile;
  pools: PoolPlan[];
  reserved: ReservedDecision | null;
  hostedFallback: HostedFallbackPlan | null;
  /** Expected compute cost of this model per month (reserved + expected spot + on-demand). */
  monthlyCompute: number;
}

export interface PlanProfile {
  /** Hours in one cycle of the profile (24 or 168 for a series; the CSV's length for hourly rates). */
  hours: number;
  /** Replicas busy per profile hour. */
  demandReplicas: number[];
  /** ⌈headroom × demand⌉: replicas the fleet runs per hour. */
  requiredReplicas: number[];
  /** ⌈outageCover × demand⌉: replicas the fleet keeps after losing any one provider (0 without resilience). */
  survivorReplicas: number[];
  requestsPerSecond: number[];
  inputTokensPerSecond: number[];
  outputTokensPerSecond: number[];
}

/** One provider's node pool for one model (a GpuNodePool + VllmServing pair in the stacks). */
export interface PoolPlan {
  provider: Provider;
  region: string;
  instanceType: string;
  gpusPerNode: number;
  replicasPerNode: number;
  /** USD per node-hour per tier; null where the pool does not use that tier. */
  pricePerNodeHour: { reserved: number | null; spot: number | null; spotExpected: number | null; onDemand: number | null };
  reservedNodes: number;
  spotNodes: { min: number; max: number };
  onDemandNodes: { min: number; max: number };
  /** What the stacks apply: the node pool's and the replica autoscaler's bounds. */
  autoscaler: { minNodes: number; maxNodes: number; minReplicas: number; maxReplicas: number };
  /** Planned burst nodes per profile hour (reserved nodes are on top, always). */
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
  name: string;
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
  expectedLatencyMs: number;
  plannedReplicas: { mean: number; max: number };
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
