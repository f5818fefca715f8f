// The extension inside a real VS Code: keys, settings, status bar, polling and notifications.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Account } from '../../src/core/model';
import { byLabel, KEY, NotificationSpy, OPENROUTER as P, persistedText, routeCredits, ScriptedUi, setSetting, statusBackground, until, useExtension, withEnvironmentDeepSeek } from './support';

describe('extension', function () {
  this.timeout(60_000);
  let t: TestApi;
  let notified: NotificationSpy;
  let ui: ScriptedUi;
  const fake = useExtension((x) => ({ t, ui } = x));
  const credits = (total: number, used: number) => routeCredits(fake, total, used);
  const orAccount = (id = 'or', extra: Partial<Account> = {}) => ({ id, provider: 'openrouter', label: 'OpenRouter', baseUrl: fake.server.url + P, ...extra });

  async function configure(accounts: unknown[], keys: Record<string, string> = {}): Promise<void> {
    for (const [id, key] of Object.entries(keys)) await t.keys.set(id, key);
    await setSetting('accounts', accounts);
    await until(() => t.monitor.accounts.length === accounts.filter((a) => (a as { enabled?: boolean }).enabled !== false).length, 'accounts reloaded');
  }

  before(() => {
    notified = new NotificationSpy(t.notifier);
  });
  beforeEach(() => {
    notified.shown.length = 0;
  });
  after(async () => {
    await setSetting('accounts', undefined);
    await setSetting('pollIntervalMinutes', undefined);
    await setSetting('statusBar.mode', undefined);
  });

  it('registers every command of SPEC §8', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const c of ['check', 'addAccount', 'updateKey', 'removeAccount', 'showPanel', 'resetNotifications', 'exportHistory', 'showLog']) {
      assert.ok(all.includes(`llmBalance.${c}`), c);
    }
  });

  it('no accounts: the status bar asks for a key', async () => {
    await configure([]);
    t.statusBar.render();
    assert.equal(t.statusBar.item.text, '$(key) Add LLM API key');
    assert.equal(t.statusBar.item.command, 'llmBalance.addAccount');
    assert.equal(t.statusBar.item.name, 'LLM Balance');
  });

  it('Add API Key: checks the key, saves it in SecretStorage only, and shows the balance', async () => {
    await configure([]);
    ui.picks.push(byLabel('OpenRouter'));
    ui.answers.push('OpenRouter (work)', fake.server.url + P, '', KEY);
    const id = await vscode.commands.executeCommand<string>('llmBalance.addAccount');
    assert.equal(id, 'openrouter-work');
    const accounts = vscode.workspace.getConfiguration('llmBalance').get<Account[]>('accounts')!;
    assert.deepEqual(accounts.map((a) => a.id), ['openrouter-work']);
    assert.equal((await t.keys.get('openrouter-work')).key, KEY);
    assert.ok(ui.inputs.some((i) => i.password), 'the key was not asked for in a password box');
    assert.ok(ui.shown.some((s) => /saved OpenRouter \(work\) — \$74\.75 left/.test(s.message)), JSON.stringify(ui.shown));
    await until(() => t.monitor.results.some((r) => r.accountId === 'openrouter-work' && r.balance === 74.75), 'first check');
    assert.match(t.statusBar.item.text, /OpenRouter \(work\) \$74\.75/);
    assert.ok(!persistedText(t).includes(KEY), 'the key leaked into settings, globalState or the log');
  });

  it('Add API Key: an invalid key is not saved silently', async () => {
    await configure([]);
    ui.picks.push(byLabel('OpenRouter'));
    // The verdict's Cancel steps back to the key; Escape there ends the wizard.
    ui.answers.push('OpenRouter', fake.server.url + P, '', 'sk-bad-0123456789abcdefgh', undefined);
    ui.buttons.push([/rejected/, 'Cancel']);
    const id = await vscode.commands.executeCommand<string | undefined>('llmBalance.addAccount');
    assert.equal(id, undefined);
    assert.deepEqual(vscode.workspace.getConfiguration('llmBalance').get('accounts'), []);
    assert.equal((await t.keys.get('openrouter')).key, undefined);
    assert.ok(ui.shown.some((s) => s.kind === 'modal' && /rejected/.test(s.message) && /not been saved/.test(s.detail ?? '')), JSON.stringify(ui.shown));
    assert.ok(!persistedText(t).includes('sk-bad-0123456789abcdefgh'));
  });

  it('Update API Key replaces the secret after checking it; Remove deletes account and key', async () => {
    await configure([orAccount('or')], { or: 'sk-test-old-0123456789abcdef' });
    ui.picks.push(byLabel('API key'));
    ui.answers.push(KEY);
    assert.equal(await vscode.commands.executeCommand('llmBalance.updateKey', 'or'), true);
    assert.equal((await t.keys.get('or')).key, KEY);
    ui.buttons.push([/Remove/, 'Remove']);
    assert.equal(await vscode.commands.executeCommand('llmBalance.removeAccount', 'or'), true);
    assert.deepEqual(vscode.workspace.getConfiguration('llmBalance').get('accounts'), []);
    assert.equal((await t.keys.get('or')).key, undefined);
    assert.equal(t.globalState.get('llmBalance.result.or'), undefined);
  });

  it('status bar: text and colour for ok, warning, critical, error, stale and key missing', async () => {
    await configure([orAccount('or')], { or: KEY });
    const check = async () => vscode.commands.executeCommand('llmBalance.check');
    credits(100, 20);
    await check();
    assert.equal(t.statusBar.item.text, '$(credit-card) OpenRouter $80.00');
    assert.equal(t.statusBar.item.backgroundColor, undefined);
    credits(10, 2);
    await check();
    assert.equal(t.statusBar.item.text, '$(warning) OpenRouter $8.00');
    assert.equal(statusBackground(t), 'statusBarItem.warningBackground');
    credits(10, 9.31);
    await check();
    assert.equal(t.statusBar.item.text, '$(error) OpenRouter $0.69');
    assert.equal(statusBackground(t), 'statusBarItem.errorBackground');
    fake.server.route('GET', `${P}/credits`, { status: 503, body: '<html><body>down</body></html>' });
    await check();
    assert.equal(t.statusBar.item.text, '$(error) OpenRouter $0.69 (stale)');
    assert.equal(statusBackground(t), 'statusBarItem.errorBackground');
    const tip = (t.statusBar.item.tooltip as vscode.MarkdownString).value;
    assert.match(tip, /HTTP 503/);
    assert.match(tip, /command:llmBalance\.check/);
    fake.server.route('GET', `${P}/credits`, { status: 401, body: { error: { message: 'bad key' } } });
    fake.server.route('GET', `${P}/key`, { status: 401, body: { error: { message: 'bad key' } } });
    await check();
    assert.match(t.statusBar.item.text, /^\$\(error\) OpenRouter \$0\.69 \(stale\)$/);
    await t.keys.delete('or');
    await check();
    assert.equal(t.statusBar.item.text, '$(key) OpenRouter: key missing');
    await setSetting('statusBar.mode', 'total');
    await configure([orAccount('or'), orAccount('or2', { label: 'Second' })], { or: KEY, or2: KEY });
    fake.server.reset();
    await check();
    await until(() => t.statusBar.item.text === '$(credit-card) $149.50', `total mode, got ${t.statusBar.item.text}`);
    await setSetting('statusBar.mode', undefined);
  });

  it('notifies once per level, escalates at once, re-arms after recovery, and stays quiet for transient errors', async () => {
    await configure([orAccount('or')], { or: KEY });
    const check = () => vscode.commands.executeCommand('llmBalance.check');
    const toasts = () => ui.shown.filter((s) => /balance low|API key error|out of funds/.test(s.message));
    credits(10, 2);
    await check();
    assert.equal(toasts().length, 1);
    assert.equal(toasts()[0]!.kind, 'warning');
    assert.match(toasts()[0]!.message, /^WARNING: OpenRouter balance low — \$8\.00 left \(threshold \$10\.00\)\. Add funds to avoid interruption\.$/);
    assert.deepEqual(toasts()[0]!.items, ['Add Funds', 'Acknowledge', 'Open Panel', 'Snooze 24h']);
    assert.ok(typeof t.globalState.get('llmBalance.notified.or.warning') === 'string');
    await check();
    assert.equal(toasts().length, 1, 'warned twice');
    credits(10, 9.31);
    await check();
    assert.equal(toasts().length, 2);
    assert.equal(toasts()[1]!.kind, 'error');
    assert.match(toasts()[1]!.message, /^CRITICAL: OpenRouter balance low — \$0\.69 left \(threshold \$5\.00\)/);
    fake.server.route('GET', `${P}/credits`, { status: 500, body: {} });
    await check();
    assert.equal(toasts().length, 2, 'a transient error popped up');
    credits(100, 1);
    await check();
    assert.equal(t.globalState.get('llmBalance.notified.or.critical'), undefined, 'recovery did not clear the records');
    credits(10, 9.31);
    await check();
    assert.equal(toasts().length, 3, 'a new drop after recovery did not notify');
  });

  it('Check LLM Balance: the summary goes to the status bar; a toast of its own only for a failure no alert named', async () => {
    await configure([orAccount('or')], { or: KEY });
    const check = () => vscode.commands.executeCommand('llmBalance.check');
    const since = (from: number) => ui.shown.slice(from);
    const toastsSince = (from: number) => since(from).filter((s) => s.kind !== 'status');
    const statusSince = (from: number) => since(from).filter((s) => s.kind === 'status').map((s) => s.message);

    credits(100, 20);
    let from = ui.shown.length;
    await check();
    assert.deepEqual(statusSince(from), ['LLM Balance: 1 account · $80.00']);
    assert.deepEqual(toastsSince(from), [], 'all fine needs no toast');

    credits(10, 2);
    from = ui.shown.length;
    await check();
    assert.deepEqual(statusSince(from), ['LLM Balance: 1 account · $8.00 · 1 warning']);
    assert.deepEqual(toastsSince(from).map((s) => s.kind), ['warning'], 'the alert is the one toast');
    assert.match(toastsSince(from)[0]!.message, /^WARNING: OpenRouter balance low/);

    // A failure that raises no alert (a transient 503) is told by the check itself, once.
    fake.server.route('GET', `${P}/credits`, { status: 503, body: '<html><body>down</body></html>' });
    from = ui.shown.length;
    await check();
    assert.equal(statusSince(from).length, 1);
    assert.match(statusSince(from)[0]!, /^LLM Balance: 1 account · .*1 error/);
    assert.equal(toastsSince(from).length, 1, JSON.stringify(since(from)));
    assert.equal(toastsSince(from)[0]!.kind, 'warning');
    assert.match(toastsSince(from)[0]!.message, /^LLM Balance: 1 account .*\. OpenRouter: .*503/);
    assert.deepEqual(toastsSince(from)[0]!.items, ['Show Log', 'Open Panel']);

    // A rejected key raises its alert; the check adds no second toast saying the same.
    fake.server.route('GET', `${P}/credits`, { status: 401, body: { error: { message: 'User not found.' } } });
    fake.server.route('GET', `${P}/key`, { status: 401, body: { error: { message: 'User not found.' } } });
    from = ui.shown.length;
    await check();
    assert.equal(statusSince(from).length, 1);
    assert.deepEqual(toastsSince(from).map((s) => s.kind), ['error'], JSON.stringify(since(from)));
    assert.match(toastsSince(from)[0]!.message, /API key error/);
  });

  it('dedupe survives a restart and a second window sharing globalState', async () => {
    await configure([orAccount('or')], { or: KEY });
    credits(10, 2);
    await vscode.commands.executeCommand('llmBalance.check');
    assert.equal(notified.shown.length, 1);
    const other = t.newWindow();
    const otherNotified = new NotificationSpy(other.notifier);
    try {
      other.monitor.reload();
      await other.monitor.checkNow();
      assert.equal(otherNotified.shown.length, 0, 'the second window repeated the notification');
      assert.equal(other.monitor.results[0]?.balance, 8);
    } finally {
      other.dispose();
    }
    // A restart is a new monitor on the same globalState: nothing repeats either.
    const restarted = t.newWindow();
    const restartedNotified = new NotificationSpy(restarted.notifier);
    try {
      restarted.monitor.reload();
      await restarted.monitor.checkNow();
      assert.equal(restartedNotified.shown.length, 0);
    } finally {
      restarted.dispose();
    }
  });

  it('the polling window shows the results it made, without reading them back from globalState', async () => {
    await configure([orAccount('or'), orAccount('or2')], { or: KEY, or2: KEY });
    credits(100, 20);
    await t.monitor.checkNow();
    assert.deepEqual(t.monitor.results.map((r) => r.accountId), ['or', 'or2']);
    // What the other windows read is gone (another window forgot it, say): this one still shows its own.
    await t.globalState.update('llmBalance.result.or', undefined);
    await t.monitor.checkNow(['or2']);
    assert.deepEqual(t.monitor.results.map((r) => [r.accountId, r.balance]), [['or', 80], ['or2', 80]]);
    // A second window has nothing of its own: it shows what is stored, and 'or' is not.
    const other = t.newWindow();
    try {
      other.monitor.reload();
      assert.deepEqual(other.monitor.results.map((r) => r.accountId), ['or2']);
    } finally {
      other.dispose();
    }
  });

  it('Snooze 24h silences the level; Reset Notification State forgets everything', async () => {
    await configure([orAccount('or')], { or: KEY });
    credits(10, 2);
    ui.buttons.push([/WARNING/, 'Snooze 24h']);
    await vscode.commands.executeCommand('llmBalance.check');
    await until(() => t.globalState.get('llmBalance.snoozed.or') !== undefined, 'snooze recorded');
    const n = await vscode.commands.executeCommand<number>('llmBalance.resetNotifications');
    assert.ok(n && n >= 2, `reset cleared ${n}`);
    assert.equal(t.globalState.get('llmBalance.notified.or.warning'), undefined);
    notified.shown.length = 0;
    await vscode.commands.executeCommand('llmBalance.check');
    assert.equal(notified.shown.length, 1, 'no notification after reset');
  });

  it('an auth error notifies as an API key error with an Update Key action', async () => {
    await configure([orAccount('or')], { or: KEY });
    fake.server.route('GET', `${P}/credits`, { status: 401, body: { error: { message: 'User not found.' } } });
    fake.server.route('GET', `${P}/key`, { status: 401, body: { error: { message: 'User not found.' } } });
    await vscode.commands.executeCommand('llmBalance.check');
    const toast = ui.shown.find((s) => /API key error/.test(s.message));
    assert.ok(toast, JSON.stringify(ui.shown));
    assert.equal(toast.kind, 'error');
    assert.deepEqual(toast.items, ['Update Key', 'Acknowledge', 'Open Panel', 'Snooze 24h']);
  });

  it('invalid settings: valid accounts keep working and the problem is logged', async () => {
    await t.keys.set('or', KEY);
    await setSetting('accounts', [orAccount('or'), { id: 'Bad Id!', provider: 'nope' }, orAccount('plain', { baseUrl: 'http://example.com/api' })]);
    await until(() => t.monitor.accounts.length === 2, 'reload');
    assert.ok(t.monitor.problems.some((p) => /accounts\[1\]/.test(p)), t.monitor.problems.join('\n'));
    const results = await vscode.commands.executeCommand<{ accountId: string; level: string; error?: string }[]>('llmBalance.check');
    assert.equal(results.find((r) => r.accountId === 'or')?.level, 'ok');
    assert.match(results.find((r) => r.accountId === 'plain')?.error ?? '', /https/);
  });

  it('a settings change re-arms the poll timer without a reload', async () => {
    await configure([orAccount('or')], { or: KEY });
    // A window as activation builds it, on timers that only record what is armed (nothing fires).
    const armed: number[] = [];
    const spyWindow = t.newWindow({ timers: { set: (_fn, ms) => armed.push(ms), clear: () => undefined } });
    try {
      spyWindow.monitor.start(60_000);
      const before = armed.length;
      await setSetting('pollIntervalMinutes', 2);
      await until(() => armed.length > before, 'timer re-armed');
      assert.equal(armed.at(-1), 5_000, `armed: ${armed.join(', ')}`);
    } finally {
      spyWindow.dispose();
      await setSetting('pollIntervalMinutes', undefined);
    }
  });

  it('environment keys are read-only accounts', async () => {
    await withEnvironmentDeepSeek(fake, t, () => configure([]), async () => {
      const results = await vscode.commands.executeCommand<{ accountId: string; balance: number | null }[]>('llmBalance.check');
      assert.equal(results.find((r) => r.accountId === 'env-deepseek')?.balance, 110);
      assert.equal(await vscode.commands.executeCommand('llmBalance.updateKey', 'env-deepseek'), false);
      assert.ok(!persistedText(t).includes(KEY));
    });
  });
});
