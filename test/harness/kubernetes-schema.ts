/**
 * Validates every Kubernetes object a component registers against the Kubernetes OpenAPI schema
 * (kubernetes-models), KEDA's and Karpenter's CRD schemas, and — for CoreWeave's NodePool, whose
 * CRD is not published as a package — the fields documented in shared/reference/provider-facts.md §1.1.
 */
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import { DaemonSet, Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Job } from "kubernetes-models/batch/v1";
import { Ingress, NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ScaledObject, TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1";
import { NodePool as KarpenterNodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1";
import { EC2NodeClass } from "@kubernetes-models/karpenter/karpenter.k8s.aws/v1";
import { z } from "zod";
import type { RecordedResource } from "./mocks";

type Validator = (object: Record<string, unknown>) => void;

function model(Model: new (data: never) => { validate(): void }): Validator {
  return (object) => new Model(object as never).validate();
}

const taintSchema = z.strictObject({
  key: z.string().min(1),
  value: z.string().optional(),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
});

/** compute.coreweave.com/v1alpha1 NodePool as documented: cluster-scoped, immutable instanceType/computeClass. */
export const coreweaveNodePool = z.strictObject({
  apiVersion: z.literal("compute.coreweave.com/v1alpha1"),
  kind: z.literal("NodePool"),
  metadata: z
    .object({ name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/), labels: z.record(z.string(), z.string()).optional() })
    .refine((m) => !("namespace" in m), "NodePool is cluster-scoped: metadata.namespace must be absent"),
  spec: z.strictObject({
    instanceType: z.string().min(1),
    targetNodes: z.number().int().min(0),
    minNodes: z.number().int().min(0).optional(),
    maxNodes: z.number().int().min(0).optional(),
    autoscaling: z.boolean().optional(),
    computeClass: z.enum(["default", "spot"]).optional(),
    nodeLabels: z.record(z.string(), z.string()).optional(),
    nodeAnnotations: z.record(z.string(), z.string()).optional(),
    nodeTaints: z.array(taintSchema).optional(),
    gpu: z.strictObject({ version: z.string().regex(/^\d+$/) }).optional(),
    nodeConfigurationUpdateStrategy: z.strictObject({ type: z.string() }).optional(),
  }),
});

const validators: Record<string, Validator> = {
  "kubernetes:core/v1:ConfigMap": model(ConfigMap),
  "kubernetes:core/v1:Namespace": model(Namespace),
  "kubernetes:core/v1:Secret": model(Secret),
  "kubernetes:core/v1:Service": model(Service),
  "kubernetes:core/v1:ServiceAccount": model(ServiceAccount),
  "kubernetes:apps/v1:Deployment": model(Deployment),
  "kubernetes:apps/v1:DaemonSet": model(DaemonSet),
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": model(HorizontalPodAutoscaler),
  "kubernetes:batch/v1:Job": model(Job),
  "kubernetes:networking.k8s.io/v1:Ingress": model(Ingress),
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": model(NetworkPolicy),
  "kubernetes:policy/v1:PodDisruptionBudget": model(PodDisruptionBudget),
  "kubernetes:keda.sh/v1alpha1:ScaledObject": model(ScaledObject),
  "kubernetes:keda.sh/v1alpha1:TriggerAuthentication": model(TriggerAuthentication),
  "kubernetes:karpenter.sh/v1:NodePool": model(KarpenterNodePool),
  "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass": model(EC2NodeClass),
  "kubernetes:compute.coreweave.com/v1alpha1:NodePool": (object) => {
    coreweaveNodePool.parse(object);
  },
};

export function isKubernetesResource(resource: RecordedResource): boolean {
  return resource.custom && resource.type.startsWith("kubernetes:");
}

/**
 * Throws, naming the resource and the schema's complaint, if any Kubernetes object in `resources`
 * is invalid or of a kind this harness has no schema for. Returns how many objects were checked.
 */
export function validateKubernetesObjects(resources: RecordedResource[]): number {
  let checked = 0;
  for (const resource of resources.filter(isKubernetesResource)) {
    const validate = validators[resource.type];
    if (!validate) throw new Error(`no schema for ${resource.type} (${resource.name}); add one to test/harness/kubernetes-schema.ts`);
    try {
      validate(resource.inputs);
    } catch (error) {
      throw new Error(`${resource.type} ${resource.name} is not a valid object: ${(error as Error).message}`, { cause: error });
    }
    checked++;
  }
  return checked;
}
