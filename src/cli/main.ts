// `llm-balance`: the headless checker for cron and CI (SPEC §11).
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { CheckScheduler, type CheckedResult } from '../core/checkScheduler';
import { probeWritable } from '../core/fileStore';
import { HistoryStore } from '../core/history';
import { HttpClient } from '../core/http';
import { checkOver } from '../core/check';
import { NotificationLedger } from '../core/ledger';
import { LEVEL_RANK, worstLevel, type BalanceResult, type Level } from '../core/model';
import { formatMoney } from '../core/format';
import { summarizeResults } from '../core/statusView';
import { renderTable, term } from './table';
import { defaultStateDir, loadConfig, UsageError, type CliConfig } from './config';
import { PRUNE_UNUSED_MS, saveFailedBeforeAlerts, withStateSession, type StateSession } from './stateSession';
import { notify, type SentNotification } from './notify';
import { expandTeamChecks } from '../core/providers/team';
import { checkTimed, metricsText, writeTextfile } from './exposition';
import { DEFAULT_LISTEN, runServe, type ServeFlags } from './serve';

export const EXIT = { ok: 0, warning: 1, critical: 2, usage: 3 } as const;
const CACHE_TTL_MS = 3_600_000;

export function exitCodeFor(levels: Level[]): number {
  const worst = worstLevel(levels);
  if (LEVEL_RANK[worst] >= LEVEL_RANK.critical) return EXIT.critical;
  if (worst === 'warning') return EXIT.warning;
  return EXIT.ok;
}

/** The `check --json` summary: summarizeResults under the CLI's field names. */
export function summarize(results: readonly BalanceResult[]) {
  const s = summarizeResults(results);
  return { totalAccounts: s.accounts, totalBalance: s.totals, accountsWithErrors: s.errors, accountsCritical: s.critical, accountsWarning: s.warning };
}

interface CheckFlags {
  json?: boolean;
  format?: string;
  textfile?: string;
  force?: boolean;
  forceNotify?: boolean;
  config?: string;
  stateDir?: string;
}


const FORMATS = ['table', 'json', 'openmetrics'] as const;

async function runCheck(flags: CheckFlags, env: NodeJS.ProcessEnv): Promise<number> {
  const format = flags.format ?? (flags.json ? 'json' : 'table');
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${format}".`);
  if (flags.json && format !== 'json') throw new UsageError(`--json is --format json; it cannot be combined with --format ${format}.`);
  const config = await loadConfig(flags.config, env);
  const stateDir = path.resolve(flags.stateDir ?? defaultStateDir(env));
  if (flags.textfile) await ensureWritable(path.resolve(flags.textfile), '--textfile DIR');
  const warn = (msg: string) => process.stderr.write(`llm-balance: ${term(msg, 2000)}\n`);
  for (const w of config.warnings) warn(w);
  return withStateSession(stateDir, { log: warn }, (session) => checkInSession(session, config, { ...flags, format }, env, warn));
}

/** One check on an open (locked) state session: results, history, alerts, saved state, output. */
async function checkInSession(session: StateSession, config: CliConfig, flags: CheckFlags, env: NodeJS.ProcessEnv, warn: (msg: string) => void): Promise<number> {
  const { state, history } = session;
  const http = new HttpClient({ timeoutMs: config.timeoutMs, env });
  if (http.proxyProblem) warn(`${http.proxyProblem} Accounts on localhost are still checked.`);
  const thresholds = { thresholds: config.thresholds, percent: config.percent };
  const keyed = config.accounts.filter((a) => a.account.enabled !== false);
  const keysById = new Map(keyed.map((a) => [a.account.id, a.keys]));
  const scheduler = new CheckScheduler({ check: checkOver(http), store: state, cacheTtlMs: CACHE_TTL_MS, thresholds, keys: (a) => keysById.get(a.id) ?? {} });

  let checked: CheckedResult[];
  let durations: Map<string, number>;
  try {
    ({ checked, durations } = await checkTimed(scheduler, keyed.map((a) => a.account), { force: !!flags.force }));
    checked = expandTeamChecks(checked);
  } finally {
    await http.close();
  }
  const results = checked.map((c) => c.result);
  // Only fresh numbers go into history; a cached result was recorded when it was made.
  history.record(checked.filter((c) => c.fresh).map((c) => c.result));
  await scheduler.prune(config.accounts.map((a) => a.account.id), { unusedForMs: PRUNE_UNUSED_MS });

  const ledger = new NotificationLedger(state, config.cooldownHours);
  const sent: SentNotification[] = await notify(results, {
    ledger,
    accounts: keyed.map((a) => a.account),
    cooldownHours: config.cooldownHours,
    force: !!flags.forceNotify,
    env,
    history,
    log: warn,
    timeoutMs: config.timeoutMs,
    // The ledger alone: a history that fails to save after it must not block an alert already recorded.
    beforeDelivery: () => session.saveState().catch((e: unknown) => {
      throw saveFailedBeforeAlerts(session.dir, e);
    }),
    alertRules: config.alertRules,
  });
  try {
    await session.save();
  } catch (e) {
    // Whatever went out is already recorded (beforeDelivery); this loses only what came after.
    warn(`could not save the state in ${session.dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); alerts already sent stay recorded.`);
  }

  const checkedAt = new Date().toISOString();
  const summary = summarize(results);
  const format = flags.format;
  const metricsInput = { results, durations };
  // node_exporter's textfile collector reads the 0.0.4 text format.
  if (flags.textfile) await writeTextfile(flags.textfile, metricsText(metricsInput, 'prometheus'));
  if (format === 'openmetrics') {
    process.stdout.write(metricsText(metricsInput, 'openmetrics'));
  } else if (format === 'json') {
    process.stdout.write(JSON.stringify({ checkedAt, accounts: results, summary, notificationsSent: sent }, null, 2) + '\n');
  } else {
    process.stdout.write(renderTable(results, summary.totalBalance) + '\n');
  }
  return exitCodeFor(results.map((r) => r.level));
}

/**
 * A real writability check for a directory the CLI writes to (a zero-byte probe passes on a
 * full disk). `check` gets it from withStateSession; other writers (a textfile, `serve`) call it.
 */
export async function ensureWritable(dir: string, hint = '--state-dir DIR'): Promise<void> {
  try {
    await probeWritable(dir, 16 * 1024);
  } catch (e) {
    throw new UsageError(`${dir} is not writable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); pass ${hint}.`);
  }
}

/** Writes to stdout in chunks, waiting when the pipe is full: a big history is never one string. */
class ChunkedOut {
  private parts: string[] = [];
  private size = 0;
  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 64 * 1024) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
  }
}

async function runHistory(hoursArg: string | undefined, flags: { json?: boolean; stateDir?: string }, env: NodeJS.ProcessEnv): Promise<number> {
  const hours = hoursArg === undefined ? 24 : Number(hoursArg);
  if (!Number.isFinite(hours) || hours <= 0) throw new UsageError(`HOURS must be a positive number, got "${hoursArg}".`);
  const stateDir = path.resolve(flags.stateDir ?? defaultStateDir(env));
  const history = new HistoryStore(path.join(stateDir, 'history.json'), { log: (m) => process.stderr.write(`llm-balance: ${term(m, 2000)}\n`) });
  await history.load();
  const since = Date.now() - hours * 3_600_000;
  const events = history.events().filter((e) => e.t >= since);
  const out = new ChunkedOut();
  // Built point by point, never as one object or one string (a 63 MB history once peaked at 1.4 GB).
  if (flags.json) {
    await out.write(`{\n  "hours": ${JSON.stringify(hours)},\n  "accounts": [`);
    let i = 0;
    for (const id of history.accounts()) {
      await out.write(`${i++ ? ',' : ''}\n    {\n      "accountId": ${JSON.stringify(id)},\n      "label": ${JSON.stringify(history.label(id) ?? id)},\n      "points": [`);
      let j = 0;
      for (const p of history.seriesView(id, since)) await out.write(`${j++ ? ',' : ''}\n        ${JSON.stringify({ time: new Date(p.t).toISOString(), ...p })}`);
      await out.write(`${j ? '\n      ' : ''}]\n    }`);
    }
    await out.write(`${i ? '\n  ' : ''}],\n  "events": [`);
    let k = 0;
    for (const e of events) await out.write(`${k++ ? ',' : ''}\n    ${JSON.stringify({ time: new Date(e.t).toISOString(), ...e })}`);
    await out.write(`${k ? '\n  ' : ''}]\n}\n`);
    await out.flush();
    return EXIT.ok;
  }
  await out.write(`History of the last ${hours} h (${term(stateDir, 2000)})\n`);
  let any = false;
  for (const id of history.accounts()) {
    const points = history.seriesView(id, since);
    if (points.length === 0) continue;
    any = true;
    await out.write(`\n${term(history.label(id) ?? id, 80)}\n`);
    for (const p of points) {
      await out.write(`  ${new Date(p.t).toISOString().replace('T', ' ').slice(0, 16)}Z  ${formatMoney(p.balance, p.currency).padStart(12)}  ${p.level}\n`);
    }
  }
  if (!any) await out.write('No history yet: run `llm-balance check` first.\n');
  if (events.length) {
    await out.write('\nEvents\n');
    for (const e of events) await out.write(`  ${new Date(e.t).toISOString().replace('T', ' ').slice(0, 16)}Z  ${e.kind}  ${term(e.message, 2000)}\n`);
  }
  await out.flush();
  return EXIT.ok;
}

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
    .action(async (flags: CheckFlags) => {
      code = await runCheck(flags, env);
    });
  program
    .command('serve')
    .description('check every --interval minutes, alert as check does, and serve /metrics, /api/v1/balances and /healthz')
    .option('--listen <host:port>', `where to listen (default ${DEFAULT_LISTEN}; another host needs LLM_BALANCE_SERVE_TOKEN)`)
    .option('--interval <minutes>', 'minutes between checks (default 30)')
    .option('--config <file>', 'accounts from a JSON file instead of the environment')
    .option('--state-dir <dir>', 'where cache, notification records and history live')
    .action(async (flags: ServeFlags) => {
      code = await runServe(flags, env, {
        stopSignal: stopSignal(),
        log: (m) => process.stderr.write(`llm-balance serve: ${term(m, 2000)}\n`),
        summarize,
        ensureWritable: (dir) => ensureWritable(dir),
      });
    });
  program
    .command('history')
    .description('show recorded balances')
    .argument('[hours]', 'how far back, in hours', undefined)
    .option('--json', 'print one JSON object')
    .option('--state-dir <dir>', 'where history lives')
    .action(async (hours: string | undefined, flags: { json?: boolean; stateDir?: string }) => {
      code = await runHistory(hours, flags, env);
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`llm-balance: ${e.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`llm-balance: unexpected failure: ${term(e instanceof Error ? e.message : String(e), 2000)}\n`);
    return EXIT.critical;
  }
}

if (require.main === module) {
  // undici flags its env-proxy agent as experimental on every run with a proxy set; that is
  // noise in a cron mail, not news for the user. Other warnings still print.
  process.removeAllListeners('warning');
  process.on('warning', (w: Error & { code?: string }) => {
    if (w.code !== 'UNDICI-EHPA') process.stderr.write(`${w.name}: ${w.message}\n`);
  });
  main(process.argv.slice(2)).then(
    (c) => {
      process.exitCode = c;
    },
    () => {
      process.exitCode = EXIT.critical;
    },
  );
}
