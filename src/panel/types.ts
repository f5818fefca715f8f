// What the balance panel needs from the extension. The extension implements it; the panel
// only reads through it and acts through commands.
import type * as vscode from 'vscode';
import type { Account, BalanceResult } from '../core/model';
import type { HistoryStore } from '../core/history';
import type { SpikeRule } from '../core/spike';

/** The panel's view type, for the serializer and the `onWebviewPanel:` activation event. */
export const PANEL_VIEW_TYPE = 'llmBalance.panel';

export interface PanelAccount {
  account: Account;
  /** The amount thresholds its latest result was judged by (the result's verdict); before one, those its settings give. */
  thresholds: { warning?: number; critical?: number };
  /** The account's key comes from this environment variable; the panel offers no key update. */
  keyEnv?: string;
}

export interface PanelModel {
  /** The latest result per account. */
  results(): BalanceResult[];
  /** Configured accounts (the panel puts the worst first). */
  accounts(): PanelAccount[];
  /** The loaded history store; the panel only reads it. */
  history(): Promise<HistoryStore>;
  /** Fires after every check and every history write. */
  onDidChange: vscode.Event<void>;
  /** The provider's billing page for an account; only https URLs are ever opened. */
  billingUrl(accountId: string): string | undefined;
  /** Optional: the spend-spike rule, so the chart can mark spikes. */
  spendSpike?(): SpikeRule;
  /** Optional: where the panel logs what it ignores or fails to do (the "LLM Balance" log). */
  log?(message: string): void;
}
