import * as assert from 'node:assert/strict';
import { statusView, escapeMarkdown, noteForEnvironmentAccount, summarizeResults, totals } from '../../src/core/statusView';
import type { BalanceResult } from '../../src/core/model';

const NOW = Date.parse('2026-11-01T12:00:00Z');
function r(id: string, level: BalanceResult['level'], balance: number | null, currency = 'USD', extra: Partial<BalanceResult> = {}): BalanceResult {
  return {
    accountId: id, provider: 'openrouter', label: id, status: level === 'error' ? 'error' : 'valid', level, balance, currency,
    usage: null, limit: null, checkedAt: new Date(NOW - 120_000).toISOString(), ...extra,
  };
}

describe('status bar view', () => {
  it('no accounts: add-key call to action', () => {
    const v = statusView([], { mode: 'lowest', checking: false, accountCount: 0 });
    assert.equal(v.text, '$(key) Add LLM API key');
    assert.equal(v.command, 'llmBalance.addAccount');
  });

  it('lowest: the worst account, then lowest balance, plus a count', () => {
    const v = statusView([r('DeepSeek', 'ok', 88.88, 'CNY'), r('OpenRouter', 'warning', 0.69), r('Novita', 'ok', 3)], { mode: 'lowest', checking: false, accountCount: 3, now: NOW });
    assert.equal(v.text, '$(warning) OpenRouter $0.69 +2 more');
    assert.equal(v.background, 'warning');
    assert.equal(v.command, 'llmBalance.showPanel');
  });

  it('total: sum per currency', () => {
    const v = statusView([r('a', 'ok', 10), r('b', 'ok', 2.4), r('c', 'ok', 88.88, 'CNY')], { mode: 'total', checking: false, accountCount: 3, now: NOW });
    assert.equal(v.text, '$(credit-card) $12.40 · ¥88.88');
    assert.equal(v.background, undefined);
  });

  it('all: every account; critical and error use the error background', () => {
    const v = statusView([r('a', 'critical', 1), r('b', 'ok', 50)], { mode: 'all', checking: false, accountCount: 2, now: NOW });
    assert.equal(v.text, '$(error) a $1.00 | b $50.00');
    assert.equal(v.background, 'error');
    assert.equal(statusView([r('a', 'error', null)], { mode: 'lowest', checking: false, accountCount: 1 }).background, 'error');
  });

  it('spinner while checking, stale marked, key missing shown', () => {
    assert.match(statusView([r('a', 'ok', 50)], { mode: 'lowest', checking: true, accountCount: 1 }).text, /^\$\(sync~spin\) a \$50\.00$/);
    assert.match(statusView([r('a', 'error', 50, 'USD', { stale: true, errorKind: 'network' })], { mode: 'lowest', checking: false, accountCount: 1 }).text, /\$50\.00 \(stale\)/);
    const km = statusView([r('Work', 'error', null, 'USD', { errorKind: 'config', error: 'No API key is stored for "Work" (key missing).' })], { mode: 'lowest', checking: false, accountCount: 1 });
    assert.equal(km.text, '$(key) Work: key missing');
    assert.match(km.tooltip, /command:llmBalance\.updateKey/);
  });

  it('tooltip: a table with command links, provider text escaped', () => {
    const v = statusView([r('x|y', 'ok', 5, 'USD', { note: '<img src=x onerror=alert(1)> [link](command:evil)' })], { mode: 'lowest', checking: false, accountCount: 1, now: NOW });
    assert.match(v.tooltip, /\| x\\\|y \| \$5\.00 \|/);
    assert.match(v.tooltip, /2 min ago/);
    assert.ok(v.tooltip.includes('\\<img') && !/[^\\]<img/.test(v.tooltip));
    assert.ok(!v.tooltip.includes('](command:evil)'));
    for (const c of ['llmBalance.check', 'llmBalance.showPanel', 'llmBalance.manageKeys']) assert.ok(v.tooltip.includes(`command:${c}`));
    assert.equal(escapeMarkdown('a*b_c'), 'a\\*b\\_c');
  });

  it('key missing first: the click sets that key; an environment account\'s missing key opens the panel', () => {
    const missing = r('work', 'error', null, 'USD', { errorKind: 'config', error: 'No API key is stored for "work" (key missing).' });
    const v = statusView([r('ok', 'ok', 50), missing], { mode: 'lowest', checking: false, accountCount: 2, now: NOW });
    assert.equal(v.command, 'llmBalance.updateKey');
    assert.deepEqual(v.commandArgs, ['work']);
    assert.match(v.ariaLabel, /set the key of work/);
    const env = statusView([missing], { mode: 'lowest', checking: false, accountCount: 1, now: NOW, readOnly: new Set(['work']) });
    assert.equal(env.command, 'llmBalance.showPanel');
    assert.equal(env.commandArgs, undefined);
    assert.ok(!env.tooltip.includes('command:llmBalance.updateKey'), 'a dead-end "Set key" link for an environment account');
  });

  it('environment accounts are not told to set a monthlyBudget they cannot have', () => {
    const note = 'Spent $3.00 since 2026-11-01. Set a monthlyBudget on this account to see what is left of it.';
    const stored = statusView([r('OpenAI', 'info', null, 'USD', { note })], { mode: 'lowest', checking: false, accountCount: 1, now: NOW });
    assert.match(stored.tooltip, /Set a monthlyBudget/);
    const env = statusView([r('OpenAI', 'info', null, 'USD', { note, accountId: 'env-openai' })], { mode: 'lowest', checking: false, accountCount: 1, now: NOW, readOnly: new Set(['env-openai']) });
    assert.ok(!/Set a monthlyBudget/.test(env.tooltip), env.tooltip);
    assert.ok(env.tooltip.includes("Spent \\$3\\.00"), env.tooltip);
    assert.equal(
      noteForEnvironmentAccount('OpenAI has no balance API; add an admin key and a monthlyBudget to track spend, or check https://platform.openai.com/x'),
      'OpenAI has no balance API; add an admin key to track spend, or check https://platform.openai.com/x A monthly budget can be set only on an account added with "Add API Key", not on one from the environment.',
    );
    assert.equal(noteForEnvironmentAccount('Balance as reported.'), 'Balance as reported.');
  });
});

describe('results summary', () => {
  it('counts each level once and totals per currency, for the CLI, the panel and the check toast alike', () => {
    const s = summarizeResults([r('a', 'ok', 1.5), r('b', 'warning', 2), r('c', 'critical', 3, 'CNY'), r('d', 'error', null), r('e', 'error', null), r('f', 'info', null)]);
    assert.deepEqual(s, { accounts: 6, totals: { USD: 3.5, CNY: 3 }, errors: 2, critical: 1, warning: 1 });
  });
});

describe('totals per currency', () => {
  it('sums each currency on its own, never across currencies, without binary noise', () => {
    assert.deepEqual(totals([r('a', 'ok', 0.1), r('b', 'ok', 0.2), r('c', 'ok', 88.88, 'CNY'), r('d', 'info', null)]), { USD: 0.3, CNY: 88.88 });
  });

  it('a total that overflows is left out, never Infinity or JSON null; other currencies stay', () => {
    const t = totals([r('a', 'ok', 1e308), r('b', 'ok', 1e308), r('c', 'ok', 5, 'CNY'), r('d', 'ok', 1, 'USD')]);
    assert.deepEqual(t, { CNY: 5 });
    assert.equal(JSON.stringify(t), '{"CNY":5}');
  });

  it('huge but finite totals survive rounding (1e301 * 1e8 would overflow)', () => {
    assert.deepEqual(totals([r('a', 'ok', 1e301), r('b', 'ok', 1e301)]), { USD: 2e301 });
  });

  it('the status bar shows huge totals readably', () => {
    const v = statusView([r('a', 'ok', 1e22), r('b', 'ok', 0.84)], { mode: 'total', checking: false, accountCount: 2, now: NOW });
    assert.equal(v.text, '$(credit-card) $1.00e+22');
  });
});
