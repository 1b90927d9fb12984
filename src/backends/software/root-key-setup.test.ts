// The root key's first-start setup when several nodes start at once on one new store.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { systemRandom } from '../../core/clock.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { openRootKey } from './root-key-setup.js';

test('nodes starting together with one passphrase on a new store end up with one root key', { timeout: 30_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-root-'));
  const store = SqliteStore.open(join(dir, 'keyhold.db'));
  t.after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const source = { dataDir: dir, passphrase: 'one passphrase for every node' };
  // Both read the store as new before either records its salt and check value.
  const [first, second] = await Promise.all([openRootKey(store, source, systemRandom), openRootKey(store, source, systemRandom)]);
  const later = await openRootKey(store, source, systemRandom);
  for (const [name, root] of [['first', first], ['second', second]] as const) {
    const wrapped = root.wrap(Buffer.from('secret'), 'ctx');
    assert.deepEqual(later.unwrap(wrapped, 'ctx'), Buffer.from('secret'), `what the ${name} node wrapped opens with the recorded root key`);
  }
});
