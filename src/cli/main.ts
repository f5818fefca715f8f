// `llm-balance`: the headless engine for cron and CI (SPEC §11).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { BalanceEngine } from '../core/engine';
import { JsonFileStore } from '../core/fileStore';
import { HistoryStore } from '../core/history';
import { HttpClient } from '../core/http';
import { NotificationLedger } from '../core/ledger';
import { LEVEL_RANK, worstLevel, type BalanceResult, type Level } from '../core/model';
import { formatMoney } from '../core/format';
import { totals } from '../core/statusView';
import { redact } from '../core/redact';
import { renderTable, term } from './table';
import { defaultStateDir, loadConfig, UsageError } from './config';
import { notify, type SentNotification } from './notify';

export const EXIT = { ok: 0, warning: 1, critical: 2, usage: 3 } as const;
const CACHE_TTL_MS = 3_600_000;

export function exitCodeFor(levels: Level[]): number {
  const worst = worstLevel(levels);
  if (LEVEL_RANK[worst] >= LEVEL_RANK.critical) return EXIT.critical;
  if (worst === 'warning') return EXIT.warning;
  return EXIT.ok;
}

export function summarize(results: readonly BalanceResult[]) {
  return {
    totalAccounts: results.length,
    totalBalance: totals(results),
    accountsWithErrors: results.filter((r) => r.level === 'error').length,
    accountsCritical: results.filter((r) => r.level === 'critical').length,
    accountsWarning: results.filter((r) => r.level === 'warning').length,
  };
}

interface CheckFlags {
  json?: boolean;
  force?: boolean;
  forceNotify?: boolean;
  config?: string;
  stateDir?: string;
}

async function runCheck(flags: CheckFlags, env: NodeJS.ProcessEnv): Promise<number> {
  const config = await loadConfig(flags.config, env);
  const stateDir = path.resolve(flags.stateDir ?? defaultStateDir(env));
  await ensureWritable(stateDir);
  const warn = (msg: string) => process.stderr.write(`llm-balance: ${msg}\n`);
  const state = await JsonFileStore.open(path.join(stateDir, 'state.json'), warn);
  const history = new HistoryStore(path.join(stateDir, 'history.json'), { log: warn });
  await history.load();
  const http = new HttpClient({ timeoutMs: config.timeoutMs, env });
  if (http.proxyProblem) warn(`${http.proxyProblem} Accounts on localhost are still checked.`);
  const thresholds = { thresholds: config.thresholds, percent: config.percent };
  const keyed = config.accounts.filter((a) => a.account.enabled !== false);
  const keysById = new Map(keyed.map((a) => [a.account.id, a.keys]));
  const engine = new BalanceEngine({ http, store: state, cacheTtlMs: CACHE_TTL_MS, thresholds, keys: (a) => keysById.get(a.id) ?? {} });

  const started = Date.now();
  let results: BalanceResult[];
  try {
    results = await engine.check(keyed.map((a) => a.account), { force: !!flags.force });
  } finally {
    await http.close();
  }
  // Only fresh numbers go into history; a cached result was recorded when it was made.
  history.record(results.filter((r) => Date.parse(r.checkedAt) >= started - 1000));

  const ledger = new NotificationLedger(state, config.cooldownHours);
  const sent: SentNotification[] = await notify(results, {
    ledger,
    accounts: keyed.map((a) => a.account),
    thresholds,
    cooldownHours: config.cooldownHours,
    force: !!flags.forceNotify,
    env,
    history,
    log: warn,
    timeoutMs: config.timeoutMs,
  });
  await engine.prune(config.accounts.map((a) => a.account.id));
  await state.flush();
  await history.save();

  const checkedAt = new Date().toISOString();
  const summary = summarize(results);
  if (flags.json) {
    process.stdout.write(JSON.stringify({ checkedAt, accounts: results, summary, notificationsSent: sent }, null, 2) + '\n');
  } else {
    process.stdout.write(renderTable(results, summary.totalBalance) + '\n');
  }
  return exitCodeFor(results.map((r) => r.level));
}

/** The ledger must be saved, or the next run repeats every alert: refuse to start without it. */
async function ensureWritable(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
    const probe = path.join(dir, `.write-test-${process.pid}`);
    await fs.writeFile(probe, '');
    await fs.rm(probe, { force: true });
  } catch (e) {
    throw new UsageError(`The state directory ${dir} is not writable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); pass --state-dir DIR.`);
  }
}

async function runHistory(hoursArg: string | undefined, flags: { json?: boolean; stateDir?: string }, env: NodeJS.ProcessEnv): Promise<number> {
  const hours = hoursArg === undefined ? 24 : Number(hoursArg);
  if (!Number.isFinite(hours) || hours <= 0) throw new UsageError(`HOURS must be a positive number, got "${hoursArg}".`);
  const stateDir = path.resolve(flags.stateDir ?? defaultStateDir(env));
  const history = new HistoryStore(path.join(stateDir, 'history.json'), { log: (m) => process.stderr.write(`llm-balance: ${m}\n`) });
  await history.load();
  const since = Date.now() - hours * 3_600_000;
  const accounts = history.accounts().map((id) => ({
    accountId: id,
    label: history.label(id) ?? id,
    points: history.series(id, since).map((p) => ({ time: new Date(p.t).toISOString(), ...p })),
  }));
  const events = history.events().filter((e) => e.t >= since).map((e) => ({ time: new Date(e.t).toISOString(), ...e }));
  if (flags.json) {
    process.stdout.write(JSON.stringify({ hours, accounts, events }, null, 2) + '\n');
    return EXIT.ok;
  }
  const lines: string[] = [`History of the last ${hours} h (${stateDir})`];
  if (accounts.every((a) => a.points.length === 0)) lines.push('No history yet: run `llm-balance check` first.');
  for (const a of accounts) {
    if (a.points.length === 0) continue;
    lines.push('', term(a.label, 80));
    for (const p of a.points) {
      lines.push(`  ${p.time.replace('T', ' ').slice(0, 16)}Z  ${formatMoney(p.balance, p.currency).padStart(12)}  ${p.level}`);
    }
  }
  if (events.length) {
    lines.push('', 'Events');
    for (const e of events) lines.push(`  ${e.time.replace('T', ' ').slice(0, 16)}Z  ${e.kind}  ${term(e.message, 2000)}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  return EXIT.ok;
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
    .option('--json', 'print one JSON object')
    .option('--force', 'bypass the one-hour cache')
    .option('--force-notify', 'notify even if already notified within the cooldown')
    .option('--config <file>', 'accounts from a JSON file instead of the environment')
    .option('--state-dir <dir>', 'where cache, notification records and history live')
    .action(async (flags: CheckFlags) => {
      code = await runCheck(flags, env);
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
    process.stderr.write(`llm-balance: unexpected failure: ${redact(e instanceof Error ? e.message : String(e))}\n`);
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
