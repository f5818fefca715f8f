// The panel's light entry point, safe to import at activation: the panel itself (zod, the
// protocol, the view builder) loads only when the panel is first opened or restored.
import * as vscode from 'vscode';
import { PANEL_VIEW_TYPE, type PanelModel } from './types';

export { PANEL_VIEW_TYPE, type PanelModel, type PanelAccount } from './types';

type PanelContext = Pick<vscode.ExtensionContext, 'extensionUri' | 'subscriptions'>;

/** Opens the panel, or reveals it when it is already open ("Show Balance History"). */
export async function showBalancePanel(context: PanelContext, model: PanelModel): Promise<void> {
  const { BalancePanel } = await import('./balancePanel.js');
  BalancePanel.createOrShow(context, model);
}

/** Restores the panel after a window reload. Call once from activate(). */
export function registerBalancePanelSerializer(context: PanelContext, model: PanelModel): void {
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const { BalancePanel } = await import('./balancePanel.js');
        BalancePanel.revive(panel, context, model, state);
      },
    }),
  );
}

/** "Export History"; loads the exporter on first use. `target` skips the save dialog. */
export async function exportBalanceHistory(model: Pick<PanelModel, 'history'>, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const { exportHistory } = await import('./export.js');
  return exportHistory(model, target);
}
