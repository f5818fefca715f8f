// External alert channels inside a real VS Code: "Configure Alert Channels" keeps the secrets in
// SecretStorage, "Send Test Alert" reaches real receivers on loopback (a webhook, a fake Telegram
// Bot API, an SMTP server), alerts follow the same ledger as the VS Code notification, and a
// failing channel holds up neither the others nor the toast.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BalanceResult } from '../../src/core/model';
import type { TestApi } from '../../src/extension';
import { FakeProviderServer, type FakeHandler, type FakeReply } from '../fake/server';
import { BOT_TOKEN, CHAT_ID, FakeSmtp, FakeTelegram } from '../unit/alerts/fakes';
import { byLabel, KEY, logLines, OPENROUTER as P, persistedText, routeCredits, ScriptedUi, setSetting, until, useExtension } from './support';

const HOOK_PATH = '/hooks/T0001/hook-7f3a9c2e5d1b48a6secret';
const HOUR = 3_600_000;
const CHANNEL_SETTINGS = ['telegram.enabled', 'telegram.chatId', 'telegram.apiBase', 'slack.enabled', 'discord.enabled', 'webhook.enabled', 'email.enabled', 'email.to', 'email.from'];

describe('alert channels', function () {
  this.timeout(60_000);
  const telegram = new FakeTelegram();
  const hook = new FakeProviderServer([]);
  const smtp = new FakeSmtp();
  let t: TestApi;
  let ui: ScriptedUi;
  const fake = useExtension((x) => ({ t, ui } = x));
  const credits = (total: number, used: number) => routeCredits(fake, total, used);
  const webhookUrl = () => hook.url + HOOK_PATH;
  const hookHits = () => hook.hits(HOOK_PATH);
  const check = () => vscode.commands.executeCommand('llmBalance.check');
  const channelSetting = (key: string) => vscode.workspace.getConfiguration('llmBalance.channels').get<unknown>(key);
  const toasts = () => ui.shown.filter((s) => /balance low/.test(s.message));

  /** What a leak would look like: each secret whole, and a distinctive piece of each. */
  const secrets = [BOT_TOKEN, BOT_TOKEN.split(':')[1]!.slice(4, 20), HOOK_PATH, 'hook-7f3a9c2e5d1b48a6', smtp.pass, encodeURIComponent(smtp.pass), 'Secret42'];
  function assertNoSecretPersisted(): void {
    const cfg = vscode.workspace.getConfiguration('llmBalance');
    const text = persistedText(t) + JSON.stringify(cfg.get('channels')) + JSON.stringify(ui.shown);
    for (const s of secrets) assert.ok(!text.includes(s), `a secret (${s.slice(0, 4)}…) leaked into settings, globalState, the log or a message`);
  }

  function configure(label: string, ...answers: string[]): Thenable<string | undefined> {
    ui.picks.push(byLabel(label));
    ui.answers.push(...answers);
    return vscode.commands.executeCommand<string | undefined>('llmBalance.configureChannels');
  }

  /** Removes a channel's secret and turns it off, whatever its state. */
  async function remove(label: string): Promise<void> {
    ui.picks.push((items) => {
      const it = items.find((i) => i.label === label);
      if (!it || it.description === 'not set up') return undefined;
      ui.picks.push(byLabel('Remove'));
      return it;
    });
    await vscode.commands.executeCommand('llmBalance.configureChannels');
  }

  function routeHook(reply: FakeReply | FakeHandler = { body: 'ok' }): void {
    hook.reset();
    hook.route('POST', HOOK_PATH, reply);
  }

  before(async () => {
    await Promise.all([telegram.start(), hook.start(), smtp.start()]);
    // A failing channel gives up after two quick tries instead of seconds of backoff.
    t.channels.deliveryOptions = { baseBackoffMs: 20, maxAttempts: 2 };
    await setSetting('channels.telegram.apiBase', telegram.url);
  });
  beforeEach(() => {
    telegram.reset();
    smtp.received.length = 0;
    routeHook();
  });
  after(async () => {
    ui = new ScriptedUi();
    t.uiHolder.current = ui;
    for (const label of ['Telegram', 'Slack', 'Discord', 'Webhook', 'E-mail']) await remove(label);
    for (const key of CHANNEL_SETTINGS) await setSetting(`channels.${key}`, undefined);
    await setSetting('accounts', undefined);
    await t.keys.delete('or');
    t.channels.deliveryOptions = {};
    await Promise.all([telegram.stop(), hook.stop(), smtp.stop()]);
  });

  it('registers Configure Alert Channels and Send Test Alert', async () => {
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes('llmBalance.configureChannels'));
    assert.ok(all.includes('llmBalance.sendTestAlert'));
  });

  it('Configure Alert Channels: validates, keeps the secret in SecretStorage, and can turn a channel off, on and remove it', async () => {
    ui.picks.push((items) => {
      assert.deepEqual(items.map((i) => i.label), ['Telegram', 'Slack', 'Discord', 'Webhook', 'E-mail']);
      assert.ok(items.every((i) => i.description === 'not set up'), JSON.stringify(items));
      return byLabel('Telegram')(items);
    });
    ui.answers.push(BOT_TOKEN, CHAT_ID);
    assert.equal(await vscode.commands.executeCommand('llmBalance.configureChannels'), 'telegram');
    assert.equal(ui.inputs[0]!.password, true, 'the bot token was not asked for in a password box');
    assert.ok(!ui.inputs[1]!.password);
    assert.equal(typeof ui.inputs[0]!.validateInput!('not-a-token'), 'string');
    assert.equal(typeof ui.inputs[1]!.validateInput!('my chat'), 'string');
    assert.equal(channelSetting('telegram.enabled'), true);
    assert.equal(channelSetting('telegram.chatId'), CHAT_ID);
    assert.ok(ui.shown.some((s) => s.message === `LLM Balance: Telegram alerts are on — Telegram chat ${CHAT_ID}.` && s.items.includes('Send Test Alert')), JSON.stringify(ui.shown));

    // Webhook URLs: https, or http on loopback only; never a user name or password. SMTP: smtp(s)://.
    ui.inputs.length = 0;
    assert.equal(await configure('Webhook', webhookUrl()), 'webhook');
    const validUrl = ui.inputs[0]!.validateInput!;
    // Pasted, so shown: a wrong paste is seen before it is saved (only the path is secret).
    assert.equal(ui.inputs[0]!.password, false);
    assert.equal(validUrl('https://example.com/hook'), undefined);
    assert.equal(typeof validUrl('http://example.com/hook'), 'string');
    assert.equal(typeof validUrl('https://user:pw@example.com/hook'), 'string');
    assert.equal(typeof validUrl('hooks.slack.com/services/x'), 'string');
    assert.ok(!String(validUrl('http://example.com/hook-secret-part')).includes('hook-secret-part'), 'the validation message quoted the URL');
    // Slack and Discord hand out URLs on their own hosts: a typo'd host is refused at once.
    ui.inputs.length = 0;
    assert.equal(await configure('Slack', webhookUrl()), 'slack');
    const validSlack = ui.inputs[0]!.validateInput!;
    assert.equal(validSlack('https://hooks.slack.com/services/T0/B0/abc'), undefined);
    assert.match(String(validSlack('https://hooks.slakc.com/services/T0/B0/abc')), /hooks\.slack\.com/);
    assert.ok(!String(validSlack('https://hooks.slakc.com/services/T0/B0/secretpath')).includes('secretpath'));
    ui.inputs.length = 0;
    assert.equal(await configure('Discord', webhookUrl()), 'discord');
    const validDiscord = ui.inputs[0]!.validateInput!;
    assert.equal(validDiscord('https://discord.com/api/webhooks/1/abc'), undefined);
    assert.equal(typeof validDiscord('https://discord.example.com/api/webhooks/1/abc'), 'string');
    ui.inputs.length = 0;
    assert.equal(await configure('E-mail', smtp.url(), 'ops@example.com, oncall@example.com', ''), 'email');
    const validSmtp = ui.inputs[0]!.validateInput!;
    assert.equal(typeof validSmtp('https://mail.example.com'), 'string');
    assert.equal(validSmtp('smtps://u:p@mail.example.com'), undefined);
    assert.equal(typeof ui.inputs[1]!.validateInput!('not an address'), 'string');
    assert.equal(channelSetting('email.to'), 'ops@example.com, oncall@example.com');
    assert.equal(channelSetting('email.enabled'), true);

    // Turn Off keeps the token; Turn On uses it again; Change with an empty token keeps it.
    ui.picks.push((items) => {
      assert.equal(items.find((i) => i.label === 'Telegram')?.description, `on — chat ${CHAT_ID}`);
      return byLabel('Telegram')(items);
    }, byLabel('Turn Off'));
    await vscode.commands.executeCommand('llmBalance.configureChannels');
    assert.notEqual(channelSetting('telegram.enabled'), true);
    ui.picks.push((items) => {
      assert.equal(items.find((i) => i.label === 'Telegram')?.description, 'off (bot token stored)');
      return byLabel('Telegram')(items);
    }, byLabel('Turn On'));
    await vscode.commands.executeCommand('llmBalance.configureChannels');
    assert.equal(channelSetting('telegram.enabled'), true);
    ui.picks.push(byLabel('Telegram'), byLabel('Change'));
    ui.answers.push('', '@llm_balance_alerts');
    assert.equal(await vscode.commands.executeCommand('llmBalance.configureChannels'), 'telegram');
    assert.equal(channelSetting('telegram.chatId'), '@llm_balance_alerts');

    // Remove deletes the secret: the channel is "not set up" again.
    await remove('Telegram');
    assert.notEqual(channelSetting('telegram.enabled'), true);
    ui.picks.push((items) => {
      assert.equal(items.find((i) => i.label === 'Telegram')?.description, 'not set up');
      return undefined;
    });
    assert.equal(await vscode.commands.executeCommand('llmBalance.configureChannels'), undefined);
    await remove('Webhook');
    await remove('Slack');
    await remove('Discord');
    await remove('E-mail');
    assertNoSecretPersisted();
  });

  describe('delivery', () => {
    before(async () => {
      ui = new ScriptedUi();
      t.uiHolder.current = ui;
      assert.equal(await configure('Telegram', BOT_TOKEN, CHAT_ID), 'telegram');
      assert.equal(await configure('Webhook', webhookUrl()), 'webhook');
      assert.equal(await configure('E-mail', smtp.url(), 'ops@example.com', ''), 'email');
      await t.keys.set('or', KEY);
      await setSetting('accounts', [{ id: 'or', provider: 'openrouter', label: 'OpenRouter', baseUrl: fake.server.url + P }]);
      await until(() => t.monitor.accounts.length === 1, 'accounts reloaded');
    });

    it('Send Test Alert: a marked test alert reaches every channel that is on, with one summary', async () => {
      const summary = await vscode.commands.executeCommand<{ delivered: string[]; failed: unknown[] }>('llmBalance.sendTestAlert');
      assert.deepEqual(summary, { delivered: ['telegram', 'webhook', 'email'], failed: [] });
      assert.ok(ui.shown.some((s) => s.kind === 'info' && s.message === 'LLM Balance test alert: delivered to telegram, webhook, email.'), JSON.stringify(ui.shown));

      assert.equal(telegram.messages.length, 1);
      assert.equal(telegram.messages[0]!.chatId, CHAT_ID);
      assert.match(telegram.messages[0]!.text, /TEST: this is a test alert from LLM Balance/);
      assert.equal(hookHits().length, 1);
      const payload = JSON.parse(hookHits()[0]!.body) as Record<string, unknown>;
      assert.equal(payload.event, 'llm-balance.alert');
      assert.equal(payload.account, 'llm-balance-test');
      assert.match(String(payload.message), /^TEST: /);
      assert.equal(hookHits()[0]!.headers['content-type'], 'application/json');
      await until(() => smtp.received.length === 1, 'the test e-mail');
      assert.deepEqual(smtp.received[0]!.envelopeTo, ['ops@example.com']);
      assert.match(smtp.received[0]!.mail.text ?? '', /TEST: this is a test alert/);
      // A test alert is not an alert: nothing recorded in the ledger.
      assert.ok(!t.globalState.keys().some((k) => k.includes('llm-balance-test')));
      assertNoSecretPersisted();
    });

    it('alerts follow the ledger: one per account and level, a worse level at once', async () => {
      credits(10, 2);
      await check();
      await check();
      await t.channels.idle();
      assert.equal(toasts().length, 1);
      assert.equal(hookHits().length, 1, 'the webhook got the same alert twice');
      assert.equal(telegram.messages.length, 1);
      await until(() => smtp.received.length === 1, 'the alert e-mail');
      const warning = JSON.parse(hookHits()[0]!.body) as Record<string, unknown>;
      assert.equal(warning.account, 'or');
      assert.equal(warning.level, 'warning');
      assert.equal(warning.balance, 8);
      assert.equal(warning.threshold, 10);
      assert.equal(warning.message, toasts()[0]!.message);
      assert.equal(warning.billingUrl, 'https://openrouter.ai/settings/credits');
      assert.match(telegram.messages[0]!.text, /WARNING: OpenRouter Balance Low/);

      credits(10, 9.31);
      await check();
      await check();
      await t.channels.idle();
      assert.equal(toasts().length, 2);
      assert.equal(hookHits().length, 2);
      assert.equal((JSON.parse(hookHits()[1]!.body) as { level: string }).level, 'critical');
      assert.equal(telegram.messages.length, 2);

      assertNoSecretPersisted();
    });

    it('a failing channel is logged and holds up neither the other channels nor the VS Code notification', async () => {
      let attempts = 0;
      routeHook(() => {
        attempts++;
        return { status: 500, delayMs: 600, body: { error: { message: 'receiver is down' } } };
      });
      credits(10, 2);
      await check();
      assert.equal(toasts().length, 1, 'no VS Code notification');
      assert.equal(toasts()[0]!.kind, 'warning');
      await until(() => telegram.messages.length === 1, 'the Telegram alert');
      assert.ok(!logLines().some((l) => /Alert to Webhook failed/.test(l)), 'Telegram waited for the failing webhook');
      await t.channels.idle();
      assert.equal(attempts, 2);
      const failure = logLines().find((l) => /Alert to Webhook failed for or \(warning\)/.test(l));
      assert.ok(failure, logLines().slice(-10).join('\n'));
      assert.match(failure, /answered HTTP 500: receiver is down.*gave up after 2 attempts/);
      assert.ok(logLines().some((l) => l === 'Alert sent to Telegram: or (warning).'));
      await until(() => smtp.received.length === 1, 'the e-mail alert');

      // The test alert names the failure in its summary.
      ui.shown.length = 0;
      const summary = await vscode.commands.executeCommand<{ delivered: string[]; failed: { channel: string; error: string }[] }>('llmBalance.sendTestAlert');
      assert.deepEqual(summary?.delivered, ['telegram', 'email']);
      assert.deepEqual(summary?.failed.map((f) => f.channel), ['webhook']);
      const msg = ui.shown.find((s) => /test alert/.test(s.message));
      assert.ok(msg, JSON.stringify(ui.shown));
      assert.equal(msg.kind, 'warning');
      assert.match(msg.message, /^LLM Balance test alert: delivered to telegram, email; failed: webhook \(Webhook \(127\.0\.0\.1:\d+\) answered HTTP 500: receiver is down/);
      assert.deepEqual(msg.items, ['Configure Alert Channels', 'Show Log']);
      assertNoSecretPersisted();
    });

    it('a budget step and a spend spike reach every channel once, as the toasts say them; a check within the cooldown sends nothing', async () => {
      await t.keys.set('spend', KEY);
      await setSetting('accounts', [{ id: 'spend', provider: 'openrouter', label: 'OpenRouter', baseUrl: fake.server.url + P }]);
      await setSetting('budgetSteps', [20]);
      try {
        await until(() => t.monitor.accounts.length === 1 && t.monitor.accounts[0]!.account.id === 'spend' && t.monitor.alertRules.budgetSteps.length === 1, 'the account and its steps');
        // Seven days of $1 an hour, the last 70 minutes ago at $116.85; the fake now says $74.75.
        const h = await t.history.open();
        const now = Date.now();
        const points: BalanceResult[] = [];
        for (let k = 7 * 24; k >= 0; k--) {
          points.push({
            accountId: 'spend', provider: 'openrouter', label: 'OpenRouter', status: 'valid', level: 'ok', balance: Math.round((116.85 + k) * 100) / 100,
            currency: 'USD', usage: null, limit: null, checkedAt: new Date(now - 70 * 60_000 - k * HOUR).toISOString(),
          });
        }
        h.record(points);
        await h.save();
        await check();
        await t.channels.idle();
        const step = 'BUDGET: OpenRouter passed 20% of its $100.00 monthly limit — $25.50 used, $74.50 left.';
        const spike = 'UNUSUAL SPEND: OpenRouter dropped $42.10 in the last hour — 42× its usual. Check for a leaked key.';
        const shown = ui.shown.filter((s) => s.message === step || s.message === spike);
        assert.deepEqual(shown.map((s) => [s.kind, s.message]), [['info', step], ['warning', spike]], JSON.stringify(ui.shown));
        const payloads = hookHits().map((h) => JSON.parse(h.body) as Record<string, unknown>);
        assert.deepEqual(payloads.map((p) => [p.kind, p.account, p.level, p.message]), [['step', 'spend', 'info', step], ['spike', 'spend', 'warning', spike]]);
        assert.deepEqual(telegram.messages.map((m) => m.text.split('\n')[0]), ['🔵 *BUDGET: OpenRouter passed 20% of its monthly limit*', '🟠 *UNUSUAL SPEND: OpenRouter*']);
        await until(() => smtp.received.length === 2, 'two e-mails');
        assert.deepEqual(smtp.received.map((m) => m.mail.subject).sort(), ['BUDGET: OpenRouter passed 20% of its monthly limit', 'UNUSUAL SPEND: OpenRouter']);
        assert.ok(logLines().some((l) => l === 'Alert sent to Webhook: spend (warning, spike).'), logLines().slice(-10).join('\n'));

        await check();
        await t.channels.idle();
        assert.equal(hookHits().length, 2, 'the webhook heard a step or a spike twice');
        assert.equal(telegram.messages.length, 2);
        assert.equal(smtp.received.length, 2);
        assertNoSecretPersisted();
      } finally {
        await setSetting('budgetSteps', undefined);
        await setSetting('accounts', [{ id: 'or', provider: 'openrouter', label: 'OpenRouter', baseUrl: fake.server.url + P }]);
        await t.keys.delete('spend');
        await until(() => t.monitor.accounts.length === 1 && t.monitor.accounts[0]!.account.id === 'or', 'accounts put back');
      }
    });

    it('a channel that is on without its secret on this machine is skipped and logged', async () => {
      await setSetting('channels.discord.enabled', true);
      try {
        credits(10, 2);
        await check();
        await t.channels.idle();
        assert.equal(hookHits().length, 1);
        assert.ok(logLines().some((l) => /Alert channel Discord skipped: it is on, but no webhook URL is stored on this machine/.test(l)), logLines().slice(-10).join('\n'));
      } finally {
        await setSetting('channels.discord.enabled', undefined);
      }
    });
  });
});
