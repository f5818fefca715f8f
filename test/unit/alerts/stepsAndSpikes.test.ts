// Budget steps and spend spikes reach the external channels (SPEC §7 "same dedupe"): decided by
// the shared ledger, rendered by each channel with the provider's and the user's text escaped,
// and sent over real HTTP on loopback to a fake Telegram Bot API, a Slack and a generic webhook.
import * as assert from 'node:assert/strict';
import { channelsFromEnv } from '../../../src/core/alerts/channels';
import { formatDiscord } from '../../../src/core/alerts/channels/discord';
import { formatText } from '../../../src/core/alerts/channels/email';
import { formatSlack } from '../../../src/core/alerts/channels/slack';
import { formatTelegram } from '../../../src/core/alerts/channels/telegram';
import { formatWebhook } from '../../../src/core/alerts/channels/webhook';
import { deliverAlerts } from '../../../src/core/alerts/delivery';
import { buildSpikeAlert, buildStepAlert, formatSubject } from '../../../src/core/alerts/message';
import { budgetUsage } from '../../../src/core/budgetSteps';
import { decideAlerts, type AlertContext } from '../../../src/core/decideAlerts';
import { MemoryStore } from '../../../src/core/kv';
import { fromBundle } from '../../../src/core/l10n';
import { NotificationLedger } from '../../../src/core/ledger';
import type { BalanceResult } from '../../../src/core/model';
import type { HistoryPoint } from '../../../src/core/history';
import { DEFAULT_SPIKE_RULE } from '../../../src/core/spike';
import { FakeProviderServer } from '../../fake/server';
import { readJson } from '../../l10n/keys';
import { CHAT_ID, FakeTelegram, markdownV2Problem, BOT_TOKEN } from './fakes';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-01T09:00:00.000Z');
/** A label a user could type, full of what every format treats as markup. */
const HOSTILE = 'Team_[x](https://evil.example) *b* <!channel> @everyone';
const SLACK_PATH = '/services/T0001/B0001/stepspikesecretpath';
const HOOK_PATH = '/hook/stepspike-4f1e9a-secret';
const DISCORD_PATH = '/api/webhooks/1/stepspike-discord-secret';

/** OpenRouter key info: a $100 monthly cap with `remaining` left; level ok (no threshold crossed). */
function keyCap(id: string, label: string, remaining: number): BalanceResult {
  return {
    accountId: id, provider: 'openrouter', label, status: 'valid', level: 'ok', balance: remaining, currency: 'USD',
    usage: 100 - remaining, limit: 100, checkedAt: new Date(NOW).toISOString(), details: { limit_remaining: remaining, key_limit_reset: 'monthly' },
  };
}

/** A balance of $74.75 now; the history spent $1 an hour for 7 days and stopped at $116.85 70 minutes ago. */
function spiky(): { result: BalanceResult; points: HistoryPoint[] } {
  const end = NOW - 70 * 60_000;
  const points: HistoryPoint[] = [];
  for (let k = 7 * 24; k >= 0; k--) points.push({ t: end - k * HOUR, balance: Math.round((116.85 + k) * 100) / 100, usage: null, limit: null, currency: 'USD', level: 'ok' });
  points.push({ t: NOW, balance: 74.75, usage: null, limit: null, currency: 'USD', level: 'ok' });
  const result: BalanceResult = {
    accountId: 'spiky', provider: 'openrouter', label: 'OpenRouter', status: 'valid', level: 'ok', balance: 74.75, currency: 'USD',
    usage: null, limit: null, checkedAt: new Date(NOW).toISOString(),
  };
  return { result, points };
}

/** Every text Slack reads as mrkdwn (where <!channel> would ping). */
function mrkdwnOf(payload: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(payload);
  return [String((payload as { text?: unknown }).text), ...out];
}

describe('budget steps and spend spikes in the alert channels', () => {
  const telegram = new FakeTelegram();
  const hooks = new FakeProviderServer([]);
  let clock: number;
  let ledger: NotificationLedger;
  const { result: spike, points } = spiky();
  const context = (): AlertContext => ({
    ledger,
    rules: { budgetSteps: [50, 80], spendSpike: DEFAULT_SPIKE_RULE },
    account: () => undefined,
    cooldownHours: 24,
    extras: () => ({ billingUrl: 'https://openrouter.ai/settings/credits' }),
    history: () => ({ seriesView: (id) => (id === 'spiky' ? points.filter((p) => p.t <= clock) : []) }),
    now: clock,
  });
  const env = () => ({
    TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_CHAT_ID: CHAT_ID, TELEGRAM_API_BASE: telegram.url,
    SLACK_WEBHOOK_URL: hooks.url + SLACK_PATH, WEBHOOK_URL: hooks.url + HOOK_PATH, DISCORD_WEBHOOK_URL: hooks.url + DISCORD_PATH,
  });
  /** One run as the CLI and the extension make it: decide (and record), then deliver. */
  async function run(results: BalanceResult[]) {
    const decided = await decideAlerts(results, context());
    const set = channelsFromEnv(env());
    assert.deepEqual(set.errors, []);
    try {
      return { decided, outcomes: await deliverAlerts(decided.map((d) => d.alert), set.channels, { timeoutMs: 10_000 }) };
    } finally {
      await set.close();
    }
  }
    const bodies = (p: string) => hooks.hits(p).map((h) => JSON.parse(h.body) as Record<string, unknown>);

  before(() => Promise.all([telegram.start(), hooks.start()]));
  after(() => Promise.all([telegram.stop(), hooks.stop()]));
  beforeEach(() => {
    clock = NOW;
    ledger = new NotificationLedger(new MemoryStore(), 24, () => clock);
    telegram.reset();
    hooks.reset();
    hooks.route('POST', SLACK_PATH, { body: 'ok' });
    hooks.route('POST', HOOK_PATH, { status: 204 });
    hooks.route('POST', DISCORD_PATH, { status: 204 });
  });

  it('a step and a spike reach Telegram, Slack, Discord and the webhook once; a run within the cooldown sends nothing', async () => {
    const step = keyCap('busy', HOSTILE, 15);
    const first = await run([step, spike]);
    assert.deepEqual(first.decided.map((d) => [d.r.accountId, d.kind, d.level]), [['busy', 'step', 'info'], ['spiky', 'spike', 'warning']]);
    assert.deepEqual(first.outcomes.filter((o) => !o.ok), []);
    assert.deepEqual(first.outcomes.map((o) => `${o.channel} ${o.kind} ${o.accountId}`).sort(), [
      'discord spike spiky', 'discord step busy', 'slack spike spiky', 'slack step busy', 'telegram spike spiky', 'telegram step busy', 'webhook spike spiky', 'webhook step busy',
    ]);

    // The fake Telegram refuses MarkdownV2 it could not parse: both messages got through, so both were escaped.
    assert.equal(telegram.messages.length, 2);
    const spikeLine = 'UNUSUAL SPEND: OpenRouter dropped $42.10 in the last hour — 42× its usual. Check for a leaked key.';
    const [stepText, spikeText] = telegram.messages.map((m) => m.text);
    assert.match(stepText!, /^🔵 \*BUDGET: Team\\_\\\[x\\\]\\\(https:\/\/evil\\\.example\\\) \\\*b\\\* <\\!channel\\> @everyone passed 80% of its monthly limit\*/);
    assert.ok(!/[^\\]\]\(https:\/\/evil/.test(stepText!), 'the label became a Telegram link');
    assert.match(stepText!, /\*Used:\* \$85\\\.00 of \$100\\\.00 \\\(85%\\\)/);
    assert.match(spikeText!, /^🟠 \*UNUSUAL SPEND: OpenRouter\*\nUNUSUAL SPEND: OpenRouter dropped \$42\\\.10 in the last hour — 42× its usual\\\. Check for a leaked key\\\./);
    assert.match(spikeText!, /\*Usual:\* \$1\\\.00 in such a window/);

    const slack = bodies(SLACK_PATH);
    assert.equal(slack.length, 2);
    assert.equal(slack[1]!.text, spikeLine);
    assert.match(String(slack[0]!.text), /^BUDGET: Team_\[x\]\(https:\/\/evil\.example\) \*b\* &lt;!channel&gt; @everyone passed 80% of its \$100\.00 monthly limit — \$85\.00 used, \$15\.00 left\.$/);
    assert.ok(!mrkdwnOf(slack[0]!).some((x) => x.includes('<!channel>')), 'Slack would ping the channel');

    const discord = bodies(DISCORD_PATH) as { content: string; allowed_mentions: unknown; embeds: { color: number }[] }[];
    assert.deepEqual(discord.map((d) => [d.allowed_mentions, d.embeds[0]!.color]), [[{ parse: [] }, 0x1e88e5], [{ parse: [] }, 0xfb8c00]]);
    assert.ok(discord[0]!.content.startsWith('BUDGET\\: Team\\_\\[x\\]\\(https\\://evil.example\\) \\*b\\* \\<!channel\\> \\@everyone passed'), discord[0]!.content);

    const hook = bodies(HOOK_PATH);
    assert.deepEqual(hook.map((b) => [b.kind, b.account, b.level]), [['step', 'busy', 'info'], ['spike', 'spiky', 'warning']]);
    assert.deepEqual(hook[0]!.step, { step: 80, usedPercent: 85, used: 85, limit: 100, remaining: 15, what: 'monthly limit' });
    assert.equal(hook[0]!.spike, null);
    assert.deepEqual(hook[1]!.spike, { spend: 42.1, usual: 1, times: 42, windowHours: 1 });
    assert.equal(hook[1]!.message, spikeLine);
    assert.equal(hook[1]!.subject, 'UNUSUAL SPEND: OpenRouter');
    assert.equal(hook[0]!.label, HOSTILE, 'the webhook carries the label as data, unchanged');

    // A minute later, same numbers: the step is recorded for this month, the spike for the cooldown.
    clock = NOW + 60_000;
    const later = [{ ...step, checkedAt: new Date(clock).toISOString() }, { ...spike, checkedAt: new Date(clock).toISOString() }];
    const unrecorded = await decideAlerts(later, { ...context(), ledger: new NotificationLedger(new MemoryStore(), 24, () => clock) });
    assert.deepEqual(unrecorded.map((d) => d.kind), ['step', 'spike'], 'without the records, the same numbers would alert again');
    const again = await run(later);
    assert.deepEqual(again.decided, []);
    assert.equal(telegram.calls, 2);
    assert.equal(hooks.hits(SLACK_PATH).length + hooks.hits(HOOK_PATH).length + hooks.hits(DISCORD_PATH).length, 6);
  });

  it('a step that reached nobody can be taken back (ledger.putBack) and is decided again', async () => {
    const first = await decideAlerts([keyCap('busy', 'OpenRouter', 15)], context());
    assert.deepEqual(first.map((d) => d.claim), ['step.80']);
    assert.deepEqual(await decideAlerts([keyCap('busy', 'OpenRouter', 15)], context()), [], 'recorded');
    await ledger.putBack(first[0]!.undo);
    assert.deepEqual((await decideAlerts([keyCap('busy', 'OpenRouter', 15)], context())).map((d) => d.claim), ['step.80']);
    const spikes = await decideAlerts([spike], context());
    assert.deepEqual(spikes.map((d) => d.claim), ['spike']);
    await ledger.putBack(spikes[0]!.undo);
    assert.deepEqual((await decideAlerts([spike], context())).map((d) => d.claim), ['spike'], 'the spike record was not put back');
  });
});

describe('budget-step and spend-spike alert formats', () => {
  const usage = budgetUsage(keyCap('busy', 'OpenRouter', 8))!;
  const step = buildStepAlert({ ...keyCap('busy', 'OpenRouter', 8), level: 'critical' }, 90, usage, 'critical', { billingUrl: 'https://openrouter.ai/settings/credits', cooldownHours: 24 });
  const { result } = spiky();
  const spike = buildSpikeAlert(result, { spend: 42.1, usual: 1, times: 42, currency: 'USD', windowHours: 1, from: NOW - HOUR, to: NOW }, { cooldownHours: 12 });

  it('say what crossed, in the shape of the toasts, with steps that fit the kind', () => {
    assert.equal(step.message, 'CRITICAL: OpenRouter passed 90% of its $100.00 monthly limit — $92.00 used, $8.00 left.');
    assert.equal(formatSubject(step), 'CRITICAL: OpenRouter passed 90% of its monthly limit');
    const text = formatText(step);
    assert.match(text, /^Used: +\$92\.00 of \$100\.00 \(92%\)$/m);
    assert.match(text, /^Left: +\$8\.00$/m);
    assert.match(text, /^1\. See what used it, and add funds or raise the limit if needed: https:\/\/openrouter\.ai\/settings\/credits$/m);
    assert.match(text, /llmBalance\.budgetSteps/);
    assert.match(text, /each budget step once per budget window/);

    const mail = formatText(spike);
    assert.match(mail, /^UNUSUAL SPEND: OpenRouter dropped \$42\.10 in the last hour — 42× its usual\. Check for a leaked key\.$/m);
    assert.match(mail, /^Spent: +\$42\.10 in the last hour$/m);
    assert.match(mail, /^Balance: +\$74\.75$/m);
    assert.match(mail, /revoke it at the provider/);
    assert.match(mail, /reports unusual spend on an account at most once every 12 hours\.$/m);
    assert.ok(!/Threshold|Add funds to avoid/.test(mail), 'a spike is not a low balance');
  });

  it('every format escapes the label; Discord pings no one; Telegram stays parseable', () => {
    const hostile = buildSpikeAlert({ ...result, label: HOSTILE }, { spend: 42.1, usual: 0, times: null, currency: 'USD', windowHours: 1, from: 0, to: 1 });
    for (const a of [hostile, buildStepAlert(keyCap('x', HOSTILE, 15), 80, budgetUsage(keyCap('x', HOSTILE, 15))!, 'info')]) {
      assert.equal(markdownV2Problem(formatTelegram(a)), undefined, formatTelegram(a));
      const d = formatDiscord(a);
      assert.deepEqual(d.allowed_mentions, { parse: [] });
      assert.ok(d.content.includes('\\@everyone') && d.content.includes('\\[x\\]\\(https\\:'), d.content);
      assert.ok(!mrkdwnOf(formatSlack(a)).some((x) => x.includes('<!channel>')));
      assert.equal(formatWebhook(a).label, HOSTILE);
    }
  });

  it('read as Chinese with the zh-CN bundle', () => {
    const zh = fromBundle(readJson('l10n/bundle.l10n.zh-cn.json') as Record<string, string>);
    const a = buildStepAlert(keyCap('busy', 'OpenRouter', 15), 80, budgetUsage(keyCap('busy', 'OpenRouter', 15))!, 'info', { t: zh });
    assert.equal(formatSubject(a, zh), '预算：OpenRouter 已用掉每月额度的 80%');
    assert.match(formatText(a, zh), /已用: +\$85\.00 \/ \$100\.00（85%）/);
    assert.equal(formatSubject(spike, zh), '异常消费：OpenRouter');
  });
});
