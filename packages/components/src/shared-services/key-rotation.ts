/**
 * Scheduled rotation of an access-key reader's keys, done by `pulumi up` itself (no rotation Lambda): time is cut
 * into periods of `rotationDays` since the Unix epoch, and the user holds the keys of the current period and the one
 * before it, in two fixed slots (IAM allows two keys per user). Slot `a` holds even periods, `b` odd ones, so at each
 * new period exactly one slot changes hands: its key, two periods old, is deleted and then replaced (delete before
 * replace keeps the user at two keys), while the other slot's key stays valid for one more period for whoever has
 * not picked up the new one yet. The reader's secret always holds the current slot's key.
 */

export const DEFAULT_KEY_ROTATION_DAYS = 90;
export const MAX_KEY_ROTATION_DAYS = 365;
const MS_PER_DAY = 86_400_000;

export interface AccessKeySlot {
  slot: "a" | "b";
  /** Period number since the epoch whose key the slot holds; a change replaces the key. */
  generation: number;
  /** True for the key the reader's secret publishes. */
  current: boolean;
}

/** The two slots at `now`: the previous period's key first, then the current one. */
export function accessKeySlots(now: Date, rotationDays: number): AccessKeySlot[] {
  const periodMs = rotationDays * MS_PER_DAY;
  const current = Math.floor(now.getTime() / periodMs);
  return [current - 1, current].map((generation) => ({
    slot: generation % 2 === 0 ? "a" : "b",
    generation,
    current: generation === current,
  }));
}
