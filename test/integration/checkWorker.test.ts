// The checks run in a worker thread, in a real extension host (issue 14): the main thread of
// the first check never loads undici or the whole engine, and a worker that dies mid-check
// gives a clear error and the next check works.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import type { AccountChecker } from '../../src/core/check';
import type { CheckWorker } from '../../src/core/checkWorker';
import type { BalanceResult } from '../../src/core/model';
import { DEFAULT_THRESHOLD_SETTINGS } from '../../src/core/thresholds';
import { FakeProviderServer } from '../fake/server';
import { api, KEY, setSetting, until } from './support';

const P = '/openrouter/api/v1';
const IDS = Array.from({ length: 10 }, (_, i) => `worker-${i}`);

/** The suite's first check, taken in a root hook so that no other test has loaded anything yet. */
const first: { results: BalanceResult[]; loaded: string[]; before: string[]; threadId: number | undefined } = { results: [], loaded: [], before: [], threadId: undefined };
const server = new FakeProviderServer();

before(async function () {
  this.timeout(60_000);
  const t = await api();
  await server.start();
  for (const id of IDS) await t.keys.set(id, KEY);
  await setSetting('accounts', IDS.map((id) => ({ id, provider: 'openrouter', label: `Worker ${id}`, baseUrl: server.url + P })));
  await until(() => t.monitor.accounts.length === IDS.length, 'accounts reloaded');
  first.before = Object.keys(require.cache);
  first.results = await t.monitor.checkNow();
  first.loaded = Object.keys(require.cache);
  first.threadId = t.monitor.checkWorker?.threadId;
  await setSetting('accounts', undefined);
  for (const id of IDS) await t.keys.delete(id);
  await until(() => t.monitor.accounts.length === 0, 'accounts cleared');
  for (const id of IDS) await t.monitor.forget(id);
});

after(async () => {
  await server.stop();
});

describe('check worker (in VS Code)', function () {
  this.timeout(60_000);

  it('the first check of 10 accounts runs in a worker thread; the main thread loads neither undici nor the whole engine', () => {
    assert.equal(first.results.length, IDS.length);
    assert.ok(first.results.every((r) => r.level === 'ok' && r.balance === 74.75), JSON.stringify(first.results.map((r) => [r.accountId, r.level, r.error])));
    assert.ok(first.threadId !== undefined && first.threadId !== threadId, `worker thread ${String(first.threadId)}, main thread ${threadId}`);
    // The bundles carry their modules inside (undici is in dist/engine.js and dist/check-worker.js):
    // in this thread the whole engine must not load, and the check must load nothing new at all.
    // (VS Code's own undici and the test files' imports are in require.cache from before.)
    const sep = path.sep;
    const added = first.loaded.filter((f) => !first.before.includes(f));
    const whole = first.loaded.filter((f) => f.endsWith(`${sep}dist${sep}engine.js`));
    assert.deepEqual({ added, whole }, { added: [], whole: [] });
    assert.ok(first.loaded.some((f) => f.endsWith(`${sep}dist${sep}engine-main.js`)), 'the main-thread half is what the monitor uses');
  });

  describe('a worker that dies', () => {
    const ctx = { thresholds: DEFAULT_THRESHOLD_SETTINGS, now: () => new Date() };
    const crashing = path.join(__dirname, '../fake/crashingCheckWorker.js');
    let lines: string[];
    let worker: CheckWorker;
    let inThread: number;
    before(async () => {
      const t = await api();
      // The extension's own CheckWorker class (from dist/engine-main.js), on a worker script that crashes on request.
      const Shipped = t.monitor.checkWorker!.constructor as typeof CheckWorker;
      lines = [];
      inThread = 0;
      const fallback = (): AccountChecker => () => {
        inThread++;
        return Promise.reject(new Error('no check in this thread was expected'));
      };
      worker = new Shipped({ file: crashing, fallback, log: { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) } });
      worker.http = { timeoutMs: 5_000 };
      server.route('GET', `${P}/credits`, { delayMs: 500, body: { data: { total_credits: 100.5, total_usage: 25.75 } } });
    });
    after(async () => {
      await worker.dispose();
      server.reset();
    });
    const account = (id: string) => ({ id, provider: 'openrouter' as const, label: 'Crash test', baseUrl: server.url + P });

    it('mid-check: a clear error result (no key in it or the log), then the next check runs in a new worker', async () => {
      const ok = await worker.check(account('fine'), { key: KEY }, ctx);
      assert.equal(ok.result.level, 'ok');
      const crashedThread = worker.threadId;
      const cut = await worker.check(account('crash'), { key: KEY }, ctx);
      assert.deepEqual([cut.result.status, cut.result.level, cut.result.errorKind], ['error', 'error', 'network']);
      assert.match(cut.result.error ?? '', /check worker stopped before the provider answered/);
      assert.ok(lines.some((l) => /^The check worker stopped \(exit code 1: worker blew up holding/.test(l)), lines.join('\n'));
      assert.ok(!lines.join('\n').includes(KEY) && !JSON.stringify(cut).includes(KEY));
      const again = await worker.check(account('fine'), { key: KEY }, ctx);
      assert.equal(again.result.level, 'ok');
      assert.ok(worker.threadId !== undefined && worker.threadId !== crashedThread && worker.threadId !== threadId);
      assert.equal(inThread, 0);
    });
  });
});
