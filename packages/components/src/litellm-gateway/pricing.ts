/** Per-token prices of a backend: the rule itself is the catalog's `tokenPrices`, which the planner prices with too. */
import { DEFAULT_INPUT_PRICE_RATIO, DEFAULT_PROMPT_TOKENS_PER_OUTPUT_TOKEN } from "@switchyard/catalog";
import type { TokenPrices } from "@switchyard/catalog";
import type { TokenPricingArgs } from "./args";

export { DEFAULT_INPUT_PRICE_RATIO, DEFAULT_PROMPT_TOKENS_PER_OUTPUT_TOKEN, PRICE_SIGNIFICANT_DIGITS, tokenPrices } from "@switchyard/catalog";
export type { TokenPrices } from "@switchyard/catalog";

export function resolveTokenPricing(pricing: TokenPricingArgs | undefined): Required<TokenPricingArgs> {
  return {
    inputPriceRatio: pricing?.inputPriceRatio ?? DEFAULT_INPUT_PRICE_RATIO,
    promptTokensPerOutputToken: pricing?.promptTokensPerOutputToken ?? DEFAULT_PROMPT_TOKENS_PER_OUTPUT_TOKEN,
  };
}

/** What LiteLLM bills for one request at these prices (its spend formula for per-token pricing). */
export function requestCost(prices: TokenPrices, promptTokens: number, completionTokens: number): number {
  return prices.inputCostPerToken * promptTokens + prices.outputCostPerToken * completionTokens;
}
