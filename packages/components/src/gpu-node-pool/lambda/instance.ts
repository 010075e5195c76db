import * as pulumi from "@pulumi/pulumi";
import { LAMBDA_API_BASE_URL } from "./api";
import { DEFAULT_ACTIVE_TIMEOUT_SECONDS, DEFAULT_CAPACITY_TIMEOUT_SECONDS, LambdaProvider } from "./provider";
import type { LambdaInstanceTimeouts } from "./provider";

/** One Lambda Cloud on-demand instance, launched through the Lambda Cloud API. */
export interface LambdaInstanceArgs {
  /** Lambda Cloud API key; always stored as a secret. No default. */
  apiKey: pulumi.Input<string>;
  /** Lambda instance type, e.g. `gpu_8x_h100_sxm5`. No default. */
  instanceTypeName: pulumi.Input<string>;
  /** Lambda region, e.g. `us-east-1`. No default. */
  regionName: pulumi.Input<string>;
  /** The one SSH key (by name) registered in the Lambda account to install; Lambda takes exactly one. No default. */
  sshKeyName: pulumi.Input<string>;
  /** Instance name shown in the Lambda console. No default. */
  instanceName: pulumi.Input<string>;
  /** cloud-init user data; it carries the cluster join token, so it is always stored as a secret. No default. */
  userData: pulumi.Input<string>;
  /** Lambda file systems to attach (same region); at most one. Defaults to none. */
  fileSystemNames?: pulumi.Input<string[]>;
  /** Lambda Cloud API base URL. Defaults to `https://cloud.lambda.ai/api/v1`. */
  apiBaseUrl?: pulumi.Input<string>;
  /**
   * Time limits, in seconds: `activeSeconds` from launch to `active` with an IP (after which the instance
   * is terminated and the create fails) defaults to 1200; `capacitySeconds` of retrying "insufficient
   * capacity" answers defaults to 1800.
   */
  timeouts?: { activeSeconds?: number; capacitySeconds?: number };
}

let sharedProvider: LambdaProvider | undefined;

/**
 * A Lambda Cloud on-demand instance managed by a Pulumi dynamic provider: create launches it (spacing
 * launches to Lambda's 1 per 12 s and retrying "insufficient capacity") and waits until it is active with
 * an IP; delete terminates it. Lambda cannot change an instance in place, so any change to what the
 * instance is (type, region, SSH key, file systems, user data, name) replaces it.
 */
export class LambdaInstance extends pulumi.dynamic.Resource {
  // `declare`, not `!`: with ES2022 class fields a plain field declaration would reset the Output
  // that pulumi.dynamic.Resource set in super() to undefined.
  /** Lambda instance id. */
  declare public readonly instanceId: pulumi.Output<string>;
  /** Public IPv4 address. */
  declare public readonly ip: pulumi.Output<string>;
  /** Private IPv4 address. */
  declare public readonly privateIp: pulumi.Output<string>;
  /** Lambda status when last read (`active` after a successful create). */
  declare public readonly status: pulumi.Output<string>;

  constructor(name: string, args: LambdaInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    const timeouts = resolveLambdaInstanceTimeouts(name, args.timeouts);
    // One provider object for every instance: Pulumi serializes it once per object.
    sharedProvider ??= new LambdaProvider();
    super(
      sharedProvider,
      name,
      {
        apiKey: pulumi.secret(args.apiKey),
        instanceTypeName: args.instanceTypeName,
        regionName: args.regionName,
        sshKeyName: args.sshKeyName,
        instanceName: args.instanceName,
        userData: pulumi.secret(args.userData),
        fileSystemNames: args.fileSystemNames ?? [],
        apiBaseUrl: args.apiBaseUrl ?? LAMBDA_API_BASE_URL,
        timeouts,
        instanceId: undefined,
        ip: undefined,
        privateIp: undefined,
        status: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["apiKey", "userData"] }),
    );
  }
}

/** Validates the plain time limits and fills their defaults; throws one `InputPropertiesError`. */
export function resolveLambdaInstanceTimeouts(name: string, timeouts: LambdaInstanceArgs["timeouts"]): LambdaInstanceTimeouts {
  const resolved: LambdaInstanceTimeouts = {
    activeSeconds: timeouts?.activeSeconds ?? DEFAULT_ACTIVE_TIMEOUT_SECONDS,
    capacitySeconds: timeouts?.capacitySeconds ?? DEFAULT_CAPACITY_TIMEOUT_SECONDS,
  };
  const errors: { propertyPath: string; reason: string }[] = [];
  for (const key of ["activeSeconds", "capacitySeconds"] as const) {
    const value = resolved[key];
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      errors.push({ propertyPath: `timeouts.${key}`, reason: `timeouts.${key} (${String(value)}) must be a positive number of seconds` });
    }
  }
  if (errors.length > 0) {
    throw new pulumi.InputPropertiesError({
      message: `LambdaInstance "${name}" has ${errors.length} invalid argument${errors.length === 1 ? "" : "s"}:\n${errors.map((e) => `  - ${e.reason}`).join("\n")}`,
      errors,
    });
  }
  return resolved;
}
