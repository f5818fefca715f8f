// Budget steps, spend spikes, grouped alerts and acknowledged highlights in a real VS Code (issue 16).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Account, BalanceResult } from '../../src/core/model';
/** src/vscode/notifier.ts ALERTS_STARTED_KEY (not imported: that module belongs to the extension's bundle). */
const ALERTS_STARTED_KEY = 'llmBalance.alertsStarted';
import { KEY, NotificationSpy, OPENROUTER as P, routeCredits, ScriptedUi, setSetting, statusBackground, until, useExtension } from './support';

const HOUR = 3_600_000;

describe('alerts (issue 16)', function () {
  this.timeout(60_000);
  let t: TestApi;
  let notified: NotificationSpy;
  let ui: ScriptedUi;
  const fake = useExtension((x) => ({ t, ui } = x));
  const credits = (total: number, used: number) => routeCredits(fake, total, used);
  const bg = () => statusBackground(t);
  const account = (id: string, label = id, extra: Partial<Account> = {}) => ({ id, provider: 'openrouter', label, baseUrl: fake.server.url + P, ...extra });
  const keyInfo = (remaining: number) =>
    fake.server.route('GET', `${P}/key`, { body: { data: { label: 'x', limit: 100, limit_remaining: remaining, limit_reset: 'monthly', usage: 300, usage_monthly: 100 - remaining } } });
  const check = () => vscode.commands.executeCommand<BalanceResult[]>('llmBalance.check');
  /** What was shown, without the check command's own one-line summary. */
  const alerts = () => ui.shown.filter((s) => !/^LLM Balance: \d+ accounts? · /.test(s.message));

  async function configure(accounts: { id: string }[]): Promise<void> {
    for (const a of accounts) await t.keys.set(a.id, KEY);
    await setSetting('accounts', accounts);
    await until(() => t.monitor.accounts.length === accounts.length && accounts.every((a) => t.monitor.accounts.some((m) => m.account.id === a.id)), 'accounts reloaded');
  }

  before(async () => {
    notified = new NotificationSpy(t.notifier);
    // Not the first check after install unless a test says so.
    await t.globalState.update(ALERTS_STARTED_KEY, new Date().toISOString());
  });
  beforeEach(() => {
    notified.shown.length = 0;
  });
  after(async () => {
    for (const k of ['accounts', 'budgetSteps', 'spendSpike.factor', 'statusBar.highlight']) await setSetting(k, undefined);
    await t.globalState.update(ALERTS_STARTED_KEY, new Date().toISOString());
  });

  describe('one verdict per result', () => {
    afterEach(() => setSetting('thresholds', undefined));

    it('thresholds changed between a check and its notification: the toast quotes the rule of the level it shows', async () => {
      await configure([account('once', 'OpenRouter')]);
      credits(10, 2);
      const judgedBefore = await check();
      assert.deepEqual(alerts().map((s) => s.message), ['WARNING: OpenRouter balance low — $8.00 left (threshold $10.00). Add funds to avoid interruption.']);
      await vscode.commands.executeCommand('llmBalance.resetNotifications');
      ui.shown.length = 0;

      await setSetting('thresholds', { USD: { warning: 20, critical: 9 } });
      await until(() => t.monitor.results.find((r) => r.accountId === 'once')?.level === 'critical', 'the stored result judged by the new thresholds');
      // The result judged before the change is still a warning, and says so with its own threshold.
      await t.notifier.handle(judgedBefore);
      await until(() => alerts().length === 1, 'the toast for the earlier result');
      assert.equal(alerts()[0]!.message, 'WARNING: OpenRouter balance low — $8.00 left (threshold $10.00). Add funds to avoid interruption.');
      assert.equal(alerts()[0]!.kind, 'warning');
      // Judged again, it is critical under the new line, and the toast, the panel and the status bar follow.
      await t.notifier.handle(t.monitor.results);
      await until(() => alerts().length === 2, 'the toast for the result judged again');
      assert.equal(alerts()[1]!.message, 'CRITICAL: OpenRouter balance low — $8.00 left (threshold $9.00). Add funds to avoid interruption.');
      assert.deepEqual(t.panelModel.accounts().find((a) => a.account.id === 'once')?.thresholds, { warning: 20, critical: 9 });
      await until(() => bg() === 'statusBarItem.errorBackground', `status bar critical, is ${bg()}`);
    });
  });

  describe('budget steps', () => {
    afterEach(() => setSetting('budgetSteps', undefined));

    it('one notification per step per window, the highest of several, recorded beside the level records', async () => {
      await configure([account('steps', 'OpenRouter')]);
      await setSetting('budgetSteps', [20, 50, 60, 95]);
      await until(() => t.monitor.alertRules.budgetSteps.length === 4, 'steps read');
      // The default fake key: $25.50 of its $100 monthly cap used.
      await check();
      const steps = () => alerts().filter((s) => /passed \d+% of its/.test(s.message));
      assert.equal(steps().length, 1, JSON.stringify(ui.shown));
      assert.equal(steps()[0]!.kind, 'info', 'a step below the warning line is an information message');
      assert.equal(steps()[0]!.message, 'BUDGET: OpenRouter passed 20% of its $100.00 monthly limit — $25.50 used, $74.50 left.');
      assert.deepEqual(steps()[0]!.items, ['Open Panel']);
      const rec = t.globalState.get<{ window: string }>('llmBalance.notified.steps.step.20');
      assert.match(rec?.window ?? '', /^month:\d{4}-\d{2}$/);
      await check();
      assert.equal(steps().length, 1, 'the same step twice');
      keyInfo(35);
      await check();
      assert.equal(steps().length, 2);
      assert.match(steps()[1]!.message, /^BUDGET: OpenRouter passed 60% of its \$100\.00 monthly limit — \$65\.00 used, \$35\.00 left\.$/, 'not one notice for the highest of 50 and 60');
      assert.ok(t.globalState.get('llmBalance.notified.steps.step.50'), 'the lower step crossed at once was not recorded');
      // An account at ok clears its level records on every check; its step records must stay.
      await check();
      assert.equal(steps().length, 2, 'steps repeated after a check at level ok');
    });

    it('an invalid step is reported like other invalid settings, and the valid ones keep working', async () => {
      await configure([account('steps2', 'OpenRouter')]);
      await setSetting('budgetSteps', [150, 20]);
      await until(() => t.monitor.problems.some((p) => /budgetSteps/.test(p)), 'problem reported');
      assert.ok(t.monitor.problems.includes('llmBalance.budgetSteps[0]: 150 is not a percentage above 0 and at most 100; that step is skipped'), t.monitor.problems.join('\n'));
      await setSetting('spendSpike.factor', 0.5);
      await until(() => t.monitor.problems.some((p) => /spendSpike\.factor/.test(p)), 'factor problem reported');
      assert.equal(t.monitor.alertRules.spendSpike.factor, 5);
      await check();
      assert.ok(ui.shown.some((s) => /passed 20%/.test(s.message)), JSON.stringify(ui.shown));
      await setSetting('spendSpike.factor', undefined);
    });
  });

  describe('grouped alerts', () => {
    it('more than two accounts alerting in one check share one toast; each is still recorded', async () => {
      const ids = ['g-one', 'g-two', 'g-three'];
      await configure(ids.map((id, i) => account(id, `Team ${i + 1}`)));
      credits(10, 2);
      await check();
      const groups = alerts().filter((s) => /accounts need attention/.test(s.message));
      assert.equal(groups.length, 1, JSON.stringify(ui.shown));
      assert.equal(alerts().length, 1, `single toasts beside the group: ${JSON.stringify(ui.shown)}`);
      assert.equal(groups[0]!.kind, 'warning');
      assert.equal(
        groups[0]!.message,
        'LLM Balance: 3 accounts need attention — WARNING: Team 1 balance low — $8.00 left (threshold $10.00); WARNING: Team 2 balance low — $8.00 left (threshold $10.00); WARNING: Team 3 balance low — $8.00 left (threshold $10.00).',
      );
      assert.deepEqual(groups[0]!.items, ['Acknowledge', 'Open Panel', 'Snooze 24h']);
      for (const id of ids) assert.equal(typeof t.globalState.get(`llmBalance.notified.${id}.warning`), 'string', id);
      assert.equal(notified.shown.length, 3);
      await check();
      assert.equal(alerts().length, 1, 'the group repeated');
    });

    it('two accounts alert separately, except on the first check after install', async () => {
      await configure([account('p-one', 'One'), account('p-two', 'Two')]);
      credits(10, 2);
      await check();
      assert.deepEqual(alerts().map((s) => s.message.slice(0, 20)), ['WARNING: One balance', 'WARNING: Two balance']);
      await vscode.commands.executeCommand('llmBalance.resetNotifications');
      ui.shown.length = 0;
      await t.globalState.update(ALERTS_STARTED_KEY, undefined);
      await check();
      assert.equal(alerts().length, 1, JSON.stringify(ui.shown));
      assert.match(alerts()[0]!.message, /^LLM Balance: 2 accounts need attention — WARNING: One balance low/);
      assert.ok(t.globalState.get(ALERTS_STARTED_KEY), 'the first check was not marked done');
    });

    it('Acknowledge in the group toast clears the highlight of every listed account', async () => {
      await configure([account('a-one', 'One'), account('a-two', 'Two'), account('a-three', 'Three')]);
      credits(10, 9.31);
      ui.buttons.push([/accounts need attention/, 'Acknowledge']);
      await check();
      await until(() => bg() === undefined, `background cleared, still ${bg()}`);
      for (const id of ['a-one', 'a-two', 'a-three']) assert.ok(t.globalState.get(`llmBalance.acknowledged.${id}`), id);
    });
  });

  describe('acknowledge a highlight', () => {
    afterEach(() => setSetting('statusBar.highlight', undefined));

    it('clears the background until the level gets worse; the tooltip offers it too', async () => {
      await configure([account('ack', 'OpenRouter')]);
      credits(10, 2);
      ui.buttons.push([/^WARNING/, 'Acknowledge']);
      await check();
      assert.deepEqual(alerts()[0]!.items, ['Add Funds', 'Acknowledge', 'Open Panel', 'Snooze 24h']);
      await until(() => bg() === undefined, 'highlight acknowledged');
      assert.equal(t.statusBar.item.text, '$(warning) OpenRouter $8.00', 'the icon must still tell the level');
      await check();
      assert.equal(bg(), undefined, 'the highlight came back at the same level');
      credits(10, 9.31);
      ui.buttons.length = 0;
      await check();
      assert.equal(bg(), 'statusBarItem.errorBackground', 'a worse level must light up again');
      const tip = (t.statusBar.item.tooltip as vscode.MarkdownString).value;
      const link = /\(command:llmBalance\.acknowledge\?([^ )]+)/.exec(tip);
      assert.ok(link, tip);
      assert.ok((t.statusBar.item.tooltip as vscode.MarkdownString).isTrusted, 'tooltip links need a trusted string');
      // What the tooltip link runs: the command with the link's arguments.
      const args = JSON.parse(decodeURIComponent(link[1]!)) as unknown[];
      assert.deepEqual(await vscode.commands.executeCommand('llmBalance.acknowledge', ...args), ['ack']);
      assert.equal(bg(), undefined);
    });

    it('"always" keeps the background despite an acknowledgement; "never" shows none', async () => {
      await configure([account('hl', 'OpenRouter')]);
      credits(10, 2);
      await check();
      await vscode.commands.executeCommand('llmBalance.acknowledge');
      assert.equal(bg(), undefined);
      await setSetting('statusBar.highlight', 'always');
      await until(() => bg() === 'statusBarItem.warningBackground', 'always highlights');
      await setSetting('statusBar.highlight', 'never');
      await until(() => bg() === undefined, 'never highlights');
      await vscode.commands.executeCommand('llmBalance.resetNotifications');
      ui.shown.length = 0;
      credits(10, 9.31);
      await check();
      assert.equal(bg(), undefined, '"never" coloured a critical');
      assert.ok(alerts().some((s) => /^CRITICAL/.test(s.message)), JSON.stringify(ui.shown));
      assert.ok(!ui.shown.some((s) => s.items.includes('Acknowledge')), 'nothing to acknowledge when nothing is highlighted');
    });
  });

  describe('spend spike', () => {
    it('warns when the last hour\'s spend is far above the usual, once per cooldown', async () => {
      await configure([account('spiky', 'OpenRouter')]);
      // Seven days of hourly checks spending $1 an hour, the last 70 minutes ago at $116.85.
      const h = await t.history.open();
      const now = Date.now();
      const points: BalanceResult[] = [];
      for (let k = 7 * 24; k >= 0; k--) {
        points.push({
          accountId: 'spiky', provider: 'openrouter', label: 'OpenRouter', status: 'valid', level: 'ok', balance: Math.round((116.85 + k) * 100) / 100,
          currency: 'USD', usage: null, limit: null, checkedAt: new Date(now - 70 * 60_000 - k * HOUR).toISOString(),
        });
      }
      h.record(points);
      await h.save();
      // The fake's balance: $74.75, i.e. $42.10 gone since.
      await check();
      const spikes = () => alerts().filter((s) => /UNUSUAL SPEND/.test(s.message));
      assert.equal(spikes().length, 1, JSON.stringify(ui.shown));
      assert.equal(spikes()[0]!.message, 'UNUSUAL SPEND: OpenRouter dropped $42.10 in the last hour — 42× its usual. Check for a leaked key.');
      assert.equal(spikes()[0]!.kind, 'warning');
      assert.deepEqual(spikes()[0]!.items, ['Update Key', 'Open Panel']);
      assert.equal(typeof t.globalState.get('llmBalance.notified.spiky.spike'), 'string');
      await check();
      assert.equal(spikes().length, 1, 'the spike was announced twice');
      const events = (await t.history.open()).events().filter((e) => e.accountId === 'spiky');
      assert.equal(events.filter((e) => e.message.startsWith('UNUSUAL SPEND')).length, 1);
    });
  });

  describe('a missing key', () => {
    it('"Check LLM Balance" on an account whose key is not on this machine shows one toast, not two', async () => {
      // As after Settings Sync: the account came, its key did not (no key was ever stored for this id).
      await setSetting('accounts', [{ id: 'synced', provider: 'deepseek', label: 'DeepSeek (synced)', baseUrl: fake.server.url + '/deepseek' }]);
      await until(() => t.monitor.accounts.length === 1 && t.monitor.accounts[0]!.account.id === 'synced', 'accounts reloaded');
      // The settings change re-armed the poller 5 s out: the command's check is the first to find the key missing.
      await until(() => !t.monitor.isChecking, 'no check running');
      assert.equal(t.globalState.get('llmBalance.keyMissingPrompted.synced'), undefined, 'prompted before the command ran');
      ui.shown.length = 0;
      const results = await check();
      assert.deepEqual(results.map((r) => [r.accountId, r.level, r.errorKind]), [['synced', 'error', 'config']]);
      const toasts = ui.shown.filter((s) => s.kind !== 'status' && /DeepSeek \(synced\)/.test(s.message));
      assert.equal(toasts.length, 1, JSON.stringify(ui.shown));
      assert.equal(toasts[0]!.message, 'LLM Balance: no API key is stored on this machine for "DeepSeek (synced)". Set it to start checking.');
      assert.deepEqual(toasts[0]!.items, ['Set Key']);
    });
  });
});
