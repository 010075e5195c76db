/**
 * The fleet plan every stack works from: the fleet spec named in the stack config, planned here. `plan` is
 * pure and deterministic, so each stack computing it from the same spec gets the same plan — no stack has
 * to be deployed before another can read its numbers.
 */
import { resolve } from "node:path";
import { FleetSpecError, PlanInfeasibleError, loadFleetSpec, plan } from "@switchyard/planner";
import type { FleetPlan, FleetSpec } from "@switchyard/planner";
import { StackConfigError } from "./config";
import type { Environment, ProviderEnvironment } from "./config";

export interface Fleet {
  /** `switchyard:fleetSpec`: the spec's path relative to the repository root. */
  specPath: string;
  spec: FleetSpec;
  plan: FleetPlan;
}

/** The repository root: where Pulumi.yaml is, and what stack config paths are relative to. */
export const REPO_ROOT = resolve(__dirname, "..");

export function repoPath(path: string): string {
  return resolve(REPO_ROOT, path);
}

const cache = new Map<string, Fleet>();

/**
 * Loads and plans the fleet spec at `specPath` (relative to the repository root) for `environment`'s stack;
 * memoised per path. A spec that cannot be read, is invalid or has no plan fails as a `switchyard:fleetSpec` error.
 */
export function loadFleet(specPath: string, environment: Environment): Fleet {
  const path = repoPath(specPath);
  let fleet = cache.get(path);
  if (fleet === undefined) {
    try {
      const spec = loadFleetSpec(path);
      fleet = { specPath, spec, plan: plan(spec) };
    } catch (error) {
      if (!(error instanceof FleetSpecError || error instanceof PlanInfeasibleError)) throw error;
      throw new StackConfigError(environment, [
        `switchyard:fleetSpec = ${JSON.stringify(specPath)}: ${error.message}\n    fix: correct the spec, or point the key at another one relative to the repository root (pulumi config set switchyard:fleetSpec <path> -s ${environment})`,
      ]);
    }
    cache.set(path, fleet);
  }
  return fleet;
}

/** The region the fleet spec gives `provider` (the spec is where regions are decided). */
export function providerRegion(fleet: Fleet, provider: ProviderEnvironment): string {
  const entry = fleet.plan.providers.find((p) => p.provider === provider);
  if (entry === undefined) {
    throw new StackConfigError(provider, [`switchyard:fleetSpec ${fleet.specPath} does not enable ${provider}; fix: add it under providers: in the spec, or do not deploy this stack`]);
  }
  return entry.region;
}
