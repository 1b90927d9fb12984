// Time-bound parts of importing key material, with the test clock: an import token works for 24
// hours and no longer, and material imported with ValidTo stops working at that instant — refused
// at once, then deleted by the scheduler — until the same material is imported again.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateKeyCommand, DecryptCommand, DeleteImportedKeyMaterialCommand, RotateKeyOnDemandCommand, DescribeKeyCommand, EncryptCommand, GetParametersForImportCommand, ImportKeyMaterialCommand } from '@aws-sdk/client-kms';
import { DAY_MS, TestClock } from '../../src/core/clock.js';
import { removeDir, tempDir } from '../harness/server.js';
import { startInProcess, type InProcessServer } from '../harness/in-process.js';
import { expectError, text } from '../blackbox/api-helpers.js';
import { importMaterial, wrapWithNode } from '../blackbox/import-helpers.js';
import { filesUnder } from '../harness/files.js';

async function serverWithClock(t: { after(fn: () => Promise<void>): void }, dir = tempDir()): Promise<InProcessServer> {
  const server = await startInProcess(dir, new TestClock());
  t.after(async () => {
    await server.close();
    removeDir(dir);
  });
  return server;
}

test('an import token expires 24 hours after GetParametersForImport', async (t) => {
  const server = await serverWithClock(t);
  const kms = server.client();
  const KeyId = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata?.KeyId ?? '';
  const params = await kms.send(new GetParametersForImportCommand({ KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
  const request = {
    KeyId, ImportToken: params.ImportToken, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' as const,
    EncryptedKeyMaterial: wrapWithNode(params.PublicKey ?? new Uint8Array(), 'RSAES_OAEP_SHA_256', randomBytes(32)),
  };
  server.clock.advance(DAY_MS);
  await expectError(server.client().send(new ImportKeyMaterialCommand(request)), 'ExpiredImportTokenException', 400);
  server.clock.advance(-1000);
  await server.client().send(new ImportKeyMaterialCommand(request));
});

test('material stops working at ValidTo, the scheduler deletes it, and re-importing it restores the key', async (t) => {
  const server = await serverWithClock(t);
  let kms = server.client();
  const KeyId = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata?.KeyId ?? '';
  const material = randomBytes(32);
  const validTo = new Date(server.clock.now().getTime() + 10 * DAY_MS);
  await importMaterial(kms, KeyId, material, { ValidTo: validTo });
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from('until day 10') }));

  server.clock.advance(10 * DAY_MS - 1000);
  await server.app.deletion.runNow();
  kms = server.client();
  assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext), 'until day 10', 'usable until ValidTo');

  server.clock.advance(1000);
  kms = server.client();
  // Before the scheduler has run, the key already refuses to use expired material.
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob })), 'KMSInvalidStateException', 409);
  await server.app.deletion.runNow();
  const described = (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata;
  assert.equal(described?.KeyState, 'PendingImport');
  assert.equal(described?.ValidTo, undefined);
  await expectError(kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from('x') })), 'KMSInvalidStateException', 409);

  await importMaterial(kms, KeyId, material);
  assert.equal((await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata?.KeyState, 'Enabled');
  assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext), 'until day 10');
});

test('DeleteImportedKeyMaterial leaves no copy of the wrapped material in the store files', async (t) => {
  const dir = tempDir();
  const server = await serverWithClock(t, dir);
  const kms = server.client();
  const KeyId = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata?.KeyId ?? '';
  await importMaterial(kms, KeyId, randomBytes(32));
  const [stored] = await server.app.deps.store.read((tx) => tx.listMaterials(KeyId));
  const wrapped = stored?.wrapped ?? Buffer.alloc(0);
  assert.ok(wrapped.length > 32);
  const filesHolding = (): string[] => filesUnder(dir).filter((name) => readFileSync(join(dir, name)).includes(wrapped));
  assert.ok(filesHolding().length > 0, 'the wrapped material is in the store before deletion');

  await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId }));
  assert.deepEqual(filesHolding(), []);
});

test('material imported for a rotation that expires first is not rotated to; the key keeps its current material', async (t) => {
  const server = await serverWithClock(t);
  let kms = server.client();
  const KeyId = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata?.KeyId ?? '';
  const currentId = await importMaterial(kms, KeyId, randomBytes(32));
  await importMaterial(kms, KeyId, randomBytes(32), { ImportType: 'NEW_KEY_MATERIAL', ValidTo: new Date(server.clock.now().getTime() + 5 * DAY_MS) });
  server.clock.advance(5 * DAY_MS);
  await server.app.deletion.runNow();
  kms = server.client();
  await expectError(kms.send(new RotateKeyOnDemandCommand({ KeyId })), 'KMSInvalidStateException', 409);
  const described = (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata;
  assert.equal(described?.KeyState, 'Enabled', 'pending material does not bind the key');
  assert.equal(described?.CurrentKeyMaterialId, currentId);
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from('still usable') }));
  assert.equal((await kms.send(new DecryptCommand({ CiphertextBlob }))).KeyMaterialId, currentId);
});
