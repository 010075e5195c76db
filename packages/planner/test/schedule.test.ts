import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MINUTES_PER_WEEK, hoursOfWeek, plan, scheduleWindows, scheduledReplicas, simulate, tierSchedule, traceFromSpec } from "../src";
import type { FleetPlan, FleetSpecInput, PoolTierPlan } from "../src";
import { specWith } from "./helpers";

/** 168 hourly levels: `level` at the listed hours of the week, 0 elsewhere. */
const at = (hours: number[], level: number) => Array.from({ length: 168 }, (_, h) => (hours.includes(h) ? level : 0));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe("hoursOfWeek", () => {
  it.each<[string, number[], (w: number) => number]>([
    ["a 24-hour profile repeats every day: hour w is hour w mod 24", range(0, 24), (w) => w % 24],
    ["a 168-hour profile is the week itself", range(0, 168), (w) => w],
    ["a two-week profile takes the lesser week", [...range(0, 168).map(() => 5), ...range(0, 168).map((h) => (h === 9 ? 2 : 7))], (w) => (w === 9 ? 2 : 5)],
    ["a 5-hour profile (coprime to 168) holds its least hour all week", [4, 9, 3, 8, 6], () => 3],
    ["a 48-hour profile folds its two days into each day: the lesser", [...range(0, 24).map(() => 6), ...range(0, 24).map((h) => (h < 12 ? 1 : 9))], (w) => (w % 24 < 12 ? 1 : 6)],
  ])("%s", (_label, profile, expected) => {
    expect(hoursOfWeek(profile)).toEqual(range(0, 168).map(expected));
  });

  it("folds a year-long hourly profile (8760 h, 52 weeks and a day) by hour of day", () => {
    const year = Array.from({ length: 8760 }, (_, h) => 10 + (h % 24) - (h === 8760 - 24 + 7 ? 5 : 0));
    expect(hoursOfWeek(year)).toEqual(range(0, 168).map((w) => 10 + (w % 24) - (w % 24 === 7 ? 5 : 0)));
  });
});

describe("scheduleWindows", () => {
  it("opens a window one boot (rounded up to whole minutes) before its first hour and closes it when its last hour ends", () => {
    // Monday 08:00–18:00 at 5 replicas, a 12.2-minute boot: requested at 07:47.
    expect(scheduleWindows(at(range(8, 18), 5), 12.2)).toEqual([{ startMinuteOfWeek: 467, endMinuteOfWeek: 1080, minReplicas: 5 }]);
  });

  it("merges consecutive hours at one level and splits where the level changes; the rise pre-warms inside the hour before it", () => {
    const levels = at([], 0);
    levels[8] = 5;
    levels[9] = 5;
    levels[10] = 7;
    levels[11] = 2;
    expect(scheduleWindows(levels, 13)).toEqual([
      { startMinuteOfWeek: 467, endMinuteOfWeek: 600, minReplicas: 5 },
      { startMinuteOfWeek: 587, endMinuteOfWeek: 660, minReplicas: 7 },
      { startMinuteOfWeek: 647, endMinuteOfWeek: 720, minReplicas: 2 },
    ]);
  });

  it("wraps around the week's end: Sunday 22:00 to Monday 02:00 is one window that ends before it starts", () => {
    expect(scheduleWindows(at([166, 167, 0, 1], 3), 13)).toEqual([{ startMinuteOfWeek: 166 * 60 - 13, endMinuteOfWeek: 120, minReplicas: 3 }]);
  });

  it("wraps the lead alone: Monday 00:00 requested on Sunday at 23:47, and a run to the week's end ends at 10080", () => {
    expect(scheduleWindows(at([0], 3), 13)).toEqual([{ startMinuteOfWeek: MINUTES_PER_WEEK - 13, endMinuteOfWeek: 60, minReplicas: 3 }]);
    expect(scheduleWindows(at([167], 3), 13)).toEqual([{ startMinuteOfWeek: 167 * 60 - 13, endMinuteOfWeek: MINUTES_PER_WEEK, minReplicas: 3 }]);
  });

  it("drops zeros and levels at or below the floor (the tier's minReplicas holds them anyway)", () => {
    const levels = range(0, 168).map((h) => (h % 24 < 8 ? 0 : h % 24 < 12 ? 4 : 8));
    const windows = scheduleWindows(levels, 10, 4);
    expect(windows).toHaveLength(7);
    expect(windows.every((w) => w.minReplicas === 8)).toBe(true);
    expect(windows[0]).toEqual({ startMinuteOfWeek: 710, endMinuteOfWeek: 1440, minReplicas: 8 });
    expect(scheduleWindows(at([], 0), 10)).toEqual([]);
    expect(scheduleWindows(at(range(0, 168), 4), 10, 4)).toEqual([]);
  });

  it("refuses a level held all week above the floor: that is a floor, not a schedule", () => {
    expect(() => scheduleWindows(at(range(0, 168), 6), 10, 4)).toThrow(/every hour of the week is at 6, above the floor 4/);
    expect(() => scheduleWindows([1, 2, 3], 10)).toThrow(/3 levels, expected one per hour of the week/);
  });

  it("leaves a window one minute short of the week when its lead would meet its own end", () => {
    // 167 hours at 2, a 90-minute boot: the window would start before it ends.
    expect(scheduleWindows(at(range(1, 168), 2), 90)).toEqual([{ startMinuteOfWeek: 1, endMinuteOfWeek: MINUTES_PER_WEEK, minReplicas: 2 }]);
  });

  it("holds at every minute the hour's level, or the next hour's from one boot before it (fast-check)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 168, maxLength: 168 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 2 }), (levels, lead, floor) => {
        const above = levels.map((x) => (x > floor ? x : 0));
        if (above.every((x) => x === above[0]) && above[0]! > 0) return;
        const windows = scheduleWindows(levels, lead, floor);
        for (let m = 0; m < MINUTES_PER_WEEK; m++) {
          const h = Math.floor(m / 60);
          const next = above[(h + 1) % 168]!;
          const expected = Math.max(above[h]!, m >= (h + 1) * 60 - lead ? next : 0);
          if (scheduledReplicas(windows, m) !== expected) throw new Error(`minute ${m}: ${scheduledReplicas(windows, m)} held, expected ${expected}`);
        }
        // Merged: one window per maximal run of equal non-zero hours (around the week's end too).
        const runs = above.filter((x, h) => x > 0 && x !== above[(h + 167) % 168]).length;
        expect(windows).toHaveLength(runs);
      }),
      { numRuns: 150 },
    );
  });
});

describe("scheduledReplicas", () => {
  const windows = [
    { startMinuteOfWeek: 467, endMinuteOfWeek: 1080, minReplicas: 5 },
    { startMinuteOfWeek: 10_067, endMinuteOfWeek: 60, minReplicas: 3 },
  ];
  it.each<[number, number, number]>([
    [466, 1, 0],
    [467, 1, 5],
    [1079, 1, 5],
    [1080, 1, 0],
    // A 5-minute step counts a window that opens inside it: 465–469 holds minute 467.
    [465, 5, 5],
    [460, 5, 0],
    [1075, 5, 5],
    // Across the week's end, and minutes past the first week.
    [10_067, 1, 3],
    [59, 1, 3],
    [60, 1, 0],
    [MINUTES_PER_WEEK + 470, 5, 5],
    [2 * MINUTES_PER_WEEK - 10, 5, 3],
  ])("at minute %i with %i-minute steps: %i", (minute, step, expected) => {
    expect(scheduledReplicas(windows, minute, step)).toBe(expected);
  });
});

describe("tierSchedule", () => {
  const pool = { schedule: { spotNodes: range(0, 24).map((h) => (h >= 8 && h < 20 ? 3 : 1)), onDemandNodes: range(0, 24).map((h) => (h >= 12 && h < 14 ? 2 : 0)) }, replicasPerNode: 4, scaleUpMinutes: 12.2 };
  const tier = (capacityType: PoolTierPlan["capacityType"], fixed: boolean, minReplicas: number, maxReplicas: number) => ({ capacityType, fixed, minReplicas, maxReplicas });

  it("schedules a spot tier from the plan's spot nodes × replicas per node, every day of the week, a boot ahead", () => {
    const windows = tierSchedule(pool, tier("spot", false, 4, 12));
    expect(windows).toHaveLength(7);
    expect(windows.slice(0, 2)).toEqual([
      { startMinuteOfWeek: 8 * 60 - 13, endMinuteOfWeek: 20 * 60, minReplicas: 12 },
      { startMinuteOfWeek: 32 * 60 - 13, endMinuteOfWeek: 44 * 60, minReplicas: 12 },
    ]);
  });

  it("schedules an on-demand tier from the on-demand nodes, at most its maxReplicas", () => {
    expect(tierSchedule(pool, tier("on-demand", false, 0, 6))[0]).toEqual({ startMinuteOfWeek: 12 * 60 - 13, endMinuteOfWeek: 14 * 60, minReplicas: 6 });
  });

  it("gives a fixed tier none: its nodes run around the clock", () => {
    expect(tierSchedule(pool, tier("reserved", true, 8, 8))).toEqual([]);
    expect(tierSchedule(pool, tier("on-demand", true, 8, 8))).toEqual([]);
  });
});

describe("the plan's schedules", () => {
  /** One AWS on-demand pool (p5: 4 replicas of 2 GPUs, 12.2-minute boot), 4 replicas busy until 08:00 and 12 after. */
  const morning = (stepMinutes: number): FleetSpecInput => ({
    ...specWith({ providers: [{ provider: "aws", capacityTypes: ["on-demand"] }], replicas: range(0, 24).map((h) => (h < 8 ? 4 : 12)), policy: { resilience: "none", headroom: 1 } }),
    simulation: { stepMinutes, days: 1 },
  });
  const reactiveOnly = (p: FleetPlan): FleetPlan => ({ ...p, models: p.models.map((m) => ({ ...m, pools: m.pools.map((pool) => ({ ...pool, tiers: pool.tiers.map((t) => ({ ...t, schedule: [] })) })) })) });

  it("carry the plan's hourly level, requested a boot before the hour", () => {
    const pool = plan(morning(5)).models[0]!.pools[0]!;
    expect(pool.scaleUpMinutes).toBe(12.2);
    expect(pool.tiers.map((t) => ({ capacityType: t.capacityType, minReplicas: t.minReplicas, maxReplicas: t.maxReplicas, first: t.schedule[0], windows: t.schedule.length }))).toEqual([
      { capacityType: "on-demand", minReplicas: 4, maxReplicas: 12, first: { startMinuteOfWeek: 467, endMinuteOfWeek: 1440, minReplicas: 12 }, windows: 7 },
    ]);
  });

  it.each([1, 5])("have the rise served when it comes, where reacting alone misses a boot of it (%i-minute steps)", (step) => {
    const spec = morning(step);
    const p = plan(spec);
    const trace = traceFromSpec(spec);
    const [scheduled, reactive] = [simulate(p, trace, {}, { useHostedFallback: false }), simulate(reactiveOnly(p), trace, {}, { useHostedFallback: false })];
    // Reacting alone: 8 more replicas (2 nodes) asked for at 08:00 serve after 12.2 minutes, whole steps: 8 replicas ×
    // 2 GPUs short for that long. With the schedule they were asked for at 07:47 (the 07:45 step at 5-minute steps).
    const late = Math.ceil(12.2 / step) * step;
    expect(reactive.unmet.gpuHours).toBeCloseTo((8 * 2 * late) / 60, 9);
    expect(scheduled.unmet.gpuHours).toBe(0);
    // What it costs: the 2 nodes billed from the window's first step instead of 08:00.
    const early = 480 - Math.floor(467 / step) * step;
    expect(scheduled.cost.onDemand - reactive.cost.onDemand).toBeCloseTo((2 * 55.04 * early) / 60, 6);
  });

  it("hold each hour's planned level from one boot before it to its end, and never more than that hour's or the next's", () => {
    const spec = specWith({
      providers: [
        { provider: "coreweave", capacityTypes: ["reserved", "spot", "on-demand"] },
        { provider: "aws", capacityTypes: ["spot", "on-demand"] },
        { provider: "gcp", capacityTypes: ["spot", "on-demand"] },
      ],
      replicas: [4, 4, 4, 4, 6, 10, 20, 36, 40, 40, 38, 30, 24, 20, 16, 12, 8, 6, 4, 4, 4, 4, 4, 4],
      policy: { maxSpotShare: 0.6 },
    });
    let windows = 0;
    for (const pool of plan(spec).models[0]!.pools) {
      const lead = Math.ceil(pool.scaleUpMinutes);
      expect(lead).toBeLessThan(60);
      for (const t of pool.tiers) {
        windows += t.schedule.length;
        if (t.fixed) {
          expect(t.schedule).toEqual([]);
          continue;
        }
        const nodes = t.capacityType === "spot" ? pool.schedule.spotNodes : pool.schedule.onDemandNodes;
        // What the plan allocates the tier in hour w of the week (a 24-hour profile), when above what it keeps anyway.
        const level = (w: number) => {
          const replicas = Math.min(t.maxReplicas, nodes[(w + 168) % 24]! * pool.replicasPerNode);
          return replicas > t.minReplicas ? replicas : 0;
        };
        const held = (minute: number) => scheduledReplicas(t.schedule, (minute + MINUTES_PER_WEEK) % MINUTES_PER_WEEK);
        for (let w = 0; w < 168; w++) {
          const row = (minute: number, expected: number) => expect(`${t.backend} minute ${minute}: ${held(minute)}`).toBe(`${t.backend} minute ${minute}: ${expected}`);
          row(w * 60, level(w));
          row(w * 60 + 59, Math.max(level(w), level(w + 1)));
          expect(held(w * 60 - lead)).toBeGreaterThanOrEqual(level(w));
          for (let m = 0; m < 60; m++) expect(held(w * 60 + m)).toBeLessThanOrEqual(Math.max(level(w), level(w + 1)));
        }
      }
    }
    expect(windows).toBeGreaterThan(0);
  });
});
