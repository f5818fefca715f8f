// `llm-balance`: the headless engine for cron and CI (SPEC §11). This file only parses the
// command line; each command's code is loaded when that command runs (issue 14): `--help`
// evaluates commander alone, `history` the history file's reader, `check` and `serve` the engine.
import { Command, CommanderError } from 'commander';
import { requireSibling } from './codeCache';
import { DEFAULT_LISTEN, EXIT, isUsageError } from './usage';
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

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const program = new Command();
  let code: number = EXIT.ok;
  program
    .name('llm-balance')
    .description('Check the money left on your LLM provider accounts.')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError();
  program
    .command('check')
    .description('check every account; exit 0 ok, 1 warning, 2 critical or error, 3 usage error')
    .option('--json', 'print one JSON object (= --format json)')
    .option('--format <format>', 'table, json or openmetrics')
    .option('--textfile <dir>', 'also write DIR/llm_balance.prom for node_exporter\'s textfile collector')
    .option('--force', 'bypass the one-hour cache')
    .option('--force-notify', 'notify even if already notified within the cooldown')
    .option('--config <file>', 'accounts from a JSON file instead of the environment')
    .option('--state-dir <dir>', 'where cache, notification records and history live')
    .action(async (flags: CheckCommand.CheckFlags) => {
      code = await checkCommand().runCheck(flags, env);
    });
  program
    .command('serve')
    .description('check every --interval minutes, alert as check does, and serve /metrics, /api/v1/balances and /healthz')
    .option('--listen <host:port>', `where to listen (default ${DEFAULT_LISTEN}; another host needs LLM_BALANCE_SERVE_TOKEN)`)
    .option('--interval <minutes>', 'minutes between checks (default 30)')
    .option('--config <file>', 'accounts from a JSON file instead of the environment')
    .option('--state-dir <dir>', 'where cache, notification records and history live')
    .action(async (flags: ServeFlags) => {
      code = await checkCommand().serve(flags, env, {
        stopSignal: stopSignal(),
        log: (m) => process.stderr.write(`llm-balance serve: ${term(m, 2000)}\n`),
      });
    });
  program
    .command('history')
    .description('show recorded balances')
    .argument('[hours]', 'how far back, in hours', undefined)
    .option('--json', 'print one JSON object')
    .option('--state-dir <dir>', 'where history lives')
    .action(async (hours: string | undefined, flags: { json?: boolean; stateDir?: string }) => {
      code = await historyCommand().runHistory(hours, flags, env);
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isUsageError(e)) {
      process.stderr.write(`llm-balance: ${e.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`llm-balance: unexpected failure: ${term(e instanceof Error ? e.message : String(e), 2000)}\n`);
    return EXIT.critical;
  }
}
