import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { LiteLLMGatewayConfigArgs } from "./args";
import { gatewayConfigMapSpec } from "./config-map";
import { gatewayDeploymentSpec } from "./deployment";
import { gatewayNetworkPolicySpec } from "./network-policy";
import { gatewayPodDisruptionBudgetSpec } from "./pod-disruption-budget";
import type { LiteLLMConfig } from "./render";
import { resolveLiteLLMGatewayArgs } from "./resolve";
import { gatewayBackendKeysSecretSpec, gatewayCredentialsSecretSpec, gatewayKeySpec, masterKeyFrom } from "./secret";
import { gatewayServiceSpec } from "./service";

/**
 * The LiteLLM gateway in front of every backend: the rendered config in a ConfigMap (weights, tiers,
 * per-token prices, retries, benching, health checks, fallbacks), credentials in Secrets, and the proxy
 * itself (Deployment of ≥ 2 non-root replicas, Service, PodDisruptionBudget, NetworkPolicy).
 */
export class LiteLLMGatewayConfig extends pulumi.ComponentResource {
  /** OpenAI-compatible base URL inside the cluster, ending in `/v1`. */
  public readonly endpoint: pulumi.Output<string>;
  /** Name of the ClusterIP Service in front of the proxies. */
  public readonly serviceName: pulumi.Output<string>;
  /** Secret holding the master key, salt key and Redis password. */
  public readonly credentialsSecretName: pulumi.Output<string>;
  /** Secret holding one key per backend API-key environment variable. */
  public readonly backendKeysSecretName: pulumi.Output<string>;
  /** ConfigMap holding `config.yaml`. */
  public readonly configMapName: pulumi.Output<string>;
  /** The proxy admin key (a secret Output): for creating virtual keys, never for clients. */
  public readonly masterKey: pulumi.Output<string>;
  /** Labels of the proxy pods, e.g. for `VllmServing`'s `gateway.podLabels`. */
  public readonly podLabels: Record<string, string>;
  /** The rendered config (plain, known at construction; it holds no credential). */
  public readonly config: LiteLLMConfig;

  constructor(name: string, args: LiteLLMGatewayConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything, so bad arguments leave nothing behind, not even the component.
    const r = resolveLiteLLMGatewayArgs(name, args);
    super("switchyard:index:LiteLLMGatewayConfig", name, {}, opts);

    const masterKey =
      r.masterKey !== undefined ? pulumi.secret(r.masterKey) : masterKeyFrom(new random.RandomPassword(`${name}-master-key`, gatewayKeySpec(), { parent: this }).result);
    // The salt key encrypts credentials LiteLLM stores; losing it makes them unreadable, so it is protected.
    const saltKey = r.saltKey !== undefined ? pulumi.secret(r.saltKey) : new random.RandomPassword(`${name}-salt-key`, gatewayKeySpec(), { parent: this, protect: true }).result;
    const credentials = new k8s.core.v1.Secret(`${name}-credentials`, gatewayCredentialsSecretSpec(r, masterKey, saltKey), { parent: this });
    const backendKeys = new k8s.core.v1.Secret(`${name}-backend-keys`, gatewayBackendKeysSecretSpec(r), { parent: this });
    const configMap = new k8s.core.v1.ConfigMap(`${name}-config`, gatewayConfigMapSpec(r), { parent: this });
    new k8s.apps.v1.Deployment(`${name}-proxy`, gatewayDeploymentSpec(r), { parent: this, dependsOn: [credentials, backendKeys, configMap] });
    const service = new k8s.core.v1.Service(`${name}-svc`, gatewayServiceSpec(r), { parent: this });
    new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, gatewayPodDisruptionBudgetSpec(r), { parent: this });
    new k8s.networking.v1.NetworkPolicy(`${name}-netpol`, gatewayNetworkPolicySpec(r), { parent: this });

    this.endpoint = service.metadata.name.apply(() => r.endpoint);
    this.serviceName = service.metadata.name;
    this.credentialsSecretName = credentials.metadata.name;
    this.backendKeysSecretName = backendKeys.metadata.name;
    this.configMapName = configMap.metadata.name;
    this.masterKey = pulumi.secret(masterKey);
    this.podLabels = r.podLabels;
    this.config = r.config;
    this.registerOutputs({
      endpoint: this.endpoint,
      serviceName: this.serviceName,
      credentialsSecretName: this.credentialsSecretName,
      backendKeysSecretName: this.backendKeysSecretName,
      configMapName: this.configMapName,
      masterKey: this.masterKey,
      podLabels: this.podLabels,
    });
  }
}
