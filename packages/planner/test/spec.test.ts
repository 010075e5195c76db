import { getInstanceType } from "@switchyard/catalog";
import { describe, expect, it } from "vitest";
import { FleetSpecError, parseFleetSpec, plan } from "../src";
import type { FleetSpecInput } from "../src";
import { ALL_PROVIDERS, specWith } from "./helpers";

function issuesOf(input: unknown) {
  try {
    parseFleetSpec(input);
  } catch (error) {
    if (error instanceof FleetSpecError) return error.issues;
    throw error;
  }
  throw new Error("expected a FleetSpecError");
}

const good = (): FleetSpecInput => specWith({ providers: ALL_PROVIDERS, replicas: [4, 8] });

describe("parseFleetSpec", () => {
  it("fills every default", () => {
    const spec = parseFleetSpec(good());
    expect(spec.policy).toEqual({ maxSpotShare: 0.6, headroom: 1.2, resilience: "provider", outageShare: 1, outageCover: "spare" });
    expect(spec.router).toEqual({ latency: 0.3, cost: 0.4, availability: 0.3 });
    expect(spec.simulation).toEqual({ stepMinutes: 5, days: 7, seed: 1, scaleDownDelayMinutes: 10, outageHours: 6 });
  });

  it.each([
    {
      why: "Lambda has no spot tier",
      edit: (s: any) => (s.providers[1].capacityTypes = ["spot", "on-demand"]),
      path: "providers[1].capacityTypes[0]",
      message: /Lambda sells on-demand only/,
      fix: /use only on-demand for lambda/,
    },
    {
      why: "a negative headroom",
      edit: (s: any) => (s.policy = { headroom: 0.5 }),
      path: "policy.headroom",
      message: /must be ≥ 1, received 0.5/,
      fix: /capacity over demand, ≥ 1/,
    },
    {
      why: "a misspelt key gets a suggestion",
      edit: (s: any) => (s.policy = { headrom: 1.2 }),
      path: "policy.headrom",
      message: /unknown key "headrom"/,
      fix: /did you mean "headroom"\?/,
    },
    {
      why: "an unknown instance type lists the known ones",
      edit: (s: any) => (s.providers[2].instanceTypes = ["p9.large"]),
      path: "providers[2].instanceTypes[0]",
      message: /"p9.large" is not a aws instance type/,
      fix: /use one of p5.48xlarge/,
    },
    {
      why: "a 70B bf16 model cannot fit one H100",
      edit: (s: any) => Object.assign(s.models[0], { parameterCountBillions: 70, checkpointDtype: "bf16", quantization: undefined, serving: { ...s.models[0].serving, gpusPerReplica: 1 } }),
      path: "models[0].serving.gpusPerReplica",
      message: /70B in bf16 is 130.4 GiB of weights: 130.4 GiB per H100 \(80 GiB\)/,
      // 4, not 2: two H100s hold 130.4 GiB, but not with the KV-cache room VllmServing requires (81% of memory).
      fix: /gpusPerReplica ≥ 4, or a quantization such as fp8/,
    },
    {
      why: "a 70B fp8-quantized model on one H100 leaves no KV-cache room (VllmServing's rule)",
      edit: (s: any) => Object.assign(s.models[0], { parameterCountBillions: 70, checkpointDtype: "bf16", quantization: "fp8", serving: { ...s.models[0].serving, gpusPerReplica: 1 } }),
      path: "models[0].serving.gpusPerReplica",
      message: /70B in bf16 loaded as fp8 \(quantization fp8\) is 65.2 GiB/,
      fix: /gpusPerReplica ≥ 2/,
    },
    {
      why: "a replica size that does not split a node",
      edit: (s: any) => Object.assign(s.models[0].serving, { gpusPerReplica: 3 }),
      path: "models[0].serving",
      message: /whole replicas of gpusPerReplica 3/,
      fix: /divides the node's GPU count/,
    },
    {
      why: "the old dtype key",
      edit: (s: any) => (s.models[0].dtype = "fp8"),
      path: "models[0].dtype",
      message: /unknown key "dtype"/,
      fix: /checkpointDtype .* and quantization/,
    },
    {
      why: "a floating revision",
      edit: (s: any) => (s.models[0].huggingFace.revision = "main"),
      path: "models[0].huggingFace.revision",
      message: /"main"/,
      fix: /40-character lower-case commit SHA, never a branch or tag/,
    },
    {
      why: "resilience needs two providers",
      edit: (s: any) => (s.models[0].providers = ["aws"]),
      path: "models[0].providers",
      message: /only aws can serve m/,
      fix: /enable a second provider.*resilience: "none"/,
    },
    {
      why: "router weights must sum to 1",
      edit: (s: any) => (s.router = { latency: 0.5, cost: 0.5, availability: 0.5 }),
      path: "router",
      message: /sum to 1.500/,
      fix: /= 1/,
    },
    {
      why: "a missing model name",
      edit: (s: any) => delete s.models[0].name,
      path: "models[0].name",
      message: /is required/,
      fix: /lower-case name/,
    },
  ])("reports $why with the path, the value and the fix", ({ edit, path, message, fix }) => {
    const spec = good();
    edit(spec);
    const issue = issuesOf(spec).find((i) => i.path === path);
    expect(issue, `no issue at ${path}: ${JSON.stringify(issuesOf(spec))}`).toBeDefined();
    expect(issue!.message).toMatch(message);
    expect(issue!.fix).toMatch(fix);
  });

  it("lists every shape problem at once, one per line; catalog checks follow once the shape is valid", () => {
    const spec: any = good();
    spec.policy = { maxSpotShare: 2, headroom: 0.5 };
    spec.providers[1].capacityTypes = ["reserved"];
    let error: unknown;
    try {
      parseFleetSpec(spec);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FleetSpecError);
    expect((error as FleetSpecError).message).toMatch(/^invalid fleet spec \(2 problems\):\n {2}- policy.maxSpotShare: must be ≤ 1, received 2; fix: .*\n {2}- policy.headroom: must be ≥ 1, received 0.5; fix: /);
    // Semantic checks run once the shape is right: fix the first, the second surfaces.
    spec.policy = {};
    expect(() => parseFleetSpec(spec)).toThrow(/providers\[1\]\.capacityTypes\[0\]: "reserved": Lambda sells on-demand only/);
  });

  it("refuses to plan a spec whose demand file was never read", () => {
    const spec: any = good();
    spec.models[0].demand = { hourly: { file: "demand.csv" } };
    expect(() => plan(spec)).toThrow(/models\[0\]\.demand\.hourly\.file: "demand.csv" has not been read; fix: load the spec with loadFleetSpec/);
  });
});

describe("parseFleetSpec: regions", () => {
  // good(): providers[0] coreweave, [1] lambda, [2] aws, [3] gcp; gateway and weight origin on AWS.
  it.each([
    { at: "providers[3]", edit: (s: any) => (s.providers[3].region = "us-centrall1"), value: "us-centrall1", provider: "GCP", suggestion: '"us-central1"' },
    { at: "providers[2]", edit: (s: any) => (s.providers[2].region = "eu-west-9"), value: "eu-west-9", provider: "AWS", suggestion: '"eu-west-1", "eu-west-2" or "eu-west-3"' },
    { at: "providers[0]", edit: (s: any) => (s.providers[0].region = "us-east-04"), value: "us-east-04", provider: "CoreWeave", suggestion: '"US-EAST-04" \\(CoreWeave spells regions in upper case\\)' },
    { at: "providers[1]", edit: (s: any) => (s.providers[1].region = "us-east1"), value: "us-east1", provider: "Lambda", suggestion: '"us-east-1"' },
    { at: "gateway", edit: (s: any) => (s.gateway.region = "us-est-1"), value: "us-est-1", provider: "AWS", suggestion: '"us-east-1" or "us-west-1"' },
    { at: "weightOrigin", edit: (s: any) => (s.weightOrigin = { provider: "gcp", region: "us-central-1" }), value: "us-central-1", provider: "GCP", suggestion: '"us-central1"' },
  ])("refuses $value at $at.region with a did-you-mean and the escape hatch", ({ at, edit, value, provider, suggestion }) => {
    const spec = good();
    edit(spec);
    const issues = issuesOf(spec);
    expect(issues.map((i) => i.path)).toEqual([`${at}.region`]);
    expect(issues[0]!.message).toBe(`"${value}" is not among the ${provider} regions the catalog lists`);
    expect(issues[0]!.fix).toMatch(new RegExp(`^did you mean ${suggestion}\\? If the region is real but not in the catalog yet, set unlistedRegion: true beside it$`));
  });

  it("checks each region against its own provider: us-east-1 is AWS and Lambda spelling, not CoreWeave's or GCP's", () => {
    const spec: any = good();
    spec.providers[0].region = "us-east-1";
    spec.providers[3].region = "us-east-1";
    expect(issuesOf(spec).map((i) => i.path)).toEqual(["providers[0].region", "providers[3].region"]);
  });

  it("accepts a CoreWeave Availability Zone as well as its Region", () => {
    const spec: any = good();
    spec.providers[0].region = "US-EAST-04A";
    expect(parseFleetSpec(spec).providers[0]!.region).toBe("US-EAST-04A");
  });

  it("takes a region the catalog does not list yet when the entry says unlistedRegion: true", () => {
    const spec: any = good();
    Object.assign(spec.providers[2], { region: "ap-southeast-9", unlistedRegion: true });
    Object.assign(spec.gateway, { region: "ap-southeast-9", unlistedRegion: true });
    Object.assign(spec.weightOrigin, { region: "ap-southeast-9", unlistedRegion: true });
    const parsed = parseFleetSpec(spec);
    expect(parsed.providers[2]).toMatchObject({ region: "ap-southeast-9", unlistedRegion: true });
    expect(plan(parsed).gateway).toEqual({ provider: "aws", region: "ap-southeast-9" });
  });

  it("keeps the escape hatch to its own entry", () => {
    const spec: any = good();
    Object.assign(spec.providers[2], { region: "ap-southeast-9", unlistedRegion: true });
    spec.gateway.region = "ap-southeast-9";
    expect(issuesOf(spec).map((i) => i.path)).toEqual(["gateway.region"]);
  });

  it("refuses a non-boolean unlistedRegion", () => {
    const spec: any = good();
    spec.providers[2].unlistedRegion = "yes";
    expect(issuesOf(spec)).toEqual([{ path: "providers[2].unlistedRegion", message: 'expected boolean, received "yes"', fix: "true when the region is real but not in the catalog yet; leave it out otherwise" }]);
  });
});

describe("parseFleetSpec: instance types a user defines", () => {
  const g6 = { name: "g6.xlarge", gpuType: "L4", gpusPerNode: 1, vcpus: 4, memoryGiB: 16, onDemandPerNodeHour: 0.8048, spotPerNodeHour: 0.3464 };
  const l4Spec = (extra: Record<string, unknown> = {}): any => {
    const spec: any = good();
    Object.assign(spec.providers[2], { customInstanceTypes: [{ ...g6, ...extra }] });
    Object.assign(spec.providers[3], { instanceTypes: ["g2-standard-48"] });
    spec.models[0].serving = { ...spec.models[0].serving, gpuType: "L4", gpusPerReplica: 1 };
    Object.assign(spec.models[0], { parameterCountBillions: 3, quantization: undefined });
    return spec;
  };

  it("plans on a shape the catalog lacks (a 1-GPU L4 on AWS spot), priced as defined, and hands the definition to the stacks", () => {
    const p = plan(l4Spec());
    const aws = p.models[0]!.pools.find((pool) => pool.provider === "aws")!;
    expect(aws).toMatchObject({ instanceType: "g6.xlarge", gpusPerNode: 1, replicasPerNode: 1, pricePerNodeHour: { spot: 0.3464, onDemand: 0.8048 } });
    expect(aws.instance).toMatchObject({ provider: "aws", name: "g6.xlarge", gpuType: "L4", spotPerNodeHour: 0.3464 });
  });

  it("applies contract prices to a catalog shape, and the plan carries them", () => {
    const spec: any = good();
    spec.providers[0].prices = { "gd-8xh100ib-i128": { onDemandPerNodeHour: 45, reservedDiscount: 0.35 } };
    const cw = plan(spec).models[0]!.pools.find((pool) => pool.provider === "coreweave")!;
    expect(cw.instance).toMatchObject({ name: "gd-8xh100ib-i128", onDemandPerNodeHour: 45, reservedDiscount: 0.35 });
    expect(cw.pricePerNodeHour.onDemand).toBe(45);
  });

  it.each([
    ["a field the catalog requires", { vcpus: undefined }, "providers[2].customInstanceTypes[0].vcpus"],
    ["spot above on-demand", { spotPerNodeHour: 2 }, "providers[2].customInstanceTypes[0].spotPerNodeHour"],
    ["a name the catalog already has", { name: "p5.48xlarge", gpuType: "H100", gpusPerNode: 8 }, "providers[2].customInstanceTypes[0].name"],
  ])("refuses %s at its path", (_label, extra, path) => {
    expect(issuesOf(l4Spec(extra)).map((i) => i.path)).toContain(path);
  });
});

describe("parseFleetSpec: hosted fallbacks", () => {
  it("refuses two models whose same-named fallback differ", () => {
    const spec: any = good();
    spec.models.push({ ...spec.models[0], name: "m2" });
    spec.models[0].hostedFallback = { name: "hosted", model: "openai/gpt-4o-mini", pricePerMillionInputTokens: 0.15, pricePerMillionOutputTokens: 0.6 };
    spec.models[1].hostedFallback = { name: "hosted", model: "openai/gpt-4o-mini", pricePerMillionInputTokens: 0.3, pricePerMillionOutputTokens: 0.6 };
    expect(issuesOf(spec)).toEqual([
      { path: "models[1].hostedFallback", message: "is named hosted like models[0].hostedFallback, with another model, price or rate limit", fix: "give each distinct hosted fallback its own name; models that share one fallback repeat it exactly" },
    ]);
  });

  it("keeps a fleet's fallbacks on one hosted provider, whose key the shared stack holds", () => {
    const spec: any = good();
    spec.models.push({ ...spec.models[0], name: "m2" });
    spec.models[0].hostedFallback = { name: "together", model: "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", pricePerMillionInputTokens: 0.88, pricePerMillionOutputTokens: 0.88 };
    spec.models[1].hostedFallback = { name: "mini", model: "openai/gpt-4o-mini", pricePerMillionInputTokens: 0.15, pricePerMillionOutputTokens: 0.6 };
    expect(issuesOf(spec)).toEqual([
      {
        path: "models[1].hostedFallback.model",
        message: "uses the hosted provider openai, but m's fallback uses together_ai",
        fix: "use one hosted provider for every fallback of a fleet: the shared stack deploys them with one API key (switchyard:hostedFallbackApiKey)",
      },
    ]);
  });

  it("needs a LiteLLM route for the hosted model", () => {
    const spec: any = good();
    spec.models[0].hostedFallback = { name: "hosted", model: "gpt-4o-mini", pricePerMillionInputTokens: 0.15, pricePerMillionOutputTokens: 0.6 };
    expect(issuesOf(spec).map((i) => i.path)).toEqual(["models[0].hostedFallback.model"]);
  });
});

describe("plan: a provider without a node autoscaler", () => {
  it("plans Lambda as fixed on-demand nodes, priced around the clock, routed first, and deployable as one fixed tier", () => {
    const p = plan(specWith({ providers: [{ provider: "lambda", capacityTypes: ["on-demand"] }, { provider: "aws", capacityTypes: ["spot", "on-demand"] }], replicas: [8, 8, 8, 8] }));
    const lambda = p.models[0]!.pools.find((pool) => pool.provider === "lambda")!;
    expect(lambda.fixedTier).toBe("on-demand");
    expect(lambda.onDemandNodes.max).toBe(0);
    expect(lambda.tiers).toEqual([
      expect.objectContaining({ capacityType: "on-demand", backend: "lambda-m-on-demand", order: 1, fixed: true, minNodes: lambda.reservedNodes, maxNodes: lambda.reservedNodes }),
    ]);
    // Fixed nodes at Lambda's on-demand price, every hour of the month: what the lambda stack runs.
    expect(lambda.pricePerNodeHour.reserved).toBe(getInstanceType("lambda", lambda.instanceType).onDemandPerNodeHour);
    expect(lambda.monthlyCompute).toBeCloseTo(lambda.reservedNodes * lambda.pricePerNodeHour.reserved! * p.hoursPerMonth, 2);
    expect(p.cost.compute.reserved).toBe(0);
  });
});
