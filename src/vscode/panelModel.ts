// What the balance panel reads from the monitor (PanelModel in src/panel/types.ts). The
// threshold lines are the ones the results were judged by, carried on each result's verdict.
import { engine } from './engineLoader';
import type { Log } from './log';
import type { BalanceMonitor } from './monitor';
import type { PanelAccount, PanelModel } from '../panel/types';

/** The configured accounts the panel shows a card for, with the thresholds their results were judged by. */
export function panelAccounts(monitor: Pick<BalanceMonitor, 'accounts' | 'results'>): PanelAccount[] {
  // A team account's card gives way to its shared accounts' once they are shown.
  return monitor.accounts.filter((m) => !monitor.results.some((r) => r.accountId.startsWith(`${m.account.id}/`))).map((m) => {
    const thresholds = { ...monitor.results.find((x) => x.accountId === m.account.id)?.verdict?.thresholds };
    return m.source === 'environment' ? { account: m.account, thresholds, keyEnv: engine().PROVIDERS[m.account.provider].keyEnv } : { account: m.account, thresholds };
  });
}

export function createPanelModel(monitor: BalanceMonitor, log: Log): PanelModel {
  return {
    results: () => monitor.results,
    accounts: () => panelAccounts(monitor),
    history: () => monitor.history(),
    onDidChange: monitor.onDidChange,
    billingUrl: (id) => monitor.billingUrl(id),
    spendSpike: () => monitor.alertRules.spendSpike,
    log: (m) => log.info(m),
  };
}
