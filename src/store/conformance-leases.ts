// The storage conformance suite, scheduler leases: one holder at a time, renewed by its holder,
// and taken over by another once it has expired (a holder that died mid-job loses it after its ttl).
import assert from 'node:assert/strict';
import { storeTest, type StoreFactory } from './conformance.js';
import type { Store } from './store.js';

const t0 = new Date(1_700_000_000_000);
const later = (ms: number): Date => new Date(t0.getTime() + ms);
const ttl = 180_000;

export function leasesConformance(name: string, factory: StoreFactory): void {
  const withStore = storeTest(name, factory);
  const acquire = (store: Store, holder: string, now: Date, lease = 'deletion'): Promise<boolean> =>
    store.transaction((tx) => tx.acquireLease(lease, holder, now, ttl));

  withStore('of two holders only one gets a lease; leases of other names are separate', async (store) => {
    assert.equal(await acquire(store, 'node-a', t0), true);
    assert.equal(await acquire(store, 'node-b', t0), false);
    assert.equal(await acquire(store, 'node-b', later(ttl - 1)), false);
    assert.equal(await acquire(store, 'node-b', t0, 'rotation'), true);
  });

  withStore('the holder renews its lease, moving its expiry on', async (store) => {
    assert.equal(await acquire(store, 'node-a', t0), true);
    assert.equal(await acquire(store, 'node-a', later(ttl - 1)), true);
    // Renewed at ttl - 1, so at ttl (the first expiry) it is still held.
    assert.equal(await acquire(store, 'node-b', later(ttl)), false);
    assert.equal(await acquire(store, 'node-b', later(2 * ttl - 1)), true);
  });

  withStore('after expiry another holder takes over, and the old holder cannot take it back', async (store) => {
    assert.equal(await acquire(store, 'node-a', t0), true);
    // node-a dies mid-job and never renews.
    assert.equal(await acquire(store, 'node-b', later(ttl)), true);
    assert.equal(await acquire(store, 'node-a', later(ttl + 1)), false);
  });

  // One after the other: SQLite's driver is synchronous, so a second connection in the same process
  // waiting on the write lock would block the event loop the first needs to commit.
  withStore('a lease taken through one connection is refused to a holder on another', async (store) => {
    const other = await factory.connectAgain();
    try {
      assert.equal(await acquire(store, 'node-a', t0), true);
      assert.equal(await acquire(other, 'node-b', t0), false);
      assert.equal(await acquire(other, 'node-b', later(ttl)), true);
      assert.equal(await acquire(store, 'node-a', later(ttl)), false);
    } finally {
      await other.close();
    }
  });
}
