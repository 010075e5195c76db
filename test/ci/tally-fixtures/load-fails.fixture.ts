// A module that throws while it loads: vitest collects no test from it.
throw new Error("cannot load this module");
