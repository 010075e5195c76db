/**
 * CoreWeave publishes no CRD for its `compute.coreweave.com/v1alpha1` NodePool, so the engine tests install a stand-in
 * whose schema is the documented-field schema the render is checked against (test/harness/kubernetes-schema.ts): the
 * API server then rejects what that schema rejects, in one place.
 */
import { z } from "zod";
import { coreweaveNodePool } from "../harness/kubernetes-schema";

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
