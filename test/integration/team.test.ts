// Provider `team` inside a real VS Code: one account reading a team's serve (the fake server's
// /team route, recorded from this repo's serve) shows each shared account in the status bar,
// its tooltip and the panel's cards, and keeps them (stale) when the server stops answering.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { KEY, ScriptedUi, setSetting, until, useExtension } from './support';

describe('team account', function () {
  this.timeout(60_000);
  let t: TestApi;
  let ui: ScriptedUi;
  const fake = useExtension((x) => ({ t, ui } = x));

  after(async () => {
    await setSetting('accounts', undefined);
    await setSetting('statusBar.mode', undefined);
  });

  it('shows every shared account of the team server as "Team: …", and keeps them stale when it fails', async () => {
    await t.keys.set('acme', KEY);
    await setSetting('statusBar.mode', 'all');
    await setSetting('accounts', [{ id: 'acme', provider: 'team', label: 'Acme team', baseUrl: `${fake.server.url}/team` }]);
    await until(() => t.monitor.accounts.length === 1, 'accounts reloaded');
    await vscode.commands.executeCommand('llmBalance.check');
    assert.equal(fake.server.hits('/team/api/v1/balances')[0]?.key, KEY);
    assert.deepEqual(t.monitor.results.map((r) => r.accountId), ['acme/openrouter-shared', 'acme/deepseek-shared', 'acme/novita-shared']);
    await until(() => t.statusBar.item.text.includes('Team: OpenRouter (shared) $74.50'), `status bar: ${t.statusBar.item.text}`);
    assert.match(t.statusBar.item.text, /Team: DeepSeek \(shared\) ¥110\.00/);
    assert.match(t.statusBar.item.text, /Team: Novita \(shared\): key rejected/);
    const tip = (t.statusBar.item.tooltip as vscode.MarkdownString).value;
    assert.match(tip, /\| Team\\: DeepSeek \\\(shared\\\) \| ¥110\.00 \|/); // Markdown-escaped
    // The shared Novita key was refused on the team server: nothing to set here.
    await until(() => ui.shown.some((m) => /Team: Novita \(shared\)/.test(m.message)), `no notification for the refused shared key: ${JSON.stringify(ui.shown)}`);
    const toast = ui.shown.find((m) => /Team: Novita \(shared\)/.test(m.message));
    assert.ok(toast, `no notification for the refused shared key: ${JSON.stringify(ui.shown)}`);
    assert.ok(toast.items.includes('Open Panel') && !toast.items.includes('Update Key') && !toast.items.includes('Add Funds'), toast.items.join(', '));
    assert.doesNotMatch(tip, /updateKey/);
    // The panel: one card per shared account, none for the team account itself.
    assert.deepEqual(t.panelModel.accounts().map((a) => a.account.id), []);
    assert.deepEqual(t.panelModel.results().map((r) => r.label), ['Team: OpenRouter (shared)', 'Team: DeepSeek (shared)', 'Team: Novita (shared)']);
    // "Check now" on a shared account's card checks its team account.
    const before = fake.server.hits('/team/api/v1/balances').length;
    await t.monitor.checkNow(['acme/deepseek-shared']);
    assert.equal(fake.server.hits('/team/api/v1/balances').length, before + 1);
    assert.equal(t.monitor.results.length, 3);

    fake.server.route('GET', '/team/api/v1/balances', { status: 502, body: '<html>502 Bad Gateway</html>' });
    await vscode.commands.executeCommand('llmBalance.check');
    await until(() => t.monitor.results.length === 4, `results after the failure: ${t.monitor.results.map((r) => r.accountId).join(', ')}`);
    const [team, ...shared] = t.monitor.results;
    assert.deepEqual([team!.accountId, team!.errorKind], ['acme', 'server']);
    assert.ok(shared.every((r) => r.stale), 'shared accounts not marked stale');
    assert.equal(shared.find((r) => r.accountId === 'acme/deepseek-shared')?.balance, 110);
    assert.match(t.statusBar.item.text, /Team: DeepSeek \(shared\) ¥110\.00 \(stale\)/);
  });
});
