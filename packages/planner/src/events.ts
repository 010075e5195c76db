/**
 * What happens to the fleet while a trace is replayed: provider outages and spot availability.
 *
 * Spot is modelled per provider as the fraction of the wanted spot capacity the market will give at
 * each step (1 = all, 0 = none). When it falls, spot nodes above the new limit are reclaimed; while it
 * is 0 no spot node can be bought. Two sources: a seeded on/off process with the provider's
 * availability and mean up-run (`seededSpotAvailability`), or a replayed real availability trace
 * (`spotAvailabilityFromTrace`, e.g. skypilot-org/spot-traces under ../shared/data/prices).
 */
import type { Provider } from "@switchyard/catalog";

/** One provider unreachable from `startMinute` for `durationMinutes`: its nodes are lost, none can be bought. */
export interface Outage {
  provider: Provider;
  startMinute: number;
  durationMinutes: number;
}

/** Fraction of wanted spot capacity obtainable, per step of `stepMinutes`; cycled if shorter than the run. */
export interface SpotAvailabilitySeries {
  stepMinutes: number;
  fraction: number[];
}

export interface SimulationEvents {
  outages?: Outage[];
  /** Per provider; a provider without an entry always has spot. */
  spotAvailability?: Partial<Record<Provider, SpotAvailabilitySeries>>;
}

/** Small, fast, seedable PRNG (mulberry32): the same seed gives the same sequence on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function providerSeed(seed: number, provider: Provider): number {
  let h = seed >>> 0;
  for (const ch of provider) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/**
 * Seeded spot availability: per provider an alternating renewal process — up-runs exponential with
 * mean `meanUpHours`, down-runs exponential with mean meanUp·(1−a)/a so the long-run availability is
 * `a` — starting up with probability `a`. Deterministic in (`seed`, provider).
 */
export function seededSpotAvailability(
  spot: Partial<Record<Provider, { availability: number; meanUpHours: number } | null>>,
  horizonMinutes: number,
  stepMinutes: number,
  seed: number,
): Partial<Record<Provider, SpotAvailabilitySeries>> {
  const out: Partial<Record<Provider, SpotAvailabilitySeries>> = {};
  const steps = Math.ceil(horizonMinutes / stepMinutes);
  for (const [provider, behaviour] of Object.entries(spot) as [Provider, { availability: number; meanUpHours: number } | null | undefined][]) {
    if (behaviour === null || behaviour === undefined) continue;
    const rand = mulberry32(providerSeed(seed, provider));
    const upMean = behaviour.meanUpHours * 60;
    const downMean = (upMean * (1 - behaviour.availability)) / behaviour.availability;
    // Up-runs of no length: spot is never obtainable (and the loop below would not advance).
    if (upMean <= 0) {
      out[provider] = { stepMinutes, fraction: new Array<number>(steps).fill(0) };
      continue;
    }
    const fraction = new Array<number>(steps).fill(1);
    let isUp = rand() < behaviour.availability;
    let t = 0;
    while (t < horizonMinutes) {
      const mean = isUp ? upMean : downMean;
      // availability 1 makes the down-runs' mean 0: they last no time (spot never goes away), not the horizon.
      const length = mean <= 0 ? 0 : -Math.log(1 - rand()) * mean;
      const from = Math.floor(t / stepMinutes);
      const to = Math.min(steps, Math.floor((t + length) / stepMinutes));
      if (!isUp) for (let i = from; i < to; i++) fraction[i] = 0;
      t += length;
      isUp = !isUp;
    }
    out[provider] = { stepMinutes, fraction };
  }
  return out;
}

/** The JSON layout of skypilot-org/spot-traces files: ticks of `gap_seconds`, value = instances available. */
export interface SpotTraceFile {
  metadata: { gap_seconds: number };
  data: number[];
}

/**
 * A real availability trace as a fraction series: value / the trace's maximum, sampled at each step's
 * start, starting `offsetHours` into the trace and wrapping around when the run is longer than it.
 */
export function spotAvailabilityFromTrace(trace: SpotTraceFile, stepMinutes: number, horizonMinutes: number, offsetHours = 0): SpotAvailabilitySeries {
  const gapMinutes = trace.metadata.gap_seconds / 60;
  const max = Math.max(1, ...trace.data);
  const span = trace.data.length * gapMinutes;
  const steps = Math.ceil(horizonMinutes / stepMinutes);
  const fraction = Array.from({ length: steps }, (_, i) => {
    const minute = (offsetHours * 60 + i * stepMinutes) % span;
    const v = trace.data[Math.floor(minute / gapMinutes)] ?? 0;
    return Math.max(0, Math.min(1, v / max));
  });
  return { stepMinutes, fraction };
}

/** Fraction of spot obtainable for `provider` at `minute` (1 when no series is given). */
export function spotFractionAt(events: SimulationEvents, provider: Provider, minute: number): number {
  const s = events.spotAvailability?.[provider];
  if (s === undefined || s.fraction.length === 0) return 1;
  return s.fraction[Math.floor(minute / s.stepMinutes) % s.fraction.length]!;
}

/** Whether `provider` is in an outage at `minute`. */
export function isDown(events: SimulationEvents, provider: Provider, minute: number): boolean {
  return (events.outages ?? []).some((o) => o.provider === provider && minute >= o.startMinute && minute < o.startMinute + o.durationMinutes);
}

/**
 * One outage drill per provider: `hours` long, the i-th starting at the profile's busiest hour of day
 * i + 1 (so drills never overlap and each hits peak load).
 */
export function outageDrills(providers: readonly Provider[], peakHourOfDay: number, hours: number): Outage[] {
  return providers.map((provider, i) => ({ provider, startMinute: ((i + 1) * 24 + peakHourOfDay) * 60 - Math.floor((hours * 60) / 2), durationMinutes: hours * 60 }));
}
