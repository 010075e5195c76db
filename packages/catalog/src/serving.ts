/**
 * The sizing and routing-price rules of one vLLM replica, decided here once: the planner uses them to
 * accept a fleet spec, VllmServing to accept its arguments, and the gateway to price a backend per token.
 * A fleet the planner accepts is therefore one the components deploy, and priced as they deploy it.
 */
import type { CapacityType } from "./constants";
import { modelWeightGiB } from "./models";
import type { Dtype } from "./models";

/**
 * vLLM `--quantization` methods whose weight size is known here (a subset of vLLM's
 * `QuantizationMethods`, vllm/model_executor/layers/quantization/__init__.py).
 */
export const VLLM_QUANTIZATIONS = ["awq", "awq_marlin", "gptq", "gptq_marlin", "bitsandbytes", "fp8", "fbgemm_fp8", "modelopt", "compressed-tensors"] as const;
export type VllmQuantization = (typeof VLLM_QUANTIZATIONS)[number];

/**
 * The dtype a `--quantization` method holds weights in on the GPU; undefined where the method does not say
 * (compressed-tensors covers W8A8 and W4A16 alike), so the checkpoint's dtype decides.
 */
const QUANTIZATION_WEIGHT_DTYPE: Readonly<Record<VllmQuantization, Dtype | undefined>> = {
  awq: "int4",
  awq_marlin: "int4",
  gptq: "int4",
  gptq_marlin: "int4",
  bitsandbytes: "int4",
  fp8: "fp8",
  fbgemm_fp8: "fp8",
  modelopt: "fp8",
  "compressed-tensors": undefined,
};

/** Fraction of each GPU's memory vLLM takes (`--gpu-memory-utilization`) unless told otherwise; vLLM's own default. */
export const DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;

/**
 * Weights may fill at most this share of the memory vLLM takes (TP × GPU memory × utilization); the rest is
 * KV cache, activations and CUDA graphs. A lower bound: vLLM itself refuses to start without KV room.
 */
export const WEIGHT_SHARE_OF_GPU_BUDGET = 0.9;

/** What a model is, as far as sizing goes: its parameters, the dtype its checkpoint is stored in, how vLLM loads it. */
export interface ModelFootprintInput {
  parameterCountBillions: number;
  /** The dtype of the published checkpoint: what is on disk, stored, copied and downloaded. */
  checkpointDtype: Dtype;
  /** vLLM `--quantization` applied at load, if any. */
  quantization?: VllmQuantization | undefined;
}

export function isVllmQuantization(value: unknown): value is VllmQuantization {
  return typeof value === "string" && (VLLM_QUANTIZATIONS as readonly string[]).includes(value);
}

/**
 * The weights as they sit in GPU memory: the checkpoint's dtype, or the quantization's when that is smaller
 * (an `fp8` quantization of a bf16 checkpoint holds fp8 weights).
 */
export function gpuWeights(model: ModelFootprintInput): { dtype: Dtype; gib: number } {
  const stored = { dtype: model.checkpointDtype, gib: modelWeightGiB(model.parameterCountBillions, model.checkpointDtype) };
  const quantized = model.quantization === undefined ? undefined : QUANTIZATION_WEIGHT_DTYPE[model.quantization];
  if (quantized === undefined) return stored;
  const gib = modelWeightGiB(model.parameterCountBillions, quantized);
  return gib < stored.gib ? { dtype: quantized, gib } : stored;
}

/** The positive divisors of `n`, ascending: the tensor-parallel sizes a node of n GPUs allows. */
export function divisors(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
}

/**
 * Why `tensorParallelSize` cannot run on nodes of `gpusPerNode` GPUs, or undefined when it can. A replica's
 * GPUs must share a node (NVLink), and the node must split into whole replicas: idle GPUs are paid for.
 */
export function tensorParallelProblem(tensorParallelSize: number, gpusPerNode: number): string | undefined {
  if (!Number.isInteger(tensorParallelSize) || tensorParallelSize < 1) return "must be a whole number ≥ 1";
  if (gpusPerNode % tensorParallelSize === 0) return undefined;
  const allowed = divisors(gpusPerNode);
  const list = allowed.length === 1 ? String(allowed[0]) : `${allowed.slice(0, -1).join(", ")} or ${allowed[allowed.length - 1]}`;
  return `must divide gpusPerNode (${gpusPerNode}); use ${list}`;
}

/** Replicas one node runs: its GPUs split into whole replicas of `tensorParallelSize` GPUs. */
export function replicasPerNode(gpusPerNode: number, tensorParallelSize: number): number {
  const problem = tensorParallelProblem(tensorParallelSize, gpusPerNode);
  if (problem !== undefined) throw new Error(`tensorParallelSize (${tensorParallelSize}) ${problem}`);
  return gpusPerNode / tensorParallelSize;
}

/** GPU memory (GiB) vLLM takes for one replica: TP × memory per GPU × utilization. */
export function replicaGpuBudgetGiB(tensorParallelSize: number, gpuMemoryGiB: number, utilization = DEFAULT_GPU_MEMORY_UTILIZATION): number {
  return tensorParallelSize * gpuMemoryGiB * utilization;
}

/** Whether weights of `weightGiB` leave room for the KV cache in one replica. */
export function weightsFit(weightGiB: number, tensorParallelSize: number, gpuMemoryGiB: number, utilization = DEFAULT_GPU_MEMORY_UTILIZATION): boolean {
  return weightGiB <= WEIGHT_SHARE_OF_GPU_BUDGET * replicaGpuBudgetGiB(tensorParallelSize, gpuMemoryGiB, utilization);
}

/** The smallest tensor-parallel size a node of `gpusPerNode` GPUs allows that fits the weights, or undefined. */
export function smallestFittingTensorParallelSize(weightGiB: number, gpusPerNode: number, gpuMemoryGiB: number, utilization = DEFAULT_GPU_MEMORY_UTILIZATION): number | undefined {
  return divisors(gpusPerNode).find((tp) => weightsFit(weightGiB, tp, gpuMemoryGiB, utilization));
}

/** USD per hour of one replica: its share (TP of gpusPerNode GPUs) of the node's price. */
export function replicaCostPerHour(nodeHourlyCost: number, gpusPerNode: number, tensorParallelSize: number): number {
  return (nodeHourlyCost * tensorParallelSize) / gpusPerNode;
}

/** How a replica's GPU-hour is split between prompt and completion tokens. */
export interface TokenPricing {
  /** Price of a prompt token relative to a completion token, in [0, 1]. */
  inputPriceRatio: number;
  /** Prompt tokens served per completion token in the workload, ≥ 0. */
  promptTokensPerOutputToken: number;
}

/** A prompt token costs a quarter of a completion token, the ratio most hosted APIs charge. */
export const DEFAULT_INPUT_PRICE_RATIO = 0.25;
/** One prompt token per completion token, until the gateway's usage figures say otherwise. */
export const DEFAULT_PROMPT_TOKENS_PER_OUTPUT_TOKEN = 1;
export const DEFAULT_TOKEN_PRICING: Readonly<TokenPricing> = { inputPriceRatio: DEFAULT_INPUT_PRICE_RATIO, promptTokensPerOutputToken: DEFAULT_PROMPT_TOKENS_PER_OUTPUT_TOKEN };
/** Prices are rounded to this many significant digits, so the rendered YAML stays readable and stable. */
export const PRICE_SIGNIFICANT_DIGITS = 6;

export interface TokenPrices {
  /** USD per prompt token (LiteLLM `input_cost_per_token`). */
  inputCostPerToken: number;
  /** USD per completion token (LiteLLM `output_cost_per_token`). */
  outputCostPerToken: number;
}

/**
 * Per-token prices from a replica's GPU-hour cost and measured output throughput, such that one hour at that
 * throughput and prompt mix bills exactly `costPerHour`:
 * `costPerHour = 3600 · tokensPerSecond · (out + k · in)` with `in = r · out`, so
 * `out = costPerHour / (3600 · tokensPerSecond · (1 + k · r))`. Without these LiteLLM prices self-hosted
 * models at $0 and cost-based routing ranks them at its 5.0 placeholder (litellm#41780, lowest_cost.py).
 */
export function tokenPrices(costPerHour: number, tokensPerSecond: number, pricing: TokenPricing = DEFAULT_TOKEN_PRICING): TokenPrices {
  const { inputPriceRatio: r, promptTokensPerOutputToken: k } = pricing;
  const output = costPerHour / (3600 * tokensPerSecond * (1 + k * r));
  return { inputCostPerToken: roundPrice(r * output), outputCostPerToken: roundPrice(output) };
}

function roundPrice(value: number): number {
  return Number(value.toPrecision(PRICE_SIGNIFICANT_DIGITS));
}

/** LiteLLM `order` of the hosted-API fallback: after every GPU tier. */
export const HOSTED_ROUTING_ORDER = 4;

/**
 * The LiteLLM `order` a GPU backend is tried in; lower first, and a tier only gets traffic once the tiers before
 * it are failing or benched. What is paid for whether used or not comes first: reserved capacity, and any tier
 * that runs a fixed number of replicas (Lambda's fixed on-demand nodes); then spot, then on-demand burst.
 */
export function routingOrder(capacityType: CapacityType, fixed: boolean): 1 | 2 | 3 {
  if (capacityType === "reserved" || fixed) return 1;
  return capacityType === "spot" ? 2 : 3;
}

/**
 * Requests one replica serves at once at its latency SLO (Little's law): decoding `decodeTokensPerSecond` in all,
 * each sequence one token per `tpotMs`, it holds throughput × TPOT sequences. The gateway sends a backend no more
 * than its replicas × this at once; the rest overflows to the next tier.
 */
export function concurrentRequestsPerReplica(decodeTokensPerSecond: number, tpotMs: number): number {
  return Math.max(1, Math.floor((decodeTokensPerSecond * tpotMs) / 1000));
}

/**
 * Replicas a tier wants for `load` replicas' worth of work in flight: the policy's headroom over it, rounded up. The
 * planner sizes every hour and every simulated step with it, and each deployed scaler computes the same from vLLM's
 * gauges: KEDA's HPA wants ⌈in-flight requests / target⌉ replicas, and with the target `inFlightTargetPerReplica`
 * (concurrentRequestsPerReplica / headroom) that is ⌈headroom × in-flight / concurrentRequestsPerReplica⌉, this of the
 * load in replicas (Little's law: a replica at its SLO holds concurrentRequestsPerReplica requests).
 */
export function replicasWanted(load: number, headroom: number): number {
  return Math.max(0, Math.ceil(headroom * load - 1e-9));
}

/**
 * The deployed scaler's target: requests in flight (running + waiting) per replica, so that the replicas it wants are
 * `replicasWanted` of the load. Below concurrentRequestsPerReplica by the headroom, which is what keeps each replica
 * under its SLO concurrency with the planned margin.
 */
export function inFlightTargetPerReplica(concurrentRequestsPerReplica: number, headroom: number): number {
  if (!(headroom >= 1)) throw new RangeError(`inFlightTargetPerReplica: headroom must be ≥ 1, got ${headroom}`);
  return concurrentRequestsPerReplica / headroom;
}
