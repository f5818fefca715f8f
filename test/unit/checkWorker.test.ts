import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { checkAccountUnvalidated, checkOver, type AccountChecker } from '../../src/core/check';
import { CheckWorker } from '../../src/core/checkWorker';
import { CheckScheduler } from '../../src/core/checkScheduler';
import { HttpClient, type HttpSettings } from '../../src/core/http';
import { MemoryStore } from '../../src/core/kv';
import { AccountSchema, type Account } from '../../src/core/model';
import { DEFAULT_THRESHOLD_SETTINGS } from '../../src/core/thresholds';
import { useFakeServer, VALID_KEY } from './helpers';
import { assertTranslatable, zhT } from './messageChecks';
import { errorText, msg } from '../../src/core/message';

const REAL_WORKER = path.join(__dirname, '../../src/checkWorker.js');
const CRASHING_WORKER = path.join(__dirname, '../fake/crashingCheckWorker.js');
const BROKEN_WORKER = path.join(__dirname, '../fake/brokenCheckWorker.js');
const WRONG_NUMBER_WORKER = path.join(__dirname, '../fake/wrongNumberCheckWorker.js');
const P = '/openrouter/api/v1';

describe('check worker', () => {
  const f = useFakeServer();
  const ctx = { thresholds: DEFAULT_THRESHOLD_SETTINGS, now: () => new Date() };
  const clients: HttpClient[] = [];
  const workers: CheckWorker[] = [];
  let lines: string[];
  let inThread: number;
  beforeEach(() => {
    lines = [];
    inThread = 0;
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.dispose()));
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  const fallbackClient = (): HttpClient => {
    const client = new HttpClient({ timeoutMs: 2000, env: {} });
    clients.push(client);
    return client;
  };
  const fallback = (http: HttpSettings): AccountChecker => {
    const client = new HttpClient(http);
    clients.push(client);
    const check = checkOver(client);
    return (...args) => {
      inThread++;
      return check(...args);
    };
  };
  const worker = (file = REAL_WORKER, extra: { answerWithinMs?: number } = {}): CheckWorker => {
    const log = { info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`), error: (m: string) => lines.push(`error ${m}`) };
    const w = new CheckWorker({ file, log, fallback, ...extra });
    w.http = { timeoutMs: 2000, env: {} };
    workers.push(w);
    return w;
  };
  const account = (id = 'or'): Account => AccountSchema.parse({ id, provider: 'openrouter', baseUrl: f.server.url + P });

  it('checks in another thread, with the key sent per check, and answers as a check in this thread does', async () => {
    const w = worker();
    assert.equal(w.threadId, undefined, 'no thread before the first check');
    const there = await w.check(account(), { key: VALID_KEY }, ctx);
    assert.ok(w.threadId !== undefined && w.threadId !== threadId, `worker thread ${w.threadId}, this thread ${threadId}`);
    const here = await fallback({ timeoutMs: 2000, env: {} })(account(), { key: VALID_KEY }, ctx);
    const { checkedAt: _a, ...a } = there.result;
    const { checkedAt: _b, ...b } = here.result;
    assert.deepEqual(a, b);
    assert.equal(there.result.balance, 74.75);
    assert.ok(f.server.hits(`${P}/credits`).every((h) => h.key === VALID_KEY), 'the worker sent the key it was given');
    assert.equal(inThread, 1, 'only the reference check ran in this thread');
    assert.ok(lines.some((l) => l === `info Checks run in a worker thread (thread ${w.threadId}).`), lines.join('\n'));
  });

  it('runs checks of several accounts at once in one worker', async () => {
    let inFlight = 0;
    let most = 0;
    const allIn: Array<() => void> = [];
    f.server.route('GET', `${P}/credits`, async () => {
      most = Math.max(most, ++inFlight);
      // Held until all five are in (not for a fixed time a slow worker start could outlast); the
      // safety timeout only ends a failing run, which then fails on `most`.
      await new Promise<void>((r) => {
        allIn.push(r);
        if (inFlight === 5) for (const go of allIn) go();
        else setTimeout(r, 5000);
      });
      inFlight--;
      return { body: { data: { total_credits: 10, total_usage: 1 } } };
    });
    const w = worker();
    const rs = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => w.check(account(id), { key: VALID_KEY }, ctx)));
    assert.deepEqual(rs.map((r) => r.result.balance), [9, 9, 9, 9, 9]);
    assert.equal(most, 5, 'the five requests were at the provider at once');
  });

  it('a worker that dies mid-check ends that check as a redacted error; the next check starts a new worker', async () => {
    f.server.route('GET', `${P}/credits`, { delayMs: 1000, body: { data: { total_credits: 100, total_usage: 1 } } });
    const w = worker(CRASHING_WORKER);
    const first = await w.check(account('ok'), { key: VALID_KEY }, ctx);
    assert.equal(first.result.level, 'ok');
    const firstThread = w.threadId;
    const crashed = await w.check(account('crash'), { key: VALID_KEY }, ctx);
    assert.equal(crashed.result.status, 'error');
    assert.equal(crashed.result.errorKind, 'network');
    assert.equal(crashed.result.level, 'error');
    assert.match(crashed.result.error ?? '', /check worker stopped before the provider answered/);
    const logged = lines.find((l) => l.startsWith('error The check worker stopped'));
    assert.ok(logged, lines.join('\n'));
    assert.match(logged, /exit code 1: worker blew up holding .*1 check\(s\) under way.*The next check starts a new worker/);
    assert.ok(!lines.join('\n').includes(VALID_KEY) && !JSON.stringify(crashed).includes(VALID_KEY), 'the key stays out of the log and the result');
    assert.ok(!lines.join('\n').includes(VALID_KEY.slice(4, 20)), 'not even a fragment');
    const next = await w.check(account('ok'), { key: VALID_KEY }, ctx);
    assert.equal(next.result.level, 'ok');
    assert.ok(w.threadId !== undefined && w.threadId !== firstThread, 'a new worker');
    assert.equal(inThread, 0);
  });

  it('an error result is built alike in check.ts and in the worker: for the same error, the same result', async () => {
    const at = new Date('2026-03-04T05:06:07.000Z');
    const pinned = { thresholds: DEFAULT_THRESHOLD_SETTINGS, now: () => at };
    const keys = { key: VALID_KEY, adminKey: 'sk-admin-test-0123456789abcdef' };
    // A port nobody listens on: check.ts meets a CheckError('network', …) from the HTTP client.
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const fields = { id: 'crash', provider: 'openrouter', label: 'Team card', currency: 'EUR', warning: 50, critical: 20 };
    const here = (await fallback({ timeoutMs: 2000, env: {} })(AccountSchema.parse({ ...fields, baseUrl: `http://127.0.0.1:${port}/api/v1` }), keys, pinned)).result;
    // The worker dies under the check: CheckWorker's own error, kind 'network' too.
    f.server.route('GET', `${P}/credits`, { delayMs: 1000, body: { data: { total_credits: 100, total_usage: 1 } } });
    const there = (await worker(CRASHING_WORKER).check(AccountSchema.parse({ ...fields, baseUrl: f.server.url + P }), keys, pinned)).result;
    // Both are the same failed check of this account, written out here field by field (not
    // what the builder makes of them): they differ in nothing but their message.
    const failed = {
      accountId: 'crash', provider: 'openrouter', label: 'Team card', status: 'error', level: 'error',
      balance: null, currency: 'EUR', usage: null, limit: null, errorKind: 'network', checkedAt: at.toISOString(),
      verdict: { fired: { rule: 'none' }, thresholds: { warning: 50, critical: 20 } },
    };
    const refused = msg('{0} refused the connection.', `127.0.0.1:${port}`);
    const stopped = msg("The check was cut off: LLM Balance's check worker stopped before the provider answered. The next check tries again.");
    assert.deepEqual(here, { ...failed, error: `127.0.0.1:${port} refused the connection.`, errorL10n: refused });
    assert.deepEqual(there, { ...failed, error: "The check was cut off: LLM Balance's check worker stopped before the provider answered. The next check tries again.", errorL10n: stopped });
  });

  it('keeps the last good numbers, stale, when the worker dies during a check', async () => {
    const engine = new CheckScheduler({ check: worker().check, store: new MemoryStore(), cacheTtlMs: 60_000, keys: () => ({ key: VALID_KEY }) });
    const good = await engine.checkOne(account('crash'));
    assert.equal(good.balance, 74.75);
    engine.checker = worker(CRASHING_WORKER).check;
    const stale = await engine.checkOne(account('crash'), { force: true });
    assert.deepEqual([stale.stale, stale.balance, stale.errorKind], [true, 74.75, 'network']);
  });

  it('a result that does not validate in the worker never crosses as money: the check is an error, the last good numbers stay', async () => {
    const engine = new CheckScheduler({ check: worker(WRONG_NUMBER_WORKER).check, store: new MemoryStore(), cacheTtlMs: 60_000, keys: () => ({ key: VALID_KEY }) });
    const fine = await engine.checkOne(account('fine'));
    assert.equal(fine.balance, 74.75, 'other accounts are checked as usual');
    const nan = await engine.checkOne(account('nan'));
    assert.deepEqual([nan.status, nan.level, nan.balance, nan.errorKind], ['error', 'error', null, 'bad_response']);
    assert.match(nan.error ?? '', /did not validate \(balance: /);
    engine.checker = worker().check;
    const good = await engine.checkOne(account('nan'), { force: true });
    assert.equal(good.balance, 74.75);
    engine.checker = worker(WRONG_NUMBER_WORKER).check;
    const stale = await engine.checkOne(account('nan'), { force: true });
    assert.deepEqual([stale.stale, stale.balance, stale.errorKind], [true, 74.75, 'bad_response']);
    assert.ok(!Number.isNaN(stale.balance));
  });

  it('an answer that makes no valid result is the same error in the worker as in this thread; on the worker\'s way serveChecks alone validates it', async () => {
    // Each figure is finite; the balance, credits minus usage, is not.
    f.server.route('GET', `${P}/credits`, { body: { data: { total_credits: 1.7e308, total_usage: -1.7e308 } } });
    const there = (await worker().check(account(), { key: VALID_KEY }, ctx)).result;
    const here = (await fallback({ timeoutMs: 2000, env: {} })(account(), { key: VALID_KEY }, ctx)).result;
    for (const r of [there, here]) {
      assert.deepEqual([r.status, r.level, r.balance, r.errorKind], ['error', 'error', null, 'bad_response']);
      assert.equal(r.error, 'The answer from OpenRouter did not validate (balance: Invalid input: expected number, received Infinity).');
    }
    // The worker's way skips check.ts's validation: serveChecks' own is the only one there.
    const unvalidated = await checkAccountUnvalidated(account(), { key: VALID_KEY }, { http: fallbackClient(), ...ctx });
    assert.equal(unvalidated.result.balance, Number.POSITIVE_INFINITY);
  });

  it('a worker that cannot start gives way to checks in this thread, said in the log; after three tries for good', async () => {
    const w = worker(BROKEN_WORKER);
    for (let i = 1; i <= 4; i++) {
      const r = await w.check(account(), { key: VALID_KEY }, ctx);
      assert.equal(r.result.level, 'ok', `check ${i} ran in this thread`);
      assert.equal(inThread, i);
    }
    const starts = lines.filter((l) => l.startsWith('error The check worker could not start'));
    assert.equal(starts.length, 3, lines.join('\n'));
    assert.match(starts[0]!, /check-worker\.js could not be loaded.*1 check\(s\) run in this window's main thread\. The next check starts a new worker\./);
    assert.match(starts[2]!, /checks run in this window's main thread from now on/);
  });

  it('a worker script that is not there is the same', async () => {
    const w = worker(path.join(__dirname, 'no-such-worker.js'));
    const r = await w.check(account(), { key: VALID_KEY }, ctx);
    assert.equal(r.result.level, 'ok');
    assert.equal(inThread, 1);
    assert.ok(lines.some((l) => /^error The check worker could not (start|be created)/.test(l)), lines.join('\n'));
  });

  it('a check that gets no answer in time ends as a timeout and the worker is replaced; nothing waits forever', async () => {
    f.server.route('GET', `${P}/credits`, { hang: true });
    // Longer than a worker takes to start on a loaded machine, shorter than the HTTP time limit.
    const w = worker(REAL_WORKER, { answerWithinMs: 3000 });
    w.http = { timeoutMs: 60_000, env: {} };
    const t0 = Date.now();
    const r = await w.check(account(), { key: VALID_KEY }, ctx);
    assert.ok(Date.now() - t0 < 8000, `took ${Date.now() - t0} ms`);
    assert.equal(r.result.errorKind, 'timeout');
    assert.match(r.result.error ?? '', /No answer within 3 s; the check worker is restarted/);
    assertTranslatable(r.result);
    assert.equal(errorText(r.result, zhT), '3 秒内没有响应；检查进程已重启。');
    assert.ok(lines.some((l) => l.startsWith('error A check had no answer')), lines.join('\n'));
    f.server.reset();
    const next = await w.check(account(), { key: VALID_KEY }, ctx);
    assert.equal(next.result.level, 'ok');
  });

  it('a time-limit setting that is no usable number (NaN, not positive, past setTimeout\'s limit) is read as HttpClient reads it: the check waits for its answer', async () => {
    f.server.route('GET', `${P}/credits`, { delayMs: 300, body: { data: { total_credits: 100, total_usage: 1 } } });
    const settings = [Number.NaN, -1000, 0, Number.POSITIVE_INFINITY, 1e12];
    // The client the worker thread makes reads the setting so; the wait for its answer here must too.
    const read = settings.map((timeoutMs) => {
      const client = new HttpClient({ timeoutMs, env: {} });
      clients.push(client);
      return client.timeout;
    });
    assert.deepEqual(read, [10_000, 10_000, 10_000, 10_000, 2_147_483_647]);
    for (const timeoutMs of settings) {
      const w = worker();
      w.http = { timeoutMs, env: {} };
      const r = await w.check(account(), { key: VALID_KEY }, ctx);
      assert.deepEqual([r.result.level, r.result.balance, r.result.errorKind], ['ok', 99, undefined], `timeoutMs ${timeoutMs}: ${r.result.error}`);
    }
    assert.deepEqual(lines.filter((l) => l.startsWith('error')), []);
  });

  it('a proxy the worker cannot use is said once in the log; loopback accounts are still checked', async () => {
    const w = worker();
    w.http = { timeoutMs: 2000, env: {}, proxy: 'socks5://proxy.example:1080' };
    const rs = [await w.check(account('a'), { key: VALID_KEY }, ctx), await w.check(account('b'), { key: VALID_KEY }, ctx)];
    assert.deepEqual(rs.map((r) => r.result.level), ['ok', 'ok']);
    const said = lines.filter((l) => l.startsWith('warn Proxy:'));
    assert.equal(said.length, 1, lines.join('\n'));
    assert.match(said[0]!, /socks5.*cannot use.*Accounts on localhost are still checked\./);
  });

  it('dispose ends a check under way instead of leaving it waiting', async () => {
    f.server.route('GET', `${P}/credits`, { delayMs: 3000, body: { data: { total_credits: 10, total_usage: 1 } } });
    const w = worker();
    const pending = w.check(account(), { key: VALID_KEY }, ctx);
    // Disposed once the request is at the provider: the check is then under way in the worker.
    while (f.server.hits(`${P}/credits`).length === 0) await new Promise((r) => setTimeout(r, 10));
    await w.dispose();
    const r = await pending;
    assert.equal(r.result.status, 'error');
    assert.match(r.result.error ?? '', /stopped: LLM Balance shut down/);
  });
});
