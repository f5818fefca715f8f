// The readable (non --json) output: one row per account, totals per currency, errors in words.
import { formatMoney } from '../core/format';
import type { BalanceResult } from '../core/model';
import { safeText } from '../core/safeText';

/** Provider text (and labels) for a terminal: no ESC sequences, controls or bidi overrides (safeText.ts). */
export function term(s: string, max?: number): string {
  return safeText(s, 'terminal', max === undefined ? {} : { max });
}

function pad(s: string, n: number): string {
  const len = [...s].length;
  return len >= n ? s : s + ' '.repeat(n - len);
}

export function renderTable(results: readonly BalanceResult[], totals: Record<string, number>): string {
  const rows = results.map((r) => {
    const balance = r.balance === null ? (r.status === 'valid' || r.status === 'unavailable' ? 'n/a' : '—') : formatMoney(r.balance, r.currency) + (r.stale ? ' (stale)' : '');
    const parts: string[] = [];
    if (r.limit !== null) parts.push(`limit ${formatMoney(r.limit, r.currency)}`);
    if (r.usage !== null) parts.push(`used ${formatMoney(r.usage, r.currency)}`);
    return [term(r.label, 80), balance, parts.join(', '), r.level.toUpperCase(), r.checkedAt.replace('T', ' ').slice(0, 16) + 'Z'];
  });
  const head = ['Account', 'Balance', 'Limit / usage', 'Level', 'Checked'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i] ?? 0)).join('  ').trimEnd();
  const out = [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const totalText = Object.entries(totals).map(([cur, n]) => formatMoney(n, cur)).join(' · ');
  out.push('', `Total: ${totalText || 'no balances known'}`);
  const problems = results.filter((r) => r.error || r.note);
  if (problems.length) {
    out.push('');
    for (const r of problems) {
      if (r.error) out.push(`${term(r.label, 80)}: ${term(r.error)}`);
      if (r.note) out.push(`${term(r.label, 80)}: note: ${term(r.note)}`);
    }
  }
  return out.join('\n');
}
