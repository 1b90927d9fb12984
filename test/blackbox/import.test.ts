// Imported key material (bring your own key) through the official AWS SDK against the real server:
// CreateKey with Origin EXTERNAL, GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial,
// with material wrapped by the openssl command and by Node's crypto, for symmetric, HMAC and
// asymmetric keys — and the break-glass switch: deleting the material makes every ciphertext
// unreadable, re-importing it brings them all back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { constants, createHmac, createPublicKey, generateKeyPairSync, publicEncrypt, randomBytes, verify } from 'node:crypto';
import {
  CancelKeyDeletionCommand,
  DecryptCommand,
  DeleteImportedKeyMaterialCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateMacCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  ListKeyRotationsCommand,
  PutKeyPolicyCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { serverForFile, type RunningServer } from '../harness/server.js';
import { createKey, expectError, text } from './api-helpers.js';
import { importMaterial, wrapWithNode, wrapWithOpenssl } from './import-helpers.js';

let server: RunningServer;
serverForFile((s) => void (server = s));

const external = (kms: KMSClient, input: Parameters<typeof createKey>[1] = {}) => createKey(kms, { Origin: 'EXTERNAL', ...input });
const stateOf = async (kms: KMSClient, KeyId: string) => (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata?.KeyState;

test('symmetric: openssl OAEP-SHA256 import, break-glass delete, re-import with the RSA_AES_KEY_WRAP composite restores the ciphertexts', async () => {
  const kms = server.client();
  const key = await external(kms);
  assert.equal(key.KeyState, 'PendingImport');
  assert.equal(key.Origin, 'EXTERNAL');
  assert.equal(key.ExpirationModel, undefined);
  assert.equal(key.CurrentKeyMaterialId, undefined);
  await expectError(kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') })), 'KMSInvalidStateException', 409);

  const params = await kms.send(new GetParametersForImportCommand({ KeyId: key.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
  assert.equal(params.KeyId, key.Arn);
  assert.equal(createPublicKey({ key: Buffer.from(params.PublicKey ?? []), format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength, 2048);
  const lifetime = (params.ParametersValidTo?.getTime() ?? 0) - Date.now();
  assert.ok(Math.abs(lifetime - 24 * 3600_000) < 60_000, `token valid for ${lifetime} ms`);

  const material = randomBytes(32);
  const imported = await kms.send(new ImportKeyMaterialCommand({
    KeyId: key.KeyId, ImportToken: params.ImportToken, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    EncryptedKeyMaterial: wrapWithOpenssl(params.PublicKey ?? new Uint8Array(), 'RSAES_OAEP_SHA_256', material),
  }));
  assert.equal(imported.KeyId, key.Arn);
  assert.match(imported.KeyMaterialId ?? '', /^[0-9a-f]{64}$/);
  const described = (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata;
  assert.equal(described?.KeyState, 'Enabled');
  assert.equal(described?.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
  assert.equal(described?.CurrentKeyMaterialId, imported.KeyMaterialId);

  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('held by the customer') }));
  const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_256' }));
  assert.equal(dataKey.KeyMaterialId, imported.KeyMaterialId);

  const deleted = await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId }));
  assert.equal(deleted.KeyMaterialId, imported.KeyMaterialId);
  assert.equal(await stateOf(kms, key.KeyId), 'PendingImport');
  for (const call of [
    kms.send(new DecryptCommand({ CiphertextBlob })),
    kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob })),
    kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') })),
    kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_256' })),
  ]) {
    const failure = await expectError(call, 'KMSInvalidStateException', 409);
    assert.match(failure.message, /pending import/);
  }

  const again = await importMaterial(kms, key.KeyId, material, { algorithm: 'RSA_AES_KEY_WRAP_SHA_256', wrappingKeySpec: 'RSA_4096', wrap: wrapWithOpenssl });
  assert.equal(again, imported.KeyMaterialId, 'the same material has the same id');
  assert.equal(await stateOf(kms, key.KeyId), 'Enabled');
  assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext), 'held by the customer');
  assert.deepEqual((await kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }))).Plaintext, dataKey.Plaintext);
});

test('different material is refused once a key has material, whatever the key type', async () => {
  const kms = server.client();
  const symmetric = await external(kms);
  await importMaterial(kms, symmetric.KeyId, randomBytes(32));
  await expectError(importMaterial(kms, symmetric.KeyId, randomBytes(32)), 'IncorrectKeyMaterialException', 400);
  await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: symmetric.KeyId }));
  await expectError(importMaterial(kms, symmetric.KeyId, randomBytes(32)), 'IncorrectKeyMaterialException', 400);
  assert.equal(await stateOf(kms, symmetric.KeyId), 'PendingImport', 'a refused import changes nothing');

  const hmac = await external(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
  await importMaterial(kms, hmac.KeyId, randomBytes(32));
  await expectError(importMaterial(kms, hmac.KeyId, randomBytes(32)), 'IncorrectKeyMaterialException', 400);
});

test('an import token works only for its own key, only with its own wrapping, and only as issued', async () => {
  const kms = server.client();
  const [a, b] = [await external(kms), await external(kms)];
  const material = randomBytes(32);
  const forA = await kms.send(new GetParametersForImportCommand({ KeyId: a.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
  const wrapped = wrapWithNode(forA.PublicKey ?? new Uint8Array(), 'RSAES_OAEP_SHA_256', material);
  const base = { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' as const, EncryptedKeyMaterial: wrapped };

  await expectError(kms.send(new ImportKeyMaterialCommand({ ...base, KeyId: b.KeyId, ImportToken: forA.ImportToken })), 'InvalidImportTokenException', 400);
  const forged = Buffer.from(forA.ImportToken ?? []);
  forged[forged.length - 1] = (forged.at(-1) ?? 0) ^ 1;
  await expectError(kms.send(new ImportKeyMaterialCommand({ ...base, KeyId: a.KeyId, ImportToken: forged })), 'InvalidImportTokenException', 400);
  await expectError(kms.send(new ImportKeyMaterialCommand({ ...base, KeyId: a.KeyId, ImportToken: Buffer.from('not a token') })), 'InvalidImportTokenException', 400);

  // Wrapped with OAEP-SHA1 where the token says OAEP-SHA256: the material does not decrypt.
  const wrongAlgorithm = wrapWithNode(forA.PublicKey ?? new Uint8Array(), 'RSAES_OAEP_SHA_1', material);
  await expectError(kms.send(new ImportKeyMaterialCommand({ ...base, KeyId: a.KeyId, ImportToken: forA.ImportToken, EncryptedKeyMaterial: wrongAlgorithm })), 'InvalidCiphertextException', 400);
  // Wrapped under another import's public key.
  const other = await kms.send(new GetParametersForImportCommand({ KeyId: a.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
  const wrongKey = wrapWithNode(other.PublicKey ?? new Uint8Array(), 'RSAES_OAEP_SHA_256', material);
  await expectError(kms.send(new ImportKeyMaterialCommand({ ...base, KeyId: a.KeyId, ImportToken: forA.ImportToken, EncryptedKeyMaterial: wrongKey })), 'InvalidCiphertextException', 400);
  assert.equal(await stateOf(kms, a.KeyId), 'PendingImport');

  // The token is not used up by failures: the right material with it still imports.
  await kms.send(new ImportKeyMaterialCommand({ ...base, KeyId: a.KeyId, ImportToken: forA.ImportToken }));
  assert.equal(await stateOf(kms, a.KeyId), 'Enabled');
});

test('ExpirationModel and ValidTo follow AWS rules and show in DescribeKey', async () => {
  const kms = server.client();
  const key = await external(kms);
  const material = randomBytes(32);
  const day = 86_400_000;
  await expectError(importMaterial(kms, key.KeyId, material, { ExpirationModel: 'KEY_MATERIAL_EXPIRES' }), 'ValidationException', 400);
  await expectError(importMaterial(kms, key.KeyId, material, { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ValidTo: new Date(Date.now() + day) }), 'ValidationException', 400);
  await expectError(importMaterial(kms, key.KeyId, material, { ValidTo: new Date(Date.now() - 1000) }), 'ValidationException', 400);
  await expectError(importMaterial(kms, key.KeyId, material, { ValidTo: new Date(Date.now() + 366 * day) }), 'ValidationException', 400);
  const validTo = new Date(Math.floor((Date.now() + 30 * day) / 1000) * 1000);
  await importMaterial(kms, key.KeyId, material, { ValidTo: validTo });
  const described = (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata;
  assert.equal(described?.ExpirationModel, 'KEY_MATERIAL_EXPIRES');
  assert.equal(described?.ValidTo?.getTime(), validTo.getTime());
});

test('HMAC material imported with Node crypto (OAEP-SHA1, RSA_3072) is the key GenerateMac uses', async () => {
  const kms = server.client();
  const key = await external(kms, { KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC' });
  await expectError(importMaterial(kms, key.KeyId, randomBytes(47)), 'ValidationException', 400); // HMAC_384 takes 48 to 128 bytes
  const material = randomBytes(100);
  await importMaterial(kms, key.KeyId, material, { algorithm: 'RSAES_OAEP_SHA_1', wrappingKeySpec: 'RSA_3072' });
  const message = Buffer.from('authenticated by the customer key');
  const { Mac } = await kms.send(new GenerateMacCommand({ KeyId: key.KeyId, MacAlgorithm: 'HMAC_SHA_384', Message: message }));
  assert.deepEqual(Buffer.from(Mac ?? []), createHmac('sha384', material).update(message).digest());
  await expectError(importMaterial(kms, key.KeyId, material, { KeyMaterialDescription: 'only for symmetric keys' }), 'ValidationException', 400);
});

test('asymmetric material: an ECC signing key and an RSA encryption key imported as PKCS #8 are the keys in use', async () => {
  const kms = server.client();
  const ecc = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const signing = await external(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  const pkcs8 = ecc.privateKey.export({ type: 'pkcs8', format: 'der' });
  await importMaterial(kms, signing.KeyId, pkcs8, { algorithm: 'RSA_AES_KEY_WRAP_SHA_1', wrap: wrapWithOpenssl });
  const publicKey = (await kms.send(new GetPublicKeyCommand({ KeyId: signing.KeyId }))).PublicKey;
  assert.deepEqual(Buffer.from(publicKey ?? []), ecc.publicKey.export({ type: 'spki', format: 'der' }));
  const message = Buffer.from('signed with the customer key');
  const { Signature } = await kms.send(new SignCommand({ KeyId: signing.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }));
  assert.ok(verify('sha256', message, ecc.publicKey, Buffer.from(Signature ?? [])));
  const otherEcc = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'der' });
  await expectError(importMaterial(kms, signing.KeyId, otherEcc, { algorithm: 'RSA_AES_KEY_WRAP_SHA_1' }), 'IncorrectKeyMaterialException', 400);

  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const encryption = await external(kms, { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
  await expectError(kms.send(new GetParametersForImportCommand({ KeyId: encryption.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_4096' })), 'ValidationException', 400);
  const wrongSize = generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey.export({ type: 'pkcs8', format: 'der' });
  await expectError(importMaterial(kms, encryption.KeyId, wrongSize, { algorithm: 'RSA_AES_KEY_WRAP_SHA_256' }), 'ValidationException', 400);
  await importMaterial(kms, encryption.KeyId, rsa.privateKey.export({ type: 'pkcs8', format: 'der' }), { algorithm: 'RSA_AES_KEY_WRAP_SHA_256', wrappingKeySpec: 'RSA_3072' });
  const ciphertext = publicEncrypt({ key: rsa.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from('for the customer'));
  const { Plaintext } = await kms.send(new DecryptCommand({ KeyId: encryption.KeyId, CiphertextBlob: ciphertext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
  assert.equal(text(Plaintext), 'for the customer');
});

test('keys that were not created for import refuse the import operations', async () => {
  const kms = server.client();
  const { KeyId } = await createKey(kms);
  await expectError(kms.send(new GetParametersForImportCommand({ KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })), 'UnsupportedOperationException', 400);
  await expectError(kms.send(new ImportKeyMaterialCommand({ KeyId, ImportToken: Buffer.from('t'), EncryptedKeyMaterial: Buffer.from('m'), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' })), 'UnsupportedOperationException', 400);
  await expectError(kms.send(new DeleteImportedKeyMaterialCommand({ KeyId })), 'UnsupportedOperationException', 400);
  const external2 = await external(kms);
  await expectError(kms.send(new GetParametersForImportCommand({ KeyId: external2.KeyId, WrappingAlgorithm: 'RSAES_PKCS1_V1_5', WrappingKeySpec: 'RSA_2048' })), 'ValidationException', 400);
  await expectError(createKey(kms, { Origin: 'EXTERNAL', KeySpec: 'ML_DSA_65', KeyUsage: 'SIGN_VERIFY' }), 'UnsupportedOperationException', 400);
});

test('a symmetric key rotates on demand to material imported for it, and every material still decrypts', async () => {
  const kms = server.client();
  const key = await external(kms);
  const first = randomBytes(32);
  const firstId = await importMaterial(kms, key.KeyId, first);
  const before = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('first material') }));
  await expectError(kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })), 'KMSInvalidStateException', 409);

  const second = randomBytes(32);
  const secondId = await importMaterial(kms, key.KeyId, second, { ImportType: 'NEW_KEY_MATERIAL', KeyMaterialDescription: 'second' });
  const pending = (await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId }))).Rotations ?? [];
  assert.deepEqual(pending.map((r) => [r.KeyMaterialId, r.KeyMaterialState, r.ImportState, r.KeyMaterialDescription, r.RotationType]), [[secondId, 'PENDING_ROTATION', 'IMPORTED', 'second', undefined]]);
  assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata?.CurrentKeyMaterialId, firstId, 'not current before the rotation');

  await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
  const rotated = (await kms.send(new ListKeyRotationsCommand({ KeyId: key.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }))).Rotations ?? [];
  assert.deepEqual(rotated.map((r) => [r.KeyMaterialId, r.KeyMaterialState, r.RotationType]), [[firstId, 'NON_CURRENT', undefined], [secondId, 'CURRENT', 'ON_DEMAND']]);
  const after = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('second material') }));
  assert.equal((await kms.send(new DecryptCommand({ CiphertextBlob: after.CiphertextBlob }))).KeyMaterialId, secondId);
  assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob }))).Plaintext), 'first material');

  // Deleting the older material makes the key unusable until that material, too, is back.
  await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId, KeyMaterialId: firstId }));
  assert.equal(await stateOf(kms, key.KeyId), 'PendingImport');
  await expectError(importMaterial(kms, key.KeyId, first, { KeyMaterialId: secondId }), 'IncorrectKeyMaterialException', 400);
  await importMaterial(kms, key.KeyId, first, { ImportType: 'EXISTING_KEY_MATERIAL', KeyMaterialId: firstId });
  assert.equal(await stateOf(kms, key.KeyId), 'Enabled');
  assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob }))).Plaintext), 'first material');
});

test('ScheduleKeyDeletion and CancelKeyDeletion with imported, deleted, never-imported and disabled material, in AWS states', async () => {
  const kms = server.client();
  const schedule = (KeyId: string) => kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
  const cancel = (KeyId: string) => kms.send(new CancelKeyDeletionCommand({ KeyId }));

  // Never imported: PendingImport, which cannot be enabled or disabled, but can be scheduled for deletion.
  const never = await external(kms);
  const enableFailure = await expectError(kms.send(new EnableKeyCommand({ KeyId: never.KeyId })), 'KMSInvalidStateException', 409);
  assert.equal(enableFailure.message, `${never.Arn} is pending import.`);
  await expectError(kms.send(new DisableKeyCommand({ KeyId: never.KeyId })), 'KMSInvalidStateException', 409);
  assert.equal((await schedule(never.KeyId)).KeyState, 'PendingDeletion');
  const again = await expectError(schedule(never.KeyId), 'KMSInvalidStateException', 409);
  assert.equal(again.message, `${never.Arn} is pending deletion.`);
  await expectError(importMaterial(kms, never.KeyId, randomBytes(32)), 'KMSInvalidStateException', 409);
  await cancel(never.KeyId);
  assert.equal(await stateOf(kms, never.KeyId), 'PendingImport', 'cancelled without material: back to PendingImport');

  // Imported: material deleted while pending deletion leaves the state alone; cancelling then gives PendingImport.
  const imported = await external(kms);
  await importMaterial(kms, imported.KeyId, randomBytes(32));
  await schedule(imported.KeyId);
  await expectError(kms.send(new EncryptCommand({ KeyId: imported.KeyId, Plaintext: Buffer.from('x') })), 'KMSInvalidStateException', 409);
  await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: imported.KeyId }));
  assert.equal(await stateOf(kms, imported.KeyId), 'PendingDeletion');
  await cancel(imported.KeyId);
  assert.equal(await stateOf(kms, imported.KeyId), 'PendingImport');

  // Disabled with its material: cancelling gives Disabled, as for any key; re-importing keeps it disabled.
  const disabled = await external(kms);
  const material = randomBytes(32);
  await importMaterial(kms, disabled.KeyId, material);
  await kms.send(new DisableKeyCommand({ KeyId: disabled.KeyId }));
  await schedule(disabled.KeyId);
  await cancel(disabled.KeyId);
  assert.equal(await stateOf(kms, disabled.KeyId), 'Disabled');
  await importMaterial(kms, disabled.KeyId, material);
  assert.equal(await stateOf(kms, disabled.KeyId), 'Disabled');
  await expectError(kms.send(new EncryptCommand({ KeyId: disabled.KeyId, Plaintext: Buffer.from('x') })), 'DisabledException', 409);
});

test('key policies can require expiring material and a wrapping algorithm (kms:ExpirationModel, kms:WrappingAlgorithm)', async () => {
  const kms = server.client();
  const key = await external(kms);
  const account = key.Arn.split(':')[4];
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Deny', Principal: '*', Action: 'kms:ImportKeyMaterial', Resource: '*', Condition: { StringEquals: { 'kms:ExpirationModel': 'KEY_MATERIAL_DOES_NOT_EXPIRE' } } },
      { Effect: 'Deny', Principal: '*', Action: 'kms:GetParametersForImport', Resource: '*', Condition: { StringNotEquals: { 'kms:WrappingAlgorithm': 'RSA_AES_KEY_WRAP_SHA_256' } } },
    ],
  };
  await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default', Policy: JSON.stringify(policy) }));
  const material = randomBytes(32);
  await expectError(importMaterial(kms, key.KeyId, material, { algorithm: 'RSAES_OAEP_SHA_256' }), 'AccessDeniedException', 400);
  await expectError(importMaterial(kms, key.KeyId, material, { algorithm: 'RSA_AES_KEY_WRAP_SHA_256' }), 'AccessDeniedException', 400);
  await importMaterial(kms, key.KeyId, material, { algorithm: 'RSA_AES_KEY_WRAP_SHA_256', ValidTo: new Date(Date.now() + 86_400_000) });
  assert.equal(await stateOf(kms, key.KeyId), 'Enabled');
});
