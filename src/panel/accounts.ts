// The cards the panel shows for the configured accounts, with their threshold lines: the ones a
// result was judged by, carried on its verdict; for an account not checked yet, the ones its
// settings give (SPEC §9). In dist/engine-panel.js: only the panel reads it.
import type { amountsFor, ThresholdSettings } from '../core/thresholds';
import type { PROVIDERS } from '../core/providers/registry';
import type { BalanceResult } from '../core/model';
import type { ConfiguredAccount } from '../core/readConfig';
import type { PanelAccount } from './types';

/** What the cards are read from: the monitor's accounts, results and threshold settings. */
export interface PanelAccountsSource {
  accounts: readonly ConfiguredAccount[];
  results: readonly BalanceResult[];
  thresholds: ThresholdSettings | undefined;
}

/** The parts of the engine (engine-main.js) the lines are worked out with. */
export interface PanelAccountsEngine {
  PROVIDERS: typeof PROVIDERS;
  amountsFor: typeof amountsFor;
}

/** The configured accounts the panel shows a card for, with the threshold lines each is drawn with. */
export function panelAccounts(monitor: PanelAccountsSource, E: PanelAccountsEngine): PanelAccount[] {
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
