import * as vscode from 'vscode';

/**
 * The window calls that ask the user something or tell them something. Production uses
 * vscode.window; the integration tests swap in scripted answers and a recorder through the
 * extension's test API, so the same command code runs in both.
 */
export interface Ui {
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  showInformationMessage(message: string, ...items: string[]): Thenable<string | undefined>;
  showWarningMessage(message: string, ...items: string[]): Thenable<string | undefined>;
  showErrorMessage(message: string, ...items: string[]): Thenable<string | undefined>;
  showModalWarning(message: string, detail: string, ...items: string[]): Thenable<string | undefined>;
  /** A passing message in the status bar, gone after `hideAfterMs`. */
  setStatusBarMessage(message: string, hideAfterMs: number): void;
}

export const windowUi: Ui = {
  showQuickPick: (items, options) => vscode.window.showQuickPick(items, options),
  showInputBox: (options) => vscode.window.showInputBox(options),
  showInformationMessage: (m, ...items) => vscode.window.showInformationMessage(m, ...items),
  showWarningMessage: (m, ...items) => vscode.window.showWarningMessage(m, ...items),
  showErrorMessage: (m, ...items) => vscode.window.showErrorMessage(m, ...items),
  showModalWarning: (m, detail, ...items) => vscode.window.showWarningMessage(m, { modal: true, detail }, ...items),
  setStatusBarMessage: (m, ms) => void vscode.window.setStatusBarMessage(m, ms),
};

/** Holder so tests can replace the UI after activation. */
export const uiHolder: { current: Ui } = { current: windowUi };

export function ui(): Ui {
  return uiHolder.current;
}
