/** @switchyard/cli — `switchyard plan | cost-diff` (run `pnpm --filter @switchyard/cli switchyard --help`). */
export { CliError, main } from "./main";
export type { Io } from "./main";
export { renderCost, renderPlacement, renderReserved, renderRouting, renderSimulation, renderWeightDistribution } from "./render";
