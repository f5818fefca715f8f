// What the balance panel reads from the monitor (PanelModel in src/panel/types.ts). The cards'
// accounts and threshold lines are worked out in the panel's bundle (src/panel/accounts.ts).
import { engine } from './engineLoader';
import type { Log } from './log';
import type { WindowServices } from './windowServices';
import type { PanelModel } from '../panel/types';

export function createPanelModel(services: Pick<WindowServices, 'monitor' | 'history' | 'billingUrl'>, log: Log): PanelModel {
  const { monitor, history } = services;
  return {
    results: () => monitor.results,
    accounts: () => {
      const E = engine();
      return E.panelAccounts(monitor, E);
    },
    history: () => history.open(),
    onDidChange: monitor.onDidChange,
    billingUrl: (id) => services.billingUrl(id),
    spendSpike: () => monitor.alertRules.spendSpike,
    log: (m) => log.info(m),
  };
}
