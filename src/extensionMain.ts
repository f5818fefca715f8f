// The composition root (dist/extension-main.js): log → keys → the window's services (lease,
// monitor, history, ledger, notifier) → status bar → command handlers, then the first check is
// scheduled, never awaited. dist/extension.js (src/extension.ts) loads it on the turn after
// activation, or sooner for a command, a panel to restore or the test API.
// Everything heavy loads on first use.
import * as vscode from 'vscode';
import { Log } from './vscode/log';
import { KeyStore } from './vscode/keys';
import type { BalanceMonitor } from './vscode/monitor';
import { BalanceStatusBar } from './vscode/statusBar';
import type { Notifier } from './vscode/notifier';
import { createWindowServices, type WindowServices, type WindowServicesDeps } from './vscode/windowServices';
import type { WindowHistory } from './vscode/windowHistory';
import { commandHandlers, type CommandHandlers } from './vscode/commands';
import type { AlertChannels } from './vscode/alertChannels';
import { lazyAlertChannels } from './vscode/commandBundle';
import { uiHolder } from './vscode/ui';
import { engine } from './vscode/engineLoader';
import { t } from './vscode/l10n';
import { settings } from './vscode/settings';
import type { PanelModel } from './panel/types';
import { createPanelModel } from './vscode/panelModel';

export interface TestApi {
  monitor: BalanceMonitor;
  statusBar: BalanceStatusBar;
  notifier: Notifier;
  history: WindowHistory;
  channels: AlertChannels;
  keys: KeyStore;
  log: Log;
  uiHolder: typeof uiHolder;
  panelModel: PanelModel;
  globalState: vscode.Memento;
  /** How long activate() took, in ms (dist/extension.js; this bundle loads after it). */
  activationMs: number;
  /** Another window's services on the same globalState, as activation builds them (the caller disposes them). */
  newWindow(deps?: Pick<WindowServicesDeps, 'timers'>): WindowServices;
}

/** The running extension, as dist/extension.js calls it. */
export interface Started {
  commands: CommandHandlers;
  /** Restores a panel VS Code kept from the last session. */
  revive(panel: vscode.WebviewPanel, state: unknown): void;
  testing: TestApi;
}

/** The window's services, status bar and command handlers; the first check on the next turn. */
export function start(context: vscode.ExtensionContext, activationMs: number): Started {
  const t0 = performance.now();
  const log = new Log();
  const keys = new KeyStore(context.secrets);
  const services = createWindowServices(context, { log, keys });
  const { monitor, notifier, history } = services;
  const statusBar = new BalanceStatusBar(monitor, services.ledger);
  context.subscriptions.push(log, keys, services, statusBar);

  const panelModel = createPanelModel(services, log);

  const channels = lazyAlertChannels(context, log);
  const commands = commandHandlers(context, { monitor, ledger: services.ledger, keys, log, panelModel, onDidNotify: notifier.onDidNotify, channels });
  // With no channel on (the usual case) an alert loads neither the channels nor the engine's HTTP half.
  notifier.onAlert = (alert) => {
    if (settings.anyAlertChannelOn()) void channels().deliver([alert]);
  };
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('llmBalance.statusBar.mode') || e.affectsConfiguration('llmBalance.statusBar.highlight')) statusBar.render();
    }),
  );

  // The engine loads and the accounts are read on the next turn.
  setTimeout(() => {
    // Logged here: the line's redaction (its patterns compile on first use) and the output
    // channel's message are no part of starting.
    log.info(`Activated in ${activationMs.toFixed(1)} ms; started in ${startMs.toFixed(1)} ms.`);
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

  const startMs = performance.now() - t0;
  return {
    commands,
    revive: (panel, state) => engine().BalancePanel.revive(panel, context, panelModel, state),
    testing: {
      monitor, statusBar, notifier, history, keys, log, uiHolder, panelModel, globalState: context.globalState, activationMs,
      get channels() {
        return channels();
      },
      newWindow: (deps) => createWindowServices(context, { log, keys, ...deps }),
    },
  };
}

// The main bundle's own instances of the modules with state, for dist/commands.js (esbuild.mjs, `sharedWithMain`).
export * from './vscode/ui';
export { engine, CHECK_WORKER_FILE } from './vscode/engineLoader';

export const WALKTHROUGH_SHOWN_KEY = 'llmBalance.walkthroughShown';

/** On the first start without any account, the getting-started walkthrough (not in test runs: it would take the editor). */
function showWalkthroughOnce(context: vscode.ExtensionContext, accounts: number): void {
  if (context.globalState.get(WALKTHROUGH_SHOWN_KEY) !== undefined) return;
  void context.globalState.update(WALKTHROUGH_SHOWN_KEY, new Date().toISOString());
  if (accounts > 0 || context.extensionMode === vscode.ExtensionMode.Test) return;
  void vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#gettingStarted`, false);
}

