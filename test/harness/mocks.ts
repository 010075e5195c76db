/** The tests' Pulumi mocks harness is the synthesis engine `switchyard render` uses: one engine, two users. */
export * from "@switchyard/synth";
