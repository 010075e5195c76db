import { readFileSync } from "node:fs";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CAPACITY_TYPES, DTYPES, GPU_TYPE_IDS, PROVIDERS } from "@switchyard/catalog";
import { AUTOSCALING_MODES, VLLM_QUANTIZATIONS } from "@switchyard/components";
import { describe, expect, it } from "vitest";
import { SwitchyardProvider, resolveKnownInputs } from "../src/provider";
import { inferSchema, withoutArgsSuffix } from "../src/schema";
import * as wire from "../src/wire";

const SCHEMA_FILE = path.resolve(import.meta.dirname, "..", "schema.json");
const checkedIn = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as { resources: Record<string, { requiredInputs: string[]; inputProperties: Record<string, unknown> }>; types: Record<string, unknown> };

describe("the provider's schema", () => {
  it("is the one Pulumi's analyzer infers from src/wire.ts (else: bash scripts/dev.sh provider-schema)", () => {
    expect(readFileSync(SCHEMA_FILE, "utf8"), "schema.json is stale: run 'bash scripts/dev.sh provider-schema' and commit it").toBe(`${JSON.stringify(inferSchema(), null, 2)}\n`);
  });

  it("declares the three components, with the library's required arguments", () => {
    expect(Object.keys(checkedIn.resources).sort()).toEqual(["switchyard:index:GpuNodePool", "switchyard:index:LiteLLMGatewayConfig", "switchyard:index:VllmServing"]);
    expect(checkedIn.resources["switchyard:index:GpuNodePool"]!.requiredInputs).toEqual(["capacityType", "maxNodes", "provider", "region"]);
    expect(checkedIn.resources["switchyard:index:VllmServing"]!.requiredInputs).toEqual(["backend", "gateway", "image", "maxReplicas", "model", "namespace", "placement"]);
    expect(checkedIn.resources["switchyard:index:LiteLLMGatewayConfig"]!.requiredInputs).toEqual(["apiKeys", "backends", "clients", "image", "namespace", "redis"]);
    // No property fell back to Any: every one has a type the SDKs can spell.
    expect(JSON.stringify(checkedIn)).not.toContain("pulumi.json#/Any");
  });

  it("keeps the library's vocabularies in its enums", () => {
    expect(Object.values(wire.CloudProvider).sort()).toEqual([...PROVIDERS].sort());
    expect(Object.values(wire.BackendProvider).sort()).toEqual([...PROVIDERS, "hosted"].sort());
    expect(Object.values(wire.CapacityType).sort()).toEqual([...CAPACITY_TYPES].sort());
    expect(Object.values(wire.GpuType).sort()).toEqual([...GPU_TYPE_IDS].sort());
    expect(Object.values(wire.Dtype).sort()).toEqual([...DTYPES].sort());
    expect(Object.values(wire.VllmQuantization).sort()).toEqual([...VLLM_QUANTIZATIONS].sort());
    expect(Object.values(wire.AutoscalingMode).sort()).toEqual([...AUTOSCALING_MODES].sort());
  });

  it("drops the Args suffix from type names (SDKs add their own), and refuses a rename onto an existing type", () => {
    expect(Object.keys(checkedIn.types).filter((t) => t.endsWith("Args"))).toEqual([]);
    expect(checkedIn.resources["switchyard:index:VllmServing"]!.inputProperties["model"]).toMatchObject({ $ref: "#/types/switchyard:index:VllmModel" });
    const clash = { types: { "switchyard:index:Model": {}, "switchyard:index:ModelArgs": {} } };
    expect(() => withoutArgsSuffix(clash)).toThrow(/switchyard:index:Model exists, so switchyard:index:ModelArgs cannot be renamed/);
  });
});

describe("the provider", () => {
  it("serves the checked-in schema at the package's version", async () => {
    const provider = new SwitchyardProvider();
    expect(JSON.parse(await provider.getSchema())).toEqual(checkedIn);
    expect(provider.version).toBe("0.1.0");
  });

  it("refuses a type it does not construct, naming the ones it does", async () => {
    await expect(new SwitchyardProvider().construct("x", "switchyard:index:ModelWeightCache", {}, {})).rejects.toThrow(
      "unknown resource type 'switchyard:index:ModelWeightCache': this provider constructs switchyard:index:GpuNodePool, switchyard:index:VllmServing, switchyard:index:LiteLLMGatewayConfig",
    );
  });

  it("refuses a placement or backend that is unknown or secret at construction, naming the property, before constructing anything", async () => {
    const provider = new SwitchyardProvider();
    const unknown = pulumi.output(pulumi.unknown);
    await expect(provider.construct("llama", "switchyard:index:VllmServing", { placement: unknown }, {})).rejects.toMatchObject({
      propertyPath: "placement",
      reason: expect.stringMatching(/^must be known when the component is constructed, at preview too, and not secret: pass the placement output of a GpuNodePool/),
    });
    await expect(provider.construct("gateway", "switchyard:index:LiteLLMGatewayConfig", { backends: [pulumi.secret({ name: "b" })] }, {})).rejects.toMatchObject({ propertyPath: "backends[0]" });
  });

  it("refuses instanceType and instanceTypeDefinition together", async () => {
    await expect(new SwitchyardProvider().construct("h100", "switchyard:index:GpuNodePool", { instanceType: "gd-8xh100ib-i128", instanceTypeDefinition: { name: "x" } }, {})).rejects.toMatchObject({
      propertyPath: "instanceTypeDefinition",
      reason: "set instanceType (a catalog name) or instanceTypeDefinition (a full definition), not both",
    });
  });

  it("resolves known Outputs to their values and keeps secret and unknown ones as Outputs", async () => {
    const known = pulumi.output({ region: "US-EAST-04A", nodeSelector: { pool: "h100" } });
    const secret = pulumi.secret("sk-test");
    const unknown = pulumi.output(pulumi.unknown as unknown as string);
    const { values } = await resolveKnownInputs({ placement: known, nested: { list: [pulumi.output(3), 4] }, apiKey: secret, later: unknown, plain: "x" });
    expect(values["placement"]).toEqual({ region: "US-EAST-04A", nodeSelector: { pool: "h100" } });
    expect(values["nested"]).toEqual({ list: [3, 4] });
    expect(values["plain"]).toBe("x");
    expect(values["apiKey"]).toBe(secret);
    expect(values["later"]).toBe(unknown);
  });
});
