// Scheduled deletion is real and durable: after the window the key and its material are gone for
// good, across restarts; before it, nothing is lost. Time moves by the test clock, not by sleeping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancelKeyDeletionCommand, CreateAliasCommand, CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, ListAliasesCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DAY_MS, TestClock } from '../../src/core/clock.js';
import { removeDir, tempDir } from '../harness/server.js';
import { startInProcess } from '../harness/in-process.js';
import { pin } from '../../src/store/sqlite/pin.js';

test('a key past its pending window is destroyed, and stays destroyed after a restart', async (t) => {
  const dir = tempDir();
  const clock = new TestClock();
  let server = await startInProcess(dir, clock);
  t.after(async () => {
    await server.close().catch(() => undefined);
    removeDir(dir);
  });
  let kms = server.client();
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  const keyId = KeyMetadata?.KeyId ?? '';
  await kms.send(new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: keyId }));
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('secret') }));
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));

  // Day 6: still pending; restart in between to prove the deadline is durable.
  await server.close();
  clock.advance(6 * DAY_MS);
  server = await startInProcess(dir, clock);
  kms = server.client();
  await server.app.deletion.runNow();
  assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState, 'PendingDeletion');
  await kms.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));

  // Seven days after the new schedule: the scheduler destroys it.
  await server.close();
  clock.advance(7 * DAY_MS + 1000);
  server = await startInProcess(dir, clock);
  kms = server.client();
  await server.app.deletion.runNow();
  await assert.rejects(kms.send(new DescribeKeyCommand({ KeyId: keyId })), { name: 'NotFoundException' });
  await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob })), { name: 'InvalidCiphertextException' });
  assert.deepEqual((await kms.send(new ListAliasesCommand({}))).Aliases, []);
  await server.close();

  // The material is gone from the database file itself, not just hidden.
  const db = pin(new Database(join(dir, 'keyhold.db'), { readonly: true }));
  assert.equal((pin(db.prepare('SELECT COUNT(*) AS n FROM key_materials WHERE key_id = ?')).get(keyId) as { n: number }).n, 0);
  db.close();
});

test('a key whose window has not ended is kept by the scheduler', async (t) => {
  const dir = tempDir();
  const server = await startInProcess(dir);
  t.after(async () => {
    await server.close();
    removeDir(dir);
  });
  const { KeyMetadata } = await server.client().send(new CreateKeyCommand({}));
  await server.client().send(new ScheduleKeyDeletionCommand({ KeyId: KeyMetadata?.KeyId, PendingWindowInDays: 30 }));
  server.clock.advance(30 * DAY_MS - 60_000);
  await server.app.deletion.runNow();
  // A new client: the SDK signs with its own clock, which must follow the test clock.
  const kms = server.client();
  assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: KeyMetadata?.KeyId }))).KeyMetadata?.KeyState, 'PendingDeletion');
});
