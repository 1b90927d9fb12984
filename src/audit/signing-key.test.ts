// The audit signing key: created once however many processes ask at once, stored only wrapped
// under the root key, its public half stored in the clear and matching it.
import assert from 'node:assert/strict';
import { createSecretKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { RootKey } from '../backends/software/root-key.js';
import { SoftwareBackend } from '../backends/software/software-backend.js';
import { systemRandom } from '../core/clock.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { AuditSigningKey, PUBLIC_KEY_META, SIGNING_KEY_META, storedPublicKey } from './signing-key.js';
import { pinnedDatabase } from '../store/sqlite/pin.js';

const dirs: string[] = [];
const stores: SqliteStore[] = [];
after(async () => {
  await Promise.all(stores.map((s) => s.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** `count` connections to one fresh store (the processes of one server) and one root key. */
function freshStore(count: number): { stores: SqliteStore[]; backend: SoftwareBackend; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-audit-key-'));
  dirs.push(dir);
  const path = join(dir, 'keyhold.db');
  const opened = Array.from({ length: count }, () => SqliteStore.open(path));
  stores.push(...opened);
  return { stores: opened, backend: new SoftwareBackend(new RootKey(createSecretKey(systemRandom.bytes(32)), systemRandom), systemRandom), path };
}

test('no public key is stored before the first signer is asked for', async () => {
  const { stores: [store] } = freshStore(1);
  assert.ok(store);
  assert.equal(await storedPublicKey(store), undefined);
});

// Processes racing to create it: test/integration/audit-processes.test.ts (one thread cannot hold two
// SQLite write transactions without blocking itself).
test('every process opens the key pair the first one created, and its stored public key verifies its signatures', async () => {
  const { stores: opened, backend } = freshStore(3);
  const signers = [];
  for (const s of opened) signers.push(await new AuditSigningKey(s, backend).signer());
  const pems = new Set(signers.map((s) => s.publicKeyPem));
  assert.equal(pems.size, 1);
  const [store] = opened;
  assert.ok(store);
  const stored = await storedPublicKey(store);
  assert.equal(stored, signers[0]?.publicKeyPem);
  assert.match(stored ?? '', /^-----BEGIN PUBLIC KEY-----\n/);
  const message = Buffer.from('{"version":1}');
  for (const s of signers) assert.equal(verify(null, message, stored ?? '', s.sign(message)), true);
});

test('the private key is stored only wrapped: no PKCS#8 in the meta value or the database file', async () => {
  const { stores: [store], backend, path } = freshStore(1);
  assert.ok(store);
  await new AuditSigningKey(store, backend).signer();
  const wrapped = (await store.read((tx) => tx.getMeta(SIGNING_KEY_META))) ?? '';
  assert.match(wrapped, /^[0-9a-f]{64}\.[A-Za-z0-9+/]+=*$/);
  await store.scrub();
  const file = readFileSync(path);
  assert.equal(file.includes('PRIVATE KEY'), false);
  // Ed25519 PKCS#8 DER starts with this prefix; the raw key would follow it.
  assert.equal(file.includes(Buffer.from('302e020100300506032b657004220420', 'hex')), false);
});

test('a stored public key that is not the signing key\'s is refused rather than used', async () => {
  const { stores: [store, other], backend } = freshStore(2);
  assert.ok(store && other);
  await new AuditSigningKey(store, backend).signer();
  const foreign = (await freshSigner()).publicKeyPem;
  await store.transaction((tx) => tx.setMeta(PUBLIC_KEY_META, foreign));
  await assert.rejects(new AuditSigningKey(other, backend).signer(), /does not belong to the audit signing key/);
});

test('a signing key without its public key is refused, never replaced', async () => {
  const { stores: [store, other], backend, path } = freshStore(2);
  assert.ok(store && other);
  const first = await new AuditSigningKey(store, backend).signer();
  const db = pinnedDatabase(new Database(path));
  db.prepare('DELETE FROM meta WHERE name = ?').run(PUBLIC_KEY_META);
  db.close();
  await assert.rejects(new AuditSigningKey(other, backend).signer(), /public key is missing/);
  assert.equal(await store.read((tx) => tx.getMeta(SIGNING_KEY_META)) !== undefined, true);
  assert.ok(first.publicKeyPem);
});

async function freshSigner(): Promise<{ publicKeyPem: string }> {
  const { stores: [store], backend } = freshStore(1);
  assert.ok(store);
  return new AuditSigningKey(store, backend).signer();
}
