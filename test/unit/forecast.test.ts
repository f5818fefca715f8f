import * as assert from 'node:assert/strict';
import { forecast, NOT_BURNING, NOT_ENOUGH_DATA } from '../../src/core/forecast';
import type { HistoryPoint } from '../../src/core/history';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2025-06-01T12:00:00.000Z');

function p(hoursAgo: number, balance: number | null, currency = 'USD', usage: number | null = null): HistoryPoint {
  return { t: NOW - hoursAgo * HOUR, balance, usage, limit: null, currency, level: 'ok' };
}

describe('forecast', () => {
  const th = { warning: 10, critical: 5 };

  it('computes the burn per day and the time to each level exactly', () => {
    // 100 → 76 over 24 hours: 24 a day.
    const f = forecast([p(24, 100), p(12, 88), p(0, 76)], th, NOW);
    assert.equal(f.enoughData, true);
    assert.equal(f.reason, undefined);
    assert.equal(f.basis, 'balance');
    assert.equal(f.currency, 'USD');
    assert.equal(f.balance, 76);
    assert.equal(f.burnPerDay, 24);
    assert.equal(f.spanMs, DAY);
    assert.deepEqual(f.untilWarning, { ms: 66 * HOUR, at: new Date(NOW + 66 * HOUR).toISOString() });
    assert.deepEqual(f.untilCritical, { ms: 71 * HOUR, at: new Date(NOW + 71 * HOUR).toISOString() });
    assert.deepEqual(f.untilZero, { ms: 76 * HOUR, at: new Date(NOW + 76 * HOUR).toISOString() });
  });

  it('excludes top-ups from the burn rate', () => {
    // Decreases 2 + 2 + 2 = 6 over 4 hours (the +52 top-up does not count): 36 a day.
    const f = forecast([p(4, 100), p(3, 98), p(2, 96), p(1, 148), p(0, 146)], th, NOW);
    assert.equal(f.burnPerDay, 36);
    assert.deepEqual(f.untilZero, { ms: (146 / 36) * DAY, at: new Date(NOW + (146 / 36) * DAY).toISOString() });
  });

  it('looks only at the last 7 days and the current currency', () => {
    const f = forecast([p(10 * 24, 500), p(8 * 24, 300), p(3, 700, 'CNY'), p(2, 30), p(1, 600, 'CNY'), p(0, 29)], th, NOW);
    // The CNY points are ignored; the 10- and 8-day-old USD points are out of the window.
    assert.equal(f.currency, 'USD');
    assert.equal(f.points, 2);
    assert.equal(f.burnPerDay, 12); // 30 → 29 in 2 hours
    assert.deepEqual(f.untilWarning, { ms: 38 * HOUR, at: new Date(NOW + 38 * HOUR).toISOString() });
  });

  it('says "not enough data yet" for one point or less than an hour', () => {
    for (const pts of [[], [p(0, 50)], [p(0.5, 51), p(0, 50)]]) {
      const f = forecast(pts, th, NOW);
      assert.equal(f.enoughData, false);
      assert.equal(f.reason, NOT_ENOUGH_DATA);
      assert.equal(f.burnPerDay, null);
      assert.equal(f.untilZero, null);
    }
  });

  it('says "not burning" for a flat or rising balance, with no ETA', () => {
    for (const pts of [[p(5, 50), p(0, 50)], [p(5, 50), p(0, 80)]]) {
      const f = forecast(pts, th, NOW);
      assert.equal(f.enoughData, true);
      assert.equal(f.burnPerDay, 0);
      assert.equal(f.reason, NOT_BURNING);
      assert.equal(f.untilWarning, null);
      assert.equal(f.untilZero, null);
    }
  });

  it('answers "now" for levels already reached, even without enough data', () => {
    const f = forecast([p(0, 4)], th, NOW);
    assert.equal(f.untilWarning, 'now');
    assert.equal(f.untilCritical, 'now');
    assert.equal(f.untilZero, null);
    const g = forecast([p(2, 8), p(0, 6)], th, NOW);
    assert.equal(g.untilWarning, 'now');
    assert.deepEqual(g.untilCritical, { ms: HOUR, at: new Date(NOW + HOUR).toISOString() }); // 24 a day
  });

  it('has no ETA for a threshold that is not set', () => {
    const f = forecast([p(24, 100), p(0, 76)], {}, NOW);
    assert.equal(f.untilWarning, null);
    assert.equal(f.untilCritical, null);
    assert.deepEqual(f.untilZero, { ms: 76 * HOUR, at: new Date(NOW + 76 * HOUR).toISOString() });
  });

  it('measures spend from usage when no balance is reported, ignoring window resets', () => {
    const f = forecast([p(48, null, 'USD', 10), p(24, null, 'USD', 22), p(12, null, 'USD', 1), p(0, null, 'USD', 7)], th, NOW);
    assert.equal(f.basis, 'usage');
    assert.equal(f.balance, null);
    assert.equal(f.burnPerDay, 9); // (12 + 6) over 2 days
    assert.equal(f.untilZero, null);
  });
});
