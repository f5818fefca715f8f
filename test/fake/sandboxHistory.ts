// A month of made-up history for the `npm start` sandbox, so that a newcomer sees charts, burn
// rates and forecasts on first sight instead of one point per account. Each environment
// account is checked once against the simulated providers, and the month is drawn backwards
// from that answer, so the first real check continues the line instead of jumping: a steady
// spend with a weekly rhythm, a drop into the warning band about two weeks ago, a top-up that
// ends it, and the notification that drop would have sent.
import * as path from 'node:path';
import { checkAccount } from '../../src/core/check';
import { accountsFromEnv } from '../../src/core/envAccounts';
import { formatMoney } from '../../src/core/format';
import { HistoryStore } from '../../src/core/history';
import { HttpClient } from '../../src/core/http';
import { DEFAULT_THRESHOLDS, type BalanceResult, type Level } from '../../src/core/model';
import { PROVIDERS } from '../../src/core/providers/registry';
import { DEFAULT_THRESHOLD_SETTINGS, judge } from '../../src/core/thresholds';

/** Whole cents, as a provider would report them. */
const cents = (n: number) => Math.round(n * 100) / 100;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Where VS Code keeps this extension's global storage under a user-data folder. */
export const EXTENSION_ID = 'llmbalance.llm-balance';

export interface SeedOptions {
  /** VS Code's --user-data-dir; the history goes to User/globalStorage/<extension id>/history.json. */
  userDataDir: string;
  /** The environment VS Code gets (the demo keys and *_BASE_URL of the simulated providers). */
  env: NodeJS.ProcessEnv;
  now?: number;
  days?: number;
  /** Hours between made-up checks. */
  everyHours?: number;
}

export interface SeedSummary {
  file: string;
  accounts: string[];
  points: number;
}

/** Same ids and labels as the extension gives environment accounts (src/vscode/monitor.ts). */
function envId(providerAccountId: string): string {
  return `env-${providerAccountId}`;
}

/** A seeded balance's level, by the default thresholds (the sandbox sets none of its own). */
function levelOf(balance: number, currency: string): Level {
  return judge({ status: 'valid', balance, currency, limit: null }, {}, DEFAULT_THRESHOLD_SETTINGS).level;
}

/** Spend per hour follows working hours and weekdays, so the chart is not a ruler line. */
function rhythm(t: number): number {
  const d = new Date(t);
  const hour = d.getUTCHours();
  const weekday = d.getUTCDay() !== 0 && d.getUTCDay() !== 6;
  return (hour >= 8 && hour < 20 ? 1.6 : 0.4) * (weekday ? 1.15 : 0.6);
}

/**
 * The points of one account, oldest first, ending at `current`. With a balance: spend from a
 * starting balance down into the warning band, a top-up `topUpDaysAgo` ago, then spend down to
 * today's figure. Without one (spend only): the month's usage climbing to today's.
 */
export function seedSeries(current: BalanceResult, opts: { now: number; days: number; everyHours: number; topUpDaysAgo?: number }): { t: number; balance: number | null; usage: number | null; level: Level }[] {
  const { now, days, everyHours } = opts;
  const step = everyHours * HOUR;
  const times: number[] = [];
  for (let t = now - days * DAY; t < now - HOUR; t += step) times.push(t);
  const weight = times.map(rhythm);
  const th = DEFAULT_THRESHOLDS[current.currency];

  if (current.balance === null) {
    if (current.usage === null) return [];
    // Usage this month, rising to today's figure.
    const total = weight.reduce((a, b) => a + b, 0);
    let acc = 0;
    return times.map((t, i) => {
      acc += weight[i]!;
      return { t, balance: null, usage: cents((current.usage! * acc) / total * 0.97), level: current.level === 'error' ? 'info' : current.level };
    });
  }

  const b = current.balance;
  const warn = th?.warning ?? Math.max(1, b * 0.2);
  const topUpAt = now - (opts.topUpDaysAgo ?? 13) * DAY;
  const after = times.filter((t) => t >= topUpAt);
  const before = times.filter((t) => t < topUpAt);
  // After the top-up: spend down to today's balance at about 3 % of it per day.
  const burnAfter = Math.max(b, warn) * 0.03 * ((now - topUpAt) / DAY);
  const afterWeights = after.map(rhythm);
  const afterTotal = afterWeights.reduce((a, c) => a + c, 0) || 1;
  // Before it: from well above the warning line down to just under it (the drop into warning).
  const start = warn * 2.2;
  const low = warn * 0.85;
  const beforeWeights = before.map(rhythm);
  const beforeTotal = beforeWeights.reduce((a, c) => a + c, 0) || 1;

  const points: { t: number; balance: number; usage: number | null; level: Level }[] = [];
  let spent = 0;
  before.forEach((t, i) => {
    spent += beforeWeights[i]!;
    const value = cents(start - ((start - low) * spent) / beforeTotal);
    points.push({ t, balance: value, usage: null, level: levelOf(value, current.currency) });
  });
  let left = b + burnAfter;
  after.forEach((t, i) => {
    left -= (burnAfter * afterWeights[i]!) / afterTotal;
    const value = cents(Math.max(left, b));
    points.push({ t, balance: value, usage: null, level: levelOf(value, current.currency) });
  });
  if (current.usage !== null) {
    // A usage figure (a key's spend) grows through the month to today's.
    points.forEach((p, i) => { p.usage = cents((current.usage! * (i + 1)) / points.length); });
  }
  return points;
}

/** Checks every environment account once and writes a month of history ending in that answer. */
export async function seedSandboxHistory(opts: SeedOptions): Promise<SeedSummary> {
  const now = opts.now ?? Date.now();
  const days = opts.days ?? 30;
  const everyHours = opts.everyHours ?? 2;
  const file = path.join(opts.userDataDir, 'User', 'globalStorage', EXTENSION_ID, 'history.json');
  const store = new HistoryStore(file, { now: () => now });
  await store.load();
  const http = new HttpClient({ timeoutMs: 5000, env: {} });
  const seeded: string[] = [];
  let count = 0;
  try {
    const { accounts } = accountsFromEnv(opts.env);
    const results = await Promise.all(accounts.map((a) => checkAccount(a.account, a.keys, { http })));
    for (const [i, r] of results.entries()) {
      if (r.status === 'invalid' || r.status === 'error') continue;
      const id = envId(r.accountId);
      const label = `${PROVIDERS[r.provider].name} (environment)`;
      // Top-ups on different days, so the accounts do not move in lockstep.
      const series = seedSeries(r, { now, days, everyHours, topUpDaysAgo: 7 + ((i * 5) % 15) });
      if (series.length === 0) continue;
      store.record(series.map((p) => ({ ...r, accountId: id, label, balance: p.balance, usage: p.usage, level: p.level, checkedAt: new Date(p.t).toISOString(), stale: false })));
      const firstWarning = series.find((p) => p.level === 'warning' || p.level === 'critical');
      if (firstWarning && firstWarning.balance !== null) {
        const th = DEFAULT_THRESHOLDS[r.currency];
        store.addEvent({
          t: firstWarning.t,
          accountId: id,
          label,
          kind: 'notification',
          level: firstWarning.level,
          message: `${firstWarning.level.toUpperCase()}: ${label} balance low — ${formatMoney(firstWarning.balance, r.currency)} left (threshold ${formatMoney(th?.warning ?? null, r.currency)}).`,
          channel: 'vscode',
        });
      }
      seeded.push(id);
      count += series.length;
    }
  } finally {
    await http.close();
  }
  await store.save();
  return { file, accounts: seeded, points: count };
}
