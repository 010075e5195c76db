/**
 * Reading a fleet spec from disk (YAML or JSON) with its demand files. The only module of the planner
 * that touches the filesystem; `plan`, `simulate` and `lowerBound` stay pure.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { parseHourlyCsv, parsePerMinuteCsv } from "./demand";
import { FleetSpecError } from "./errors";
import type { SpecIssue } from "./errors";
import { parseFleetSpec } from "./spec";
import type { FleetSpec } from "./spec";

function readText(path: string): string {
  return readFileSync(path, "utf8");
}

/** Parses YAML (a superset of JSON) into plain data; a syntax error becomes a `FleetSpecError` with the line. */
export function parseSpecText(text: string, source: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: true }) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    throw new FleetSpecError([{ path: "(file)", message: `is not valid YAML/JSON: ${message}`, fix: "fix the syntax at the line shown (indentation, a missing colon or quote)" }], source);
  }
}

/**
 * Reads `path`, resolves `demand.hourly.file` / `demand.series.file` relative to it (hourly CSV:
 * `hour,requests_per_s,input_tokens_per_s,output_tokens_per_s`; series: the per-minute CSV of
 * ../shared/data/traces/derived), validates, and returns the spec with the demand inline.
 */
export function loadFleetSpec(path: string): FleetSpec {
  let text: string;
  try {
    text = readText(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new FleetSpecError([{ path: "(file)", message: `cannot read ${path}${code === undefined ? "" : ` (${code})`}`, fix: "pass an existing fleet spec with --spec, e.g. examples/fleet.yaml" }]);
  }
  const raw = parseSpecText(text, path);
  const spec = parseFleetSpec(raw, path);
  const base = dirname(resolve(path));
  const issues: SpecIssue[] = [];
  const models = spec.models.map((m, i) => {
    const hourly = m.demand.hourly;
    const series = m.demand.series;
    try {
      if (hourly?.file !== undefined) {
        const rates = parseHourlyCsv(readText(resolve(base, hourly.file)), hourly.file);
        return { ...m, demand: { hourly: { ...hourly, ...rates } } };
      }
      if (series?.file !== undefined) {
        const s = parsePerMinuteCsv(readText(resolve(base, series.file)), series.file);
        return { ...m, demand: { series: { ...series, stepMinutes: s.stepMinutes, requests: s.requests, inputTokens: s.inputTokens, outputTokens: s.outputTokens } } };
      }
    } catch (error) {
      const kind = hourly !== undefined ? "hourly" : "series";
      const code = (error as { code?: string }).code;
      issues.push({
        path: `models[${i}].demand.${kind}.file`,
        message: code === "ENOENT" ? `${JSON.stringify((hourly ?? series)!.file)} does not exist (relative to ${base})` : error instanceof Error ? error.message : String(error),
        fix: kind === "hourly" ? "point it at a CSV with columns hour,requests_per_s,input_tokens_per_s,output_tokens_per_s" : "point it at a CSV with columns minute,requests,input_tokens,output_tokens",
      });
    }
    return m;
  });
  if (issues.length > 0) throw new FleetSpecError(issues, path);
  return parseFleetSpec({ ...spec, models }, path);
}
