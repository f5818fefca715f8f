// The one-line notification text of SPEC §7, shared by the extension and the CLI.
import { formatMoney } from './format';
import type { NotifyLevel } from './ledger';
import type { BalanceResult } from './model';

export function alertLine(r: BalanceResult, level: NotifyLevel, threshold: number | undefined): string {
  if (level === 'error') {
    if (r.errorKind === 'insufficient_funds') return `CRITICAL: ${r.label} is out of funds — ${r.error ?? 'the provider refuses calls'}. Add funds to avoid interruption.`;
    return `API KEY ERROR: ${r.label} — ${r.error ?? 'the key was rejected'}. Check the key, its expiry and where it is configured.`;
  }
  if (r.balance === null || r.errorKind === 'insufficient_funds') {
    const why = r.error ? ` — ${r.error}` : '';
    return `${level.toUpperCase()}: ${r.label} is out of funds${why}. Add funds to avoid interruption.`;
  }
  const th = threshold === undefined ? '' : ` (threshold ${formatMoney(threshold, r.currency)})`;
  return `${level.toUpperCase()}: ${r.label} balance low — ${formatMoney(r.balance, r.currency)} left${th}. Add funds to avoid interruption.`;
}
