/**
 * From the fleet plan to what one provider stack deploys: per model and purchase tier, one GPU node pool and
 * one vLLM server behind it, with the plan's node and replica bounds. Pure, so tests check it without mocks.
 * The backend names are the planner's (`<provider>-<model>-<tier>`), so the gateway's routing weights and
 * the deployed servers line up by name.
 */
import type { CapacityType, Dtype, InstanceType, Provider, VllmQuantization } from "@switchyard/catalog";
import { scalesToZero, tierScaler } from "@switchyard/planner";
import type { FleetPlan, ScheduleWindow, TierScaler } from "@switchyard/planner";

export interface TierDeployment {
  /** The planner's backend name, also the VllmServing name: `<provider>-<model>-<tier>`. */
  backendName: string;
  /** GpuNodePool name: `<model>-<tier>`. */
  poolName: string;
  model: string;
  provider: Provider;
  region: string;
  /** The fleet spec's `unlistedRegion` for this provider: GpuNodePool accepts a region the catalog does not list. */
  allowUnlistedRegion: boolean;
  capacityType: CapacityType;
  /** The instance type as the plan priced it (its contract prices, or the spec's own definition). */
  instance: InstanceType;
  minNodes: number;
  maxNodes: number;
  minReplicas: number;
  maxReplicas: number;
  tensorParallelSize: number;
  /** What is served, as the fleet spec pins it (the plan carries it through). */
  huggingFace: { repo: string; revision: string };
  parameterCountBillions: number;
  checkpointDtype: Dtype;
  quantization: VllmQuantization | undefined;
  maxModelLen: number | undefined;
  decodeTokensPerSecond: number;
  /** Requests one replica serves at once at the SLO, from the plan: the gateway's cap per backend is this × maxReplicas. */
  concurrentRequestsPerReplica: number;
  expectedLatencyMs: number;
  weightsGB: number;
  /**
   * The model's GPU backends at this tier's routing order and above: traffic on any of them (or requests the gateway
   * could place nowhere) wakes this tier from zero replicas (`gatewayWakeQuery`).
   */
  wakeBackends: string[];
  /** The scaler of an autoscaled tier, as the simulator runs it. */
  scaler: TierScaler;
  /** The tier's predictive schedule from the plan (`PoolTierPlan.schedule`): KEDA cron triggers, held by the simulator too. */
  schedule: ScheduleWindow[];
  /** Runs from zero replicas: woken by the gateway's spill (`scalesToZero`). */
  scalesToZero: boolean;
}

export class PlanMismatchError extends Error {
  override name = "PlanMismatchError";
}

/**
 * The tiers `provider` serves in `plan`, one per entry of the plan's `pools[].tiers`: the plan decides the
 * tiers, their node and replica bounds and their names; this only carries them to the components.
 */
export function tierDeployments(plan: FleetPlan, provider: Provider): TierDeployment[] {
  const deployments: TierDeployment[] = [];
  for (const model of plan.models) {
    const pool = model.pools.find((p) => p.provider === provider);
    if (pool === undefined) continue;
    const allowUnlistedRegion = plan.providers.find((p) => p.provider === provider)?.unlistedRegion ?? false;
    for (const tier of pool.tiers) {
      const planned = plan.backends.find((b) => b.name === tier.backend);
      if (planned === undefined) throw new PlanMismatchError(`the plan has no backend ${tier.backend} for its ${provider} ${tier.capacityType} tier of ${model.name}; re-run switchyard plan`);
      deployments.push({
        backendName: tier.backend,
        poolName: `${model.name}-${tier.capacityType}`,
        model: model.name,
        provider,
        region: pool.region,
        allowUnlistedRegion,
        capacityType: tier.capacityType,
        instance: pool.instance,
        minNodes: tier.minNodes,
        maxNodes: tier.maxNodes,
        minReplicas: tier.minReplicas,
        maxReplicas: tier.maxReplicas,
        tensorParallelSize: model.gpusPerReplica,
        huggingFace: model.huggingFace,
        parameterCountBillions: model.parameterCountBillions,
        checkpointDtype: model.checkpointDtype,
        quantization: model.quantization ?? undefined,
        maxModelLen: model.maxModelLen ?? undefined,
        decodeTokensPerSecond: model.throughput.decodeTokensPerSecond,
        concurrentRequestsPerReplica: model.concurrentRequestsPerReplica,
        expectedLatencyMs: planned.expectedLatencyMs,
        weightsGB: model.weightsGB,
        scaler: tierScaler(plan, model, tier.backend),
        schedule: tier.schedule,
        scalesToZero: scalesToZero(tier),
        wakeBackends: plan.backends.filter((b) => b.model === model.name && b.provider !== "hosted" && b.order >= planned.order).map((b) => b.name),
      });
    }
  }
  return deployments;
}

/** The weight-distribution strategy the plan chose for `provider`, or undefined when it serves nothing. */
export function plannedWeightStrategy(plan: FleetPlan, provider: Provider): FleetPlan["weightDistribution"][number] | undefined {
  return plan.weightDistribution.find((w) => w.provider === provider);
}
