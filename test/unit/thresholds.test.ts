import * as assert from 'node:assert/strict';
import { judge, judged, DEFAULT_THRESHOLD_SETTINGS as S } from '../../src/core/thresholds';
import type { BalanceResult } from '../../src/core/model';

const base = { status: 'valid' as const, currency: 'USD', limit: null };

describe('thresholds and levels', () => {
  it('amount thresholds per currency; the account overrides in its own currency only', () => {
    assert.equal(judge({ ...base, balance: 11 }, {}, S).level, 'ok');
    assert.equal(judge({ ...base, balance: 10 }, {}, S).level, 'warning');
    assert.equal(judge({ ...base, balance: 5 }, {}, S).level, 'critical');
    assert.equal(judge({ ...base, balance: 69, currency: 'CNY' }, {}, S).level, 'warning');
    assert.deepEqual(judge({ ...base, balance: 20 }, { currency: 'CNY', warning: 70, critical: 35 }, S).verdict.thresholds, { warning: 10, critical: 5 });
    assert.equal(judge({ ...base, balance: 20 }, { currency: 'CNY', warning: 70, critical: 35 }, S).level, 'ok');
    assert.equal(judge({ ...base, balance: 20 }, { warning: 70, critical: 35 }, S).level, 'critical');
    const unknown = judge({ ...base, balance: 1, currency: 'XYZ' }, {}, S);
    assert.equal(unknown.level, 'ok', 'no thresholds for an unknown currency');
    assert.deepEqual(unknown.verdict, { fired: { rule: 'none' }, thresholds: {} });
  });

  it('percent of a limit; the worse verdict wins and says which rule fired', () => {
    const v = judge({ ...base, balance: 950, limit: 1000, details: { limit_remaining: 50 } }, {}, S);
    assert.equal(v.level, 'critical');
    assert.deepEqual(v.verdict.fired, { rule: 'percent', percentLeft: 5, thresholdPercent: 10, limit: 1000 });
    const a = judge({ ...base, balance: 4, limit: 1000, details: { limit_remaining: 900 } }, {}, S);
    assert.deepEqual(a.verdict, { fired: { rule: 'amount', threshold: 5 }, thresholds: { warning: 10, critical: 5 } });
    assert.equal(judge({ ...base, balance: 15, limit: 100 }, {}, S).level, 'warning');
  });

  it('no percent verdict when what is left of the limit is unknown', () => {
    assert.equal(judge({ ...base, balance: 50, limit: 1000, details: { limit_remaining: null } }, {}, S).level, 'ok');
  });

  it('errors, no balance, and no funds', () => {
    assert.equal(judge({ ...base, status: 'invalid', balance: 100 }, {}, S).level, 'error');
    assert.equal(judge({ ...base, balance: null }, {}, S).level, 'info');
    assert.deepEqual(judge({ ...base, balance: null, errorKind: 'insufficient_funds' }, {}, S), {
      level: 'critical', verdict: { fired: { rule: 'funds' }, thresholds: { warning: 10, critical: 5 } },
    });
  });

  it('judged() sets level and verdict together, and keeps the object when neither changes', () => {
    const r: BalanceResult = { ...base, accountId: 'a', provider: 'openrouter', label: 'A', level: 'ok', balance: 8, usage: null, checkedAt: '2026-12-01T00:00:00.000Z' };
    const once = judged(r, {}, S);
    assert.equal(once.level, 'warning');
    assert.deepEqual(once.verdict, { fired: { rule: 'amount', threshold: 10 }, thresholds: { warning: 10, critical: 5 } });
    assert.equal(judged(once, {}, S), once);
    const stricter = judged(once, {}, { ...S, thresholds: { USD: { warning: 20, critical: 8 } } });
    assert.equal(stricter.level, 'critical');
    assert.deepEqual(stricter.verdict?.fired, { rule: 'amount', threshold: 8 });
  });

  it('judged() gives a new verdict whenever any part of it changes, even at the same level', () => {
    const r: BalanceResult = { ...base, accountId: 'a', provider: 'openrouter', label: 'A', level: 'ok', balance: 8, usage: null, checkedAt: '2026-12-01T00:00:00.000Z' };
    const once = judged(r, {}, S);
    const otherCritical = judged(once, {}, { ...S, thresholds: { USD: { warning: 10, critical: 3 } } });
    assert.equal(otherCritical.level, 'warning');
    assert.deepEqual(otherCritical.verdict, { fired: { rule: 'amount', threshold: 10 }, thresholds: { warning: 10, critical: 3 } });
    const otherWarning = judged(once, {}, { ...S, thresholds: { USD: { warning: 12, critical: 5 } } });
    assert.deepEqual(otherWarning.verdict, { fired: { rule: 'amount', threshold: 12 }, thresholds: { warning: 12, critical: 5 } });
    const noCritical = judged(once, { warning: 10 }, { ...S, thresholds: {} });
    assert.deepEqual(noCritical.verdict, { fired: { rule: 'amount', threshold: 10 }, thresholds: { warning: 10 } });

    const capped: BalanceResult = { ...r, balance: 50, limit: 100, details: { limit_remaining: 15 } };
    const pct = judged(capped, {}, S);
    assert.deepEqual(pct.verdict?.fired, { rule: 'percent', percentLeft: 15, thresholdPercent: 20, limit: 100 });
    assert.equal(judged(pct, {}, S), pct);
    const lessLeft = judged({ ...pct, details: { limit_remaining: 12 } }, {}, S);
    assert.deepEqual(lessLeft.verdict?.fired, { rule: 'percent', percentLeft: 12, thresholdPercent: 20, limit: 100 });
    const otherLine = judged(pct, {}, { ...S, percent: { warning: 25, critical: 10 } });
    assert.deepEqual(otherLine.verdict?.fired, { rule: 'percent', percentLeft: 15, thresholdPercent: 25, limit: 100 });
    const otherLimit = judged({ ...pct, limit: 75, details: { limit_remaining: 11.25 } }, {}, S);
    assert.deepEqual(otherLimit.verdict?.fired, { rule: 'percent', percentLeft: 15, thresholdPercent: 20, limit: 75 });
    const withoutVerdict: BalanceResult = { ...pct };
    delete withoutVerdict.verdict;
    assert.deepEqual(judged(withoutVerdict, {}, S).verdict, pct.verdict, 'a result without a verdict gets one');
  });
});
