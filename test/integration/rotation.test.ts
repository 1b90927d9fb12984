// Automatic rotation is driven by the stored schedule: a key rotates when its period has passed and
// not before, once even when several schedulers share the store. Time moves by the test clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, EnableKeyRotationCommand, GetKeyRotationStatusCommand, ListKeyRotationsCommand } from '@aws-sdk/client-kms';
import { DAY_MS, TestClock } from '../../src/core/clock.js';
import { rotateDueKeys } from '../../src/service/rotation-scheduler.js';
import { removeDir, tempDir } from '../harness/server.js';
import { startInProcess } from '../harness/in-process.js';

test('a 90-day key rotates on day 90 and not before, and its next rotation moves on by 90 days', async (t) => {
  const dir = tempDir();
  const clock = new TestClock();
  const server = await startInProcess(dir, clock);
  t.after(async () => {
    await server.close();
    removeDir(dir);
  });
  let kms = server.client();
  const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId ?? '';
  await kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('before') }));
  const firstMaterial = (await kms.send(new DecryptCommand({ CiphertextBlob }))).KeyMaterialId;
  const scheduled = (await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).NextRotationDate;

  clock.advance(90 * DAY_MS - 1000);
  await server.app.rotation.runNow();
  kms = server.client(); // signs with the moved clock
  assert.deepEqual((await kms.send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations, [], 'not rotated before day 90');

  clock.advance(1000);
  await server.app.rotation.runNow();
  kms = server.client();
  const rotations = (await kms.send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations ?? [];
  assert.equal(rotations.length, 1);
  assert.equal(rotations[0]?.RotationType, 'AUTOMATIC');
  const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
  assert.equal(status.NextRotationDate?.getTime(), (scheduled?.getTime() ?? 0) + 90 * DAY_MS);

  // New ciphertexts use the new material; the old one still decrypts.
  const fresh = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('after') }));
  const freshMaterial = (await kms.send(new DecryptCommand({ CiphertextBlob: fresh.CiphertextBlob }))).KeyMaterialId;
  assert.notEqual(freshMaterial, firstMaterial);
  assert.equal(freshMaterial, rotations[0]?.KeyMaterialId);
  assert.equal((await kms.send(new DecryptCommand({ CiphertextBlob }))).KeyMaterialId, firstMaterial);
});

// Two processes on one file are the real case; in one process two SQLite connections would block
// each other's event loop, so this races two runs on one store: both see the key due, one rotates it.
test('two scheduler runs at once, and one after, rotate a due key once', async (t) => {
  const dir = tempDir();
  const clock = new TestClock();
  const server = await startInProcess(dir, clock);
  t.after(async () => {
    await server.close();
    removeDir(dir);
  });
  const keyId = (await server.client().send(new CreateKeyCommand({}))).KeyMetadata?.KeyId ?? '';
  await server.client().send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
  clock.advance(90 * DAY_MS);
  const [first, second] = await Promise.all([rotateDueKeys(server.app.deps), rotateDueKeys(server.app.deps)]);
  assert.equal(first.length + second.length, 1);
  assert.deepEqual(await rotateDueKeys(server.app.deps), []);
  assert.equal((await server.client().send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations?.length, 1);
});

test('a restart on day 89 keeps the schedule: the key rotates on day 90, once, and not at start-up', async (t) => {
  const dir = tempDir();
  const clock = new TestClock();
  let server = await startInProcess(dir, clock);
  t.after(async () => {
    await server.close();
    removeDir(dir);
  });
  const keyId = (await server.client().send(new CreateKeyCommand({}))).KeyMetadata?.KeyId ?? '';
  await server.client().send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));

  clock.advance(89 * DAY_MS);
  await server.close();
  server = await startInProcess(dir, clock); // the scheduler runs at start, as after a real restart
  await server.app.rotation.runNow();
  assert.deepEqual((await server.client().send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations, [], 'not rotated on day 89');

  clock.advance(DAY_MS);
  await server.app.rotation.runNow();
  await server.app.rotation.runNow();
  assert.equal((await server.client().send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations?.length, 1, 'rotated once on day 90');
});
