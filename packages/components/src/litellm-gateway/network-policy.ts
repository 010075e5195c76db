import type * as k8s from "@pulumi/kubernetes";
import type { GatewayClientArgs } from "./args";
import type { ResolvedLiteLLMGateway } from "./resolve";

/** Instance metadata endpoints (AWS IPv4/IPv6, GCP, Azure): the proxy fetches backend URLs, which must never reach them. */
const METADATA_IPV4 = "169.254.169.254/32";
const METADATA_IPV6 = "fd00:ec2::254/128";

function peer(c: GatewayClientArgs): k8s.types.input.networking.v1.NetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": c.namespace } },
    ...(c.podLabels && Object.keys(c.podLabels).length > 0 ? { podSelector: { matchLabels: c.podLabels } } : {}),
  };
}

/**
 * Ingress to the proxy port only from the declared client pods, and to the metrics port only from the scrapers. Egress to backends anywhere (in-cluster
 * Services, other clouds' ingresses, Redis) but the cloud metadata endpoint.
 */
export function gatewayNetworkPolicySpec(r: ResolvedLiteLLMGateway): k8s.networking.v1.NetworkPolicyArgs {
  return {
    metadata: { name: r.objectNames.networkPolicy, namespace: r.namespace, labels: r.labels },
    spec: {
      podSelector: { matchLabels: r.selector },
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        { from: r.clients.map(peer), ports: [{ protocol: "TCP", port: r.port }] },
        // The scrapers reach the metrics port only, and clients never reach it.
        ...(r.metrics ? [{ from: r.metrics.scrapers.map(peer), ports: [{ protocol: "TCP", port: r.metrics.port }] }] : []),
      ],
      egress: [
        {
          to: [
            // In-cluster peers (DNS, vLLM Services, Redis): CNIs differ on whether ipBlock matches pod IPs.
            { namespaceSelector: {} },
            { ipBlock: { cidr: "0.0.0.0/0", except: [METADATA_IPV4] } },
            { ipBlock: { cidr: "::/0", except: [METADATA_IPV6] } },
          ],
        },
      ],
    },
  };
}
