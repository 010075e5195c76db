/**
 * The fleet program: `pulumi up -s <environment>` runs the environment named by the stack. Configuration
 * is read and validated first; a bad key fails here, before any resource is registered.
 */
import { awsEnvironment } from "./aws";
import { ENVIRONMENTS, isEnvironment, readStackConfig } from "./config";
import { coreweave } from "./coreweave";
import { loadFleet } from "./fleet";
import { gcpEnvironment } from "./gcp";
import { lambda } from "./lambda";
import type { ProviderStackOutputs } from "./provider-stack";
import type { SharedStackOutputs } from "./shared";
import { shared } from "./shared";

export type StackOutputs = ProviderStackOutputs | SharedStackOutputs;

/** The environment a stack name selects: its last path segment (`acme/switchyard/coreweave` → `coreweave`). */
export function environmentOf(stack: string): string {
  return stack.split("/").pop() ?? stack;
}

export async function runEnvironment(stack: string): Promise<StackOutputs> {
  const environment = environmentOf(stack);
  if (!isEnvironment(environment)) {
    throw new Error(`stack "${stack}" is not an environment of this project; fix: use one of ${ENVIRONMENTS.join(", ")} (pulumi stack select <name>)`);
  }
  switch (environment) {
    case "coreweave": {
      const config = readStackConfig("coreweave");
      return coreweave(config, loadFleet(config.fleetSpec, environment));
    }
    case "lambda": {
      const config = readStackConfig("lambda");
      return lambda(config, loadFleet(config.fleetSpec, environment));
    }
    case "aws": {
      const config = readStackConfig("aws");
      return awsEnvironment(config, loadFleet(config.fleetSpec, environment));
    }
    case "gcp": {
      const config = readStackConfig("gcp");
      return gcpEnvironment(config, loadFleet(config.fleetSpec, environment));
    }
    case "shared": {
      const config = readStackConfig("shared");
      return shared(config, loadFleet(config.fleetSpec, environment));
    }
  }
}
