import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // test/docs/.samples: README samples written out by test/docs/readme-samples.test.ts while it runs.
  { ignores: ["**/node_modules/**", "**/dist/**", ".toolchain/**", "out/**", ".venv/**", "test/docs/.samples/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    // Tests dig into recorded resource inputs, which are untyped JSON by nature.
    files: ["test/**", "packages/*/test/**"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
    },
  },
  {
    // The stacks, the examples and the scanners' render variants use the packages as a user does: their published
    // entry points only (a published package's exports map holds nothing else).
    files: ["environments/**", "examples/**", "security/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: "^@switchyard/(catalog|planner|components)/.+", message: "import from the package's entry point, e.g. \"@switchyard/components\": a published package exports nothing else." }] }],
    },
  },
  {
    // The published packages name every export, so their surface changes only on purpose (issue 16).
    files: ["packages/{catalog,planner,components,cli,provider}/src/**"],
    rules: {
      "no-restricted-syntax": ["error", { selector: "ExportAllDeclaration[exported=null]", message: "list the names (export { a, b } from …): a published package's API changes only on purpose." }],
    },
  },
  {
    files: ["scripts/**", "bench/**", "packages/cli/**"],
    rules: { "no-console": "off" },
  },
  {
    files: ["**/*.mjs", "**/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // CommonJS on purpose: the packaging test's runner is loaded the way Pulumi's nodejs runtime loads a program.
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", process: "readonly", console: "readonly", setImmediate: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Plain Node scripts (the CLI's launcher, the test summary) run outside the TypeScript project.
    files: ["**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
);
