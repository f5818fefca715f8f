// Notifications from the CLI: decided by the shared ledger (once per account, level and
// cooldown), written to stderr (cron mails it) and delivered to the channels configured in
// the environment (Telegram, Slack, Discord, webhook, e-mail), waiting for delivery — bounded.
import { buildAlert, type Alert } from '../core/alerts/message';
import { channelsFromEnv } from '../core/alerts/channels';
import { deliverAlerts } from '../core/alerts/delivery';
import type { HistoryStore } from '../core/history';
import type { NotificationLedger, NotifyLevel } from '../core/ledger';
import type { Account, BalanceResult } from '../core/model';
import { PROVIDERS } from '../core/providers/registry';
import { alertThreshold, type ThresholdSettings } from '../core/thresholds';
import { term } from './table';
import { DEFAULT_ALERT_RULES, type AlertRules } from '../core/alertRules';
import { budgetUsage, crossedSteps, stepLevel, stepMessage } from '../core/budgetSteps';
import { detectSpike, spikeJudgeable, spikeMessage } from '../core/spike';

const SPIKE_LOOKBACK_MS = 8 * 24 * 3_600_000;

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
  thresholds: ThresholdSettings;
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
  const alerts: { alert: Alert; level: NotifyLevel; previous: unknown }[] = [];
  const byId = new Map(o.accounts.map((a) => [a.id, a]));
  for (const r of results) {
    const decision = await o.ledger.observe(r, { force: o.force });
    if (!decision.notify || !decision.level) continue;
    const account = byId.get(r.accountId);
    const keyEnv = account ? (typeof account.keyEnv === 'string' ? account.keyEnv : PROVIDERS[account.provider].keyEnv) : undefined;
    const alert = buildAlert(r, {
      ...alertThreshold(r, account ?? {}, o.thresholds),
      cooldownHours: o.cooldownHours,
      ...(account ? { billingUrl: PROVIDERS[account.provider].billingUrl(account) } : {}),
      ...(keyEnv ? { keyLocation: `the environment variable ${keyEnv}` } : {}),
    });
    if (!alert) continue;
    alerts.push({ alert, level: decision.level, previous: o.ledger.rawRecord(r.accountId, decision.level) });
  }
  // Recorded as sent before anything is sent, and saved: a failed save stops here.
  for (const { alert, level } of alerts) await o.ledger.record(alert.accountId, level);
  const notices = await budgetAndSpike(results, o, alerts.map((a) => a.alert.accountId));
  if (alerts.length || notices.length) await o.beforeDelivery?.();
  for (const { alert, level } of alerts) {
    process.stderr.write(`${term(alert.message, 2000)}\n`);
    sent.push({ accountId: alert.accountId, level, channel: 'console' });
    o.history.addEvent({ t: Date.now(), accountId: alert.accountId, label: alert.label, kind: 'notification', level, message: alert.message, channel: 'console' });
  }
  for (const n of notices) {
    process.stderr.write(`${term(n.message, 2000)}\n`);
    o.history.addEvent({ t: (o.now ?? Date.now)(), accountId: n.r.accountId, label: n.r.label, kind: 'notification', level: n.level, message: n.message, channel: 'console' });
    sent.push({ accountId: n.r.accountId, level: n.level, channel: 'console', kind: n.kind });
  }

  const set = channelsFromEnv(o.env, { timeoutMs: o.timeoutMs });
  for (const e of set.errors) o.log(`alert channel ${e.channel} is not set up: ${e.message}`);
  const delivered = new Set<string>();
  try {
    if (alerts.length && set.channels.length) {
      const report = await deliverAlerts(alerts.map((a) => a.alert), set.channels, { timeoutMs: o.deliveryTimeoutMs ?? 30_000 });
      for (const out of report.outcomes) {
        if (out.ok) {
          sent.push({ accountId: out.accountId, level: out.level, channel: out.channel });
          delivered.add(out.accountId);
        } else o.log(`alert to ${out.channel} for ${out.accountId} failed: ${out.error ?? 'not delivered'}`);
      }
    }
  } finally {
    await set.close();
  }
  // Kept once it reached someone: when every external channel failed, the record made ahead is
  // taken back and the next run tries again.
  for (const { alert, level, previous } of alerts) {
    if (set.channels.length > 0 && !delivered.has(alert.accountId)) {
      await o.ledger.restore(alert.accountId, level, previous);
      o.log(`no channel took the alert for ${alert.accountId}; the next run will try again`);
    }
  }
  return sent;
}

/**
 * Budget steps and spend spikes due now, recorded in the ledger (the caller saves, then says
 * them on stderr and in the history's events). A step the level alert of the same run already
 * said is recorded silently.
 */
async function budgetAndSpike(
  results: readonly BalanceResult[],
  o: NotifyOptions,
  alerted: readonly string[],
): Promise<{ r: BalanceResult; level: NotifyLevel | 'info'; kind: 'step' | 'spike'; message: string }[]> {
  const rules = o.alertRules ?? DEFAULT_ALERT_RULES;
  const now = (o.now ?? Date.now)();
  const out: { r: BalanceResult; level: NotifyLevel | 'info'; kind: 'step' | 'spike'; message: string }[] = [];
  for (const r of results) {
    const u = rules.budgetSteps.length ? budgetUsage(r) : undefined;
    const reached = u ? crossedSteps(u, rules.budgetSteps) : [];
    if (u && reached.length) {
      const d = await o.ledger.decideSteps(r.accountId, u.window, reached, { force: o.force });
      if (d.unrecorded.length) await o.ledger.recordSteps(r.accountId, u.window, d.unrecorded);
      if (d.notify !== undefined && !alerted.includes(r.accountId)) {
        const level = stepLevel(r);
        out.push({ r, level, kind: 'step', message: stepMessage(r.label, d.notify, u, level) });
      }
    }
    if (!spikeJudgeable(r) || !o.ledger.spikeDue(r.accountId, { force: o.force })) continue;
    const spike = detectSpike(o.history.seriesView(r.accountId, now - SPIKE_LOOKBACK_MS), now, rules.spendSpike);
    if (!spike) continue;
    await o.ledger.recordSpike(r.accountId);
    out.push({ r, level: 'warning', kind: 'spike', message: spikeMessage(r.label, spike) });
  }
  return out;
}
