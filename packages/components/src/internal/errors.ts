import * as pulumi from "@pulumi/pulumi";

/** One bad argument: where it is, what was received, and what to do instead. */
export interface ArgProblem {
  /** Dotted path of the argument, e.g. `aws.instanceTypes[1]`. */
  property: string;
  received: unknown;
  /** What is wrong and what is allowed, phrased to follow the value: `must be ≤ maxNodes (2)`. */
  reason: string;
}

/**
 * Collects every problem with a component's arguments so that the user sees all of them at once,
 * then throws a single `pulumi.InputPropertiesError` (which the Pulumi engine pretty-prints).
 */
export class ArgChecks {
  private readonly problems: ArgProblem[] = [];

  constructor(
    private readonly component: string,
    private readonly name: string,
  ) {}

  add(property: string, received: unknown, reason: string): void {
    this.problems.push({ property, received, reason });
  }

  /** Records a problem when `ok` is false; returns `ok` so callers can skip dependent checks. */
  check(ok: boolean, property: string, received: unknown, reason: string): boolean {
    if (!ok) this.add(property, received, reason);
    return ok;
  }

  get count(): number {
    return this.problems.length;
  }

  /** The problems found so far, for callers that merge them into another component's checks. */
  get found(): readonly ArgProblem[] {
    return this.problems;
  }

  throwIfAny(): void {
    if (this.problems.length === 0) return;
    const lines = this.problems.map((p) => `  - ${describeProblem(p)}`);
    throw new pulumi.InputPropertiesError({
      message: `${this.component} "${this.name}" has ${this.problems.length} invalid argument${this.problems.length === 1 ? "" : "s"}:\n${lines.join("\n")}`,
      errors: this.problems.map((p) => ({ propertyPath: p.property, reason: describeProblem(p) })),
    });
  }
}

export function describeProblem(p: ArgProblem): string {
  return p.received === undefined ? `${p.property} ${p.reason}` : `${p.property} (${formatReceived(p.received)}) ${p.reason}`;
}

/** Short, single-line rendering of a received value for error messages. */
export function formatReceived(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || typeof value !== "object") return String(value);
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** "a, b or c" for error messages. */
export function oneOf(values: readonly (string | number)[]): string {
  const shown = values.map((v) => (typeof v === "string" ? `"${v}"` : String(v)));
  if (shown.length <= 1) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} or ${shown[shown.length - 1]}`;
}

/** Pulumi inputs that may still be unknown are only validated when they are plain values now. */
export function isKnown<T>(value: pulumi.Input<T> | undefined): value is T {
  return value !== undefined && !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}
