/** The pull-request preview workflow users run: valid, and every name in it points at something real. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "@switchyard/cli/src/main";
import { ENVIRONMENTS } from "@switchyard/environments/config";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const text = readFileSync(join(ROOT, ".github", "workflows", "preview.yml"), "utf8");
interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
const workflow = parse(text) as {
  on: { pull_request: unknown };
  permissions: Record<string, string>;
  jobs: Record<string, { permissions?: Record<string, string>; strategy?: { matrix: { environment: string[] } }; steps: Step[] }>;
};
const rootScripts = Object.keys((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);
const runs = Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.run ?? "")).join("\n");

async function cliHelp(): Promise<string> {
  let out = "";
  await main(["--help"], { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (out += t) }, cwd: ROOT });
  return out;
}

describe(".github/workflows/preview.yml", () => {
  it("runs on pull requests and grants permissions per job: OIDC only to the preview, no write access where the PR's code runs", () => {
    expect(workflow.on.pull_request).toBeDefined();
    expect(workflow.permissions).toEqual({});
    expect(Object.fromEntries(Object.entries(workflow.jobs).map(([name, job]) => [name, job.permissions]))).toEqual({
      preview: { contents: "read", "pull-requests": "write", "id-token": "write" },
      "render-diff": { contents: "read" },
      comment: { "pull-requests": "write" },
    });
    // The job that may write to the pull request runs nothing from it: no checkout, no run step.
    expect(workflow.jobs["comment"]!.steps.every((step) => step.run === undefined && !step.uses?.startsWith("actions/checkout@"))).toBe(true);
  });

  it("pins every action to a full commit SHA with its tag in a comment, and keeps no checkout token on disk", () => {
    const uses = text.split("\n").filter((line) => /^\s*(- )?uses:/.test(line));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line, line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    const checkouts = Object.values(workflow.jobs).flatMap((job) => job.steps.filter((step) => step.uses?.startsWith("actions/checkout@")));
    expect(checkouts.length).toBe(2);
    for (const checkout of checkouts) expect(checkout.with?.["persist-credentials"]).toBe(false);
  });

  it("previews exactly the fleet's environments, each with a committed stack config", () => {
    const environments = workflow.jobs["preview"]!.strategy!.matrix.environment;
    expect([...environments].sort()).toEqual([...ENVIRONMENTS].sort());
    for (const env of environments) expect(existsSync(join(ROOT, "environments", `Pulumi.${env}.yaml`)), env).toBe(true);
    const pulumi = workflow.jobs["preview"]!.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
    expect(pulumi.with).toMatchObject({ command: "preview", diff: true, "comment-on-pr": true });
    expect(String(pulumi.with!["stack-name"])).toMatch(/\/switchyard\/\$\{\{ matrix\.environment \}\}$/);
  });

  it("calls only root scripts that exist, CLI commands that exist, and files in the repository", async () => {
    const scripts = [...runs.matchAll(/bash scripts\/dev\.sh (?:--silent )?([a-z:-]+)/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(rootScripts, s).toContain(s);
    const help = await cliHelp();
    const commands = [...runs.matchAll(/switchyard ([a-z-]+)/g)].map((m) => m[1]!);
    expect(new Set(commands)).toEqual(new Set(["render", "plan", "cost-diff"]));
    for (const c of commands) expect(help, c).toMatch(new RegExp(`^\\s+${c}\\b`, "m"));
    for (const spec of runs.matchAll(/--spec (\S+)/g)) expect(existsSync(join(ROOT, spec[1]!)), spec[1]).toBe(true);
  });
});
