/**
 * One pin per image (issue 17): every reference to a catalog image in what Switchyard deploys or documents (the
 * environments' stack configs, the examples, the security scan's optional paths, the READMEs, the packaging and
 * provider consumers) and the components' defaults is exactly the catalog's `repository:tag@digest`. Moving a tag or
 * a digest in packages/catalog/src/images.ts fails here until every use follows it.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { IMAGES, imageReference } from "@switchyard/catalog";
import { DEFAULT_SYNC_IMAGE, PAUSE_IMAGE } from "@switchyard/components/src/model-weight-cache/resolve";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");

function files(dir: string, extensions: string[]): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && extensions.some((x) => e.name.endsWith(x)) && !e.parentPath.includes("node_modules"))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** Where deployed or documented image references live. Unit-test fixtures are left out: they test tag-only input. */
const USES = [
  ...files("environments", [".yaml"]),
  ...files("examples", [".ts", ".yaml"]),
  ...files("security/optional-paths", [".ts"]),
  ...files("packages", ["README.md"]),
  "README.md",
  "test/docs/readme-samples.test.ts",
  "test/packaging/consumer/index.ts",
  "test/provider/preview.py",
];

/** Every `<repository>:<tag>[@sha256:…]` of a catalog repository in a text. */
function referencesTo(repository: string, text: string): string[] {
  const escaped = repository.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return [...text.matchAll(new RegExp(`${escaped}:[A-Za-z0-9_.-]+(?:@sha256:[a-f0-9]{64})?`, "g"))].map((m) => m[0]);
}

describe("container images: one pin in the catalog", () => {
  it("every digest recorded is a sha256 of 64 hex digits, and only LiteLLM's is still missing", () => {
    for (const image of Object.values(IMAGES)) if (image.digest !== undefined) expect(image.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(Object.entries(IMAGES).filter(([, image]) => image.digest === undefined).map(([name]) => name)).toEqual(["litellm"]);
  });

  it.each(Object.entries(IMAGES))("%s: every use in environments, examples, READMEs and consumers is the catalog reference", (_name, image) => {
    const expected = imageReference(image);
    const uses = USES.flatMap((file) => referencesTo(image.repository, readFileSync(join(ROOT, file), "utf8")).map((ref) => ({ file, ref })));
    expect(uses.filter((u) => u.ref !== expected)).toEqual([]);
  });

  it("the deployed environments and examples use vLLM and LiteLLM through the catalog's pins", () => {
    const deployed = USES.filter((f) => f.startsWith("environments/") || f.startsWith("examples/")).map((f) => readFileSync(join(ROOT, f), "utf8")).join("\n");
    expect(referencesTo(IMAGES.vllm.repository, deployed).length).toBeGreaterThanOrEqual(7);
    expect(referencesTo(IMAGES.litellm.repository, deployed).length).toBeGreaterThanOrEqual(4);
  });

  it("ModelWeightCache's rclone and pause defaults are the catalog's digest-pinned references", () => {
    expect(DEFAULT_SYNC_IMAGE).toBe("rclone/rclone:1.68.2@sha256:74c51b8817e5431bd6d7ed27cb2a50d8ee78d77f6807b72a41ef6f898845942b");
    expect(PAUSE_IMAGE).toBe("registry.k8s.io/pause:3.10@sha256:ee6521f290b2168b6e0935a181d4cff9be1ac3f505666ef0e3c98fae8199917a");
  });
});
