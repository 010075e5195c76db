/**
 * @switchyard/synth — synthesizes Pulumi programs offline under mocks (no cloud credentials, no Pulumi CLI)
 * and records every resource: what the tests assert on and what `switchyard render` writes.
 */
export * from "./synthesize";
export * from "./render";
