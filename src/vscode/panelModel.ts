// What the balance panel reads from the monitor (PanelModel in src/panel/types.ts). The
// threshold lines are the ones a result was judged by, carried on its verdict; an account not
// checked yet has the ones its settings give.
import { engine, type Engine } from './engineLoader';
import type { Log } from './log';
import type { BalanceMonitor } from './monitor';
import type { WindowServices } from './windowServices';
import type { PanelAccount, PanelModel } from '../panel/types';

/** The configured accounts the panel shows a card for, with the threshold lines each is drawn with. */
export function panelAccounts(
  monitor: Pick<BalanceMonitor, 'accounts' | 'results' | 'thresholds'>,
  E: Pick<Engine, 'PROVIDERS' | 'amountsFor'> = engine(),
): PanelAccount[] {
  // A team account's card gives way to its shared accounts' once they are shown.
  return monitor.accounts.filter((m) => !monitor.results.some((r) => r.accountId.startsWith(`${m.account.id}/`))).map((m) => {
    const provider = E.PROVIDERS[m.account.provider];
    const r = monitor.results.find((x) => x.accountId === m.account.id);
    // A result stored before verdicts existed is judged again on its next read; until then, its currency's lines.
    const thresholds = r?.verdict
      ? { ...r.verdict.thresholds }
      : monitor.thresholds ? E.amountsFor(m.account, r?.currency ?? m.account.currency ?? provider.defaultCurrency, monitor.thresholds) : {};
    return m.source === 'environment' ? { account: m.account, thresholds, keyEnv: provider.keyEnv } : { account: m.account, thresholds };
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
