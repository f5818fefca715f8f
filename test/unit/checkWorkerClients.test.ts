// The check worker's HTTP clients, counted as connections at the fake provider: a client that
// new settings replace closes its connections once its last check has ended (it once waited a
// minute), and never under a check that still has requests to send.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { checkAccountUnvalidated } from '../../src/core/check';
import { serveChecks, type WorkerCheck } from '../../src/core/checkThread';
import { CheckWorker, type CheckRequest, type WorkerMessage } from '../../src/core/checkWorker';
import type { HttpClient, HttpSettings } from '../../src/core/http';
import { AccountSchema, type Account } from '../../src/core/model';
import { DEFAULT_THRESHOLD_SETTINGS } from '../../src/core/thresholds';
import { FakeProviderServer } from '../fake/server';
import { until, useFakeServer, VALID_KEY } from './helpers';

const REAL_WORKER = path.join(__dirname, '../../src/checkWorker.js');
const P = '/openrouter/api/v1';
const ctx = { thresholds: DEFAULT_THRESHOLD_SETTINGS, now: () => new Date() };

describe('check worker: one HTTP client per settings, closed after its last check', function () {
  this.timeout(30_000);
  // The replaced client's provider. Idle connections stay two minutes on both sides: only the
  // client's close ends them within the tests' waits.
  const kept = new FakeProviderServer();
  kept.keepAliveTimeoutMs = 120_000;
  // The new settings' provider, so that `kept` counts the replaced client's connections alone.
  const other = useFakeServer();
  const account = (server: FakeProviderServer, id = 'or'): Account => AccountSchema.parse({ id, provider: 'openrouter', baseUrl: server.url + P });
  const toDispose: Array<() => Promise<void>> = [];

  before(async () => {
    await kept.start();
  });
  afterEach(async () => {
    await Promise.all(toDispose.splice(0).map((d) => d()));
    kept.reset();
    await until(() => kept.openConnections === 0, 'the test\'s connections to close');
  });
  after(async () => {
    await kept.stop();
  });

  it('in the worker thread: new settings close the last client\'s connections once its checks are done', async () => {
    const lines: string[] = [];
    const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    const w = new CheckWorker({ file: REAL_WORKER, log, fallback: () => assert.fail('checks run in the worker') });
    toDispose.push(() => w.dispose());
    w.http = { timeoutMs: 5_000, env: {} };
    assert.equal((await w.check(account(kept), { key: VALID_KEY }, ctx)).result.balance, 74.75);
    assert.ok(kept.openConnections > 0, 'the first client keeps its connections alive');
    w.http = { timeoutMs: 6_000, env: {} };
    assert.equal((await w.check(account(other.server), { key: VALID_KEY }, ctx)).result.balance, 74.75);
    await until(() => kept.openConnections === 0, 'the replaced client\'s connections to close');
    assert.ok(w.threadId !== undefined, 'checked in the worker');
  });

  it('serveChecks: a check under way on the replaced client sends its later requests on it, then its connections close', async () => {
    let answer!: () => void;
    const replaced = new Promise<void>((resolve) => (answer = resolve));
    kept.route('GET', '/first', async () => {
      await replaced;
      return { body: { ok: 1 } };
    });
    kept.route('GET', '/second', { body: { ok: 2 } });
    const clients = new Set<HttpClient>();
    // A check of two requests, one after the other, before the real one: the second is sent after the settings changed.
    const twoStep: WorkerCheck = async (req, http) => {
      clients.add(http);
      if (req.account.id === 'slow') {
        await http.json(`${kept.url}/first`);
        await http.json(`${kept.url}/second`);
      }
      return checkAccountUnvalidated(req.account, req.keys, { http, thresholds: req.thresholds });
    };
    const { port1, port2 } = new MessageChannel();
    toDispose.push(async () => {
      port1.close();
      await Promise.all([...clients].map((c) => c.close()));
    });
    const answers = new Map<number, (m: WorkerMessage) => void>();
    port2.on('message', (m: WorkerMessage) => {
      if (m.type === 'result' || m.type === 'failed') answers.get(m.id)?.(m);
    });
    const check = (id: number, acct: Account, http: HttpSettings): Promise<WorkerMessage> => {
      const request: CheckRequest = { type: 'check', id, account: acct, keys: { key: VALID_KEY }, http, thresholds: DEFAULT_THRESHOLD_SETTINGS };
      const answered = new Promise<WorkerMessage>((resolve) => answers.set(id, resolve));
      port2.postMessage(request);
      return answered;
    };
    serveChecks(port1, twoStep);

    const underWay = check(1, account(kept, 'slow'), { timeoutMs: 5_000, env: {} });
    await until(() => kept.hits('/first').length > 0, 'the first request to reach the provider');
    const next = await check(2, account(other.server), { timeoutMs: 6_000, env: {} });
    assert.equal(next.type === 'result' && next.check.result.balance, 74.75);
    assert.equal(clients.size, 2, 'the new settings have their own client');
    assert.ok(kept.openConnections > 0, 'the replaced client is not closed under its check');
    answer();
    const slow = await underWay;
    assert.equal(slow.type, 'result', JSON.stringify(slow));
    assert.equal(slow.type === 'result' && slow.check.result.balance, 74.75);
    assert.equal(kept.hits('/second').length, 1, 'the request sent after the replacement went out');
    await until(() => kept.openConnections === 0, 'the replaced client\'s connections to close');
  });
});
