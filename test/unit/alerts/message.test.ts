import * as assert from 'node:assert/strict';
import type { BalanceResult } from '../../../src/core/model';
import { buildAlert, formatSubject, footerText, type Alert } from '../../../src/core/alerts/message';
import { formatDiscord } from '../../../src/core/alerts/channels/discord';
import { formatHtml, formatText } from '../../../src/core/alerts/channels/email';
import { formatSlack } from '../../../src/core/alerts/channels/slack';
import { escapeMarkdownV2, formatTelegram } from '../../../src/core/alerts/channels/telegram';
import { formatWebhook } from '../../../src/core/alerts/channels/webhook';
import { markdownV2Problem, sampleAlert } from './fakes';

function result(over: Partial<BalanceResult> = {}): BalanceResult {
  return {
    accountId: 'openrouter',
    provider: 'openrouter',
    label: 'OpenRouter',
    status: 'valid',
    level: 'critical',
    balance: 0.69,
    currency: 'USD',
    usage: null,
    limit: null,
    checkedAt: '2026-01-01T12:00:00.000Z',
    ...over,
  };
}

const opts = { threshold: 5, billingUrl: 'https://openrouter.ai/settings/credits', cooldownHours: 24 };

describe('alert messages', () => {
  it('alerts on warning, critical, and on auth / insufficient-funds errors only (SPEC §7)', () => {
    const alerts = (over: Partial<BalanceResult>): boolean => buildAlert(result(over), opts) !== undefined;
    assert.ok(alerts({ level: 'warning' }));
    assert.ok(alerts({ level: 'critical' }));
    assert.ok(alerts({ level: 'error', status: 'invalid', errorKind: 'auth' }));
    assert.ok(alerts({ level: 'error', status: 'error', errorKind: 'insufficient_funds' }));
    for (const errorKind of ['network', 'timeout', 'server', 'rate_limited', 'bad_response', 'config'] as const) {
      assert.ok(!alerts({ level: 'error', status: 'error', errorKind }), errorKind);
    }
    assert.ok(!alerts({ level: 'ok' }));
    assert.ok(!alerts({ level: 'info' }));
  });

  it('builds the SPEC §7 line and the subject', () => {
    const a = buildAlert(result(), opts)!;
    assert.equal(a.message, 'CRITICAL: OpenRouter balance low — $0.69 left (threshold $5.00). Add funds to avoid interruption.');
    assert.equal(formatSubject(a), 'CRITICAL: OpenRouter Balance Low');
    assert.equal(a.time, '2026-01-01T12:00:00.000Z');
    assert.equal(a.cooldownHours, 24);
    assert.equal(a.threshold, 5);
    const w = buildAlert(result({ level: 'warning', balance: 88.88, currency: 'CNY' }), { threshold: 70 })!;
    assert.equal(w.message, 'WARNING: OpenRouter balance low — ¥88.88 left (threshold ¥70.00). Add funds to avoid interruption.');
    assert.equal(formatSubject(w), 'WARNING: OpenRouter Balance Low');
  });

  it('says "out of funds" when the provider reports it, and marks stale numbers', () => {
    const a = buildAlert(result({ errorKind: 'insufficient_funds', balance: 0 }), opts)!;
    assert.equal(a.message, 'CRITICAL: OpenRouter is out of funds — $0.00 left (threshold $5.00). Add funds to avoid interruption.');
    const s = buildAlert(result({ stale: true }), opts)!;
    assert.match(s.message, /\$0\.69 left \(last known\)/);
    assert.match(formatText(s), /last known; the latest check failed/);
  });

  it('has an API key error variant with remediation steps and a redacted error', () => {
    const key = 'sk-or-v1-0123456789abcdef0123456789abcdef';
    const a = buildAlert(result({ status: 'invalid', level: 'error', errorKind: 'auth', balance: null, error: `The key was rejected — HTTP 401: bad key ${key}` }), opts)!;
    assert.equal(formatSubject(a), 'ERROR: OpenRouter API Key Error');
    assert.match(a.message, /^ERROR: OpenRouter API key error — the key was rejected\./);
    assert.equal(a.threshold, null, 'no threshold on a key error');
    const text = formatText(a);
    assert.ok(!text.includes(key), text);
    for (const step of [/Check the key/, /expired/, /has funds: https:\/\/openrouter\.ai\/settings\/credits/, /Update the key where it is configured/, /LLM Balance: Update API Key/]) {
      assert.match(text, step);
    }
    const located = buildAlert(result({ status: 'invalid', level: 'error', errorKind: 'auth' }), { keyLocation: 'the environment variable OPENROUTER_API_KEY' })!;
    assert.match(formatText(located), /configured: the environment variable OPENROUTER_API_KEY\./);
  });

  it('the plain text body has balance, threshold, what to do and a repeat footer', () => {
    const a = buildAlert(result(), opts)!;
    const text = formatText(a);
    assert.match(text, /^CRITICAL: OpenRouter balance low/);
    assert.match(text, /Balance: +\$0\.69/);
    assert.match(text, /Threshold: +\$5\.00 \(critical\)/);
    assert.match(text, /What to do:\n1\. Add funds: https:\/\/openrouter\.ai\/settings\/credits/);
    assert.match(text, /at most once every 24 hours/);
    assert.match(footerText({ ...a, cooldownHours: 1 }), /once an hour/);
    assert.match(footerText({ ...a, cooldownHours: 0.5 }), /once every 30 minutes/);
  });

  it('escapes provider text in HTML', () => {
    const a = sampleAlert({ label: '<script>alert(1)</script>', message: 'a <b> & "c"' });
    const html = formatHtml(a);
    assert.ok(!html.includes('<script>'));
    assert.match(html, /&lt;script&gt;/);
    assert.match(html, /a &lt;b&gt; &amp; &quot;c&quot;/);
  });

  it('Telegram MarkdownV2 is escaped so that Telegram can parse it', () => {
    assert.equal(escapeMarkdownV2('$0.69 (threshold $5.00)!'), '$0\\.69 \\(threshold $5\\.00\\)\\!');
    const nasty: Alert = sampleAlert({ label: 'My_relay *[beta]* (v2) #1 ~x~ `y` a>b c|d {e} +-=.!\\', message: 'Odd_chars*[](){}.!-' });
    for (const a of [sampleAlert(), nasty, sampleAlert({ level: 'error', errorKind: 'auth', threshold: null, error: 'HTTP 401 (bad_key.v2)' }), sampleAlert({ billingUrl: 'https://x.example/a_(b)\\c' })]) {
      const md = formatTelegram(a);
      assert.equal(markdownV2Problem(md), undefined, md);
      assert.ok(md.length <= 4096);
    }
    const long = formatTelegram(sampleAlert({ error: 'x.'.repeat(4000), level: 'error', errorKind: 'auth' }));
    assert.equal(markdownV2Problem(long), undefined);
    assert.ok(long.length <= 4096);
    assert.match(formatTelegram(sampleAlert()), /^🔴 \*CRITICAL: OpenRouter Balance Low\*/);
  });

  it('Slack payload: fallback text and blocks with escaped mrkdwn', () => {
    const p = formatSlack(sampleAlert({ label: 'A&B <x>' }));
    assert.match(p.text, /^CRITICAL: OpenRouter balance low/);
    const json = JSON.stringify(p.blocks);
    assert.match(json, /A&amp;B &lt;x&gt;/);
    assert.match(json, /<https:\/\/openrouter\.ai\/settings\/credits\|https:\/\/openrouter\.ai\/settings\/credits>/);
    assert.equal((p.blocks[0] as { type: string }).type, 'header');
  });

  it('Discord payload: an embed, escaped content, and no mentions', () => {
    const p = formatDiscord(sampleAlert({ message: '@everyone *bold* <@123>' }));
    assert.deepEqual(p.allowed_mentions, { parse: [] });
    assert.ok(p.content.includes('\\@everyone \\*bold\\*'), p.content);
    const e = p.embeds[0] as { title: string; color: number; url: string; fields: { name: string }[] };
    assert.equal(e.title, 'CRITICAL: OpenRouter Balance Low');
    assert.equal(e.url, 'https://openrouter.ai/settings/credits');
    assert.deepEqual(e.fields.map((f) => f.name), ['Account', 'Balance', 'Threshold', 'Checked']);
  });

  it('the generic webhook payload is the documented shape', () => {
    assert.deepEqual(formatWebhook(sampleAlert()), {
      event: 'llm-balance.alert',
      version: 1,
      kind: 'level',
      account: 'openrouter',
      label: 'OpenRouter',
      provider: 'openrouter',
      level: 'critical',
      errorKind: null,
      balance: 0.69,
      currency: 'USD',
      threshold: 5,
      subject: 'CRITICAL: OpenRouter Balance Low',
      message: 'CRITICAL: OpenRouter balance low — $0.69 left (threshold $5.00). Add funds to avoid interruption.',
      billingUrl: 'https://openrouter.ai/settings/credits',
      stale: false,
      time: '2026-01-01T12:00:00.000Z',
      cooldownHours: 24,
      step: null,
      spike: null,
    });
  });
});
