/**
 * The fleet plan every stack works from: the fleet spec named in the stack config, planned here. `plan` is
 * pure and deterministic, so each stack computing it from the same spec gets the same plan — no stack has
 * to be deployed before another can read its numbers.
 */
import { resolve } from "node:path";
import { loadFleetSpec, plan } from "@switchyard/planner";
import type { FleetPlan, FleetSpec } from "@switchyard/planner";

export interface Fleet {
  spec: FleetSpec;
  plan: FleetPlan;
}

/** The repository root: where Pulumi.yaml is, and what stack config paths are relative to. */
export const REPO_ROOT = resolve(__dirname, "..");

export function repoPath(path: string): string {
  return resolve(REPO_ROOT, path);
}

const cache = new Map<string, Fleet>();

/** Loads and plans the fleet spec at `specPath` (relative to the repository root); memoised per path. */
export function loadFleet(specPath: string): Fleet {
  const path = repoPath(specPath);
  let fleet = cache.get(path);
  if (fleet === undefined) {
    const spec = loadFleetSpec(path);
    fleet = { spec, plan: plan(spec) };
    cache.set(path, fleet);
  }
  return fleet;
}

/** The region the fleet spec gives `provider` (the spec is where regions are decided). */
export function providerRegion(fleet: Fleet, provider: FleetPlan["providers"][number]["provider"]): string {
  const entry = fleet.plan.providers.find((p) => p.provider === provider);
  if (entry === undefined) throw new Error(`the fleet spec does not enable ${provider}; add it under providers:`);
  return entry.region;
}
