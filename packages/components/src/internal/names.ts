/** Kubernetes DNS-1123 label: lowercase alphanumerics and '-', starts and ends alphanumeric, ≤ 63. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Label/annotation key: optional DNS-1123 subdomain prefix + '/' + name (≤ 63, alnum, '-', '_', '.'). */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

export function isLabelValue(value: string): boolean {
  return value === "" || (value.length <= 63 && LABEL_NAME.test(value));
}

export const DNS1123_HINT = "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";

/** Labels a kubelet may set on its own Node under NodeRestriction (kubernetes.io reference, "NodeRestriction"). */
const KUBELET_ALLOWED_LABELS = new Set([
  "kubernetes.io/hostname",
  "kubernetes.io/arch",
  "kubernetes.io/os",
  "beta.kubernetes.io/instance-type",
  "node.kubernetes.io/instance-type",
  "failure-domain.beta.kubernetes.io/region",
  "failure-domain.beta.kubernetes.io/zone",
  "topology.kubernetes.io/region",
  "topology.kubernetes.io/zone",
]);

/**
 * Whether a node label sits in a kubernetes.io / k8s.io namespace that the NodeRestriction admission
 * plugin refuses from kubelets. Node-pool labels reach nodes through the kubelet on every cloud here,
 * so such a label would keep the node from registering.
 */
export function isKubeletRestrictedLabel(key: string): boolean {
  const slash = key.indexOf("/");
  if (slash === -1) return false;
  const prefix = key.slice(0, slash);
  const restricted = ["kubernetes.io", "k8s.io"].some((ns) => prefix === ns || prefix.endsWith(`.${ns}`));
  if (!restricted || KUBELET_ALLOWED_LABELS.has(key)) return false;
  const allowedNamespace = ["kubelet.kubernetes.io", "node.kubernetes.io"].some((ns) => prefix === ns || prefix.endsWith(`.${ns}`));
  return !allowedNamespace;
}

export const KUBELET_RESTRICTED_HINT =
  "is in a kubernetes.io / k8s.io namespace the NodeRestriction admission plugin refuses from kubelets; use your own prefix (e.g. switchyard.dev/...) or node.kubernetes.io/...";
