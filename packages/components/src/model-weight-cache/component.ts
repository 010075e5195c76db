import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { WeightSource } from "../contracts";
import { createKmsKey } from "../shared-services/kms";
import { createAccessLogBucket, createHardenedBucket } from "../shared-services/s3-bucket";
import type { ModelWeightCacheArgs } from "./args";
import { awsReplicaBucketOptions, gcsReplicaBucketArgs } from "./buckets";
import type { WeightEgressEstimate } from "./egress";
import { resolveModelWeightCacheArgs } from "./resolve";
import type { ResolvedModelWeightCache } from "./resolve";
import { nodeCacheDaemonSetSpec, syncConfigMapSpec, syncJobSpec, syncNetworkPolicySpec } from "./workloads";

/**
 * How one pinned model's weights reach the GPUs of one cluster: `replicate` (an in-cloud bucket filled by a sync
 * Job), `node-cache` (a DaemonSet copying onto node-local NVMe) or `stream` (vLLM's Run:ai streamer reading the
 * origin). Outputs the `WeightSource` VllmServing consumes and the expected monthly egress.
 *
 * Give VllmServing `dependsOn: [cache]` so that it rolls out after the copy (`replicate` waits for the Job).
 */
export class ModelWeightCache extends pulumi.ComponentResource {
  /** What VllmServing loads and how (plain values, known at construction). */
  public readonly weightSource: WeightSource;
  /** Expected monthly egress from the origin and its cost (plain values). */
  public readonly egress: WeightEgressEstimate;
  public readonly strategy: pulumi.Output<string>;
  /** Path or URI vLLM loads (`/models/<model>` or `s3://...`). */
  public readonly modelPath: pulumi.Output<string>;
  /** SHA-256 of the manifest: the revision served. */
  public readonly manifestDigest: pulumi.Output<string>;
  public readonly weightGB: pulumi.Output<number>;
  public readonly monthlyEgressGB: pulumi.Output<number>;
  public readonly monthlyEgressCostUsd: pulumi.Output<number>;
  /** In-cloud bucket of `replicate`; undefined otherwise. */
  public readonly bucketName: pulumi.Output<string | undefined>;

  constructor(name: string, args: ModelWeightCacheArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything, so bad arguments leave nothing behind, not even the component.
    const r = resolveModelWeightCacheArgs(name, args);
    super("switchyard:index:ModelWeightCache", name, {}, opts);

    const bucketName = this.createChildren(name, r);
    this.weightSource = r.weightSource;
    this.egress = r.egress;
    this.strategy = pulumi.output(r.strategy);
    this.modelPath = pulumi.output(r.weightSource.modelPath);
    this.manifestDigest = pulumi.output(r.model.manifestDigest);
    this.weightGB = pulumi.output(r.model.weightGB);
    this.monthlyEgressGB = pulumi.output(r.egress.egressGBPerMonth);
    this.monthlyEgressCostUsd = pulumi.output(r.egress.egressCostPerMonth);
    this.bucketName = bucketName;
    this.registerOutputs({
      weightSource: this.weightSource,
      egress: this.egress,
      strategy: this.strategy,
      modelPath: this.modelPath,
      manifestDigest: this.manifestDigest,
      weightGB: this.weightGB,
      monthlyEgressGB: this.monthlyEgressGB,
      monthlyEgressCostUsd: this.monthlyEgressCostUsd,
      bucketName: this.bucketName,
    });
  }

  private createChildren(name: string, r: ResolvedModelWeightCache): pulumi.Output<string | undefined> {
    const copyTimeout = `${Math.ceil(r.syncTimeoutSeconds / 60)}m`;
    switch (r.strategy) {
      case "stream":
        // vLLM reads the origin itself: nothing to declare.
        return pulumi.output<string | undefined>(undefined);
      case "replicate": {
        const bucket = this.createReplicaBucket(name, r);
        const config = new k8s.core.v1.ConfigMap(`${name}-sync-config`, syncConfigMapSpec(r), { parent: this });
        new k8s.networking.v1.NetworkPolicy(`${name}-sync-netpol`, syncNetworkPolicySpec(r), { parent: this });
        new k8s.batch.v1.Job(`${name}-sync`, syncJobSpec(r), {
          parent: this,
          dependsOn: [config, ...bucket.resources],
          customTimeouts: { create: copyTimeout, update: copyTimeout },
        });
        return bucket.name;
      }
      case "node-cache": {
        const config = new k8s.core.v1.ConfigMap(`${name}-sync-config`, syncConfigMapSpec(r), { parent: this });
        new k8s.networking.v1.NetworkPolicy(`${name}-sync-netpol`, syncNetworkPolicySpec(r), { parent: this });
        new k8s.apps.v1.DaemonSet(`${name}-cache`, nodeCacheDaemonSetSpec(r), {
          parent: this,
          dependsOn: [config],
          customTimeouts: { create: copyTimeout, update: copyTimeout },
        });
        return pulumi.output<string | undefined>(undefined);
      }
    }
  }

  /** The in-cloud bucket, when this component owns it; stateful, so retained on delete. */
  private createReplicaBucket(name: string, r: ResolvedModelWeightCache): { name: pulumi.Output<string | undefined>; resources: pulumi.Resource[] } {
    const replica = r.replica!;
    if (!replica.createsBucket) return { name: pulumi.output<string | undefined>(replica.bucket), resources: [] };
    if (replica.provider === "aws") {
      const key = replica.createsKmsKey
        ? createKmsKey(`${name}-key`, { description: `Switchyard weights replica ${name}`, region: replica.region!, tags: { "switchyard-instance": name }, services: ["s3"] }, this)
        : undefined;
      const options = awsReplicaBucketOptions(r, key ? key.arn : replica.kmsKeyArn!);
      const hardened = createHardenedBucket(`${name}-bucket`, options, this);
      // Server access logs beside it, in its region, like SharedServices' buckets (checkov CKV_AWS_18).
      createAccessLogBucket(`${name}-access-logs`, options.region, [{ logicalName: `${name}-bucket`, bucket: hardened.bucket }], options.tags, this);
      return { name: hardened.bucket.bucket, resources: [hardened.bucket, ...hardened.companions] };
    }
    const bucket = new gcp.storage.Bucket(`${name}-bucket`, gcsReplicaBucketArgs(r), { parent: this, retainOnDelete: true });
    return { name: bucket.name, resources: [bucket] };
  }
}
