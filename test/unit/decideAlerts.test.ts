import * as assert from 'node:assert/strict';
import { decideAlerts, type AlertContext } from '../../src/core/decideAlerts';
import { AccountSchema, type Account, type BalanceResult } from '../../src/core/model';
import { CheckScheduler } from '../../src/core/checkScheduler';
import { checkOver } from '../../src/core/check';
import { HttpClient } from '../../src/core/http';
import type { ThresholdSettings } from '../../src/core/thresholds';
import { VALID_KEY, useFakeServer } from './helpers';
import { deepseekBalance } from '../fake/routes/deepseek';
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
  let store: MemoryStore;
  let historyReads: number;
  const context = (over: Partial<AlertContext> = {}): AlertContext => ({
    ledger,
    rules: { budgetSteps: [50, 80], spendSpike: DEFAULT_SPIKE_RULE },
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
    store = new MemoryStore();
    ledger = new NotificationLedger(store, 24, () => Date.parse(AT));
    historyReads = 0;
  });

  it('a level alert speaks for its account: its budget step is recorded silently; another account hears its step', async () => {
    const low = keyCap('low', 3, 'critical');
    const busy = keyCap('busy', 15, 'ok');
    const first = await decideAlerts([low, busy], context());
    assert.deepEqual(first.map((d) => [d.r.accountId, d.kind, d.level, d.claim]), [['low', 'level', 'critical', 'critical'], ['busy', 'step', 'info', 'step.80']]);
    assert.match(first[0]!.message, /^CRITICAL: LOW balance low — \$3\.00 left/);
    assert.equal(first[0]!.alert?.level, 'critical');
    assert.deepEqual(first[0]!.undo, [['llmBalance.notified.low.critical', undefined]], 'nothing was recorded before');
    assert.match(first[1]!.message, /^BUDGET: BUSY passed 80%/);
    // Both recorded: the same results again say nothing, and the low account's step was never news.
    assert.deepEqual(await decideAlerts([low, busy], context()), []);
    assert.ok(ledger.sentAt('low', 'critical'));
  });

  it('force repeats what the ledger would hold back; the record it replaces comes back for a failed delivery', async () => {
    const low = keyCap('low', 3, 'critical');
    await decideAlerts([low], context());
    const earlier = ledger.sentAt('low', 'critical');
    assert.ok(earlier);
    ledger = new NotificationLedger(store, 24, () => Date.parse(AT) + 60_000);
    const again = await decideAlerts([low], context({ force: true }));
    assert.deepEqual(again.map((d) => d.kind), ['level']);
    assert.notEqual(ledger.sentAt('low', 'critical'), earlier, 'recorded again, a minute later');
    await ledger.putBack(again[0]!.undo);
    assert.equal(ledger.sentAt('low', 'critical'), earlier, 'the earlier record');
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

describe('decideAlerts: the text and the level come from one verdict', () => {
  const f = useFakeServer();
  const USD_ONLY = (warning: number, critical: number) => ({ USD: { warning, critical } });
  /** The settings of the check, and the ones in force when the alert is decided. */
  const AT_CHECK: ThresholdSettings = { thresholds: USD_ONLY(10, 5), percent: { warning: 20, critical: 10 } };
  const LATER: ThresholdSettings = { thresholds: USD_ONLY(30, 8), percent: { warning: 30, critical: 5 } };
  let http: HttpClient;
  let ledger: NotificationLedger;
  beforeEach(() => {
    http = new HttpClient({ timeoutMs: 2000, env: {} });
    ledger = new NotificationLedger(new MemoryStore(), 24, () => Date.now());
  });
  afterEach(() => http.close());

  const context = (): AlertContext => ({
    ledger, rules: { budgetSteps: [], spendSpike: DEFAULT_SPIKE_RULE }, account: () => undefined, cooldownHours: 24, history: () => ({ seriesView: () => [] }),
  });

  /**
   * Reads the level word and the quoted threshold back out of the text and holds them against
   * the settings the level was decided under: the threshold must be that level's line, and
   * the balance (or the percent left) must be at or under it.
   */
  function assertTextTellsLevel(message: string, r: BalanceResult, judgedUnder: ThresholdSettings): void {
    const word = /^([A-Z]+): /.exec(message)?.[1];
    assert.equal(word, r.level.toUpperCase(), message);
    const line = r.level as 'warning' | 'critical';
    const amount = /left \(threshold \$([\d.,]+)\)/.exec(message);
    const percent = /(\d+(?:\.\d+)?)% of the \$[\d.,]+ limit left \(threshold (\d+)%\)/.exec(message);
    assert.ok(amount || percent, `no threshold quoted: ${message}`);
    if (amount) {
      assert.equal(Number(amount[1]!.replace(/,/g, '')), judgedUnder.thresholds.USD![line], message);
      assert.ok(r.balance! <= Number(amount[1]!.replace(/,/g, '')), message);
    }
    if (percent) {
      assert.equal(Number(percent[2]), judgedUnder.percent[line], message);
      assert.ok(Number(percent[1]) <= Number(percent[2]), message);
    }
  }

  async function checkedUnder(settings: ThresholdSettings, account: Account): Promise<{ engine: CheckScheduler; result: BalanceResult }> {
    const engine = new CheckScheduler({ check: checkOver(http), store: new MemoryStore(), cacheTtlMs: 3_600_000, thresholds: settings, keys: () => ({ key: VALID_KEY }) });
    const [result] = await engine.check([account], { force: true });
    return { engine, result: result! };
  }

  it('thresholds changed between the check and the alert: the alert quotes the rule of the level it reports', async () => {
    f.server.route('GET', '/deepseek/user/balance', deepseekBalance([{ currency: 'USD', total_balance: '6.00', granted_balance: '0.00', topped_up_balance: '6.00' }]));
    const account = AccountSchema.parse({ id: 'ds', provider: 'deepseek', baseUrl: `${f.server.url}/deepseek` });
    const { engine, result } = await checkedUnder(AT_CHECK, account);
    engine.thresholds = LATER;
    const [told] = await decideAlerts([result], context());
    assert.equal(told!.message, 'WARNING: DeepSeek balance low — $6.00 left (threshold $10.00). Add funds to avoid interruption.');
    assertTextTellsLevel(told!.message, result, AT_CHECK);
    assert.ok(told?.kind === 'level');
    assert.equal(told.alert.threshold, 10);

    // Read again, the cached result is judged by the thresholds of now, and its text follows.
    const again = engine.last(account)!;
    assert.equal(again.level, 'critical');
    const [toldAgain] = await decideAlerts([again], context());
    assert.equal(toldAgain!.message, 'CRITICAL: DeepSeek balance low — $6.00 left (threshold $8.00). Add funds to avoid interruption.');
    assertTextTellsLevel(toldAgain!.message, again, LATER);
  });

  it('a key cap: the percent rule that fired is quoted with its own level, before and after a change', async () => {
    f.server.route('GET', '/openrouter/api/v1/key', { body: { data: { limit: 100, limit_remaining: 6, limit_reset: 'monthly', usage: 94, is_free_tier: false } } });
    const account = AccountSchema.parse({ id: 'or', provider: 'openrouter', baseUrl: `${f.server.url}/openrouter/api/v1` });
    const { engine, result } = await checkedUnder(AT_CHECK, account);
    engine.thresholds = LATER;
    const [told] = await decideAlerts([result], context());
    assert.equal(result.level, 'critical');
    assert.match(told!.message, /; 6% of the \$100\.00 limit left \(threshold 10%\)\. /);
    assertTextTellsLevel(told!.message, result, AT_CHECK);

    const again = engine.last(account)!;
    assert.equal(again.level, 'warning');
    ledger = new NotificationLedger(new MemoryStore(), 24, () => Date.now());
    const [toldAgain] = await decideAlerts([again], context());
    assert.match(toldAgain!.message, /^WARNING: .*; 6% of the \$100\.00 limit left \(threshold 30%\)\. /);
    assertTextTellsLevel(toldAgain!.message, again, LATER);
  });

  it('every level across balances and both settings: the text never names another rule than the level\'s', async () => {
    const account = AccountSchema.parse({ id: 'ds', provider: 'deepseek', baseUrl: `${f.server.url}/deepseek` });
    let alerts = 0;
    for (const balance of [2, 5, 6, 8, 9.5, 10, 20, 29, 31]) {
      f.server.route('GET', '/deepseek/user/balance', deepseekBalance([{ currency: 'USD', total_balance: balance.toFixed(2), granted_balance: '0.00', topped_up_balance: balance.toFixed(2) }]));
      for (const [first, second] of [[AT_CHECK, LATER], [LATER, AT_CHECK]] as const) {
        const { engine, result } = await checkedUnder(first, account);
        engine.thresholds = second;
        for (const [r, under] of [[result, first], [engine.last(account)!, second]] as const) {
          ledger = new NotificationLedger(new MemoryStore(), 24, () => Date.now());
          const told = await decideAlerts([r], context());
          if (r.level === 'ok') {
            assert.deepEqual(told, [], `balance ${balance}`);
            continue;
          }
          alerts++;
          assertTextTellsLevel(told[0]!.message, r, under);
        }
      }
    }
    assert.ok(alerts >= 20, `only ${alerts} alerts were checked`);
  });
});
