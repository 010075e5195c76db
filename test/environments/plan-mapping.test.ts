/**
 * What is priced is what is deployed. The plan of each fleet is compared with what the stacks synthesize from it,
 * read back from the cloud resources themselves — a CoreWeave NodePool's computeClass and node bounds, an EKS node
 * group's capacityType and scaling config, a GKE pool's spot flag, the Lambda instances, each vLLM Deployment's
 * replicas or ScaledObject bounds, the gateway's LiteLLM config, the weight-copy workloads — and never through
 * the stacks' own plan-to-arguments mapping.
 */
import type { CapacityType, Provider } from "@switchyard/catalog";
import type { RecordedResource } from "@switchyard/synth";
import { beforeAll, describe, expect, it } from "vitest";
import { GCP_FLEET_SPEC, PROVIDER_ENVS, deployFleet as deploy, gatewayConfig } from "./fixtures";
import type { DeployedFleet as Deployed } from "./fixtures";

type Env = (typeof PROVIDER_ENVS)[number];

/** One GPU pool as its cloud's resource describes it. */
interface DeployedPool {
  provider: Provider;
  pool: string;
  capacityType: CapacityType;
  instanceType: string;
  minNodes: number;
  maxNodes: number;
}

const child = (rs: RecordedResource[], parent: string, type: (t: string) => boolean) => rs.find((r) => r.parentName === parent && r.custom && type(r.type));

/** Reads a GpuNodePool's nodes from the cloud resource it created: the purchase tier, the shape and the bounds. */
function deployedPool(rs: RecordedResource[], env: Env, pool: string): DeployedPool {
  switch (env) {
    case "coreweave": {
      const spec = child(rs, pool, (t) => t === "kubernetes:compute.coreweave.com/v1alpha1:NodePool")!.inputs["spec"] as Record<string, unknown>;
      // CKS: spot is a compute class; a fixed (non-autoscaled) default pool is the reserved baseline.
      const capacityType: CapacityType = spec["computeClass"] === "spot" ? "spot" : spec["autoscaling"] === false ? "reserved" : "on-demand";
      return { provider: env, pool, capacityType, instanceType: String(spec["instanceType"]), minNodes: Number(spec["minNodes"]), maxNodes: Number(spec["maxNodes"]) };
    }
    case "aws": {
      const group = child(rs, pool, (t) => t === "aws:eks/nodeGroup:NodeGroup")!.inputs;
      const scaling = group["scalingConfig"] as { minSize: number; maxSize: number };
      // A managed node group bills reserved capacity as ON_DEMAND (the reservation is billing): only its tag tells them apart.
      const reserved = (group["tags"] as Record<string, string>)["switchyard.dev/capacity-type"] === "reserved";
      const capacityType: CapacityType = group["capacityType"] === "SPOT" ? "spot" : reserved ? "reserved" : "on-demand";
      return { provider: env, pool, capacityType, instanceType: (group["instanceTypes"] as string[])[0]!, minNodes: scaling.minSize, maxNodes: scaling.maxSize };
    }
    case "gcp": {
      const gke = child(rs, pool, (t) => t === "gcp:container/nodePool:NodePool")!.inputs;
      const config = gke["nodeConfig"] as Record<string, unknown>;
      const autoscaling = gke["autoscaling"] as Record<string, number>;
      const capacityType: CapacityType = config["spot"] === true ? "spot" : config["reservationAffinity"] !== undefined ? "reserved" : "on-demand";
      return { provider: env, pool, capacityType, instanceType: String(config["machineType"]), minNodes: autoscaling["totalMinNodeCount"]!, maxNodes: autoscaling["totalMaxNodeCount"]! };
    }
    case "lambda": {
      // One instance per node, launched through the API: a fixed count, on-demand (Lambda sells nothing else).
      const instances = rs.filter((r) => r.parentName === pool && r.type === "pulumi-nodejs:dynamic:Resource");
      return { provider: env, pool, capacityType: "on-demand", instanceType: String(instances[0]!.inputs["instanceTypeName"]), minNodes: instances.length, maxNodes: instances.length };
    }
  }
}

/** One vLLM server as its Deployment and autoscaler describe it, and the pool its pods are pinned to. */
interface DeployedServer {
  backend: string;
  pool: string;
  minReplicas: number;
  maxReplicas: number;
}

function deployedServer(rs: RecordedResource[], backend: string): DeployedServer {
  const deployment = child(rs, backend, (t) => t === "kubernetes:apps/v1:Deployment")!.inputs as { spec: { replicas?: number; template: { spec: { nodeSelector: Record<string, string> } } } };
  const scaler = child(rs, backend, (t) => t === "kubernetes:keda.sh/v1alpha1:ScaledObject")?.inputs["spec"] as { minReplicaCount: number; maxReplicaCount: number } | undefined;
  const pool = deployment.spec.template.spec.nodeSelector["switchyard.dev/pool"]!;
  if (scaler !== undefined) return { backend, pool, minReplicas: scaler.minReplicaCount, maxReplicas: scaler.maxReplicaCount };
  return { backend, pool, minReplicas: deployment.spec.replicas!, maxReplicas: deployment.spec.replicas! };
}



/** The weight strategy a ModelWeightCache deployed, from its workloads: a copy Job (replicate), a DaemonSet (node-cache), or nothing (stream). */
function deployedStrategy(rs: RecordedResource[], cache: string): string {
  if (child(rs, cache, (t) => t === "kubernetes:batch/v1:Job") !== undefined) return "replicate";
  if (child(rs, cache, (t) => t === "kubernetes:apps/v1:DaemonSet") !== undefined) return "node-cache";
  return rs.some((r) => r.parentName === cache && r.custom) ? "unknown" : "stream";
}


describe.each([
  ["the example fleet", "examples/fleet.yaml"],
  ["a CoreWeave + GCP fleet", GCP_FLEET_SPEC],
  ["contract prices, an instance type the catalog lacks, and resilience none", "test/environments/fleet-contract.yaml"],
])("%s: the plan and the deployment agree", (_name, specPath) => {
  let d: Deployed;
  beforeAll(async () => {
    d = await deploy(specPath);
  }, 120_000);

  it("deploys exactly the plan's GPU backends: per backend its provider, tier, instance type, node and replica bounds", () => {
    const planned = d.plan.models.flatMap((m) => m.pools.flatMap((p) => p.tiers.map((t) => ({ t, p }))));
    const deployed = PROVIDER_ENVS.flatMap((env) => (d.providers[env] ?? []).filter((r) => r.type === "switchyard:index:VllmServing").map((r) => ({ env, backend: r.name })));
    expect(deployed.map((x) => x.backend).sort()).toEqual(planned.map((x) => x.t.backend).sort());
    expect(planned.length).toBeGreaterThan(0);
    for (const { t, p } of planned) {
      const rs = d.providers[p.provider]!;
      const server = deployedServer(rs, t.backend);
      const pool = deployedPool(rs, p.provider, server.pool);
      expect({ backend: t.backend, ...pool, minReplicas: server.minReplicas, maxReplicas: server.maxReplicas }).toEqual({
        backend: t.backend,
        provider: p.provider,
        pool: server.pool,
        capacityType: t.capacityType,
        instanceType: p.instanceType,
        minNodes: t.minNodes,
        maxNodes: t.maxNodes,
        minReplicas: t.minReplicas,
        maxReplicas: t.maxReplicas,
      });
    }
  });

  it("holds policy.maxSpotShare at any load the deployed tiers can reach: every spot tier at its maximum beside only the fixed ones", () => {
    for (const m of d.plan.models) {
      const servers = m.pools.flatMap((p) =>
        p.tiers.map((t) => {
          const rs = d.providers[p.provider]!;
          const server = deployedServer(rs, t.backend);
          return { ...server, capacityType: deployedPool(rs, p.provider, server.pool).capacityType, scaled: child(rs, t.backend, (x) => x === "kubernetes:keda.sh/v1alpha1:ScaledObject") !== undefined };
        }),
      );
      // The gateway sends spill to spot before on-demand, and each tier scales on its own load.
      const spot = servers.filter((s) => s.capacityType === "spot").reduce((a, s) => a + s.maxReplicas, 0);
      const fixed = servers.filter((s) => !s.scaled).reduce((a, s) => a + s.maxReplicas, 0);
      expect(spot, `${m.name}: ${spot} spot replicas beside ${fixed} fixed`).toBeLessThanOrEqual(d.plan.policy.maxSpotShare * (fixed + spot) + 1e-9);
    }
  });

  it("routes each backend in the plan's order and bills it at the plan's per-token prices", () => {
    const entries = gatewayConfig(d.shared).model_list;
    const gpu = d.plan.backends.filter((b) => b.provider !== "hosted");
    for (const b of gpu) {
      const entry = entries.find((e) => e.model_info.id === b.name);
      expect(entry, `${b.name} is not in the gateway's model_list`).toBeDefined();
      expect({ group: entry!.model_name, order: entry!.litellm_params.order, input: entry!.litellm_params.input_cost_per_token, output: entry!.litellm_params.output_cost_per_token }).toEqual({
        group: b.model,
        order: b.order,
        input: b.tokenPrices.inputCostPerToken,
        output: b.tokenPrices.outputCostPerToken,
      });
    }
  });

  it("caps each backend at the concurrency the plan sizes it for, shared by the gateway's proxies: the rest overflows to the next tier", () => {
    const entries = gatewayConfig(d.shared).model_list;
    const proxies = (d.shared.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.parentName === "gateway")!.inputs as { spec: { replicas: number } }).spec.replicas;
    for (const b of d.plan.backends.filter((x) => x.provider !== "hosted")) {
      const cap = entries.find((e) => e.model_info.id === b.name)!.litellm_params.max_parallel_requests;
      expect(b.maxConcurrentRequests).toBe(b.plannedReplicas.max * d.plan.models.find((m) => m.name === b.model)!.concurrentRequestsPerReplica);
      expect(`${b.name}: ${cap}`).toBe(`${b.name}: ${Math.ceil(b.maxConcurrentRequests! / proxies)}`);
    }
  });

  it("deploys the hosted fallback the plan prices: model, provider, price, rate limit, and the groups it covers", () => {
    const config = gatewayConfig(d.shared);
    const withFallback = d.plan.models.filter((m) => m.hostedFallback !== null);
    const fallbackEntries = config.model_list.filter((e) => e.model_info.id.startsWith("fallback-"));
    expect(fallbackEntries.map((e) => e.model_name).sort()).toEqual([...new Set(withFallback.map((m) => m.hostedFallback!.name))].sort());
    for (const m of withFallback) {
      const h = m.hostedFallback!;
      const priced = d.plan.backends.find((b) => b.model === m.name && b.provider === "hosted")!;
      const entry = fallbackEntries.find((e) => e.model_name === h.name)!;
      expect({
        model: entry.litellm_params.model,
        provider: entry.litellm_params.model.split("/")[0],
        input: entry.litellm_params.input_cost_per_token,
        output: entry.litellm_params.output_cost_per_token,
        rpm: entry.litellm_params.rpm ?? null,
        tpm: entry.litellm_params.tpm ?? null,
      }).toEqual({
        model: h.model,
        provider: h.model.split("/")[0],
        input: h.pricePerMillionInputTokens / 1e6,
        output: h.pricePerMillionOutputTokens / 1e6,
        rpm: h.requestsPerMinute,
        tpm: h.tokensPerMinute,
      });
      expect(priced.tokenPrices).toEqual({ inputCostPerToken: h.pricePerMillionInputTokens / 1e6, outputCostPerToken: h.pricePerMillionOutputTokens / 1e6 });
      expect(config.router_settings.fallbacks).toContainEqual({ [m.name]: [h.name] });
    }
    // The rate limits the plan counts on are the ones the gateway holds the hosted API to (not routing hints).
    const limited = withFallback.some((m) => m.hostedFallback!.requestsPerMinute !== null || m.hostedFallback!.tokensPerMinute !== null);
    expect(config.router_settings.optional_pre_call_checks ?? null).toEqual(limited ? ["enforce_model_rate_limits"] : null);
    // A model the plan gives no fallback falls back to nothing.
    for (const m of d.plan.models.filter((x) => x.hostedFallback === null)) {
      expect((config.router_settings.fallbacks ?? []).some((f) => f[m.name] !== undefined)).toBe(false);
    }
  });

  it("moves the weights by the strategy the plan chose for each provider", () => {
    for (const w of d.plan.weightDistribution) {
      const rs = d.providers[w.provider]!;
      const caches = rs.filter((r) => r.type === "switchyard:index:ModelWeightCache");
      expect(caches.length, `${w.provider} deploys no weight cache`).toBeGreaterThan(0);
      for (const c of caches) expect(`${w.provider} ${c.name}: ${deployedStrategy(rs, c.name)}`).toBe(`${w.provider} ${c.name}: ${w.strategy}`);
    }
  });

  it("serves each model as the plan describes it: its name, tensor parallelism, quantization and context length reach vLLM", () => {
    for (const m of d.plan.models) {
      for (const p of m.pools.filter((x) => x.tiers.length > 0)) {
        for (const t of p.tiers) {
          const deployment = child(d.providers[p.provider]!, t.backend, (x) => x === "kubernetes:apps/v1:Deployment")!.inputs as { spec: { template: { spec: { containers: { args: string[] }[] } } } };
          const args = deployment.spec.template.spec.containers[0]!.args;
          const flag = (name: string) => args[args.indexOf(name) + 1];
          // The backend's own name first (vLLM's metrics label, so each tier scales on its own queue), then the model's.
          expect(args.slice(args.indexOf("--served-model-name") + 1, args.indexOf("--served-model-name") + 3)).toEqual([t.backend, m.name]);
          expect(flag("--tensor-parallel-size")).toBe(String(m.gpusPerReplica));
          if (m.quantization !== null) expect(flag("--quantization")).toBe(m.quantization);
          if (m.maxModelLen !== null) expect(flag("--max-model-len")).toBe(String(m.maxModelLen));
        }
      }
    }
  });
});
