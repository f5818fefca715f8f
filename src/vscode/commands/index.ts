import * as vscode from 'vscode';
import type { PanelModel } from '../../panel/types';
import { engine } from '../engineLoader';
import type { KeyStore } from '../keys';
import { t } from '../l10n';
import type { Log } from '../log';
import type { BalanceMonitor } from '../monitor';
import type { ShownNotification } from '../notifier';
import type { NotificationLedger } from '../../core/ledger';
import { ui } from '../ui';
import type { AlertChannels } from '../alertChannels';
import { commandBodies } from '../commandBundle';
import { COMMAND, type CommandId } from '../../core/commandIds';

export interface CommandDeps {
  monitor: BalanceMonitor;
  ledger: NotificationLedger;
  keys: KeyStore;
  log: Log;
  panelModel: PanelModel;
  /** This window's alerts as they are shown (so that "Check" does not repeat one as its own toast). */
  onDidNotify?: vscode.Event<ShownNotification>;
  /** The window's alert channels, made on first use. */
  channels: () => AlertChannels;
}

/** Runs a command body; an unexpected failure becomes one actionable message, not a silent rejection. */
export function guarded<A extends unknown[], R>(log: Log, name: string, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R | undefined> {
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

/** What each command does, by id. */
export type CommandHandlers = Record<CommandId, (...args: unknown[]) => Promise<unknown>>;

/**
 * Every command's handler. dist/extension.js registers every id at activation and calls these
 * once this bundle has loaded; the bodies of most load with the first one run (dist/commands.js).
 */
export function commandHandlers(context: vscode.ExtensionContext, d: CommandDeps): CommandHandlers {
  const handlers: Partial<CommandHandlers> = {};
  const reg = (id: CommandId, name: string, fn: (...args: unknown[]) => Promise<unknown>) => {
    handlers[id] = guarded(d.log, name, fn);
  };
  const b = commandBodies;
  reg(COMMAND.check, t('Check LLM Balance'), (accountId?: unknown) => b().checkCommand(d.monitor, accountId, d.onDidNotify));
  reg(COMMAND.addAccount, t('Add API Key'), () => b().addAccount(d));
  reg(COMMAND.updateKey, t('Update API Key'), (accountId?: unknown) => b().updateKey(d, accountId));
  reg(COMMAND.removeAccount, t('Remove API Key'), (accountId?: unknown) => b().removeAccount(d, accountId));
  reg(COMMAND.editAccount, t('Edit Account or Thresholds'), (accountId?: unknown) => b().editAccount(d.monitor, accountId));
  // The panel's per-card "Check now": the card itself shows progress and the result, so no
  // progress toast and no summary toast (those belong to "Check LLM Balance").
  reg(COMMAND.checkAccountQuietly, t('Check now'), async (accountId?: unknown) => (typeof accountId === 'string' ? d.monitor.checkNow([accountId]) : []));
  reg(COMMAND.manageKeys, t('Manage API Keys'), () => b().manageKeys());
  reg(COMMAND.showPanel, t('Show Balance History'), async () => {
    engine().BalancePanel.createOrShow(context, d.panelModel);
  });
  reg(COMMAND.exportHistory, t('Export History'), (target?: unknown) => engine().exportHistory(d.panelModel, target instanceof vscode.Uri ? target : undefined));
  reg(COMMAND.resetNotifications, t('Reset Notification State'), async () => {
    const n = await d.ledger.reset();
    d.log.info(`Notification state reset (${n} record${n === 1 ? '' : 's'}).`);
    void ui().showInformationMessage(n === 1 ? t('LLM Balance: notification state reset (1 record cleared).') : t('LLM Balance: notification state reset ({0} records cleared).', n));
    return n;
  });
  reg(COMMAND.showLog, t('Show Log'), async () => d.log.show());
  reg(COMMAND.acknowledge, t('Acknowledge Highlight'), (ids?: unknown) => b().acknowledgeCommand(d.monitor, d.ledger, ids));
  reg(COMMAND.configureChannels, t('Configure Alert Channels'), () => d.channels().configure());
  reg(COMMAND.sendTestAlert, t('Send Test Alert'), () => d.channels().sendTestAlert());
  return handlers as CommandHandlers;
}
