// Audit upkeep in a server with the test clock: digests sign the chain head, retention removes
// events past the period at a signed checkpoint, and the trail that remains verifies with the
// public key stored beside it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { CreateKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { storedPublicKey } from '../../src/audit/signing-key.js';
import { verifyTrail } from '../../src/audit/verify.js';
import { DAY_MS, TestClock } from '../../src/core/clock.js';
import { removeDir, tempDir } from '../harness/server.js';
import { startInProcess } from '../harness/in-process.js';
import { pinnedDatabase } from '../../src/store/sqlite/pin.js';

test('events past KEYHOLD_AUDIT_RETENTION_DAYS go at the next digest, and the rest still verifies', async (t) => {
  const dir = tempDir();
  const server = await startInProcess(dir, new TestClock(), { audit: { enabled: true, retentionDays: 30 } });
  t.after(async () => {
    await server.close();
    removeDir(dir);
  });
  const upkeep = server.app.auditUpkeep;
  assert.ok(upkeep);
  const encryptSome = async (n: number): Promise<void> => {
    const kms = server.client();
    const KeyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId;
    for (let i = 0; i < n; i++) await kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from('kept a while') }));
  };
  await encryptSome(5);
  // Signs head 6 (the upkeep's start-up run, which waits for its lease, may have signed an earlier
  // head or this one first: either way, 6 is the newest signed head).
  await upkeep.digestNow();
  const signedHeads = (): unknown[] => {
    const db = pinnedDatabase(new Database(join(dir, 'audit.db'), { readonly: true }));
    try {
      return db.prepare('SELECT head_seq FROM audit_digests ORDER BY seq').pluck().all();
    } finally {
      db.close();
    }
  };
  assert.equal(signedHeads().at(-1), 6);
  assert.equal(await upkeep.digestNow(), undefined, 'no new events, no new digest');

  server.clock.advance(31 * DAY_MS);
  await encryptSome(3);
  await upkeep.runNow(); // signs the new head, then applies retention
  const db = pinnedDatabase(new Database(join(dir, 'audit.db'), { readonly: true }));
  t.after(() => db.close());
  assert.deepEqual(db.prepare('SELECT seq FROM audit_events ORDER BY seq').pluck().all(), [7, 8, 9, 10]);
  const publicKey = await storedPublicKey(server.app.deps.store);
  assert.ok(publicKey);
  const report = verifyTrail(db, publicKey);
  assert.deepEqual(report.problems, []);
  assert.equal(report.signedThrough, 10);
});
