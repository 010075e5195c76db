/**
 * Offline synthesis: runs a program against the real Pulumi SDK and provider packages with an in-memory
 * engine (Pulumi mocks), and records every registered resource with its inputs — and which of those inputs
 * were marked secret, so tests can prove where secrets go and `switchyard render` can redact them.
 */
import { createHash } from "node:crypto";
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
  /** Whether a replacement deletes the old resource before creating the new one. */
  deleteBeforeReplace: boolean;
  /** The `replacementTrigger` option: a change of this value replaces the resource. Undefined when not set. */
  replacementTrigger: unknown;
  /** Outputs a component registered with `registerOutputs`, secrets unwrapped. */
  outputs: Record<string, unknown> | undefined;
  /** Dotted paths of the registered outputs that were marked secret. */
  secretOutputPaths: string[];
}

export interface Synthesis<T> {
  resources: RecordedResource[];
  /** What the program returned (the constructed components, or a stack's outputs), awaited. */
  result: T;
}

export interface SynthesisOptions {
  /** Project name the program sees (`pulumi.getProject()`). Defaults to `switchyard-test`. */
  project?: string;
  /** Stack name the program sees (`pulumi.getStack()`). Defaults to `test`. */
  stack?: string;
  /** Run as a preview: unknown values stay unknown. Defaults to false. */
  preview?: boolean;
  /** Stack configuration, keyed `<namespace>:<key>`; objects are given as their JSON text, as the CLI does. */
  config?: Record<string, string>;
  /** Keys of `config` that are secrets (`pulumi config set --secret`). */
  secretConfigKeys?: string[];
  /**
   * Outputs of the stacks a `StackReference` may read, keyed by the referenced name. A reference to a stack
   * not listed fails as it does against the Pulumi service: the stack does not exist.
   */
  stackOutputs?: Record<string, Record<string, unknown>>;
  /** Replaces the default mock provider (inputs echoed as state, id `<name>-id`). */
  mocks?: Mocks;
  /**
   * Also record what the program reads (a `StackReference`, a `Resource.get`) in `resources`, as custom resources:
   * a read creates nothing, but it is a resource of the stack all the same. Defaults to false.
   */
  recordReads?: boolean;
}

const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

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
  getDeletebeforereplace(): boolean;
  getReplacementTrigger(): { toJavaScript(): unknown } | undefined;
};
type ReadRequest = { getProperties(): RawStruct; getName(): string; getType(): string; getParent(): string; getAdditionalsecretoutputsList(): string[] };
type OutputsRequest = { getUrn(): string; getOutputs(): RawStruct | undefined };
type Callback = (err: unknown, response: unknown) => void;

class RecordingMonitor extends MockMonitor {
  readonly recorded: RecordedResource[] = [];
  private readonly byUrn = new Map<string, RecordedResource>();

  constructor(
    mocks: Mocks,
    private readonly recordReads: boolean,
  ) {
    super(mocks);
  }

  override async readResource(req: ReadRequest, callback: Callback): Promise<void> {
    if (this.recordReads) {
      const raw = req.getProperties().toJavaScript();
      const parent = req.getParent() ? parseUrn(req.getParent()) : undefined;
      this.recorded.push({
        type: req.getType(),
        name: req.getName(),
        inputs: unwrapSecrets(raw) as Record<string, unknown>,
        secretPaths: findSecretPaths(raw),
        custom: true,
        parentType: parent?.type,
        parentName: parent?.name,
        ignoreChanges: [],
        retainOnDelete: false,
        protect: false,
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        deleteBeforeReplace: false,
        replacementTrigger: undefined,
        outputs: undefined,
        secretOutputPaths: [],
      });
    }
    await super.readResource(req, callback);
  }

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
      deleteBeforeReplace: req.getDeletebeforereplace(),
      replacementTrigger: req.getReplacementTrigger()?.toJavaScript(),
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

/**
 * Mock provider behaviour: a resource's state is its inputs plus an id; calls echo their inputs. Generated
 * random values are derived from the resource name, so two syntheses of the same program are identical.
 */
export const echoMocks: Mocks = {
  newResource(args: MockResourceArgs) {
    const state: Record<string, unknown> = { ...(args.inputs as Record<string, unknown>) };
    if (args.type === "random:index/randomPassword:RandomPassword" || args.type === "random:index/randomString:RandomString") {
      const length = Number((args.inputs as { length?: number }).length ?? 32);
      state["result"] = createHash("sha256").update(`switchyard-synth:${args.name}`).digest("hex").repeat(4).slice(0, length);
    }
    return { id: `${args.name}-id`, state };
  },
  call(args: MockCallArgs) {
    return { ...(args.inputs as Record<string, unknown>) };
  },
};

/**
 * Outputs that programs read from one cloud resource into another's inputs (a key's ARN into a bucket's encryption,
 * an auto-named bucket's name into a policy, a cache's endpoint into the gateway, a launch template's version into a
 * node group). Only the provider knows them, so
 * under plain echo mocks they are undefined and the reading input silently drops out.
 */
const REFERENCED_OUTPUTS = ["arn", "bucket", "name", "keyId", "endpoint", "primaryEndpointAddress", "latestVersion"] as const;

/** Invokes whose answers programs put into inputs (the deploying account into a key policy), as placeholders. */
const REFERENCED_INVOKES: Record<string, Record<string, string>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": { accountId: "<aws:getCallerIdentity accountId>", arn: "<aws:getCallerIdentity arn>", userId: "<aws:getCallerIdentity userId>" },
  "aws:index/getPartition:getPartition": { partition: "<aws:getPartition partition>", dnsSuffix: "<aws:getPartition dnsSuffix>" },
};

/** `aws:kms/key:Key` → `aws:kms/Key`: the package, module and kind a reader recognises. */
export function shortType(type: string): string {
  const [pkg = "", module = "", kind = ""] = type.split(":");
  return `${pkg}:${module.split("/")[0]}/${kind}`;
}

/**
 * Echo mocks that also answer the outputs in REFERENCED_OUTPUTS of every cloud resource (not Kubernetes objects, not
 * random values) with a stable placeholder naming its source, e.g. `<aws:kms/Key shared-kms.arn>`. What `switchyard
 * render` writes then shows which resource an input is bound to, so a diff shows a rebinding.
 */
export const placeholderMocks: Mocks = {
  newResource(args: MockResourceArgs) {
    const echoed = echoMocks.newResource(args) as { id: string; state: Record<string, unknown> };
    const [pkg] = args.type.split(":");
    if (pkg === "kubernetes" || pkg === "random" || pkg === "pulumi") return echoed;
    const state = { ...echoed.state };
    for (const output of REFERENCED_OUTPUTS) state[output] ??= `<${shortType(args.type)} ${args.name}.${output}>`;
    return { id: echoed.id, state };
  },
  call: (args: MockCallArgs) => REFERENCED_INVOKES[args.token] ?? echoMocks.call(args),
};

/** Answers stack references from `stackOutputs`; everything else goes to `inner`. */
function withStackReferences(inner: Mocks, stackOutputs: Record<string, Record<string, unknown>> | undefined): Mocks {
  return {
    newResource(args: MockResourceArgs) {
      if (args.type !== STACK_REFERENCE_TYPE) return inner.newResource(args);
      const requested = (args.inputs as { name?: unknown }).name;
      const name = typeof requested === "string" ? requested : args.name;
      const outputs = stackOutputs?.[name];
      if (outputs === undefined) throw new Error(`unknown stack "${name}": it does not exist or was never deployed`);
      return { id: name, state: { name, outputs, secretOutputNames: [] } };
    },
    call: (args: MockCallArgs) => inner.call(args),
  };
}

/**
 * Runs `program` under fresh mocks and waits until every registration has settled. A program that
 * throws (or whose promise rejects) rejects with that error, but only after settling, so tests can still
 * inspect `lastRecorded()` to prove that nothing was registered.
 */
export async function synthesize<T>(program: () => T | Promise<T>, options: SynthesisOptions = {}): Promise<Synthesis<T>> {
  const monitor = new RecordingMonitor(withStackReferences(options.mocks ?? echoMocks, options.stackOutputs), options.recordReads ?? false);
  lastMonitor = monitor;
  pulumi.runtime.setMockOptions(monitor, options.project ?? "switchyard-test", options.stack ?? "test", options.preview ?? false, "organization");
  enableMockFeatures();
  pulumi.runtime.setAllConfig(options.config ?? {}, options.secretConfigKeys ?? []);
  let result: T;
  try {
    result = await program();
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
export async function synthesizeFailure(program: () => unknown, options: SynthesisOptions = {}): Promise<{ error: Error; resources: RecordedResource[] }> {
  try {
    await synthesize(program, options);
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

/** A stack's outputs as the engine stores them: every Output and Promise resolved, deeply. */
export async function plainOutputs(value: unknown): Promise<unknown> {
  return (await plainOutputsWithSecrets(value)).value;
}

/** Like `plainOutputs`, also returning the dotted paths of the values that were secret Outputs. */
export async function plainOutputsWithSecrets(value: unknown, path = ""): Promise<{ value: unknown; secretPaths: string[] }> {
  if (pulumi.Output.isInstance(value)) {
    const secret = await pulumi.isSecret(value);
    const inner = await plainOutputsWithSecrets(await valueOf(value), path);
    return secret ? { value: inner.value, secretPaths: [path] } : inner;
  }
  if (value instanceof Promise) return plainOutputsWithSecrets(await value, path);
  if (Array.isArray(value)) {
    const items = await Promise.all(value.map((v, i) => plainOutputsWithSecrets(v, `${path}[${i}]`)));
    return { value: items.map((x) => x.value), secretPaths: items.flatMap((x) => x.secretPaths) };
  }
  if (value !== null && typeof value === "object") {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await plainOutputsWithSecrets(v, path ? `${path}.${k}` : k)] as const));
    return { value: Object.fromEntries(entries.map(([k, x]) => [k, x.value])), secretPaths: entries.flatMap(([, x]) => x.secretPaths) };
  }
  return { value, secretPaths: [] };
}

/**
 * Stack configuration as `synthesize` takes it, from a `Pulumi.<stack>.yaml` document's `config:` map. An encrypted
 * value (`secure: v1:…`, written by `pulumi config set --secret`, also inside an object set with `--path`) becomes
 * the placeholder `placeholder-<key>` and its key is listed as secret: the render never needs the passphrase, and
 * never the plain text.
 */
export function configFromStackFile(document: { config?: Record<string, unknown> }): { config: Record<string, string>; secretConfigKeys: string[] } {
  const secretConfigKeys: string[] = [];
  const config = Object.fromEntries(
    Object.entries(document.config ?? {}).map(([key, raw]) => {
      let secure = false;
      const placeholders = (value: unknown, path: string): unknown => {
        if (isEncrypted(value)) {
          secure = true;
          return secretPlaceholder(path);
        }
        if (Array.isArray(value)) return value.map((v, i) => placeholders(v, `${path}[${i}]`));
        if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, placeholders(v, `${path}.${k}`)]));
        return value;
      };
      const value = placeholders(raw, key.slice(key.indexOf(":") + 1));
      if (secure) secretConfigKeys.push(key);
      return [key, typeof value === "string" ? value : JSON.stringify(value)];
    }),
  );
  return { config, secretConfigKeys };
}

/**
 * What a render puts where a credential goes: `placeholder-<key>`, padded to 48 characters so it passes the length
 * rules real credentials must (a key seed is at least 32). Secret, so it is written only as the marker.
 */
export function secretPlaceholder(key: string): string {
  return `placeholder-${key}-`.padEnd(48, "x");
}

function isEncrypted(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { secure?: unknown }).secure === "string";
}
