// "Export History": CSV or JSON of the whole history through a save dialog.
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { t } from '../vscode/l10n';
import type { PanelModel } from './types';

export type ExportFormat = 'csv' | 'json';

/** JSON when the chosen name ends in .json, CSV otherwise (the dialog's filter sets the name). */
export function exportFormatOf(uri: vscode.Uri): ExportFormat {
  return uri.path.toLowerCase().endsWith('.json') ? 'json' : 'csv';
}

/**
 * Where the save dialog starts: Downloads, else the home folder — never the workspace, where
 * an export of one's spending would be one `git add .` away from a commit.
 */
export function defaultExportFolder(home = os.homedir()): string {
  const downloads = path.join(home, 'Downloads');
  try {
    if (fs.statSync(downloads).isDirectory()) return downloads;
  } catch {
    // no Downloads folder
  }
  return home;
}

/**
 * Asks where to save (unless `target` is given, as tests and command arguments do), writes the
 * file and says where it went. Returns the file, or undefined when the user cancelled.
 */
export async function exportHistory(model: Pick<PanelModel, 'history'>, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const store = await model.history();
  let uri = target;
  if (!uri) {
    const folder = vscode.Uri.file(defaultExportFolder());
    const day = new Date().toISOString().slice(0, 10);
    uri = await vscode.window.showSaveDialog({
      title: t('Export LLM Balance History'),
      saveLabel: t('Export'),
      defaultUri: vscode.Uri.joinPath(folder, `llm-balance-history-${day}.csv`),
      filters: { 'CSV': ['csv'], 'JSON': ['json'] },
    });
    if (!uri) return undefined;
  }
  const format = exportFormatOf(uri);
  const text = format === 'json' ? `${JSON.stringify(store.toJSON(), null, 2)}\n` : store.toCsv();
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  if (!target) {
    const open = t('Open');
    void vscode.window.showInformationMessage(t('Exported LLM Balance history ({0}) to {1}.', format.toUpperCase(), uri.fsPath), open).then((choice) => {
      if (choice === open) void vscode.commands.executeCommand('vscode.open', uri);
    });
  }
  return uri;
}
