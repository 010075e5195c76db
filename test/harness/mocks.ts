/**
 * Pulumi mocks harness: runs a program against the real Pulumi SDK and provider packages with an
 * in-memory engine, and records every registered resource with its inputs — and which of those
 * inputs were marked secret, so tests can prove where secrets go.
 */
import * as pulumi from "@pulumi/pulumi";
// MockMonitor is not re-exported by @pulumi/pulumi/runtime; the harness subclasses it to see raw RPCs.
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks.js";
import type { MockCallArgs, MockResourceArgs, Mocks } from "@pulumi/pulumi/runtime/mocks.js";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc.js";
import * as state from "@pulumi/pulumi/runtime/state.js";

export interface RecordedResource {
  /** Type token, e.g. `aws:eks/nodeGroup:NodeGroup` or `switchyard:index:GpuNodePool`. */
  type: string;
  name: string;
  /** Inputs as the provider would receive them, secrets unwrapped. */
  inputs: Record<string, unknown>;
  /** Dotted paths of the inputs that were marked secret, e.g. `spec.template.spec.containers[0]...`. */
  secretPaths: string[];
  /** True for custom (provider) resources, false for components. */
  custom: boolean;
  /** Type token of the parent, undefined for the stack's direct children. */
  parentType: string | undefined;
  parentName: string | undefined;
  /** Resource options that matter to behaviour: drift the engine ignores, and what survives a delete. */
  ignoreChanges: string[];
  retainOnDelete: boolean;
  protect: boolean;
  additionalSecretOutputs: string[];
  /** Outputs a component registered with `registerOutputs`, secrets unwrapped. */
  outputs: Record<string, unknown> | undefined;
  /** Dotted paths of the registered outputs that were marked secret. */
  secretOutputPaths: string[];
}

export interface Synthesis<T> {
  resources: RecordedResource[];
  /** What the program returned (the constructed components, say). */
  result: T;
}

type RawStruct = { toJavaScript(): Record<string, unknown> };
type RegisterRequest = {
  getObject(): RawStruct;
  getName(): string;
  getType(): string;
  getParent(): string;
  getCustom(): boolean;
  getIgnorechangesList(): string[];
  getRetainondelete(): boolean;
  getProtect(): boolean;
  getAdditionalsecretoutputsList(): string[];
};
type OutputsRequest = { getUrn(): string; getOutputs(): RawStruct | undefined };
type Callback = (err: unknown, response: unknown) => void;

class RecordingMonitor extends MockMonitor {
  readonly recorded: RecordedResource[] = [];
  private readonly byUrn = new Map<string, RecordedResource>();

  override async registerResource(req: RegisterRequest, callback: Callback): Promise<void> {
    const raw = req.getObject().toJavaScript();
    const parentUrn = req.getParent();
    const parent = parentUrn ? parseUrn(parentUrn) : undefined;
    const entry: RecordedResource = {
      type: req.getType(),
      name: req.getName(),
      inputs: unwrapSecrets(raw) as Record<string, unknown>,
      secretPaths: findSecretPaths(raw),
      custom: req.getCustom(),
      parentType: parent?.type,
      parentName: parent?.name,
      ignoreChanges: req.getIgnorechangesList(),
      retainOnDelete: req.getRetainondelete(),
      protect: req.getProtect(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      outputs: undefined,
      secretOutputPaths: [],
    };
    this.recorded.push(entry);
    await super.registerResource(req, (err, response) => {
      const urn = (response as { getUrn?: () => string } | undefined)?.getUrn?.();
      if (urn) this.byUrn.set(urn, entry);
      callback(err, response);
    });
  }

  override registerResourceOutputs(req: OutputsRequest, callback: Callback): void {
    const entry = this.byUrn.get(req.getUrn());
    const raw = req.getOutputs()?.toJavaScript() ?? {};
    if (entry) {
      entry.outputs = unwrapSecrets(raw) as Record<string, unknown>;
      entry.secretOutputPaths = findSecretPaths(raw);
    }
    super.registerResourceOutputs(req, callback);
  }
}

/** Mock provider behaviour: a resource's state is its inputs plus an id; calls echo their inputs. */
const echoMocks: Mocks = {
  newResource(args: MockResourceArgs) {
    return { id: `${args.name}-id`, state: { ...args.inputs } };
  },
  call(args: MockCallArgs) {
    return { ...args.inputs };
  },
};

/**
 * Runs `program` under fresh mocks and waits until every registration has settled. A program that
 * throws rejects with that error, but only after settling, so tests can still inspect
 * `lastRecorded()` to prove that nothing was registered.
 */
export async function synthesize<T>(program: () => T, options: { preview?: boolean } = {}): Promise<Synthesis<T>> {
  const monitor = new RecordingMonitor(echoMocks);
  lastMonitor = monitor;
  pulumi.runtime.setMockOptions(monitor, "switchyard-test", "test", options.preview ?? false, "organization");
  enableMockFeatures();
  let result: T;
  try {
    result = program();
  } finally {
    await settle();
  }
  return { resources: monitor.recorded, result };
}

let lastMonitor: RecordingMonitor | undefined;

/** What the most recent `synthesize` call registered, including one whose program threw. */
export function lastRecorded(): RecordedResource[] {
  return lastMonitor?.recorded ?? [];
}

/** Runs `program`, expects it to throw, and returns the error together with what was registered. */
export async function synthesizeFailure(program: () => unknown): Promise<{ error: Error; resources: RecordedResource[] }> {
  try {
    await synthesize(program);
  } catch (error) {
    return { error: error as Error, resources: lastRecorded() };
  }
  throw new Error("expected the program to throw, but it succeeded");
}

/** The feature flags `pulumi.runtime.setMocks` sets; without `supportsSecrets` secrets reach the monitor unmarked. */
function enableMockFeatures(): void {
  // getStore is exported by the runtime but not declared in its typings.
  const runtimeState = state as unknown as { getStore: () => Record<string, unknown> };
  Object.assign(runtimeState.getStore(), {
    supportsSecrets: true,
    supportsResourceReferences: true,
    supportsOutputValues: false,
    supportsDeletedWith: true,
    supportsReplaceWith: true,
    supportsAliasSpecs: true,
    supportsTransforms: true,
    supportsInvokeTransforms: true,
    supportsParameterization: true,
    supportsResourceHooks: true,
    supportsErrorHooks: true,
    supportsInvokeDependsOn: false,
  });
}

async function settle(): Promise<void> {
  const runtime = pulumi.runtime as unknown as { waitForRPCs(): Promise<void> };
  // Outputs resolve in later ticks and may register more children; drain until quiet.
  for (let i = 0; i < 3; i++) {
    await runtime.waitForRPCs();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Resolves an Output (or plain value) to its value under mocks. */
export function valueOf<T>(output: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => {
    pulumi.output(output).apply((value) => {
      resolve(value as T);
      return value;
    });
  });
}

/** Whether an Output is marked secret. */
export async function isSecretOutput(output: pulumi.Output<unknown>): Promise<boolean> {
  return pulumi.isSecret(output);
}

function parseUrn(urn: string): { type: string; name: string } {
  // urn:pulumi:stack::project::parentType$type::name
  const parts = urn.split("::");
  const types = parts[2] ?? "";
  return { type: types.split("$").pop() ?? types, name: parts.slice(3).join("::") };
}

function isSecretWrapper(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[specialSigKey] === specialSecretSig;
}

export function unwrapSecrets(value: unknown): unknown {
  if (isSecretWrapper(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

function findSecretPaths(value: unknown, path = ""): string[] {
  if (isSecretWrapper(value)) return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => findSecretPaths(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => findSecretPaths(v, path ? `${path}.${k}` : k));
  }
  return [];
}

/** Children of one component instance, in registration order. */
export function childrenOf(resources: RecordedResource[], parentType: string, parentName: string): RecordedResource[] {
  return resources.filter((r) => r.parentType === parentType && r.parentName === parentName);
}

/** The one resource with this type and name; throws listing what exists otherwise. */
export function findResource(resources: RecordedResource[], type: string, name: string): RecordedResource {
  const found = resources.find((r) => r.type === type && r.name === name);
  if (!found) {
    const known = resources.map((r) => `${r.type} ${r.name}`).join("\n  ");
    throw new Error(`no ${type} named ${name}; registered:\n  ${known}`);
  }
  return found;
}

/** Every string leaf of a value with its dotted path: for secret sentinel scans. */
export function stringLeaves(value: unknown, path = ""): { path: string; value: string }[] {
  if (typeof value === "string") return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, path ? `${path}.${k}` : k));
  }
  return [];
}
