import type * as k8s from "@pulumi/kubernetes";
import type { ResolvedIngress, ResolvedVllmServing } from "./resolve";

/** ingress-nginx's annotation prefix (the default of its `--annotations-prefix`). */
const INGRESS_NGINX = "nginx.ingress.kubernetes.io";

/**
 * Largest request body the ingress accepts. A 128k-token prompt is ~0.5 MB of JSON in English and ~1.2 MB at worst
 * (non-Latin text as `\uXXXX` escapes, ~1.5 characters per token, or a token-id array); 16 MiB leaves that a tenfold
 * margin and room for 1M-token contexts, where ingress-nginx's default 1 MiB rejects a 128k prompt with a 413.
 */
export const INGRESS_MAX_BODY_SIZE = "16m";

/**
 * ingress-nginx annotations for LLM traffic (names and value formats from ingress-nginx's
 * internal/ingress/annotations/proxy): timeouts in whole seconds above the gateway's, response buffering off so each
 * streamed token leaves as vLLM writes it (ingress-nginx defaults to off, but a controller-wide ConfigMap may turn it
 * on), and the body size. Request buffering stays on (the default): the prompt is complete before vLLM is
 * contacted, which streaming responses do not mind.
 */
export function ingressAnnotations(ingress: ResolvedIngress): Record<string, string> {
  return {
    [`${INGRESS_NGINX}/proxy-read-timeout`]: String(ingress.proxyTimeoutSeconds),
    [`${INGRESS_NGINX}/proxy-send-timeout`]: String(ingress.proxyTimeoutSeconds),
    [`${INGRESS_NGINX}/proxy-buffering`]: "off",
    [`${INGRESS_NGINX}/proxy-body-size`]: INGRESS_MAX_BODY_SIZE,
  };
}

/**
 * TLS Ingress exposing only the `/v1` prefix: vLLM's API key guards `/v1/*` alone, so `/metrics`,
 * `/health`, `/tokenize`, `/invocations`, `/pause` and the rest must stay unreachable from outside.
 */
export function ingressSpec(r: ResolvedVllmServing, ingress: ResolvedIngress): k8s.networking.v1.IngressArgs {
  return {
    // No readiness wait (pulumi.com/skipAwait): an Ingress is ready when an external load balancer says so, which a
    // fleet's first `up` must not wait on per backend; the gateway's health checks decide whether it takes traffic.
    metadata: { name: r.objectNames.ingress, namespace: r.namespace, labels: r.labels, annotations: { ...ingressAnnotations(ingress), "pulumi.com/skipAwait": "true" } },
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
