import type * as k8s from "@pulumi/kubernetes";
import type { ResolvedLiteLLMGateway } from "./resolve";

/** Instance metadata endpoints (AWS IPv4/IPv6, GCP, Azure): the proxy fetches backend URLs, which must never reach them. */
const METADATA_IPV4 = "169.254.169.254/32";
const METADATA_IPV6 = "fd00:ec2::254/128";

/**
 * Ingress to the proxy port only from the declared client pods. Egress to backends anywhere (in-cluster
 * Services, other clouds' ingresses, Redis) but the cloud metadata endpoint.
 */
export function gatewayNetworkPolicySpec(r: ResolvedLiteLLMGateway): k8s.networking.v1.NetworkPolicyArgs {
  return {
    metadata: { name: r.objectNames.networkPolicy, namespace: r.namespace, labels: r.labels },
    spec: {
      podSelector: { matchLabels: r.selector },
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        {
          from: r.clients.map((c) => ({
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": c.namespace } },
            ...(c.podLabels && Object.keys(c.podLabels).length > 0 ? { podSelector: { matchLabels: c.podLabels } } : {}),
          })),
          ports: [{ protocol: "TCP", port: r.port }],
        },
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
