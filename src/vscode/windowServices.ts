// What one window runs to watch the accounts: the poller lease, the monitor, the history, the
// notification ledger and the notifier, wired together and to the settings and keys that
// drive them. Activation makes one; the integration tests make another to act as a second
// window on the same globalState.
import * as vscode from 'vscode';
import { NotificationLedger } from '../core/ledger';
import { PollerLease } from '../core/pollerLease';
import { engine } from './engineLoader';
import type { KeyStore } from './keys';
import type { Log } from './log';
import { BalanceMonitor, type Timers } from './monitor';
import { Notifier } from './notifier';
import { MONITOR_SETTINGS, settings } from './settings';
import { WindowHistory } from './windowHistory';

export interface WindowContext {
  globalState: vscode.Memento;
  globalStorageUri: vscode.Uri;
}

export interface WindowServicesDeps {
  log: Log;
  keys: KeyStore;
  /** The monitor's timers (a test's spy); real ones by default. */
  timers?: Timers;
}

export interface WindowServices extends vscode.Disposable {
  lease: PollerLease;
  monitor: BalanceMonitor;
  history: WindowHistory;
  ledger: NotificationLedger;
  notifier: Notifier;
  /** The provider's billing page for an account being watched. */
  billingUrl(accountId: string): string | undefined;
}

export function createWindowServices(context: WindowContext, deps: WindowServicesDeps): WindowServices {
  const { log, keys } = deps;
  const store = context.globalState;
  const lease = new PollerLease(store);
  const monitor = new BalanceMonitor({ store, log, keys, lease, ...(deps.timers ? { timers: deps.timers } : {}) });
  const history = new WindowHistory(vscode.Uri.joinPath(context.globalStorageUri, 'history.json').fsPath, lease, log);
  const ledger = new NotificationLedger(store, () => settings.notificationCooldownHours());
  const billingUrl = (accountId: string): string | undefined => {
    const m = monitor.accounts.find((x) => x.account.id === accountId);
    if (!m) return undefined;
    try {
      return engine().PROVIDERS[m.account.provider].billingUrl(m.account);
    } catch {
      return undefined;
    }
  };
  const notifier = new Notifier({ config: monitor, ledger, history, billingUrl, windowId: lease.id, log, store });
  // History first: a notification's event goes into the history the check just wrote.
  monitor.onDidCheck(async ({ fresh }) => {
    if (await history.record(fresh)) monitor.refreshViews();
  });
  monitor.onDidCheck(({ results }) => notifier.handle(results));
  const subscriptions: vscode.Disposable[] = [
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!MONITOR_SETTINGS.some((s) => e.affectsConfiguration(s))) return;
      monitor.reload();
      monitor.rearm();
    }),
    keys.onDidChange(() => monitor.rearm()),
  ];
  return {
    lease, monitor, history, ledger, notifier, billingUrl,
    dispose: () => {
      for (const s of subscriptions) s.dispose();
      notifier.dispose();
      monitor.dispose();
    },
  };
}
