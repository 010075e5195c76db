/** Errors the planner raises on bad input: one error listing every problem, each with a path and a fix. */

/** One problem in a fleet spec. */
export interface SpecIssue {
  /** Dotted path into the spec, e.g. `models[0].serving.gpusPerReplica`. */
  path: string;
  /** What is wrong, with the value received. */
  message: string;
  /** How to fix it. */
  fix: string;
}

/** Thrown by `parseFleetSpec` / `loadFleetSpec` / `plan` for a spec that cannot be planned. */
export class FleetSpecError extends Error {
  readonly issues: readonly SpecIssue[];

  constructor(issues: readonly SpecIssue[], source?: string) {
    const where = source === undefined ? "fleet spec" : `fleet spec ${source}`;
    const lines = issues.map((i) => `  - ${i.path}: ${i.message}; fix: ${i.fix}`);
    super(`invalid ${where} (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`);
    this.name = "FleetSpecError";
    this.issues = issues;
  }
}

/** Thrown when a valid spec has no plan that meets its constraints (e.g. quotas too small for resilience). */
export class PlanInfeasibleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanInfeasibleError";
  }
}

/** `a.b[0].c` from a zod-style path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? "(root)" : out;
}
