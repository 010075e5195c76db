import type * as k8s from "@pulumi/kubernetes";
import type { ResolvedVllmServing } from "./resolve";

/** Instance metadata endpoints (AWS IPv4/IPv6, GCP, Azure): vLLM's media fetching could be turned into SSRF against them. */
const METADATA_IPV4 = "169.254.169.254/32";
const METADATA_IPV6 = "fd00:ec2::254/128";

/**
 * Ingress to the vLLM port only from the gateway pods (and the ingress controller when there is an
 * Ingress, and the metrics scraper when there is autoscaling); vLLM's `/metrics`, `/tokenize`, `/pause` etc. have no authentication. Egress everywhere but
 * the cloud metadata endpoint, so weights can still be fetched from any store.
 */
export function networkPolicySpec(r: ResolvedVllmServing): k8s.networking.v1.NetworkPolicyArgs {
  const gatewayPeer = {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": r.gateway.namespace } },
    podSelector: { matchLabels: r.gateway.podLabels },
  };
  const controllerPeer = r.ingress ? [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": r.ingress.controllerNamespace } } }] : [];
  // The Prometheus behind the in-flight signal scrapes /metrics on the same port.
  const scraper = r.autoscaling?.metricsScraper;
  const scraperPeer = scraper
    ? [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": scraper.namespace } }, podSelector: { matchLabels: scraper.podLabels } }]
    : [];
  return {
    metadata: { name: r.objectNames.networkPolicy, namespace: r.namespace, labels: r.labels },
    spec: {
      podSelector: { matchLabels: r.selector },
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: [gatewayPeer, ...controllerPeer, ...scraperPeer], ports: [{ protocol: "TCP", port: r.port }] }],
      egress: [
        {
          to: [
            // In-cluster peers (DNS, in-cluster object stores): CNIs differ on whether ipBlock matches pod IPs.
            { namespaceSelector: {} },
            { ipBlock: { cidr: "0.0.0.0/0", except: [METADATA_IPV4] } },
            { ipBlock: { cidr: "::/0", except: [METADATA_IPV6] } },
          ],
        },
      ],
    },
  };
}
