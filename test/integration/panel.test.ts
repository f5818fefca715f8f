// The balance panel inside a real VS Code: the command opens one panel, the real webview loads
// the bundle under the real CSP and completes the `ready` handshake, a hidden panel is rebuilt
// when shown again, and Export History writes CSV and JSON.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BalancePanel, PANEL_VIEW_TYPE } from '../../src/panel/balancePanel';
import { exportHistory } from '../../src/panel/export';
import { CARDS_ELEMENT_ID, HostMessageSchema, PanelCardsSchema, type HostMessage, type PanelCards } from '../../src/panel/protocol';
import type { PanelModel } from '../../src/panel/types';
import { HistoryStore } from '../../src/core/history';
import type { Account, BalanceResult } from '../../src/core/model';
import { EXTENSION_ID, until } from './support';

const XSS_NOTE = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';

function panelTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(PANEL_VIEW_TYPE));
}

async function closePanelTabs(): Promise<void> {
  const tabs = panelTabs();
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

/** A PanelModel over a real HistoryStore, counting how often the panel read it. */
function fakeModel(dir: string): PanelModel & { store: HistoryStore; reads: number; logged: string[]; fire(): void } {
  const now = Date.now();
  const store = new HistoryStore(path.join(dir, 'history.json'), { now: () => now });
  const result = (t: number, balance: number): BalanceResult => ({
    accountId: 'or-work', provider: 'openrouter', label: 'OpenRouter, "work"', status: 'valid', level: 'ok',
    balance, currency: 'USD', usage: null, limit: null, checkedAt: new Date(t).toISOString(),
  });
  store.record([result(now - 2 * 3_600_000, 30), result(now - 3_600_000, 25), result(now, 20)]);
  const emitter = new vscode.EventEmitter<void>();
  const model = {
    store,
    reads: 0,
    logged: [] as string[],
    results: () => [{ ...result(now, 20), note: XSS_NOTE }],
    accounts: () => [{ account: { id: 'or-work', provider: 'openrouter', label: 'OpenRouter, "work"' } as Account, thresholds: { warning: 10, critical: 5 } }],
    history: async () => {
      model.reads++;
      return store;
    },
    onDidChange: emitter.event,
    billingUrl: () => 'https://openrouter.ai/settings/credits',
    log: (m: string) => model.logged.push(m),
    fire: () => emitter.fire(),
  };
  return model;
}

/**
 * Waits for the webview's `ready`. code-server serves every webview from one origin, so a new
 * webview sometimes waits on the service worker of one just closed ("Found unexpected service
 * worker controller … Waiting for controllerchange") for a long time; desktop VS Code gives each
 * webview its own origin. After a first wait, hide and show the panel once: that reloads the
 * webview, which is also what a user would see work.
 */
async function waitForReady(panel: BalancePanel, what: string): Promise<void> {
  try {
    // A webview that is not stuck says ready within a few seconds; a stuck one waits indefinitely, so
    // the reload comes after 8 s (4 waits of 20 s once used up a test's whole time limit).
    await until(() => panel.webviewReady, what, 8_000);
  } catch {
    const doc = await vscode.workspace.openTextDocument({ content: '' });
    await vscode.window.showTextDocument(doc, { viewColumn: panel.panel.viewColumn ?? vscode.ViewColumn.One });
    await until(() => !panel.panel.visible, 'the panel hidden');
    panel.panel.reveal();
    await until(() => panel.webviewReady, `${what} (after a reload)`, 25_000);
  }
}

/** The page once the panel has served it, and the cards written into it. */
async function servedPage(panel: BalancePanel): Promise<{ html: string; cards: PanelCards }> {
  await until(() => panel.panel.webview.html !== '', 'the page served');
  const html = panel.panel.webview.html;
  const island = new RegExp(`<script type="application/json" id="${CARDS_ELEMENT_ID}">([^<]*)</script>`).exec(html);
  assert.ok(island, 'the page carries its cards');
  const cards = PanelCardsSchema.safeParse(JSON.parse(island[1]!));
  assert.ok(cards.success, 'the cards in the page follow the protocol');
  return { html, cards: cards.data };
}

/** Records what the host posts to the webview (and checks it against the protocol). */
function recordPosts(panel: BalancePanel): HostMessage[] {
  const posted: HostMessage[] = [];
  const webview = panel.panel.webview;
  const original = webview.postMessage.bind(webview);
  webview.postMessage = (message: unknown) => {
    const parsed = HostMessageSchema.safeParse(message);
    assert.ok(parsed.success, `the host posted an invalid message: ${JSON.stringify(message).slice(0, 200)}`);
    posted.push(parsed.data);
    return original(message);
  };
  return posted;
}

describe('balance panel', function () {
  this.timeout(120_000);
  let extensionUri: vscode.Uri;
  let dir: string;

  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'extension not loaded');
    await ext.activate();
    extensionUri = ext.extensionUri;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-panel-'));
  });
  afterEach(async () => {
    BalancePanel.currentPanel?.dispose();
    await closePanelTabs();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Let the closed webview's iframe go before the next test opens one (see waitForReady).
    await new Promise((r) => setTimeout(r, 500));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('"Show Balance History" opens one panel, and again only reveals it', async () => {
    await closePanelTabs();
    await vscode.commands.executeCommand('llmBalance.showPanel');
    await until(() => panelTabs().length === 1, 'the panel tab');
    assert.equal(panelTabs()[0]?.label, 'LLM Balance');
    await vscode.commands.executeCommand('llmBalance.showPanel');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(panelTabs().length, 1);
  });

  it('is locked down: nonce scripts, extension resources only, no retained context', async () => {
    const model = fakeModel(dir);
    const panel = BalancePanel.createOrShow({ extensionUri }, model);
    const { options } = panel.panel.webview;
    assert.equal(options.enableScripts, true);
    assert.deepEqual(
      options.localResourceRoots?.map((u) => u.toString()),
      [vscode.Uri.joinPath(extensionUri, 'dist').toString(), vscode.Uri.joinPath(extensionUri, 'media').toString()],
    );
    assert.equal(panel.panel.options.retainContextWhenHidden, false);
    const { html } = await servedPage(panel);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /^default-src 'none'; /);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce && nonce.length >= 16, csp);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    // One script that runs, with the nonce, and the cards' data, which a browser never runs.
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1] ?? '');
    assert.equal(scripts.length, 2);
    assert.equal(scripts[0], ` type="application/json" id="${CARDS_ELEMENT_ID}"`);
    assert.ok(scripts[1]!.includes(`nonce="${nonce}"`));
    assert.ok(html.includes(panel.panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString()));
  });

  it('the real webview loads under the CSP, paints the cards in its page, says ready and gets their charts', async () => {
    const model = fakeModel(dir);
    const panel = BalancePanel.createOrShow({ extensionUri }, model);
    const posted = recordPosts(panel);
    const { cards } = await servedPage(panel);
    assert.equal(cards.accounts[0]?.note, XSS_NOTE, 'strings go over as data; the webview escapes them');
    assert.equal(cards.accounts[0]?.forecast.burnPerDay, 120);
    assert.equal(cards.accounts[0]?.canAddFunds, true);
    await waitForReady(panel, 'the ready handshake');
    // Only the charts: the host sends them alone when the webview says it painted the page's cards.
    await until(() => posted.some((m) => m.type === 'charts'), 'the charts');
    const charts = posted.find((m) => m.type === 'charts');
    assert.ok(charts?.type === 'charts');
    assert.equal(charts.charts.generatedAt, cards.generatedAt);
    assert.deepEqual(posted.map((m) => m.type), ['charts']);

    // Live update: a finished check pushes fresh data.
    const before = posted.length;
    model.fire();
    await until(() => posted.slice(before).some((m) => m.type === 'data'), 'a live update');
    const update = posted.slice(before).find((m) => m.type === 'data');
    assert.ok(update?.type === 'data');
    assert.equal(update.data.accounts[0]?.note, XSS_NOTE);
    assert.ok(update.data.generatedAt >= cards.generatedAt);
    assert.deepEqual(model.logged, []);
  });

  it('ignores and logs invalid messages from the webview', async () => {
    const model = fakeModel(dir);
    const panel = BalancePanel.createOrShow({ extensionUri }, model);
    const onMessage = (panel as unknown as { onMessage(raw: unknown): Promise<void> }).onMessage.bind(panel);
    await onMessage({ type: 'runCommand', command: 'workbench.action.terminal.new' });
    await onMessage({ type: 'addFunds' });
    assert.equal(model.logged.filter((m) => /invalid message/.test(m)).length, 2);
  });

  it('rebuilds the webview when a hidden panel is shown again', async () => {
    const model = fakeModel(dir);
    const panel = BalancePanel.createOrShow({ extensionUri }, model);
    await waitForReady(panel, 'ready');
    const doc = await vscode.workspace.openTextDocument({ content: 'something else' });
    await vscode.window.showTextDocument(doc, { viewColumn: panel.panel.viewColumn ?? vscode.ViewColumn.One });
    await until(() => !panel.panel.visible && !panel.webviewReady, 'the panel hidden');
    const reads = model.reads;
    panel.panel.reveal();
    // The same code-server service-worker wait as on first load can hold the rebuilt webview; waitForReady says why.
    await waitForReady(panel, 'ready again after being shown');
    await until(() => model.reads > reads, 'the history read again for the rebuilt webview');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('revives from serialized state, whatever the state holds', async () => {
    const model = fakeModel(dir);
    for (const state of [{ range: '30d' }, { range: 'bogus' }, undefined, 'junk']) {
      const raw = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'LLM Balance', vscode.ViewColumn.One, {});
      const panel = BalancePanel.revive(raw, { extensionUri }, model, state);
      assert.equal(BalancePanel.currentPanel, panel);
      assert.equal(panel.panel.webview.options.enableScripts, true);
      await waitForReady(panel, `ready after revive with ${JSON.stringify(state)}`);
      // One webview at a time: a live one's service worker is what a new one waits on in code-server.
      panel.dispose();
    }
  });

  it('Export History writes CSV and JSON (the command and the exporter)', async () => {
    const model = fakeModel(dir);
    const csv = vscode.Uri.file(path.join(dir, 'export.csv'));
    const json = vscode.Uri.file(path.join(dir, 'export.json'));
    assert.equal((await exportHistory(model, csv))?.toString(), csv.toString());
    const lines = fs.readFileSync(csv.fsPath, 'utf8').split('\r\n');
    assert.equal(lines[0], 'time_iso,account_id,label,balance,currency,usage,limit,level');
    assert.match(lines[1]!, /^[^,]+,or-work,"OpenRouter, ""work""",30,USD,,,ok$/);
    await exportHistory(model, json);
    const parsed = JSON.parse(fs.readFileSync(json.fsPath, 'utf8')) as { version: number; accounts: Record<string, { points: unknown[] }> };
    assert.equal(parsed.version, 1);
    assert.equal(parsed.accounts['or-work']?.points.length, 3);

    // The extension's own command, given a target, skips the dialog.
    const viaCommand = vscode.Uri.file(path.join(dir, 'command.json'));
    await vscode.commands.executeCommand('llmBalance.exportHistory', viaCommand);
    assert.equal((JSON.parse(fs.readFileSync(viaCommand.fsPath, 'utf8')) as { version: number }).version, 1);
  });
});
