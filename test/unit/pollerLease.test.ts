import * as assert from 'node:assert/strict';
import { MemoryStore } from '../../src/core/kv';
import { HEARTBEAT_MS, LEASE_KEY, LEASE_STALE_MS, PollerLease } from '../../src/core/pollerLease';
import { SharedMemento } from '../fake/sharedMemento';

describe('poller lease', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('one window holds it while it beats; another takes it once the beat is stale', () => {
    const store = new MemoryStore();
    const a = new PollerLease(store, { id: 'a', now: clock });
    const b = new PollerLease(store, { id: 'b', now: clock });
    assert.deepEqual(a.claim(), { held: true, gained: true });
    assert.deepEqual(b.claim(), { held: false, gained: false });
    now += LEASE_STALE_MS - 1;
    assert.deepEqual(a.claim(), { held: true, gained: false }, 'a renewal is not a gain');
    now += LEASE_STALE_MS - 1;
    assert.equal(b.claim().held, false, 'a renewed lease stays taken');
    now += LEASE_STALE_MS;
    assert.deepEqual(b.claim(), { held: true, gained: true });
    assert.equal(a.held(), false);
    assert.deepEqual(a.claim(), { held: false, gained: false });
    assert.equal(a.term, 1, 'what a cached in its first term');
    now += LEASE_STALE_MS;
    assert.deepEqual(a.claim(), { held: true, gained: true });
    assert.equal(a.term, 2, 'a new term: what a cached before may be stale');
  });

  it('a beat from the future (a clock that moved back) does not keep the lease', () => {
    const store = new MemoryStore();
    store.update(LEASE_KEY, { id: 'gone', beat: now + HEARTBEAT_MS + 1 });
    assert.deepEqual(new PollerLease(store, { id: 'a', now: clock }).claim(), { held: true, gained: true });
    store.update(LEASE_KEY, { id: 'other', beat: now + HEARTBEAT_MS });
    assert.equal(new PollerLease(store, { id: 'b', now: clock }).claim().held, false, 'within one heartbeat ahead is alive');
  });

  it('a record that is not a lease does not block', () => {
    const store = new MemoryStore();
    store.update(LEASE_KEY, 'garbage');
    assert.equal(new PollerLease(store, { now: clock }).claim().held, true);
  });

  it('release hands over at once; a window that does not hold it releases nothing', () => {
    const store = new MemoryStore();
    const a = new PollerLease(store, { id: 'a', now: clock });
    const b = new PollerLease(store, { id: 'b', now: clock });
    a.claim();
    b.release();
    assert.equal(a.held(), true);
    a.release();
    assert.equal(store.get(LEASE_KEY), undefined);
    assert.deepEqual(b.claim(), { held: true, gained: true });
  });

  it('of two windows that claim at the same moment, exactly one polls', async () => {
    {
      const storage = new SharedMemento(10);
      const a = new PollerLease(storage.window(), { id: 'a', settleMs: 60 });
      const b = new PollerLease(storage.window(), { id: 'b', settleMs: 60 });
      const [ra, rb] = await Promise.all([a.confirm(), b.confirm()]);
      assert.equal(ra.gained && rb.gained, true, 'both claimed before seeing the other');
      assert.equal(Number(ra.held) + Number(rb.held), 1, JSON.stringify({ ra, rb }));
    }
  });
});
