/**
 * `plan(spec)`: capacity per provider × model and tier, routing weights and order, weight
 * distribution per provider, and the monthly cost against a single-cloud baseline. Deterministic
 * (no clock, no randomness) and exact for its cost model (see capacity.ts, allocate.ts).
 */
import { CATALOG_COMPILED_ON, INSTANCE_TYPES, concurrentRequestsPerReplica, egressPricePerGB, isKnownRegion, replicaCostPerHour, replicasPerNode, routingOrder, tensorParallelProblem } from "@switchyard/catalog";
import type { CapacityType, InstanceType, Provider } from "@switchyard/catalog";
import { classicReservedUnits, cycleCostFor, demandSizeIssues, fitSpotToBudget, hostedReplicasByHour, modelLevels, outageBounds, planCapacity } from "./capacity";
import type { Levels } from "./capacity";
import { HOURS_PER_MONTH } from "./defaults";
import { FleetSpecError, PlanInfeasibleError } from "./errors";
import { hostedCoverShortfall, hostedUsd } from "./hosted-capacity";
import { providerInstanceTypes } from "./instance-types";
import { resolveFleet } from "./resolve";
import { tierSchedule } from "./schedule";
import type { ResolvedFleet, ResolvedModel, ResolvedPool } from "./resolve";
import { backendName, routeModel } from "./routing";
import type { BackendCandidate } from "./routing";
import { parseFleetSpec } from "./spec";
import type { FleetSpec, FleetSpecInput } from "./spec";
import { FLEET_PLAN_KIND, FLEET_PLAN_VERSION } from "./types";
import type { BaselineComparison, FleetPlan, ModelPlan, MonthlyCost, PoolPlan, PoolTierPlan, ReservedDecision, WeightDistributionPlan } from "./types";
import { chooseWeightDistribution, nodeStartsPerMonth, weightLoadMinutes } from "./weight-distribution";

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const round2 = (x: number) => Math.round(x * 100) / 100;

interface ModelWork {
  model: ResolvedModel;
  levels: Levels;
  reserved: number[];
  spot: number[][];
  onDemand: number[][];
  maxNodes: number[];
  maxSpot: number[];
  reservedDecision: ReservedDecision | null;
}

function planModel(fleet: ResolvedFleet, model: ResolvedModel, warnings: string[]): ModelWork {
  const { policy } = fleet.spec;
  const resilience = policy.resilience === "provider";
  if (model.pools.length === 0) throw new PlanInfeasibleError(`no enabled provider can host ${model.name}`);
  if (resilience && policy.outageCover === "hosted") refuseHostedCoverShortfall(fleet, model);
  const levels = modelLevels(model, policy);
  const planned = planCapacity(model, levels, policy.maxSpotShare, resilience);
  if (planned.search === "coordinate") warnings.push(`${model.name}: too many reserved combinations to try them all; reserved levels found by coordinate search`);
  const bounds = outageBounds(model.pools, planned.reserved, levels, policy.maxSpotShare, resilience);
  if (resilience && bounds.shortfalls.length > 0) {
    const s = bounds.shortfalls[0]!;
    throw new PlanInfeasibleError(
      `${model.name}: if ${model.pools[s.pool]!.provider.provider} is lost, the other providers can reach at most ${s.reachable} replicas but peak × headroom needs ${s.needed}` +
        `${policy.outageCover === "spare" ? "" : " beyond what the hosted API carries"}; ` +
        `raise providers[].maxNodes on the others, enable another provider, ${policy.outageCover === "spare" ? "let the hosted API carry part of it (policy.outageCover: both), " : "raise the hosted rate limit, "}or set policy.resilience: none`,
    );
  }
  const cap = fitSpotToBudget(model, levels, policy.maxSpotShare, planned, bounds.maxSpot);
  const maxSpot = cap.maxSpot;
  const maxNodes = model.pools.map((p, i) => (p.onDemandPrice === undefined ? cap.reserved[i]! + maxSpot[i]! : Math.max(cap.maxNodes[i]!, bounds.maxNodes[i]!)));
  model.pools.forEach((p, i) => {
    if (Number.isFinite(p.maxNodes) && maxNodes[i]! >= p.maxNodes && maxNodes[i]! > cap.reserved[i]!) {
      warnings.push(`${model.name}: the ${p.provider.provider} quota (${p.maxNodes} nodes) binds in the outage or peak scenario`);
    }
  });
  return { model, levels, reserved: cap.reserved, spot: cap.spot, onDemand: cap.onDemand, maxNodes, maxSpot, reservedDecision: reservedDecision(model, levels, cap.reserved, policy.maxSpotShare, fleet.spec.policy.headroom) };
}

/**
 * Under `outageCover: hosted` the hosted API alone carries `outageShare` of the demand when a provider fails, whichever
 * it is: its rate limit must allow that at every hour of the profile.
 */
function refuseHostedCoverShortfall(fleet: ResolvedFleet, model: ResolvedModel): void {
  const { outageShare } = fleet.spec.policy;
  const hosted = hostedReplicasByHour(model);
  const short = model.profile.demandReplicas.map((d, h) => hostedCoverShortfall(outageShare, d, hosted[h]!));
  const worst = short.reduce((a, x, h) => (x > short[a]! ? h : a), 0);
  if (!(short[worst]! > 1e-9)) return;
  const p = model.profile;
  const at = `models[${fleet.models.indexOf(model)}].hostedFallback`;
  const h = model.spec.hostedFallback!;
  const rpm = Math.ceil(outageShare * Math.max(...p.requestsPerSecond) * 60);
  const tpm = Math.ceil(outageShare * Math.max(...p.inputTokensPerSecond.map((x, i) => x + p.outputTokensPerSecond[i]!)) * 60);
  const limits = [h.requestsPerMinute === undefined ? "" : `${h.requestsPerMinute} requests/min`, h.tokensPerMinute === undefined ? "" : `${h.tokensPerMinute} tokens/min`].filter((x) => x !== "").join(", ");
  throw new PlanInfeasibleError(
    `${model.name}: policy.outageCover is hosted, so ${h.name} must carry ${outageShare} × the demand when a provider fails, ` +
      `but at profile hour ${worst} its rate limit (${limits}) leaves ${Math.ceil(short[worst]!)} replicas' worth uncovered; ` +
      `raise ${at}.requestsPerMinute to at least ${rpm} and ${at}.tokensPerMinute to at least ${tpm} (or remove them), or set policy.outageCover: both (the GPUs hold what the limit cannot)`,
  );
}

/**
 * Expected hosted API spend per month covering outages: for each provider q, the chance it is down (1 − availability)
 * × what the hosted API takes at each hour when q's replicas are lost: the part of `outageShare` × demand the other
 * providers' running capacity does not hold, up to what the hosted API carries then (`levels.outageHosted`; 0 under
 * `spare`). Before the survivors' burst is ready: a long outage costs less, as they take over.
 */
function expectedOutageHostedCost(w: ModelWork, outageShare: number, hoursPerMonth: number): number {
  const hosted = w.model.spec.hostedFallback;
  if (hosted === undefined) return 0;
  const p = w.model.profile;
  const H = w.levels.required.length;
  let cost = 0;
  w.model.pools.forEach((q, qi) => {
    let perCycle = 0;
    for (let h = 0; h < H; h++) {
      const d = p.demandReplicas[h]!;
      if (d <= 0) continue;
      const running = w.model.pools.map((pool, i) => pool.k * (w.reserved[i]! + w.spot[h]![i]! + w.onDemand[h]![i]!));
      const held = running.reduce((a, c) => a + c, 0) - running[qi]!;
      const taken = Math.min(Math.max(0, outageShare * d - held), w.levels.outageHosted[h]!);
      const hostedPerHour = hostedUsd(hosted, p.inputTokensPerSecond[h]! * 3600, p.outputTokensPerSecond[h]! * 3600);
      perCycle += (taken / d) * hostedPerHour;
    }
    cost += (1 - q.provider.availability) * (perCycle / H) * hoursPerMonth;
  });
  return cost;
}

function reservedDecision(model: ResolvedModel, levels: Levels, reserved: readonly number[], sigma: number, _headroom: number): ReservedDecision | null {
  const reservable = model.pools.map((p, i) => ({ p, i })).filter(({ p }) => p.reservedPrice !== undefined && p.fixedTier === "reserved");
  if (reservable.length === 0) return null;
  // Report the pool with the most reserved nodes (the cheapest reserved price on a tie).
  const { p, i } = [...reservable].sort((a, b) => reserved[b.i]! - reserved[a.i]! || a.p.reservedPrice! / a.p.k - b.p.reservedPrice! / b.p.k)[0]!;
  const burst = model.pools
    .flatMap((q) => [
      q.spotExpected === undefined ? undefined : { price: q.spotExpected / q.k, what: `${q.provider.provider} spot (expected)` },
      q.onDemandPrice === undefined ? undefined : { price: q.onDemandPrice / q.k, what: `${q.provider.provider} on-demand` },
    ])
    .filter((x): x is { price: number; what: string } => x !== undefined)
    .sort((a, b) => a.price - b.price)[0];
  const reservedPerReplica = p.reservedPrice! / p.k;
  const ratio = burst === undefined ? Infinity : reservedPerReplica / burst.price;
  const units = levels.required.map((a) => a / p.k);
  const classic = classicReservedUnits(units, ratio);
  const H = levels.required.length;
  const perMonth = HOURS_PER_MONTH / H;
  const planned = cycleCostFor(model.pools, levels, reserved, sigma, new Map());
  const classicR = reserved.map((r, j) => (j === i ? Math.min(classic, p.maxNodes) : r));
  const atClassic = cycleCostFor(model.pools, levels, classicR, sigma, new Map());
  return {
    provider: p.provider.provider,
    plannedNodes: reserved[i]!,
    classicRuleNodes: classic,
    priceRatio: Math.round(ratio * 10000) / 10000,
    burstReference: burst?.what ?? "none",
    monthlyComputeAtPlanned: round2((planned ?? NaN) * perMonth),
    monthlyComputeAtClassic: atClassic === undefined ? null : round2(atClassic * perMonth),
  };
}

/** Cheapest per-replica on-demand instance type of `provider` able to host the model. */
function baselineInstance(provider: Provider, model: ResolvedModel, spec: FleetSpec): { it: InstanceType; k: number } | undefined {
  const tp = model.spec.serving.gpusPerReplica;
  return providerInstanceTypes(spec.providers.find((p) => p.provider === provider) ?? { provider })
    .filter((it) => it.gpuType === model.spec.serving.gpuType && tensorParallelProblem(tp, it.gpusPerNode) === undefined)
    .map((it) => ({ it, k: replicasPerNode(it.gpusPerNode, tp) }))
    .sort((a, b) => a.it.onDemandPerNodeHour / a.k - b.it.onDemandPerNodeHour / b.k || (a.it.name < b.it.name ? -1 : 1))[0];
}

function baselineFor(provider: Provider, works: readonly ModelWork[], spec: FleetSpec): { peak: number; autoscaled: number; nodes: Record<string, number> } | undefined {
  let peak = 0;
  let autoscaled = 0;
  const nodes: Record<string, number> = {};
  for (const w of works) {
    const b = baselineInstance(provider, w.model, spec);
    if (b === undefined) return undefined;
    const price = b.it.onDemandPerNodeHour;
    const perHour = w.levels.required.map((a) => Math.ceil(a / b.k));
    nodes[w.model.name] = Math.max(0, ...perHour);
    peak += nodes[w.model.name]! * price * HOURS_PER_MONTH;
    autoscaled += (perHour.reduce((a, x) => a + x, 0) * price * HOURS_PER_MONTH) / perHour.length;
  }
  return { peak, autoscaled, nodes };
}

/** The single cloud the plan is compared against: the spec's choice, else the cheaper hyperscaler. */
function baselineComparison(works: readonly ModelWork[], spec: FleetSpec, planTotal: number, warnings: string[]): BaselineComparison | null {
  const candidates: Provider[] = spec.policy.baselineProvider !== undefined ? [spec.policy.baselineProvider] : ["aws", "gcp", "coreweave", "lambda"];
  const scored = candidates.map((p) => ({ p, b: baselineFor(p, works, spec) })).filter((x) => x.b !== undefined);
  const hyperscalers = scored.filter((x) => x.p === "aws" || x.p === "gcp");
  const pool = hyperscalers.length > 0 ? hyperscalers : scored;
  const best = pool.sort((a, b) => a.b!.autoscaled - b.b!.autoscaled)[0];
  if (best === undefined) {
    warnings.push(`no single provider (${candidates.join(", ")}) can host every model on-demand, so there is no single-cloud baseline to compare against`);
    return null;
  }
  const pct = (base: number) => (base <= 0 ? 0 : Math.round(((base - planTotal) / base) * 10000) / 100);
  return {
    provider: best.p,
    peakSized: { nodes: best.b!.nodes, monthly: round2(best.b!.peak) },
    autoscaled: { monthly: round2(best.b!.autoscaled) },
    savingsVsPeakSizedPercent: pct(best.b!.peak),
    savingsVsAutoscaledPercent: pct(best.b!.autoscaled),
  };
}

/**
 * Plans a fleet. Accepts a spec as written (validated here) or an already parsed one.
 * Throws `FleetSpecError` for an invalid spec and `PlanInfeasibleError` when no plan meets the policy.
 */
export function plan(input: FleetSpecInput | FleetSpec): FleetPlan {
  const spec = parseFleetSpec(input);
  const fleet = resolveFleet(spec);
  // A demand scale no fleet could meet is the spec's mistake, refused before any search (which would take forever).
  const tooLarge = demandSizeIssues(fleet);
  if (tooLarge.length > 0) throw new FleetSpecError(tooLarge, spec.name);
  const warnings = [...fleet.warnings];
  const works = fleet.models.map((m) => planModel(fleet, m, warnings));
  const hpm = HOURS_PER_MONTH;
  const { policy } = spec;

  // Node starts per pool feed the weight-distribution choice, which sets the scale-up time.
  const startsByPool = works.map((w) =>
    w.model.pools.map((pool, i) => {
      const burst = w.spot.map((s, h) => s[i]! + w.onDemand[h]![i]!);
      // Fixed nodes never restart to scale, but each loads every new revision once.
      return nodeStartsPerMonth(burst, mean(w.spot.map((s) => s[i]!)), pool.provider.spot, hpm) + w.reserved[i]! * spec.weightOrigin.revisionsPerMonth;
    }),
  );
  const usedProviders = fleet.providers.filter((rp) => works.some((w, wi) => w.model.pools.some((p, i) => p.provider === rp && (w.maxNodes[i]! > 0 || startsByPool[wi]![i]! > 0))));
  const weightDistribution: WeightDistributionPlan[] = usedProviders.map((rp) =>
    chooseWeightDistribution({
      provider: rp.provider,
      origin: spec.weightOrigin.provider,
      storagePricePerGBMonth: rp.storagePricePerGBMonth,
      revisionsPerMonth: spec.weightOrigin.revisionsPerMonth,
      pools: works.flatMap((w, wi) =>
        w.model.pools
          .map((p, i) => ({ p, i }))
          .filter(({ p, i }) => p.provider === rp && w.maxNodes[i]! > 0)
          .map(({ p, i }) => ({ model: w.model.name, weightsGB: w.model.weightsGB, replicasPerNode: p.k, localNvmeGiB: p.instance.localNvmeGiB, nodeStartsPerMonth: startsByPool[wi]![i]! })),
      ),
    }),
  );
  const strategyOf = (provider: Provider) => weightDistribution.find((d) => d.provider === provider)?.strategy ?? "stream";

  const byProvider = new Map<Provider, { compute: number; storage: number; egress: number }>();
  const bucket = (p: Provider) => {
    let b = byProvider.get(p);
    if (b === undefined) {
      b = { compute: 0, storage: 0, egress: 0 };
      byProvider.set(p, b);
    }
    return b;
  };
  const compute = { reserved: 0, spot: 0, onDemand: 0, total: 0 };
  let gatewayEgress = 0;
  let hostedSpend = 0;

  const models: ModelPlan[] = works.map((w) => {
    const H = w.levels.required.length;
    const perCycle = hpm / H;
    const m = w.model;
    const pools: PoolPlan[] = m.pools.map((p, i) => poolPlan(w, p, i, perCycle, H, strategyOf(p.provider.provider), spec));
    const totalGpuHours = pools.reduce((a, p) => a + p.gpuHoursPerMonth, 0);
    pools.forEach((p) => (p.share = totalGpuHours > 0 ? Math.round((p.gpuHoursPerMonth / totalGpuHours) * 10000) / 10000 : 0));
    m.pools.forEach((p, i) => {
      const fixed = w.reserved[i]! * (p.reservedPrice ?? 0) * hpm;
      // Fixed nodes are reserved capacity, or on-demand ones where the provider cannot autoscale (Lambda).
      const reserved = p.fixedTier === "reserved" ? fixed : 0;
      const spot = w.spot.reduce((a, s) => a + s[i]! * (p.spotExpected ?? 0), 0) * perCycle;
      const od = w.onDemand.reduce((a, o) => a + o[i]! * (p.onDemandPrice ?? 0), 0) * perCycle + fixed - reserved;
      compute.reserved += reserved;
      compute.spot += spot;
      compute.onDemand += od;
      bucket(p.provider.provider).compute += reserved + spot + od;
    });
    // Gateway traffic: prompts leave the gateway's cloud, streamed completions leave the backend's.
    const inputGB = (mean(m.profile.inputTokensPerSecond) * 3600 * hpm * spec.gateway.requestBytesPerInputToken) / 1e9;
    const outputGB = (mean(m.profile.outputTokensPerSecond) * 3600 * hpm * spec.gateway.responseBytesPerOutputToken) / 1e9;
    pools.forEach((pp) => {
      const toBackend = pp.share * inputGB * egressPricePerGB(spec.gateway.provider, pp.provider);
      const toGateway = pp.share * outputGB * egressPricePerGB(pp.provider, spec.gateway.provider);
      bucket(spec.gateway.provider).egress += toBackend;
      bucket(pp.provider).egress += toGateway;
      gatewayEgress += toBackend + toGateway;
    });
    const hosted = m.spec.hostedFallback;
    const monthlyHosted = expectedOutageHostedCost(w, policy.outageShare, hpm);
    hostedSpend += monthlyHosted;
    return {
      name: m.name,
      huggingFace: { ...m.spec.huggingFace },
      parameterCountBillions: m.spec.parameterCountBillions,
      checkpointDtype: m.spec.checkpointDtype,
      quantization: m.spec.quantization ?? null,
      maxModelLen: m.spec.maxModelLen ?? null,
      weightsGB: round2(m.weightsGB),
      gpuWeights: { dtype: m.gpuWeights.dtype, gib: round2(m.gpuWeights.gib) },
      gpuType: m.spec.serving.gpuType,
      gpusPerReplica: m.spec.serving.gpusPerReplica,
      throughput: { prefillTokensPerSecond: m.throughput.prefillTokensPerSecond, decodeTokensPerSecond: m.throughput.decodeTokensPerSecond, source: m.spec.serving.source },
      latencySlo: { ...m.spec.latencySlo },
      concurrentRequestsPerReplica: concurrentRequestsPerReplica(m.throughput.decodeTokensPerSecond, m.spec.latencySlo.tpotMs),
      engineStartMinutes: m.engineStartMinutes,
      profile: {
        hours: H,
        demandReplicas: m.profile.demandReplicas.map((x) => Math.round(x * 1000) / 1000),
        requiredReplicas: [...w.levels.required],
        survivorReplicas: [...w.levels.survivor],
        outageHostedReplicas: w.levels.outageHosted.map((x) => Math.round(x * 1000) / 1000),
        requestsPerSecond: m.profile.requestsPerSecond.map((x) => Math.round(x * 1000) / 1000),
        inputTokensPerSecond: m.profile.inputTokensPerSecond.map((x) => Math.round(x * 10) / 10),
        outputTokensPerSecond: m.profile.outputTokensPerSecond.map((x) => Math.round(x * 10) / 10),
        forecast: m.forecast,
      },
      pools,
      reserved: w.reservedDecision,
      hostedFallback:
        hosted === undefined
          ? null
          : {
              name: hosted.name,
              model: hosted.model,
              requestsPerMinute: hosted.requestsPerMinute ?? null,
              tokensPerMinute: hosted.tokensPerMinute ?? null,
              pricePerMillionInputTokens: hosted.pricePerMillionInputTokens,
              pricePerMillionOutputTokens: hosted.pricePerMillionOutputTokens,
              rttMs: hosted.rttMs,
              availability: hosted.availability,
            },
      monthlyCompute: round2(pools.reduce((a, p) => a + p.monthlyCompute, 0)),
      monthlyHosted: round2(monthlyHosted),
    };
  });

  const backends = models.flatMap((m) => {
    const candidates: BackendCandidate[] = [];
    m.pools.forEach((p) => {
      const rp = fleet.providers.find((x) => x.provider === p.provider)!;
      const latency = rp.rttMs + m.latencySlo.ttftMs;
      const meanOf = (xs: number[]) => mean(xs) * p.replicasPerNode;
      for (const tier of p.tiers) {
        const burstMean = tier.capacityType === "spot" ? meanOf(p.schedule.spotNodes) : meanOf(p.schedule.onDemandNodes);
        const availability = rp.availability * (tier.fixed ? 1 : tier.capacityType === "spot" ? (rp.spot?.availability ?? 1) : rp.onDemandObtainability);
        candidates.push({
          provider: p.provider,
          capacityType: tier.capacityType,
          order: tier.order,
          // The catalog's rule, as VllmServing costs the Backend: the gateway's per-token prices then match exactly.
          costPerReplicaHour: replicaCostPerHour(tier.pricePerNodeHour, p.gpusPerNode, m.gpusPerReplica),
          expectedLatencyMs: latency,
          availability,
          plannedReplicas: { mean: tier.fixed ? tier.maxReplicas : burstMean, max: tier.maxReplicas },
        });
      }
    });
    return routeModel(m.name, candidates, spec.router, m.hostedFallback, m.latencySlo.ttftMs, m.throughput.decodeTokensPerSecond, m.concurrentRequestsPerReplica);
  });

  let storage = 0;
  let weightEgress = 0;
  for (const d of weightDistribution) {
    storage += d.monthly.storage;
    weightEgress += d.monthly.egress;
    bucket(d.provider).storage += d.monthly.storage;
    bucket(spec.weightOrigin.provider).egress += d.monthly.egress;
  }
  compute.total = compute.reserved + compute.spot + compute.onDemand;
  const total = compute.total + hostedSpend + storage + weightEgress + gatewayEgress;
  const cost: MonthlyCost = {
    compute: { reserved: round2(compute.reserved), spot: round2(compute.spot), onDemand: round2(compute.onDemand), total: round2(compute.total) },
    hosted: round2(hostedSpend),
    storage: round2(storage),
    weightEgress: round2(weightEgress),
    gatewayEgress: round2(gatewayEgress),
    total: round2(total),
    byProvider: [...byProvider.entries()]
      .filter(([, b]) => b.compute + b.storage + b.egress > 0)
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([provider, b]) => ({ provider, compute: round2(b.compute), storage: round2(b.storage), egress: round2(b.egress), total: round2(b.compute + b.storage + b.egress) })),
  };
  if (policy.budgetPerMonth !== undefined && total > policy.budgetPerMonth) {
    warnings.push(`planned monthly cost $${round2(total).toLocaleString("en-US")} exceeds policy.budgetPerMonth $${policy.budgetPerMonth.toLocaleString("en-US")}`);
  }

  return {
    kind: FLEET_PLAN_KIND,
    version: FLEET_PLAN_VERSION,
    specName: spec.name,
    catalogCompiledOn: CATALOG_COMPILED_ON,
    hoursPerMonth: hpm,
    policy: {
      maxSpotShare: policy.maxSpotShare,
      headroom: policy.headroom,
      resilience: policy.resilience,
      outageShare: policy.outageShare,
      outageCover: policy.outageCover,
      budgetPerMonth: policy.budgetPerMonth ?? null,
      router: { ...spec.router },
      simulation: { ...spec.simulation },
    },
    gateway: { provider: spec.gateway.provider, region: spec.gateway.region },
    weightOrigin: { provider: spec.weightOrigin.provider, region: spec.weightOrigin.region },
    providers: fleet.providers.map((rp) => ({
      provider: rp.provider,
      region: rp.region,
      unlistedRegion: rp.unlistedRegion,
      capacityTypes: [...rp.capacityTypes],
      spot: rp.spot === null ? null : { ...rp.spot },
      availability: rp.availability,
      onDemandObtainability: rp.onDemandObtainability,
      rttMs: rp.rttMs,
      nodeProvisionMinutes: rp.nodeProvisionMinutes,
      storagePricePerGBMonth: rp.storagePricePerGBMonth,
    })),
    models,
    backends,
    weightDistribution,
    cost,
    baseline: baselineComparison(works, spec, total, warnings),
    warnings,
  };
}

function poolPlan(w: ModelWork, p: ResolvedPool, i: number, perCycle: number, H: number, strategy: ReturnType<typeof chooseWeightDistribution>["strategy"], spec: FleetSpec): PoolPlan {
  const spotNodes = w.spot.map((s) => s[i]!);
  const odNodes = w.onDemand.map((o) => o[i]!);
  const R = w.reserved[i]!;
  const maxNodes = w.maxNodes[i]!;
  const k = p.k;
  const nodeHours = (R * H + spotNodes.reduce((a, b) => a + b, 0) + odNodes.reduce((a, b) => a + b, 0)) * perCycle;
  const reservedCost = R * (p.reservedPrice ?? 0) * HOURS_PER_MONTH;
  const burstCost = (spotNodes.reduce((a, s) => a + s * (p.spotExpected ?? 0), 0) + odNodes.reduce((a, o) => a + o * (p.onDemandPrice ?? 0), 0)) * perCycle;
  const sameCloud = p.provider.provider === spec.weightOrigin.provider;
  const load = weightLoadMinutes(strategy, sameCloud, w.model.weightsGB, spec.weightLoading);
  const spotMax = p.spotPrice === undefined ? 0 : w.maxSpot[i]!;
  const onDemandMax = p.onDemandPrice === undefined ? 0 : maxNodes - R;
  // Burst nodes the plan runs every hour: the tiers keep them (see deployedTiers).
  const spotMin = Math.min(spotMax, ...spotNodes);
  const onDemandMin = Math.min(onDemandMax, ...odNodes);
  const schedule = { spotNodes, onDemandNodes: odNodes };
  const scaleUpMinutes = Math.round((p.provider.nodeProvisionMinutes + load + w.model.engineStartMinutes) * 10) / 10;
  return {
    provider: p.provider.provider,
    region: p.provider.region,
    instanceType: p.instance.name,
    instance: { ...p.instance },
    gpusPerNode: p.instance.gpusPerNode,
    replicasPerNode: k,
    pricePerNodeHour: {
      reserved: p.reservedPrice ?? null,
      spot: p.spotPrice ?? null,
      spotExpected: p.spotExpected === undefined ? null : Math.round(p.spotExpected * 10000) / 10000,
      onDemand: p.onDemandPrice ?? null,
    },
    reservedNodes: R,
    spotNodes: { min: spotMin, max: spotMax },
    onDemandNodes: { min: onDemandMin, max: onDemandMax },
    fixedTier: p.fixedTier,
    tiers: deployedTiers(w.model.name, p, R, { min: spotMin, max: spotMax }, { min: onDemandMin, max: onDemandMax }).map((t) => ({ ...t, schedule: tierSchedule({ schedule, replicasPerNode: k, scaleUpMinutes }, t) })),
    autoscaler: { minNodes: R + spotMin + onDemandMin, maxNodes, minReplicas: (R + spotMin + onDemandMin) * k, maxReplicas: maxNodes * k },
    schedule,
    scaleUpMinutes,
    quotaNodes: Number.isFinite(p.maxNodes) ? p.maxNodes : null,
    gpuHoursPerMonth: round2(nodeHours * p.instance.gpusPerNode),
    share: 0,
    monthlyCompute: round2(reservedCost + burstCost),
  };
}

/**
 * What the stacks deploy for one pool, one GpuNodePool + VllmServing pair per tier: the fixed nodes (reserved, or
 * Lambda's on-demand ones) at their count, and spot and on-demand burst from what the plan runs every hour (a hot
 * spare the resilience policy prices: the deployed scalers would otherwise let it go while it carries no load) to the
 * plan's maxima; `poolPlan` adds each burst tier's hourly levels above that as its schedule (`tierSchedule`). Decided
 * here once: the provider stacks map these one to one, and the gateway routes them in this order.
 */
function deployedTiers(model: string, p: ResolvedPool, fixedNodes: number, spot: { min: number; max: number }, onDemand: { min: number; max: number }): Omit<PoolTierPlan, "schedule">[] {
  const k = p.k;
  const tier = (capacityType: CapacityType, fixed: boolean, minNodes: number, maxNodes: number, price: number): Omit<PoolTierPlan, "schedule"> => ({
    capacityType,
    backend: backendName(p.provider.provider, model, capacityType),
    order: routingOrder(capacityType, fixed),
    fixed,
    minNodes,
    maxNodes,
    minReplicas: minNodes * k,
    maxReplicas: maxNodes * k,
    pricePerNodeHour: price,
  });
  const tiers: Omit<PoolTierPlan, "schedule">[] = [];
  if (fixedNodes > 0) tiers.push(tier(p.fixedTier, true, fixedNodes, fixedNodes, p.reservedPrice!));
  if (spot.max > 0) tiers.push(tier("spot", false, spot.min, spot.max, p.spotPrice!));
  if (onDemand.max > 0) tiers.push(tier("on-demand", false, onDemand.min, onDemand.max, p.onDemandPrice!));
  return tiers;
}

/**
 * The same fleet on one provider, on-demand only, without spot or resilience: the "autoscaled single
 * cloud" baseline as a spec, so it can be planned and simulated with the same machinery.
 */
export function singleCloudSpec(input: FleetSpecInput | FleetSpec, provider: Provider): FleetSpec {
  const spec = parseFleetSpec(input);
  const existing = spec.providers.find((p) => p.provider === provider);
  const catalogRegion = INSTANCE_TYPES.find((it) => it.provider === provider)?.priceRegion ?? "default";
  const single = {
    // A provider the fleet does not use has no region of its own: its catalog price region stands in, and
    // price zones such as CoreWeave's "north-america" are not deployment regions, so they are declared unlisted.
    ...(existing ?? { provider, region: catalogRegion, unlistedRegion: !isKnownRegion(provider, catalogRegion), availability: 0.999, onDemandObtainability: 1 }),
    capacityTypes: ["on-demand" as const],
    spot: undefined,
    maxNodes: undefined,
  };
  return parseFleetSpec({
    ...spec,
    providers: [single],
    models: spec.models.map((m) => ({ ...m, providers: [provider] })),
    policy: { ...spec.policy, resilience: "none", maxSpotShare: 0, baselineProvider: provider },
  });
}
