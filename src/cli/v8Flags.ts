// V8 flags the launcher (bin.ts) sets for a run, before anything compiles WebAssembly.
//
// undici parses HTTP with llhttp compiled to WebAssembly. V8 compiles it with Liftoff at once
// and again with TurboFan on background threads, and a process does not end until those jobs
// are done: `check` printed its answer ~115-160 ms into the run and ended ~110 ms later
// (issue 14). Liftoff code parses a few small answers as fast as TurboFan's would, so `check`,
// which makes a few requests and exits, runs Liftoff only. `serve` runs for days, parses every
// answer of every check, and never waits for an exit: it keeps V8's tier-up. `history` and
// `--help` load no undici and so need no flag (nor node:v8).
export const CHECK_V8_FLAGS: readonly string[] = ['--liftoff-only'];

/** The command word of `llm-balance ARGS`: its first argument that is not an option. */
export function commandOf(argv: readonly string[]): string | undefined {
  return argv.find((a) => !a.startsWith('-'));
}

/** The V8 flags for `llm-balance ARGS`. */
export function v8FlagsFor(argv: readonly string[]): readonly string[] {
  return commandOf(argv) === 'check' ? CHECK_V8_FLAGS : [];
}
