// The storage conformance suite: every Store implementation runs these same tests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KeyRecord } from '../core/keys.js';
import type { Store } from './store.js';

export interface StoreFactory {
  /** A fresh, empty store. */
  create(): Promise<Store>;
  /** A second connection to the same store as the last `create()` (another process or node). */
  connectAgain(): Promise<Store>;
}

const key = (id: string, overrides: Partial<KeyRecord> = {}): KeyRecord => ({
  id, accountId: '111122223333', region: 'us-east-1', arn: `arn:aws:kms:us-east-1:111122223333:key/${id}`,
  createdAt: new Date(1_700_000_000_000), description: '', keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT',
  origin: 'AWS_KMS', state: 'Enabled', policy: '{}', deletionDate: null, pendingWindowDays: null, currentMaterialId: 'aa', rotationPeriodDays: null, nextRotationDate: null, onDemandRotations: 0, keyManager: 'CUSTOMER', validTo: null, ...overrides,
});
const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A conformance test `title` on a fresh store from `factory`, closed afterwards. */
export function storeTest(name: string, factory: StoreFactory): (title: string, fn: (store: Store) => Promise<void>) => void {
  return (title, fn) => {
    test(`${name}: ${title}`, async () => {
      const store = await factory.create();
      try {
        await fn(store);
      } finally {
        await store.close();
      }
    });
  };
}

export function storeConformance(name: string, factory: StoreFactory): void {
  const withStore = storeTest(name, factory);

  withStore('a failed transaction writes nothing', async (store) => {
    await assert.rejects(store.transaction(async (tx) => {
      await tx.insertKey(key(uuid(1)));
      throw new Error('abort');
    }));
    assert.equal(await store.transaction((tx) => tx.getKey(uuid(1))), undefined);
  });

  withStore('records round-trip with their dates and nulls', async (store) => {
    const k = key(uuid(2), { deletionDate: new Date(1_800_000_000_000), pendingWindowDays: 7, state: 'PendingDeletion' });
    await store.transaction((tx) => tx.insertKey(k));
    assert.deepEqual(await store.transaction((tx) => tx.getKey(k.id)), k);
    await store.transaction((tx) => tx.updateKey(k.id, { state: 'Disabled', deletionDate: null, pendingWindowDays: null }));
    assert.deepEqual(await store.transaction((tx) => tx.getKey(k.id)), { ...k, state: 'Disabled', deletionDate: null, pendingWindowDays: null });
  });

  withStore('listKeys pages through one account in id order', async (store) => {
    await store.transaction(async (tx) => {
      for (let i = 1; i <= 7; i++) await tx.insertKey(key(uuid(i)));
      await tx.insertKey(key(uuid(99), { accountId: '444455556666', arn: 'other' }));
    });
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await store.transaction((tx) => tx.listKeys('111122223333', 'us-east-1', after, 3));
      seen.push(...page.items.map((k) => k.id));
      after = page.next;
    } while (after !== undefined);
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7].map(uuid));
  });

  withStore('deleting a key removes its material, aliases and tags', async (store) => {
    const id = uuid(3);
    await store.transaction(async (tx) => {
      await tx.insertKey(key(id));
      await tx.insertMaterial({ keyId: id, materialId: 'aa', wrapped: Buffer.from([1, 2, 3]), createdAt: new Date(), rotationType: null });
      await tx.insertAlias({ accountId: '111122223333', region: 'us-east-1', name: 'alias/x', targetKeyId: id, createdAt: new Date(), updatedAt: new Date() });
      await tx.putTags(id, [{ TagKey: 'k', TagValue: 'v' }]);
    });
    await store.transaction((tx) => tx.deleteKey(id));
    await store.transaction(async (tx) => {
      assert.deepEqual(await tx.listMaterials(id), []);
      assert.equal(await tx.getAlias('111122223333', 'us-east-1', 'alias/x'), undefined);
      assert.equal(await tx.countTags(id), 0);
    });
  });

  withStore('a key keeps its latest use: an older one arriving late does not replace it, and uses go with the key', async (store) => {
    const id = uuid(40);
    const use = (operation: string, at: number) => ({ keyId: id, operation, usedAt: new Date(at), requestId: `req-${operation}` });
    await store.transaction((tx) => tx.insertKey(key(id)));
    await store.transaction((tx) => tx.recordKeyUsage([use('Decrypt', 2000)]));
    await store.transaction((tx) => tx.recordKeyUsage([use('Encrypt', 1000)]));
    assert.deepEqual(await store.read((tx) => tx.getKeyLastUsage(id)), use('Decrypt', 2000));
    await store.transaction((tx) => tx.recordKeyUsage([use('Sign', 3000), { ...use('Sign', 3000), keyId: uuid(41) }]));
    assert.deepEqual(await store.read((tx) => tx.getKeyLastUsage(id)), use('Sign', 3000));
    assert.equal(await store.read((tx) => tx.getKeyLastUsage(uuid(41))), undefined, 'a use of a key that does not exist is dropped');
    await store.transaction((tx) => tx.deleteKey(id));
    assert.equal(await store.read((tx) => tx.getKeyLastUsage(id)), undefined);
  });

  withStore('keysDueForDeletion returns only pending keys whose date has passed', async (store) => {
    await store.transaction(async (tx) => {
      await tx.insertKey(key(uuid(4), { state: 'PendingDeletion', deletionDate: new Date(1000) }));
      await tx.insertKey(key(uuid(5), { state: 'PendingDeletion', deletionDate: new Date(5000) }));
      await tx.insertKey(key(uuid(6), { state: 'Disabled', deletionDate: null }));
    });
    const due = await store.transaction((tx) => tx.keysDueForDeletion(new Date(2000)));
    assert.deepEqual(due.map((k) => k.id), [uuid(4)]);
  });

  withStore('rotation fields and material rotation types round-trip', async (store) => {
    const id = uuid(10);
    const k = key(id, { rotationPeriodDays: 90, nextRotationDate: new Date(1_800_000_000_000), onDemandRotations: 2 });
    await store.transaction(async (tx) => {
      await tx.insertKey(k);
      await tx.insertMaterial({ keyId: id, materialId: 'aa', wrapped: Buffer.from([1]), createdAt: new Date(1000), rotationType: null });
      await tx.insertMaterial({ keyId: id, materialId: 'bb', wrapped: Buffer.from([2]), createdAt: new Date(2000), rotationType: 'ON_DEMAND' });
      await tx.insertMaterial({ keyId: id, materialId: 'cc', wrapped: Buffer.from([3]), createdAt: new Date(3000), rotationType: 'AUTOMATIC' });
      // Same millisecond: insertion order decides, so the newest material is listed last.
      await tx.insertMaterial({ keyId: id, materialId: '00', wrapped: Buffer.from([4]), createdAt: new Date(3000), rotationType: 'ON_DEMAND' });
    });
    assert.deepEqual(await store.read((tx) => tx.getKey(id)), k);
    const materials = await store.read((tx) => tx.listMaterials(id));
    assert.deepEqual(materials.map((m) => [m.materialId, m.rotationType]), [['aa', null], ['bb', 'ON_DEMAND'], ['cc', 'AUTOMATIC'], ['00', 'ON_DEMAND']]);
    await store.transaction((tx) => tx.updateKey(id, { currentMaterialId: 'cc', rotationPeriodDays: null, nextRotationDate: null, onDemandRotations: 3 }));
    assert.deepEqual(await store.read((tx) => tx.getKey(id)),
      { ...k, currentMaterialId: 'cc', rotationPeriodDays: null, nextRotationDate: null, onDemandRotations: 3 });
  });

  withStore('imported material round-trips, updates in place, expires and deletes; keys keep their manager and ValidTo', async (store) => {
    const id = uuid(20);
    const k = key(id, { origin: 'EXTERNAL', keyManager: 'AWS', validTo: new Date(9000) });
    const imported = { state: 'IMPORTED' as const, expiresAt: new Date(9000), description: 'first', pendingRotation: false };
    await store.transaction(async (tx) => {
      await tx.insertKey(k);
      await tx.insertMaterial({ keyId: id, materialId: 'aa', wrapped: Buffer.from([1]), createdAt: new Date(1000), rotationType: null, imported });
      await tx.insertMaterial({ keyId: id, materialId: 'bb', wrapped: Buffer.from([2]), createdAt: new Date(2000), rotationType: null,
        imported: { state: 'IMPORTED', expiresAt: null, description: null, pendingRotation: true } });
    });
    assert.deepEqual(await store.read((tx) => tx.getKey(id)), k);
    const [first, second] = await store.read((tx) => tx.listMaterials(id));
    assert.deepEqual(first?.imported, imported);
    assert.equal(second?.imported?.pendingRotation, true);
    assert.deepEqual((await store.read((tx) => tx.materialsDueToExpire(new Date(8999)))), []);
    assert.deepEqual((await store.read((tx) => tx.materialsDueToExpire(new Date(9000)))).map((m) => m.materialId), ['aa']);

    await store.transaction((tx) => tx.updateMaterial(id, 'bb', { wrapped: Buffer.from([3]), createdAt: new Date(2000), rotationType: 'ON_DEMAND', rotatedAt: new Date(5000),
      imported: { state: 'IMPORTED', expiresAt: null, description: 'second', pendingRotation: false } }));
    await store.transaction((tx) => tx.updateMaterial(id, 'aa', { wrapped: Buffer.alloc(0), createdAt: new Date(1000), rotationType: null,
      imported: { ...imported, state: 'PENDING_IMPORT', expiresAt: null } }));
    const updated = await store.read((tx) => tx.listMaterials(id));
    assert.deepEqual(updated.map((m) => [m.materialId, m.wrapped.length, m.imported?.state, m.rotationType, m.rotatedAt?.getTime()]),
      [['aa', 0, 'PENDING_IMPORT', null, undefined], ['bb', 1, 'IMPORTED', 'ON_DEMAND', 5000]]);
    assert.deepEqual(await store.read((tx) => tx.materialsDueToExpire(new Date(99_999))), [], 'material pending import does not expire again');
    await store.transaction((tx) => tx.deleteMaterial(id, 'bb'));
    assert.deepEqual((await store.read((tx) => tx.listMaterials(id))).map((m) => m.materialId), ['aa']);
  });

  withStore('keysDueForRotation returns enabled keys whose next rotation date has passed, earliest first', async (store) => {
    await store.transaction(async (tx) => {
      await tx.insertKey(key(uuid(11), { rotationPeriodDays: 90, nextRotationDate: new Date(1500) }));
      await tx.insertKey(key(uuid(12), { rotationPeriodDays: 90, nextRotationDate: new Date(1000) }));
      await tx.insertKey(key(uuid(13), { rotationPeriodDays: 90, nextRotationDate: new Date(5000) }));
      await tx.insertKey(key(uuid(14)));
      await tx.insertKey(key(uuid(15), { state: 'Disabled', rotationPeriodDays: 90, nextRotationDate: new Date(1000) }));
    });
    const due = await store.read((tx) => tx.keysDueForRotation(new Date(2000)));
    assert.deepEqual(due.map((k) => k.id), [uuid(12), uuid(11)]);
  });

  withStore('tags overwrite by key and page in key order', async (store) => {
    const id = uuid(7);
    await store.transaction(async (tx) => {
      await tx.insertKey(key(id));
      await tx.putTags(id, [{ TagKey: 'b', TagValue: '1' }, { TagKey: 'a', TagValue: '1' }]);
      await tx.putTags(id, [{ TagKey: 'b', TagValue: '2' }]);
    });
    const first = await store.transaction((tx) => tx.listTags(id, undefined, 1));
    assert.deepEqual(first.items, [{ TagKey: 'a', TagValue: '1' }]);
    const second = await store.transaction((tx) => tx.listTags(id, first.next, 1));
    assert.deepEqual(second.items, [{ TagKey: 'b', TagValue: '2' }]);
    assert.equal(second.next, undefined);
  });

  withStore('the change token moves on a commit by this or another connection (seen by its next read at the latest), not on a read', async (store) => {
    const before = store.changeToken();
    await store.transaction((tx) => tx.getKey(uuid(8)));
    assert.equal(store.changeToken(), before);
    await store.transaction((tx) => tx.insertKey(key(uuid(8))));
    const afterOwn = store.changeToken();
    assert.notEqual(afterOwn, before);
    const other = await factory.connectAgain();
    try {
      await other.transaction((tx) => tx.updateKey(uuid(8), { state: 'Disabled' }));
    } finally {
      await other.close();
    }
    // SQLite sees another connection's commit at once; PostgreSQL by this store's next read (or poll).
    await store.read((tx) => tx.getMeta('x'));
    assert.notEqual(store.changeToken(), afterOwn);
  });

  withStore('a read that tries to write fails and writes nothing', async (store) => {
    await assert.rejects(store.read((tx) => tx.setMeta('x', '1')));
    assert.equal(await store.read((tx) => tx.getMeta('x')), undefined);
  });

  withStore('concurrent transactions are serialised', async (store) => {
    await store.transaction((tx) => tx.setMeta('n', '0'));
    await Promise.all(
      Array.from({ length: 20 }, () =>
        store.transaction(async (tx) => {
          const n = Number(await tx.getMeta('n'));
          await new Promise((r) => setImmediate(r)); // let the others try to interleave
          await tx.setMeta('n', String(n + 1));
        }),
      ),
    );
    assert.equal(await store.transaction((tx) => tx.getMeta('n')), '20');
  });
}
