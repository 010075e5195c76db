/**
 * The predictive schedule of an autoscaled tier: per hour of the week, the replicas the plan allocates it, requested a
 * boot time before the hour starts and released when it ends. The plan stores it (`PoolTierPlan.schedule`), the stacks
 * hand the same windows to VllmServing (one KEDA `cron` trigger each), and `simulate` holds them (`scheduledReplicas`).
 *
 * Time is UTC and the week starts on Monday: minute of week 0 is Monday 00:00 UTC, and it is hour 0 of the demand
 * profile (step 0 of a series is hour 0, `profileFromSeries`), so a trace or hourly profile must start on a Monday at
 * midnight UTC for the schedule to fall on the hours it was planned for.
 */
import type { PoolPlan, PoolTierPlan, ScheduleWindow } from "./types";

export const MINUTES_PER_WEEK = 10_080;
export const HOURS_PER_WEEK = 168;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * A cyclic per-profile-hour series as 168 hours of the week. Hour w of the week recurs at the profile hours
 * congruent to w modulo gcd(profile hours, 168): one hour for a 24- or 168-hour profile (hour w is profile hour
 * w mod 24, or w), every week of a longer one. A weekly schedule cannot follow a profile that does not repeat weekly,
 * so it takes the least of those hours: it never holds more than the plan allocates at any hour it covers.
 */
export function hoursOfWeek(perProfileHour: readonly number[]): number[] {
  const hours = perProfileHour.length;
  if (hours === 0) return new Array<number>(HOURS_PER_WEEK).fill(0);
  const g = gcd(hours, HOURS_PER_WEEK);
  const least = Array.from({ length: g }, (_, r) => {
    let min = Infinity;
    for (let h = r; h < hours; h += g) min = Math.min(min, perProfileHour[h]!);
    return min;
  });
  return Array.from({ length: HOURS_PER_WEEK }, (_, w) => least[w % g]!);
}

/**
 * Windows from 168 hourly levels: consecutive hours at the same level merge (across the week's end too), hours at or
 * below `floor` (what the tier keeps anyway: its minReplicas) are dropped, and each window opens `leadMinutes` before
 * its first hour and closes when its last hour ends. A window that crosses the week's end has its end before its start
 * (minutes of the week, `endMinuteOfWeek` in 1–10080). Windows may overlap (a rise pre-warms inside the hour before
 * it); what holds is the highest. A lead so long that a window would meet itself leaves it one minute short of the
 * week: such a level is in effect a floor, and the scaler's scale-down window carries it over that minute.
 * Sorted by start, then end.
 */
export function scheduleWindows(levels: readonly number[], leadMinutes: number, floor = 0): ScheduleWindow[] {
  if (levels.length !== HOURS_PER_WEEK) throw new Error(`scheduleWindows: ${levels.length} levels, expected one per hour of the week (168)`);
  const lead = Math.max(0, Math.ceil(leadMinutes));
  const at = levels.map((x) => (x > floor ? x : 0));
  // Start at an hour that differs from the one before it, so no run is cut at the week's end.
  const first = at.findIndex((x, h) => x !== at[(h + HOURS_PER_WEEK - 1) % HOURS_PER_WEEK]);
  if (first < 0) {
    if (at[0] === 0) return [];
    throw new Error(`scheduleWindows: every hour of the week is at ${at[0]}, above the floor ${floor}; that level is the tier's floor (minReplicas), not a schedule`);
  }
  const windows: ScheduleWindow[] = [];
  let h = 0;
  while (h < HOURS_PER_WEEK) {
    const start = (first + h) % HOURS_PER_WEEK;
    const level = at[start]!;
    let length = 1;
    while (h + length < HOURS_PER_WEEK && at[(start + length) % HOURS_PER_WEEK] === level) length++;
    h += length;
    if (level === 0) continue;
    const end = ((start + length) * 60) % MINUTES_PER_WEEK || MINUTES_PER_WEEK;
    const opensBefore = Math.min(lead, MINUTES_PER_WEEK - length * 60 - 1);
    windows.push({ startMinuteOfWeek: (((start * 60 - opensBefore) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK, endMinuteOfWeek: end, minReplicas: level });
  }
  return windows.sort((a, b) => a.startMinuteOfWeek - b.startMinuteOfWeek || a.endMinuteOfWeek - b.endMinuteOfWeek);
}

/**
 * The predictive schedule of one deployed tier of `pool`: for each hour of the week, the replicas the plan allocates
 * the tier that hour (its planned spot or on-demand burst nodes × replicas per node, at most its maxReplicas), ready
 * when the hour starts — requested one boot of the pool earlier (`scaleUpMinutes`, rounded up to whole minutes) — and
 * released when it ends. A fixed tier has none: it runs its nodes around the clock.
 *
 * The level is the plan's own, not a fraction of it. The plan sizes each hour for its busiest step (the profile's
 * quantile) with headroom and a provider's worth of cover, and its cost estimate already pays for those node-hours:
 * the schedule makes the runtime buy what the plan priced, plus one boot of lead per rise. Reacting alone costs less
 * only by not delivering it (on bench/cost's traces: 32–59 % under the plan's estimate, 1.1–5 % of requests missed,
 * the policy short on half the steps or more; at the full level −8 % to +3 % of the estimate, nothing missed; see the
 * planner README). A fraction would be a second dial, hidden in the runtime, for what the spec decides already:
 * `demand.series.quantile` and `policy.headroom` lower the plan's price and its schedule together. Above the schedule
 * the reactive scaler acts as before: its triggers add replicas, and its scale-down window keeps them while load stays,
 * so the end of a window lets go only what the load no longer holds.
 */
export function tierSchedule(pool: Pick<PoolPlan, "schedule" | "replicasPerNode" | "scaleUpMinutes">, tier: Pick<PoolTierPlan, "capacityType" | "fixed" | "minReplicas" | "maxReplicas">): ScheduleWindow[] {
  if (tier.fixed) return [];
  const nodes = tier.capacityType === "spot" ? pool.schedule.spotNodes : pool.schedule.onDemandNodes;
  const replicas = hoursOfWeek(nodes).map((n) => Math.min(tier.maxReplicas, n * pool.replicasPerNode));
  return scheduleWindows(replicas, pool.scaleUpMinutes, tier.minReplicas);
}

/** Whether `window` holds at `minuteOfWeek` (0–10079): from its start, inclusive, to its end, exclusive, across the week's end when it ends before it starts. */
export function windowHolds(window: ScheduleWindow, minuteOfWeek: number): boolean {
  const { startMinuteOfWeek: start, endMinuteOfWeek: end } = window;
  return start < end ? minuteOfWeek >= start && minuteOfWeek < end : minuteOfWeek >= start || minuteOfWeek < end;
}

/**
 * The replicas the schedule holds for a simulation step starting at `minute` (from Monday 00:00 UTC) and lasting
 * `stepMinutes`: the highest level of the windows that hold at any minute of the step, so a window opening inside a
 * step counts from that step, as the runtime's request does from that minute (a step later, its nodes would be ready
 * up to a step after the hour starts). 0 when none holds.
 */
export function scheduledReplicas(windows: readonly ScheduleWindow[], minute: number, stepMinutes = 1): number {
  let most = 0;
  for (const w of windows) {
    if (w.minReplicas <= most) continue;
    for (let m = 0; m < Math.max(1, stepMinutes); m++) {
      if (windowHolds(w, (((minute + m) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK)) {
        most = w.minReplicas;
        break;
      }
    }
  }
  return most;
}
