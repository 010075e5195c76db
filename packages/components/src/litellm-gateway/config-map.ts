import type * as k8s from "@pulumi/kubernetes";
import { CONFIG_FILE } from "./resolve";
import type { ResolvedLiteLLMGateway } from "./resolve";

/** The rendered `config.yaml`. It holds no credential: every key is an `os.environ/NAME` reference. */
export function gatewayConfigMapSpec(r: ResolvedLiteLLMGateway): k8s.core.v1.ConfigMapArgs {
  return {
    metadata: { name: r.objectNames.config, namespace: r.namespace, labels: r.labels },
    data: { [CONFIG_FILE]: r.configYaml },
  };
}
