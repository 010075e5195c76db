/** GCP: GKE spot and on-demand GPU node pools, in an existing cluster or one this stack creates (createCluster). */
import * as gcp from "@pulumi/gcp";
import { gkeCluster } from "./clusters";
import type { GcpConfig } from "./config";
import type { Fleet } from "./fleet";
import { providerRegion } from "./fleet";
import type { ProviderStackOutputs } from "./provider-stack";
import { deployProviderStack, existingCluster } from "./provider-stack";

export function gcpEnvironment(config: GcpConfig, fleet: Fleet): ProviderStackOutputs {
  const region = providerRegion(fleet, "gcp");
  const cluster = config.createCluster === undefined ? existingCluster(config, { gkeCluster: config.cluster! }) : gkeCluster(config.createCluster, region, config.project);
  return deployProviderStack("gcp", config, fleet, (_d, c) => ({ gcp: { cluster: c.gkeCluster!, project: config.project } }), {
    cloudProvider: () => new gcp.Provider("gcp", { project: config.project, region }),
    cluster,
  });
}
