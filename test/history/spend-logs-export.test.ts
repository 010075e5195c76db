/**
 * The demand-history export the planner README documents runs against a real PostgreSQL (Debian's, from
 * scripts/postgresql.sh) holding LiteLLM's `LiteLLM_SpendLogs` table: the README's own `psql` line writes the CSV,
 * `parseHistoryCsv` reads back exactly the requests and tokens inserted per model and minute, and
 * `switchyard plan --history` plans from it.
 */
import { spawnSync } from "node:child_process";
import { chownSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseHistoryCsv } from "@switchyard/planner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const README = join(ROOT, "packages", "planner", "README.md");
const asRoot = process.getuid?.() === 0;

/** The columns of LiteLLM's schema.prisma the export reads, as LiteLLM's migrations create them, and a few others. */
const SPEND_LOGS = `CREATE TABLE "LiteLLM_SpendLogs" (
  request_id text NOT NULL PRIMARY KEY,
  call_type text NOT NULL,
  api_key text DEFAULT ''::text NOT NULL,
  spend double precision DEFAULT 0.0 NOT NULL,
  total_tokens integer DEFAULT 0 NOT NULL,
  prompt_tokens integer DEFAULT 0 NOT NULL,
  completion_tokens integer DEFAULT 0 NOT NULL,
  "startTime" timestamp(3) without time zone NOT NULL,
  "endTime" timestamp(3) without time zone NOT NULL,
  model text DEFAULT ''::text NOT NULL,
  model_group text DEFAULT ''::text
);`;

/**
 * Three days of requests, one every 20 seconds from a whole minute three days ago (UTC, as LiteLLM writes
 * "startTime"): every fourth to llama-8b, the rest to llama-70b, tokens varying with the request; one row 40 days old
 * (outside the export's 28 days), and one with no model group (LiteLLM's health checks), both left out.
 */
const ROWS = 3 * 24 * 180;
const INSERT = `INSERT INTO "LiteLLM_SpendLogs" (request_id, call_type, prompt_tokens, completion_tokens, "startTime", "endTime", model_group)
  SELECT 'r' || g, 'acompletion', 1000 + g % 7, 200 + g % 3, t, t + interval '2 seconds', CASE WHEN g % 4 = 0 THEN 'llama-8b' ELSE 'llama-70b' END
  FROM generate_series(0, ${ROWS - 1}) g, LATERAL (SELECT date_trunc('minute', now() at time zone 'utc') - interval '3 days' + g * interval '20 seconds' AS t) s;
INSERT INTO "LiteLLM_SpendLogs" (request_id, call_type, "startTime", "endTime", model_group) VALUES
  ('old', 'acompletion', now() at time zone 'utc' - interval '40 days', now() at time zone 'utc' - interval '40 days', 'llama-70b'),
  ('health', 'acompletion', now() at time zone 'utc', now() at time zone 'utc', '');`;

describe("exporting demand history from LiteLLM's spend logs in PostgreSQL", () => {
  let dir: string;
  let bin: string;
  let socketDir: string;
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  /** Runs a PostgreSQL program as the postgres user when the tests run as root (initdb refuses root). */
  const pg = (program: string, args: string[], cwd = dir) => {
    const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", join(bin, program), ...args]] : [join(bin, program), args];
    const r = spawnSync(cmd, argv, { cwd, encoding: "utf8", timeout: 120_000 });
    if (r.status !== 0) throw new Error(`${program} ${args.join(" ")} failed (${r.status}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const url = () => `postgresql://postgres@/postgres?host=${socketDir}&port=${port}`;

  beforeAll(() => {
    const installed = spawnSync("bash", [join(ROOT, "scripts", "postgresql.sh")], { encoding: "utf8", timeout: 10 * 60_000 });
    if (installed.status !== 0) throw new Error(`scripts/postgresql.sh could not provide PostgreSQL:\n${installed.stderr}`);
    bin = installed.stdout.trim();
    dir = mkdtempSync(join(tmpdir(), "switchyard-spend-logs-"));
    socketDir = dir;
    if (asRoot) {
      const postgres = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
      const group = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
      chownSync(dir, Number(postgres.stdout.trim()), Number(group.stdout.trim()));
    }
    pg("initdb", ["-D", join(dir, "data"), "-A", "trust", "-U", "postgres", "--no-sync"]);
    pg("pg_ctl", ["-D", join(dir, "data"), "-w", "-l", join(dir, "server.log"), "-o", `-k ${socketDir} -p ${port} -c listen_addresses= -c fsync=off -c TimeZone=UTC`, "start"]);
    pg("psql", [url(), "-v", "ON_ERROR_STOP=1", "-q", "-c", SPEND_LOGS, "-c", INSERT]);
  }, 12 * 60_000);

  afterAll(() => {
    if (dir === undefined) return;
    try {
      pg("pg_ctl", ["-D", join(dir, "data"), "-m", "immediate", "stop"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes, with the README's psql line, the counts per model and minute that were logged", () => {
    const line = readFileSync(README, "utf8").split("\n").find((l) => l.startsWith('psql "$DATABASE_URL"'));
    expect(line, "the planner README's spend-logs export").toBeDefined();
    // As the postgres user (it writes history.csv into the folder it runs in), with psql on PATH.
    const env = `export PATH=${bin}:$PATH DATABASE_URL='${url()}';`;
    const r = asRoot
      ? spawnSync("runuser", ["-u", "postgres", "--", "bash", "-c", `${env} ${line}`], { cwd: dir, encoding: "utf8" })
      : spawnSync("bash", ["-c", `${env} ${line}`], { cwd: dir, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const history = parseHistoryCsv(readFileSync(join(dir, "history.csv"), "utf8"), "history.csv");
    expect(history.stepMinutes).toBe(1);
    expect([...history.models.keys()].sort()).toEqual(["llama-70b", "llama-8b"]);
    const total = (model: string, key: "requests" | "inputTokens" | "outputTokens") => history.models.get(model)![key].reduce((a, b) => a + b, 0);
    // Request g goes to llama-8b when g % 4 = 0: a quarter of them, with 1000 + g % 7 prompt and 200 + g % 3 completion tokens.
    const logged = Array.from({ length: ROWS }, (_, g) => g);
    const of = (eight: boolean) => logged.filter((g) => (g % 4 === 0) === eight);
    const sum = (gs: number[], f: (g: number) => number) => gs.reduce((a, g) => a + f(g), 0);
    expect(total("llama-8b", "requests")).toBe(of(true).length);
    expect(total("llama-70b", "requests")).toBe(of(false).length);
    expect(total("llama-70b", "inputTokens")).toBe(sum(of(false), (g) => 1000 + (g % 7)));
    expect(total("llama-8b", "outputTokens")).toBe(sum(of(true), (g) => 200 + (g % 3)));
    // Three requests a minute, from the first minute for 3 days: 4320 steps, none missing.
    expect(history.models.get("llama-70b")!.requests.length).toBe(3 * 1440);
    const first = new Date(history.start);
    expect(history.startMinuteOfWeek).toBe(((first.getUTCDay() + 6) % 7) * 1440 + first.getUTCHours() * 60 + first.getUTCMinutes());
  });

  it("plans from it: both models forecast from the export", () => {
    const r = spawnSync(
      process.execPath,
      [join(ROOT, "packages", "cli", "bin", "switchyard.mjs"), "plan", "--spec", join(ROOT, "examples", "fleet.yaml"), "--history", join(dir, "history.csv"), "--no-out", "--no-simulate"],
      { encoding: "utf8" },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Forecast from history[\s\S]*│ llama-70b +│ 3 days × 5 min[\s\S]*│ llama-8b +│ 3 days × 5 min/);
  });
});
