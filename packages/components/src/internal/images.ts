/** Container image references: what counts as valid and what counts as pinned. */

/** `registry[:port]/path[:tag][@sha256:digest]`, the Docker reference grammar without uppercase. */
export const IMAGE_REFERENCE =
  /^(?<repository>[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$/;
/** Tags that move: any tag made of (or containing as a word) one of these floats. */
const FLOATING_TAG_WORD = /(^|[-_.])(latest|nightly|main|master|dev|edge|stable|head|release)([-_.]|$)/i;
/** A pinned tag carries a dotted version: `v0.11.0`, `0.11.0-cu129`, `8552fbc-v0.10.0`. */
const VERSION_IN_TAG = /\d+\.\d+/;

/** Whether an image reference is pinned: an `@sha256:` digest, or a tag carrying a dotted version and no floating word. */
export function isPinnedImage(image: string): boolean {
  const match = IMAGE_REFERENCE.exec(image);
  if (!match?.groups) return false;
  const { tag, digest } = match.groups;
  if (digest) return true;
  return tag !== undefined && VERSION_IN_TAG.test(tag) && !FLOATING_TAG_WORD.test(tag);
}
