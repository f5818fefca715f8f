// Notifications from the CLI: decided by the shared ledger (once per account, level and
// cooldown), written to stderr (cron mails it) and delivered to the channels configured in
// the environment (Telegram, Slack, Discord, webhook, e-mail), waiting for delivery — bounded.
import { channelsFromEnv } from '../core/alerts/channels';
import { deliverAlerts } from '../core/alerts/delivery';
import type { HistoryStore } from '../core/history';
import type { NotificationLedger, NotifyLevel } from '../core/ledger';
import type { Account, BalanceResult } from '../core/model';
import { PROVIDERS } from '../core/providers/registry';
import { decideAlerts, type DecidedAlert } from '../core/decideAlerts';
import { term } from './table';
import { DEFAULT_ALERT_RULES, type AlertRules } from '../core/alertRules';

export interface SentNotification {
  accountId: string;
  level: NotifyLevel | 'info';
  channel: string;
  /** Set for a budget step or spend spike; absent for a level alert. */
  kind?: 'step' | 'spike';
}

export interface NotifyOptions {
  ledger: NotificationLedger;
  accounts: Account[];
  cooldownHours: number;
  force: boolean;
  env: NodeJS.ProcessEnv;
  history: HistoryStore;
  log: (msg: string) => void;
  timeoutMs: number;
  /** How long to wait for the channels before giving up on them. */
  deliveryTimeoutMs?: number;
  /**
   * Called once the alerts about to go out are recorded in the ledger, before any is shown or
   * sent: it saves the state. If it throws, nothing is sent (and the error propagates) — an
   * alert that went out must never go out again because its record could not be written.
   */
  beforeDelivery?: () => Promise<void>;
  /** Budget steps and spend spike; default none and the SPEC's spike rule. */
  alertRules?: AlertRules;
  now?: () => number;
}

export async function notify(results: readonly BalanceResult[], o: NotifyOptions): Promise<SentNotification[]> {
  const sent: SentNotification[] = [];
  const byId = new Map(o.accounts.map((a) => [a.id, a]));
  // One clock for the decisions and the events they leave in the history.
  const now = (o.now ?? Date.now)();
  const decided = await decideAlerts(results, {
    ledger: o.ledger,
    rules: o.alertRules ?? DEFAULT_ALERT_RULES,
    account: (id) => byId.get(id),
    cooldownHours: o.cooldownHours,
    extras: (_r, account) => {
      if (!account) return {};
      const keyEnv = typeof account.keyEnv === 'string' ? account.keyEnv : PROVIDERS[account.provider].keyEnv;
      return { billingUrl: PROVIDERS[account.provider].billingUrl(account), ...(keyEnv ? { keyLocation: `the environment variable ${keyEnv}` } : {}) };
    },
    history: () => o.history,
    force: o.force,
    now,
  });
  // Recorded as sent before anything is sent, and saved: a failed save stops here.
  if (decided.length) await o.beforeDelivery?.();
  for (const d of decided) {
    process.stderr.write(`${term(d.message, 2000)}\n`);
    o.history.addEvent({ t: now, accountId: d.r.accountId, label: d.r.label, kind: 'notification', level: d.level, message: d.message, channel: 'console' });
    sent.push({ accountId: d.r.accountId, level: d.level, channel: 'console', ...kindOf(d.kind) });
  }

  const set = channelsFromEnv(o.env, { timeoutMs: o.timeoutMs });
  for (const e of set.errors) o.log(`alert channel ${e.channel} is not set up: ${e.message}`);
  /** Which decisions reached at least one channel: an account has at most one alert of each kind per run. */
  const delivered = new Set<string>();
  const which = (accountId: string, kind: DecidedAlert['kind']): string => `${kind}\u0000${accountId}`;
  try {
    if (decided.length && set.channels.length) {
      const outcomes = await deliverAlerts(decided.map((d) => d.alert), set.channels, { timeoutMs: o.deliveryTimeoutMs ?? 30_000 });
      for (const out of outcomes) {
        if (out.ok) {
          sent.push({ accountId: out.accountId, level: out.level, channel: out.channel, ...kindOf(out.kind) });
          delivered.add(which(out.accountId, out.kind));
        } else o.log(`alert to ${out.channel} for ${out.accountId}${out.kind === 'level' ? '' : ` (${out.kind})`} failed: ${out.error ?? 'not delivered'}`);
      }
    }
  } finally {
    await set.close();
  }
  // Kept once it reached someone: when every external channel failed, the records made ahead are
  // taken back and the next run tries again — a level, a budget step and a spike alike.
  for (const d of decided) {
    if (set.channels.length > 0 && !delivered.has(which(d.r.accountId, d.kind))) {
      await o.ledger.putBack(d.undo);
      o.log(`no channel took the ${d.kind === 'level' ? 'alert' : d.kind === 'step' ? 'budget-step alert' : 'spend-spike alert'} for ${d.r.accountId}; the next run will try again`);
    }
  }
  return sent;
}

const kindOf = (kind: DecidedAlert['kind']): Pick<SentNotification, 'kind'> => (kind === 'level' ? {} : { kind });
