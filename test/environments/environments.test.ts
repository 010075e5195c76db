/**
 * Every environment of the fleet synthesized end to end under mocks, from the committed example stack
 * configs: what each provider stack deploys and exports, what the shared stack's gateway consumes from them,
 * and that bad configuration fails before any resource is registered.
 */
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadFleet } from "@switchyard/environments/fleet";
import { tierDeployments } from "@switchyard/environments/deployments";
import { lastRecorded, stringLeaves } from "@switchyard/synth";
import type { RecordedResource } from "@switchyard/synth";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { withAwsAttributes } from "../harness/aws-attributes";
import { validateKubernetesObjects } from "../harness/kubernetes-schema";
import { GCP_FLEET_SPEC, PROVIDER_ENVS, REPO_ROOT, SECRETS, synthesizeEnvironment } from "./fixtures";

const fleet = loadFleet("examples/fleet.yaml", "shared");
const names = (rs: RecordedResource[], type: string) => rs.filter((r) => r.type === type).map((r) => r.name).sort();

/** A pool's node bounds as its cloud's own resource spells them. */
function nodeBounds(resources: RecordedResource[], env: string, pool: string): { min: number; max: number } {
  const children = resources.filter((r) => r.parentName === pool && r.custom);
  switch (env) {
    case "coreweave": {
      const spec = children.find((r) => r.type.endsWith("NodePool"))!.inputs["spec"] as { minNodes: number; maxNodes: number };
      return { min: spec.minNodes, max: spec.maxNodes };
    }
    case "aws": {
      const scaling = children.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup")!.inputs["scalingConfig"] as { minSize: number; maxSize: number };
      return { min: scaling.minSize, max: scaling.maxSize };
    }
    case "gcp": {
      const autoscaling = children.find((r) => r.type === "gcp:container/nodePool:NodePool")!.inputs["autoscaling"] as Record<string, number>;
      return { min: autoscaling["totalMinNodeCount"] ?? autoscaling["minNodeCount"]!, max: autoscaling["totalMaxNodeCount"] ?? autoscaling["maxNodeCount"]! };
    }
    default: {
      const instances = children.length;
      return { min: instances, max: instances };
    }
  }
}

const stackOutputsFor = (env: (typeof PROVIDER_ENVS)[number]) => provider[env]!.outputs;

type Synth = Awaited<ReturnType<typeof synthesizeEnvironment>>;
const provider: Partial<Record<(typeof PROVIDER_ENVS)[number], Synth>> = {};
const stackOutputs: Record<string, Record<string, unknown>> = {};

beforeAll(async () => {
  for (const env of PROVIDER_ENVS) {
    provider[env] = await synthesizeEnvironment(env);
    stackOutputs[`acme/switchyard/${env}`] = provider[env].outputs;
  }
  // The shared stack plans the example fleet, which puts nothing on GCP: what a GCP stack from that spec exports.
  stackOutputs["acme/switchyard/gcp"] = (await synthesizeEnvironment("gcp", { overrides: { "switchyard:fleetSpec": "examples/fleet.yaml" } })).outputs;
});

describe.each(PROVIDER_ENVS)("the %s stack", (env) => {
  const own = env === "gcp" ? loadFleet(GCP_FLEET_SPEC, "gcp") : fleet;
  const expected = tierDeployments(own.plan, env);

  it("deploys one node pool and one vLLM server per model and tier the plan puts here", () => {
    const { resources } = provider[env]!;
    expect(expected.length).toBeGreaterThan(0);
    expect(names(resources, "switchyard:index:GpuNodePool")).toEqual(expected.map((d) => d.poolName).sort());
    expect(names(resources, "switchyard:index:VllmServing")).toEqual(expected.map((d) => d.backendName).sort());
    expect(names(resources, "pulumi:providers:kubernetes")).toEqual(["cluster"]);
  });

  it("exports the planner's backends with their API keys as a secret", async () => {
    const { outputs, result } = provider[env]!;
    const backends = outputs.backends as { name: string; modelName: string; baseUrl: string; apiKeySecretEnv: string; capacityType: string }[];
    expect(backends.map((b) => b.name).sort()).toEqual(expected.map((d) => d.backendName).sort());
    for (const b of backends) {
      expect(own.plan.backends.some((p) => p.name === b.name && p.model === b.modelName && p.capacityType === b.capacityType)).toBe(true);
      expect(b.baseUrl).toMatch(env === "aws" ? /^http:\/\/[a-z0-9-]+\.inference\.svc\.cluster\.local:\d+\/v1$/ : /^https:\/\/.+\/v1$/);
      expect(outputs.backendApiKeys[b.apiKeySecretEnv]).toMatch(/.{16,}/);
    }
    expect(await pulumi.isSecret((result as { backendApiKeys: pulumi.Output<unknown> }).backendApiKeys)).toBe(true);
  });

  it("applies the plan's bounds: reserved fixed, burst tiers from the nodes the plan runs every hour to its maximum", () => {
    const { resources } = provider[env]!;
    for (const d of expected) {
      expect(nodeBounds(resources, env, d.poolName)).toEqual({ min: d.minNodes, max: d.maxNodes });
      if (d.capacityType === "reserved" || env === "lambda") expect(d.minNodes).toBe(d.maxNodes);
      else {
        const pool = own.plan.models.find((m) => m.name === d.model)!.pools.find((p) => p.provider === env)!;
        expect(d.minNodes).toBe(Math.min(...(d.capacityType === "spot" ? pool.schedule.spotNodes : pool.schedule.onDemandNodes)));
      }
    }
  });

  it("serves the checkpoint the fleet spec pins: its repository and revision reach vLLM (no weights manifest: from the Hub)", () => {
    const { resources } = provider[env]!;
    for (const d of expected) {
      const model = own.plan.models.find((m) => m.name === d.model)!;
      const deployment = resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.parentName === d.backendName)!;
      const args = (deployment.inputs as { spec: { template: { spec: { containers: { args: string[] }[] } } } }).spec.template.spec.containers[0]!.args;
      expect([args[0], args[args.indexOf("--revision") + 1]]).toEqual([model.huggingFace.repo, model.huggingFace.revision]);
    }
  });

  it("renders Kubernetes objects that pass the Kubernetes, KEDA and CoreWeave schemas", () => {
    expect(validateKubernetesObjects(provider[env]!.resources)).toBeGreaterThan(0);
  });
});

describe("the shared stack", () => {
  let shared: Synth;
  beforeAll(async () => {
    shared = await synthesizeEnvironment("shared", { stackOutputs });
  });

  it("routes to every backend the provider stacks export, with each one's key from their secret outputs", () => {
    const exported = Object.values(stackOutputs).flatMap((o) => (o["backends"] as { name: string }[]).map((b) => b.name)).sort();
    expect(exported.length).toBeGreaterThan(0);
    expect([...(shared.outputs.routedBackends as string[])].sort()).toEqual(exported);
    const configMap = shared.resources.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.parentName === "gateway")!;
    const litellm = parse(String(Object.values(configMap.inputs["data"] as Record<string, string>)[0])) as { model_list: { model_info: { id: string } }[] };
    const ids = litellm.model_list.map((m) => m.model_info.id);
    for (const name of exported) expect(ids.some((id) => id.includes(name))).toBe(true);
    // Weights and orders are the plan's: within llama-70b's spot tier the split matches the planner's.
    const entry = (id: string) => (litellm.model_list as any[]).find((m) => m.model_info.id === id).litellm_params;
    const planned = (id: string) => fleet.plan.backends.find((b) => b.name === id)!.weight;
    const [cw, aws] = [entry("coreweave-llama-70b-spot"), entry("aws-llama-70b-spot")];
    expect([cw.order, aws.order]).toEqual([2, 2]);
    expect(cw.weight / (cw.weight + aws.weight)).toBeCloseTo(planned("coreweave-llama-70b-spot") / (planned("coreweave-llama-70b-spot") + planned("aws-llama-70b-spot")), 2);
    expect(entry("coreweave-llama-70b-reserved").order).toBe(1);
    // Lambda cannot autoscale: its on-demand nodes are fixed, paid around the clock, and tried first with the reserved tier.
    expect(entry("lambda-llama-70b-on-demand").order).toBe(1);
    expect(entry("aws-llama-70b-on-demand").order).toBe(3);
    const keys = shared.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && r.name === "gateway-backend-keys")!;
    for (const outputs of Object.values(stackOutputs)) {
      for (const [envName, key] of Object.entries(outputs["backendApiKeys"] as Record<string, string>)) {
        expect(JSON.stringify(keys.inputs)).toContain(key);
        expect(JSON.stringify(keys.inputs)).toContain(envName);
      }
    }
    expect(keys.secretPaths.length).toBeGreaterThan(0);
  });

  it("declares SharedServices and the gateway, wired to one Redis token derived from the key seed (no random provider)", () => {
    expect(names(shared.resources, "switchyard:index:SharedServices")).toEqual(["shared"]);
    expect(names(shared.resources, "switchyard:index:LiteLLMGatewayConfig")).toEqual(["gateway"]);
    const redis = shared.resources.find((r) => r.type === "aws:elasticache/replicationGroup:ReplicationGroup")!;
    const credentials = shared.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && r.name === "gateway-credentials")!;
    const token = redis.inputs["authToken"] as string;
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    expect((credentials.inputs["stringData"] as Record<string, string>)["redis-password"]).toBe(token);
    const stacks: [string, RecordedResource[]][] = [...PROVIDER_ENVS.map((env) => [env, provider[env]!.resources] as [string, RecordedResource[]]), ["shared", shared.resources]];
    for (const [env, resources] of stacks) expect(`${env}: ${resources.filter((r) => r.type.startsWith("random:")).length}`).toBe(`${env}: 0`);
  });

  it("leaves out a provider stack that was never deployed, says so, and builds the gateway from the others", async () => {
    const { "acme/switchyard/aws": _aws, ...others } = stackOutputs;
    const partial = await synthesizeEnvironment("shared", { stackOutputs: { ...others, "acme/switchyard/aws": {} } });
    expect(partial.outputs.routedBackends as string[]).not.toContain("aws-llama-70b-spot");
    expect((partial.outputs.skippedStacks as string[]).join("\n")).toMatch(/acme\/switchyard\/aws: it exports no backends/);
  });

  it("fails before registering anything when no provider stack has backends", async () => {
    const empty = Object.fromEntries(PROVIDER_ENVS.map((env) => [`acme/switchyard/${env}`, {}]));
    await expect(synthesizeEnvironment("shared", { stackOutputs: empty })).rejects.toThrow(/none of switchyard:providerStacks .* exports backends; fix: deploy a provider stack first/);
    expect(lastRecorded().filter((r) => r.type !== "pulumi:pulumi:StackReference")).toEqual([]);
  });

  it("keeps every credential inside secret values, in every stack", () => {
    const sentinels = Object.values(SECRETS);
    for (const { resources } of [...PROVIDER_ENVS.map((e) => provider[e]!), shared]) {
      for (const r of resources) {
        for (const leaf of stringLeaves(r.inputs)) {
          if (sentinels.some((s) => leaf.value.includes(s))) {
            expect(r.secretPaths.some((p) => leaf.path === p || leaf.path.startsWith(`${p}.`) || leaf.path.startsWith(`${p}[`)), `${r.type} ${r.name} ${leaf.path}`).toBe(true);
          }
        }
        for (const leaf of stringLeaves(r.outputs ?? {})) {
          if (sentinels.some((s) => leaf.value.includes(s))) expect(r.secretOutputPaths.length, `${r.type} ${r.name} output ${leaf.path}`).toBeGreaterThan(0);
        }
      }
    }
  });
});

describe("the weights strategy the plan chose", () => {
  it("is deployed as a ModelWeightCache per model when the stack config publishes a manifest", async () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-manifest-"));
    const manifest = join(dir, "llama.json");
    writeFileSync(manifest, JSON.stringify([{ path: "model.safetensors", sizeBytes: 70_000_000_000, sha256: "a".repeat(64) }, { path: "config.json", sizeBytes: 1000, sha256: "b".repeat(64) }]));
    const weights = {
      manifestFile: relative(REPO_ROOT, manifest),
      originUri: "s3://acme-weights/models/llama",
      originCredentialsSecret: { name: "weights-origin-reader" },
      replica: { bucketName: "acme-weights-cw", writerSecret: { name: "replica-writer" }, readerSecret: { name: "replica-reader" } },
      nodeCacheHostPath: "/mnt/nvme/models",
    };
    const strategy = fleet.plan.weightDistribution.find((w) => w.provider === "coreweave")!.strategy;
    const s = await synthesizeEnvironment("coreweave", { overrides: { "switchyard:weights": { "llama-70b": weights, "llama-8b": weights } } });
    const caches = names(s.resources, "switchyard:index:ModelWeightCache");
    expect(caches.length).toBeGreaterThan(0);
    for (const c of s.resources.filter((r) => r.type === "switchyard:index:ModelWeightCache")) expect(c.outputs?.["strategy"]).toBe(strategy);
    expect(s.outputs.weights.strategy).toBe(strategy);
  });
});

describe("clusters the AWS and GCP stacks create", () => {
  it("aws: an EKS cluster (KMS-encrypted secrets, audit logs, protected), a CPU node group, and GPU node groups joined to it", async () => {
    const s = await synthesizeEnvironment("aws", {
      overrides: {
        "switchyard:kubeconfig": undefined,
        "switchyard:clusterName": undefined,
        "switchyard:nodeRoleArn": undefined,
        "switchyard:createCluster": { name: "inference", version: "1.33", publicAccessCidrs: ["203.0.113.0/24"] },
      },
      before: withAwsAttributes,
    });
    const cluster = s.resources.find((r) => r.type === "aws:eks/cluster:Cluster")!;
    expect(cluster.inputs).toMatchObject({
      name: "inference",
      version: "1.33",
      enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: expect.stringMatching(/^arn:aws:kms:/) } },
      vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] },
    });
    expect(cluster.protect).toBe(true);
    expect(names(s.resources, "aws:eks/nodeGroup:NodeGroup")).toContain("eks-system");
    const gpuGroups = s.resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && r.name !== "eks-system");
    expect(gpuGroups.length).toBe(tierDeployments(fleet.plan, "aws").length);
    for (const g of gpuGroups) {
      expect(g.inputs["clusterName"]).toBe("inference");
      expect(g.inputs["nodeRoleArn"]).toBe(`arn:aws:iam::123456789012:role/eks-nodes`);
    }
    const k8sProvider = s.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
    expect(k8sProvider.secretPaths).toContain("kubeconfig");
    const kubeconfig = JSON.parse(String(k8sProvider.inputs["kubeconfig"]));
    expect(kubeconfig.users[0].user.exec).toMatchObject({ command: "aws", args: ["eks", "get-token", "--cluster-name", "inference", "--region", "us-east-1", "--output", "json"] });
  });

  it("gcp: a regional GKE cluster with Workload Identity and no default pool, and GPU pools in it", async () => {
    const s = await synthesizeEnvironment("gcp", {
      overrides: { "switchyard:kubeconfig": undefined, "switchyard:cluster": undefined, "switchyard:createCluster": { name: "inference", version: "1.33" } },
    });
    const cluster = s.resources.find((r) => r.type === "gcp:container/cluster:Cluster")!;
    expect(cluster.inputs).toMatchObject({ name: "inference", location: "us-central1", removeDefaultNodePool: true, workloadIdentityConfig: { workloadPool: "acme-inference.svc.id.goog" }, deletionProtection: true });
    const gpuPools = s.resources.filter((r) => r.type === "gcp:container/nodePool:NodePool" && r.name !== "gke-system");
    expect(gpuPools.length).toBeGreaterThan(0);
    for (const p of gpuPools) expect(p.inputs["cluster"]).toBe("inference");
  });
});

describe("bad stack configuration", () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["coreweave", { "switchyard:vllmImage": undefined }, /switchyard:vllmImage is missing .*fix: pulumi config set switchyard:vllmImage <value> -s coreweave/],
    ["coreweave", { "switchyard:nameSpace": "x" }, /switchyard:nameSpace is not a known key; fix: check the spelling/],
    ["lambda", { "switchyard:cluster": { distribution: "k8s", version: "v1", serverUrl: "https://x:6443" } }, /switchyard:cluster\.distribution = "k8s": .*fix: pulumi config set --path switchyard:cluster\.distribution/],
    ["aws", { "switchyard:subnetIds": ["sn-1"] }, /switchyard:subnetIds\.0 = "sn-1"/],
    ["gcp", { "switchyard:models": { "llama-70b": { revision: "main" } } }, /switchyard:models is no longer a stack key: what a model is .* is in the fleet spec/],
    ["gcp", { "switchyard:weights": { "llama-7b": { manifestFile: "m.json", originUri: "s3://acme-weights/m", originCredentialsSecret: { name: "r" } } } }, /switchyard:weights\.llama-7b names no model of the fleet spec/],
    ["lambda", { "switchyard:nodesPerModel": { "llama-70b": 2 } }, /switchyard:nodesPerModel is no longer a stack key: Lambda's node count is the plan's/],
    ["shared", { "switchyard:hostedFallback": { model: "openai/gpt-4o-mini", inputCostPerToken: 1e-7, outputCostPerToken: 1e-7 } }, /switchyard:hostedFallback is no longer a stack key: the hosted fallback the gateway deploys is the one the plan prices/],
    ["gcp", { "switchyard:ingress": undefined }, /switchyard:ingress is missing: the gateway runs on AWS/],
    ["aws", { "switchyard:createCluster": { name: "inference", version: "1.33" } }, /switchyard:kubeconfig and switchyard:createCluster are both set; fix: keep one/],
    ["gcp", { "switchyard:kubeconfig": undefined }, /switchyard:kubeconfig is missing \(or set switchyard:createCluster to create the cluster\); fix: pulumi config set --secret switchyard:kubeconfig/],
    ["coreweave", { "switchyard:kubeconfig": undefined }, /switchyard:kubeconfig is missing: coreweave deploys into an existing cluster/],
    ["shared", { "switchyard:budget": { monthlyLimitUsd: -5, alertEmails: ["ops@example.com"] } }, /switchyard:budget\.monthlyLimitUsd = -5/],
  ];
  it.each(cases)("%s with %j fails with the key and the fix, registering nothing", async (env, overrides, message) => {
    await expect(synthesizeEnvironment(env, { overrides })).rejects.toThrow(message);
    expect(lastRecorded()).toEqual([]);
  });

  it("refuses a credential stored in plain text, without echoing it", async () => {
    const { synthesize } = await import("@switchyard/synth");
    const { stackConfig } = await import("./fixtures");
    const { runEnvironment } = await import("@switchyard/environments/main");
    const { config } = stackConfig("lambda");
    const error = await synthesize(() => runEnvironment("lambda"), { project: "switchyard", stack: "lambda", config, secretConfigKeys: ["switchyard:kubeconfig"] }).then(() => new Error("expected a failure"), (e: Error) => e);
    expect(error.message).toMatch(/switchyard:lambdaApiKey is a credential stored in plain text; fix: pulumi config set --secret switchyard:lambdaApiKey <value> -s lambda/);
    expect(error.message).not.toContain(SECRETS.lambdaApiKey);
    expect(lastRecorded()).toEqual([]);
  });

  it("refuses a stack that is not an environment", async () => {
    const { synthesize } = await import("@switchyard/synth");
    const { runEnvironment } = await import("@switchyard/environments/main");
    await expect(synthesize(() => runEnvironment("staging"))).rejects.toThrow(/stack "staging" is not an environment of this project; fix: use one of coreweave, lambda, aws, gcp, shared/);
  });
});

describe("the gateway's routing follows the plan", () => {
  it("uses the planner's weights when the plan covers every backend, its availability otherwise", async () => {
    const { plannedRouting } = await import("@switchyard/environments/shared");
    const backends = PROVIDER_ENVS.flatMap((env) => (env === "gcp" ? [] : (stackOutputsFor(env).backends as any[])));
    const routing = plannedRouting(fleet.plan, backends);
    expect(Object.keys(routing.weights!).sort()).toEqual(backends.map((b) => b.name).sort());
    for (const b of backends) expect(routing.weights![b.name]).toBe(fleet.plan.backends.find((p) => p.name === b.name)!.weight);
    const stranger = { ...backends[0], name: "coreweave-llama-70b-canary" };
    const fallback = plannedRouting(fleet.plan, [...backends, stranger]);
    expect(fallback.weights).toBeUndefined();
    expect(fallback.availability![backends[0].name]).toBe(fleet.plan.backends.find((p) => p.name === backends[0].name)!.scoreParts!.availability);
  });
});

describe("provider stack outputs", () => {
  it("export how to reach the cluster, as a secret", async () => {
    const { result, outputs } = provider["coreweave"]!;
    expect(outputs.kubeconfig).toBe(SECRETS.kubeconfig);
    expect(await pulumi.isSecret((result as { kubeconfig: pulumi.Output<string> }).kubeconfig)).toBe(true);
  });
});
