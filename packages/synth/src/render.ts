/**
 * What a synthesized program would deploy, as files: one per resource. Kubernetes objects as YAML manifests,
 * the LiteLLM proxy config as the YAML the proxy loads, cloud resources' inputs as JSON, and the stack's
 * outputs. Secret values are replaced by a marker, so the files can be committed, diffed and posted on a pull
 * request. Keys are sorted and files named from the resource, so two renders of the same commit are
 * byte-identical.
 */
import { stringify } from "yaml";
import type { RecordedResource } from "./synthesize";

export const SECRET_MARKER = "[secret]";
/** The gateway ConfigMap key holding the LiteLLM config (see LiteLLMGatewayConfig). */
const LITELLM_CONFIG_KEY = /(^|\/)(config|litellm[-_]config)\.ya?ml$/;

export interface RenderedFile {
  /** Relative path, `/`-separated. */
  path: string;
  content: string;
}

/**
 * Replaces the values at `paths` (dotted, with `[i]` indexes, as recorded) with the secret marker. A secret map or
 * list keeps its shape, every value a marker: a Secret's `stringData` still shows its key names (what a reviewer
 * and a schema check need), never a value.
 */
export function redactSecrets(value: unknown, paths: readonly string[]): unknown {
  const secret = new Set(paths);
  const walk = (v: unknown, path: string): unknown => {
    if (secret.has(path)) return redactAll(v);
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}[${i}]`));
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, path === "" ? k : `${path}.${k}`)]));
    }
    return v;
  };
  return walk(value, "");
}

/** `value` with every scalar replaced by the secret marker, keys and list lengths kept. */
function redactAll(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactAll);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactAll(v)]));
  return SECRET_MARKER;
}

/** JSON with object keys sorted at every level and a trailing newline. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "_");
}

/** `kubernetes:apps/v1:Deployment` → `Deployment`; `aws:eks/nodeGroup:NodeGroup` → `eks.NodeGroup`. */
function kindOf(type: string): string {
  const [, module = "", kind = type] = type.split(":");
  const pkg = module.split("/")[0] ?? "";
  return type.startsWith("kubernetes:") || pkg === "index" || pkg === "" ? kind : `${pkg}.${kind}`;
}

/** The files one synthesized stack renders to. */
export function renderResources(resources: readonly RecordedResource[], outputs: unknown, outputSecretPaths: readonly string[] = []): RenderedFile[] {
  const files: RenderedFile[] = [];
  const seen = new Set<string>();
  const add = (path: string, content: string) => {
    let unique = path;
    for (let i = 2; seen.has(unique); i++) unique = path.replace(/(\.[a-z]+)$/, `-${i}$1`);
    seen.add(unique);
    files.push({ path: unique, content });
  };
  for (const r of resources) {
    if (!r.custom || r.type === "pulumi:pulumi:StackReference") continue;
    // Engine bookkeeping (`__provider`: a dynamic provider's serialized code, `__defaults`) is not configuration.
    const inputs = withoutInternalKeys(redactSecrets(r.inputs, r.secretPaths));
    const [pkg] = r.type.split(":");
    if (r.type.startsWith("pulumi:providers:")) {
      add(`providers/${slug(r.type.slice("pulumi:providers:".length))}-${slug(r.name)}.json`, stableJson({ type: r.type, name: r.name, inputs }));
    } else if (pkg === "kubernetes") {
      // YAML 1.1 quoting: kubectl, kubeconform and kube-score read YAML 1.1, where a bare `off` (an ingress-nginx
      // annotation value) or `yes` is a boolean, and an annotation must be a string.
      add(`kubernetes/${slug(kindOf(r.type))}-${slug(r.name)}.yaml`, stringify(inputs, { sortMapEntries: true, version: "1.1" }));
      if (r.type === "kubernetes:core/v1:ConfigMap") {
        for (const [key, text] of Object.entries((r.inputs["data"] ?? {}) as Record<string, unknown>)) {
          if (LITELLM_CONFIG_KEY.test(key) && typeof text === "string" && text.includes("model_list")) add(`litellm/${slug(r.name)}-${slug(key)}`, text.endsWith("\n") ? text : `${text}\n`);
        }
      }
    } else {
      add(`${slug(pkg ?? "other")}/${slug(kindOf(r.type))}-${slug(r.name)}.json`, stableJson({ type: r.type, name: r.name, inputs }));
    }
  }
  const tree = resources
    .filter((r) => r.type !== "pulumi:pulumi:StackReference")
    .map((r) => `${r.parentName === undefined ? "" : `${r.parentName} > `}${r.type} ${r.name}`)
    .sort();
  add("resources.txt", `${tree.join("\n")}\n`);
  add("stack-outputs.json", stableJson(redactSecrets(outputs, outputSecretPaths)));
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** Drops the engine's top-level bookkeeping keys (`__provider`, `__defaults`, ...). */
function withoutInternalKeys(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith("__")));
}
