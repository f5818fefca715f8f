// Notifications from the CLI: decided by the shared ledger (once per account, level and
// cooldown), written to stderr (cron mails it) and sent to the configured channels.
import type { HistoryStore } from '../core/history';
import type { NotificationLedger, NotifyLevel } from '../core/ledger';
import type { Account, BalanceResult } from '../core/model';
import { amountThresholds, type ThresholdSettings } from '../core/thresholds';
import { alertLine } from '../core/alertText';

export interface SentNotification {
  accountId: string;
  level: NotifyLevel;
  channel: string;
}

export interface NotifyOptions {
  ledger: NotificationLedger;
  accounts: Account[];
  thresholds: ThresholdSettings;
  cooldownHours: number;
  force: boolean;
  env: NodeJS.ProcessEnv;
  history: HistoryStore;
  log: (msg: string) => void;
}

export async function notify(results: readonly BalanceResult[], o: NotifyOptions): Promise<SentNotification[]> {
  const sent: SentNotification[] = [];
  const byId = new Map(o.accounts.map((a) => [a.id, a]));
  for (const r of results) {
    const decision = await o.ledger.observe(r, { force: o.force });
    if (!decision.notify || !decision.level) continue;
    const account = byId.get(r.accountId);
    const th = account ? amountThresholds(account, r.currency, o.thresholds) : undefined;
    const threshold = decision.level === 'critical' ? th?.critical : decision.level === 'warning' ? th?.warning : undefined;
    const line = alertLine(r, decision.level, threshold);
    process.stderr.write(`${line}\n`);
    sent.push({ accountId: r.accountId, level: decision.level, channel: 'console' });
    await o.ledger.record(r.accountId, decision.level);
    o.history.addEvent({ t: Date.now(), accountId: r.accountId, label: r.label, kind: 'notification', level: decision.level, message: line, channel: 'console' });
  }
  return sent;
}
