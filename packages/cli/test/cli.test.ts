import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../src/main";

const repoRoot = resolve(__dirname, "..", "..", "..");
const bin = join(repoRoot, "packages", "cli", "bin", "switchyard.mjs");
const example = join(repoRoot, "examples", "fleet.yaml");

function run(args: string[], cwd = repoRoot) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: { ...process.env, INIT_CWD: cwd, SWITCHYARD_DEBUG: "" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noStack = (text: string) => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

/** In-process streams; `msPerTick` advances a fake clock on every reading (0 = time stands still). */
function capture(isTTY = false, msPerTick = 0) {
  let out = "";
  let err = "";
  let clock = 0;
  return {
    io: { stdout: { write: (s: string) => (out += s), isTTY: false }, stderr: { write: (s: string) => (err += s), isTTY }, cwd: repoRoot, now: () => (clock += msPerTick) },
    out: () => out,
    err: () => err,
  };
}

describe("switchyard plan on a malformed spec", () => {
  it("names each bad path with what was received and the fix, exits 2, prints no stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-"));
    const spec = readFileSync(example, "utf8")
      .replace("capacityTypes: [on-demand]                   # Lambda has no spot tier", "capacityTypes: [spot, on-demand]")
      .replace("  headroom: 1.2 ", "  headrom: 1.2 ");
    writeFileSync(join(dir, "fleet.yaml"), spec);
    writeFileSync(join(dir, "demand.csv"), "");
    const r = run(["plan", "--spec", join(dir, "fleet.yaml"), "--no-out"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error: invalid fleet spec \S+fleet\.yaml \(1 problem\):/);
    expect(r.stderr).toContain('policy.headrom: unknown key "headrom"; fix: did you mean "headroom"?');
    noStack(r.stderr);
    // With the key fixed, the catalog check on Lambda's tiers surfaces.
    writeFileSync(join(dir, "fleet.yaml"), spec.replace("  headrom: 1.2 ", "  headroom: 1.2 "));
    const r2 = run(["plan", "--spec", join(dir, "fleet.yaml"), "--no-out"]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('providers[1].capacityTypes[0]: "spot": Lambda sells on-demand only');
    expect(r2.stderr).toContain("fix: use only on-demand for lambda");
    noStack(r2.stderr);
  });

  it("reports YAML syntax errors, missing files and missing demand files the same way", () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-"));
    writeFileSync(join(dir, "bad.yaml"), "name: x\nproviders: [aws\n");
    const syntax = run(["plan", "--spec", join(dir, "bad.yaml"), "--no-out"]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/\(file\): is not valid YAML\/JSON: .*; fix: fix the syntax/);
    noStack(syntax.stderr);

    const missing = run(["plan", "--spec", join(dir, "nope.yaml"), "--no-out"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no fleet spec at .*nope\.yaml; pass one with --spec/);

    writeFileSync(join(dir, "fleet.yaml"), readFileSync(example, "utf8"));
    const noDemand = run(["plan", "--spec", join(dir, "fleet.yaml"), "--no-out"]);
    expect(noDemand.code).toBe(2);
    expect(noDemand.stderr).toMatch(/models\[0\]\.demand\.hourly\.file: "demand\/chat-hourly\.csv" does not exist .*; fix: point it at a CSV with columns hour,requests_per_s/);
    noStack(noDemand.stderr);
  });
});

describe("switchyard plan on the example fleet", () => {
  it("prints the plan as JSON with --json", () => {
    const r = run(["plan", "--json", "--no-out"]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.kind).toBe("switchyard.fleet-plan");
    expect(plan.models.map((m: any) => m.name)).toEqual(["llama-70b", "llama-8b"]);
    expect(plan.backends.every((b: any) => /^(coreweave|lambda|aws|gcp)-llama-(70b|8b)-(reserved|spot|on-demand)$|^hosted-/.test(b.name))).toBe(true);
  });

  it("prints the tables and the drill, writes plan.json, and shows progress only on a terminal", async () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-"));
    const quiet = capture(false);
    expect(await main(["plan", "--out", join(dir, "out", "plan.json"), "--days", "3"], quiet.io)).toBe(0);
    for (const title of ["Placement (per provider × model)", "Routing (LiteLLM weight and order)", "Weight distribution", "Monthly cost vs single-cloud baseline", "Resilience drill", "savings vs autoscaled"]) {
      expect(quiet.out()).toContain(title);
    }
    expect(quiet.err()).toBe("");
    expect(JSON.parse(readFileSync(join(dir, "out", "plan.json"), "utf8")).specName).toBe("switchyard-example");

    // On a terminal, a simulation that runs long (here: a clock moving 100 ms per reading) shows a
    // progress line on stderr and clears it; a quick one (a clock standing still) shows nothing.
    const slow = capture(true, 100);
    expect(await main(["plan", "--no-out", "--days", "1"], slow.io)).toBe(0);
    expect(slow.err()).toMatch(/^\rsimulating 1 days: \d+%/);
    expect(slow.err().endsWith("\rsimulating 1 days: 100%\r\u001b[K")).toBe(true);
    expect(slow.out()).not.toContain("simulating");
    const quick = capture(true, 0);
    expect(await main(["plan", "--no-out", "--days", "1"], quick.io)).toBe(0);
    expect(quick.err()).toBe("");
  });

  it("plans a --history at the --confidence given, cost included, and says what it was sized and calibrated by", async () => {
    // The example history: 14 days of llama-70b, so week 2 is held out.
    const history = ["--history", "examples/demand/history.csv", "--no-out", "--no-simulate"];
    const byCost = capture();
    expect(await main(["plan", ...history, "--confidence", "cost"], byCost.io)).toBe(0);
    expect(byCost.out()).toMatch(
      /│ llama-70b +│ 14 days × 5 min +│ [\d.]+% by cost \(GPU \$[\d.]+ vs hosted \$[\d.]+ per replica-hour[^)]*\), 7 days +│ none \(< 21 days\) +│ ×[\d.]+ \(least held-out cost\) +│ [\d.]+% → [\d.]+% of [\d,]+ steps/,
    );
    // A stated confidence is calibrated to the share of held-out steps it covers.
    const stated = capture();
    expect(await main(["plan", ...history, "--confidence", "0.8"], stated.io)).toBe(0);
    expect(stated.out()).toMatch(/│ 80\.0%, 7 days +│ none \(< 21 days\) +│ ×[\d.]+ +│ [\d.]+% → [\d.]+% of [\d,]+ steps/);
  });

  it("refuses a --confidence it cannot use, naming the fix", () => {
    for (const [args, message] of [
      [["--history", "examples/demand/history.csv", "--confidence", "1.5"], /--confidence must be a number between 0 and 1 \(e\.g\. 0\.95\) or cost, got "1\.5"/],
      [["--confidence", "cost"], /--confidence sets the forecast of a --history; pass --history <file> too/],
    ] as const) {
      const r = run(["plan", "--no-out", "--no-simulate", ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
      noStack(r.stderr);
    }
    // llama-8b has no hosted fallback to weigh its GPUs against.
    const dir = mkdtempSync(join(tmpdir(), "switchyard-"));
    writeFileSync(join(dir, "h.csv"), "timestamp,model,requests,input_tokens,output_tokens\n2026-11-02T00:00:00Z,llama-8b,10,1000,100\n2026-11-02T00:05:00Z,llama-8b,10,1000,100\n");
    const r = run(["plan", "--no-out", "--no-simulate", "--history", join(dir, "h.csv"), "--confidence", "cost"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--confidence: is cost, but llama-8b has no hostedFallback to weigh its GPUs against.*give llama-8b a hostedFallback in the spec, or pass a confidence, e\.g\. --confidence 0\.95/s);
    noStack(r.stderr);
  });

  it("cost-diff prints a Markdown table and rejects files that are not plans", () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-"));
    expect(run(["plan", "--no-simulate", "--out", join(dir, "base.json")]).code).toBe(0);
    const head = JSON.parse(readFileSync(join(dir, "base.json"), "utf8"));
    head.cost.total += 1000;
    head.specName = "head";
    writeFileSync(join(dir, "head.json"), JSON.stringify(head));
    const r = run(["cost-diff", join(dir, "base.json"), join(dir, "head.json")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("| | base | head | Δ |");
    expect(r.stdout).toMatch(/\| \*\*total \/ month\*\* \| \$[\d,.]+ \| \$[\d,.]+ \| \+\$1,000\.00 \(\+0\.\d%\) \|/);

    writeFileSync(join(dir, "other.json"), JSON.stringify({ hello: 1 }));
    const bad = run(["cost-diff", join(dir, "base.json"), join(dir, "other.json")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/other\.json is not a Switchyard plan .*; write one with: switchyard plan --out/);
    noStack(bad.stderr);
  });
});

describe("switchyard's command-line habits", () => {
  it("prints its package's version", () => {
    const version = (JSON.parse(readFileSync(join(repoRoot, "packages", "cli", "package.json"), "utf8")) as { version: string }).version;
    const r = run(["--version"]);
    expect([r.code, r.stdout.trim()]).toEqual([0, version]);
  });

  it("resolves a relative --spec against the caller's directory when run through scripts/dev.sh", () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-caller-"));
    const spec = readFileSync(example, "utf8").replace(/file: demand\//g, `file: ${join(repoRoot, "examples", "demand")}/`);
    writeFileSync(join(dir, "my-fleet.yaml"), spec);
    const r = spawnSync("bash", [join(repoRoot, "scripts", "dev.sh"), "switchyard", "plan", "--spec", "my-fleet.yaml", "--json", "--no-out", "--no-simulate"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, SWITCHYARD_CWD: "", INIT_CWD: "" },
    });
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { specName: string }).specName).toBe("switchyard-example");
  }, 120_000);
});
