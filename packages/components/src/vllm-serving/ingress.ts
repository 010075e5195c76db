import type * as k8s from "@pulumi/kubernetes";
import type { VllmIngressArgs } from "./args";
import type { ResolvedVllmServing } from "./resolve";

/**
 * TLS Ingress exposing only the `/v1` prefix: vLLM's API key guards `/v1/*` alone, so `/metrics`,
 * `/health`, `/tokenize`, `/invocations`, `/pause` and the rest must stay unreachable from outside.
 */
export function ingressSpec(r: ResolvedVllmServing, ingress: VllmIngressArgs): k8s.networking.v1.IngressArgs {
  return {
    metadata: { name: r.objectNames.ingress, namespace: r.namespace, labels: r.labels },
    spec: {
      ingressClassName: ingress.className,
      tls: [{ hosts: [ingress.host], secretName: ingress.tlsSecretName }],
      rules: [
        {
          host: ingress.host,
          http: {
            // Prefix matches path elements: /v1 and /v1/..., never /v1x or /v2.
            paths: [{ path: "/v1", pathType: "Prefix", backend: { service: { name: r.objectNames.service, port: { name: "http" } } } }],
          },
        },
      ],
    },
  };
}
