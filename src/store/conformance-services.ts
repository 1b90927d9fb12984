// The storage conformance suite, integrated services: registered once by name, found by name,
// listed in name order, and kept only with their token's hash.
import assert from 'node:assert/strict';
import { storeTest, type StoreFactory } from './conformance.js';
import type { ServiceRecord } from './store.js';

const at = new Date(1_700_000_000_000);
const service = (name: string): ServiceRecord => ({ name, tokenHash: `${name.length}`.padStart(64, 'a'), createdAt: at });

export function servicesConformance(name: string, factory: StoreFactory): void {
  const withStore = storeTest(name, factory);

  withStore('a registered service round-trips, and an unknown name is undefined', async (store) => {
    await store.transaction((tx) => tx.insertService(service('media')));
    assert.deepEqual(await store.read((tx) => tx.getService('media')), service('media'));
    assert.equal(await store.read((tx) => tx.getService('Media')), undefined);
    assert.equal(await store.read((tx) => tx.getService('backup')), undefined);
  });

  withStore('a name can be registered only once; the first registration and its token hash stay', async (store) => {
    await store.transaction((tx) => tx.insertService(service('media')));
    await assert.rejects(store.transaction((tx) => tx.insertService({ ...service('media'), tokenHash: 'b'.repeat(64) })));
    assert.equal((await store.read((tx) => tx.getService('media')))?.tokenHash, service('media').tokenHash);
  });

  withStore('listServices pages through every service in name order', async (store) => {
    const names = ['video', 'audio', 'backup', 'media', 'logs'];
    await store.transaction(async (tx) => {
      for (const n of names) await tx.insertService(service(n));
    });
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await store.read((tx) => tx.listServices(after, 2));
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((s) => s.name));
      after = page.next;
    } while (after !== undefined);
    assert.deepEqual(seen, [...names].sort());
  });

  withStore('a service registered through one connection is seen by another', async (store) => {
    const other = await factory.connectAgain();
    try {
      await store.transaction((tx) => tx.insertService(service('media')));
      assert.deepEqual(await other.read((tx) => tx.getService('media')), service('media'));
    } finally {
      await other.close();
    }
  });
}
