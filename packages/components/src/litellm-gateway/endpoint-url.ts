import { isIP } from "node:net";

/**
 * Where the gateway may send a request and its API key. Every backend and the hosted fallback carry a key in each
 * request, so the URL must not let it leak or be redirected:
 *
 * - `https://` to any host but a link-local address (169.254.0.0/16 holds the clouds' instance-metadata
 *   endpoints; fe80::/10 likewise);
 * - plain `http://` only to the local host (127.0.0.0/8, `localhost`, `[::1]`: a sidecar or a test double) or to a
 *   Kubernetes Service name inside the cluster (`name`, `name.namespace.svc`, `name.namespace.svc.<cluster domain>`),
 *   never to a public or private IP or a public name, where the key would cross a network in clear text;
 * - no `user:password@` part (a credential in a URL ends up in logs and in the rendered ConfigMap).
 *
 * Returns what is wrong, phrased to follow the value, or undefined when the URL is allowed.
 */
export function endpointUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "is not a URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return `uses ${url.protocol.replace(/:$/, "")}; use https://`;
  if (url.username !== "" || url.password !== "") {
    return "carries a user name or password; put the credential in the API key secret (apiKeySecretEnv) instead";
  }
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (isLinkLocal(host)) return "points at a link-local address (the cloud's instance-metadata range); use the backend's own address";
  if (url.protocol === "https:") return undefined;
  if (isLoopback(host) || isClusterServiceName(host)) return undefined;
  return "sends the API key over plain http to a host outside the cluster; use https:// (plain http only to 127.0.0.1, localhost, [::1] or a cluster Service name such as llama.inference.svc.cluster.local)";
}

function isLoopback(host: string): boolean {
  if (host === "localhost" || host === "::1") return true;
  return isIP(host) === 4 && host.startsWith("127.");
}

function isLinkLocal(host: string): boolean {
  if (isIP(host) === 4) return host.startsWith("169.254.");
  if (isIP(host) === 6) return /^fe[89ab][0-9a-f]:/.test(host);
  return false;
}

const DNS_LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
/** `svc`, or `svc.ns.svc` followed by an optional cluster domain (`cluster.local` by default). */
const CLUSTER_SERVICE = new RegExp(`^(${DNS_LABEL}|${DNS_LABEL}\\.${DNS_LABEL}\\.svc(\\.${DNS_LABEL})*)$`);

function isClusterServiceName(host: string): boolean {
  return isIP(host) === 0 && CLUSTER_SERVICE.test(host);
}
