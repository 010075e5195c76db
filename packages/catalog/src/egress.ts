/**
 * Egress prices, USD per GB (as each provider bills it), charged to the sender.
 *
 * Model: traffic that stays inside one provider is assumed to stay inside one region and costs the
 * `sameProviderPerGB` figure (0 everywhere: same-region, same-AZ, or via free endpoints); traffic to any
 * other cloud leaves over the internet and costs the sender its internet egress price. Ingress is free on
 * all four providers, so the receiver pays nothing. Volume tiers and free allowances are ignored; the
 * figure is the first paid tier, the conservative one for the volumes a model fleet moves.
 */
import { CATALOG_COMPILED_ON, EGRESS_DESTINATIONS, PROVIDERS, assertProvider } from "./constants";
import type { EgressDestination, Provider } from "./constants";
import { parseEgressPrices } from "./schemas";
import type { EgressPrice } from "./types";

// None of the egress figures in provider-facts.md carries a date of its own: compilation date used.
const verifiedOn = CATALOG_COMPILED_ON;

const RAW_EGRESS_PRICES: EgressPrice[] = [
  {
    provider: "aws",
    sameProviderPerGB: 0,
    internetPerGB: 0.09,
    note:
      "internet: $0.09/GB from 100 GB to 10 TB a month ($0.085, $0.07, $0.05 beyond; first 100 GB free). " +
      "Same provider assumes same region and AZ: inter-region is about $0.02/GB, cross-AZ $0.01/GB each way, " +
      "NAT Gateway processing $0.045/GB (use S3 gateway endpoints).",
    source: "https://aws.amazon.com/ec2/pricing/on-demand/ (data transfer; provider-facts §3.7)",
    verifiedOn,
  },
  {
    provider: "gcp",
    sameProviderPerGB: 0,
    internetPerGB: 0.12,
    note:
      "internet: premium tier, which the reference gives as about $0.085-0.12/GB; $0.12 is the first " +
      "(smallest-volume) tier, matching the first-tier figure used for AWS. Same provider assumes same region.",
    source: "https://cloud.google.com/vpc/network-pricing (premium tier; provider-facts §3.7)",
    verifiedOn,
  },
  {
    provider: "coreweave",
    sameProviderPerGB: 0,
    internetPerGB: 0,
    note: "CoreWeave charges no egress (nor IOPS/requests) on compute or AI Object Storage.",
    source: "https://coreweave.com/pricing (provider-facts §0 #18, §1.7)",
    verifiedOn,
  },
  {
    provider: "lambda",
    sameProviderPerGB: 0,
    internetPerGB: 0,
    note: "Lambda charges no ingress or egress.",
    source: "https://docs.lambda.ai/public-cloud/billing (provider-facts §2.5)",
    verifiedOn,
  },
];

/** Egress prices per provider, validated at module load; exactly one entry per provider. */
export const EGRESS_PRICES: readonly EgressPrice[] = parseEgressPrices(RAW_EGRESS_PRICES);

/** The egress price entry for one provider. */
export function egressPriceFor(provider: Provider): EgressPrice {
  assertProvider(provider);
  const entry = EGRESS_PRICES.find((e) => e.provider === provider);
  if (entry === undefined) throw new Error(`no egress price for ${provider}`); // unreachable: checked at load
  return entry;
}

/**
 * USD per GB the sender pays to move data from `from` to `to`. Same provider → the intra-cloud figure
 * (0: same-region assumption); another cloud → the sender's internet egress price, because
 * inter-cloud traffic is internet traffic for the sender.
 */
export function egressPricePerGB(from: Provider, to: EgressDestination): number {
  assertProvider(from);
  if (!(EGRESS_DESTINATIONS as readonly string[]).includes(to)) {
    throw new Error(`unknown egress destination ${JSON.stringify(to)}; allowed: ${EGRESS_DESTINATIONS.join(", ")}`);
  }
  const prices = egressPriceFor(from);
  return to === from ? prices.sameProviderPerGB : prices.internetPerGB;
}

/** Every (from, to) pair with its price, for tables and reports. */
export function egressPriceTable(): readonly { from: Provider; to: EgressDestination; pricePerGB: number }[] {
  return PROVIDERS.flatMap((from) => EGRESS_DESTINATIONS.map((to) => ({ from, to, pricePerGB: egressPricePerGB(from, to) })));
}
