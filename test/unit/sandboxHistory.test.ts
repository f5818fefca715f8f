import * as assert from 'node:assert/strict';
import type { BalanceResult } from '../../src/core/model';
import { seedSeries } from '../fake/sandboxHistory';

const NOW = Date.parse('2026-12-01T09:00:00Z');
const DAY = 86_400_000;
const result = (extra: Partial<BalanceResult>): BalanceResult => ({
  accountId: 'deepseek', provider: 'deepseek', label: 'DeepSeek', status: 'valid', level: 'ok',
  balance: 110, currency: 'CNY', usage: null, limit: null, checkedAt: new Date(NOW).toISOString(), ...extra,
});

describe('sandbox history seed', () => {
  it('a month that drops into warning, is topped up, and ends at today\'s balance', () => {
    const s = seedSeries(result({}), { now: NOW, days: 30, everyHours: 2, topUpDaysAgo: 12 });
    assert.ok(s.length > 300);
    assert.ok(s[0]!.t >= NOW - 30 * DAY && s.at(-1)!.t < NOW);
    assert.ok(Math.abs(s.at(-1)!.balance! - 110) < 0.5, `ends at ${s.at(-1)!.balance}`);
    const rises = s.slice(1).filter((p, i) => p.balance! > s[i]!.balance!);
    assert.equal(rises.length, 1, 'exactly one top-up');
    assert.ok(Math.abs(rises[0]!.t - (NOW - 12 * DAY)) < 3 * 3_600_000);
    assert.ok(s.some((p) => p.t < rises[0]!.t && p.level === 'warning' && p.balance! <= 70), 'no drop into the CNY warning band (¥70)');
    assert.ok(s.every((p) => p.balance! > 0 && Number.isFinite(p.balance!)));
    assert.ok(s.every((p) => Math.round(p.balance! * 100) / 100 === p.balance), 'not whole cents');
  });

  it('spend-only accounts get a month of usage climbing to today\'s', () => {
    const s = seedSeries(result({ provider: 'openai', balance: null, usage: 12.34, currency: 'USD', level: 'info' }), { now: NOW, days: 30, everyHours: 2 });
    assert.ok(s.every((p) => p.balance === null));
    assert.ok(s.every((p, i) => i === 0 || p.usage! >= s[i - 1]!.usage!));
    assert.ok(s.at(-1)!.usage! <= 12.34 && s.at(-1)!.usage! > 11);
    assert.deepEqual(seedSeries(result({ balance: null, usage: null }), { now: NOW, days: 30, everyHours: 2 }), []);
  });
});
