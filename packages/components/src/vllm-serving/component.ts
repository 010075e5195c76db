import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Backend } from "../contracts";
import type { VllmServingArgs } from "./args";
import { deploymentSpec } from "./deployment";
import { ingressSpec } from "./ingress";
import { networkPolicySpec } from "./network-policy";
import { podDisruptionBudgetSpec } from "./pod-disruption-budget";
import { resolveVllmServingArgs } from "./resolve";
import { horizontalPodAutoscalerSpec, scaledObjectSpec, wakeAuthenticationSpec } from "./scaler";
import { apiKeyPasswordSpec, apiKeySecretSpec } from "./secret";
import { serviceSpec } from "./service";

/**
 * Serves one model with vLLM on the GPU nodes of one `Placement`: API-key Secret, Deployment, ClusterIP
 * Service, PodDisruptionBudget, in-flight autoscaler (KEDA or HPA), NetworkPolicy and an optional
 * `/v1`-only Ingress. Outputs the `Backend` the gateway routes to.
 */
export class VllmServing extends pulumi.ComponentResource {
  /** Name of the ClusterIP Service in front of the vLLM pods. */
  public readonly serviceName: pulumi.Output<string>;
  /** OpenAI-compatible base URL inside the cluster, ending in `/v1`. */
  public readonly endpoint: pulumi.Output<string>;
  /** `https://<ingress.host>/v1` when an Ingress exists, otherwise undefined. */
  public readonly externalEndpoint: pulumi.Output<string | undefined>;
  /** The bearer key vLLM requires on `/v1/*` (a secret Output). */
  public readonly apiKey: pulumi.Output<string>;
  /** What the gateway needs to route here (plain values, known at construction). */
  public readonly backend: Backend;

  constructor(name: string, args: VllmServingArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything, so bad arguments leave nothing behind, not even the component.
    const r = resolveVllmServingArgs(name, args);
    super("switchyard:index:VllmServing", name, {}, opts);

    const apiKey = r.apiKey !== undefined ? pulumi.secret(r.apiKey) : new random.RandomPassword(`${name}-api-key`, apiKeyPasswordSpec(), { parent: this }).result;
    const secret = new k8s.core.v1.Secret(`${name}-api-key`, apiKeySecretSpec(r, apiKey), { parent: this });
    const deployment = new k8s.apps.v1.Deployment(`${name}-vllm`, deploymentSpec(r), {
      parent: this,
      dependsOn: [secret],
      // Pulumi waits for the rollout; its 10-minute default is shorter than a large model's cold start, and an
      // update replaces the replicas in waves, one cold start each.
      customTimeouts: { create: r.rolloutTimeout, update: r.updateTimeout },
    });
    const service = new k8s.core.v1.Service(`${name}-svc`, serviceSpec(r), { parent: this });
    new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, podDisruptionBudgetSpec(r), { parent: this });
    if (r.autoscaling?.mode === "keda") {
      const token = r.autoscaling.wake?.bearerTokenSecret;
      const auth = token ? [new k8s.apiextensions.CustomResource(`${name}-wake-auth`, wakeAuthenticationSpec(r, token), { parent: this })] : [];
      new k8s.apiextensions.CustomResource(`${name}-scaler`, scaledObjectSpec(r, r.autoscaling), { parent: this, dependsOn: [deployment, ...auth] });
    } else if (r.autoscaling?.mode === "hpa") {
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}-scaler`, horizontalPodAutoscalerSpec(r, r.autoscaling), { parent: this, dependsOn: [deployment] });
    }
    new k8s.networking.v1.NetworkPolicy(`${name}-netpol`, networkPolicySpec(r), { parent: this });
    const ingress = r.ingress ? new k8s.networking.v1.Ingress(`${name}-ingress`, ingressSpec(r, r.ingress), { parent: this }) : undefined;

    this.serviceName = service.metadata.name;
    this.endpoint = service.metadata.name.apply(() => r.endpoint);
    this.externalEndpoint = ingress ? ingress.metadata.name.apply(() => r.externalEndpoint) : pulumi.output(undefined);
    this.apiKey = pulumi.secret(apiKey);
    this.backend = r.backend;
    this.registerOutputs({
      serviceName: this.serviceName,
      endpoint: this.endpoint,
      externalEndpoint: this.externalEndpoint,
      apiKey: this.apiKey,
      backend: this.backend,
    });
  }
}
