/**
 * The fleet spec: what a team writes (YAML or JSON) to describe its models, the providers it may use,
 * the demand, and its policy. Validated with zod; every problem is reported at once with its path, the
 * value received and how to fix it (`FleetSpecError`).
 */
import {
  CAPACITY_TYPES,
  COMMIT_SHA,
  DTYPES,
  HUGGING_FACE_REPO_ID,
  VLLM_QUANTIZATIONS,
  GPU_TYPE_IDS,
  PROVIDERS,
  PROVIDER_CAPACITY_TYPES,
  findInstanceType,
  DEFAULT_GPU_MEMORY_UTILIZATION,
  WEIGHT_SHARE_OF_GPU_BUDGET,
  closestSpellings,
  getGpuType,
  gpuWeights,
  instanceTypesFor,
  smallestFittingTensorParallelSize,
  regionProblem,
  tensorParallelProblem,
  weightsFit,
} from "@switchyard/catalog";
import type { Provider } from "@switchyard/catalog";
import { z } from "zod";
import { GATEWAY_BYTES_PER_TOKEN, POLICY, ROUTER_WEIGHTS, SIMULATION, WEIGHT_LOAD_GBPS } from "./defaults";
import { FleetSpecError, formatPath } from "./errors";
import { customInstanceTypes, providerInstanceTypes } from "./instance-types";
import { OUTAGE_COVERS } from "./hosted-capacity";
import type { SpecIssue } from "./errors";

// Each schema's error text is the *fix*; the problem and the value received are described from the issue.
const fix = (text: string) => ({ error: text });
const num = (hint: string) => z.number(fix(hint));
const positive = (hint: string) => num(hint).positive(fix(hint));
const nonNegative = (hint: string) => num(hint).nonnegative(fix(hint));
/** Deployed as each scaler's HPA scale-down window, which Kubernetes caps at 3600 s. */
const SCALE_DOWN_HINT = "minutes an autoscaled tier keeps replicas after its load falls, at least (each deployed scaler's scale-down window, never shorter than its pool's scale-up time), 0–60: Kubernetes allows at most 1 hour; e.g. 10";
const fraction = (hint: string) => num(hint).min(0, fix(hint)).max(1, fix(hint));
const positiveInt = (hint: string) => num(hint).int(fix(hint)).positive(fix(hint));
const rateArray = (hint: string) => z.array(nonNegative(hint), fix(hint)).min(1, fix(hint)).max(8784, fix(hint));

const ProviderName = z.enum(PROVIDERS, fix(`use one of ${PROVIDERS.join(", ")}`));
const CapacityTypeName = z.enum(CAPACITY_TYPES, fix(`use one of ${CAPACITY_TYPES.join(", ")}`));
const Slug = z
  .string(fix("a lower-case name: letters, digits and dashes, e.g. llama-70b"))
  .regex(/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/, fix("a lower-case name of at most 40 letters, digits and dashes, starting and ending with a letter or digit, e.g. llama-70b"));

const RouterWeightsSchema = z
  .strictObject({
    latency: fraction("a weight between 0 and 1; the defaults are latency 0.3, cost 0.4, availability 0.3").default(ROUTER_WEIGHTS.latency),
    cost: fraction("a weight between 0 and 1; the defaults are latency 0.3, cost 0.4, availability 0.3").default(ROUTER_WEIGHTS.cost),
    availability: fraction("a weight between 0 and 1; the defaults are latency 0.3, cost 0.4, availability 0.3").default(ROUTER_WEIGHTS.availability),
  }, fix("an object { latency, cost, availability }"));

const OUTAGE_COVER_HINT =
  '"spare" (the other providers\' GPUs hold outageShare of the demand as a hot spare), "hosted" (the models\' hostedFallback carries it, within its rate limit) or "both" (the hosted API up to its limit, GPUs the rest); the share itself is policy.outageShare, e.g. 1';
const PolicySchema = z.strictObject({
  maxSpotShare: fraction("the largest fraction of serving capacity that may run on spot, 0–1 (the seeds run 0.6)").default(POLICY.maxSpotShare),
  headroom: num("capacity over demand, ≥ 1 (1.2 = 20% spare)").min(1, fix("capacity over demand, ≥ 1 (1.2 = 20% spare)")).max(10, fix("capacity over demand, at most 10")).default(POLICY.headroom),
  resilience: z.enum(["provider", "none"], fix('"provider" (losing any one provider must not drop demand) or "none"')).default(POLICY.resilience),
  outageShare: num("the share of demand still served the moment one provider fails, 0–headroom (1 = all of it)").min(0, fix("≥ 0; 1 = all of the demand is still served")).max(10, fix("at most 10")).default(POLICY.outageShare),
  outageCover: z.enum(OUTAGE_COVERS, fix(OUTAGE_COVER_HINT)).default(POLICY.outageCover),
  budgetPerMonth: positive("a monthly budget in USD, e.g. 250000").optional(),
  baselineProvider: ProviderName.optional(),
}, fix("an object with maxSpotShare, headroom, resilience, outageShare, outageCover, budgetPerMonth, baselineProvider"));

const SpotBehaviourSchema = z.strictObject({
  availability: num("the long-run fraction of time spot capacity can be obtained, in (0, 1], e.g. 0.68").gt(0, fix("in (0, 1], e.g. 0.68")).max(1, fix("in (0, 1]")),
  meanUpHours: positive("mean hours spot stays obtainable before a reclaim, e.g. 4.26"),
}, fix("an object { availability, meanUpHours }"));

const PriceOverrideSchema = z.strictObject({
  onDemandPerNodeHour: positive("USD per whole node per hour (not per GPU)").optional(),
  spotPerNodeHour: positive("USD per whole node per hour (not per GPU)").optional(),
  reservedDiscount: num("a fraction of on-demand in [0, 1), e.g. 0.3 for 30% off").min(0, fix("in [0, 1)")).lt(1, fix("in [0, 1)")).optional(),
}, fix("an object with onDemandPerNodeHour, spotPerNodeHour, reservedDiscount"));

/** The escape hatch for a region that is real but not in @switchyard/catalog's region lists yet. */
const UnlistedRegion = z.boolean(fix("true when the region is real but not in the catalog yet; leave it out otherwise")).optional();

const ProviderSpecSchema = z.strictObject({
  provider: ProviderName,
  region: z.string(fix("the provider's region, e.g. us-east-1")).min(1, fix("the provider's region, e.g. us-east-1")),
  unlistedRegion: UnlistedRegion,
  capacityTypes: z.array(CapacityTypeName, fix(`a list drawn from ${CAPACITY_TYPES.join(", ")}`)).min(1, fix("list at least one purchase tier, e.g. [on-demand]")),
  instanceTypes: z.array(z.string(fix("an instance type name from @switchyard/catalog or customInstanceTypes")), fix("a list of instance type names")).min(1, fix("list at least one instance type, or leave instanceTypes out to allow all")).optional(),
  customInstanceTypes: z
    .array(
      z.record(z.string(), z.unknown(), fix("an instance type: name, gpuType, gpusPerNode, vcpus, memoryGiB, onDemandPerNodeHour, and optionally spotPerNodeHour, reservedDiscount, localNvmeGiB, gcpAcceleratorType, source")),
      fix("a list of instance types the catalog does not have, e.g. [{ name: g6.xlarge, gpuType: L4, gpusPerNode: 1, vcpus: 4, memoryGiB: 16, onDemandPerNodeHour: 0.805, spotPerNodeHour: 0.35 }]"),
    )
    .optional(),
  maxNodes: positiveInt("a whole number of nodes (quota or autoscaler ceiling per model pool), e.g. 16").optional(),
  nodeProvisionMinutes: nonNegative("minutes from request to a schedulable node, e.g. 10").optional(),
  rttMs: nonNegative("round trip in ms from the gateway to this provider, e.g. 30").optional(),
  availability: num("the provider's availability, in (0, 1], e.g. 0.999").gt(0, fix("in (0, 1]")).max(1, fix("in (0, 1]")).default(0.999),
  onDemandObtainability: num("the chance an on-demand request finds capacity, in (0, 1]").gt(0, fix("in (0, 1]")).max(1, fix("in (0, 1]")).default(1),
  spot: SpotBehaviourSchema.optional(),
  storagePricePerGBMonth: nonNegative("USD per GB-month for a bucket/filesystem holding a weight replica").optional(),
  prices: z.record(z.string(), PriceOverrideSchema, fix("a map from instance type name to price overrides")).optional(),
}, fix("an object describing one provider: provider, region, capacityTypes, ..."));

const ServingSchema = z.strictObject({
  gpuType: z.enum(GPU_TYPE_IDS, fix(`one of ${GPU_TYPE_IDS.join(", ")}`)),
  gpusPerReplica: positiveInt("GPUs one vLLM replica spans (tensor × pipeline parallel), e.g. 2"),
  prefillTokensPerSecond: positive("prompt tokens/s one replica processes at the latency SLO, measured on this GPU shape"),
  decodeTokensPerSecond: positive("generated tokens/s one replica produces at the latency SLO, measured on this GPU shape"),
  source: z.string(fix("where the throughput figures come from (benchmark, URL)")).min(1, fix("where the throughput figures come from (benchmark, URL)")),
}, fix("an object { gpuType, gpusPerReplica, prefillTokensPerSecond, decodeTokensPerSecond, source }"));

const HourlyDemandSchema = z.strictObject({
  file: z.string(fix("a CSV path relative to the spec, columns hour,requests_per_s,input_tokens_per_s,output_tokens_per_s")).min(1).optional(),
  requestsPerSecond: rateArray("a list of requests/s, one per hour of the profile (≤ 8784 hours)").optional(),
  inputTokensPerSecond: rateArray("a list of prompt tokens/s, one per hour of the profile").optional(),
  outputTokensPerSecond: rateArray("a list of generated tokens/s, one per hour of the profile").optional(),
  scale: positive("a multiplier applied to every rate, e.g. 2 for twice the load").default(1),
}, fix("an object with file or requestsPerSecond/inputTokensPerSecond/outputTokensPerSecond, and scale"));

const CONFIDENCE_HINT =
  'the quantile of each hour of the week\'s demand the GPUs are sized for, in (0, 1), e.g. 0.95; or "cost": the quantile at which a GPU replica is cheaper than the hosted fallback serving the same tokens (needs models[].hostedFallback)';
const SeriesDemandSchema = z.strictObject({
  file: z.string(fix("a per-minute CSV path relative to the spec, columns minute,requests,input_tokens,output_tokens")).min(1).optional(),
  stepMinutes: positiveInt("minutes per entry of the series, e.g. 1").optional(),
  requests: z.array(nonNegative("request counts per step, ≥ 0"), fix("a list of request counts per step")).min(1, fix("at least one step")).optional(),
  inputTokens: z.array(nonNegative("prompt token counts per step, ≥ 0"), fix("a list of prompt token counts per step")).min(1, fix("at least one step")).optional(),
  outputTokens: z.array(nonNegative("generated token counts per step, ≥ 0"), fix("a list of generated token counts per step")).min(1, fix("at least one step")).optional(),
  scale: positive("a multiplier applied to every count, e.g. 10").default(1),
  profileHours: z.union([z.literal(24), z.literal(168)], fix("24 (hour of day) or 168 (hour of week)")).default(24),
  quantile: num("which quantile of each profile hour's demand to plan for, (0, 1]; 1 = the highest step").gt(0, fix("in (0, 1]")).max(1, fix("in (0, 1]")).default(1),
  startMinuteOfWeek: num("the minute of the week of the series' first step, a whole number 0–10079 (0 = Monday 00:00 UTC)")
    .int(fix("a whole minute of the week, 0–10079 (0 = Monday 00:00 UTC)"))
    .min(0, fix("a whole minute of the week, 0–10079 (0 = Monday 00:00 UTC)"))
    .max(10_079, fix("a whole minute of the week, 0–10079 (0 = Monday 00:00 UTC)"))
    .default(0),
  forecast: z
    .strictObject({
      confidence: z
        .union(
          [
            num(CONFIDENCE_HINT).gt(0, fix(CONFIDENCE_HINT)).lt(1, fix(`${CONFIDENCE_HINT}; for the busiest step use quantile: 1 without forecast`)),
            z.literal("cost"),
          ],
          fix(CONFIDENCE_HINT),
        )
        .default(0.95),
      horizonDays: positiveInt("days ahead the plan is for, 1–28, e.g. 7").max(28, fix("at most 28 days: a trend taken further is a guess")).default(7),
    }, fix("an object { confidence, horizonDays }, e.g. { confidence: 0.95, horizonDays: 7 }"))
    .optional(),
}, fix("an object with file or stepMinutes/requests/inputTokens/outputTokens, scale, profileHours, quantile, startMinuteOfWeek, forecast"));

const DemandSchema = z.strictObject({
  hourly: HourlyDemandSchema.optional(),
  series: SeriesDemandSchema.optional(),
}, fix("an object with exactly one of hourly or series"));

const HostedFallbackSchema = z.strictObject({
  name: Slug,
  model: z
    .string(fix("the LiteLLM route of the hosted model, <provider>/<model>, e.g. together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo"))
    .regex(/^[a-z0-9_-]+\/\S+$/, fix("a LiteLLM route <provider>/<model>, e.g. together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo")),
  pricePerMillionInputTokens: nonNegative("USD per million prompt tokens"),
  pricePerMillionOutputTokens: nonNegative("USD per million generated tokens"),
  requestsPerMinute: positiveInt("the hosted API's rate limit for this account, requests per minute, e.g. 600").optional(),
  tokensPerMinute: positiveInt("the hosted API's rate limit for this account, prompt plus generated tokens per minute, e.g. 1000000").optional(),
  rttMs: nonNegative("round trip in ms from the gateway").default(50),
  availability: num("in (0, 1]").gt(0, fix("in (0, 1]")).max(1, fix("in (0, 1]")).default(0.99),
}, fix("an object { name, model, pricePerMillionInputTokens, pricePerMillionOutputTokens }, and optionally requestsPerMinute, tokensPerMinute, rttMs, availability"));

const HuggingFaceSchema = z.strictObject({
  repo: z
    .string(fix("the Hugging Face repository the weights are published in, e.g. meta-llama/Llama-3.3-70B-Instruct"))
    .regex(HUGGING_FACE_REPO_ID, fix("a Hugging Face repository id org/name, e.g. meta-llama/Llama-3.3-70B-Instruct")),
  revision: z
    .string(fix("the 40-character commit SHA of the revision to serve (the Hub's 'Files and versions' → commit)"))
    .regex(COMMIT_SHA, fix("a 40-character lower-case commit SHA, never a branch or tag: they move under a running fleet")),
}, fix("an object { repo, revision }"));

/**
 * A model's name becomes part of every object deployed for it: `<model>-<tier>` GPU pools (at most 40 characters
 * on GKE), `<provider>-<model>-<tier>` servers and `<model>-<tier>-weights` caches: 30 characters fit them all.
 */
export const MODEL_NAME_MAX_LENGTH = 30;
const ModelName = z
  .string(fix("a lower-case name: letters, digits and dashes, e.g. llama-70b"))
  .regex(
    new RegExp(`^[a-z0-9]([a-z0-9-]{0,${MODEL_NAME_MAX_LENGTH - 2}}[a-z0-9])?$`),
    fix(`a lower-case name of at most ${MODEL_NAME_MAX_LENGTH} letters, digits and dashes, starting and ending with a letter or digit, e.g. llama-70b (it names the node pools, servers and caches deployed for the model)`),
  );

const ModelSpecSchema = z.strictObject({
  name: ModelName,
  huggingFace: HuggingFaceSchema,
  parameterCountBillions: positive("parameters in billions, e.g. 70"),
  checkpointDtype: z.enum(DTYPES, fix(`the dtype the published checkpoint is stored in (what is downloaded and stored), one of ${DTYPES.join(", ")}; bf16 for most instruct models`)),
  quantization: z.enum(VLLM_QUANTIZATIONS, fix(`vLLM --quantization applied when loading, one of ${VLLM_QUANTIZATIONS.join(", ")}; leave it out to serve the checkpoint as stored`)).optional(),
  weightsGB: positive("the published files' size in decimal GB, when it differs from parameters × checkpointDtype, e.g. 141.1").optional(),
  maxModelLen: positiveInt("the context length vLLM serves (--max-model-len), e.g. 16384").optional(),
  serving: ServingSchema,
  latencySlo: z.strictObject({
    ttftMs: positive("time to first token in ms at which the throughput was measured, e.g. 2000"),
    tpotMs: positive("time per output token in ms at which the throughput was measured, e.g. 40"),
  }, fix("an object { ttftMs, tpotMs }")),
  engineStartMinutes: nonNegative("minutes vLLM needs after reading weights (compile, CUDA graphs), e.g. 3").optional(),
  providers: z.array(ProviderName, fix("a list of providers from the spec's providers")).min(1, fix("list at least one provider, or leave it out to use all")).optional(),
  demand: DemandSchema,
  hostedFallback: HostedFallbackSchema.optional(),
}, fix("an object describing one model: name, huggingFace, parameterCountBillions, checkpointDtype, serving, latencySlo, demand"));

export const FleetSpecSchema = z
  .strictObject({
    name: z.string(fix("a name for the fleet, e.g. switchyard-example")).min(1, fix("a name for the fleet")),
    gateway: z.strictObject({
      provider: ProviderName,
      region: z.string(fix("the gateway's region, e.g. us-east-1")).min(1),
      unlistedRegion: UnlistedRegion,
      requestBytesPerInputToken: positive("bytes on the wire per prompt token, e.g. 4").default(GATEWAY_BYTES_PER_TOKEN.request),
      responseBytesPerOutputToken: positive("bytes on the wire per generated token (streamed SSE chunks ≈ 200)").default(GATEWAY_BYTES_PER_TOKEN.response),
    }, fix("an object { provider, region }")),
    weightOrigin: z.strictObject({
      provider: ProviderName,
      region: z.string(fix("the origin bucket's region, e.g. us-east-1")).min(1),
      unlistedRegion: UnlistedRegion,
      revisionsPerMonth: nonNegative("model revisions published per month, e.g. 1").default(1),
    }, fix("an object { provider, region }")),
    weightLoading: z.strictObject({
      sameCloudGBps: positive("GB/s a replica reads weights from a bucket in its own cloud, e.g. 1").default(WEIGHT_LOAD_GBPS.sameCloud),
      crossCloudGBps: positive("GB/s a replica reads weights across clouds, e.g. 0.25").default(WEIGHT_LOAD_GBPS.crossCloud),
    }, fix("an object { sameCloudGBps, crossCloudGBps }")).prefault({}),
    router: RouterWeightsSchema.prefault({}),
    policy: PolicySchema.prefault({}),
    providers: z.array(ProviderSpecSchema, fix("a list of providers")).min(1, fix("enable at least one provider")),
    models: z.array(ModelSpecSchema, fix("a list of models")).min(1, fix("describe at least one model")),
    simulation: z.strictObject({
      stepMinutes: positiveInt("minutes per simulation step, e.g. 5").default(SIMULATION.stepMinutes),
      days: positive("days to simulate, e.g. 7").default(SIMULATION.days),
      seed: num("an integer seed").int(fix("an integer seed")).default(SIMULATION.seed),
      scaleDownDelayMinutes: nonNegative(SCALE_DOWN_HINT).max(60, fix(SCALE_DOWN_HINT)).default(SIMULATION.scaleDownDelayMinutes),
      outageHours: positive("hours each provider-outage drill lasts, e.g. 6").default(SIMULATION.outageHours),
    }, fix("an object with stepMinutes, days, seed, scaleDownDelayMinutes, outageHours")).prefault({}),
  }, fix("a fleet spec object: name, gateway, weightOrigin, providers, models, ..."));

/** A fleet spec as written (defaults may be left out). */
export type FleetSpecInput = z.input<typeof FleetSpecSchema>;
/** A validated fleet spec with every default filled in. */
export type FleetSpec = z.output<typeof FleetSpecSchema>;
export type ProviderSpec = FleetSpec["providers"][number];
export type ModelSpec = FleetSpec["models"][number];

/** Model keys of earlier specs that said less than they seemed to, and what replaced them. */
const RENAMED_MODEL_KEYS: Readonly<Record<string, string>> = {
  dtype: "it mixed two facts: write checkpointDtype (how the published files are stored, e.g. bf16: what is downloaded, stored and copied) and quantization (how vLLM loads them, e.g. fp8: what must fit in GPU memory)",
  servedModelName: "it held the Hugging Face repository: write huggingFace: { repo, revision }; clients and the gateway use the model's name",
};

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  if (text === undefined) return typeof value;
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Known keys of the object schema at `path`, for "did you mean" on unknown keys. */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = FleetSpecSchema;
  for (const part of path) {
    let s: unknown = schema;
    // unwrap optional/default/prefault
    for (let i = 0; i < 4; i++) {
      const def = (s as { def?: { innerType?: unknown } }).def;
      if (def?.innerType !== undefined) s = def.innerType;
    }
    if (typeof part === "number") {
      const element = (s as { def?: { element?: unknown } }).def?.element;
      if (element === undefined) return [];
      schema = element as z.ZodType;
    } else {
      const shape = (s as { shape?: Record<string, z.ZodType> }).shape;
      const next = shape?.[String(part)];
      if (next === undefined) return [];
      schema = next;
    }
  }
  let s: unknown = schema;
  for (let i = 0; i < 4; i++) {
    const def = (s as { def?: { innerType?: unknown } }).def;
    if (def?.innerType !== undefined) s = def.innerType;
  }
  const shape = (s as { shape?: Record<string, unknown> }).shape;
  return shape === undefined ? [] : Object.keys(shape);
}

function issueFromZod(issue: z.core.$ZodIssue): SpecIssue[] {
  const path = formatPath(issue.path);
  switch (issue.code) {
    case "invalid_type":
      return [{ path, message: issue.input === undefined ? "is required" : `expected ${issue.expected}, received ${describeValue(issue.input)}`, fix: issue.message }];
    case "too_small":
      return [{
        path,
        message: issue.origin === "array" || issue.origin === "string"
          ? `has ${describeValue(issue.input)} which is too short (minimum length ${String(issue.minimum)})`
          : `must be ${issue.inclusive === false ? ">" : "≥"} ${String(issue.minimum)}, received ${describeValue(issue.input)}`,
        fix: issue.message,
      }];
    case "too_big":
      return [{
        path,
        message: issue.origin === "array" || issue.origin === "string"
          ? `is too long (maximum length ${String(issue.maximum)})`
          : `must be ${issue.inclusive === false ? "<" : "≤"} ${String(issue.maximum)}, received ${describeValue(issue.input)}`,
        fix: issue.message,
      }];
    case "invalid_value":
      return [{ path, message: `received ${describeValue(issue.input)}`, fix: issue.message }];
    case "unrecognized_keys": {
      const known = knownKeysAt(issue.path);
      return issue.keys.map((key) => {
        const close = closestSpellings(key, known, 2);
        const keyPath = formatPath([...issue.path, key]);
        const renamed = known.includes("huggingFace") ? RENAMED_MODEL_KEYS[key] : undefined;
        return {
          path: keyPath,
          message: `unknown key ${JSON.stringify(key)}`,
          fix: renamed !== undefined ? renamed : close.length > 0 ? `did you mean ${close.map((k) => JSON.stringify(k)).join(" or ")}?` : `remove it; allowed keys here: ${known.join(", ")}`,
        };
      });
    }
    case "invalid_union":
      return [{ path, message: `received ${describeValue(issue.input)}`, fix: issue.message }];
    case "custom": {
      const params = issue.params as { fix?: string } | undefined;
      return [{ path, message: issue.message, fix: params?.fix ?? "see the fleet spec reference in packages/planner/README.md" }];
    }
    default:
      return [{ path, message: `${issue.message} (received ${describeValue(issue.input)})`, fix: issue.message }];
  }
}

/** Checks that need the catalog or several fields at once. */
function semanticIssues(spec: FleetSpec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const add = (path: string, message: string, fixText: string) => issues.push({ path, message, fix: fixText });

  const routerSum = spec.router.latency + spec.router.cost + spec.router.availability;
  if (Math.abs(routerSum - 1) > 1e-6) {
    add("router", `weights sum to ${routerSum.toFixed(3)}`, "make latency + cost + availability = 1, e.g. 0.3, 0.4, 0.3");
  }
  if (spec.policy.outageShare > spec.policy.headroom + 1e-9) {
    add("policy.outageShare", `(${spec.policy.outageShare}) exceeds headroom (${spec.policy.headroom})`, "set outageShare ≤ headroom (1 = all of the demand is still served)");
  }
  if (spec.policy.outageCover !== "spare") {
    if (spec.policy.resilience === "none") {
      add("policy.outageCover", `is ${spec.policy.outageCover}, but resilience is none: nothing covers an outage`, 'set resilience: provider, or leave outageCover out');
    }
    spec.models.forEach((m, i) => {
      if (m.hostedFallback === undefined) {
        add(`models[${i}].hostedFallback`, `is missing, but policy.outageCover is ${spec.policy.outageCover}: ${m.name} has no hosted API to cover an outage with`, 'give the model a hostedFallback, or set policy.outageCover: spare');
      }
    });
  }

  // Every region is checked against its provider's catalog list unless its object declares it unlisted.
  const checkRegion = (at: string, entry: { provider: Provider; region: string; unlistedRegion?: boolean | undefined }) => {
    const problem = entry.unlistedRegion === true ? undefined : regionProblem(entry.provider, entry.region, "set unlistedRegion: true beside it");
    if (problem !== undefined) add(`${at}.region`, `${JSON.stringify(entry.region)} ${problem.reason}`, problem.fix);
  };
  checkRegion("gateway", spec.gateway);
  checkRegion("weightOrigin", spec.weightOrigin);

  const seen = new Map<string, number>();
  spec.providers.forEach((p, i) => {
    const at = `providers[${i}]`;
    checkRegion(at, p);
    if (seen.has(p.provider)) add(`${at}.provider`, `${p.provider} is listed twice (also providers[${seen.get(p.provider)}])`, "list each provider once; use one entry per provider");
    seen.set(p.provider, i);
    const sold = PROVIDER_CAPACITY_TYPES[p.provider];
    p.capacityTypes.forEach((ct, j) => {
      if (!sold.includes(ct)) {
        const why = p.provider === "lambda" ? "Lambda sells on-demand only: no spot tier, and reserved capacity is a contract outside its API (docs.lambda.ai/public-cloud/billing)" : `${p.provider} does not sell ${ct}`;
        add(`${at}.capacityTypes[${j}]`, `${JSON.stringify(ct)}: ${why}`, `use only ${sold.join(", ")} for ${p.provider}`);
      }
    });
    if (new Set(p.capacityTypes).size !== p.capacityTypes.length) add(`${at}.capacityTypes`, "lists a tier twice", "list each tier once");
    if (p.spot !== undefined && !p.capacityTypes.includes("spot")) {
      add(`${at}.spot`, "spot behaviour is given but capacityTypes has no spot", 'add "spot" to capacityTypes or remove the spot block');
    }
    const custom = customInstanceTypes(p);
    for (const problem of custom.problems) {
      add(`${at}.customInstanceTypes[${problem.index}]${problem.field === "" ? "" : `.${problem.field}`}`, problem.message, "define the instance type with the catalog's fields (packages/catalog/src/types.ts), prices per whole node per hour");
    }
    custom.types.forEach((it, j) => {
      if (findInstanceType(p.provider, it.name) !== undefined) add(`${at}.customInstanceTypes[${j}].name`, `${it.name} is already in the catalog`, `leave it out and set providers[].prices.${it.name} for your contract prices`);
      if (custom.types.findIndex((other) => other.name === it.name) !== j) add(`${at}.customInstanceTypes[${j}].name`, `${it.name} is defined twice`, "define each instance type once");
    });
    const usable = providerInstanceTypes(p);
    const known = usable.map((it) => it.name);
    p.instanceTypes?.forEach((name, j) => {
      if (!known.includes(name)) add(`${at}.instanceTypes[${j}]`, `${JSON.stringify(name)} is not a ${p.provider} instance type in the catalog or customInstanceTypes`, `use one of ${known.join(", ")}, or define it under customInstanceTypes`);
    });
    for (const [name, price] of Object.entries(p.prices ?? {})) {
      const it = [...instanceTypesFor(p.provider), ...custom.types].find((t) => t.name === name);
      if (it === undefined) {
        add(`${at}.prices.${name}`, `${JSON.stringify(name)} is not a ${p.provider} instance type in the catalog or customInstanceTypes`, `use one of ${known.join(", ")}`);
        continue;
      }
      if (price.spotPerNodeHour !== undefined && !sold.includes("spot")) add(`${at}.prices.${name}.spotPerNodeHour`, `${p.provider} sells no spot capacity`, "remove spotPerNodeHour");
      const od = price.onDemandPerNodeHour ?? it.onDemandPerNodeHour;
      if (price.spotPerNodeHour !== undefined && price.spotPerNodeHour >= od) {
        add(`${at}.prices.${name}.spotPerNodeHour`, `spot (${price.spotPerNodeHour}) is not below on-demand (${od})`, "prices are per whole node per hour; spot must be cheaper than on-demand");
      }
    }
  });

  const fallbacks = new Map<string, { at: string; same: string }>();
  spec.models.forEach((m, i) => {
    const h = m.hostedFallback;
    if (h === undefined) return;
    const same = JSON.stringify([h.model, h.pricePerMillionInputTokens, h.pricePerMillionOutputTokens, h.requestsPerMinute ?? null, h.tokensPerMinute ?? null]);
    const first = fallbacks.get(h.name);
    if (first !== undefined && first.same !== same) {
      add(`models[${i}].hostedFallback`, `is named ${h.name} like ${first.at}, with another model, price or rate limit`, "give each distinct hosted fallback its own name; models that share one fallback repeat it exactly");
    }
    if (first === undefined) fallbacks.set(h.name, { at: `models[${i}].hostedFallback`, same });
    // The shared stack holds one hosted API key (switchyard:hostedFallbackApiKey): one hosted provider per fleet.
    const provider = h.model.split("/")[0];
    const other = spec.models.slice(0, i).find((o) => o.hostedFallback !== undefined && o.hostedFallback.model.split("/")[0] !== provider);
    if (other !== undefined) {
      add(`models[${i}].hostedFallback.model`, `uses the hosted provider ${provider}, but ${other.name}'s fallback uses ${other.hostedFallback!.model.split("/")[0]}`, "use one hosted provider for every fallback of a fleet: the shared stack deploys them with one API key (switchyard:hostedFallbackApiKey)");
    }
    if (spec.models.some((other) => other.name === h.name)) add(`models[${i}].hostedFallback.name`, `${h.name} is also a model's name`, "name the fallback after the hosted model, e.g. together-llama-70b: it becomes a model group of its own");
  });
  spec.models.forEach((m, i) => {
    if (m.demand.series?.forecast?.confidence === "cost" && m.hostedFallback === undefined) {
      add(`models[${i}].demand.series.forecast.confidence`, `is cost, but ${m.name} has no hostedFallback to weigh its GPUs against`, "give the model a hostedFallback, or state a confidence, e.g. 0.95");
    }
  });

  const modelNames = new Map<string, number>();
  spec.models.forEach((m, i) => {
    const at = `models[${i}]`;
    if (modelNames.has(m.name)) add(`${at}.name`, `${m.name} is used twice (also models[${modelNames.get(m.name)}])`, "give each model a unique name");
    modelNames.set(m.name, i);
    const footprint = gpuWeights(m);
    const memory = getGpuType(m.serving.gpuType).memoryGiB;
    if (!weightsFit(footprint.gib, m.serving.gpusPerReplica, memory)) {
      const runtime = m.quantization === undefined ? m.checkpointDtype : `${m.checkpointDtype} loaded as ${footprint.dtype} (quantization ${m.quantization})`;
      const perGpu = footprint.gib / m.serving.gpusPerReplica;
      // The largest node that sells this GPU bounds what a replica can span.
      const gpusPerNode = Math.max(1, ...spec.providers.flatMap((p) => providerInstanceTypes(p).filter((it) => it.gpuType === m.serving.gpuType).map((it) => it.gpusPerNode)));
      const need = smallestFittingTensorParallelSize(footprint.gib, gpusPerNode, memory);
      add(
        `${at}.serving.gpusPerReplica`,
        `${m.parameterCountBillions}B in ${runtime} is ${footprint.gib.toFixed(1)} GiB of weights: ${perGpu.toFixed(1)} GiB per ${m.serving.gpuType} (${memory} GiB), more than vLLM can hold with room for the KV cache (${Math.round(WEIGHT_SHARE_OF_GPU_BUDGET * DEFAULT_GPU_MEMORY_UTILIZATION * 100)}% of GPU memory)`,
        need === undefined ? "use GPUs with more memory or a smaller quantization" : `use gpusPerReplica ≥ ${need}${m.quantization === undefined ? ", or a quantization such as fp8" : ""}`,
      );
    }
    const demandKinds = [m.demand.hourly, m.demand.series].filter((d) => d !== undefined).length;
    if (demandKinds !== 1) add(`${at}.demand`, demandKinds === 0 ? "has neither hourly nor series" : "has both hourly and series", "give exactly one of demand.hourly (a rate per hour) or demand.series (counts per step)");
    const hourly = m.demand.hourly;
    if (hourly !== undefined) {
      const arrays = [hourly.requestsPerSecond, hourly.inputTokensPerSecond, hourly.outputTokensPerSecond];
      if (hourly.file === undefined && arrays.some((a) => a === undefined)) {
        add(`${at}.demand.hourly`, "has no file and not all of requestsPerSecond, inputTokensPerSecond, outputTokensPerSecond", "give file (a CSV beside the spec) or all three lists");
      }
      const lengths = new Set(arrays.filter((a) => a !== undefined).map((a) => a.length));
      if (lengths.size > 1) add(`${at}.demand.hourly`, `lists have different lengths (${[...lengths].join(", ")})`, "give one value per hour in every list");
    }
    const series = m.demand.series;
    if (series !== undefined) {
      const arrays = [series.requests, series.inputTokens, series.outputTokens];
      if (series.file === undefined && (arrays.some((a) => a === undefined) || series.stepMinutes === undefined)) {
        add(`${at}.demand.series`, "has no file and not all of stepMinutes, requests, inputTokens, outputTokens", "give file (a per-minute CSV beside the spec) or stepMinutes and all three lists");
      }
      const lengths = new Set(arrays.filter((a) => a !== undefined).map((a) => a.length));
      if (lengths.size > 1) add(`${at}.demand.series`, `lists have different lengths (${[...lengths].join(", ")})`, "give one value per step in every list");
      if (series.forecast !== undefined && series.stepMinutes !== undefined && 60 % series.stepMinutes !== 0) {
        add(`${at}.demand.series.stepMinutes`, `(${series.stepMinutes}) does not divide an hour, so the forecast cannot place steps in hours of the week`, "give counts per 1, 5, 15 or 60 minutes");
      }
    }
    const enabled = spec.providers.map((p) => p.provider);
    m.providers?.forEach((p, j) => {
      if (!enabled.includes(p)) add(`${at}.providers[${j}]`, `${p} is not in the spec's providers`, `add ${p} to providers, or use one of ${enabled.join(", ")}`);
    });
    const candidates = spec.providers.filter((p) => (m.providers ?? enabled).includes(p.provider));
    const hosts = candidates.filter((p) => {
      const usable = providerInstanceTypes(p).filter((it) => p.instanceTypes === undefined || p.instanceTypes.includes(it.name));
      return usable.some((it) => it.gpuType === m.serving.gpuType && tensorParallelProblem(m.serving.gpusPerReplica, it.gpusPerNode) === undefined);
    });
    if (hosts.length === 0) {
      add(
        `${at}.serving`,
        `no enabled provider has a ${m.serving.gpuType} instance type whose GPUs split into whole replicas of gpusPerReplica ${m.serving.gpusPerReplica} (a replica's GPUs share one node, and idle GPUs are paid for)`,
        "use a gpusPerReplica that divides the node's GPU count (1, 2, 4 or 8 on 8-GPU nodes), enable a provider that sells this GPU, or measure throughput on a GPU the providers sell",
      );
    } else if (spec.policy.resilience === "provider" && hosts.length < 2) {
      add(`${at}.providers`, `only ${hosts.map((h) => h.provider).join(", ")} can serve ${m.name}, so losing it would drop all demand`, 'enable a second provider for this model, or set policy.resilience: "none"');
    }
  });
  return issues;
}

/** Validates a fleet spec and fills defaults; throws one `FleetSpecError` listing every problem. */
export function parseFleetSpec(input: unknown, source?: string): FleetSpec {
  const result = FleetSpecSchema.safeParse(input, { reportInput: true });
  if (!result.success) throw new FleetSpecError(result.error.issues.flatMap(issueFromZod), source);
  const issues = semanticIssues(result.data);
  if (issues.length > 0) throw new FleetSpecError(issues, source);
  return result.data;
}
