import * as assert from 'node:assert/strict';
import { statusView } from '../../src/core/statusView';
import { NotificationLedger } from '../../src/core/ledger';
import { MemoryStore } from '../../src/core/kv';
import type { BalanceResult } from '../../src/core/model';

const NOW = Date.parse('2026-12-01T09:00:00Z');
const HOUR = 3_600_000;
function r(id: string, level: BalanceResult['level'], balance: number): BalanceResult {
  return { accountId: id, provider: 'openrouter', label: id, status: level === 'error' ? 'error' : 'valid', level, balance, currency: 'USD', usage: null, limit: null, checkedAt: new Date(NOW).toISOString() };
}
const base = { mode: 'lowest' as const, checking: false, accountCount: 2, now: NOW };

describe('status bar highlight and acknowledgement', () => {
  it('an acknowledged account no longer colours the item; another one still does', () => {
    const results = [r('a', 'critical', 1), r('b', 'warning', 8)];
    assert.equal(statusView(results, base).background, 'error');
    assert.equal(statusView(results, { ...base, acknowledged: new Set(['a']) }).background, 'warning');
    const both = statusView(results, { ...base, acknowledged: new Set(['a', 'b']) });
    assert.equal(both.background, undefined);
    // The icon and the text still tell the level: only the colour is turned off.
    assert.equal(both.text, '$(error) a $1.00 +1 more');
    assert.match(both.tooltip, /critical _\(acknowledged\)_/);
    assert.doesNotMatch(both.tooltip, /command:llmBalance\.acknowledge/, 'nothing left to acknowledge');
  });

  it('the tooltip offers Acknowledge for the highlighted accounts', () => {
    const v = statusView([r('a', 'critical', 1), r('b', 'ok', 80)], base);
    const link = /\[\$\(check\) Acknowledge\]\(command:llmBalance\.acknowledge\?([^ )]+)/.exec(v.tooltip);
    assert.ok(link, v.tooltip);
    assert.deepEqual(JSON.parse(decodeURIComponent(link[1]!)), [['a']]);
  });

  it('"always" ignores acknowledgements; "never" never colours and offers nothing', () => {
    const results = [r('a', 'critical', 1)];
    assert.equal(statusView(results, { ...base, highlight: 'always', acknowledged: new Set(['a']) }).background, 'error');
    assert.doesNotMatch(statusView(results, { ...base, highlight: 'always' }).tooltip, /acknowledge/);
    const never = statusView(results, { ...base, highlight: 'never' });
    assert.equal(never.background, undefined);
    assert.doesNotMatch(never.tooltip, /acknowledge/);
  });

  it('the ledger holds an acknowledgement until the level gets worse or the cooldown ends', async () => {
    let t = NOW;
    const ledger = new NotificationLedger(new MemoryStore(), 24, () => t);
    assert.equal(ledger.isAcknowledged('a', 'warning'), false);
    await ledger.acknowledge('a', 'warning');
    assert.equal(ledger.isAcknowledged('a', 'warning'), true);
    assert.equal(ledger.isAcknowledged('a', 'critical'), false, 'worse level must light up again');
    t += 23 * HOUR;
    assert.equal(ledger.isAcknowledged('a', 'warning'), true);
    t += 2 * HOUR;
    assert.equal(ledger.isAcknowledged('a', 'warning'), false, 'the cooldown ended');
    await ledger.acknowledge('a', 'critical');
    assert.equal(ledger.isAcknowledged('a', 'warning'), true, 'better than when seen stays quiet');
    // A recovery forgets it: the next drop lights up.
    await ledger.observe({ ...r('a', 'ok', 80), checkedAt: new Date(t).toISOString() });
    assert.equal(ledger.isAcknowledged('a', 'warning'), false);
  });
});
