// VS Code notifications for results that cross a level (SPEC §7). The ledger in globalState
// decides; the record is written before the toast is shown so another window that reads it
// a moment later stays quiet.
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import type { Alert } from '../core/alerts/message';
import type { BalanceResult } from '../core/model';
import { engine } from './engineLoader';
import type { Log } from './log';
import type { BalanceMonitor } from './monitor';
import { ui } from './ui';
import { isKeyMissing } from '../core/statusView';
import { settings } from './settings';

export const KEY_MISSING_PREFIX = 'llmBalance.keyMissingPrompted.';
const READ_BACK_MS = 300;

export interface ShownNotification {
  accountId: string;
  level: 'warning' | 'critical' | 'error';
  message: string;
}

export class Notifier {
  /** What this window has shown, newest last (read by the tests and the panel's events). */
  readonly shown: ShownNotification[] = [];
  /** Told of each alert as its notification is shown, after the ledger recorded it (the external channels). */
  onAlert: ((alert: Alert) => void) | undefined;

  constructor(
    private readonly monitor: BalanceMonitor,
    private readonly log: Log,
    private readonly store: vscode.Memento,
  ) {}

  async handle(results: readonly BalanceResult[]): Promise<void> {
    await this.promptKeyMissing(results.filter(isKeyMissing));
    const claimed: { r: BalanceResult; level: 'warning' | 'critical' | 'error'; token: string }[] = [];
    for (const r of results) {
      if (isKeyMissing(r)) continue;
      const d = await this.monitor.ledger.observe(r);
      if (!d.notify || !d.level) continue;
      const token = `${this.monitor.windowId}:${randomUUID()}`;
      await this.monitor.ledger.record(r.accountId, d.level);
      await this.monitor.ledger.claim(r.accountId, d.level, token);
      claimed.push({ r, level: d.level, token });
    }
    if (claimed.length === 0) return;
    // Another window (or an overlapping check in this one) that decided the same at the same
    // moment wrote its own claim; after the writes have crossed, only the last claim shows.
    await new Promise((res) => setTimeout(res, READ_BACK_MS));
    for (const { r, level, token } of claimed) {
      if (!this.monitor.ledger.stillClaimed(r.accountId, level, token)) {
        this.log.info(`Another window notified ${r.accountId} (${level}); not repeating it.`);
        continue;
      }
      const m = this.monitor.accounts.find((x) => x.account.id === r.accountId);
      const th = this.monitor.thresholds ? engine().alertThreshold(r, m?.account ?? {}, this.monitor.thresholds) : { threshold: null };
      const billingUrl = this.monitor.billingUrl(r.accountId);
      const alert = engine().buildAlert(r, { ...th, cooldownHours: settings.notificationCooldownHours(), ...(billingUrl ? { billingUrl } : {}) });
      if (!alert) continue;
      const message = alert.message;
      this.shown.push({ accountId: r.accountId, level, message });
      this.log.info(`Notified (${level}): ${message}`);
      try {
        this.onAlert?.(alert);
      } catch (e) {
        this.log.error(`Alert channels failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      await this.monitor.addNotificationEvent(r, message, level);
      this.show(r, level, message).catch((e: unknown) => this.log.error(`Notification action failed: ${e instanceof Error ? e.message : String(e)}`));
    }
  }

  private async show(r: BalanceResult, level: 'warning' | 'critical' | 'error', message: string): Promise<void> {
    const keyProblem = level === 'error' && r.errorKind === 'auth';
    const actions = keyProblem ? ['Update Key', 'Open Panel', 'Snooze 24h'] : ['Add Funds', 'Open Panel', 'Snooze 24h'];
    const pick = level === 'warning' ? await ui().showWarningMessage(message, ...actions) : await ui().showErrorMessage(message, ...actions);
    switch (pick) {
      case 'Add Funds': {
        const url = this.monitor.billingUrl(r.accountId);
        if (url && url.startsWith('https://')) await vscode.env.openExternal(vscode.Uri.parse(url));
        else await vscode.commands.executeCommand('llmBalance.showPanel');
        break;
      }
      case 'Update Key':
        await vscode.commands.executeCommand('llmBalance.updateKey', r.accountId);
        break;
      case 'Open Panel':
        await vscode.commands.executeCommand('llmBalance.showPanel');
        break;
      case 'Snooze 24h':
        await this.monitor.ledger.snoozeAccount(r.accountId, level, 24);
        this.log.info(`Snoozed ${r.label} (${level}) for 24 h.`);
        break;
    }
  }

  /** After Settings Sync brings accounts without their keys: one prompt for all of them, once per day. */
  private async promptKeyMissing(missing: readonly BalanceResult[]): Promise<void> {
    const due: BalanceResult[] = [];
    for (const r of missing) {
      if (this.monitor.accounts.find((x) => x.account.id === r.accountId)?.source !== 'settings') continue;
      const k = KEY_MISSING_PREFIX + r.accountId;
      const last = this.store.get<number>(k);
      if (typeof last === 'number' && Date.now() - last < 24 * 3_600_000) continue;
      await this.store.update(k, Date.now());
      due.push(r);
    }
    if (due.length === 0) return;
    const names = due.map((r) => `"${r.label}"`).join(', ');
    const text = due.length === 1
      ? `LLM Balance: no API key is stored on this machine for ${names}. Set it to start checking.`
      : `LLM Balance: no API keys are stored on this machine for ${names}. Set them to start checking.`;
    void ui()
      .showWarningMessage(text, 'Set Key')
      .then((pick) => (pick === 'Set Key' ? vscode.commands.executeCommand('llmBalance.updateKey', due.length === 1 ? due[0]!.accountId : undefined) : undefined));
  }
}
