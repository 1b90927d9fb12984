// Key rotation through the official AWS SDK against the real server: EnableKeyRotation,
// DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand and ListKeyRotations, with AWS's
// errors for keys that cannot rotate or are not enabled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DecryptCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  ListKeyRotationsCommand,
  ReEncryptCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  type RotationsListEntry,
} from '@aws-sdk/client-kms';
import { serverForFile, type RunningServer } from '../harness/server.js';
import { createKey, expectError, text } from './api-helpers.js';

let server: RunningServer;
serverForFile((s) => void (server = s));

const DAY_MS = 86_400_000;

test('EnableKeyRotation turns rotation on with a default period of 365 days, DisableKeyRotation turns it off', async () => {
  const kms = server.client();
  const { KeyId } = await createKey(kms);
  const before = await kms.send(new GetKeyRotationStatusCommand({ KeyId }));
  assert.equal(before.KeyRotationEnabled, false);
  assert.equal(before.NextRotationDate, undefined);

  await kms.send(new EnableKeyRotationCommand({ KeyId }));
  const on = await kms.send(new GetKeyRotationStatusCommand({ KeyId }));
  assert.equal(on.KeyRotationEnabled, true);
  assert.equal(on.RotationPeriodInDays, 365);
  assert.ok(on.KeyId?.endsWith(KeyId));
  const untilNext = (on.NextRotationDate?.getTime() ?? 0) - Date.now();
  assert.ok(Math.abs(untilNext - 365 * DAY_MS) < DAY_MS, `next rotation in ${untilNext} ms`);

  await kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 90 }));
  assert.equal((await kms.send(new GetKeyRotationStatusCommand({ KeyId }))).RotationPeriodInDays, 90);

  await kms.send(new DisableKeyRotationCommand({ KeyId }));
  const off = await kms.send(new GetKeyRotationStatusCommand({ KeyId }));
  assert.equal(off.KeyRotationEnabled, false);
  assert.equal(off.RotationPeriodInDays, undefined);
});

test('RotationPeriodInDays is 90 to 2560 days', async () => {
  const kms = server.client();
  const { KeyId } = await createKey(kms);
  await expectError(kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 89 })), 'ValidationException', 400);
  await expectError(kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 2561 })), 'ValidationException', 400);
  await kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 2560 }));
  assert.equal((await kms.send(new GetKeyRotationStatusCommand({ KeyId }))).RotationPeriodInDays, 2560);
});

test('after five on-demand rotations a ciphertext from each material decrypts, and ReEncrypt moves one to the newest', async () => {
  const kms = server.client();
  const { KeyId } = await createKey(kms);
  const sealed: { blob: Uint8Array; materialId: string }[] = [];
  for (let i = 0; i <= 5; i++) {
    if (i > 0) assert.ok((await kms.send(new RotateKeyOnDemandCommand({ KeyId }))).KeyId?.endsWith(KeyId));
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from(`m${i}`) }));
    assert.ok(CiphertextBlob);
    const { KeyMaterialId } = await kms.send(new DecryptCommand({ CiphertextBlob }));
    assert.ok(KeyMaterialId);
    sealed.push({ blob: CiphertextBlob, materialId: KeyMaterialId });
  }
  assert.equal(new Set(sealed.map((s) => s.materialId)).size, 6, 'each rotation made new ciphertexts use new material');
  for (const [i, s] of sealed.entries()) {
    const out = await kms.send(new DecryptCommand({ CiphertextBlob: s.blob }));
    assert.equal(text(out.Plaintext), `m${i}`);
    assert.equal(out.KeyMaterialId, s.materialId);
  }
  const oldest = sealed[0];
  const newest = sealed[5];
  assert.ok(oldest && newest);
  const moved = await kms.send(new ReEncryptCommand({ CiphertextBlob: oldest.blob, DestinationKeyId: KeyId }));
  assert.equal(moved.SourceKeyMaterialId, oldest.materialId);
  assert.equal(moved.DestinationKeyMaterialId, newest.materialId);
  const back = await kms.send(new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob }));
  assert.equal(text(back.Plaintext), 'm0');
  assert.equal(back.KeyMaterialId, newest.materialId);
});

test('ListKeyRotations pages through the rotations oldest first; ALL_KEY_MATERIAL adds the first material', async () => {
  const kms = server.client();
  const { KeyId, Arn } = await createKey(kms);
  assert.deepEqual((await kms.send(new ListKeyRotationsCommand({ KeyId }))).Rotations, []);
  for (let i = 0; i < 5; i++) await kms.send(new RotateKeyOnDemandCommand({ KeyId }));

  const seen: RotationsListEntry[] = [];
  let Marker: string | undefined;
  let pages = 0;
  do {
    const page = await kms.send(new ListKeyRotationsCommand({ KeyId, Limit: 2, ...(Marker ? { Marker } : {}) }));
    pages++;
    seen.push(...(page.Rotations ?? []));
    assert.equal(page.Truncated, page.NextMarker !== undefined);
    Marker = page.NextMarker;
  } while (Marker !== undefined);
  assert.equal(pages, 3);
  assert.equal(seen.length, 5);
  assert.ok(seen.every((r) => r.KeyId === Arn && r.RotationType === 'ON_DEMAND' && r.RotationDate instanceof Date));
  assert.equal(new Set(seen.map((r) => r.KeyMaterialId)).size, 5);
  assert.deepEqual(seen.map((r) => r.KeyMaterialState), ['NON_CURRENT', 'NON_CURRENT', 'NON_CURRENT', 'NON_CURRENT', 'CURRENT']);

  const all = await kms.send(new ListKeyRotationsCommand({ KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }));
  assert.equal(all.Rotations?.length, 6);
  const first = all.Rotations?.[0];
  assert.equal(first?.RotationType, undefined);
  assert.equal(first?.RotationDate, undefined);
  await expectError(kms.send(new ListKeyRotationsCommand({ KeyId, Marker: 'not-a-marker' })), 'InvalidMarkerException', 400);
});

test('HMAC and asymmetric keys do not rotate: UnsupportedOperationException, and their status is false', async () => {
  const kms = server.client();
  const hmac = await createKey(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
  const rsa = await createKey(kms, { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
  for (const { KeyId } of [hmac, rsa]) {
    await expectError(kms.send(new EnableKeyRotationCommand({ KeyId })), 'UnsupportedOperationException', 400);
    await expectError(kms.send(new DisableKeyRotationCommand({ KeyId })), 'UnsupportedOperationException', 400);
    await expectError(kms.send(new RotateKeyOnDemandCommand({ KeyId })), 'UnsupportedOperationException', 400);
    await expectError(kms.send(new ListKeyRotationsCommand({ KeyId })), 'UnsupportedOperationException', 400);
    assert.equal((await kms.send(new GetKeyRotationStatusCommand({ KeyId }))).KeyRotationEnabled, false);
  }
});

test('a disabled key is DisabledException and a key pending deletion KMSInvalidStateException; its status reads false', async () => {
  const kms = server.client();
  const disabled = await createKey(kms);
  await kms.send(new DisableKeyCommand({ KeyId: disabled.KeyId }));
  await expectError(kms.send(new EnableKeyRotationCommand({ KeyId: disabled.KeyId })), 'DisabledException', 409);
  await expectError(kms.send(new RotateKeyOnDemandCommand({ KeyId: disabled.KeyId })), 'DisabledException', 409);
  assert.equal((await kms.send(new GetKeyRotationStatusCommand({ KeyId: disabled.KeyId }))).KeyRotationEnabled, false);

  const pending = await createKey(kms);
  await kms.send(new EnableKeyRotationCommand({ KeyId: pending.KeyId }));
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: pending.KeyId, PendingWindowInDays: 7 }));
  await expectError(kms.send(new RotateKeyOnDemandCommand({ KeyId: pending.KeyId })), 'KMSInvalidStateException', 409);
  await expectError(kms.send(new DisableKeyRotationCommand({ KeyId: pending.KeyId })), 'KMSInvalidStateException', 409);
  assert.equal((await kms.send(new GetKeyRotationStatusCommand({ KeyId: pending.KeyId }))).KeyRotationEnabled, false);
  assert.equal((await kms.send(new ListKeyRotationsCommand({ KeyId: pending.KeyId }))).Rotations?.length, 0);
});

test('on-demand rotation stops at 25 per key with LimitExceededException', async () => {
  const kms = server.client();
  const { KeyId } = await createKey(kms);
  for (let i = 0; i < 25; i++) await kms.send(new RotateKeyOnDemandCommand({ KeyId }));
  await expectError(kms.send(new RotateKeyOnDemandCommand({ KeyId })), 'LimitExceededException', 400);
  assert.equal((await kms.send(new ListKeyRotationsCommand({ KeyId }))).Rotations?.length, 25);
});
