// The zh-CN bundle put through the same code as VS Code would: the sentences the core builds
// from pieces (alert line, status bar, tooltip, e-mail) must read as whole Chinese sentences,
// with money as `$0.69` / `¥110.00`.
import * as assert from 'node:assert/strict';
import { CHANNELS, createChannels, pastedProblem } from '../../src/core/alerts/channels';
import { formatText } from '../../src/core/alerts/channels/email';
import { buildAlert } from '../../src/core/alerts/message';
import { stepNotice, type BudgetUsage } from '../../src/core/budgetSteps';
import { spikeEventPrefixes, spikeMessage, SPIKE_EVENT_PREFIX } from '../../src/core/spike';
import { english, fromBundle } from '../../src/core/l10n';
import type { BalanceResult } from '../../src/core/model';
import { statusView } from '../../src/core/statusView';
import { readJson } from '../l10n/keys';

const zh = fromBundle(readJson('l10n/bundle.l10n.zh-cn.json') as Record<string, string>);
const NOW = Date.parse('2026-11-01T12:00:00Z');

function columns(s: string): number {
  return [...s].reduce((n, c) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c) ? 2 : 1), 0);
}

function result(over: Partial<BalanceResult> = {}): BalanceResult {
  return {
    accountId: 'openrouter', provider: 'openrouter', label: 'OpenRouter', status: 'valid', level: 'critical',
    balance: 0.69, currency: 'USD', usage: null, limit: null, checkedAt: new Date(NOW - 120_000).toISOString(), ...over,
  };
}

describe('zh-CN text', () => {
  it('the alert line is one Chinese sentence in the SPEC §7 shape', () => {
    assert.equal(buildAlert(result(), { threshold: 5, t: zh })?.message, '严重：OpenRouter 余额不足，剩余 $0.69（阈值 $5.00）。请及时充值，以免服务中断。');
    assert.equal(buildAlert(result({ level: 'warning', balance: 8, currency: 'CNY', label: 'DeepSeek' }), { threshold: 70, t: zh })?.message,
      '警告：DeepSeek 余额不足，剩余 ¥8.00（阈值 ¥70.00）。请及时充值，以免服务中断。');
    assert.equal(buildAlert(result({ level: 'error', status: 'invalid', errorKind: 'auth', balance: null }), { t: zh })?.message,
      '错误：OpenRouter API 密钥错误 — 密钥被拒绝。请检查密钥是否正确、是否过期，以及账户余额。');
    // The same call without `t` is the English of the SPEC, as the CLI sends it.
    assert.equal(buildAlert(result(), { threshold: 5 })?.message, 'CRITICAL: OpenRouter balance low — $0.69 left (threshold $5.00). Add funds to avoid interruption.');
  });

  it('the e-mail body has Chinese headings and steps around the same numbers', () => {
    const a = buildAlert(result(), { threshold: 5, billingUrl: 'https://openrouter.ai/settings/credits', t: zh })!;
    const text = formatText(a, zh);
    for (const s of ['账户:', '余额:', '$0.69', '阈值:', '$5.00（严重）', '处理建议：', '充值: https://openrouter.ai/settings/credits', '最多每 24 小时一次重复这条告警']) {
      assert.ok(text.includes(s), `${s} in:\n${text}`);
    }
    assert.doesNotMatch(text.replace(/LLM Balance|llmBalance\.thresholds/g, ''), /Balance|What to do|threshold|Account/);
    // Chinese characters are two columns wide in a terminal or a monospace mail client.
    const valueColumns = text.split('\n').filter((l) => /^(账户|余额|阈值|检查时间):/.test(l)).map((l) => columns(l.slice(0, l.search(/[$O2]/))));
    assert.equal(new Set(valueColumns).size, 1, `values start in one column: ${valueColumns.join(', ')}`);
  });

  it('the channel wizard says what is wrong with a pasted value in Chinese; the CLI stays English', () => {
    const pasted = (env: string, value: string): string | undefined => {
      const d = CHANNELS.find((x) => x.fields.some((f) => f.env === env))!;
      return pastedProblem(d, d.fields.find((f) => f.env === env)!, value, zh);
    };
    assert.equal(pasted('TELEGRAM_BOT_TOKEN', 'not-a-token'), '该值看起来不像机器人令牌（应为数字、":"，然后是字母、数字、"_" 或 "-"）。');
    assert.equal(pasted('TELEGRAM_CHAT_ID', 'my chat'), '该值必须是数字会话 ID（例如 -1001234567890）或 @频道名（@channelname）。');
    assert.equal(pasted('SMTP_URL', 'https://mail.example.com'), '该值必须以 smtp:// 或 smtps:// 开头（当前以 https:// 开头）。');
    assert.equal(pasted('ALERT_EMAIL_TO', 'not an address'), '该值必须是一个或多个电子邮件地址，以逗号分隔。');
    assert.equal(pasted('WEBHOOK_URL', 'http://example.com/hook-secret'), '该值必须是不含用户名和密码的 https:// URL（仅 localhost 可用 http）；http://example.com 不符合。');
    assert.equal(pasted('SLACK_WEBHOOK_URL', 'https://hooks.slakc.com/services/x'), 'Slack 的 Webhook URL 应在 hooks.slack.com 上，而不是 hooks.slakc.com。');
    assert.equal(pasted('DISCORD_WEBHOOK_URL', 'https://discord.com/api/webhooks/1/abc'), undefined);
    const env = { TELEGRAM_BOT_TOKEN: '123:abc', SMTP_URL: 'smtp://u:p@mail.example.com', ALERT_EMAIL_TO: 'a@example.com' };
    assert.deepEqual(createChannels(env, { t: zh }).errors.map((e) => e.message), ['TELEGRAM_CHAT_ID 未设置。', 'ALERT_EMAIL_FROM 未设置（且 SMTP 用户名不是可用作发件人的地址）。']);
    assert.deepEqual(createChannels(env).errors.map((e) => e.message), ['TELEGRAM_CHAT_ID is not set.', 'ALERT_EMAIL_FROM is not set (and the SMTP user is not an address to send from).']);
  });

  it('the status bar and tooltip', () => {
    const v = statusView([result(), result({ accountId: 'ds', label: 'DeepSeek', level: 'ok', balance: 110, currency: 'CNY' })], { mode: 'lowest', checking: false, accountCount: 2, now: NOW, t: zh });
    assert.equal(v.text, '$(error) OpenRouter $0.69 +1');
    for (const s of ['| 账户 |', '余额', '额度 / 用量', '严重 |', '¥110.00', '_上次检查：2 分钟前。_', '[$(refresh) 立即检查](command:llmBalance.check)']) {
      assert.ok(v.tooltip.includes(s), `${s} in:\n${v.tooltip}`);
    }
    const missing = statusView([result({ level: 'error', status: 'error', errorKind: 'config', balance: null, error: 'No API key is stored for "OpenRouter" (key missing).' })], { mode: 'lowest', checking: false, accountCount: 1, now: NOW, t: zh });
    assert.equal(missing.text, '$(key) OpenRouter：缺少密钥');
    assert.match(missing.tooltip, /本机没有保存 API 密钥。 \[设置密钥\]\(command:llmBalance\.updateKey\?/);
    assert.equal(statusView([], { mode: 'lowest', checking: false, accountCount: 0, t: zh }).text, '$(key) 添加 LLM API 密钥');
  });

  it('budget steps and spend spikes, with the panel finding spikes announced in either language', () => {
    const u: BudgetUsage = { usedPercent: 84, limit: 100, remaining: 16, currency: 'USD', window: 'month:2026-11', period: 'monthly', noun: 'limit' };
    assert.equal(stepNotice('OpenRouter', 80, u, 'warning', zh).message, '警告：OpenRouter 已用掉 $100.00 每月额度的 80% — 已用 $84.00，剩余 $16.00。');
    assert.equal(stepNotice('OpenRouter', 80, u, 'warning').message, 'WARNING: OpenRouter passed 80% of its $100.00 monthly limit — $84.00 used, $16.00 left.');
    const spike = { spend: 42.1, usual: 2.3, times: 18, currency: 'USD', windowHours: 1, from: 0, to: 0 };
    const line = spikeMessage('OpenRouter', spike, zh);
    assert.equal(line, '异常消费：OpenRouter 在最近一小时内花掉了 $42.10 — 是平时的 18 倍。请检查密钥是否泄露。');
    assert.ok(spikeEventPrefixes(zh).some((p) => line.startsWith(p)));
    assert.ok(spikeMessage('OpenRouter', spike).startsWith(SPIKE_EVENT_PREFIX));
    assert.deepEqual(spikeEventPrefixes(), [SPIKE_EVENT_PREFIX]);
  });

  it('English fills placeholders and translates nothing', () => {
    assert.equal(english('{0} of {1}, {0} again, {2} stays', 'a', 3), 'a of 3, a again, {2} stays');
    assert.equal(fromBundle({ 'x {0}': 'y {0}' })('x {0}', 1), 'y 1');
    assert.equal(fromBundle({})('not in the bundle {0}', 'z'), 'not in the bundle z');
    assert.equal(fromBundle({})('toString'), 'toString');
  });
});
