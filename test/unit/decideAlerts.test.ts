import * as assert from 'node:assert/strict';
import { decideAlerts, type AlertContext } from '../../src/core/decideAlerts';
import { DEFAULT_PERCENT_THRESHOLDS, DEFAULT_THRESHOLDS, type BalanceResult } from '../../src/core/model';
import { DEFAULT_SPIKE_RULE } from '../../src/core/spike';
import { NotificationLedger } from '../../src/core/ledger';
import { MemoryStore } from '../../src/core/kv';

const AT = '2026-12-01T09:00:00.000Z';

function keyCap(id: string, remaining: number, level: BalanceResult['level']): BalanceResult {
  return {
    accountId: id, provider: 'openrouter', label: id.toUpperCase(), status: 'valid', level,
    balance: remaining, currency: 'USD', usage: 100 - remaining, limit: 100, checkedAt: AT,
    details: { limit_remaining: remaining, key_limit_reset: 'monthly' },
  };
}

describe('decideAlerts', () => {
  let ledger: NotificationLedger;
  let historyReads: number;
  const context = (over: Partial<AlertContext> = {}): AlertContext => ({
    ledger,
    rules: { budgetSteps: [50, 80], spendSpike: DEFAULT_SPIKE_RULE },
    thresholds: { thresholds: DEFAULT_THRESHOLDS, percent: DEFAULT_PERCENT_THRESHOLDS },
    account: () => undefined,
    cooldownHours: 24,
    history: () => {
      historyReads++;
      return { seriesView: () => [] };
    },
    now: Date.parse(AT),
    ...over,
  });
  beforeEach(() => {
    ledger = new NotificationLedger(new MemoryStore(), 24, () => Date.parse(AT));
    historyReads = 0;
  });

  it('a level alert speaks for its account: its budget step is recorded silently; another account hears its step', async () => {
    const low = keyCap('low', 3, 'critical');
    const busy = keyCap('busy', 15, 'ok');
    const first = await decideAlerts([low, busy], context());
    assert.deepEqual(first.map((d) => [d.r.accountId, d.kind, d.level, d.claim]), [['low', 'level', 'critical', 'critical'], ['busy', 'step', 'info', 'step.80']]);
    assert.match(first[0]!.message, /^CRITICAL: LOW balance low — \$3\.00 left/);
    assert.equal(first[0]!.alert?.level, 'critical');
    assert.equal(first[0]!.previous, undefined, 'nothing was recorded before');
    assert.match(first[1]!.message, /^BUDGET: BUSY passed 80%/);
    // Both recorded: the same results again say nothing, and the low account's step was never news.
    assert.deepEqual(await decideAlerts([low, busy], context()), []);
    assert.ok(ledger.rawRecord('low', 'critical'));
  });

  it('force repeats what the ledger would hold back; the record it replaces comes back for a failed delivery', async () => {
    const low = keyCap('low', 3, 'critical');
    await decideAlerts([low], context());
    const again = await decideAlerts([low], context({ force: true }));
    assert.deepEqual(again.map((d) => d.kind), ['level']);
    assert.ok(again[0]!.previous, 'the earlier record');
  });

  it('reads the history only when a spike may be due, and a history that cannot be read skips the spike check', async () => {
    const warnings: string[] = [];
    const ok = keyCap('ok', 60, 'ok');
    const failing = context({ history: () => Promise.reject(new Error('disk gone')), warn: (m) => warnings.push(m) });
    assert.deepEqual(await decideAlerts([ok], failing), []);
    assert.deepEqual(warnings, ['No spend-spike check: disk gone']);
    await decideAlerts([{ ...ok, stale: true }], context());
    assert.equal(historyReads, 0, 'a stale result is no spike verdict, so no read');
  });
});
