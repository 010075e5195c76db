import type * as k8s from "@pulumi/kubernetes";
import type { ResolvedVllmServing } from "./resolve";
import { skipAwaitUnlessReady } from "./deployment";

/** ClusterIP only: vLLM's unauthenticated endpoints (/metrics, /tokenize, ...) must never be reachable from outside. */
export function serviceSpec(r: ResolvedVllmServing): k8s.core.v1.ServiceArgs {
  return {
    metadata: { name: r.objectNames.service, namespace: r.namespace, labels: r.labels, ...skipAwaitUnlessReady(r) },
    spec: {
      type: "ClusterIP",
      selector: r.selector,
      ports: [{ name: "http", port: r.port, targetPort: "http", protocol: "TCP" }],
    },
  };
}
