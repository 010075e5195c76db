/**
 * Container images Switchyard deploys by default or in its environments, each pinned by its version tag and, where
 * known, by the digest its registry publishes for that tag (the multi-platform index digest). A digest-pinned
 * reference (`repository:tag@sha256:…`) pulls exactly the bytes that were reviewed even if the tag is moved; the tag
 * stays beside it so people and Renovate can read the version.
 *
 * Updating one (README "Security" → "Image digests"): read the new tag's index digest from the registry with
 * `crane digest <repository>:<tag>` or `docker buildx imagetools inspect <repository>:<tag>` (the `Digest:` line),
 * change `tag` and `digest` here together, then run `pnpm test test/docs/images.test.ts`: it fails until every
 * environment, example and sample uses the new reference.
 */

/** One pinned image. */
export interface PinnedImage {
  /** `registry/path` without tag or digest. */
  readonly repository: string;
  readonly tag: string;
  /** `sha256:<64 hex>` of the tag's image index, or undefined where it has not been read from the registry yet. */
  readonly digest: `sha256:${string}` | undefined;
}

/**
 * The images. This build cannot reach the registries: each digest here is the one several independent public
 * deployments pin for the same tag (they agree), to be confirmed with the command above on the first machine that can
 * reach the registry. No digest was found for LiteLLM's `main-v1.106.2-stable`, so the gateway stays tag-pinned (an
 * open, named waiver of checkov CKV_K8S_43 in security/scanner-policy.yaml).
 */
export const IMAGES = {
  /** vLLM's OpenAI-compatible server (VllmServing). */
  vllm: { repository: "vllm/vllm-openai", tag: "v0.11.0", digest: "sha256:014a95f21c9edf6abe0aea6b07353f96baa4ec291c427bb1176dc7c93a85845c" },
  /** LiteLLM proxy, the non-root variant (LiteLLMGatewayConfig's gateway Deployment). */
  litellm: { repository: "ghcr.io/berriai/litellm-non_root", tag: "main-v1.106.2-stable", digest: undefined },
  /** rclone, the weight copies' sync tool (ModelWeightCache). */
  rclone: { repository: "rclone/rclone", tag: "1.68.2", digest: "sha256:74c51b8817e5431bd6d7ed27cb2a50d8ee78d77f6807b72a41ef6f898845942b" },
  /** The node-cache DaemonSet's idle container (ModelWeightCache). */
  pause: { repository: "registry.k8s.io/pause", tag: "3.10", digest: "sha256:ee6521f290b2168b6e0935a181d4cff9be1ac3f505666ef0e3c98fae8199917a" },
} as const satisfies Record<string, PinnedImage>;

/** `repository:tag@digest`, or `repository:tag` where no digest is recorded. */
export function imageReference(image: PinnedImage): string {
  return `${image.repository}:${image.tag}${image.digest === undefined ? "" : `@${image.digest}`}`;
}
