/**
 * Weights that fit the node: what the provider stacks give each vLLM replica and each GPU node of the plan, read
 * from the synthesized resources. Every replica loads from the Hub here (no weights manifest in the committed
 * configs), so each writes its checkpoint to the node's local disk.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RecordedResource } from "@switchyard/synth";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { GCP_FLEET_SPEC, REPO_ROOT, synthesizeEnvironment } from "./fixtures";

type Json = Record<string, any>;

/** Per GpuNodePool of a stack: the vLLM container's ephemeral-storage and volumes, and the node's disk as its cloud spells it. */
function localDisk(resources: RecordedResource[]) {
  const servers = resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name.endsWith("-vllm"));
  return servers
    .map((d) => {
      const pod = (d.inputs as Json).spec.template.spec;
      const pool = pod.nodeSelector["switchyard.dev/pool"] as string;
      const children = resources.filter((r) => r.parentName === pool && r.custom);
      const group = children.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup");
      const template = children.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate");
      const gke = children.find((r) => r.type === "gcp:container/nodePool:NodePool");
      return {
        pool,
        ephemeralStorage: pod.containers[0].resources.requests["ephemeral-storage"] as string,
        hfCache: pod.volumes.find((v: Json) => v.name === "hf-cache")?.emptyDir.sizeLimit as string | undefined,
        node: group
          ? template
            ? { launchTemplateRootGiB: (template.inputs as Json).blockDeviceMappings[0].ebs.volumeSize, raid0: Buffer.from(String(template.inputs["userData"]), "base64").toString().includes("strategy: RAID0") }
            : { diskSize: group.inputs["diskSize"] }
          : gke
            ? { diskSizeGb: (gke.inputs as Json).nodeConfig.diskSizeGb, localSsd: (gke.inputs as Json).nodeConfig.ephemeralStorageLocalSsdConfig }
            : {},
      };
    })
    .sort((a, b) => a.pool.localeCompare(b.pool));
}

describe("the example fleet's AWS stack (p5.48xlarge managed node groups, AL2023)", () => {
  let resources: RecordedResource[];
  beforeAll(async () => {
    resources = (await synthesizeEnvironment("aws")).resources;
  }, 120_000);

  it("gives each replica a Hub download volume and request from the plan's checkpoint, and puts them on the p5's NVMe", () => {
    // 70B bf16: 140 GB → 146 GiB volume + 10 GiB scratch; 4 per node (TP 2) = 624 GiB of the 28,610 GiB RAID0.
    // 8B bf16: 16 GB → 19 GiB + 10; 8 per node (TP 1) = 232 GiB. The EBS root keeps 200 GiB for the OS.
    const nvme = { launchTemplateRootGiB: 200, raid0: true };
    expect(localDisk(resources)).toEqual([
      { pool: "llama-70b-on-demand", ephemeralStorage: "156Gi", hfCache: "146Gi", node: nvme },
      { pool: "llama-70b-spot", ephemeralStorage: "156Gi", hfCache: "146Gi", node: nvme },
      { pool: "llama-8b-on-demand", ephemeralStorage: "29Gi", hfCache: "19Gi", node: nvme },
      { pool: "llama-8b-spot", ephemeralStorage: "29Gi", hfCache: "19Gi", node: nvme },
    ]);
  });
});

describe("an AWS stack whose H100 nodes have no instance store", () => {
  let resources: RecordedResource[];
  beforeAll(async () => {
    // The example fleet, with AWS limited to a p5 defined without local NVMe: the kubelet's disk is then the EBS root.
    const spec = parse(readFileSync(join(REPO_ROOT, "examples", "fleet.yaml"), "utf8")) as Json;
    const aws = spec.providers.find((p: Json) => p.provider === "aws");
    aws.instanceTypes = ["p5-ebs.48xlarge"];
    aws.customInstanceTypes = [
      { name: "p5-ebs.48xlarge", gpuType: "H100", gpusPerNode: 8, vcpus: 192, memoryGiB: 2048, localNvmeGiB: 0, onDemandPerNodeHour: 55.04, spotPerNodeHour: 20.79, source: "test: p5.48xlarge without its instance store" },
    ];
    for (const m of spec.models) m.demand.hourly.file = join(REPO_ROOT, "examples", m.demand.hourly.file);
    const file = join(mkdtempSync(join(tmpdir(), "switchyard-disk-")), "fleet.yaml");
    writeFileSync(file, JSON.stringify(spec));
    resources = (await synthesizeEnvironment("aws", { overrides: { "switchyard:fleetSpec": file } })).resources;
  }, 120_000);

  it("sizes each node group's root volume from replicas per node × the checkpoint: ⌈(85 + replicas × request) / 0.85⌉ GiB", () => {
    expect(localDisk(resources)).toEqual([
      // 4 × 156 = 624 GiB of requests + 85 GiB of images and system, under 85% full.
      { pool: "llama-70b-on-demand", ephemeralStorage: "156Gi", hfCache: "146Gi", node: { diskSize: 835 } },
      { pool: "llama-70b-spot", ephemeralStorage: "156Gi", hfCache: "146Gi", node: { diskSize: 835 } },
      // 8 × 29 = 232 GiB.
      { pool: "llama-8b-on-demand", ephemeralStorage: "29Gi", hfCache: "19Gi", node: { diskSize: 373 } },
      { pool: "llama-8b-spot", ephemeralStorage: "29Gi", hfCache: "19Gi", node: { diskSize: 373 } },
    ]);
  });
});

describe("the GCP stack (a3-highgpu-8g) and the CoreWeave stack", () => {
  it("gcp: puts the A3's 16 Local SSDs under the kubelet and keeps the 200 GiB boot disk", async () => {
    const { resources } = await synthesizeEnvironment("gcp", { overrides: { "switchyard:fleetSpec": GCP_FLEET_SPEC } });
    const disks = localDisk(resources);
    expect(disks.length).toBeGreaterThan(0);
    for (const d of disks) expect(d.node).toEqual({ diskSizeGb: 200, localSsd: { localSsdCount: 16 } });
    expect(disks.find((d) => d.pool.startsWith("llama-70b"))).toMatchObject({ ephemeralStorage: "156Gi", hfCache: "146Gi" });
  }, 120_000);

  it("coreweave: the same emptyDir and request, on the node's /mnt/local NVMe RAID (CKS puts the kubelet there itself)", async () => {
    const { resources } = await synthesizeEnvironment("coreweave");
    const disks = localDisk(resources);
    expect(disks.filter((d) => d.pool.startsWith("llama-70b")).map((d) => [d.pool, d.ephemeralStorage, d.hfCache])).toEqual([
      ["llama-70b-on-demand", "156Gi", "146Gi"],
      ["llama-70b-reserved", "156Gi", "146Gi"],
      ["llama-70b-spot", "156Gi", "146Gi"],
    ]);
  }, 120_000);
});
