/** GCP: GKE spot and on-demand GPU node pools, vLLM per model and tier. */
import * as gcp from "@pulumi/gcp";
import type { ProviderStackOutputs } from "./provider-stack";
import { deployProviderStack } from "./provider-stack";
import type { GcpConfig } from "./config";
import type { Fleet } from "./fleet";
import { providerRegion } from "./fleet";

export function gcpEnvironment(config: GcpConfig, fleet: Fleet): ProviderStackOutputs {
  return deployProviderStack(
    "gcp",
    config,
    fleet,
    () => ({ gcp: { cluster: config.cluster, project: config.project } }),
    { cloudProvider: () => new gcp.Provider("gcp", { project: config.project, region: providerRegion(fleet, "gcp") }) },
  );
}
