/**
 * @switchyard/components — Pulumi components for running LLM inference across GPU clouds.
 * Every component registers under `switchyard:index:<Class>`.
 */
export type { Backend, Placement, Taint, TaintEffect, Toleration, WeightSource } from "./contracts";
export * from "./gpu-node-pool";
export { ArgChecks } from "./internal/errors";
export type { ArgProblem } from "./internal/errors";
export { GPU_TAINT_KEY, POOL_LABEL } from "./internal/labels";
