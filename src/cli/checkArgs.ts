// `check`'s options, one list for commander's definitions (main.ts) and for the quick reading of
// a plain `check` command line without commander (issue 14: evaluating commander and building
// its three commands took ~5 ms of a ~90 ms check run).
//
// The quick reading is Node's own util.parseArgs, in strict mode. It accepts only a command line
// it reads exactly as commander does: `check` first, then known options, each string option
// with a value, no positionals. Anything else — help (an option it does not know), a typo, a
// missing value, a value that starts with a dash, another command — goes to commander, which
// says what is wrong as it always has. test/cli/checkArgs.test.ts holds the two readers to the
// same answer.
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
  /** The long option, as typed; its flag's name is the same in camelCase, as commander makes it. */
  name: string;
  /** For a string option: its value's placeholder in the help. */
  value?: string;
  help: string;
}

export const CHECK_OPTIONS: readonly CheckOption[] = [
  { name: 'json', help: 'print one JSON object (= --format json)' },
  { name: 'format', value: 'format', help: 'table, json or openmetrics' },
  { name: 'textfile', value: 'dir', help: 'also write DIR/llm_balance.prom for node_exporter\'s textfile collector' },
  { name: 'force', help: 'bypass the one-hour cache' },
  { name: 'force-notify', help: 'notify even if already notified within the cooldown' },
  { name: 'config', value: 'file', help: 'accounts from a JSON file instead of the environment' },
  { name: 'state-dir', value: 'dir', help: 'where cache, notification records and history live' },
];

const flagName = (option: string): string => option.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

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
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv.slice(1), options: PARSE_OPTIONS, strict: true, allowPositionals: false }));
  } catch {
    return undefined;
  }
  const flags: CheckFlags = {};
  for (const o of CHECK_OPTIONS) {
    const v = values[o.name];
    if (v === undefined) continue;
    // An empty value (`--format=`) is commander's to judge, as any other odd one.
    if (o.value && v === '') return undefined;
    (flags as Record<string, string | boolean>)[flagName(o.name)] = v;
  }
  return flags;
}
