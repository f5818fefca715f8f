import * as assert from 'node:assert/strict';
import { evaluateLevel, amountThresholds, DEFAULT_THRESHOLD_SETTINGS as S } from '../../src/core/thresholds';

const base = { status: 'valid' as const, currency: 'USD', limit: null };

describe('thresholds and levels', () => {
  it('amount thresholds per currency; the account overrides in its own currency only', () => {
    assert.equal(evaluateLevel({ ...base, balance: 11 }, {}, S).level, 'ok');
    assert.equal(evaluateLevel({ ...base, balance: 10 }, {}, S).level, 'warning');
    assert.equal(evaluateLevel({ ...base, balance: 5 }, {}, S).level, 'critical');
    assert.equal(evaluateLevel({ ...base, balance: 69, currency: 'CNY' }, {}, S).level, 'warning');
    assert.deepEqual(amountThresholds({ currency: 'CNY', warning: 70, critical: 35 }, 'USD', S), { warning: 10, critical: 5 });
    assert.equal(evaluateLevel({ ...base, balance: 20 }, { currency: 'CNY', warning: 70, critical: 35 }, S).level, 'ok');
    assert.equal(evaluateLevel({ ...base, balance: 20 }, { warning: 70, critical: 35 }, S).level, 'critical');
    assert.equal(evaluateLevel({ ...base, balance: 1, currency: 'XYZ' }, {}, S).level, 'ok', 'no thresholds for an unknown currency');
  });

  it('percent of a limit; the worse verdict wins and says which rule fired', () => {
    const v = evaluateLevel({ ...base, balance: 950, limit: 1000, limitRemaining: 50 }, {}, S);
    assert.equal(v.level, 'critical');
    assert.deepEqual(v.reason, { rule: 'percent', percentLeft: 5, thresholdPercent: 10, limit: 1000 });
    const a = evaluateLevel({ ...base, balance: 4, limit: 1000, limitRemaining: 900 }, {}, S);
    assert.deepEqual(a.reason, { rule: 'amount', threshold: 5 });
    assert.equal(evaluateLevel({ ...base, balance: 15, limit: 100 }, {}, S).level, 'warning');
  });

  it('no percent verdict when what is left of the limit is unknown', () => {
    assert.equal(evaluateLevel({ ...base, balance: 50, limit: 1000, limitRemaining: null }, {}, S).level, 'ok');
  });

  it('errors, no balance, and no funds', () => {
    assert.equal(evaluateLevel({ ...base, status: 'invalid', balance: 100 }, {}, S).level, 'error');
    assert.equal(evaluateLevel({ ...base, balance: null }, {}, S).level, 'info');
    assert.deepEqual(evaluateLevel({ ...base, balance: null, errorKind: 'insufficient_funds' }, {}, S), { level: 'critical', reason: { rule: 'funds' } });
  });
});
