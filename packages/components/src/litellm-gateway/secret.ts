import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type * as random from "@pulumi/random";
import { MASTER_KEY_SECRET_KEY, REDIS_PASSWORD_SECRET_KEY, SALT_KEY_SECRET_KEY } from "./resolve";
import type { ResolvedLiteLLMGateway } from "./resolve";

/** Generated master and salt keys: letters and digits only, so they need no quoting in headers or env files. */
export function gatewayKeySpec(): random.RandomPasswordArgs {
  return { length: 48, special: false };
}

/** LiteLLM requires master keys to start with `sk-`. */
export function masterKeyFrom(password: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.secret(pulumi.interpolate`sk-${password}`);
}

/**
 * The proxy's own credentials: master key, salt key and Redis password. Values go in `stringData` as secret
 * Outputs, so Pulumi encrypts them in state and they never appear in a plain input.
 */
export function gatewayCredentialsSecretSpec(
  r: ResolvedLiteLLMGateway,
  masterKey: pulumi.Input<string>,
  saltKey: pulumi.Input<string>,
): k8s.core.v1.SecretArgs {
  return {
    metadata: { name: r.objectNames.credentialsSecret, namespace: r.namespace, labels: r.labels },
    type: "Opaque",
    stringData: {
      [MASTER_KEY_SECRET_KEY]: pulumi.secret(masterKey),
      [SALT_KEY_SECRET_KEY]: pulumi.secret(saltKey),
      ...(r.redis.password !== undefined ? { [REDIS_PASSWORD_SECRET_KEY]: pulumi.secret(r.redis.password) } : {}),
    },
  };
}

/** One key per environment variable the config reads a backend or fallback key from (`os.environ/NAME`). */
export function gatewayBackendKeysSecretSpec(r: ResolvedLiteLLMGateway): k8s.core.v1.SecretArgs {
  return {
    metadata: { name: r.objectNames.backendKeysSecret, namespace: r.namespace, labels: r.labels },
    type: "Opaque",
    stringData: Object.fromEntries(r.apiKeyEnvNames.map((env) => [env, pulumi.secret(r.apiKeys[env]!)])),
  };
}
