/**
 * The planner accepts exactly the fleets the stacks deploy. For generated fleet specs — model sizes, checkpoint
 * dtypes and quantizations, GPU types, replica sizes (3 included), providers and their tiers, an instance type the
 * catalog lacks, long model names, resilience and hosted fallbacks — two independent answers must agree:
 *
 *   - the planner: `plan(spec)` succeeds;
 *   - the components: for every model, enough providers (two with `resilience: provider`, else one) have an
 *     instance type on which GpuNodePool and VllmServing accept the model as the spec describes it. This asks the
 *     components' own validation and no planner code.
 *
 * And whenever the plan succeeds, every environment it uses and the shared stack synthesize from that spec
 * (the real program under Pulumi mocks) without an error.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROVIDER_CAPACITY_TYPES, instanceTypesFor } from "@switchyard/catalog";
import type { CapacityType, Dtype, GpuTypeId, Provider, VllmQuantization } from "@switchyard/catalog";
import { resolveGpuNodePoolArgs, resolveVllmServingArgs } from "@switchyard/components";
import type { GpuNodePoolArgs, InstanceTypeDefinitionArgs } from "@switchyard/components";
import { FleetSpecError, PlanInfeasibleError, parseFleetSpec, plan } from "@switchyard/planner";
import type { FleetPlan, FleetSpecInput } from "@switchyard/planner";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROVIDER_ENVS, synthesizeEnvironment } from "./fixtures";

const REGION: Record<Provider, string> = { coreweave: "US-EAST-04", lambda: "us-east-1", aws: "us-east-1", gcp: "us-central1" };
/** An AWS shape the catalog does not carry: one L4 with a spot price (g6.xlarge, us-east-1 list prices). */
const G6_XLARGE = { name: "g6.xlarge", gpuType: "L4", gpusPerNode: 1, vcpus: 4, memoryGiB: 16, localNvmeGiB: 233, onDemandPerNodeHour: 0.8048, spotPerNodeHour: 0.3464, source: "https://aws.amazon.com/ec2/instance-types/g6/" };

interface ProviderChoice {
  provider: Provider;
  capacityTypes: CapacityType[];
  customL4: boolean;
}

interface ModelChoice {
  name: string;
  parameterCountBillions: number;
  checkpointDtype: Dtype;
  quantization: VllmQuantization | undefined;
  gpuType: GpuTypeId;
  gpusPerReplica: number;
  fallback: boolean;
  providers: Provider[] | undefined;
}

const providerArb: fc.Arbitrary<ProviderChoice> = fc
  .record({ provider: fc.constantFrom<Provider>("coreweave", "lambda", "aws", "gcp"), extra: fc.subarray<CapacityType>(["reserved", "spot"]), customL4: fc.boolean() })
  .map(({ provider, extra, customL4 }) => ({
    provider,
    // On-demand always: a tier the plan can price everywhere, so only sizing decides what is accepted.
    capacityTypes: ["on-demand", ...extra.filter((t) => PROVIDER_CAPACITY_TYPES[provider].includes(t))],
    customL4: customL4 && provider === "aws",
  }));

const modelArb = (index: number): fc.Arbitrary<ModelChoice> =>
  fc.record({
    name: fc.constantFrom(`m${index}`, `model-${index}-with-a-rather-long-nm`.slice(0, 30)),
    parameterCountBillions: fc.constantFrom(1, 8, 13, 34, 70, 123, 405),
    checkpointDtype: fc.constantFrom<Dtype>("bf16", "fp8", "int4"),
    quantization: fc.constantFrom<VllmQuantization | undefined>(undefined, "fp8", "awq"),
    gpuType: fc.constantFrom<GpuTypeId>("H100", "A100-80GB", "L40S", "L4"),
    gpusPerReplica: fc.constantFrom(1, 2, 3, 4, 8),
    fallback: fc.boolean(),
    providers: fc.constant(undefined),
  });

const fleetArb = fc.record({
  providers: fc.uniqueArray(providerArb, { minLength: 1, maxLength: 4, selector: (p) => p.provider }),
  models: fc.integer({ min: 1, max: 2 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => modelArb(i)))),
  resilience: fc.constantFrom("provider" as const, "none" as const),
});

type Spec = FleetSpecInput & { providers: NonNullable<FleetSpecInput["providers"]> };

function specOf(f: { providers: ProviderChoice[]; models: ModelChoice[]; resilience: "provider" | "none" }): Spec {
  return {
    name: "generated",
    gateway: { provider: "aws", region: "us-east-1" },
    weightOrigin: { provider: "aws", region: "us-east-1" },
    policy: { resilience: f.resilience },
    providers: f.providers.map((p) => ({
      provider: p.provider,
      region: REGION[p.provider],
      capacityTypes: p.capacityTypes,
      ...(p.customL4 ? { customInstanceTypes: [G6_XLARGE] } : {}),
    })),
    models: f.models.map((m, i) => ({
      name: m.name === f.models[1 - i]?.name ? `${m.name.slice(0, 28)}-${i}` : m.name,
      huggingFace: { repo: `example/model-${i}`, revision: "0123456789abcdef0123456789abcdef01234567" },
      parameterCountBillions: m.parameterCountBillions,
      checkpointDtype: m.checkpointDtype,
      ...(m.quantization === undefined ? {} : { quantization: m.quantization }),
      serving: { gpuType: m.gpuType, gpusPerReplica: m.gpusPerReplica, prefillTokensPerSecond: 20000, decodeTokensPerSecond: 2000, source: "generated" },
      latencySlo: { ttftMs: 1000, tpotMs: 40 },
      demand: { hourly: { requestsPerSecond: [2, 6], inputTokensPerSecond: [2000, 6000], outputTokensPerSecond: [1000, 5000] } },
      ...(m.fallback ? { hostedFallback: { name: `hosted-${i}`, model: "openai/gpt-4o-mini", pricePerMillionInputTokens: 0.15, pricePerMillionOutputTokens: 0.6 } } : {}),
    })),
  };
}

/** A provider block GpuNodePool accepts, so only the pool's shape and the model decide. */
const POOL_BLOCK: Record<Provider, Partial<GpuNodePoolArgs>> = {
  coreweave: { coreweave: {} },
  aws: { aws: { clusterName: "inference", nodeRoleArn: "arn:aws:iam::123456789012:role/nodes", subnetIds: ["subnet-0a1b2c3d"] } },
  gcp: { gcp: { cluster: "inference", project: "acme" } },
  lambda: { lambda: { apiKey: "key", sshKeyName: "ops", cluster: { distribution: "k3s", version: "v1.31.4+k3s1", serverUrl: "https://10.0.0.5:6443", joinToken: "token" } } },
};

/** Whether the components accept `model` on some instance type `provider` offers: the components' answer alone. */
function componentsServe(model: Spec["models"][number], provider: Spec["providers"][number]): boolean {
  const custom = (provider.customInstanceTypes ?? []) as InstanceTypeDefinitionArgs[];
  const shapes: (string | InstanceTypeDefinitionArgs)[] = [...instanceTypesFor(provider.provider).filter((it) => it.gpuType === model.serving.gpuType).map((it) => it.name), ...custom.filter((it) => it.gpuType === model.serving.gpuType)];
  return shapes.some((instanceType) => {
    try {
      const pool = resolveGpuNodePoolArgs("probe", { provider: provider.provider, region: provider.region, instanceType, capacityType: "on-demand", minNodes: 1, maxNodes: 1, ...POOL_BLOCK[provider.provider] });
      resolveVllmServingArgs("probe", {
        placement: pool.placement,
        namespace: "inference",
        image: "vllm/vllm-openai:v0.11.0",
        model: { id: model.huggingFace.repo, revision: model.huggingFace.revision, servedModelName: model.name, parameterCountBillions: model.parameterCountBillions, dtype: model.checkpointDtype },
        ...(model.quantization === undefined ? {} : { quantization: model.quantization }),
        tensorParallelSize: model.serving.gpusPerReplica,
        minReplicas: 1,
        maxReplicas: 1,
        gateway: { namespace: "gateway", podLabels: { app: "gateway" } },
        backend: { tokensPerSecond: 2000, expectedLatencyMs: 1000 },
      });
      return true;
    } catch {
      return false;
    }
  });
}

function componentsAccept(spec: Spec): boolean {
  const needed = spec.policy?.resilience === "provider" ? 2 : 1;
  return spec.models.every((m) => spec.providers.filter((p) => componentsServe(m, p)).length >= needed);
}

function tryPlan(spec: FleetSpecInput): { plan: FleetPlan } | { refused: string } {
  try {
    return { plan: plan(parseFleetSpec(spec)) };
  } catch (error) {
    if (error instanceof FleetSpecError || error instanceof PlanInfeasibleError) return { refused: error.message };
    throw error;
  }
}

/** Every environment the plan uses, and then the shared stack, synthesized from the spec; the first error, if any. */
async function deployEverywhere(spec: FleetSpecInput, p: FleetPlan): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), "switchyard-fleet-"));
  const file = join(dir, "fleet.json");
  writeFileSync(file, JSON.stringify(spec));
  const overrides = { "switchyard:fleetSpec": file };
  const stackOutputs: Record<string, Record<string, unknown>> = {};
  for (const env of PROVIDER_ENVS) {
    const used = p.models.some((m) => m.pools.some((pool) => pool.provider === env && pool.tiers.length > 0));
    if (!used) {
      stackOutputs[`acme/switchyard/${env}`] = { backends: [] };
      continue;
    }
    try {
      stackOutputs[`acme/switchyard/${env}`] = (await synthesizeEnvironment(env, { overrides })).outputs;
    } catch (error) {
      return `${env}: ${(error as Error).message}`;
    }
  }
  try {
    await synthesizeEnvironment("shared", { overrides, stackOutputs });
  } catch (error) {
    return `shared: ${(error as Error).message}`;
  }
  return undefined;
}

describe("the planner accepts exactly the fleets the stacks deploy", () => {
  it("plan(spec) succeeds ⇔ the components accept every model, and a planned fleet synthesizes in every environment", async () => {
    const seen = { planned: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fleetArb, async (f) => {
        const spec = specOf(f);
        const planned = tryPlan(spec);
        const accepted = componentsAccept(spec);
        if ("refused" in planned) {
          seen.refused++;
          expect(accepted, `the planner refused a fleet the components accept: ${planned.refused}`).toBe(false);
          return;
        }
        seen.planned++;
        expect(accepted, "the planner accepted a fleet the components refuse").toBe(true);
        expect(await deployEverywhere(spec, planned.plan)).toBeUndefined();
      }),
      { numRuns: 150, seed: 20261203, endOnFailure: true },
    );
    // Both sides of the ⇔ were exercised.
    expect(seen.planned).toBeGreaterThan(5);
    expect(seen.refused).toBeGreaterThan(5);
  }, 600_000);
});
