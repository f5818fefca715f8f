import * as vscode from 'vscode';
import type { BalanceResult } from '../../core/model';
import { formatMoney } from '../../core/format';
import { isKeyMissing, summarizeResults } from '../../core/statusView';
import { errorText } from '../../core/message';
import { t } from '../l10n';
import type { BalanceMonitor } from '../monitor';
import type { ShownNotification } from '../notifier';
import { ui } from '../ui';
import { COMMAND } from '../../core/commandIds';

/** One line that says what a check found: "3 accounts · $74.75 · ¥110.00 · 1 error". */
export function checkSummary(results: readonly BalanceResult[]): string {
  const s = summarizeResults(results);
  const parts = [s.accounts === 1 ? t('1 account') : t('{0} accounts', s.accounts)];
  for (const [cur, n] of Object.entries(s.totals)) parts.push(formatMoney(n, cur));
  if (s.errors) parts.push(s.errors === 1 ? t('1 error') : t('{0} errors', s.errors));
  if (s.critical) parts.push(s.critical === 1 ? t('1 critical') : t('{0} critical', s.critical));
  if (s.warning) parts.push(s.warning === 1 ? t('1 warning') : t('{0} warnings', s.warning));
  return parts.join(' · ');
}

/** How long the summary stays in the status bar after a check. */
export const SUMMARY_STATUS_MS = 10_000;

/**
 * "Check LLM Balance": every account (or one, from the panel), bypassing the cache, with progress.
 *
 * One check puts at most one toast of its own on screen (VS Code shows three at most; a fourth
 * queues unseen). The summary is the progress notification's last words — VS Code announces a
 * notification again to screen readers when its message changes — and then stays in the status
 * bar for a few seconds. A toast only when an account failed and no alert of this check said so:
 * an alert toast already tells what went wrong, and "all fine" needs no button.
 */
export async function checkCommand(monitor: BalanceMonitor, accountId?: unknown, onDidNotify?: vscode.Event<ShownNotification>): Promise<BalanceResult[]> {
  if (monitor.accounts.length === 0) {
    const add = t('Add API Key');
    const pick = await ui().showInformationMessage(t('LLM Balance: no accounts yet.'), add);
    if (pick === add) await vscode.commands.executeCommand(COMMAND.addAccount);
    return [];
  }
  const ids = typeof accountId === 'string' ? [accountId] : undefined;
  const alerted = new Set<string>();
  const listening = onDidNotify?.((n) => alerted.add(n.accountId));
  let summary = '';
  let results: BalanceResult[];
  try {
    results = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: t('Checking LLM balances…') },
      async (progress) => {
        // Resolves after the alerts of this check were decided (the monitor awaits the notifier).
        const r = await monitor.checkNow(ids);
        const line = checkSummary(r);
        summary = t('LLM Balance: {0}', line);
        // Shown as "Checking LLM balances…: 3 accounts · $74.75 · 1 error".
        progress.report({ message: line, increment: 100 });
        return r;
      },
    );
  } finally {
    listening?.dispose();
  }
  ui().setStatusBarMessage(summary, SUMMARY_STATUS_MS);
  const unannounced = results.filter((r) => r.level === 'error' && !alerted.has(r.accountId));
  if (unannounced.length) {
    const first = unannounced[0]!;
    const showLog = t('Show Log');
    const openPanel = t('Open Panel');
    // A key missing on this machine (SPEC §2) is fixed by setting it, not by reading the log.
    const setKey = isKeyMissing(first) ? [t('Set Key')] : [];
    void ui()
      .showWarningMessage(t('{0}. {1}: {2}', summary, first.label, errorText(first, t) ?? t('error')), ...setKey, showLog, openPanel)
      .then((pick) => {
        if (pick === showLog) void vscode.commands.executeCommand(COMMAND.showLog);
        if (pick === openPanel) void vscode.commands.executeCommand(COMMAND.showPanel);
        if (pick !== undefined && pick === setKey[0]) void vscode.commands.executeCommand(COMMAND.updateKey, first.accountId);
      });
  }
  return results;
}
