import type { TokenPricingArgs } from "./args";

/** A prompt token costs a quarter of a completion token, the ratio most hosted APIs charge. */
export const DEFAULT_INPUT_PRICE_RATIO = 0.25;
/** One prompt token per completion token, until the gateway's usage figures say otherwise. */
export const DEFAULT_PROMPT_TOKENS_PER_OUTPUT_TOKEN = 1;
/** Prices are rounded to this many significant digits, so the rendered YAML stays readable and stable. */
export const PRICE_SIGNIFICANT_DIGITS = 6;

export interface TokenPrices {
  /** USD per prompt token (LiteLLM `input_cost_per_token`). */
  inputCostPerToken: number;
  /** USD per completion token (LiteLLM `output_cost_per_token`). */
  outputCostPerToken: number;
}

export function resolveTokenPricing(pricing: TokenPricingArgs | undefined): Required<TokenPricingArgs> {
  return {
    inputPriceRatio: pricing?.inputPriceRatio ?? DEFAULT_INPUT_PRICE_RATIO,
    promptTokensPerOutputToken: pricing?.promptTokensPerOutputToken ?? DEFAULT_PROMPT_TOKENS_PER_OUTPUT_TOKEN,
  };
}

/**
 * Per-token prices from a replica's GPU-hour cost and measured output throughput, such that one hour at that
 * throughput and prompt mix bills exactly `costPerHour`:
 * `costPerHour = 3600 · tokensPerSecond · (out + k · in)` with `in = r · out`, so
 * `out = costPerHour / (3600 · tokensPerSecond · (1 + k · r))`. Without these LiteLLM prices self-hosted
 * models at $0 and cost-based routing ranks them at its 5.0 placeholder (litellm#41780, lowest_cost.py).
 */
export function tokenPrices(costPerHour: number, tokensPerSecond: number, pricing: Required<TokenPricingArgs>): TokenPrices {
  const { inputPriceRatio: r, promptTokensPerOutputToken: k } = pricing;
  const output = costPerHour / (3600 * tokensPerSecond * (1 + k * r));
  return { inputCostPerToken: roundPrice(r * output), outputCostPerToken: roundPrice(output) };
}

/** What LiteLLM bills for one request at these prices (its spend formula for per-token pricing). */
export function requestCost(prices: TokenPrices, promptTokens: number, completionTokens: number): number {
  return prices.inputCostPerToken * promptTokens + prices.outputCostPerToken * completionTokens;
}

function roundPrice(value: number): number {
  return Number(value.toPrecision(PRICE_SIGNIFICANT_DIGITS));
}
