import type * as gcp from "@pulumi/gcp";
import { upperSnakeTaints } from "./taints";
import type { ResolvedGcp, ResolvedGpuNodePool } from "./resolve";

export function gkeNodePoolArgs(r: ResolvedGpuNodePool, g: ResolvedGcp): gcp.container.NodePoolArgs {
  const spot = r.capacityType === "spot";
  return {
    name: r.poolName,
    cluster: g.cluster,
    location: r.region,
    ...(g.project !== undefined ? { project: g.project } : {}),
    ...(g.nodeLocations !== undefined ? { nodeLocations: g.nodeLocations } : {}),
    initialNodeCount: r.minNodes,
    // Whole-pool bounds; ANY lets spot pools take capacity in whichever zone has it.
    autoscaling: { totalMinNodeCount: r.minNodes, totalMaxNodeCount: r.maxNodes, locationPolicy: spot ? "ANY" : "BALANCED" },
    management: { autoRepair: true, autoUpgrade: true },
    // GPU capacity is scarce: replace one node at a time rather than surging.
    upgradeSettings: { maxSurge: 0, maxUnavailable: 1 },
    nodeConfig: {
      machineType: r.instance.name,
      spot,
      diskSizeGb: g.diskSizeGiB,
      diskType: "pd-balanced",
      // The machine's Local SSDs hold the kubelet's and containerd's directories: pods' local disk is NVMe.
      ...(g.localSsdCount !== undefined ? { ephemeralStorageLocalSsdConfig: { localSsdCount: g.localSsdCount } } : {}),
      guestAccelerators: [
        {
          type: g.acceleratorType,
          count: r.instance.gpusPerNode,
          gpuDriverInstallationConfig: { gpuDriverVersion: g.gpuDriverVersion },
        },
      ],
      labels: r.labels,
      taints: upperSnakeTaints(r.taints),
      oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
      ...(g.serviceAccount !== undefined ? { serviceAccount: g.serviceAccount } : {}),
      // Workload Identity: pods get their own identity, never the node's.
      workloadMetadataConfig: { mode: "GKE_METADATA" },
      shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
      ...(r.capacityType === "reserved" ? { reservationAffinity: gkeReservationAffinity(g) } : {}),
    },
  };
}

function gkeReservationAffinity(g: ResolvedGcp): gcp.types.input.container.NodePoolNodeConfigReservationAffinity {
  return g.reservationName === undefined
    ? { consumeReservationType: "ANY_RESERVATION" }
    : { consumeReservationType: "SPECIFIC_RESERVATION", key: "compute.googleapis.com/reservation-name", values: [g.reservationName] };
}
