import type * as k8s from "@pulumi/kubernetes";
import type { ResolvedLiteLLMGateway } from "./resolve";

/** ClusterIP: external clients come through an ingress that exposes only the `/v1` inference routes. */
export function gatewayServiceSpec(r: ResolvedLiteLLMGateway): k8s.core.v1.ServiceArgs {
  return {
    metadata: { name: r.objectNames.service, namespace: r.namespace, labels: r.labels },
    spec: {
      type: "ClusterIP",
      selector: r.selector,
      ports: [{ name: "http", port: r.port, targetPort: "http", protocol: "TCP" }],
    },
  };
}
