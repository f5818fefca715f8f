// The extension's checks in its own thread (the check worker's fallback) over real HTTP clients
// against the fake provider server: a client that new settings replace, and the last one on
// dispose, closes its connections, after the checks under way on it have ended.
import * as assert from 'node:assert/strict';
import { checkOver } from '../../src/core/check';
import type { AccountChecker } from '../../src/core/checker';
import { HttpClient, type HttpSettings } from '../../src/core/http';
import { InThreadChecks } from '../../src/core/inThreadChecks';
import { AccountSchema } from '../../src/core/model';
import { DEFAULT_THRESHOLD_SETTINGS } from '../../src/core/thresholds';
import { FakeProviderServer } from '../fake/server';
import { until, VALID_KEY } from './helpers';

const ctx = { thresholds: DEFAULT_THRESHOLD_SETTINGS, now: () => new Date() };

describe('checks in the extension\'s own thread (the check worker\'s fallback)', function () {
  this.timeout(30_000);
  const server = new FakeProviderServer();
  // Idle connections would stay for two minutes on both sides: only a close ends them sooner.
  server.keepAliveTimeoutMs = 120_000;
  let clientsOpened: number;
  let closeCalls: number;
  let checks: InThreadChecks;

  /** The real client, counted, and without the environment's proxy. */
  class CountedHttpClient extends HttpClient {
    constructor(http: HttpSettings) {
      super({ ...http, env: {} });
      clientsOpened++;
    }
    override close(): Promise<void> {
      closeCalls++;
      return super.close();
    }
  }
  const account = () => AccountSchema.parse({ id: 'or', provider: 'openrouter', baseUrl: `${server.url}/openrouter/api/v1` });
  const checkWith = async (checker: AccountChecker) => {
    const { result } = await checker(account(), { key: VALID_KEY }, ctx);
    assert.equal(result.status, 'valid', result.error);
    assert.equal(result.balance, 74.75);
    return result;
  };

  before(async () => {
    await server.start();
  });
  beforeEach(() => {
    clientsOpened = 0;
    closeCalls = 0;
    checks = new InThreadChecks(() => ({ HttpClient: CountedHttpClient, checkOver }));
  });
  afterEach(async () => {
    await checks.dispose();
    server.reset();
    await until(() => server.openConnections === 0, 'the test\'s connections to close');
  });
  after(async () => {
    await server.stop();
  });

  it('a client replaced by new settings closes its connections; the new one checks', async () => {
    const first = checks.checkerFor({ timeoutMs: 5_000 });
    await checkWith(first);
    assert.ok(server.openConnections > 0, 'the first client keeps its connection alive');
    const second = checks.checkerFor({ timeoutMs: 6_000 });
    await until(() => server.openConnections === 0, 'the replaced client\'s connections to close');
    await checkWith(second);
    assert.equal(clientsOpened, 2);
    assert.ok(server.openConnections > 0, 'the second client is still open');
  });

  it('a check under way on the replaced client ends with its answer first, then the connection closes', async () => {
    // The provider answers only once the client has been replaced.
    let answer!: () => void;
    const replaced = new Promise<void>((resolve) => (answer = resolve));
    server.route('GET', '/openrouter/api/v1/credits', async () => {
      await replaced;
      return { body: { data: { total_credits: 100.5, total_usage: 25.75 } } };
    });
    const first = checks.checkerFor({ timeoutMs: 5_000 });
    const underWay = checkWith(first);
    await until(() => server.hits('/openrouter/api/v1/credits').length > 0, 'the check to reach the provider');
    checks.checkerFor({ timeoutMs: 6_000 });
    // Not closed under the check: a check may have more requests to send.
    await new Promise((r) => setImmediate(r));
    assert.equal(closeCalls, 0, 'closed while its check was under way');
    answer();
    const result = await underWay;
    assert.equal(result.level, 'ok');
    assert.equal(closeCalls, 1, 'closed once its check ended');
    await until(() => server.openConnections === 0, 'the replaced client\'s connections to close');
  });

  it('dispose closes the last client, and resolves once it is closed', async () => {
    await checkWith(checks.checkerFor({ timeoutMs: 5_000 }));
    assert.ok(server.openConnections > 0);
    await checks.dispose();
    await until(() => server.openConnections === 0, 'the last client\'s connections to close');
  });

  it('a check after dispose still runs, on a checker kept from before too, and its client closes when it ends', async () => {
    const kept = checks.checkerFor({ timeoutMs: 5_000 });
    await checkWith(kept);
    await checks.dispose();
    await until(() => server.openConnections === 0, 'the last client\'s connections to close');
    await checkWith(kept);
    await until(() => server.openConnections === 0, 'the late client\'s connections to close');
    await checkWith(checks.checkerFor({ timeoutMs: 5_000 }));
    await until(() => server.openConnections === 0, 'the late client\'s connections to close');
    assert.equal(clientsOpened, 3);
  });

  it('checks with the same settings share one client', async () => {
    const checker = checks.checkerFor({ timeoutMs: 5_000 });
    await Promise.all([checkWith(checker), checkWith(checker), checkWith(checks.checkerFor({ timeoutMs: 5_000 }))]);
    assert.equal(clientsOpened, 1);
  });
});
