// Loaded by scripts/bench-panel-vscode.mjs as extensionTestsPath: 10 accounts with 90 days of
// history, then the panel opened inside the real VS Code. The launcher reads the webview's own
// paint marks from the browser; this module only sets the scene, says so in
// $LLMB_BENCH_DIR/setup.json, and keeps the extension host up until $LLMB_BENCH_DIR/done appears.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { BalanceResult } from '../../src/core/model';
import { FakeProviderServer } from '../fake/server';

export async function run(): Promise<void> {
  const dir = process.env.LLMB_BENCH_DIR;
  if (!dir) throw new Error('LLMB_BENCH_DIR is not set: run this through scripts/bench-panel-vscode.mjs');
  const report: Record<string, unknown> = {};
  const server = new FakeProviderServer();
  try {
    const api = (await vscode.extensions.getExtension<{ testing?: TestApi }>('llmbalance.llm-balance')!.activate()).testing!;
    const url = await server.start();
    const ids = Array.from({ length: 10 }, (_, i) => `bench-${i}`);
    for (const id of ids) await api.keys.set(id, 'sk-test-bench-0123456789');
    await vscode.workspace.getConfiguration('llmBalance').update('accounts', ids.map((id, i) => ({ id, provider: 'openrouter', label: `Account ${i + 1}`, baseUrl: `${url}/openrouter/api/v1` })), vscode.ConfigurationTarget.Global);
    for (let i = 0; i < 100 && api.monitor.accounts.length < 10; i++) await new Promise((r) => setTimeout(r, 50));
    const latest = await api.monitor.checkNow();

    // 90 days every 5 minutes, a slow burn with a top-up every 30 days; thinned on save as in use.
    const h = await api.history.open();
    const now = Date.now();
    const step = 5 * 60_000;
    for (let t = now - 90 * 86_400_000; t < now; t += step) {
      const day = (t - (now - 90 * 86_400_000)) / 86_400_000;
      h.record(latest.map((r, i): BalanceResult => ({ ...r, balance: Math.round((60 + i * 5 - (day % 30) * 1.5) * 100) / 100, checkedAt: new Date(t).toISOString(), stale: undefined })));
    }
    await h.save();
    report.pointsPerAccount = h.series(ids[0]!).length;
    report.accounts = api.monitor.accounts.length;
    // When the user's command ran: the launcher also prints command → cards, which counts what
    // the host does before the webview's navigation starts.
    report.commandAt = Date.now();
    await vscode.commands.executeCommand('llmBalance.showPanel');
  } catch (e) {
    report.error = e instanceof Error ? e.message : String(e);
  }
  fs.writeFileSync(path.join(dir, 'setup.json.tmp'), JSON.stringify(report));
  fs.renameSync(path.join(dir, 'setup.json.tmp'), path.join(dir, 'setup.json'));
  try {
    for (let i = 0; i < 1200 && !fs.existsSync(path.join(dir, 'done')); i++) await new Promise((r) => setTimeout(r, 100));
  } finally {
    await server.stop();
  }
}
