/**
 * One provider environment (coreweave, lambda, aws, gcp): for every model and purchase tier the plan puts
 * on this provider, a GpuNodePool, the weights by the plan's strategy (ModelWeightCache, when the stack
 * config publishes a manifest), and a VllmServing. Exports the `Backend`s and their API keys (secret) for
 * the shared stack's gateway.
 *
 * Every component's arguments are resolved (validated) before the first resource is registered, so a
 * configuration one component would refuse leaves nothing half-created.
 */
import { readFileSync } from "node:fs";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { replicasPerNode } from "@switchyard/catalog";
import type { Provider } from "@switchyard/catalog";
import {
  GpuNodePool,
  ModelWeightCache,
  VllmServing,
  derivedKey,
  gatewayPodLabels,
  gatewayWakeQuery,
  resolveGpuNodePoolArgs,
  resolveModelWeightCacheArgs,
  resolveVllmServingArgs,
} from "@switchyard/components";
import type { Backend, GpuNodePoolArgs, ModelWeightCacheArgs, VllmServingArgs, WeightFileArgs, WeightStrategy } from "@switchyard/components";
import type { ProviderConfig, ProviderEnvironment, WeightsConfig } from "./config";
import { SHARED_GATEWAY_NAME, StackConfigError } from "./config";
import { plannedWeightStrategy, tierDeployments } from "./deployments";
import type { TierDeployment } from "./deployments";
import type { Fleet } from "./fleet";
import { repoPath } from "./fleet";

/** What the stack's components need to know about the cluster they deploy into. */
export interface ClusterHandles {
  kubeconfig: pulumi.Input<string>;
  /** EKS cluster name and GPU node role (AWS). */
  clusterName?: pulumi.Input<string>;
  nodeRoleArn?: pulumi.Input<string>;
  /** GKE cluster name (GCP). */
  gkeCluster?: pulumi.Input<string>;
}

/**
 * Where the cluster comes from: an existing one (its kubeconfig) or one the stack creates. `planned` has the
 * same shape with stand-ins, so every component's arguments are validated before anything is registered.
 */
export interface ClusterSource {
  planned: ClusterHandles;
  /** `opts` carries the stack's explicit cloud provider (region, project) for what it registers. */
  create(opts: pulumi.CustomResourceOptions): ClusterHandles;
}

/** The default: a cluster created outside Pulumi, reached through the kubeconfig in the stack config. */
export function existingCluster(config: ProviderConfig, handles: Omit<ClusterHandles, "kubeconfig"> = {}): ClusterSource {
  const planned = { kubeconfig: "(kubeconfig)", ...handles };
  return { planned, create: () => ({ ...handles, kubeconfig: pulumi.secret(config.kubeconfig ?? "") }) };
}

/** What a provider stack exports; the shared stack reads it through a StackReference. */
export interface ProviderStackOutputs {
  environment: ProviderEnvironment;
  /** The plan's backends that this stack deployed, plain values. */
  backends: Backend[];
  /** API key per `Backend.apiKeySecretEnv`: a secret output. */
  backendApiKeys: pulumi.Output<Record<string, string>>;
  /** The plan's weight-distribution choice here, and whether the stack applied it. */
  weights: { strategy: WeightStrategy | "hub"; reason: string };
  /** This provider's share of the plan's monthly cost, USD. */
  plannedMonthlyCostUsd: number;
  /** How to reach the cluster (secret): for a created cluster, what the shared stack's `kubeconfig` is set to. */
  kubeconfig: pulumi.Output<string>;
}

interface Composed {
  /** `ephemeralStoragePerNodeGiB`: what the pool's vLLM replicas on one node request of its local disk. */
  pools: { name: string; deployment: TierDeployment; ephemeralStoragePerNodeGiB: number }[];
  caches: { name: string; args: ModelWeightCacheArgs; for: string[] }[];
  servers: { name: string; args: VllmServingArgs; pool: string; cache: string | undefined }[];
  strategy: WeightStrategy | "hub";
  reason: string;
}

/**
 * Deploys one provider environment. `poolBlock` is the provider-specific part of each GpuNodePool's
 * arguments (cluster name, API key, ...).
 */
export function deployProviderStack(
  environment: ProviderEnvironment,
  config: ProviderConfig,
  fleet: Fleet,
  poolBlock: (d: TierDeployment, cluster: ClusterHandles) => Partial<GpuNodePoolArgs>,
  options: { cloudProvider?: () => pulumi.ProviderResource; cluster?: ClusterSource } = {},
): ProviderStackOutputs {
  const provider: Provider = environment;
  const source = options.cluster ?? existingCluster(config);
  const composed = compose(environment, config, fleet, (d, disk) => poolArgs(provider, d, poolBlock(d, source.planned), disk));

  // Everything validated: now, and only now, register resources.
  const cloud = options.cloudProvider?.();
  const handles = source.create(cloud === undefined ? {} : { provider: cloud });
  const cluster = new k8s.Provider("cluster", { kubeconfig: pulumi.secret(handles.kubeconfig), enableServerSideApply: true });
  // Everything below waits on the namespace: created here, or read, so that a missing one stops the update first.
  const namespace = config.createNamespace
    ? new k8s.core.v1.Namespace("namespace", { metadata: { name: config.namespace } }, { provider: cluster })
    : k8s.core.v1.Namespace.get("namespace", config.namespace, { provider: cluster });
  const opts = { providers: cloud === undefined ? [cluster] : [cluster, cloud], dependsOn: [namespace] };
  const pools = new Map(
    composed.pools.map((p) => [p.name, new GpuNodePool(p.name, poolArgs(provider, p.deployment, poolBlock(p.deployment, handles), p.ephemeralStoragePerNodeGiB), opts)]),
  );
  const caches = new Map(composed.caches.map((c) => [c.name, new ModelWeightCache(c.name, c.args, opts)]));
  const servers = composed.servers.map((s) => {
    const dependsOn: pulumi.Resource[] = [namespace, pools.get(s.pool)!];
    if (s.cache !== undefined) dependsOn.push(caches.get(s.cache)!);
    return new VllmServing(s.name, s.args, { ...opts, dependsOn });
  });

  const keys = Object.fromEntries(servers.map((s) => [s.backend.apiKeySecretEnv, s.apiKey]));
  const cost = fleet.plan.cost.byProvider.find((c) => c.provider === provider);
  return {
    environment,
    backends: servers.map((s) => s.backend),
    backendApiKeys: pulumi.secret(pulumi.output(keys)),
    weights: { strategy: composed.strategy, reason: composed.reason },
    plannedMonthlyCostUsd: Math.round((cost?.total ?? 0) * 100) / 100,
    kubeconfig: pulumi.secret(pulumi.output(handles.kubeconfig)),
  };
}

function poolArgs(provider: Provider, d: TierDeployment, block: Partial<GpuNodePoolArgs>, ephemeralStoragePerNodeGiB: number): GpuNodePoolArgs {
  return {
    provider,
    region: d.region,
    ...(d.allowUnlistedRegion ? { allowUnlistedRegion: true } : {}),
    // The plan's instance type, prices included: the placement (and so the gateway's per-token price) costs what the plan priced.
    instanceType: d.instance,
    capacityType: d.capacityType,
    minNodes: d.minNodes,
    maxNodes: d.maxNodes,
    labels: { "switchyard.dev/model": d.model },
    // The node's local disk (NVMe, or the node disk it sizes) holds what the replicas on it write.
    ephemeralStoragePerNodeGiB,
    ...block,
  };
}

/** Builds and validates every component's arguments; throws before anything is registered. */
function compose(
  environment: ProviderEnvironment,
  config: ProviderConfig,
  fleet: Fleet,
  plannedPoolArgs: (d: TierDeployment, ephemeralStoragePerNodeGiB: number) => GpuNodePoolArgs,
): Composed {
  const provider: Provider = environment;
  const problems: string[] = [];
  if (!fleet.spec.providers.some((p) => p.provider === provider)) {
    problems.push(`switchyard:fleetSpec ${config.fleetSpec} does not enable ${provider}; fix: add it under providers: in the spec, or do not deploy this stack`);
  }
  if (environment !== "aws" && config.ingress === undefined) {
    problems.push(`switchyard:ingress is missing: the gateway runs on AWS and reaches ${provider} backends through an ingress; fix: pulumi config set --path switchyard:ingress.domain <domain> -s ${environment} (and className, tlsSecretName, controllerNamespace)`);
  }
  const deployments = tierDeployments(fleet.plan, provider);
  const fromZero = deployments.filter((d) => d.scalesToZero);
  if (fromZero.length > 0 && config.gatewayMetrics === undefined) {
    problems.push(
      `switchyard:gatewayMetrics is missing: the plan scales ${fromZero.map((d) => d.backendName).join(", ")} to zero, and only the gateway's metrics can wake them; fix: pulumi config set --path switchyard:gatewayMetrics.url <url of the Prometheus that scrapes the gateway> -s ${environment} (and gatewayMetrics.bearerTokenSecret when it is outside this cluster)`,
    );
  }
  const served = new Set(fleet.plan.models.map((m) => m.name));
  for (const model of Object.keys(config.weights)) {
    if (!served.has(model)) {
      problems.push(`switchyard:weights.${model} names no model of the fleet spec (${[...served].join(", ")}); fix: correct the name, or remove it (pulumi config rm --path switchyard:weights.${model} -s ${environment})`);
    }
  }
  if (problems.length > 0) throw new StackConfigError(environment, problems);

  const planned = plannedWeightStrategy(fleet.plan, provider);
  const composed: Composed = { pools: [], caches: [], servers: [], strategy: "hub", reason: "no weights manifest configured: vLLM loads the pinned revision from the Hugging Face Hub" };
  const cachesByModel = new Map<string, string>();
  for (const d of deployments) {
    // Where the pods go does not depend on how much local disk they take.
    const placement = resolveGpuNodePoolArgs(d.poolName, plannedPoolArgs(d, 0)).placement;

    const weights = config.weights[d.model];
    let cacheName: string | undefined;
    if (weights !== undefined && planned !== undefined) {
      const strategy = planned.strategy;
      composed.strategy = strategy;
      composed.reason = planned.reason;
      // One copy per model serves every tier, except node-cache, which lives on each pool's own nodes.
      cacheName = strategy === "node-cache" ? `${d.model}-${d.capacityType}-weights` : `${d.model}-weights`;
      if (!cachesByModel.has(cacheName)) {
        const args = weightCacheArgs(environment, fleet, config, weights, d, strategy, placement);
        resolveModelWeightCacheArgs(cacheName, args);
        composed.caches.push({ name: cacheName, args, for: [d.backendName] });
        cachesByModel.set(cacheName, cacheName);
      }
    }
    const weightSource = cacheName === undefined ? undefined : resolveModelWeightCacheArgs(cacheName, composed.caches.find((c) => c.name === cacheName)!.args).weightSource;
    const serverArgs = servingArgs(config, d, placement, weightSource);
    const server = resolveVllmServingArgs(d.backendName, serverArgs);
    // Every replica a node can hold (its GPUs ÷ the replica's), each with its own ephemeral-storage request.
    const ephemeralStoragePerNodeGiB = replicasPerNode(placement.gpusPerNode, server.tensorParallelSize) * server.resources.ephemeralStorageGiB;
    resolveGpuNodePoolArgs(d.poolName, plannedPoolArgs(d, ephemeralStoragePerNodeGiB));
    composed.pools.push({ name: d.poolName, deployment: d, ephemeralStoragePerNodeGiB });
    composed.servers.push({ name: d.backendName, args: serverArgs, pool: d.poolName, cache: cacheName });
  }
  return composed;
}

function weightCacheArgs(
  environment: ProviderEnvironment,
  fleet: Fleet,
  config: ProviderConfig,
  w: WeightsConfig,
  d: TierDeployment,
  strategy: WeightStrategy,
  placement: VllmServingArgs["placement"],
): ModelWeightCacheArgs {
  const origin = fleet.plan.weightOrigin;
  return {
    placement,
    strategy,
    namespace: config.namespace,
    model: {
      name: d.model,
      files: readManifest(environment, d.model, w.manifestFile),
      huggingFace: d.huggingFace,
    },
    origin: {
      provider: origin.provider,
      uri: w.originUri,
      region: w.originRegion ?? origin.region,
      credentialsSecret: w.originCredentialsSecret,
    },
    ...(strategy === "replicate" && w.replica !== undefined ? { replica: w.replica } : {}),
    ...(strategy === "node-cache" && w.nodeCacheHostPath !== undefined ? { nodeCache: { hostPath: w.nodeCacheHostPath } } : {}),
    egressAssumptions: { nodes: Math.max(1, d.maxNodes) },
  };
}

function servingArgs(
  config: ProviderConfig,
  d: TierDeployment,
  placement: VllmServingArgs["placement"],
  weightSource: VllmServingArgs["weightSource"],
): VllmServingArgs {
  const fixed = d.minReplicas === d.maxReplicas;
  return {
    placement,
    namespace: config.namespace,
    image: config.vllmImage,
    apiKey: derivedKey(config.keySeed, `vllm-api-key/${d.backendName}`),
    model: {
      id: d.huggingFace.repo,
      revision: d.huggingFace.revision,
      servedModelName: d.model,
      parameterCountBillions: d.parameterCountBillions,
      dtype: d.checkpointDtype,
      // The plan's checkpoint size (the spec's, or parameters × dtype): the download volume and the node disks agree.
      weightsGB: d.weightsGB,
    },
    ...(weightSource === undefined ? {} : { weightSource }),
    // The Hub token only matters when vLLM downloads from the Hub.
    ...(config.hfTokenSecret === undefined || weightSource !== undefined ? {} : { hfTokenSecret: config.hfTokenSecret }),
    tensorParallelSize: d.tensorParallelSize,
    ...(d.maxModelLen === undefined ? {} : { maxModelLen: d.maxModelLen }),
    ...(d.quantization === undefined ? {} : { quantization: d.quantization }),
    minReplicas: d.minReplicas,
    maxReplicas: d.maxReplicas,
    // Reserved capacity is paid for around the clock: run it all. Burst tiers follow the queue from zero.
    ...(fixed ? {} : { autoscaling: burstAutoscaling(config, d) }),
    gateway: { namespace: config.gateway.namespace, podLabels: config.gateway.podLabels ?? gatewayPodLabels(SHARED_GATEWAY_NAME) },
    ...(config.ingress === undefined
      ? {}
      : {
          ingress: {
            host: `${d.backendName}.${config.ingress.domain}`,
            className: config.ingress.className,
            tlsSecretName: config.ingress.tlsSecretName,
            controllerNamespace: config.ingress.controllerNamespace,
          },
        }),
    backend: { modelName: d.model, tokensPerSecond: d.decodeTokensPerSecond, expectedLatencyMs: d.expectedLatencyMs, concurrentRequestsPerReplica: d.concurrentRequestsPerReplica },
  };
}

/**
 * Requests in flight from the cluster's Prometheus, as the plan sizes them; from zero, the model's spill at the gateway
 * wakes the tier; and the plan's schedule as a weekly floor, pre-warming each planned rise a boot time ahead.
 */
function burstAutoscaling(config: ProviderConfig, d: TierDeployment): NonNullable<VllmServingArgs["autoscaling"]> {
  const gatewayMetrics = config.gatewayMetrics;
  return {
    mode: "keda",
    prometheusServerUrl: config.prometheusUrl,
    metricsScraper: config.prometheusScraper,
    targetInFlightPerReplica: d.scaler.targetInFlightPerReplica,
    scaleDownCooldownSeconds: d.scaler.scaleDownCooldownSeconds,
    ...(d.schedule.length > 0 ? { schedule: d.schedule.map((w) => ({ ...w })) } : {}),
    ...(d.scalesToZero && gatewayMetrics !== undefined
      ? {
          wake: {
            query: gatewayWakeQuery(d.model, d.wakeBackends),
            threshold: d.scaler.wakeRequestsPerSecondPerReplica,
            prometheusServerUrl: gatewayMetrics.url,
            ...(gatewayMetrics.bearerTokenSecret === undefined ? {} : { bearerTokenSecret: gatewayMetrics.bearerTokenSecret }),
          },
        }
      : {}),
  };
}

/** A weights manifest: `[{ path, sizeBytes, sha256 }]`, every file of the published revision. */
function readManifest(environment: ProviderEnvironment, model: string, file: string): WeightFileArgs[] {
  try {
    return JSON.parse(readFileSync(repoPath(file), "utf8")) as WeightFileArgs[];
  } catch (error) {
    throw new StackConfigError(environment, [
      `switchyard:weights.${model}.manifestFile = ${JSON.stringify(file)} cannot be read (${(error as Error).message}); fix: point it at the JSON manifest ([{path, sizeBytes, sha256}]) of the published revision, relative to the repository root`,
    ]);
  }
}
