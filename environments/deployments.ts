/**
 * From the fleet plan to what one provider stack deploys: per model and purchase tier, one GPU node pool and
 * one vLLM server behind it, with the plan's node and replica bounds. Pure, so tests check it without mocks.
 * The backend names are the planner's (`<provider>-<model>-<tier>`), so the gateway's routing weights and
 * the deployed servers line up by name.
 */
import type { CapacityType, Dtype, Provider } from "@switchyard/catalog";
import type { FleetPlan, FleetSpec } from "@switchyard/planner";

export interface TierDeployment {
  /** The planner's backend name, also the VllmServing name: `<provider>-<model>-<tier>`. */
  backendName: string;
  /** GpuNodePool name: `<model>-<tier>`. */
  poolName: string;
  model: string;
  provider: Provider;
  region: string;
  capacityType: CapacityType;
  instanceType: string;
  minNodes: number;
  maxNodes: number;
  minReplicas: number;
  maxReplicas: number;
  tensorParallelSize: number;
  parameterCountBillions: number;
  dtype: Dtype;
  /** Hugging Face repo id the weights are published as. */
  huggingFaceRepo: string;
  decodeTokensPerSecond: number;
  expectedLatencyMs: number;
  weightsGB: number;
}

export class PlanMismatchError extends Error {
  override name = "PlanMismatchError";
}

/**
 * The tiers `provider` serves in `plan`. Autoscaled tiers (spot, on-demand) start at zero and grow to the
 * plan's maximum; the reserved tier is fixed at the plan's reserved nodes. Lambda has no autoscaler (its
 * instances are launched by API), so it runs a fixed count: `lambdaNodes[model]`, or the plan's mean
 * on-demand nodes rounded up.
 */
export function tierDeployments(plan: FleetPlan, spec: FleetSpec, provider: Provider, lambdaNodes: Record<string, number> = {}): TierDeployment[] {
  const deployments: TierDeployment[] = [];
  for (const model of plan.models) {
    const pool = model.pools.find((p) => p.provider === provider);
    if (pool === undefined || pool.autoscaler.maxNodes === 0) continue;
    const modelSpec = spec.models.find((m) => m.name === model.name);
    if (modelSpec?.parameterCountBillions === undefined || modelSpec.dtype === undefined) {
      throw new PlanMismatchError(`fleet spec model "${model.name}" needs parameterCountBillions and dtype to size vLLM; add them to the spec`);
    }
    const backend = (tier: CapacityType) => plan.backends.find((b) => b.model === model.name && b.provider === provider && b.capacityType === tier);
    const common = {
      model: model.name,
      provider,
      region: pool.region,
      instanceType: pool.instanceType,
      tensorParallelSize: model.gpusPerReplica,
      parameterCountBillions: modelSpec.parameterCountBillions,
      dtype: modelSpec.dtype,
      huggingFaceRepo: model.servedModelName,
      decodeTokensPerSecond: model.throughput.decodeTokensPerSecond,
      weightsGB: model.weightsGB,
    };
    const tiers: { tier: CapacityType; minNodes: number; maxNodes: number }[] = [];
    if (provider === "lambda") {
      const mean = pool.schedule.onDemandNodes.reduce((a, n) => a + n, 0) / Math.max(1, pool.schedule.onDemandNodes.length);
      const nodes = lambdaNodes[model.name] ?? Math.ceil(mean);
      if (nodes > 0) tiers.push({ tier: "on-demand", minNodes: nodes, maxNodes: nodes });
    } else {
      if (pool.reservedNodes > 0) tiers.push({ tier: "reserved", minNodes: pool.reservedNodes, maxNodes: pool.reservedNodes });
      if (pool.spotNodes.max > 0) tiers.push({ tier: "spot", minNodes: 0, maxNodes: pool.spotNodes.max });
      if (pool.onDemandNodes.max > 0) tiers.push({ tier: "on-demand", minNodes: 0, maxNodes: pool.onDemandNodes.max });
    }
    for (const t of tiers) {
      const planned = backend(t.tier);
      if (planned === undefined) throw new PlanMismatchError(`the plan has no ${provider} ${t.tier} backend for ${model.name}; re-run switchyard plan`);
      deployments.push({
        ...common,
        backendName: planned.name,
        poolName: `${model.name}-${t.tier}`,
        capacityType: t.tier,
        minNodes: t.minNodes,
        maxNodes: t.maxNodes,
        minReplicas: t.minNodes * pool.replicasPerNode,
        maxReplicas: t.maxNodes * pool.replicasPerNode,
        expectedLatencyMs: planned.expectedLatencyMs,
      });
    }
  }
  return deployments;
}

/** The weight-distribution strategy the plan chose for `provider`, or undefined when it serves nothing. */
export function plannedWeightStrategy(plan: FleetPlan, provider: Provider): FleetPlan["weightDistribution"][number] | undefined {
  return plan.weightDistribution.find((w) => w.provider === provider);
}
