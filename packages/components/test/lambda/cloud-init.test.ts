import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { describe, expect, it, test } from "vitest";
import { parse } from "yaml";
import { lambdaAgentConfigPath, lambdaJoinTokenPath, renderLambdaCloudInit } from "../../src/gpu-node-pool/lambda";
import type { LambdaCloudInitArgs } from "../../src/gpu-node-pool/lambda";

const TOKEN = "K10SENTINELJOINTOKEN0f9e8d7c6b5a::server:0123456789abcdef";

interface WriteFile {
  path: string;
  owner: string;
  permissions: string;
  content: string;
}
interface CloudConfig {
  write_files: WriteFile[];
  runcmd: string[][];
}

const k3s: LambdaCloudInitArgs = {
  distribution: "k3s",
  version: "v1.31.4+k3s1",
  serverUrl: "https://10.0.0.5:6443",
  joinToken: TOKEN,
  nodeLabels: { "switchyard.dev/pool": "lambda-h100", "node.kubernetes.io/instance-type": "gpu_8x_h100_sxm5" },
  nodeTaints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }],
};
const rke2: LambdaCloudInitArgs = {
  ...k3s,
  distribution: "rke2",
  version: "v1.31.4+rke2r1",
  serverUrl: "https://rke2.internal.example:9345",
};

function render(args: LambdaCloudInitArgs): { text: string; doc: CloudConfig; tokenFile: WriteFile; config: Record<string, unknown> } {
  const text = renderLambdaCloudInit(args);
  const doc = parse(text) as CloudConfig;
  const tokenFile = doc.write_files.find((f) => f.path === lambdaJoinTokenPath(args.distribution));
  const configFile = doc.write_files.find((f) => f.path === lambdaAgentConfigPath(args.distribution));
  if (!tokenFile || !configFile) throw new Error("missing write_files entry");
  return { text, doc, tokenFile, config: parse(configFile.content) as Record<string, unknown> };
}

/** Every string in a parsed document, with where it was found. */
function strings(value: unknown, where = "$"): [string, string][] {
  if (typeof value === "string") return [[where, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${where}[${i}]`));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => strings(v, `${where}.${k}`));
  return [];
}

describe("renderLambdaCloudInit — k3s", () => {
  const { text, doc, tokenFile, config } = render(k3s);

  it("is a #cloud-config document", () => {
    expect(text.startsWith("#cloud-config\n")).toBe(true);
    expect(Object.keys(doc)).toStrictEqual(["write_files", "runcmd"]);
  });

  it("writes the join token into a root-only 0600 file", () => {
    expect(tokenFile).toStrictEqual({ path: "/etc/rancher/k3s/join-token", owner: "root:root", permissions: "0600", content: TOKEN });
  });

  it("configures the agent with the server URL, the token file, labels and taints", () => {
    expect(config).toStrictEqual({
      server: "https://10.0.0.5:6443",
      "token-file": "/etc/rancher/k3s/join-token",
      "node-label": ["node.kubernetes.io/instance-type=gpu_8x_h100_sxm5", "switchyard.dev/pool=lambda-h100"],
      "node-taint": ["nvidia.com/gpu=present:NoSchedule"],
    });
    expect(doc.write_files.find((f) => f.path === "/etc/rancher/k3s/config.yaml")?.permissions).toBe("0600");
  });

  it("installs the agent pinned to the version, with argument lists and no token", () => {
    expect(doc.runcmd).toStrictEqual([
      ["curl", "--proto", "=https", "--tlsv1.2", "-sSfL", "--retry", "5", "--retry-all-errors", "--create-dirs", "-o", "/run/switchyard/install-k3s.sh", "https://get.k3s.io"],
      ["env", "INSTALL_K3S_VERSION=v1.31.4+k3s1", "sh", "/run/switchyard/install-k3s.sh", "agent"],
    ]);
    expect(text).not.toMatch(/K3S_TOKEN|K3S_URL|--token[ =]/);
  });

  it("contains the token only in the token file's content", () => {
    expect(text.split(TOKEN)).toHaveLength(2);
    expect(strings(doc).filter(([, s]) => s.includes(TOKEN))).toStrictEqual([["$.write_files[0].content", TOKEN]]);
  });

  it("matches the reviewed rendering", () => {
    expect(text).toMatchSnapshot();
  });
});

describe("renderLambdaCloudInit — rke2", () => {
  const { text, doc, tokenFile, config } = render(rke2);

  it("writes the token file and agent config under /etc/rancher/rke2", () => {
    expect(tokenFile).toStrictEqual({ path: "/etc/rancher/rke2/join-token", owner: "root:root", permissions: "0600", content: TOKEN });
    expect(config).toStrictEqual({
      server: "https://rke2.internal.example:9345",
      "token-file": "/etc/rancher/rke2/join-token",
      "node-label": ["node.kubernetes.io/instance-type=gpu_8x_h100_sxm5", "switchyard.dev/pool=lambda-h100"],
      "node-taint": ["nvidia.com/gpu=present:NoSchedule"],
    });
  });

  it("installs the pinned agent and starts its service", () => {
    expect(doc.runcmd).toStrictEqual([
      ["curl", "--proto", "=https", "--tlsv1.2", "-sSfL", "--retry", "5", "--retry-all-errors", "--create-dirs", "-o", "/run/switchyard/install-rke2.sh", "https://get.rke2.io"],
      ["env", "INSTALL_RKE2_VERSION=v1.31.4+rke2r1", "INSTALL_RKE2_TYPE=agent", "sh", "/run/switchyard/install-rke2.sh"],
      ["systemctl", "enable", "--now", "rke2-agent.service"],
    ]);
    expect(text).not.toMatch(/RKE2_TOKEN|--token[ =]/);
    expect(text.split(TOKEN)).toHaveLength(2);
  });

  it("matches the reviewed rendering", () => {
    expect(text).toMatchSnapshot();
  });
});

describe("renderLambdaCloudInit — labels and taints", () => {
  it("omits empty label and taint lists, and spells a value-less taint key:Effect", () => {
    expect(render({ ...k3s, nodeLabels: {}, nodeTaints: [] }).config).toStrictEqual({
      server: "https://10.0.0.5:6443",
      "token-file": "/etc/rancher/k3s/join-token",
    });
    expect(render({ ...k3s, nodeTaints: [{ key: "dedicated", value: "", effect: "NoExecute" }] }).config["node-taint"]).toStrictEqual([
      "dedicated:NoExecute",
    ]);
  });

  it("round-trips any valid labels, taints and token through YAML, the token only in its file", () => {
    const name = fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,20}[a-z0-9])?$/);
    const token = fc.stringMatching(/^[A-Za-z0-9]{16,64}$/).map((t) => `K10${t}::server:${t}`);
    fc.assert(
      fc.property(
        fc.dictionary(name.map((n) => `example.com/${n}`), fc.oneof(fc.constant(""), name)),
        fc.array(fc.record({ key: name, value: fc.oneof(fc.constant(""), name), effect: fc.constantFrom("NoSchedule" as const, "PreferNoSchedule" as const, "NoExecute" as const) }), { maxLength: 3 }),
        token,
        (nodeLabels, nodeTaints, joinToken) => {
          const { doc, tokenFile, config } = render({ ...k3s, nodeLabels, nodeTaints, joinToken });
          expect(tokenFile.content).toBe(joinToken);
          expect(strings(doc).filter(([, s]) => s.includes(joinToken)).map(([where]) => where)).toStrictEqual(["$.write_files[0].content"]);
          expect(config["node-label"] ?? []).toStrictEqual(Object.keys(nodeLabels).sort().map((k) => `${k}=${nodeLabels[k]}`));
          expect((config["node-taint"] as string[] | undefined)?.length ?? 0).toBe(nodeTaints.length);
        },
      ),
    );
  });
});

describe("renderLambdaCloudInit — invalid arguments", () => {
  test.each<[string, Partial<LambdaCloudInitArgs>, string]>([
    ["floating k3s version", { version: "latest" }, 'version ("latest") must be a pinned k3s release such as v1.31.4+k3s1'],
    ["k3s version without the +k3sN suffix", { version: "v1.31.4" }, 'version ("v1.31.4") must be a pinned k3s release'],
    ["rke2 version for k3s", { version: "v1.31.4+rke2r1" }, 'version ("v1.31.4+rke2r1") must be a pinned k3s release'],
    ["plain http", { serverUrl: "http://10.0.0.5:6443" }, 'serverUrl ("http://10.0.0.5:6443") must use https'],
    ["no port", { serverUrl: "https://10.0.0.5" }, 'serverUrl ("https://10.0.0.5") must name the port explicitly'],
    ["a path", { serverUrl: "https://10.0.0.5:6443/v1" }, "serverUrl (\"https://10.0.0.5:6443/v1\") must have no path"],
    ["not a URL", { serverUrl: "10.0.0.5:6443" }, 'serverUrl ("10.0.0.5:6443")'],
    ["restricted label", { nodeLabels: { "node-role.kubernetes.io/gpu": "true" } }, "NodeRestriction"],
    ["bad label value", { nodeLabels: { "switchyard.dev/pool": "has space" } }, 'nodeLabels["switchyard.dev/pool"] ("has space") value must be'],
    ["bad taint effect", { nodeTaints: [{ key: "gpu", value: "", effect: "NO_SCHEDULE" as "NoSchedule" }] }, 'nodeTaints[0].effect ("NO_SCHEDULE") must be "NoSchedule", "PreferNoSchedule" or "NoExecute"'],
  ])("rejects %s, naming the field", (_case, change, expected) => {
    expect(() => renderLambdaCloudInit({ ...k3s, ...change })).toThrow(expected);
  });

  it("rejects an rke2 server URL on the Kubernetes API port", () => {
    expect(() => renderLambdaCloudInit({ ...rke2, serverUrl: "https://10.0.0.5:6443" })).toThrow(
      'serverUrl ("https://10.0.0.5:6443") must use the RKE2 supervisor port 9345',
    );
    expect(() => renderLambdaCloudInit({ ...rke2, version: "v1.31.4+k3s1" })).toThrow("must be a pinned rke2 release such as v1.31.4+rke2r1");
  });

  it("reports every bad field at once as one InputPropertiesError", () => {
    let error: unknown;
    try {
      renderLambdaCloudInit({ ...k3s, version: "v1.31", serverUrl: "ftp://x", distribution: "k3s" });
    } catch (err) {
      error = err;
    }
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    expect((error as pulumi.InputPropertiesError).errors.map((e) => e.propertyPath)).toStrictEqual(["version", "serverUrl"]);
  });

  it("rejects a bad join token without showing it", () => {
    const bad = `${TOKEN}\nextra`;
    let message = "";
    try {
      renderLambdaCloudInit({ ...k3s, joinToken: bad });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("joinToken must not contain whitespace");
    expect(message).not.toContain("SENTINELJOINTOKEN");
    expect(() => renderLambdaCloudInit({ ...k3s, joinToken: "" })).toThrow("joinToken must be a non-empty string");
  });
});
