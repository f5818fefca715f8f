// What the balance panel reads from the monitor (PanelModel in src/panel/types.ts). The
// threshold lines are the ones the results were judged by, carried on each result's verdict.
import { engine } from './engineLoader';
import type { Log } from './log';
import type { BalanceMonitor } from './monitor';
import type { WindowServices } from './windowServices';
import type { PanelAccount, PanelModel } from '../panel/types';

/** The configured accounts the panel shows a card for, with the thresholds their results were judged by. */
export function panelAccounts(monitor: Pick<BalanceMonitor, 'accounts' | 'results'>): PanelAccount[] {
  // A team account's card gives way to its shared accounts' once they are shown.
  return monitor.accounts.filter((m) => !monitor.results.some((r) => r.accountId.startsWith(`${m.account.id}/`))).map((m) => {
    const thresholds = { ...monitor.results.find((x) => x.accountId === m.account.id)?.verdict?.thresholds };
    return m.source === 'environment' ? { account: m.account, thresholds, keyEnv: engine().PROVIDERS[m.account.provider].keyEnv } : { account: m.account, thresholds };
  });
}

export function createPanelModel(services: Pick<WindowServices, 'monitor' | 'history' | 'billingUrl'>, log: Log): PanelModel {
  const { monitor, history } = services;
  return {
    results: () => monitor.results,
    accounts: () => panelAccounts(monitor),
    history: () => history.open(),
    onDidChange: monitor.onDidChange,
    billingUrl: (id) => services.billingUrl(id),
    spendSpike: () => monitor.alertRules.spendSpike,
    log: (m) => log.info(m),
  };
}
