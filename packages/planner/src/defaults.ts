/**
 * Every default figure the planner uses when a fleet spec leaves it out, with where it comes from.
 * They are inputs, not constants: each one can be set in the spec, and a spec for a real fleet should
 * set the ones marked "assumption" from its own measurements.
 */
import type { Provider } from "@switchyard/catalog";

/** Hours in a billing month, as AWS and GCP price monthly figures (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/**
 * Minutes from asking for a node to the node being schedulable, per provider. CoreWeave: bare-metal
 * nodes, "20–30 minutes" for a new node to join (provider-facts §1.2, [UNCERTAIN]) — 25. AWS, GCP,
 * Lambda: assumption (VM boot + GPU driver + join; Lambda adds cloud-init joining the cluster).
 */
export const NODE_PROVISION_MINUTES: Readonly<Record<Provider, number>> = {
  aws: 8,
  gcp: 8,
  coreweave: 25,
  lambda: 10,
};

/**
 * Spot market behaviour when the spec gives none: a provider-level on/off process with this long-run
 * availability and mean up-run. Median over the nine AZ files of skypilot-org/spot-traces
 * `availability/1-node/aws-02-15-2023` (p3.2xlarge V100, 45 days; ../shared/data/prices/
 * spot-availability-skypilot/summary.csv): availability 0.682, mean up-run 4.26 h. No public H100
 * spot availability trace exists; these older V100 figures are the real data we have.
 */
export const SPOT_BEHAVIOUR = { availability: 0.682, meanUpHours: 4.26 } as const;

/** vLLM engine start after the weights are read (compile, CUDA graphs, profiling): provider-facts §5.7 order of magnitude. */
export const ENGINE_START_MINUTES = 3;

/** Weight read bandwidth, GB/s: from a bucket in the same cloud, and across clouds. Assumptions. */
export const WEIGHT_LOAD_GBPS = { sameCloud: 1, crossCloud: 0.25 } as const;

/** Network round trip from the gateway to a backend, ms: same provider vs another cloud. Assumption. */
export const RTT_MS = { sameProvider: 2, otherProvider: 30 } as const;

/**
 * Bytes on the wire per token between gateway and backend. Prompts: ~4 bytes of UTF-8 text per token
 * (OpenAI's rule of thumb) in a JSON body. Streamed completions: one server-sent event per token, an
 * OpenAI `chat.completion.chunk` line of ~200 bytes (id, model, created, choices[0].delta).
 */
export const GATEWAY_BYTES_PER_TOKEN = { request: 4, response: 200 } as const;

/** Router score weights (DESIGN.md "Routing score per backend"). */
export const ROUTER_WEIGHTS = { latency: 0.3, cost: 0.4, availability: 0.3 } as const;

/**
 * Policy defaults: the seeds run 60% on spot; headroom 1.2; survive the loss of any one provider with all of the
 * demand served, by a hot spare on the other providers (the hosted API is a choice: `outageCover`).
 */
export const POLICY = {
  maxSpotShare: 0.6,
  headroom: 1.2,
  resilience: "provider",
  outageShare: 1,
  outageCover: "spare",
} as const;

/**
 * Simulation defaults: 5-minute steps (a queue absorbs shorter bursts), a week, 6-hour outage drills,
 * and a 10-minute scale-down delay (KEDA's and the HPA's stabilisation default is 5 minutes; a ready
 * node is never released while the requirement still needs it, whatever the delay).
 */
export const SIMULATION = {
  stepMinutes: 5,
  days: 7,
  seed: 1,
  scaleDownDelayMinutes: 10,
  outageHours: 6,
} as const;
