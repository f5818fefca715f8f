import * as vscode from 'vscode';
import type { Translate } from '../core/l10n';

/**
 * vscode.l10n.t under the one name the key-check test looks for (test/unit/l10n.test.ts): every
 * `t('…')` in src must have an entry in l10n/bundle.l10n.zh-cn.json.
 */
export const t: Translate = (message, ...args) => vscode.l10n.t(message, ...args);

/**
 * Text of a provider descriptor (`description`, `keyName`, `adminKeyName` in src/core/providers) or
 * an alert channel's (`name`, `detail`, `prompt`, … in src/core/alerts/channels), written in
 * English in the core; the key-check test collects those literals as keys.
 */
export function descriptorText(text: string, ...args: (string | number | boolean)[]): string {
  return vscode.l10n.t(text, ...args);
}
