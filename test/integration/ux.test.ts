// What a first-time user trips over (issue 13), inside a real VS Code: the add-key wizard in the
// sandbox and when a key fails, the custom-provider steps, the key-missing status bar item,
// environment accounts, the edit command, the quiet per-card check and the export folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Account } from '../../src/core/model';
import { BalancePanel } from '../../src/panel/balancePanel';
import { defaultExportFolder } from '../../src/panel/export';
import type { HostMessage } from '../../src/panel/protocol';
import { TEAM_BALANCE_PATH } from '../fake/routes/custom';
import { byLabel, EXTENSION_ID, KEY, ScriptedUi, setSetting, until, useExtension, withEnvironmentDeepSeek } from './support';

const cfg = () => vscode.workspace.getConfiguration('llmBalance');

describe('first-time user', function () {
  this.timeout(90_000);
  let t: TestApi;
  let ui: ScriptedUi;
  const fake = useExtension((x) => ({ t, ui } = x), { resetNotifications: false });
  const ds = (id = 'ds', extra: Partial<Account> = {}) => ({ id, provider: 'deepseek', label: 'DeepSeek', baseUrl: `${fake.server.url}/deepseek`, ...extra });

  async function configure(accounts: unknown[], keys: Record<string, string> = {}): Promise<void> {
    for (const [id, key] of Object.entries(keys)) await t.keys.set(id, key);
    await setSetting('accounts', accounts);
    await until(() => t.monitor.accounts.filter((m) => m.source === 'settings').length === accounts.length, 'accounts reloaded');
  }

  afterEach(async () => {
    delete process.env.LLM_BALANCE_SANDBOX;
    for (const id of ['ds', 'nokey', 'deepseek', 'openrouter', 'team-credits']) await t.keys.delete(id);
  });
  after(async () => {
    for (const s of ['accounts', 'thresholds', 'percentThresholds', 'useEnvironmentKeys']) await setSetting(s, undefined);
  });

  it('in the sandbox, Add API Key proposes the simulated provider and refuses a real one', async () => {
    process.env.LLM_BALANCE_SANDBOX = fake.server.url;
    await configure([]);
    ui.picks.push(byLabel('DeepSeek'));
    ui.answers.push('DeepSeek', (o) => o.value, KEY);
    const id = await vscode.commands.executeCommand<string>('llmBalance.addAccount');
    assert.equal(id, 'deepseek');
    const urlBox = ui.inputs[1]!;
    assert.equal(urlBox.value, `${fake.server.url}/deepseek`);
    assert.match(String(urlBox.validateInput!('https://api.deepseek.com')), /sandbox/);
    assert.equal(cfg().get<Account[]>('accounts')![0]!.baseUrl, `${fake.server.url}/deepseek`);
    assert.ok(fake.server.requests.some((r) => r.path === '/deepseek/user/balance'), 'the key was not checked against the simulated provider');
  });

  it('a key that cannot be verified: a modal that stays, one period, Change Base URL and Cancel step back', async () => {
    await configure([]);
    fake.server.route('GET', '/deepseek/user/balance', { status: 503, body: '<html>down</html>' });
    ui.picks.push(byLabel('DeepSeek'));
    let urlAgain: string | undefined;
    ui.answers.push('DeepSeek', `${fake.server.url}/deepseek`, 'sk-test-first-0123456789',
      (o) => (urlAgain = o.value),
      'sk-test-second-0123456789',
      () => {
        fake.server.reset();
        return KEY;
      });
    ui.modalAnswers.push('Change Base URL', undefined);
    const id = await vscode.commands.executeCommand<string>('llmBalance.addAccount');
    assert.equal(id, 'deepseek', JSON.stringify(ui.shown));
    assert.equal(urlAgain, `${fake.server.url}/deepseek`, 'going back to the URL lost what was typed');
    assert.equal((await t.keys.get('deepseek')).key, KEY);
    const modals = ui.shown.filter((s) => s.kind === 'modal');
    assert.equal(modals.length, 2, JSON.stringify(ui.shown));
    for (const m of modals) {
      assert.equal(m.message, 'DeepSeek: the key could not be verified.');
      assert.doesNotMatch(`${m.message} ${m.detail}`, /\.\./);
      assert.deepEqual(m.items, ['Enter Another Key', 'Change Base URL', 'Save Anyway']);
    }
    assert.ok(!ui.shown.some((s) => s.kind !== 'modal' && /verified/.test(s.message)), 'the question also went to a toast');
    assert.deepEqual(ui.inputs.map((i) => i.title), [
      'Add API Key (2/4): name', 'Add API Key (3/4): base URL', 'Add API Key (4/4): API key',
      'Add API Key (3/4): base URL', 'Add API Key (4/4): API key', 'Add API Key (4/4): API key',
    ]);
  });

  it('a rejected key is described once', async () => {
    await configure([]);
    ui.picks.push(byLabel('OpenRouter'));
    ui.answers.push('OpenRouter', `${fake.server.url}/openrouter/api/v1`, '', 'sk-bad-0123456789abcdefgh', undefined);
    assert.equal(await vscode.commands.executeCommand('llmBalance.addAccount'), undefined);
    const modal = ui.shown.find((s) => s.kind === 'modal');
    assert.ok(modal, JSON.stringify(ui.shown));
    assert.equal(`${modal.message} ${modal.detail}`.match(/rejected/gi)?.length, 1, `${modal.message} ${modal.detail}`);
    assert.doesNotMatch(`${modal.message} ${modal.detail}`, /\.\./);
  });

  it('custom provider: every step numbered, the header chosen, the currency read from the answer', async () => {
    await configure([]);
    ui.picks.push(byLabel('Custom'), byLabel('x-api-key: {key}'), byLabel('Read it from the answer…'));
    ui.answers.push('Team credits', fake.server.url + TEAM_BALANCE_PATH, 'credits_remaining', 'team.billing.currency', KEY);
    const id = await vscode.commands.executeCommand<string>('llmBalance.addAccount');
    assert.equal(id, 'team-credits', JSON.stringify(ui.shown));
    const saved = cfg().get<Account[]>('accounts')![0]!;
    assert.deepEqual(saved.headers, { 'x-api-key': '{key}' });
    assert.equal(saved.currencyPath, 'team.billing.currency');
    assert.ok(ui.shown.some((s) => /saved Team credits — €755\.00 left/.test(s.message)), JSON.stringify(ui.shown));
    assert.equal(fake.server.requests.find((r) => r.path === TEAM_BALANCE_PATH)?.headers['x-api-key'] !== undefined, true);
    const titles = [...ui.pickOptions, ...ui.inputs].map((o) => o.title ?? '');
    assert.equal(titles[0], 'Add API Key (1): provider');
    const steps = titles.slice(1).map((t) => /^Add API Key \((\d+)\/(\d+)\): /.exec(t));
    assert.ok(steps.every((m) => m !== null), `an unnumbered step: ${titles.join(' | ')}`);
    assert.deepEqual([...new Set(steps.map((m) => m![2]))], ['7'], 'steps of one wizard counted against different totals');
    assert.deepEqual([...new Set(steps.map((m) => Number(m![1])))].sort((a, b) => a - b), [2, 3, 4, 5, 6, 7]);
  });

  it('status bar: a key-missing account is one click from its key; the others are "+1 more"', async () => {
    await configure([ds('ds'), ds('nokey', { label: 'No key' })], { ds: KEY });
    await vscode.commands.executeCommand('llmBalance.check');
    t.statusBar.render();
    assert.equal(t.statusBar.item.text, '$(key) No key: key missing +1 more');
    const command = t.statusBar.item.command as vscode.Command;
    assert.equal(command.command, 'llmBalance.updateKey');
    assert.deepEqual(command.arguments, ['nokey']);
    await t.keys.set('nokey', KEY);
    await vscode.commands.executeCommand('llmBalance.check');
    t.statusBar.render();
    assert.equal(t.statusBar.item.command, 'llmBalance.showPanel');
  });

  it('environment accounts: Update API Key says why they are not listed, and the panel learns which variable holds their key', async () => {
    await withEnvironmentDeepSeek(fake, t, () => configure([]), async () => {
      assert.equal(await vscode.commands.executeCommand('llmBalance.updateKey'), false);
      const said = ui.shown.at(-1)!;
      assert.match(said.message, /environment account is read-only/);
      assert.deepEqual(said.items, ['Add API Key']);
      assert.equal(t.panelModel.accounts().find((a) => a.account.id === 'env-deepseek')?.keyEnv, 'DEEPSEEK_API_KEY');

      await configure([ds('ds')], { ds: KEY });
      let listed: string[] = [];
      ui.picks.push((items) => {
        listed = items.map((i) => i.label);
        return undefined;
      });
      await vscode.commands.executeCommand('llmBalance.updateKey');
      assert.deepEqual(listed, ['DeepSeek']);
      assert.match(ui.pickOptions.at(-1)?.placeHolder ?? '', /environment/);
    });
  });

  it('Edit Account or Thresholds: an account\'s warning, the default and percent thresholds', async () => {
    await configure([ds('ds')], { ds: KEY });
    ui.picks.push(byLabel('DeepSeek'), byLabel('Warning threshold'));
    ui.answers.push('50');
    assert.equal(await vscode.commands.executeCommand('llmBalance.editAccount'), true);
    const box = ui.inputs[0]!;
    assert.equal(typeof box.validateInput!('lots'), 'string');
    assert.match(String(box.validateInput!('10')), /critical/, 'a warning below the critical amount was accepted');
    const saved = cfg().get<Account[]>('accounts')![0]!;
    assert.equal(saved.warning, 50);
    assert.equal(saved.currency, 'CNY', 'an amount without its currency would apply to any');

    ui.picks.push(byLabel('Default thresholds'), byLabel('USD'));
    ui.answers.push('20', '8');
    assert.equal(await vscode.commands.executeCommand('llmBalance.editAccount'), true);
    assert.deepEqual(cfg().get<Record<string, unknown>>('thresholds')?.USD, { warning: 20, critical: 8 });
    await until(() => t.monitor.thresholds?.thresholds.USD?.warning === 20, 'the monitor reads the new thresholds');

    ui.picks.push(byLabel('Percent thresholds'));
    ui.answers.push('30', '15');
    assert.equal(await vscode.commands.executeCommand('llmBalance.editAccount'), true);
    assert.deepEqual(cfg().get('percentThresholds'), { warning: 30, critical: 15 });
  });

  it('Manage keys: rows read as words, not icon names', async () => {
    let labels: string[] = [];
    ui.picks.push((items) => {
      labels = items.map((i) => i.label);
      return undefined;
    });
    await vscode.commands.executeCommand('llmBalance.manageKeys');
    assert.ok(labels.length >= 4);
    for (const l of labels) assert.doesNotMatch(l, /\$\(/, l);
  });

  it('the panel: worst card first, and a card\'s Check now pops no toast', async () => {
    await configure([ds('ds'), ds('nokey', { label: 'No key' })], { ds: KEY });
    await vscode.commands.executeCommand('llmBalance.check');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const panel = BalancePanel.createOrShow({ extensionUri: ext.extensionUri }, t.panelModel);
    try {
      const posted: HostMessage[] = [];
      const webview = panel.panel.webview;
      const original = webview.postMessage.bind(webview);
      webview.postMessage = (m: unknown) => {
        posted.push(m as HostMessage);
        return original(m);
      };
      const onMessage = (panel as unknown as { onMessage(raw: unknown): Promise<void> }).onMessage.bind(panel);
      await until(() => panel.webviewReady, 'the webview ready', 30_000);
      await until(() => posted.some((m) => m.type === 'data'), 'data');
      const data = posted.find((m) => m.type === 'data');
      assert.ok(data?.type === 'data');
      assert.deepEqual(data.data.accounts.map((a) => a.id), ['nokey', 'ds']);

      ui.shown.length = 0;
      const requests = fake.server.requests.length;
      await onMessage({ type: 'check', accountId: 'ds' });
      assert.ok(fake.server.requests.length > requests, 'the card did not check');
      assert.deepEqual(ui.shown, [], 'a single card\'s check popped a toast');
    } finally {
      panel.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('Export History starts in Downloads or the home folder, never the workspace', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-home-'));
    try {
      assert.equal(defaultExportFolder(home), home);
      fs.mkdirSync(path.join(home, 'Downloads'));
      assert.equal(defaultExportFolder(home), path.join(home, 'Downloads'));
      const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      if (ws) assert.ok(!defaultExportFolder().startsWith(ws));
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
