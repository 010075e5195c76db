/** CoreWeave: CKS NodePools (reserved baseline, spot), weights by the plan's strategy, vLLM per model and tier. */
import type { ProviderStackOutputs } from "./provider-stack";
import { deployProviderStack } from "./provider-stack";
import type { CoreWeaveConfig } from "./config";
import type { Fleet } from "./fleet";

export function coreweave(config: CoreWeaveConfig, fleet: Fleet): ProviderStackOutputs {
  return deployProviderStack("coreweave", config, fleet, () => ({ coreweave: {} }));
}
