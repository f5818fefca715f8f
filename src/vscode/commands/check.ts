import * as vscode from 'vscode';
import type { BalanceResult } from '../../core/model';
import { formatMoney } from '../../core/format';
import { totals } from '../../core/statusView';
import type { BalanceMonitor } from '../monitor';
import { ui } from '../ui';

/** One line that says what a check found: "3 accounts · $74.75 · ¥110.00 · 1 error". */
export function checkSummary(results: readonly BalanceResult[]): string {
  const parts = [`${results.length} account${results.length === 1 ? '' : 's'}`];
  for (const [cur, n] of Object.entries(totals(results))) parts.push(formatMoney(n, cur));
  const count = (pred: (r: BalanceResult) => boolean, word: string) => {
    const n = results.filter(pred).length;
    if (n) parts.push(`${n} ${word}${n === 1 ? '' : 's'}`);
  };
  count((r) => r.level === 'error', 'error');
  count((r) => r.level === 'critical', 'critical');
  count((r) => r.level === 'warning', 'warning');
  return parts.join(' · ');
}

/** "Check LLM Balance": every account (or one, from the panel), bypassing the cache, with progress. */
export async function checkCommand(monitor: BalanceMonitor, accountId?: unknown): Promise<BalanceResult[]> {
  if (monitor.accounts.length === 0) {
    const pick = await ui().showInformationMessage('LLM Balance: no accounts yet.', 'Add API Key');
    if (pick === 'Add API Key') await vscode.commands.executeCommand('llmBalance.addAccount');
    return [];
  }
  const ids = typeof accountId === 'string' ? [accountId] : undefined;
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Checking LLM balances…' },
    () => monitor.checkNow(ids),
  );
  const summary = `LLM Balance: ${checkSummary(results)}`;
  const failed = results.filter((r) => r.level === 'error');
  if (failed.length) {
    const first = failed[0]!;
    void ui()
      .showWarningMessage(`${summary}. ${first.label}: ${first.error ?? 'error'}`, 'Show Log', 'Open Panel')
      .then((pick) => {
        if (pick === 'Show Log') void vscode.commands.executeCommand('llmBalance.showLog');
        if (pick === 'Open Panel') void vscode.commands.executeCommand('llmBalance.showPanel');
      });
  } else {
    void ui().showInformationMessage(summary);
  }
  return results;
}
