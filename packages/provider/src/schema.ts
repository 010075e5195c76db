/**
 * The provider's schema, inferred from src/wire.ts by Pulumi's own component analyzer (the one
 * `componentProviderHost` runs at start-up) — here at build time instead, so the plugin serves a checked-in file and
 * needs no TypeScript compiler at run time. `bash scripts/dev.sh provider-schema` writes schema.json from it; a test
 * fails when they differ.
 */
import path from "node:path";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import { generateSchema } from "@pulumi/pulumi/provider/experimental/schema";
import type * as ts from "typescript";
import packageJson from "../package.json";

export const PACKAGE_NAME = "switchyard";
export const SCHEMA_COMPONENTS = ["GpuNodePool", "VllmServing", "LiteLLMGatewayConfig"] as const;

/** The analyzer's per-property step (private in its typings; pinned by the lockfile, and the drift test runs it). */
interface PropertyAnalysis {
  analyzeSymbol: (this: PropertyAnalysis, context: unknown, symbol: ts.Symbol) => unknown;
}

/**
 * The analyzer reads a property's type and docs from its `valueDeclaration`, which TypeScript leaves unset on the
 * properties of a mapped type: every property a wire interface keeps from the library through `Omit<…>` would
 * become `Any`, undocumented. Such a property's declaration is the library's own, so it is used.
 */
class WireAnalyzer extends Analyzer {}
const analyzeSymbol = (Analyzer.prototype as unknown as PropertyAnalysis).analyzeSymbol;
(WireAnalyzer.prototype as unknown as PropertyAnalysis).analyzeSymbol = function (this: PropertyAnalysis, context, symbol) {
  if (symbol.valueDeclaration === undefined && symbol.declarations?.[0] !== undefined) symbol.valueDeclaration = symbol.declarations[0];
  return analyzeSymbol.call(this, context, symbol);
};

export function inferSchema(): Record<string, unknown> {
  // The analyzer reads <dir>/tsconfig.json and starts from the manifest's `main`, resolved against <dir>.
  const dir = path.resolve(import.meta.dirname, "..", "analyzer");
  const analyzer = new WireAnalyzer(dir, PACKAGE_NAME, { ...packageJson, main: "../src/wire.ts" }, new Set(SCHEMA_COMPONENTS));
  const { components, typeDefinitions, dependencies } = analyzer.analyze();
  const schema = generateSchema(PACKAGE_NAME, packageJson.version, packageJson.description, components, typeDefinitions, dependencies);
  return withoutArgsSuffix(schema as unknown as Record<string, unknown>);
}

/**
 * Type names follow the TypeScript interfaces (`VllmModelArgs`), and every SDK generator appends `Args` to an input
 * type's name: Python would read `VllmModelArgsArgs`. The suffix is dropped from the schema's type tokens, so Python
 * gets `VllmModelArgs` and Go `VllmModelArgs` too.
 */
export function withoutArgsSuffix(schema: Record<string, unknown>): Record<string, unknown> {
  const types = schema["types"] as Record<string, unknown>;
  const renamed = new Map(Object.keys(types).filter((token) => token.endsWith("Args")).map((token) => [token, token.slice(0, -"Args".length)]));
  for (const target of renamed.values()) {
    if (target in types) throw new Error(`schema type ${target} exists, so ${target}Args cannot be renamed to it: rename one of the interfaces in src/wire.ts`);
  }
  const text = JSON.stringify(schema, (key, value: unknown) => {
    if (key === "$ref" && typeof value === "string" && value.startsWith("#/types/")) return `#/types/${renamed.get(value.slice("#/types/".length)) ?? value.slice("#/types/".length)}`;
    if (key === "types" && value === types) return Object.fromEntries(Object.entries(types).map(([token, type]) => [renamed.get(token) ?? token, type]));
    return value;
  });
  return JSON.parse(text) as Record<string, unknown>;
}
