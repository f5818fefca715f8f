// `llm-balance`: the headless engine for cron and CI (SPEC §11). This file only parses the
// command line; each command's code is loaded when that command runs (issue 14): `--help`
// evaluates commander alone, `history` the history file's reader, `check` and `serve` the engine.
// The launcher (bin.ts) reads a plain `check` command line itself and never loads this file
// for it (checkArgs.ts); whatever comes here is commander's to read.
import { Command, CommanderError } from 'commander';
import { CHECK_OPTIONS, commanderFlag, type CheckFlags } from './checkArgs';
import { requireSibling } from './codeCache';
import { DEFAULT_LISTEN, EXIT } from './usage';
import { exitForFailure } from './failure';
import { term } from './table';
import type * as CheckCommand from './checkCommand';
import type * as HistoryCommand from './historyCommand';
import type { ServeFlags } from './serve';

export { EXIT, exitCodeFor } from './usage';

const checkCommand = () => requireSibling<typeof CheckCommand>(__dirname, 'checkCommand.js');
const historyCommand = () => requireSibling<typeof HistoryCommand>(__dirname, 'historyCommand.js');

/** SIGTERM (systemd, docker) or SIGINT (Ctrl-C) ends `serve` after the running check. */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

/** What each command does with what commander read. */
export interface CommandActions {
  check(flags: CheckFlags): Promise<void>;
  serve(flags: ServeFlags): Promise<void>;
  history(hours: string | undefined, flags: { json?: boolean; stateDir?: string }): Promise<void>;
}

/** The command line as commander reads it (main, and the test that holds checkArgs.ts to it). */
export function commandLine(actions: CommandActions): Command {
  const program = new Command();
  program
    .name('llm-balance')
    .description('Check the money left on your LLM provider accounts.')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError();
  const check = program
    .command('check')
    .description('check every account; exit 0 ok, 1 warning, 2 critical or error, 3 usage error');
  for (const o of CHECK_OPTIONS) check.option(commanderFlag(o), o.help);
  check.action((flags: CheckFlags) => actions.check(flags));
  program
    .command('serve')
    .description('check every --interval minutes, alert as check does, and serve /metrics, /api/v1/balances and /healthz')
    .option('--listen <host:port>', `where to listen (default ${DEFAULT_LISTEN}; another host needs LLM_BALANCE_SERVE_TOKEN)`)
    .option('--interval <minutes>', 'minutes between checks (default 30)')
    .option('--config <file>', 'accounts from a JSON file instead of the environment')
    .option('--state-dir <dir>', 'where cache, notification records and history live')
    .action((flags: ServeFlags) => actions.serve(flags));
  program
    .command('history')
    .description('show recorded balances')
    .argument('[hours]', 'how far back, in hours', undefined)
    .option('--json', 'print one JSON object')
    .option('--state-dir <dir>', 'where history lives')
    .action((hours: string | undefined, flags: { json?: boolean; stateDir?: string }) => actions.history(hours, flags));
  return program;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let code: number = EXIT.ok;
  try {
    await commandLine({
      check: async (flags) => {
        code = await checkCommand().checkMain(flags, env);
      },
      serve: async (flags) => {
        code = await checkCommand().serve(flags, env, {
          stopSignal: stopSignal(),
          log: (m) => process.stderr.write(`llm-balance serve: ${term(m, 2000)}\n`),
        });
      },
      history: async (hours, flags) => {
        code = await historyCommand().runHistory(hours, flags, env);
      },
    }).parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    // commander's own error (help shown, a bad flag): it has said what it had to.
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return exitForFailure(e);
  }
}
