// Provider text is data inside a real VS Code: a relay answers with a command link, escape
// sequences, bidi controls, the key in three encodings and 889 KiB of text. The toasts (through
// the ui() seam), the status bar tooltip, globalState and the log must carry none of it live.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { ECHOED_KEY, hostileLeftovers, hostileMessage } from '../fake/hostile';
import { persistedText, ScriptedUi, setSetting, until, useExtension } from './support';

describe('hostile provider text', function () {
  this.timeout(60_000);
  let t: TestApi;
  let ui: ScriptedUi;
  const fake = useExtension((x) => ({ t, ui } = x));
  const huge = 'Z'.repeat(889 * 1024);

  after(async () => {
    await setSetting('accounts', undefined);
  });

  it('reaches toasts, the tooltip and globalState as plain, redacted, capped text', async () => {
    // One relay rejects the key (an alert toast), the other fails otherwise (the check's own toast).
    fake.server.route('GET', '/hostile/auth', (req) => ({ status: 401, body: { error: { message: `${hostileMessage(req.key)} ${huge}` } } }));
    fake.server.route('GET', '/hostile/bad', (req) => ({ status: 400, body: { error: { message: `${hostileMessage(req.key)} ${huge}` } } }));
    await t.keys.set('hostile-auth', ECHOED_KEY);
    await t.keys.set('hostile-bad', ECHOED_KEY);
    await setSetting('accounts', [
      { id: 'hostile-auth', provider: 'custom', label: 'Hostile relay', url: `${fake.server.url}/hostile/auth`, balancePath: 'balance' },
      { id: 'hostile-bad', provider: 'custom', label: 'Hostile proxy', url: `${fake.server.url}/hostile/bad`, balancePath: 'balance' },
    ]);
    await until(() => t.monitor.accounts.length === 2, 'accounts reloaded');
    await vscode.commands.executeCommand('llmBalance.check');
    await until(() => ui.shown.some((s) => /Hostile proxy/.test(s.message) && s.kind === 'warning'), 'the check summary toast');
    // The key error notifies (an auth error), through the same seam.
    await until(() => ui.shown.some((s) => s.kind === 'error' && /Hostile relay/.test(s.message)), 'the API key error notification');

    for (const s of ui.shown) {
      assert.deepEqual(hostileLeftovers(s.message), [], `${s.kind} toast: ${JSON.stringify(s.message).slice(0, 600)}`);
      assert.ok(s.message.length <= 1000, `a ${s.message.length}-character toast`);
    }
    assert.ok(ui.shown.some((s) => /Fix your key/.test(s.message)), 'the words of the provider message are still shown');

    t.statusBar.render();
    const tooltip = (t.statusBar.item.tooltip as vscode.MarkdownString).value;
    const links = [...tooltip.matchAll(/(?<!\\)\[[^\]]*(?<!\\)\]\(([^)]*)\)/g)].map((m) => m[1] ?? '');
    assert.deepEqual(links.filter((l) => !l.startsWith('command:llmBalance.')), [], tooltip.slice(0, 800));
    assert.ok(tooltip.length < 5000, `a ${tooltip.length}-character tooltip`);

    const persisted = persistedText(t);
    assert.deepEqual(hostileLeftovers(persisted, { links: false }), []);
    assert.ok(!persisted.includes('Z'.repeat(600)), 'globalState or the log holds the 889 KiB message');
  });
});
