import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type * as random from "@pulumi/random";
import { API_KEY_SECRET_KEY, GENERATED_API_KEY_LENGTH } from "./resolve";
import type { ResolvedVllmServing } from "./resolve";

/** The generated API key: letters and digits only, so it needs no quoting in headers or env files. */
export function apiKeyPasswordSpec(): random.RandomPasswordArgs {
  return { length: GENERATED_API_KEY_LENGTH, special: false };
}

/**
 * The Secret vLLM reads `VLLM_API_KEY` from. The key goes in `stringData` as a secret Output, so Pulumi
 * encrypts it in state and it never appears in a plain input.
 */
export function apiKeySecretSpec(r: ResolvedVllmServing, apiKey: pulumi.Input<string>): k8s.core.v1.SecretArgs {
  return {
    metadata: { name: r.objectNames.apiKeySecret, namespace: r.namespace, labels: r.labels },
    type: "Opaque",
    stringData: { [API_KEY_SECRET_KEY]: pulumi.secret(apiKey) },
  };
}
