import * as assert from 'node:assert/strict';
import { DEFAULT_SPIKE_RULE, detectSpike, spendEvents, spikeJudgeable, spikeMessage, windowText, type SpikePoint } from '../../src/core/spike';
import { readAlertRules } from '../../src/core/alertRules';
import { NotificationLedger } from '../../src/core/ledger';
import { MemoryStore } from '../../src/core/kv';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-01T09:00:00Z');

/** Hourly checks for `days` days up to an hour ago, spending `perHour`; then the last check at NOW. */
function history(days: number, perHour: number, last: number, opts: { topUpAt?: number } = {}): SpikePoint[] {
  const pts: SpikePoint[] = [];
  let balance = 1000;
  for (let t = NOW - days * 24 * HOUR; t < NOW - HOUR / 2; t += HOUR) {
    pts.push({ t, balance, usage: null, currency: 'USD' });
    balance -= perHour;
    if (opts.topUpAt !== undefined && Math.abs(t - opts.topUpAt) < HOUR / 2) balance += 500;
  }
  pts.push({ t: NOW, balance: pts[pts.length - 1]!.balance! - last, usage: null, currency: 'USD' });
  return pts;
}

describe('spend spike', () => {
  it('finds 42.10 in the last hour against a usual 2.34 an hour, and says so in the SPEC\'s words', () => {
    const s = detectSpike(history(7, 2.34, 42.1), NOW, DEFAULT_SPIKE_RULE)!;
    assert.ok(s, 'no spike found');
    assert.equal(s.spend, 42.1);
    assert.equal(s.usual, 2.34);
    assert.equal(s.times, 18);
    assert.equal(s.to - s.from, HOUR);
    assert.equal(spikeMessage('OpenRouter', s), 'UNUSUAL SPEND: OpenRouter dropped $42.10 in the last hour — 18× its usual. Check for a leaked key.');
  });

  it('stays quiet below the factor, below the minimum, and on less than 3 days of history', () => {
    assert.equal(detectSpike(history(7, 2.34, 11), NOW, DEFAULT_SPIKE_RULE), undefined, '4.7× is below 5×');
    assert.equal(detectSpike(history(7, 0.5, 4.9), NOW, DEFAULT_SPIKE_RULE), undefined, 'below the $5 minimum');
    assert.equal(detectSpike(history(2.9, 1, 100), NOW, DEFAULT_SPIKE_RULE), undefined, 'thin history');
    assert.ok(detectSpike(history(3.1, 1, 100), NOW, DEFAULT_SPIKE_RULE), 'just over 3 days must judge');
  });

  it('no verdict when the last check before the window is long gone: a night with VS Code closed is not an hour\'s spend', () => {
    // $1 an hour for a week, then no check for 8 hours: the $8 the balance lost shows only at NOW.
    const pts = history(7, 1, 0).filter((p) => p.t <= NOW - 8 * HOUR);
    pts.push({ t: NOW, balance: pts[pts.length - 1]!.balance! - 8, usage: null, currency: 'USD' });
    assert.equal(detectSpike(pts, NOW, DEFAULT_SPIKE_RULE), undefined);
    // With the check an hour before still there, the same $8 in the hour is a spike.
    assert.ok(detectSpike(history(7, 1, 8), NOW, DEFAULT_SPIKE_RULE));
  });

  it('does not count a top-up as spend, neither in the last hour nor in the usual', () => {
    const pts = history(7, 2, 0);
    // A $500 top-up in the last hour: the balance rose, nothing was spent.
    pts[pts.length - 1] = { ...pts[pts.length - 1]!, balance: pts[pts.length - 2]!.balance! + 500 };
    assert.equal(detectSpike(pts, NOW, DEFAULT_SPIKE_RULE), undefined);
    assert.deepEqual(spendEvents([{ t: 1, balance: 10, usage: null, currency: 'USD' }, { t: 2, balance: 510, usage: null, currency: 'USD' }]), []);
    // Top-ups in the baseline do not make the usual larger or smaller.
    const s = detectSpike(history(7, 2, 30, { topUpAt: NOW - 48 * HOUR }), NOW, DEFAULT_SPIKE_RULE)!;
    assert.equal(s.usual, 2);
    assert.equal(s.times, 15);
  });

  it('uses the usage when no balance is known, and a usage that resets is not negative spend', () => {
    const ev = spendEvents([
      { t: 1, balance: null, usage: 5, currency: 'USD' },
      { t: 2, balance: null, usage: 8, currency: 'USD' },
      { t: 3, balance: null, usage: 0, currency: 'USD' },
    ]);
    assert.deepEqual(ev, [{ t: 2, spend: 3 }]);
  });

  it('with a usual of nothing, any spend at or above the minimum is unusual', () => {
    const s = detectSpike(history(7, 0, 6), NOW, DEFAULT_SPIKE_RULE)!;
    assert.equal(s.times, null);
    assert.equal(spikeMessage('DeepSeek', { ...s, currency: 'CNY' }), 'UNUSUAL SPEND: DeepSeek dropped ¥6.00 in the last hour — it usually spends ¥0.00 in that time. Check for a leaked key.');
  });

  it('honours a wider window', () => {
    const rule = { windowHours: 3, factor: 5, minimum: 5 };
    // Three hours: $42.10 in the last one plus two usual hours of $2.34, against a usual $7.02 per 3 h (6.7×).
    const s = detectSpike(history(7, 2.34, 42.1), NOW, rule)!;
    assert.equal(s.spend, 46.78);
    assert.equal(s.usual, 7.02);
    assert.equal(windowText(3), 'the last 3 hours');
    assert.equal(windowText(0.5), 'the last 30 minutes');
  });

  it('judges only a fresh, valid result without a note: a fallback figure is no evidence of spend', () => {
    assert.equal(spikeJudgeable({ status: 'valid' }), true);
    assert.equal(spikeJudgeable({ status: 'valid', stale: true }), false);
    assert.equal(spikeJudgeable({ status: 'valid', note: "Account credits need a management key; showing this key's own limit instead." }), false);
    assert.equal(spikeJudgeable({ status: 'error' }), false);
  });

  it('notifies once per cooldown', () => {
    let t = NOW;
    const ledger = new NotificationLedger(new MemoryStore(), 24, () => t);
    assert.equal(ledger.spikeDue('or'), true);
    void ledger.recordSpike('or');
    assert.equal(ledger.spikeDue('or'), false);
    t += 25 * HOUR;
    assert.equal(ledger.spikeDue('or'), true);
  });
});

describe('alert rules from settings', () => {
  it('keeps the valid steps, reports the others, and defaults each bad spike value alone', () => {
    const { rules, problems } = readAlertRules({ budgetSteps: [95, 50, 120, -1, 'x', 80, 50], spendSpike: { windowHours: 2, factor: 0.5, minimum: -3 } }, 'llmBalance.');
    assert.deepEqual(rules.budgetSteps, [50, 80, 95]);
    assert.deepEqual(rules.spendSpike, { windowHours: 2, factor: 5, minimum: 5 });
    assert.deepEqual(problems, [
      'llmBalance.budgetSteps[2]: 120 is not a percentage above 0 and at most 100; that step is skipped',
      'llmBalance.budgetSteps[3]: -1 is not a percentage above 0 and at most 100; that step is skipped',
      'llmBalance.budgetSteps[4]: "x" is not a percentage above 0 and at most 100; that step is skipped',
      'llmBalance.spendSpike.factor: 0.5 is outside 1–1000; using 5',
      'llmBalance.spendSpike.minimum: -3 is outside 0–1000000; using 5',
    ]);
  });

  it('defaults when nothing is set, and rejects a steps value that is not a list', () => {
    assert.deepEqual(readAlertRules({}), { rules: { budgetSteps: [], spendSpike: DEFAULT_SPIKE_RULE }, problems: [] });
    assert.equal(readAlertRules({ budgetSteps: 80 }).problems.length, 1);
  });
});
