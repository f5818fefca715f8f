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

/**
 * Node builtins that `check` loads anyway, loaded before its flag is set. A flag set at run time
 * changes V8's flag hash, and V8 then refuses the code cache that Node compiles its builtins
 * from: each builtin first loaded after the flag compiled from source, at two to three times the
 * cost (~14 ms of a check's CPU). The flag must still come before undici compiles llhttp (it is
 * read then, and again at each tier-up decision, so it cannot be put back afterwards).
 */
export const CHECK_BUILTINS: readonly string[] = ['node:http', 'node:crypto', 'node:os', 'node:diagnostics_channel', 'node:async_hooks', 'node:stream'];

/** The command word of `llm-balance ARGS`: its first argument that is not an option. */
export function commandOf(argv: readonly string[]): string | undefined {
  return argv.find((a) => !a.startsWith('-'));
}

/** The V8 flags for `llm-balance ARGS`. */
export function v8FlagsFor(argv: readonly string[]): readonly string[] {
  return commandOf(argv) === 'check' ? CHECK_V8_FLAGS : [];
}

/** Sets the V8 flags of `llm-balance ARGS`, after the builtins it needs (CHECK_BUILTINS, fs.promises); returns them. */
export function setV8FlagsFor(argv: readonly string[]): readonly string[] {
  const flags = v8FlagsFor(argv);
  if (flags.length === 0) return flags;
  /* eslint-disable @typescript-eslint/no-require-imports */
  for (const id of CHECK_BUILTINS) require(id);
  void (require('node:fs') as typeof import('node:fs')).promises;
  const v8 = require('node:v8') as typeof import('node:v8');
  /* eslint-enable @typescript-eslint/no-require-imports */
  for (const flag of flags) v8.setFlagsFromString(flag);
  return flags;
}
