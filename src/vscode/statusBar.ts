import * as vscode from 'vscode';
import { statusView } from '../core/statusView';
import type { NotificationLedger } from '../core/ledger';
import type { BalanceMonitor } from './monitor';
import { t } from './l10n';
import { settings } from './settings';
import { COMMAND } from '../core/commandIds';

/** The one status bar item (SPEC §6), redrawn whenever the monitor changes. */
export class BalanceStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly subs: vscode.Disposable[] = [];
  /** The tooltip says "Checked 6 min ago": redraw it as time passes, not only when results change. */
  private readonly clock: ReturnType<typeof setInterval>;

  constructor(
    private readonly monitor: BalanceMonitor,
    private readonly ledger: Pick<NotificationLedger, 'isAcknowledged'>,
  ) {
    this.item = vscode.window.createStatusBarItem('llmBalance.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'LLM Balance';
    this.subs.push(monitor.onDidChange(() => this.render()));
    this.item.text = '$(sync~spin) LLM Balance';
    this.item.show();
    this.clock = setInterval(() => {
      if (this.monitor.results.length) this.render();
    }, 30_000);
  }

  render(): void {
    const v = statusView(this.monitor.results, {
      mode: settings.statusBarMode(),
      checking: this.monitor.isChecking,
      accountCount: this.monitor.accounts.length,
      // Environment accounts, and a team's shared accounts ("<team>/<id>": their keys live on the team server).
      readOnly: new Set([
        ...this.monitor.accounts.filter((m) => m.source === 'environment').map((m) => m.account.id),
        ...this.monitor.results.filter((r) => r.accountId.includes('/')).map((r) => r.accountId),
      ]),
      highlight: settings.statusBarHighlight(),
      acknowledged: new Set(this.monitor.results.filter((r) => this.ledger.isAcknowledged(r.accountId, r.level)).map((r) => r.accountId)),
      t,
    });
    this.item.accessibilityInformation = { label: v.ariaLabel, role: 'button' };
    this.item.text = v.text;
    const md = new vscode.MarkdownString(v.tooltip, true);
    md.isTrusted = { enabledCommands: [COMMAND.check, COMMAND.showPanel, COMMAND.manageKeys, COMMAND.updateKey, COMMAND.acknowledge] };
    this.item.tooltip = md;
    this.item.command = v.commandArgs ? { command: v.command, title: t('Set key'), arguments: v.commandArgs } : v.command;
    this.item.backgroundColor =
      v.background === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground')
      : v.background === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : undefined;
  }

  dispose(): void {
    clearInterval(this.clock);
    for (const s of this.subs) s.dispose();
    this.item.dispose();
  }
}
