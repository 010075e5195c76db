/**
 * A thin, typed layer over the HiGHS LP/MIP solver (the `highs` npm package, HiGHS compiled to
 * WebAssembly): build a model row by row, solve it, read the columns back by index.
 *
 * HiGHS is single-threaded in this build and deterministic for a given model, so the planner stays
 * deterministic. Limits are deterministic too (MIP node counts, never wall-clock time limits).
 */
import highsLoader from "highs";
import type { Highs, ModelData, VariableType } from "highs";

let highsPromise: Promise<Highs> | undefined;

/** The HiGHS runtime, loaded once per process (compiling the wasm takes ~100 ms). */
export function loadSolver(): Promise<Highs> {
  highsPromise ??= highsLoader();
  return highsPromise;
}

/** One decision variable: bounds, objective coefficient, integrality. */
export interface LpVariable {
  name: string;
  cost: number;
  lower: number;
  upper: number;
  integer: boolean;
}

/** One constraint `lower ≤ Σ coef·x ≤ upper` over variables given by index. */
export interface LpRow {
  name: string;
  lower: number;
  upper: number;
  terms: readonly (readonly [index: number, coef: number])[];
}

/** Outcome of a solve: `optimal`, or why there is no usable optimum. */
export type LpStatus = "optimal" | "infeasible" | "unbounded" | "limit" | "error";

export interface LpSolution {
  status: LpStatus;
  /** Objective value; NaN unless status is `optimal` (or `limit` with an incumbent). */
  objective: number;
  /** Primal value per variable, in the order the variables were added. */
  values: Float64Array;
  /** HiGHS's own status text, for error messages. */
  detail: string;
}

/** Options passed to HiGHS (snake_case option names as HiGHS documents them). */
export interface SolveOptions {
  /** Relative MIP gap at which HiGHS stops. Defaults to 0 (prove optimality). */
  mipRelGap?: number;
  /** Deterministic cap on branch-and-bound nodes. Defaults to 100,000. */
  mipMaxNodes?: number;
}

/** Accumulates variables and rows; `solve` hands them to HiGHS as a CSR model. */
export class LpBuilder {
  readonly variables: LpVariable[] = [];
  readonly rows: LpRow[] = [];

  /** Adds a variable and returns its index. */
  addVariable(v: LpVariable): number {
    this.variables.push(v);
    return this.variables.length - 1;
  }

  /** Adds `lower ≤ Σ terms ≤ upper`; drops zero coefficients and merges repeated indices. */
  addRow(name: string, terms: readonly (readonly [number, number])[], lower: number, upper: number): void {
    const merged = new Map<number, number>();
    for (const [index, coef] of terms) {
      if (coef === 0) continue;
      merged.set(index, (merged.get(index) ?? 0) + coef);
    }
    this.rows.push({ name, lower, upper, terms: [...merged.entries()].sort((a, b) => a[0] - b[0]) });
  }

  get hasIntegers(): boolean {
    return this.variables.some((v) => v.integer);
  }

  toModelData(highs: Highs): ModelData {
    const starts: number[] = [0];
    const indices: number[] = [];
    const values: number[] = [];
    for (const row of this.rows) {
      for (const [index, coef] of row.terms) {
        indices.push(index);
        values.push(coef);
      }
      starts.push(indices.length);
    }
    const inf = highs.infinity;
    const clamp = (x: number) => (x === Infinity ? inf : x === -Infinity ? -inf : x);
    const integrality: VariableType[] = this.variables.map((v) =>
      v.integer ? highs.constants.variableType.integer : highs.constants.variableType.continuous,
    );
    return {
      numCols: this.variables.length,
      numRows: this.rows.length,
      sense: highs.constants.objectiveSense.minimize,
      colCost: this.variables.map((v) => v.cost),
      colLower: this.variables.map((v) => clamp(v.lower)),
      colUpper: this.variables.map((v) => clamp(v.upper)),
      rowLower: this.rows.map((r) => clamp(r.lower)),
      rowUpper: this.rows.map((r) => clamp(r.upper)),
      matrix: { format: "csr", numRows: this.rows.length, numCols: this.variables.length, starts, indices, values },
      ...(this.hasIntegers ? { integrality } : {}),
    };
  }

  /** Minimises the objective. Never throws for an infeasible model: read `status`. */
  solve(highs: Highs, options: SolveOptions = {}): LpSolution {
    if (this.variables.length === 0) {
      const feasible = this.rows.every((r) => r.lower <= 1e-9 && r.upper >= -1e-9);
      return { status: feasible ? "optimal" : "infeasible", objective: feasible ? 0 : Number.NaN, values: new Float64Array(0), detail: "no variables" };
    }
    const data = this.toModelData(highs);
    return highs.withModel(data, (model) => {
      model.options.set({
        output_flag: false,
        log_to_console: false,
        mip_rel_gap: options.mipRelGap ?? 0,
        mip_abs_gap: 0,
        mip_max_nodes: options.mipMaxNodes ?? 100_000,
      });
      model.run();
      const code = model.getModelStatus();
      const s = highs.constants.modelStatus;
      const hasPrimal = model.info.get("primal_solution_status") === highs.constants.solutionStatus.feasible;
      let status: LpStatus;
      if (code === s.optimal) status = "optimal";
      else if (code === s.infeasible) status = "infeasible";
      else if (code === s.unbounded || code === s.unboundedOrInfeasible) status = "unbounded";
      else if (hasPrimal && (code === s.solutionLimit || code === s.iterationLimit || code === s.objectiveBound)) status = "limit";
      else status = "error";
      const values = status === "optimal" || status === "limit" ? model.getSolution().colValue : new Float64Array(this.variables.length);
      const objective = status === "optimal" || status === "limit" ? model.getObjectiveValue() : Number.NaN;
      return { status, objective, values, detail: `HiGHS model status ${code}` };
    });
  }
}
