/**
 * What a Lambda instance does once it boots: its cloud-init installs the k3s agent, which registers a node with the
 * labels and taints the agent config lists. Here each instance the Lambda API stand-in reports `active` joins the
 * control plane as a kwok node built from that same user data (the node is named after the instance; a real agent
 * uses the host name), so the pods the stack schedules land only where the instance's own config says.
 */
import { getInstanceType } from "@switchyard/catalog";
import { parse } from "yaml";
import type { FakeLambdaApi } from "../../packages/components/test/lambda/fake-lambda-api";
import { sleep } from "../gateway/proxy";
import { addNodes } from "./control-plane";
import type { FakeNode, FakeNodeTaint } from "./control-plane";

interface CloudConfig {
  write_files: { path: string; content: string }[];
}

/** The node a k3s agent configured by this `#cloud-config` registers as `name` on an instance of `instanceType`. */
export function nodeFromUserData(name: string, instanceType: string, userData: string): FakeNode {
  const cloudConfig = parse(userData.replace(/^#cloud-config\n/, "")) as CloudConfig;
  const agentFile = cloudConfig.write_files.find((f) => f.path.endsWith("/config.yaml"));
  if (agentFile === undefined) throw new Error(`${name}: the user data writes no agent config.yaml`);
  const agent = parse(agentFile.content) as { "node-label"?: string[]; "node-taint"?: string[] };
  const labels = Object.fromEntries((agent["node-label"] ?? []).map((l) => l.split("=", 2) as [string, string]));
  const taints = (agent["node-taint"] ?? []).map((t): FakeNodeTaint => {
    const [keyValue = "", effect] = t.split(":") as [string, FakeNodeTaint["effect"]];
    const [key = "", value] = keyValue.split("=", 2);
    return { key, ...(value !== undefined ? { value } : {}), effect };
  });
  const instance = getInstanceType("lambda", instanceType);
  return {
    name,
    labels,
    taints,
    capacity: { cpu: instance.vcpus, memory: `${instance.memoryGiB}Gi`, "nvidia.com/gpu": instance.gpusPerNode, pods: 110, "ephemeral-storage": `${instance.localNvmeGiB ?? 0}Gi` },
  };
}

/**
 * Joins every instance the stand-in reports active, until stopped. Returns the names joined so far and a stop
 * function that rethrows a failed join.
 */
export function joinActiveInstances(api: FakeLambdaApi, kubeconfigPath: string): { joined: Set<string>; stop: () => Promise<void> } {
  const joined = new Set<string>();
  let running = true;
  // Resolves to the first error, kept until stop() so that it fails the test rather than the process.
  const failure = (async (): Promise<Error | undefined> => {
    while (running) {
      for (const instance of api.instances.values()) {
        if (instance.status !== "active" || joined.has(instance.name)) continue;
        joined.add(instance.name);
        await addNodes(kubeconfigPath, [nodeFromUserData(instance.name, instance.instance_type.name, instance.user_data)]);
      }
      await sleep(250);
    }
    return undefined;
  })().catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  return {
    joined,
    stop: async () => {
      running = false;
      const error = await failure;
      if (error !== undefined) throw error;
    },
  };
}
