import * as vscode from 'vscode';
import type { PanelModel } from '../../panel/types';
import { engine } from '../engineLoader';
import type { KeyStore } from '../keys';
import { t } from '../l10n';
import type { Log } from '../log';
import type { BalanceMonitor } from '../monitor';
import type { ShownNotification } from '../notifier';
import { ui } from '../ui';
import { addAccount, manageKeys, removeAccount, updateKey } from './accounts';
import { checkCommand } from './check';
import { editAccount } from './editAccount';
import { acknowledgeCommand } from './acknowledge';

export interface CommandDeps {
  monitor: BalanceMonitor;
  keys: KeyStore;
  log: Log;
  panelModel: PanelModel;
  /** The alerts this window showed (so that "Check" does not repeat one as its own toast). */
  alertsShown?: readonly ShownNotification[];
}

/** Runs a command body; an unexpected failure becomes one actionable message, not a silent rejection. */
function guarded<A extends unknown[], R>(log: Log, name: string, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      log.error(`${name} failed: ${msg}`);
      void ui().showErrorMessage(t('LLM Balance: {0} failed — {1}', name, msg), t('Show Log')).then((p) => (p ? log.show() : undefined));
      return undefined;
    }
  };
}

export function registerCommands(context: vscode.ExtensionContext, d: CommandDeps): void {
  const reg = <A extends unknown[], R>(id: string, name: string, fn: (...args: A) => Promise<R>) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, guarded(d.log, name, fn)));
  reg('llmBalance.check', t('Check LLM Balance'), (accountId?: unknown) => checkCommand(d.monitor, accountId, d.alertsShown));
  reg('llmBalance.addAccount', t('Add API Key'), () => addAccount(d));
  reg('llmBalance.updateKey', t('Update API Key'), (accountId?: unknown) => updateKey(d, accountId));
  reg('llmBalance.removeAccount', t('Remove API Key'), (accountId?: unknown) => removeAccount(d, accountId));
  reg('llmBalance.editAccount', t('Edit Account or Thresholds'), (accountId?: unknown) => editAccount(d.monitor, accountId));
  // The panel's per-card "Check now": the card itself shows progress and the result, so no
  // progress toast and no summary toast (those belong to "Check LLM Balance").
  reg('llmBalance.checkAccountQuietly', t('Check now'), async (accountId?: unknown) => (typeof accountId === 'string' ? d.monitor.checkNow([accountId]) : []));
  reg('llmBalance.manageKeys', t('Manage API Keys'), () => manageKeys());
  reg('llmBalance.showPanel', t('Show Balance History'), async () => {
    engine().BalancePanel.createOrShow(context, d.panelModel);
  });
  reg('llmBalance.exportHistory', t('Export History'), (target?: unknown) => engine().exportHistory(d.panelModel, target instanceof vscode.Uri ? target : undefined));
  reg('llmBalance.resetNotifications', t('Reset Notification State'), async () => {
    const n = await d.monitor.ledger.reset();
    d.log.info(`Notification state reset (${n} record${n === 1 ? '' : 's'}).`);
    void ui().showInformationMessage(n === 1 ? t('LLM Balance: notification state reset (1 record cleared).') : t('LLM Balance: notification state reset ({0} records cleared).', n));
    return n;
  });
  reg('llmBalance.showLog', t('Show Log'), async () => d.log.show());
  reg('llmBalance.acknowledge', t('Acknowledge Highlight'), (ids?: unknown) => acknowledgeCommand(d.monitor, ids));
}
