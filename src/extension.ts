// The composition root: log → settings → keys → monitor → status bar → commands, then the
// first check is scheduled, never awaited. Everything heavy loads on first use.
import * as vscode from 'vscode';
import { Log } from './vscode/log';
import { KeyStore } from './vscode/keys';
import { BalanceMonitor } from './vscode/monitor';
import { BalanceStatusBar } from './vscode/statusBar';
import { Notifier } from './vscode/notifier';
import { MONITOR_SETTINGS } from './vscode/settings';
import { registerCommands } from './vscode/commands';
import { registerAlertChannels, type AlertChannels } from './vscode/alertChannels';
import { uiHolder } from './vscode/ui';
import { engine } from './vscode/engineLoader';
import { t } from './vscode/l10n';
import type { PanelModel } from './panel/types';
import { createPanelModel } from './vscode/panelModel';

export interface TestApi {
  monitor: BalanceMonitor;
  statusBar: BalanceStatusBar;
  notifier: Notifier;
  channels: AlertChannels;
  keys: KeyStore;
  log: Log;
  uiHolder: typeof uiHolder;
  panelModel: PanelModel;
  globalState: vscode.Memento;
  /** How long activate() took, in ms. */
  activationMs: number;
  /** Builds a second monitor on the same globalState, as another window would. */
  newWindow(): { monitor: BalanceMonitor; notifier: Notifier; dispose(): void };
}

export function activate(context: vscode.ExtensionContext): { testing?: TestApi } {
  const t0 = performance.now();
  const log = new Log();
  const keys = new KeyStore(context.secrets);
  const monitor = new BalanceMonitor(context, log, keys);
  const statusBar = new BalanceStatusBar(monitor);
  const notifier = new Notifier(monitor, log, context.globalState);
  monitor.onDidCheck((results) => notifier.handle(results));
  context.subscriptions.push(log, keys, monitor, statusBar);

  const panelModel = createPanelModel(monitor, log);

  registerCommands(context, { monitor, keys, log, panelModel, alertsShown: notifier.shown });
  const channels = registerAlertChannels(context, { log });
  notifier.onAlert = (alert) => void channels.deliver([alert]);
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer('llmBalance.panel', {
      deserializeWebviewPanel: async (panel, state) => {
        engine().BalancePanel.revive(panel, context, panelModel, state);
      },
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (MONITOR_SETTINGS.some((s) => e.affectsConfiguration(s))) {
        monitor.reload();
        monitor.rearm();
      }
      if (e.affectsConfiguration('llmBalance.statusBar.mode') || e.affectsConfiguration('llmBalance.statusBar.highlight')) statusBar.render();
    }),
    keys.onDidChange(() => monitor.rearm()),
  );

  // Nothing slow before activate() returns: the engine loads and the accounts are read on the next turn.
  setTimeout(() => {
    try {
      monitor.start();
      statusBar.render();
      showWalkthroughOnce(context, monitor.accounts.length);
      if (monitor.problems.length) {
        const problem = monitor.problems.length > 1 ? t('{0} (+{1} more)', monitor.problems[0]!, monitor.problems.length - 1) : monitor.problems[0]!;
        const openSettings = t('Open Settings');
        const showLog = t('Show Log');
        void vscode.window
          .showWarningMessage(t('LLM Balance: some settings are invalid and were skipped — {0}.', problem), openSettings, showLog)
          .then((pick) => {
            if (pick === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', 'llmBalance');
            if (pick === showLog) log.show();
          });
      }
    } catch (e) {
      log.error(`Could not start: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }, 0);

  const activationMs = performance.now() - t0;
  log.info(`Activated in ${activationMs.toFixed(1)} ms.`);
  if (context.extensionMode === vscode.ExtensionMode.Production) return {};
  return {
    testing: {
      monitor, statusBar, notifier, channels, keys, log, uiHolder, panelModel, globalState: context.globalState, activationMs,
      newWindow: () => {
        const m = new BalanceMonitor(context, log, keys);
        const n = new Notifier(m, log, context.globalState);
        m.onDidCheck((results) => n.handle(results));
        return { monitor: m, notifier: n, dispose: () => m.dispose() };
      },
    },
  };
}

export const WALKTHROUGH_SHOWN_KEY = 'llmBalance.walkthroughShown';

/** On the first start without any account, the getting-started walkthrough (not in test runs: it would take the editor). */
function showWalkthroughOnce(context: vscode.ExtensionContext, accounts: number): void {
  if (context.globalState.get(WALKTHROUGH_SHOWN_KEY) !== undefined) return;
  void context.globalState.update(WALKTHROUGH_SHOWN_KEY, new Date().toISOString());
  if (accounts > 0 || context.extensionMode === vscode.ExtensionMode.Test) return;
  void vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#gettingStarted`, false);
}

export function deactivate(): void {
  // Disposables in context.subscriptions hand over the poller role and stop the timers.
}
