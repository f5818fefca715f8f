import * as assert from 'node:assert/strict';
import { NotificationLedger, notifiableLevel } from '../../src/core/ledger';
import { MemoryStore } from '../../src/core/kv';
import type { BalanceResult, Level, ErrorKind } from '../../src/core/model';

const HOUR = 3_600_000;

function result(level: Level, errorKind?: ErrorKind, accountId = 'or'): BalanceResult {
  const r: BalanceResult = {
    accountId, provider: 'openrouter', label: 'OpenRouter', status: level === 'error' ? 'error' : 'valid', level,
    balance: 1, currency: 'USD', usage: null, limit: null, checkedAt: new Date().toISOString(),
  };
  if (errorKind) r.errorKind = errorKind;
  return r;
}

describe('notification ledger', () => {
  let t: number;
  let store: MemoryStore;
  let ledger: NotificationLedger;
  beforeEach(() => {
    t = Date.parse('2026-11-01T00:00:00Z');
    store = new MemoryStore();
    ledger = new NotificationLedger(store, 24, () => t);
  });

  async function fire(r: BalanceResult): Promise<boolean> {
    const d = await ledger.observe(r);
    if (d.notify && d.level) await ledger.record(r.accountId, d.level);
    return d.notify;
  }

  it('notifies warning, critical and key errors; never transient errors', () => {
    assert.equal(notifiableLevel(result('warning')), 'warning');
    assert.equal(notifiableLevel(result('critical')), 'critical');
    assert.equal(notifiableLevel(result('error', 'auth')), 'error');
    assert.equal(notifiableLevel(result('error', 'insufficient_funds')), 'error');
    for (const k of ['network', 'timeout', 'server', 'rate_limited', 'bad_response'] as const) {
      assert.equal(notifiableLevel(result('error', k)), undefined, k);
    }
    assert.equal(notifiableLevel(result('ok')), undefined);
    assert.equal(notifiableLevel(result('info')), undefined);
  });

  it('once per level per cooldown, recorded under llmBalance.notified.<id>.<level>', async () => {
    assert.equal(await fire(result('warning')), true);
    assert.ok(typeof store.get('llmBalance.notified.or.warning') === 'string');
    t += 23 * HOUR;
    assert.equal(await fire(result('warning')), false);
    t += 2 * HOUR;
    assert.equal(await fire(result('warning')), true);
  });

  it('a worse level notifies at once; improving back to warning does not', async () => {
    assert.equal(await fire(result('warning')), true);
    t += HOUR;
    assert.equal(await fire(result('critical')), true);
    t += HOUR;
    assert.equal(await fire(result('warning')), false);
  });

  it('recovery to ok re-arms: a new drop notifies at once', async () => {
    assert.equal(await fire(result('critical')), true);
    assert.equal(await fire(result('ok')), false);
    assert.equal(store.keys().length, 0);
    assert.equal(await fire(result('critical')), true);
  });

  it('is per account', async () => {
    assert.equal(await fire(result('warning', undefined, 'a')), true);
    assert.equal(await fire(result('warning', undefined, 'b')), true);
  });

  it('survives a restart because the records live in the store', async () => {
    assert.equal(await fire(result('critical')), true);
    const again = new NotificationLedger(store, 24, () => t + HOUR);
    assert.equal((await again.observe(result('critical'))).notify, false);
  });

  it('snooze silences that level and below, not a worse one', async () => {
    await ledger.snoozeAccount('or', 'warning', 24);
    assert.equal(await fire(result('warning')), false);
    assert.equal(await fire(result('critical')), true);
    t += 25 * HOUR;
    assert.equal(await fire(result('warning')), true);
  });

  it('force notifies regardless; reset forgets everything', async () => {
    assert.equal(await fire(result('warning')), true);
    assert.equal((await ledger.observe(result('warning'), { force: true })).notify, true);
    await ledger.snoozeAccount('or', 'critical');
    assert.equal(await ledger.reset(), 2);
    assert.equal(store.keys().length, 0);
    assert.equal(await fire(result('warning')), true);
  });

  it('ignores unreadable records instead of failing', async () => {
    store.update('llmBalance.notified.or.warning', { nonsense: true });
    assert.equal(await fire(result('warning')), true);
  });

  it('of two claims to show the same notification only the last one stands', async () => {
    await ledger.claim('or', 'warning', 'window-a:1');
    await ledger.claim('or', 'warning', 'window-b:2');
    assert.equal(ledger.stillClaimed('or', 'warning', 'window-a:1'), false);
    assert.equal(ledger.stillClaimed('or', 'warning', 'window-b:2'), true);
    store.update('llmBalance.notifyClaim.or.warning', undefined);
    assert.equal(ledger.stillClaimed('or', 'warning', 'window-a:1'), true, 'a vanished claim must not silence the notification');
    await ledger.claim('or', 'critical', 'x');
    await ledger.reset();
    assert.equal(store.keys().length, 0);
  });

  it('snapshot reads the records that record, recordSteps and recordSpike write (SPEC §7 keys); putBack restores them', async () => {
    const claims = ['critical', 'step.80', 'spike'] as const;
    const before = ledger.snapshot('or', claims);
    assert.deepEqual(before, [['llmBalance.notified.or.critical', undefined], ['llmBalance.notified.or.step.80', undefined], ['llmBalance.notified.or.spike', undefined]]);
    await ledger.record('or', 'critical');
    await ledger.recordSteps('or', 'month:2026-11', [80]);
    await ledger.recordSpike('or');
    const after = ledger.snapshot('or', claims);
    assert.deepEqual(after.map(([k]) => k).sort(), [...store.keys()].sort(), 'the snapshot looked where the writes did not');
    assert.ok(after.every(([k, v]) => v !== undefined && v === store.get(k)));
    assert.equal(ledger.decide(result('critical')).notify, false);
    await ledger.putBack(before);
    assert.deepEqual(store.keys(), []);
    assert.equal(ledger.decide(result('critical')).notify, true);
    assert.equal((await ledger.decideSteps('or', 'month:2026-11', [80])).notify, 80);
    assert.equal(ledger.spikeDue('or'), true);
  });
});
