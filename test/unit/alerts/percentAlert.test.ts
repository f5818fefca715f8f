import * as assert from 'node:assert/strict';
import { buildAlert } from '../../../src/core/alerts/message';
import { judged, quotedThreshold, DEFAULT_THRESHOLD_SETTINGS as S } from '../../../src/core/thresholds';
import type { BalanceResult } from '../../../src/core/model';

describe('alerts quote the rule that fired', () => {
  const r: BalanceResult = judged({
    accountId: 'or', provider: 'openrouter', label: 'OpenRouter', status: 'valid', level: 'ok', balance: 950, currency: 'USD',
    usage: null, limit: 1000, checkedAt: '2026-11-01T00:00:00.000Z', details: { limit_remaining: 50 },
  }, {}, S);

  it('a key cap running out is explained by its percent, not by the amount threshold', () => {
    const a = buildAlert(r, quotedThreshold(r))!;
    assert.equal(a.message, 'CRITICAL: OpenRouter balance low — $950.00 left; 5% of the $1,000.00 limit left (threshold 10%). Add funds to avoid interruption.');
    assert.equal(a.threshold, null);
  });

  it('an amount threshold is quoted as an amount', () => {
    const low = judged({ ...r, balance: 0.69, limit: null, details: {} }, {}, S);
    assert.match(buildAlert(low, quotedThreshold(low))!.message, /\$0\.69 left \(threshold \$5\.00\)/);
  });
});
