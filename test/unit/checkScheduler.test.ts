import * as assert from 'node:assert/strict';
import { CheckScheduler } from '../../src/core/checkScheduler';
import { HttpClient } from '../../src/core/http';
import { checkOver } from '../../src/core/check';
import { MemoryStore } from '../../src/core/kv';
import { AccountSchema, type Account } from '../../src/core/model';
import { useFakeServer, VALID_KEY } from './helpers';

describe('check scheduler', () => {
  const f = useFakeServer();
  const P = '/openrouter/api/v1';
  let http: HttpClient;
  let now: number;
  let store: MemoryStore;
  beforeEach(() => {
    http = new HttpClient({ timeoutMs: 1500, env: {} });
    now = Date.parse('2026-11-01T00:00:00Z');
    store = new MemoryStore();
  });
  afterEach(async () => {
    await http.close();
  });
  const account = (id = 'or', extra: Partial<Account> = {}): Account => AccountSchema.parse({ id, provider: 'openrouter', baseUrl: f.server.url + P, ...extra });
  const engine = (ttl = 60_000) => new CheckScheduler({ check: checkOver(http), store, cacheTtlMs: ttl, keys: () => ({ key: VALID_KEY }), now: () => new Date(now) });

  it('caches for the TTL; force bypasses it; a changed account invalidates it', async () => {
    const e = engine();
    await e.checkOne(account());
    await e.checkOne(account());
    assert.equal(f.server.hits(`${P}/credits`).length, 1);
    await e.checkOne(account(), { force: true });
    assert.equal(f.server.hits(`${P}/credits`).length, 2);
    now += 61_000;
    await e.checkOne(account());
    assert.equal(f.server.hits(`${P}/credits`).length, 3);
    await e.checkOne(account('or', { label: 'Work' }));
    assert.equal(f.server.hits(`${P}/credits`).length, 4);
  });

  it('reports which results this run made: fresh from the provider, not fresh from the cache, whatever the clocks say', async () => {
    const e = engine();
    const first = await e.checkOneReported(account());
    assert.equal(first.fresh, true);
    // The engine's clock (November) is not the wall clock: freshness is not guessed from checkedAt.
    now += 30_000;
    const cached = await e.checkOneReported(account());
    assert.equal(cached.fresh, false);
    assert.equal(cached.result.checkedAt, first.result.checkedAt);
    const [forced] = await e.checkReported([account()], { force: true });
    assert.equal(forced!.fresh, true);
    assert.equal(f.server.hits(`${P}/credits`).length, 2);
    const unreadable = new CheckScheduler({ check: checkOver(http), store, cacheTtlMs: 60_000, keys: () => { throw new Error('locked'); }, now: () => new Date(now) });
    const kept = await unreadable.checkOneReported(account(), { force: true });
    assert.deepEqual([kept.fresh, kept.result.checkedAt], [false, forced!.result.checkedAt]);
  });

  it('a result another window stores while this one reads the key is used, not checked again', async () => {
    const other = engine();
    let otherDone: Promise<unknown> = Promise.resolve();
    // The key store answers only after the other window (same store) has checked the account.
    const slowKeys = new CheckScheduler({
      check: checkOver(http), store, cacheTtlMs: 60_000, now: () => new Date(now),
      keys: async (a) => {
        otherDone = other.checkOne(a);
        await otherDone;
        return { key: VALID_KEY };
      },
    });
    const got = await slowKeys.checkOneReported(account());
    await otherDone;
    assert.equal(f.server.hits(`${P}/credits`).length, 1);
    assert.equal(got.fresh, false);
    assert.equal(got.result.balance, (await other.checkOne(account())).balance);
  });

  it('coalesces overlapping checks of one account', async () => {
    f.server.route('GET', `${P}/credits`, { delayMs: 150, body: { data: { total_credits: 5, total_usage: 1 } } });
    const e = engine();
    const [a, b, c] = await Promise.all([e.checkOne(account(), { force: true }), e.checkOne(account(), { force: true }), e.checkOne(account(), { force: true })]);
    assert.equal(f.server.hits(`${P}/credits`).length, 1);
    assert.equal(a, b);
    assert.equal(b, c);
    assert.equal(a?.balance, 4);
  });

  it('one hung provider does not delay the others', async () => {
    f.server.route('GET', '/slow/credits', { hang: true });
    f.server.route('GET', '/slow/key', { hang: true });
    const e = engine();
    const fast = e.checkOne(account('fast'));
    const slow = e.checkOne(account('slow', { baseUrl: f.server.url + '/slow' }));
    const t0 = Date.now();
    const r = await fast;
    assert.equal(r.level, 'ok');
    assert.ok(Date.now() - t0 < 1000, 'fast account waited for the slow one');
    assert.equal((await slow).errorKind, 'timeout');
  });

  it('keeps the last good numbers, marked stale, when a check fails', async () => {
    const e = engine();
    const good = await e.checkOne(account());
    assert.equal(good.balance, 74.75);
    f.server.route('GET', `${P}/credits`, { status: 503, body: 'Service Unavailable' });
    now += 10_000;
    const bad = await e.checkOne(account(), { force: true });
    assert.equal(bad.stale, true);
    assert.equal(bad.balance, 74.75);
    assert.equal(bad.errorKind, 'server');
    assert.equal(bad.level, 'error');
    assert.equal(bad.details?.staleSince, good.checkedAt);
    f.server.reset();
    now += 10_000;
    const ok = await e.checkOne(account(), { force: true });
    assert.equal(ok.stale, undefined);
  });

  it('backs off exponentially after failures and honours Retry-After even when forced', async () => {
    const e = engine(60_000);
    f.server.route('GET', `${P}/credits`, { status: 500, body: {} });
    await e.checkOne(account());
    assert.equal(e.nextDue(account()) - now, 60_000);
    now += 60_000;
    await e.checkOne(account());
    assert.equal(e.nextDue(account()) - now, 120_000);
    f.server.route('GET', `${P}/credits`, { status: 429, headers: { 'retry-after': '600' }, body: {} });
    now += 120_000;
    await e.checkOne(account());
    const hits = f.server.hits(`${P}/credits`).length;
    now += 60_000;
    await e.checkOne(account(), { force: true });
    assert.equal(f.server.hits(`${P}/credits`).length, hits, 'forced check ignored Retry-After');
    now += 600_000;
    await e.checkOne(account(), { force: true });
    assert.equal(f.server.hits(`${P}/credits`).length, hits + 1);
  });

  it('a missing key is a key-missing error without any request', async () => {
    const e = new CheckScheduler({ check: checkOver(http), store, cacheTtlMs: 1000, keys: () => ({}) });
    const r = await e.checkOne(account());
    assert.equal(r.level, 'error');
    assert.match(r.error ?? '', /key missing/);
    assert.equal(f.server.requests.length, 0);
  });

  it('ignores a corrupt cache entry', async () => {
    store.update('llmBalance.result.or', { result: 'garbage' });
    const r = await engine().checkOne(account());
    assert.equal(r.balance, 74.75);
  });

  it('judges a cached result by the current thresholds', async () => {
    f.server.route('GET', `${P}/credits`, { body: { data: { total_credits: 10, total_usage: 2 } } });
    const e = engine();
    assert.equal((await e.checkOne(account())).level, 'warning');
    e.thresholds = { thresholds: { USD: { warning: 3, critical: 1 } }, percent: { warning: 0, critical: 0 } };
    const cached = await e.checkOne(account());
    assert.equal(f.server.hits(`${P}/credits`).length, 1, 'should have come from the cache');
    assert.equal(cached.level, 'ok');
  });

  it('a rotated key invalidates the cache', async () => {
    let key = VALID_KEY;
    const e = new CheckScheduler({ check: checkOver(http), store, cacheTtlMs: 60_000, keys: () => ({ key }), now: () => new Date(now) });
    await e.checkOne(account());
    key = 'sk-test-rotated-0123456789';
    await e.checkOne(account());
    assert.equal(f.server.hits(`${P}/credits`).length, 2);
    assert.ok(!JSON.stringify(store.get('llmBalance.result.or')).includes('rotated'), 'the key reached the store');
  });

  it('caps an absurd Retry-After at an hour', async () => {
    f.server.route('GET', `${P}/credits`, { status: 429, headers: { 'retry-after': '31536000' }, body: {} });
    const e = engine();
    await e.checkOne(account());
    f.server.reset();
    now += 3_600_001;
    const r = await e.checkOne(account(), { force: true });
    assert.equal(r.balance, 74.75);
  });

  it('out of funds without a number keeps the last known balance, stale, critical', async () => {
    const e = engine();
    await e.checkOne(account());
    f.server.route('GET', `${P}/credits`, { status: 402, body: { error: { message: 'Insufficient credits' } } });
    now += 10_000;
    const r = await e.checkOne(account(), { force: true });
    assert.equal(r.errorKind, 'insufficient_funds');
    assert.equal(r.level, 'critical');
    assert.equal(r.balance, 74.75);
    assert.equal(r.stale, true);
    assert.equal(r.currency, 'USD');
  });

  it('out of funds is an answer, not a failure: no backoff, so a top-up shows at the next check', async () => {
    const e = engine(60_000);
    await e.checkOne(account());
    f.server.route('GET', `${P}/credits`, { status: 402, body: { error: { message: 'Insufficient credits' } } });
    for (let i = 0; i < 4; i++) {
      now += 60_000;
      await e.checkOne(account());
    }
    assert.equal(e.nextDue(account()) - now, 60_000);
  });

  it('a key store that cannot be read leaves the cached result standing', async () => {
    let fail = false;
    const e = new CheckScheduler({ check: checkOver(http), store, cacheTtlMs: 60_000, keys: () => { if (fail) throw new Error('keychain locked'); return { key: VALID_KEY }; }, now: () => new Date(now) });
    await e.checkOne(account());
    fail = true;
    now += 120_000;
    const r = await e.checkOne(account(), { force: true });
    assert.equal(r.balance, 74.75);
    assert.equal(r.errorKind, undefined);
    assert.equal(f.server.hits(`${P}/credits`).length, 1);
  });

  it('last() judges a stored result by the current thresholds too', async () => {
    f.server.route('GET', `${P}/credits`, { body: { data: { total_credits: 10, total_usage: 2 } } });
    const e = engine();
    await e.checkOne(account());
    assert.equal(e.last(account())?.level, 'warning');
    e.thresholds = { thresholds: { USD: { warning: 3, critical: 1 } }, percent: { warning: 0, critical: 0 } };
    assert.equal(e.last(account())?.level, 'ok');
    assert.deepEqual(e.last(account())?.verdict, { fired: { rule: 'none' }, thresholds: { warning: 3, critical: 1 } });
  });

  it('a result cached before results carried a verdict is read, and judged with one', async () => {
    const before = {
      accountId: 'or', provider: 'openrouter', label: 'OpenRouter', status: 'valid', level: 'ok', balance: 8, currency: 'USD',
      usage: null, limit: null, checkedAt: new Date(now).toISOString(),
    };
    await store.update('llmBalance.result.or', { result: before, fingerprint: 'from-an-older-version', failures: 0 });
    const r = engine().last(account());
    assert.deepEqual([r?.balance, r?.level, r?.verdict], [8, 'warning', { fired: { rule: 'amount', threshold: 10 }, thresholds: { warning: 10, critical: 5 } }]);
  });
});
