// `check`'s options, one list for commander's definitions (main.ts) and for the quick reading of
// a plain `check` command line without commander (issue 14: evaluating commander and building
// its three commands took ~5 ms of a ~90 ms check run).
//
// The quick reading is Node's own util.parseArgs, in strict mode. It accepts only a command line
// it reads exactly as commander does: `check` first, then known options, each string option
// with a value, no positionals. Anything else — help, a typo, a missing value, a value that
// starts with a dash, another command — goes to commander, which says what is wrong as it
// always has. test/cli/checkArgs.test.ts holds the two readers to the same answer.
import { parseArgs } from 'node:util';

/** The flags of `llm-balance check`, as commander names them. */
export interface CheckFlags {
  json?: boolean;
  format?: string;
  textfile?: string;
  force?: boolean;
  forceNotify?: boolean;
  config?: string;
  stateDir?: string;
}

interface CheckOption {
  /** The long option, as typed. */
  name: string;
  key: keyof CheckFlags;
  /** For a string option: its value's placeholder in the help. */
  value?: string;
  help: string;
}

export const CHECK_OPTIONS: readonly CheckOption[] = [
  { name: 'json', key: 'json', help: 'print one JSON object (= --format json)' },
  { name: 'format', key: 'format', value: 'format', help: 'table, json or openmetrics' },
  { name: 'textfile', key: 'textfile', value: 'dir', help: 'also write DIR/llm_balance.prom for node_exporter\'s textfile collector' },
  { name: 'force', key: 'force', help: 'bypass the one-hour cache' },
  { name: 'force-notify', key: 'forceNotify', help: 'notify even if already notified within the cooldown' },
  { name: 'config', key: 'config', value: 'file', help: 'accounts from a JSON file instead of the environment' },
  { name: 'state-dir', key: 'stateDir', value: 'dir', help: 'where cache, notification records and history live' },
];

/** commander's spelling of an option: `--state-dir <dir>`. */
export function commanderFlag(o: CheckOption): string {
  return o.value ? `--${o.name} <${o.value}>` : `--${o.name}`;
}

const PARSE_OPTIONS = Object.fromEntries(CHECK_OPTIONS.map((o) => [o.name, { type: o.value ? 'string' : 'boolean' } as const]));

/**
 * The flags of `argv` (the arguments after `llm-balance`) when it is a plain `check` command
 * line; undefined when commander must read it.
 */
export function quickCheckFlags(argv: readonly string[]): CheckFlags | undefined {
  if (argv[0] !== 'check') return undefined;
  const rest = argv.slice(1);
  // commander's own words: `check --help`, `check -h`, and `--` (after which it reads positionals).
  if (rest.some((a) => a === '--help' || a === '-h' || a === '--')) return undefined;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: rest, options: PARSE_OPTIONS, strict: true, allowPositionals: false }));
  } catch {
    return undefined;
  }
  const flags: CheckFlags = {};
  for (const o of CHECK_OPTIONS) {
    const v = values[o.name];
    if (v === undefined) continue;
    // An empty value (`--format=`) is commander's to judge, as any other odd one.
    if (o.value && v === '') return undefined;
    (flags as Record<string, string | boolean>)[o.key] = v;
  }
  return flags;
}
