import { stringify } from "yaml";
import type { Taint } from "../../contracts";
import { ArgChecks, oneOf } from "../../internal/errors";
import type { ArgProblem } from "../../internal/errors";
import { KUBELET_RESTRICTED_HINT, isKubeletRestrictedLabel } from "../../internal/names";

/** Kubernetes distributions a Lambda instance can join: both install a pinned agent and read a config file. */
export type KubernetesDistribution = "k3s" | "rke2";

/** How a Lambda instance joins the environment's Kubernetes cluster. */
export interface LambdaCloudInitArgs {
  /** Distribution of the cluster: `k3s` or `rke2`. No default. */
  distribution: KubernetesDistribution;
  /** Pinned agent version matching the server, e.g. `v1.31.4+k3s1` or `v1.31.4+rke2r1`. No default. */
  version: string;
  /** Server the agent registers with: `https://<server>:6443` (k3s) or `https://<server>:9345` (rke2). No default. */
  serverUrl: string;
  /** Cluster join token; written only to a root-only (0600) file that the agent reads. No default. */
  joinToken: string;
  /** Labels the node registers with. No default (pass `{}` for none). */
  nodeLabels: Record<string, string>;
  /** Taints the node registers with, in Kubernetes spelling. No default (pass `[]` for none). */
  nodeTaints: Taint[];
}

interface DistributionFacts {
  /** Pinned release form, e.g. v1.31.4+k3s1. */
  versionPattern: RegExp;
  versionExample: string;
  configDir: string;
  /** Official install script. */
  installerUrl: string;
  /** The agent's registration port (k3s: the API server's; rke2: the supervisor's). */
  port: number;
}

const DISTRIBUTIONS: Record<KubernetesDistribution, DistributionFacts> = {
  // https://docs.k3s.io/installation/configuration (INSTALL_K3S_VERSION, config.yaml, token-file)
  k3s: {
    versionPattern: /^v\d+\.\d+\.\d+\+k3s\d+$/,
    versionExample: "v1.31.4+k3s1",
    configDir: "/etc/rancher/k3s",
    installerUrl: "https://get.k3s.io",
    port: 6443,
  },
  // https://docs.rke2.io/install/configuration (INSTALL_RKE2_VERSION/TYPE, config.yaml, token-file)
  rke2: {
    versionPattern: /^v\d+\.\d+\.\d+\+rke2r\d+$/,
    versionExample: "v1.31.4+rke2r1",
    configDir: "/etc/rancher/rke2",
    installerUrl: "https://get.rke2.io",
    port: 9345,
  },
};

const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

/** Path of the root-only file holding the join token for `distribution`. */
export function lambdaJoinTokenPath(distribution: KubernetesDistribution): string {
  return `${DISTRIBUTIONS[distribution].configDir}/join-token`;
}

/** Path of the agent config file for `distribution`. */
export function lambdaAgentConfigPath(distribution: KubernetesDistribution): string {
  return `${DISTRIBUTIONS[distribution].configDir}/config.yaml`;
}

/**
 * Renders the `#cloud-config` user data that joins a Lambda instance to the cluster as a k3s or RKE2
 * agent at a pinned version. The join token goes only into a 0600 root file referenced by `token-file`:
 * never onto a command line, into the environment of the installer, or into the config file.
 */
export function renderLambdaCloudInit(args: LambdaCloudInitArgs): string {
  validateLambdaCloudInitArgs(args);
  const facts = DISTRIBUTIONS[args.distribution];
  const tokenPath = lambdaJoinTokenPath(args.distribution);
  const labels = Object.keys(args.nodeLabels)
    .sort()
    .map((key) => `${key}=${args.nodeLabels[key] ?? ""}`);
  const taints = args.nodeTaints.map((t) => (t.value === "" ? `${t.key}:${t.effect}` : `${t.key}=${t.value}:${t.effect}`));
  const agentConfig: Record<string, unknown> = {
    server: args.serverUrl,
    "token-file": tokenPath,
    ...(labels.length > 0 ? { "node-label": labels } : {}),
    ...(taints.length > 0 ? { "node-taint": taints } : {}),
  };
  const installer = `/run/switchyard/install-${args.distribution}.sh`;
  const download = ["curl", "--proto", "=https", "--tlsv1.2", "-sSfL", "--retry", "5", "--retry-all-errors", "--create-dirs", "-o", installer, facts.installerUrl];
  // Argument lists, not shell strings: nothing is interpolated by a shell.
  const install =
    args.distribution === "k3s"
      ? [["env", `INSTALL_K3S_VERSION=${args.version}`, "sh", installer, "agent"]]
      : [
          ["env", `INSTALL_RKE2_VERSION=${args.version}`, "INSTALL_RKE2_TYPE=agent", "sh", installer],
          ["systemctl", "enable", "--now", "rke2-agent.service"],
        ];
  const document = {
    write_files: [
      { path: tokenPath, owner: "root:root", permissions: "0600", content: args.joinToken },
      {
        path: lambdaAgentConfigPath(args.distribution),
        owner: "root:root",
        permissions: "0600",
        content: stringify(agentConfig, { lineWidth: 0 }),
      },
    ],
    runcmd: [download, ...install],
  };
  return `#cloud-config\n${stringify(document, { lineWidth: 0 })}`;
}

/** Throws one `InputPropertiesError` naming every bad field. Never includes the join token. */
export function validateLambdaCloudInitArgs(args: LambdaCloudInitArgs): void {
  lambdaCloudInitChecks(args).throwIfAny();
}

/** Every problem with `args`, without throwing: GpuNodePool merges them into its own validation. */
export function lambdaCloudInitProblems(args: LambdaCloudInitArgs): readonly ArgProblem[] {
  return lambdaCloudInitChecks(args).found;
}

function lambdaCloudInitChecks(args: LambdaCloudInitArgs): ArgChecks {
  const checks = new ArgChecks("Lambda cloud-init", String(args.distribution));
  const facts = DISTRIBUTIONS[args.distribution] as DistributionFacts | undefined;
  checks.check(facts !== undefined, "distribution", args.distribution, `must be ${oneOf(Object.keys(DISTRIBUTIONS))}`);
  if (facts !== undefined) {
    checks.check(
      typeof args.version === "string" && facts.versionPattern.test(args.version),
      "version",
      args.version,
      `must be a pinned ${args.distribution} release such as ${facts.versionExample} (no "latest", no channel)`,
    );
    const urlProblem = serverUrlProblem(args.serverUrl, args.distribution, facts.port);
    if (urlProblem !== undefined) checks.add("serverUrl", args.serverUrl, urlProblem);
  }
  if (typeof args.joinToken !== "string" || args.joinToken.trim() === "") {
    checks.add("joinToken", undefined, "must be a non-empty string");
  } else if (/\s/.test(args.joinToken)) {
    checks.add("joinToken", undefined, "must not contain whitespace or line breaks (the value is not shown: it is a secret)");
  }
  for (const [key, value] of Object.entries(args.nodeLabels ?? {})) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem !== undefined) checks.add(`nodeLabels["${key}"]`, key, keyProblem);
    else if (isKubeletRestrictedLabel(key)) checks.add(`nodeLabels["${key}"]`, key, KUBELET_RESTRICTED_HINT);
    if (!isLabelValue(value)) checks.add(`nodeLabels["${key}"]`, value, "value must be at most 63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
  }
  (args.nodeTaints ?? []).forEach((taint, i) => {
    const keyProblem = labelKeyProblem(taint.key);
    if (keyProblem !== undefined) checks.add(`nodeTaints[${i}].key`, taint.key, keyProblem);
    if (!isLabelValue(taint.value)) {
      checks.add(`nodeTaints[${i}].value`, taint.value, "must be at most 63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
    }
    checks.check((TAINT_EFFECTS as readonly string[]).includes(taint.effect), `nodeTaints[${i}].effect`, taint.effect, `must be ${oneOf(TAINT_EFFECTS)} (Kubernetes spelling)`);
  });
  return checks;
}

function serverUrlProblem(value: unknown, distribution: KubernetesDistribution, port: number): string | undefined {
  const expected = `must look like https://<server>:${port}`;
  if (typeof value !== "string") return expected;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `is not a URL; it ${expected}`;
  }
  if (url.protocol !== "https:") return `must use https; it ${expected}`;
  if (url.username !== "" || url.password !== "") return "must not carry credentials; the join token authenticates the agent";
  if ((url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "") return `must have no path, query or fragment; it ${expected}`;
  if (url.port === "") return `must name the port explicitly; it ${expected}`;
  if (distribution === "rke2" && url.port !== String(port)) {
    return `must use the RKE2 supervisor port ${port} (6443 is the Kubernetes API, which agents do not register with)`;
  }
  return undefined;
}

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kubernetes qualified-name rules for label and taint keys. */
function labelKeyProblem(key: unknown): string | undefined {
  if (typeof key !== "string" || key === "") return "must be a non-empty label key";
  const slash = key.indexOf("/");
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return "must have a DNS-subdomain prefix (lowercase letters, digits, '-' and '.') before the '/'";
  }
  if (name.length > 63 || !NAME_PART.test(name)) {
    return "must end in a name of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  }
  return undefined;
}

function isLabelValue(value: unknown): boolean {
  return typeof value === "string" && (value === "" || (value.length <= 63 && NAME_PART.test(value)));
}

