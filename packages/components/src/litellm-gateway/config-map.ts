import type * as k8s from "@pulumi/kubernetes";
import type { ResolvedLiteLLMGateway } from "./resolve";

/**
 * The rendered `config.yaml` and the request guard module it loads. No credential: every key in the config is an
 * `os.environ/NAME` reference.
 */
export function gatewayConfigMapSpec(r: ResolvedLiteLLMGateway): k8s.core.v1.ConfigMapArgs {
  return {
    metadata: { name: r.objectNames.config, namespace: r.namespace, labels: r.labels },
    data: r.configFiles,
  };
}
