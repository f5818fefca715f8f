import * as assert from 'node:assert/strict';
import { downsampleIndices } from '../../../src/panel/downsample';
import { buildChart, buildPanelData, isHttpsUrl } from '../../../src/panel/viewData';
import { panelCsp, panelHtml } from '../../../src/panel/html';
import { HostMessageSchema, MAX_SERIES_POINTS, PanelDataSchema, WebviewMessageSchema } from '../../../src/panel/protocol';
import { HistoryStore, type HistoryPoint } from '../../../src/core/history';
import type { Account, BalanceResult } from '../../../src/core/model';
import { makeFixture } from '../../webview/fixture';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.parse('2025-06-01T12:00:00.000Z');

function pt(t: number, balance: number | null, currency = 'USD', usage: number | null = null): HistoryPoint {
  return { t, balance, usage, limit: null, currency, level: 'ok' };
}

describe('downsampleIndices', () => {
  it('keeps everything under the limit', () => {
    assert.deepEqual(downsampleIndices([1, 2, 3], [5, 4, 3], 10), [0, 1, 2]);
  });

  it('stays under the limit and keeps the ends, the extremes and a jump', () => {
    const n = 100_000;
    const t = Array.from({ length: n }, (_, i) => i * MIN);
    const v = t.map((_, i) => (i < 50_000 ? 100 - i / 1000 : 150 - i / 1000));
    v[12_345] = -7; // a spike down
    const idx = downsampleIndices(t, v, MAX_SERIES_POINTS);
    assert.ok(idx.length <= MAX_SERIES_POINTS, `${idx.length}`);
    assert.equal(idx[0], 0);
    assert.equal(idx[idx.length - 1], n - 1);
    assert.ok(idx.includes(12_345), 'the lowest point survives');
    assert.ok(idx.every((x, i) => i === 0 || x > idx[i - 1]!), 'ascending, no duplicates');
    const kept = idx.map((i) => v[i]!);
    assert.ok(kept.some((x, i) => i > 0 && x - kept[i - 1]! > 40), 'the top-up is still a jump');
  });

  it('ignores nulls for the extremes', () => {
    const idx = downsampleIndices([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [null, 3, null, 1, 9, null, 2, null, 4, null], 4);
    assert.ok(idx.includes(3) && idx.includes(4));
  });
});

describe('buildChart', () => {
  it('lists top-ups, splits currencies (current first) and aligns values', () => {
    const points = [pt(NOW - 5 * HOUR, 10, 'CNY'), pt(NOW - 4 * HOUR, 9, 'CNY'), pt(NOW - 3 * HOUR, 20), pt(NOW - 2 * HOUR, 19), pt(NOW - HOUR, 69), pt(NOW, 68)];
    const c = buildChart(points, '24h', NOW);
    assert.equal(c.basis, 'balance');
    assert.deepEqual(c.currencies, ['USD', 'CNY']);
    assert.deepEqual(c.values, [[null, null, 20, 19, 69, 68], [10, 9, null, null, null, null]]);
    assert.deepEqual(c.topUps, [{ t: NOW - HOUR, amount: 50, balance: 69, currency: 'USD' }]);
    assert.equal(c.toMs - c.fromMs, DAY);
  });

  it('charts usage when no balance is reported', () => {
    const c = buildChart([pt(NOW - HOUR, null, 'USD', 3), pt(NOW, null, 'USD', 4)], '7d', NOW);
    assert.equal(c.basis, 'usage');
    assert.deepEqual(c.values, [[3, 4]]);
    assert.deepEqual(c.topUps, []);
  });
});

describe('buildPanelData', () => {
  const result = (id: string, extra: Partial<BalanceResult> = {}): BalanceResult => ({
    accountId: id, provider: 'openrouter', label: id.toUpperCase(), status: 'valid', level: 'ok',
    balance: 20, currency: 'USD', usage: null, limit: null, checkedAt: new Date(NOW).toISOString(), ...extra,
  });

  it('orders cards worst first (as the status bar does), adds unconfigured results, and summarizes', () => {
    const store = new HistoryStore('/nonexistent', { now: () => NOW });
    store.record([result('a', { checkedAt: new Date(NOW - 2 * HOUR).toISOString(), balance: 30 }), result('a')]);
    store.addEvent({ t: NOW - HOUR, accountId: 'a', label: 'A', kind: 'notification', level: 'warning', message: 'older' });
    store.addEvent({ t: NOW, accountId: 'a', label: 'A', kind: 'error', level: 'error', message: 'newer' });
    const accounts = [
      { account: { id: 'b', provider: 'deepseek', label: 'Bee' } as Account, thresholds: { warning: 70, critical: 35 } },
      { account: { id: 'a', provider: 'openrouter' } as Account, thresholds: { warning: 10, critical: 5 } },
    ];
    const data = buildPanelData({
      results: [result('a'), result('env-x', { level: 'error', status: 'invalid', balance: null }), result('c', { currency: 'CNY', balance: 7.5, level: 'critical' })],
      accounts, history: store, range: '7d', now: NOW,
      billingUrl: (id) => ({ a: 'https://openrouter.ai/settings/credits', b: 'http://insecure.example', c: 'javascript:alert(1)' } as Record<string, string>)[id],
    });
    assert.ok(PanelDataSchema.safeParse(data).success);
    // error, critical, not checked yet (info), ok.
    assert.deepEqual(data.accounts.map((a) => a.id), ['env-x', 'c', 'b', 'a']);
    const [, c, b, a] = data.accounts;
    assert.equal(b!.status, null, 'not checked yet');
    assert.equal(b!.label, 'Bee');
    assert.equal(b!.canAddFunds, false);
    assert.equal(a!.canAddFunds, true);
    assert.equal(c!.canAddFunds, false);
    assert.equal(a!.forecast.burnPerDay, 120); // 30 → 20 in 2 hours
    assert.deepEqual(a!.chart.values, [[30, 20]]);
    assert.deepEqual(data.summary, { accounts: 4, totals: [{ currency: 'CNY', amount: 7.5 }, { currency: 'USD', amount: 20 }], errors: 1, critical: 1, warning: 0 });
    assert.deepEqual(data.events.map((e) => e.message), ['newer', 'older']);
  });

  it('draws a shared (team) account\'s lines from the thresholds its result was judged by', () => {
    const store = new HistoryStore('/nonexistent', { now: () => NOW });
    const shared = result('team/or', {
      level: 'warning', balance: 8,
      verdict: { fired: { rule: 'amount', threshold: 10 }, thresholds: { warning: 10, critical: 2 } },
    });
    const data = buildPanelData({ results: [shared, result('plain')], accounts: [], history: store, range: '7d', now: NOW, billingUrl: () => undefined });
    const byId = new Map(data.accounts.map((a) => [a.id, a]));
    assert.deepEqual(byId.get('team/or')!.thresholds, { warning: 10, critical: 2 });
    assert.deepEqual(byId.get('plain')!.thresholds, {});
  });

  it('sends at most 2,000 points per series for 10 accounts × 90 days', () => {
    const f = makeFixture({ now: NOW });
    for (const range of ['24h', '7d', '30d', '90d'] as const) {
      const data = f.data(range);
      assert.equal(data.accounts.length, 10);
      for (const a of data.accounts) {
        assert.ok(a.chart.t.length <= MAX_SERIES_POINTS, `${range} ${a.id}: ${a.chart.t.length}`);
        assert.ok(a.chart.t.every((t) => t >= NOW - 90 * DAY - MIN && t <= NOW));
      }
    }
  });
});

describe('panel protocol and HTML', () => {
  it('validates messages in both directions', () => {
    assert.ok(WebviewMessageSchema.safeParse({ type: 'check' }).success);
    assert.ok(WebviewMessageSchema.safeParse({ type: 'check', accountId: 'or-work' }).success);
    assert.ok(!WebviewMessageSchema.safeParse({ type: 'runCommand', command: 'workbench.action.terminal.new' }).success);
    assert.ok(!WebviewMessageSchema.safeParse({ type: 'updateKey' }).success);
    assert.ok(!WebviewMessageSchema.safeParse({ type: 'range', range: '1y' }).success);
    assert.ok(!WebviewMessageSchema.safeParse({ type: 'addFunds', accountId: 'x'.repeat(65) }).success);
    assert.ok(HostMessageSchema.safeParse({ type: 'busy', accountId: null, busy: true }).success);
    assert.ok(!HostMessageSchema.safeParse({ type: 'busy', accountId: null, busy: 'yes' }).success);
  });

  it('allows scripts by nonce only and resources only from the extension', () => {
    const csp = panelCsp({ cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'abc123' });
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|https:(?!\/\/file\+)/);
    const html = panelHtml({ cspSource: 'vscode-resource:', scriptUri: 'vscode-resource:/dist/webview.js', styleUri: 'vscode-resource:/dist/webview.css', nonce: 'n"o<nce' });
    assert.match(html, /<script nonce="n&quot;o&lt;nce" src="vscode-resource:\/dist\/webview.js"><\/script>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
  });

  it('knows an https URL', () => {
    assert.equal(isHttpsUrl('https://platform.deepseek.com/top_up'), true);
    for (const bad of [undefined, '', 'http://x.example', 'javascript:alert(1)', 'file:///etc/passwd', 'command:llmBalance.check', 'not a url']) {
      assert.equal(isHttpsUrl(bad), false, String(bad));
    }
  });
});
