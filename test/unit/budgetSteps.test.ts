import * as assert from 'node:assert/strict';
import { budgetUsage, crossedSteps, stepLevel, stepNotice } from '../../src/core/budgetSteps';
import { NotificationLedger } from '../../src/core/ledger';
import { MemoryStore } from '../../src/core/kv';
import type { BalanceResult } from '../../src/core/model';

const AT = '2026-12-01T09:00:00.000Z';

function keyCap(remaining: number, reset: string | null, extra: Partial<BalanceResult> = {}): BalanceResult {
  return {
    accountId: 'or', provider: 'openrouter', label: 'OpenRouter', status: 'valid', level: 'ok',
    balance: 500, currency: 'USD', usage: 100 - remaining, limit: 100, checkedAt: AT,
    details: { limit_remaining: remaining, ...(reset ? { key_limit_reset: reset } : {}) },
    ...extra,
  };
}

describe('budget steps', () => {
  it('reads the used percent of a key cap from its remainder, not from the account balance', () => {
    const u = budgetUsage(keyCap(16, 'monthly'))!;
    assert.equal(u.usedPercent, 84);
    assert.equal(u.remaining, 16);
    assert.equal(u.window, 'month:2026-12');
  });

  it('names the window after the key\'s reset period, LiteLLM\'s reset time, or the calendar month', () => {
    assert.equal(budgetUsage(keyCap(50, 'daily'))!.window, 'day:2026-12-01');
    // 2026-12-01 is a Tuesday: its week started on Monday 30 November.
    assert.equal(budgetUsage(keyCap(50, 'weekly'))!.window, 'week:2026-11-30');
    assert.equal(budgetUsage(keyCap(50, null))!.window, 'lifetime:100');
    const lite: BalanceResult = { ...keyCap(0, null), provider: 'litellm', balance: 4, limit: 10, details: { budget_reset_at: '2027-01-01T00:00:00Z' } };
    const u = budgetUsage(lite)!;
    assert.equal(u.usedPercent, 60);
    assert.equal(u.window, 'until:2027-01-01T00:00:00.000Z');
    const openai: BalanceResult = { ...keyCap(0, null), provider: 'openai', balance: 25, limit: 100, details: {} };
    assert.equal(budgetUsage(openai)!.window, 'month:2026-12');
    assert.equal(budgetUsage(openai)!.usedPercent, 75);
  });

  it('has nothing to say without a limit, with an unknown remainder, or on stale numbers', () => {
    assert.equal(budgetUsage({ ...keyCap(50, 'monthly'), limit: null }), undefined);
    assert.equal(budgetUsage({ ...keyCap(50, 'monthly'), details: { limit_remaining: null } }), undefined);
    assert.equal(budgetUsage({ ...keyCap(50, 'monthly'), stale: true }), undefined);
    assert.equal(budgetUsage({ ...keyCap(50, 'monthly'), limit: 0 }), undefined);
  });

  it('lists the steps reached, ascending, and takes the level of the usual rule', () => {
    assert.deepEqual(crossedSteps({ usedPercent: 91 }, [95, 50, 90, 80]), [50, 80, 90]);
    assert.deepEqual(crossedSteps({ usedPercent: 49.9 }, [50]), []);
    assert.deepEqual(crossedSteps({ usedPercent: 50 }, [50]), [50]);
    assert.equal(stepLevel({ level: 'ok' }), 'info');
    assert.equal(stepLevel({ level: 'warning' }), 'warning');
    assert.equal(stepLevel({ level: 'critical' }), 'critical');
  });

  it('says the step, the limit, what is used and what is left', () => {
    assert.equal(
      stepNotice('OpenRouter (work)', 80, budgetUsage(keyCap(16, 'monthly'))!, 'warning').message,
      'WARNING: OpenRouter (work) passed 80% of its $100.00 monthly limit — $84.00 used, $16.00 left.',
    );
    const lite: BalanceResult = { ...keyCap(0, null), provider: 'litellm', balance: 4, limit: 10, details: { budget_reset_at: '2027-01-01T00:00:00Z' } };
    assert.equal(stepNotice('Proxy', 50, budgetUsage(lite)!, 'info').message, 'BUDGET: Proxy passed 50% of its $10.00 budget (resets 2027-01-01) — $6.00 used, $4.00 left.');
  });

  describe('in the ledger', () => {
    let t: number;
    let store: MemoryStore;
    let ledger: NotificationLedger;
    beforeEach(() => {
      t = Date.parse(AT);
      store = new MemoryStore();
      ledger = new NotificationLedger(store, 24, () => t);
    });
    async function step(window: string, reached: number[]): Promise<number | undefined> {
      const d = await ledger.decideSteps('or', window, reached);
      await ledger.recordSteps('or', window, d.unrecorded);
      return d.notify;
    }

    it('announces each step once per window, the highest when several are crossed at once', async () => {
      assert.equal(await step('month:2026-12', [50]), 50);
      assert.equal(await step('month:2026-12', [50]), undefined, 'repeated step 50');
      assert.equal(await step('month:2026-12', [50, 80, 90]), 90, 'three at once: one notice, for 90');
      assert.equal(await step('month:2026-12', [50, 80, 90]), undefined);
      assert.deepEqual(Object.keys(Object.fromEntries(store.keys().map((k) => [k, 1]))).sort(), [
        'llmBalance.notified.or.step.50', 'llmBalance.notified.or.step.80', 'llmBalance.notified.or.step.90',
      ]);
    });

    it('re-arms when the window resets, and clears the old window\'s records', async () => {
      assert.equal(await step('month:2026-12', [50, 80]), 80);
      assert.equal(await step('month:2027-01', [50]), 50);
      assert.deepEqual([...store.keys()].sort(), ['llmBalance.notified.or.step.50']);
      assert.equal((store.get('llmBalance.notified.or.step.50') as { window: string }).window, 'month:2027-01');
    });

    it('a step added below one already announced is no news', async () => {
      assert.equal(await step('w', [90]), 90);
      assert.equal(await step('w', [80, 90]), undefined);
    });

    it('a recovery to ok clears the level records but not the steps of the window', async () => {
      await ledger.record('or', 'warning');
      await step('w', [80]);
      await ledger.observe({ ...keyCap(50, 'monthly'), level: 'ok', checkedAt: new Date(t).toISOString() });
      assert.equal(store.get('llmBalance.notified.or.warning'), undefined);
      assert.ok(store.get('llmBalance.notified.or.step.80'));
      assert.equal(await ledger.reset(), 1);
      assert.deepEqual([...store.keys()], []);
    });
  });
});
