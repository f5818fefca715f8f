// `check` and `serve`: the engine, the state session, alerts and output. Loaded by main.ts only
// for these commands, so that `--help` and `history` never evaluate zod's account schemas,
// the providers, undici or the alert channels.
import './zodJitless';
import * as path from 'node:path';
import { CheckScheduler, type CheckedResult } from '../core/checkScheduler';
import { checkOver } from '../core/check';
import { probeWritable } from '../core/fileStore';
import { HttpClient, preloadHttpStack } from '../core/http';
import { NotificationLedger } from '../core/ledger';
import type { BalanceResult } from '../core/model';
import { summarizeResults } from '../core/statusView';
import { englishOnly } from '../core/message';
import { renderTable, term } from './table';
import { loadConfig, type CliConfig } from './config';
import { defaultStateDir, exitCodeFor, UsageError } from './usage';
import { PRUNE_UNUSED_MS, saveFailedBeforeAlerts, withStateSession, type StateSession } from './stateSession';
import { notify, type SentNotification } from './notify';
import { expandTeamChecks } from '../core/providers/team';
import { checkTimed, metricsText, writeTextfile } from './exposition';
import { runServe, type ServeDeps, type ServeFlags } from './serve';
import type { CheckFlags } from './checkArgs';
import { exitForFailure } from './failure';

export type { CheckFlags } from './checkArgs';

const CACHE_TTL_MS = 3_600_000;

/** The `check --json` summary: summarizeResults under the CLI's field names. */
export function summarize(results: readonly BalanceResult[]) {
  const s = summarizeResults(results);
  return { totalAccounts: s.accounts, totalBalance: s.totals, accountsWithErrors: s.errors, accountsCritical: s.critical, accountsWarning: s.warning };
}

const FORMATS = ['table', 'json', 'openmetrics'] as const;

/** `check` as a whole command: its exit status, its failure said on stderr (never a rejection). */
export async function checkMain(flags: CheckFlags, env: NodeJS.ProcessEnv): Promise<number> {
  try {
    return await runCheck(flags, env);
  } catch (e) {
    return exitForFailure(e);
  }
}

async function runCheck(flags: CheckFlags, env: NodeJS.ProcessEnv): Promise<number> {
  const format = flags.format ?? (flags.json ? 'json' : 'table');
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${format}".`);
  if (flags.json && format !== 'json') throw new UsageError(`--json is --format json; it cannot be combined with --format ${format}.`);
  const config = await loadConfig(flags.config, env);
  const stateDir = path.resolve(flags.stateDir ?? defaultStateDir(env));
  if (flags.textfile) await ensureWritable(path.resolve(flags.textfile), '--textfile DIR');
  const warn = (msg: string) => process.stderr.write(`llm-balance: ${term(msg, 2000)}\n`);
  for (const w of config.warnings) warn(w);
  // On the next turn: withStateSession has then sent its first file operation (why in preloadHttpStack).
  setImmediate(preloadHttpStack);
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
    process.stdout.write(JSON.stringify({ checkedAt, accounts: results.map(englishOnly), summary, notificationsSent: sent }, null, 2) + '\n');
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

/** `serve` with the `check --json` summary and the writability check of this module. */
export function serve(flags: ServeFlags, env: NodeJS.ProcessEnv, deps: Omit<ServeDeps, 'summarize' | 'ensureWritable'>): Promise<number> {
  return runServe(flags, env, { ...deps, summarize, ensureWritable: (dir) => ensureWritable(dir) });
}
