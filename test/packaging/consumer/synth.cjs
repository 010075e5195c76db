// Runs a Pulumi program under the SDK's mocks (no engine, no cloud) and prints one JSON line: every resource it
// registered (type and name) and the stack's outputs.
//   node synth.cjs bin/index.js             # the tsc output, on plain Node
//   node synth.cjs index.ts --ts-node       # the TypeScript source, registered as Pulumi's nodejs runtime does
const path = require("node:path");
const pulumi = require("@pulumi/pulumi");

const registered = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push(`${args.type} ${args.name}`);
      return { id: args.custom ? `${args.name}-id` : undefined, state: args.inputs };
    },
    call: (args) => args.inputs,
  },
  "outside",
  "dev",
  false,
);

if (process.argv.includes("--ts-node")) {
  // What @pulumi/pulumi's cmd/run does for a TypeScript program: the project's typescript if it has one (else the
  // vendored 3.8.3), the project's ts-node if it has one (else the vendored 7.0.1), the tsconfig's options over
  // nodenext defaults, type-checked unless the tsconfig says noCheck.
  const tsutils = require("@pulumi/pulumi/tsutils");
  const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
  const compilerOptions = tsutils.loadTypeScriptCompilerOptions("tsconfig.json");
  require(tsnodeRequire).register({
    compiler: typescriptRequire,
    transpileOnly: compilerOptions.noCheck,
    project: "tsconfig.json",
    skipProject: false,
    compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...compilerOptions },
  });
}

(async () => {
  const outputs = await pulumi.runtime.runInPulumiStack(async () => {
    const program = require(path.resolve(process.argv[2]));
    return program;
  });
  for (let i = 0; i < 3; i++) {
    await pulumi.runtime.waitForRPCs?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const plain = {};
  for (const [key, value] of Object.entries(outputs ?? {})) {
    plain[key] = await new Promise((resolve) => pulumi.output(value).apply((v) => resolve(v)));
  }
  process.stdout.write(`${JSON.stringify({ registered, outputs: plain })}\n`);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
