/** Spelling distance for "did you mean" suggestions: one implementation for every package. */

/**
 * Levenshtein distance: the fewest single-character insertions, deletions or substitutions that turn
 * `a` into `b`. Case-sensitive; lower-case both sides to compare spellings regardless of case.
 */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The `candidates` spelt closest to `value`, ignoring case: all those at the smallest distance, in
 * candidate order, provided it is at most `maxDistance` edits. Empty when nothing is that close.
 */
export function closestSpellings(value: string, candidates: readonly string[], maxDistance: number): string[] {
  const wanted = value.toLowerCase();
  const scored = candidates
    .map((candidate, index) => ({ candidate, index, distance: editDistance(wanted, candidate.toLowerCase()) }))
    .filter((s) => s.distance <= maxDistance);
  const best = Math.min(...scored.map((s) => s.distance));
  return scored.filter((s) => s.distance === best).sort((x, y) => x.index - y.index).map((s) => s.candidate);
}
