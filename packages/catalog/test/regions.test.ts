import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CATALOG_COMPILED_ON, INSTANCE_TYPES, PROVIDERS, REGIONS, closestSpellings, editDistance, isKnownRegion, regionProblem, regionsFor } from "../src";
import type { Provider } from "../src";

describe("the region lists", () => {
  it("has one list per provider, each with a source and a date no later than the catalog's", () => {
    expect(Object.keys(REGIONS).sort()).toEqual([...PROVIDERS].sort());
    for (const provider of PROVIDERS) {
      expect(REGIONS[provider].provider).toBe(provider);
      expect(REGIONS[provider].source).toMatch(/\S\/\S/);
      expect(REGIONS[provider].verifiedOn <= CATALOG_COMPILED_ON).toBe(true);
    }
  });

  it.each<[Provider, number]>([
    ["aws", 36], // botocore 1.44.5, partition aws
    ["gcp", 42],
    ["lambda", 17], // provider-facts §2.2
    ["coreweave", 88], // 45 Availability Zones and the 43 Regions they belong to
  ])("%s lists %d names", (provider, count) => {
    expect(regionsFor(provider)).toHaveLength(count);
  });

  it.each<[Provider, string]>([
    ["aws", "us-east-1"],
    ["aws", "eu-west-3"],
    ["aws", "ap-southeast-4"],
    ["gcp", "us-central1"],
    ["gcp", "europe-west4"],
    ["lambda", "us-east-1"],
    ["lambda", "us-midwest-1"],
    ["lambda", "europe-central-1"],
    ["coreweave", "US-EAST-04"], // a Region, as the `region` label and the fleet spec name it
    ["coreweave", "US-EAST-04A"], // its Availability Zone, as a CKS cluster is created in it
    ["coreweave", "RNO2A"],
    ["coreweave", "EU-SOUTH-03B"],
  ])("knows %s %s", (provider, region) => {
    expect(isKnownRegion(provider, region)).toBe(true);
    expect(regionProblem(provider, region)).toBeUndefined();
  });

  it("spells every name the way its provider does: CoreWeave upper case, the others lower case", () => {
    for (const name of regionsFor("coreweave")) expect(name).toBe(name.toUpperCase());
    for (const provider of ["aws", "gcp", "lambda"] as const) for (const name of regionsFor(provider)) expect(name).toBe(name.toLowerCase());
  });

  it("lists AWS's commercial partition only, which SharedServices' bucket-policy ARNs rely on", () => {
    for (const name of regionsFor("aws")) expect(name).not.toMatch(/^(cn|us-gov|us-iso[a-z]?|eu-isoe|eusc)-/);
  });

  it("gives every CoreWeave zone its Region, and no Region without a zone", () => {
    const names = regionsFor("coreweave");
    const zones = names.filter((n) => /[A-Z]$/.test(n));
    const regions = names.filter((n) => /\d$/.test(n));
    expect(zones.length + regions.length).toBe(names.length);
    for (const zone of zones) expect(regions).toContain(zone.slice(0, -1));
    for (const region of regions) expect(zones.some((z) => z.slice(0, -1) === region)).toBe(true);
  });

  it("lists the regions the catalog prices AWS and GCP in", () => {
    for (const it of INSTANCE_TYPES.filter((t) => t.provider === "aws" || t.provider === "gcp")) expect(isKnownRegion(it.provider, it.priceRegion)).toBe(true);
  });

  it("is frozen", () => {
    expect(Object.isFrozen(REGIONS)).toBe(true);
    expect(Object.isFrozen(REGIONS.aws.names)).toBe(true);
  });
});

describe("regionProblem", () => {
  const hatch = "set allowUnlistedRegion: true";

  it.each<[Provider, string, string[]]>([
    ["gcp", "us-centrall1", ["us-central1"]],
    ["gcp", "us-central1-a", ["us-central1"]], // a zone where a region belongs
    ["aws", "eu-west-9", ["eu-west-1", "eu-west-2", "eu-west-3"]],
    ["aws", "us-east1", ["us-east-1"]], // GCP's spelling on AWS
    ["lambda", "us-est-1", ["us-east-1", "us-west-1"]], // one edit from either: both offered
    ["coreweave", "US-EAST-4", ["US-EAST-04", "US-EAST-14"]],
    ["coreweave", "US-EAST-004", ["US-EAST-04"]],
    ["coreweave", "US-EAST-04AA", ["US-EAST-04A"]],
  ])("%s %s: did you mean %j", (provider, region, suggestions) => {
    const problem = regionProblem(provider, region, hatch)!;
    expect(problem.suggestions).toEqual(suggestions);
    expect(problem.reason).toMatch(/is not among the \w+ regions the catalog lists/);
    const quoted = suggestions.map((s) => `"${s}"`);
    const listed = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
    expect(problem.fix).toMatch(new RegExp(`^did you mean ${listed}\\? `));
    expect(problem.fix).toContain(`If the region is real but not in the catalog yet, ${hatch}`);
  });

  it.each<[Provider, string, string, string]>([
    ["coreweave", "us-east-04", "US-EAST-04", "upper"],
    ["coreweave", "us-east-04a", "US-EAST-04A", "upper"],
    ["aws", "US-EAST-1", "us-east-1", "lower"],
    ["gcp", "US-Central1", "us-central1", "lower"],
  ])("refuses %s %s, spelt in the wrong case, and names the right spelling", (provider, region, right, letterCase) => {
    const problem = regionProblem(provider, region, hatch)!;
    expect(problem.suggestions).toEqual([right]);
    expect(problem.fix).toContain(`did you mean "${right}" (`);
    expect(problem.fix).toContain(`spells regions in ${letterCase} case)?`);
  });

  it("explains an AWS region of another partition instead of suggesting a lookalike", () => {
    for (const region of ["cn-north-1", "us-gov-west-1", "us-isob-east-1"]) {
      const problem = regionProblem("aws", region, hatch)!;
      expect(problem.reason).toBe("is not in the commercial AWS partition (aws), the only one the catalog lists");
      expect(problem.suggestions).toEqual([]);
      expect(problem.fix).not.toContain("eu-north-1");
    }
  });

  it("shows the nearest names when nothing is close enough to be a typo", () => {
    const problem = regionProblem("lambda", "mars-1", hatch)!;
    expect(problem.suggestions).toEqual([]);
    expect(problem.fix).toMatch(/^use a listed region \(nearest in spelling: "me-west-1", /);
  });

  it("points at the catalog when the caller has no escape hatch", () => {
    expect(regionProblem("aws", "eu-west-9")!.fix).toContain("add it to @switchyard/catalog (src/regions.ts) with its source");
  });

  it("accepts exactly the listed names", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROVIDERS), fc.string({ maxLength: 20 }), (provider, region) => {
        expect(regionProblem(provider, region) === undefined).toBe(regionsFor(provider).includes(region));
      }),
    );
  });

  it("only ever suggests listed names", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROVIDERS), fc.string({ maxLength: 20 }), (provider, region) => {
        for (const s of regionProblem(provider, region)?.suggestions ?? []) expect(regionsFor(provider)).toContain(s);
      }),
    );
  });
});

describe("editDistance", () => {
  it.each<[string, string, number]>([
    ["", "", 0],
    ["", "abc", 3],
    ["us-central1", "us-centrall1", 1],
    ["kitten", "sitting", 3],
    ["US-EAST-04", "us-east-04", 6], // case-sensitive: callers lower-case both sides to ignore case
  ])("%j → %j is %d", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it("is a metric: zero only for equal strings, symmetric, and obeys the triangle inequality", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b, c) => {
        expect(editDistance(a, b) === 0).toBe(a === b);
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c));
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });
});

describe("closestSpellings", () => {
  it("returns every candidate at the smallest distance, case ignored, in candidate order", () => {
    expect(closestSpellings("eu-west-9", ["us-east-1", "eu-west-3", "eu-west-1"], 2)).toEqual(["eu-west-3", "eu-west-1"]);
    expect(closestSpellings("HEADROM", ["headroom", "resilience"], 2)).toEqual(["headroom"]);
  });

  it("returns nothing beyond maxDistance", () => {
    expect(closestSpellings("mars-1", ["us-east-1"], 2)).toEqual([]);
    expect(closestSpellings("x", [], 2)).toEqual([]);
  });
});
