import * as vscode from 'vscode';
import { MAX_TOAST_TEXT, safeText } from '../core/safeText';

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

/** Keys read in this session (the Log adds them): hidden from every toast, whole or in pieces. */
const knownSecrets = new Set<string>();

export function rememberSecret(s: string | undefined): void {
  if (s) knownSecrets.add(s);
}

/**
 * A toast's text as plain text: VS Code renders `[text](command:…)` in a notification as a link
 * that runs the command, and provider text (an error, a note, a label) ends up in toasts.
 */
export function toastText(message: string): string {
  return safeText(message, 'plain', { max: MAX_TOAST_TEXT, secrets: [...knownSecrets] });
}

/**
 * Every call site gets the UI through here, so none can forget: messages become plain text
 * (toastText) before they reach VS Code or a test's recorder.
 */
export function ui(): Ui {
  const u = uiHolder.current;
  return {
    showQuickPick: (items, options) => u.showQuickPick(items, options),
    showInputBox: (options) => u.showInputBox(options),
    showInformationMessage: (m, ...items) => u.showInformationMessage(toastText(m), ...items),
    showWarningMessage: (m, ...items) => u.showWarningMessage(toastText(m), ...items),
    showErrorMessage: (m, ...items) => u.showErrorMessage(toastText(m), ...items),
    showModalWarning: (m, detail, ...items) => u.showModalWarning(toastText(m), toastText(detail), ...items),
    setStatusBarMessage: (m, ms) => u.setStatusBarMessage(toastText(m), ms),
  };
}
