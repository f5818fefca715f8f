// The pieces under the CLI's state session, in one process: the engine's clock and salt rules
// and the state directory lock (the two-process race is in test/cli/state.test.ts).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CheckScheduler, SALT_KEY } from '../../src/core/checkScheduler';
import { LOCK_STALE_MS, LockTimeoutError, acquireStateLock, keepAside, MAX_BACKUPS } from '../../src/core/fileStore';
import { HttpClient } from '../../src/core/http';
import { checkOver } from '../../src/core/check';
import { MemoryStore } from '../../src/core/kv';
import { AccountSchema } from '../../src/core/model';
import { useFakeServer, useScratchDir, VALID_KEY } from './helpers';
import { withStateSession } from '../../src/cli/stateSession';
import * as fsModule from 'node:fs';

describe('engine: clock and salt', () => {
  const f = useFakeServer();
  const P = '/openrouter/api/v1';
  let http: HttpClient;
  beforeEach(() => {
    http = new HttpClient({ timeoutMs: 1500, env: {} });
  });
  afterEach(() => http.close());
  // The server's URL is known only once it has started.
  const acct = () => AccountSchema.parse({ id: 'or', provider: 'openrouter', baseUrl: f.server.url + P });

  it('a result stamped in the future (clock ahead, then corrected) is checked again, not served', async () => {
    const store = new MemoryStore();
    let now = Date.parse('2026-12-31T00:00:00Z');
    const e = new CheckScheduler({ check: checkOver(http), store, cacheTtlMs: 3_600_000, keys: () => ({ key: VALID_KEY }), now: () => new Date(now) });
    await e.checkOne(acct());
    now -= 30 * 86_400_000;
    assert.equal(e.nextDue(acct()), 0);
    await e.checkOne(acct());
    assert.equal(f.server.hits(`${P}/credits`).length, 2);
    // A few minutes of skew between machines is no reason to go again.
    now += 60_000;
    await e.checkOne(acct());
    assert.equal(f.server.hits(`${P}/credits`).length, 2);
  });

  it('fingerprints keys under a per-store random salt', async () => {
    const stores = [new MemoryStore(), new MemoryStore()];
    const fps: string[] = [];
    for (const store of stores) {
      const e = new CheckScheduler({ check: checkOver(http), store, cacheTtlMs: 60_000, keys: () => ({ key: VALID_KEY }) });
      await e.checkOne(acct());
      assert.match(String(store.get(SALT_KEY)), /^[0-9a-f]{64}$/);
      fps.push((store.get('llmBalance.result.or') as { fingerprint: string }).fingerprint);
    }
    assert.notEqual(fps[0], fps[1]);
  });

  it('prune with unusedForMs keeps another config\'s fresh entries and drops old ones', async () => {
    const store = new MemoryStore();
    let now = Date.parse('2026-11-01T00:00:00Z');
    const e = new CheckScheduler({ check: checkOver(http), store, cacheTtlMs: 60_000, keys: () => ({ key: VALID_KEY }), now: () => new Date(now) });
    await e.checkOne(acct());
    await e.prune(['other'], { unusedForMs: 86_400_000 });
    assert.ok(store.get('llmBalance.result.or'));
    now += 2 * 86_400_000;
    await e.prune(['other'], { unusedForMs: 86_400_000 });
    assert.equal(store.get('llmBalance.result.or'), undefined);
  });
});

describe('state directory lock', () => {
  let dir: string;
  useScratchDir('llmb-lock-', (d) => (dir = d));

  it('one holder at a time; the next waits and gets it on release', async () => {
    const first = await acquireStateLock(dir);
    const order: string[] = [];
    const second = acquireStateLock(dir, { waitMs: 5000 }).then((l) => {
      order.push('second');
      return l;
    });
    await new Promise((r) => setTimeout(r, 300));
    order.push('released');
    await first.release();
    await (await second).release();
    assert.deepEqual(order, ['released', 'second']);
    assert.deepEqual((await fs.readdir(dir)).filter((n) => n.startsWith('.lock')), []);
  });

  it('gives up on a live holder after waitMs with a clear error', async () => {
    const held = await acquireStateLock(dir);
    await assert.rejects(acquireStateLock(dir, { waitMs: 300 }), (e: Error) => e instanceof LockTimeoutError && /Another llm-balance run/.test(e.message));
    await held.release();
  });

  it('takes over a lock nobody refreshed (another host, stopped) and never removes a new owner\'s lock', async () => {
    const file = path.join(dir, '.lock');
    await fs.writeFile(file, JSON.stringify({ pid: 1, host: 'elsewhere', token: 'old', since: '2026-01-01' }));
    const old = new Date(Date.now() - LOCK_STALE_MS - 5000);
    await fs.utimes(file, old, old);
    const mine = await acquireStateLock(dir, { waitMs: 2000 });
    // Someone took it from us meanwhile: releasing must leave theirs.
    await fs.writeFile(file, JSON.stringify({ pid: 1, host: 'elsewhere', token: 'theirs', since: '2026-01-01' }));
    await mine.release();
    assert.match(await fs.readFile(file, 'utf8'), /theirs/);
  });

  it('a full disk found while a corrupt state.json is set aside: the lock goes only after the copy is kept and said', async () => {
    await fs.writeFile(path.join(dir, 'state.json'), '{corrupt');
    const real = { open: fsModule.promises.open, rename: fsModule.promises.rename };
    // The disk probe finds the disk full; the corrupt file's move aside is slow (a busy disk).
    fsModule.promises.open = (async (p: fsModule.PathLike, ...rest: unknown[]) => {
      if (String(p).includes('.write-test-')) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      return (real.open as (...a: unknown[]) => Promise<fsModule.promises.FileHandle>)(p, ...rest);
    }) as typeof fsModule.promises.open;
    fsModule.promises.rename = (async (from: fsModule.PathLike, to: fsModule.PathLike) => {
      if (String(from).endsWith('state.json')) await new Promise((r) => setTimeout(r, 200));
      return real.rename(from, to);
    }) as typeof fsModule.promises.rename;
    const logs: string[] = [];
    try {
      await assert.rejects(withStateSession(dir, { log: (m) => logs.push(m) }, async () => 'checked'), /not writable \(the disk is full\)/);
      const files = await fs.readdir(dir);
      assert.ok(files.includes('state.json.bak'), `the corrupt copy is kept before the session ends: ${files.join(', ')}`);
      assert.ok(!files.includes('.lock'), 'and the lock is released');
      assert.ok(logs.some((l) => /was corrupt/.test(l)), logs.join(' | '));
    } finally {
      fsModule.promises.open = real.open;
      fsModule.promises.rename = real.rename;
    }
  });

  it('keepAside keeps the last MAX_BACKUPS corrupt copies, newest as .bak', async () => {
    const file = path.join(dir, 'state.json');
    for (let i = 1; i <= MAX_BACKUPS + 2; i++) {
      await fs.writeFile(file, `v${i}`);
      await keepAside(file);
    }
    const baks = (await fs.readdir(dir)).sort();
    assert.equal(baks.length, MAX_BACKUPS);
    assert.equal(await fs.readFile(`${file}.bak`, 'utf8'), `v${MAX_BACKUPS + 2}`);
    assert.equal(await fs.readFile(`${file}.bak.${MAX_BACKUPS - 1}`, 'utf8'), 'v3');
  });
});
