/**
 * CoreWeave publishes no CRD for its `compute.coreweave.com/v1alpha1` NodePool, so the engine tests install a stand-in
 * whose schema is the documented-field schema the render is checked against (test/harness/kubernetes-schema.ts): the
 * API server then rejects what that schema rejects, in one place.
 */
import { z } from "zod";
import { sleep } from "../gateway/proxy";
import { coreweaveNodePool } from "../harness/kubernetes-schema";
import type { KubeClient } from "./control-plane";

/** JSON Schema as a CRD's structural schema takes it: no $schema, no `additionalProperties: false` beside `properties`. */
function structural(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(structural);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === "$schema" || (k === "additionalProperties" && v === false) || k === "propertyNames") continue;
    out[k] = structural(v);
  }
  return out;
}

export function coreweaveNodePoolCrd(): Record<string, unknown> {
  const spec = structural(z.toJSONSchema(coreweaveNodePool.shape.spec, { io: "input", unrepresentable: "any" }));
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "nodepools.compute.coreweave.com" },
    spec: {
      group: "compute.coreweave.com",
      scope: "Cluster",
      names: { plural: "nodepools", singular: "nodepool", kind: "NodePool", listKind: "NodePoolList" },
      versions: [
        {
          name: "v1alpha1",
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: "object", properties: { spec, status: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } } },
          subresources: { status: {} },
        },
      ],
    },
  };
}

/** Installs the stand-in CRD and waits until it is established and its storage serves lists. */
export async function installCoreWeaveNodePoolCrd(kube: KubeClient): Promise<void> {
  await kube.ok("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", coreweaveNodePoolCrd());
  for (;;) {
    const crd = await kube.ok<{ status?: { conditions?: { type: string; status: string }[] } }>("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/nodepools.compute.coreweave.com");
    // Established, and its storage serving (a list answers 429 "storage is (re)initializing" for a moment after).
    if (crd.status?.conditions?.some((c) => c.type === "Established" && c.status === "True") && (await kube.request("GET", "/apis/compute.coreweave.com/v1alpha1/nodepools")).status === 200) return;
    await sleep(200);
  }
}
