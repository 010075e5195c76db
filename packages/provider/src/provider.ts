/**
 * The component provider: serves the checked-in schema and constructs the library's own components for programs in
 * other Pulumi languages. Started by bin/pulumi-resource-switchyard (an executable plugin: the Node.js language host
 * cannot be built here, see ../../shared/reference/real-engine.md); src/main.ts is its entry point.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import * as lib from "@switchyard/components";
import packageJson from "../package.json";
import schema from "../schema.json";
import type * as wire from "./wire";

/** Inputs as the provider server hands them over: plain values, and Outputs where the caller passed one. */
type Inputs = Record<string, unknown>;

interface Component {
  construct(name: string, inputs: Inputs, opts: pulumi.ComponentResourceOptions): pulumi.ComponentResource;
}

/** What each schema token constructs; the args are checked by the library's own validation (resolve…Args). */
const COMPONENTS: Readonly<Record<string, Component>> = {
  "switchyard:index:GpuNodePool": { construct: (name, inputs, opts) => new lib.GpuNodePool(name, gpuNodePoolArgs(inputs as unknown as wire.GpuNodePoolArgs), opts) },
  "switchyard:index:VllmServing": { construct: (name, inputs, opts) => new lib.VllmServing(name, vllmServingArgs(inputs as unknown as wire.VllmServingArgs), opts) },
  "switchyard:index:LiteLLMGatewayConfig": {
    construct: (name, inputs, opts) => new lib.LiteLLMGatewayConfig(name, gatewayArgs(inputs as unknown as wire.LiteLLMGatewayConfigArgs), opts),
  },
};

export class SwitchyardProvider implements provider.Provider {
  readonly version = packageJson.version;

  getSchema(): Promise<string> {
    return Promise.resolve(JSON.stringify(schema));
  }

  async construct(name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<provider.ConstructResult> {
    const component = COMPONENTS[type];
    const outputs = (schema.resources as Record<string, { properties: Record<string, unknown> } | undefined>)[type]?.properties;
    if (component === undefined || outputs === undefined) {
      throw new Error(`unknown resource type '${type}': this provider constructs ${Object.keys(COMPONENTS).join(", ")}`);
    }
    const { values, dependencies } = await resolveKnownInputs(inputs);
    const instance = component.construct(name, values, { ...options, dependsOn: [...dependsOnList(options.dependsOn), ...dependencies] });
    const state: Record<string, unknown> = {};
    for (const key of Object.keys(outputs)) state[key] = (instance as unknown as Record<string, unknown>)[key];
    return { urn: instance.urn, state };
  }
}

function gpuNodePoolArgs({ instanceTypeDefinition, ...args }: wire.GpuNodePoolArgs): lib.GpuNodePoolArgs {
  if (instanceTypeDefinition !== undefined && args.instanceType !== undefined) {
    throw new pulumi.InputPropertyError({ propertyPath: "instanceTypeDefinition", reason: "set instanceType (a catalog name) or instanceTypeDefinition (a full definition), not both" });
  }
  return { ...args, instanceType: instanceTypeDefinition ?? args.instanceType };
}

function vllmServingArgs(args: wire.VllmServingArgs): lib.VllmServingArgs {
  return { ...args, placement: known(args.placement, "placement", "the placement output of a GpuNodePool") };
}

function gatewayArgs(args: wire.LiteLLMGatewayConfigArgs): lib.LiteLLMGatewayConfigArgs {
  // The library checks the tier names of reliability.streamTimeoutSecondsByTier, a plain map here.
  const backends = known(args.backends, "backends", "VllmServing backend outputs and hosted backends").map((backend, i) => known(backend, `backends[${i}]`, "a VllmServing's backend output"));
  return { ...args, backends };
}

/**
 * A value the library needs in hand to build its objects (a placement decides the node selector, a backend a route).
 * The provider has already resolved every known Output (resolveKnownInputs), so one left here is unknown or secret.
 */
function known<T>(value: pulumi.Input<T>, property: string, what: string): T {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) {
    throw new pulumi.InputPropertyError({
      propertyPath: property,
      reason: `must be known when the component is constructed, at preview too, and not secret: pass ${what}, which is, or a literal value`,
    });
  }
  return value;
}

/** The provider server passes the caller's dependsOn as an array of resources; anything else is kept whole. */
function dependsOnList(dependsOn: pulumi.ComponentResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
  if (dependsOn === undefined) return [];
  return Array.isArray(dependsOn) ? dependsOn : [dependsOn as pulumi.Input<pulumi.Resource>];
}

/** The parts of an Output the provider server's own code reads: whether its value is known, and the value. */
interface OutputState {
  isKnown: Promise<boolean>;
  promise(withUnknowns?: boolean): Promise<unknown>;
}

/**
 * The provider server passes an input with dependencies (another component's output) as an Output, even when its
 * value is known. The library's components take plain placements and backends, so every known, non-secret Output is
 * replaced by its value, deeply, and the resources it came from become dependencies of the new component. Secrets
 * stay Outputs (the library takes keys as Inputs), and so do unknown values.
 */
export async function resolveKnownInputs(inputs: pulumi.Inputs): Promise<{ values: Inputs; dependencies: pulumi.Resource[] }> {
  const dependencies = new Set<pulumi.Resource>();
  const resolve = async (value: unknown): Promise<unknown> => {
    if (pulumi.Output.isInstance(value)) {
      const state = value as unknown as OutputState;
      if (!(await state.isKnown) || (await pulumi.isSecret(value))) return value;
      const inner = await state.promise(true);
      if (pulumi.containsUnknowns(inner)) return value;
      for (const resource of await pulumi.getAllResources(value)) dependencies.add(resource);
      return resolve(inner);
    }
    if (Array.isArray(value)) return Promise.all(value.map(resolve));
    if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
      const entries = await Promise.all(Object.entries(value).map(async ([key, item]) => [key, await resolve(item)] as const));
      return Object.fromEntries(entries);
    }
    return value;
  };
  const values = (await resolve(inputs)) as Inputs;
  return { values, dependencies: [...dependencies] };
}
