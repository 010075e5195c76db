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
    expect(spec.policy).toEqual({ maxSpotShare: 0.6, headroom: 1.2, resilience: "provider", outageCover: 1 });
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
      edit: (s: any) => Object.assign(s.models[0], { weightsGB: undefined, parameterCountBillions: 70, dtype: "bf16", serving: { ...s.models[0].serving, gpusPerReplica: 1 } }),
      path: "models[0].serving.gpusPerReplica",
      message: /130.4 GiB/,
      fix: /gpusPerReplica ≥ 2/,
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
