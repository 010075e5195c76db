/**
 * Ready-made inputs for `simulate` and `lowerBound`: the spec's own demand as a trace, and the
 * standard drill — seeded spot behaviour plus a 6-hour outage of each provider in turn.
 */
import type { Provider } from "@switchyard/catalog";
import { cycleSeries, seriesFromHourly } from "./demand";
import { outageDrills, seededSpotAvailability } from "./events";
import type { SimulationEvents } from "./events";
import { resolveFleet } from "./resolve";
import type { DemandTrace } from "./simulate";
import { parseFleetSpec } from "./spec";
import type { FleetSpec, FleetSpecInput } from "./spec";
import type { FleetPlan } from "./types";

/**
 * The spec's demand over `days` at the simulation step: an hourly profile repeated, or a series
 * (already resampled to the step) repeated or cut to length.
 */
export function traceFromSpec(input: FleetSpecInput | FleetSpec, days?: number): DemandTrace {
  const spec = parseFleetSpec(input);
  const fleet = resolveFleet(spec);
  const step = spec.simulation.stepMinutes;
  const steps = Math.round(((days ?? spec.simulation.days) * 24 * 60) / step);
  const models: DemandTrace["models"] = {};
  for (const m of fleet.models) {
    const s = m.hourly !== undefined ? seriesFromHourly(m.hourly, step, steps) : cycleSeries(m.series!, steps);
    models[m.name] = { requests: s.requests, inputTokens: s.inputTokens, outputTokens: s.outputTokens };
  }
  return { stepMinutes: step, models };
}

/** Providers that hold capacity for any model in the plan. */
export function providersInUse(plan: FleetPlan): Provider[] {
  return plan.providers.map((p) => p.provider).filter((p) => plan.models.some((m) => m.pools.some((pool) => pool.provider === p && pool.autoscaler.maxNodes > 0)));
}

/** The hour of day with the most demand across models (replicas), for placing outage drills. */
export function peakHourOfDay(plan: FleetPlan): number {
  const byHour = new Array<number>(24).fill(0);
  for (const m of plan.models) m.profile.demandReplicas.forEach((d, h) => (byHour[h % 24] = byHour[h % 24]! + d / Math.ceil(m.profile.hours / 24)));
  return byHour.reduce((best, x, h) => (x > byHour[best]! ? h : best), 0);
}

export interface DrillOptions {
  /** Seed for the spot process; defaults to the plan's simulation seed. */
  seed?: number;
  /** Outage length; defaults to the plan's `simulation.outageHours`. */
  outageHours?: number;
  /** Include one outage per provider in use. Defaults to true. */
  outages?: boolean;
}

/**
 * Seeded spot availability for every provider with spot, and (by default) one outage per provider in
 * use: provider i is down for `outageHours` centred on the peak hour of day i + 1.
 */
export function drillEvents(plan: FleetPlan, horizonMinutes: number, stepMinutes: number, options: DrillOptions = {}): SimulationEvents {
  const spot = Object.fromEntries(plan.providers.map((p) => [p.provider, p.spot])) as Partial<Record<Provider, { availability: number; meanUpHours: number } | null>>;
  const hours = options.outageHours ?? plan.policy.simulation.outageHours;
  const outages = options.outages === false ? [] : outageDrills(providersInUse(plan), peakHourOfDay(plan), hours).filter((o) => o.startMinute + o.durationMinutes <= horizonMinutes);
  return {
    outages,
    spotAvailability: seededSpotAvailability(spot, horizonMinutes, stepMinutes, options.seed ?? plan.policy.simulation.seed),
  };
}
