/**
 * The request guard's resume rules (switchyard_guard.py), run by the pinned LiteLLM venv's Python: what a cut stream
 * is resumed with and where. The real-proxy tests (h) prove the path end to end; these pin the cases the fake
 * backends do not reach (a client's own prefill, hosted backends in the group, token limits).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureLiteLLM } from "./proxy";

const GUARD_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../packages/components/src/litellm-gateway");

/** Calls `switchyard_guard.<fn>(*args)` for every call in one Python process (importing LiteLLM takes seconds). */
function callGuard(python: string, calls: [string, unknown[]][]): unknown[] {
  const script = `import json, sys; sys.path.insert(0, ${JSON.stringify(GUARD_DIR)}); import switchyard_guard as g; print(json.dumps([getattr(g, fn)(*args) for fn, args in json.loads(sys.stdin.read())]))`;
  const result = spawnSync(python, ["-c", script], { input: JSON.stringify(calls), encoding: "utf8", env: { LITELLM_LOCAL_MODEL_COST_MAP: "True", PATH: "/usr/bin:/bin", PYTHONDONTWRITEBYTECODE: "1" } });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout.trim().split("\n").pop()!) as unknown[];
}

const deployment = (id: string, model: string, order: number) => ({ model_info: { id }, litellm_params: { model, order } });

const user = { role: "user", content: "hi" };
const group = [
  deployment("reserved-a", "hosted_vllm/llama", 1),
  deployment("spot-b", "hosted_vllm/llama", 2),
  deployment("burst-c", "hosted_vllm/llama", 3),
  deployment("hosted-d", "openai/gpt-4o-mini", 4),
];
const CALLS: Record<string, [string, unknown[]]> = {
  newMessage: ["resumed_messages", [[user], "part 0 part 1"]],
  clientPrefill: ["resumed_messages", [[user, { role: "assistant", content: "Sure:" }], " one"]],
  tier1Failed: ["resume_target", [group, ["reserved-a"]]],
  tiers1And2Gone: ["resume_target", [group, ["reserved-a", "spot-b"]]],
  onlyHostedLeft: ["resume_target", [group, ["reserved-a", "spot-b", "burst-c"]]],
  bothLimits: ["remaining_token_limits", [{ max_tokens: 50, max_completion_tokens: 40 }, 2]],
  floor: ["remaining_token_limits", [{ max_tokens: 3 }, 5]],
  noLimit: ["remaining_token_limits", [{ temperature: 0.2 }, 5]],
};
let results: Record<string, unknown>;

describe("switchyard_guard resume rules", () => {
  beforeAll(() => {
    const names = Object.keys(CALLS);
    const values = callGuard(path.join(ensureLiteLLM(), "python"), names.map((n) => CALLS[n]!));
    results = Object.fromEntries(names.map((n, i) => [n, values[i]]));
  }, 16 * 60_000);

  it("appends the text so far as the final assistant message, or extends the client's own prefill", () => {
    expect(results.newMessage).toEqual([user, { role: "assistant", content: "part 0 part 1" }]);
    expect(results.clientPrefill).toEqual([user, { role: "assistant", content: "Sure: one" }]);
  });

  it("resumes in the lowest tier with a vLLM backend that neither failed the stream nor is benched, excluding the rest", () => {
    expect(results.tier1Failed).toEqual([2, ["hosted-d", "reserved-a"]]);
    expect(results.tiers1And2Gone).toEqual([3, ["hosted-d", "reserved-a", "spot-b"]]);
    // Only a hosted API left: another model cannot continue this one's text.
    expect(results.onlyHostedLeft).toBeNull();
  });

  it("lowers the client's token limits by the chunks already streamed, never below 1", () => {
    expect(results.bothLimits).toEqual({ max_tokens: 48, max_completion_tokens: 38 });
    expect(results.floor).toEqual({ max_tokens: 1 });
    expect(results.noLimit).toEqual({});
  });
});
