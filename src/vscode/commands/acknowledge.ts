import type { NotificationLedger } from '../../core/ledger';
import type { BalanceMonitor } from '../monitor';

/**
 * "Acknowledge": turns the status bar's warning/error background off for these accounts (all
 * highlighted ones when none are named) until their level gets worse or the cooldown ends.
 * Returns the ids acknowledged.
 */
export async function acknowledgeCommand(monitor: BalanceMonitor, ledger: Pick<NotificationLedger, 'acknowledge'>, ids?: unknown): Promise<string[]> {
  const wanted = typeof ids === 'string' ? [ids] : Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : undefined;
  const done: string[] = [];
  for (const r of monitor.results) {
    if (wanted && !wanted.includes(r.accountId)) continue;
    if (r.level !== 'warning' && r.level !== 'critical' && r.level !== 'error') continue;
    await ledger.acknowledge(r.accountId, r.level);
    done.push(r.accountId);
  }
  monitor.refreshViews();
  return done;
}
