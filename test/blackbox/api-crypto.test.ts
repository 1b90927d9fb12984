// Cryptographic operations through the official AWS SDK against the real server: Encrypt, Decrypt,
// ReEncrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext and GenerateRandom — KeyId forms,
// encryption context, key states, DryRun and size limits, with AWS's errors and HTTP statuses.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  DecryptCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateRandomCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { removeDir, startServer, type RunningServer } from '../harness/server.js';
import { kmsRequest } from '../harness/signed-fetch.js';
import { UNKNOWN_KEY_ID, accountOf, createKey, expectError, text, uniqueAlias } from './api-helpers.js';

let server: RunningServer;
let kms: KMSClient;
/** An enabled key with an alias, shared by the tests that do not change key state. */
let key: { KeyId: string; Arn: string; alias: string; aliasArn: string; materialId: string };
/** A second enabled key (for IncorrectKeyException and ReEncrypt). */
let other: { KeyId: string; Arn: string };

before(async () => {
  server = await startServer();
  kms = server.client();
  const md = await createKey(kms);
  const alias = uniqueAlias('crypto');
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: md.KeyId }));
  key = { KeyId: md.KeyId, Arn: md.Arn, alias, aliasArn: `arn:aws:kms:us-east-1:${accountOf(md.Arn)}:${alias}`, materialId: md.CurrentKeyMaterialId ?? '' };
  other = await createKey(kms);
});
after(async () => {
  kms?.destroy();
  await server?.stop();
  if (server) removeDir(server.dataDir);
});

const msg = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const encrypt = async (keyId: string, plaintext: string, context?: Record<string, string>): Promise<Uint8Array> => {
  const res = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: msg(plaintext), ...(context ? { EncryptionContext: context } : {}) }));
  assert.ok(res.CiphertextBlob);
  return res.CiphertextBlob;
};
const keyForms = () => [
  ['key id', key.KeyId],
  ['key ARN', key.Arn],
  ['alias name', key.alias],
  ['alias ARN', key.aliasArn],
] as const;

// --- Encrypt / Decrypt and KeyId forms ------------------------------------------------------------

test('Encrypt accepts the key id, key ARN, alias name and alias ARN, and always reports the key ARN', async () => {
  for (const [form, keyId] of keyForms()) {
    const res = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: msg(`via ${form}`) }));
    assert.equal(res.KeyId, key.Arn, form);
    assert.equal(res.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT', form);
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: res.CiphertextBlob }));
    assert.equal(text(dec.Plaintext), `via ${form}`, form);
  }
});

test('Decrypt without KeyId finds the key from the ciphertext and reports its ARN, algorithm and key material id', async () => {
  const blob = await encrypt(key.KeyId, 'no key id needed');
  const dec = await kms.send(new DecryptCommand({ CiphertextBlob: blob }));
  assert.equal(text(dec.Plaintext), 'no key id needed');
  assert.equal(dec.KeyId, key.Arn);
  assert.equal(dec.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
  assert.equal(dec.KeyMaterialId, key.materialId);
});

test('Decrypt accepts KeyId as key id, key ARN, alias name or alias ARN of the key that encrypted', async () => {
  const blob = await encrypt(key.KeyId, 'named');
  for (const [form, keyId] of keyForms()) {
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: blob, KeyId: keyId }));
    assert.equal(text(dec.Plaintext), 'named', form);
  }
});

test('Decrypt with the KeyId of another key is IncorrectKeyException (400)', async () => {
  const blob = await encrypt(key.KeyId, 'wrong key');
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: blob, KeyId: other.KeyId })), 'IncorrectKeyException', 400);
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: blob, KeyId: other.Arn })), 'IncorrectKeyException', 400);
});

test('Decrypt with a KeyId that names no key is NotFoundException (404)', async () => {
  const blob = await encrypt(key.KeyId, 'unknown key id');
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: blob, KeyId: UNKNOWN_KEY_ID })), 'NotFoundException', 404);
});

test('the same plaintext encrypts to a different ciphertext every time', async () => {
  const a = Buffer.from(await encrypt(key.KeyId, 'same'));
  const b = Buffer.from(await encrypt(key.KeyId, 'same'));
  assert.notDeepEqual(a, b);
});

test('Encrypt with an unknown key id, unknown key ARN or unknown alias is NotFoundException (404)', async () => {
  await expectError(kms.send(new EncryptCommand({ KeyId: UNKNOWN_KEY_ID, Plaintext: msg('x') })), 'NotFoundException', 404);
  await expectError(kms.send(new EncryptCommand({ KeyId: `arn:aws:kms:us-east-1:${accountOf(key.Arn)}:key/${UNKNOWN_KEY_ID}`, Plaintext: msg('x') })), 'NotFoundException', 404);
  await expectError(kms.send(new EncryptCommand({ KeyId: uniqueAlias('nope'), Plaintext: msg('x') })), 'NotFoundException', 404);
  await expectError(kms.send(new EncryptCommand({ KeyId: `arn:aws:kms:us-east-1:${accountOf(key.Arn)}:alias/nope-${process.pid}`, Plaintext: msg('x') })), 'NotFoundException', 404);
});

test('Encrypt with a malformed key id is NotFoundException (404)', async () => {
  await expectError(kms.send(new EncryptCommand({ KeyId: 'this-is-not-a-key', Plaintext: msg('x') })), 'NotFoundException', 404);
});

test('Encrypt takes a 4096-byte plaintext and returns it intact through Decrypt', async () => {
  const plaintext = Buffer.alloc(4096, 0xa5);
  const res = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: plaintext }));
  const dec = await kms.send(new DecryptCommand({ CiphertextBlob: res.CiphertextBlob }));
  assert.deepEqual(Buffer.from(dec.Plaintext ?? []), plaintext);
});

test('Encrypt of a 4097-byte plaintext is ValidationException (400)', async () => {
  await expectError(kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.alloc(4097, 1) })), 'ValidationException', 400);
});

test('Encrypt of an empty plaintext is ValidationException (400)', async () => {
  await expectError(kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: new Uint8Array(0) })), 'ValidationException', 400);
});

test('Encrypt with EncryptionAlgorithm SYMMETRIC_DEFAULT given explicitly succeeds', async () => {
  const res = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: msg('x'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }));
  assert.equal(res.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
});

test('Encrypt and Decrypt with EncryptionAlgorithm RSAES_OAEP_SHA_256 on a symmetric key are InvalidKeyUsageException (400)', async () => {
  await expectError(
    kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: msg('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })),
    'InvalidKeyUsageException',
    400,
  );
  const blob = await encrypt(key.KeyId, 'x');
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })), 'InvalidKeyUsageException', 400);
});

test('the raw Encrypt response has exactly the members of the model\'s EncryptResponse', async () => {
  const res = await kmsRequest(server.url, 'Encrypt', JSON.stringify({ KeyId: key.alias, Plaintext: Buffer.from('raw').toString('base64') }));
  assert.equal(res.status, 200);
  const body = res.json();
  assert.equal(body.KeyId, key.Arn);
  assert.equal(body.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
  assert.deepEqual(Object.keys(body).sort(), ['CiphertextBlob', 'EncryptionAlgorithm', 'KeyId']);
});

test('the raw error body of a failed Encrypt has __type and message, with the matching HTTP status', async () => {
  const res = await kmsRequest(server.url, 'Encrypt', JSON.stringify({ KeyId: UNKNOWN_KEY_ID, Plaintext: 'eA==' }));
  assert.equal(res.status, 404);
  assert.equal(res.json().__type, 'NotFoundException');
  assert.equal(typeof res.json().message, 'string');
});

test('Decrypt of a ciphertext with one flipped byte is InvalidCiphertextException (400)', async () => {
  const blob = Buffer.from(await encrypt(key.KeyId, 'tamper me'));
  for (const at of [blob.length - 1, blob.length - 20, 70]) {
    const bad = Buffer.from(blob);
    bad[at] = (bad[at] ?? 0) ^ 0x01;
    await expectError(kms.send(new DecryptCommand({ CiphertextBlob: bad })), 'InvalidCiphertextException', 400);
  }
});

test('Decrypt of bytes that are not a ciphertext is InvalidCiphertextException (400)', async () => {
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from('definitely not a kms ciphertext blob, not at all, no') })), 'InvalidCiphertextException', 400);
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from([1, 2, 3]) })), 'InvalidCiphertextException', 400);
});

test('Decrypt of a ciphertext whose key id names no key is InvalidCiphertextException (400)', async () => {
  const blob = Buffer.from(await encrypt(key.KeyId, 'orphan'));
  Buffer.from(UNKNOWN_KEY_ID.replaceAll('-', ''), 'hex').copy(blob, 2); // the key id field of the blob header
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: blob })), 'InvalidCiphertextException', 400);
});

// --- Encryption context -------------------------------------------------------------------------

test('Decrypt with the same encryption context, in any order, returns the plaintext', async () => {
  const blob = await encrypt(key.KeyId, 'bound', { tenant: 'acme', purpose: 'invoice', z: '1' });
  const dec = await kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { z: '1', purpose: 'invoice', tenant: 'acme' } }));
  assert.equal(text(dec.Plaintext), 'bound');
});

test('Decrypt without the encryption context used to encrypt is InvalidCiphertextException (400)', async () => {
  const blob = await encrypt(key.KeyId, 'bound', { tenant: 'acme' });
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: blob })), 'InvalidCiphertextException', 400);
});

test('Decrypt with a different encryption context value or key is InvalidCiphertextException (400)', async () => {
  const blob = await encrypt(key.KeyId, 'bound', { tenant: 'acme' });
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { tenant: 'evil' } })), 'InvalidCiphertextException', 400);
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { Tenant: 'acme' } })), 'InvalidCiphertextException', 400);
});

test('Decrypt with an extra encryption context pair is InvalidCiphertextException (400)', async () => {
  const blob = await encrypt(key.KeyId, 'bound', { tenant: 'acme' });
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { tenant: 'acme', extra: 'x' } })), 'InvalidCiphertextException', 400);
});

test('Decrypt with an encryption context of a ciphertext encrypted without one is InvalidCiphertextException (400)', async () => {
  const blob = await encrypt(key.KeyId, 'unbound');
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { a: 'b' } })), 'InvalidCiphertextException', 400);
});

test('an empty encryption context is the same as none', async () => {
  const blob = await encrypt(key.KeyId, 'empty', {});
  const dec = await kms.send(new DecryptCommand({ CiphertextBlob: blob }));
  assert.equal(text(dec.Plaintext), 'empty');
});

test('pair boundaries are part of the encryption context: {ab: c} does not decrypt with {a: bc}', async () => {
  const blob = await encrypt(key.KeyId, 'boundaries', { ab: 'c' });
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { a: 'bc' } })), 'InvalidCiphertextException', 400);
});

// --- ReEncrypt -------------------------------------------------------------------------------------

test('ReEncrypt moves a ciphertext to another key, which then decrypts it without the source key', async () => {
  const blob = await encrypt(key.KeyId, 'moving', { a: '1' });
  const re = await kms.send(new ReEncryptCommand({
    CiphertextBlob: blob,
    SourceEncryptionContext: { a: '1' },
    DestinationKeyId: other.KeyId,
    DestinationEncryptionContext: { b: '2' },
  }));
  assert.equal(re.KeyId, other.Arn);
  assert.equal(re.SourceKeyId, key.Arn);
  assert.equal(re.SourceEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
  assert.equal(re.DestinationEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
  assert.equal(re.SourceKeyMaterialId, key.materialId);
  assert.match(re.DestinationKeyMaterialId ?? '', /^[0-9a-f]{64}$/);
  assert.notEqual(re.DestinationKeyMaterialId, key.materialId);
  const dec = await kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { b: '2' } }));
  assert.equal(text(dec.Plaintext), 'moving');
  assert.equal(dec.KeyId, other.Arn);
  // The new ciphertext is bound to the destination context only.
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { a: '1' } })), 'InvalidCiphertextException', 400);
});

test('ReEncrypt to the same key through its alias gives a fresh ciphertext that decrypts', async () => {
  const blob = await encrypt(key.KeyId, 'same key');
  const re = await kms.send(new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: key.alias }));
  assert.equal(re.KeyId, key.Arn);
  assert.notDeepEqual(Buffer.from(re.CiphertextBlob ?? []), Buffer.from(blob));
  assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob }))).Plaintext), 'same key');
});

test('ReEncrypt with a wrong or missing source encryption context is InvalidCiphertextException (400)', async () => {
  const blob = await encrypt(key.KeyId, 'ctx', { a: '1' });
  await expectError(kms.send(new ReEncryptCommand({ CiphertextBlob: blob, SourceEncryptionContext: { a: '2' }, DestinationKeyId: other.KeyId })), 'InvalidCiphertextException', 400);
  await expectError(kms.send(new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: other.KeyId })), 'InvalidCiphertextException', 400);
});

test('ReEncrypt with a SourceKeyId that did not encrypt the ciphertext is IncorrectKeyException (400)', async () => {
  const blob = await encrypt(key.KeyId, 'src');
  await expectError(kms.send(new ReEncryptCommand({ CiphertextBlob: blob, SourceKeyId: other.KeyId, DestinationKeyId: other.KeyId })), 'IncorrectKeyException', 400);
  const ok = await kms.send(new ReEncryptCommand({ CiphertextBlob: blob, SourceKeyId: key.aliasArn, DestinationKeyId: other.KeyId }));
  assert.equal(ok.SourceKeyId, key.Arn);
});

test('ReEncrypt to an unknown destination key is NotFoundException (404)', async () => {
  const blob = await encrypt(key.KeyId, 'dst');
  await expectError(kms.send(new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: UNKNOWN_KEY_ID })), 'NotFoundException', 404);
});

test('ReEncrypt of a tampered ciphertext is InvalidCiphertextException (400)', async () => {
  const blob = Buffer.from(await encrypt(key.KeyId, 'tampered'));
  blob[blob.length - 1] = (blob[blob.length - 1] ?? 0) ^ 0xff;
  await expectError(kms.send(new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: other.KeyId })), 'InvalidCiphertextException', 400);
});

// --- GenerateDataKey / GenerateDataKeyWithoutPlaintext -------------------------------------------

test('GenerateDataKey with KeySpec AES_256 returns 32 plaintext bytes whose ciphertext decrypts to them', async () => {
  const res = await kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_256', EncryptionContext: { use: 'dek' } }));
  assert.equal(res.Plaintext?.length, 32);
  assert.equal(res.KeyId, key.Arn);
  assert.equal(res.KeyMaterialId, key.materialId);
  const dec = await kms.send(new DecryptCommand({ CiphertextBlob: res.CiphertextBlob, EncryptionContext: { use: 'dek' } }));
  assert.deepEqual(Buffer.from(dec.Plaintext ?? []), Buffer.from(res.Plaintext ?? []));
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: res.CiphertextBlob })), 'InvalidCiphertextException', 400);
});

test('GenerateDataKey with KeySpec AES_128 returns 16 bytes', async () => {
  const res = await kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_128' }));
  assert.equal(res.Plaintext?.length, 16);
  const dec = await kms.send(new DecryptCommand({ CiphertextBlob: res.CiphertextBlob }));
  assert.deepEqual(Buffer.from(dec.Plaintext ?? []), Buffer.from(res.Plaintext ?? []));
});

test('GenerateDataKey with NumberOfBytes 1 and 1024 returns exactly that many bytes', async () => {
  for (const n of [1, 1024]) {
    const res = await kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, NumberOfBytes: n }));
    assert.equal(res.Plaintext?.length, n);
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: res.CiphertextBlob }));
    assert.deepEqual(Buffer.from(dec.Plaintext ?? []), Buffer.from(res.Plaintext ?? []));
  }
});

test('GenerateDataKey with NumberOfBytes 0 or 1025 is ValidationException (400)', async () => {
  await expectError(kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, NumberOfBytes: 0 })), 'ValidationException', 400);
  await expectError(kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, NumberOfBytes: 1025 })), 'ValidationException', 400);
});

test('GenerateDataKey with both KeySpec and NumberOfBytes, or neither, is ValidationException (400)', async () => {
  await expectError(kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_256', NumberOfBytes: 32 })), 'ValidationException', 400);
  await expectError(kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId })), 'ValidationException', 400);
});

test('GenerateDataKey accepts the key id, key ARN, alias name and alias ARN', async () => {
  for (const [form, keyId] of keyForms()) {
    const res = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    assert.equal(res.KeyId, key.Arn, form);
  }
});

test('GenerateDataKey of an unknown key is NotFoundException (404)', async () => {
  await expectError(kms.send(new GenerateDataKeyCommand({ KeyId: UNKNOWN_KEY_ID, KeySpec: 'AES_256' })), 'NotFoundException', 404);
});

test('two GenerateDataKey calls return different data keys', async () => {
  const a = await kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_256' }));
  const b = await kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_256' }));
  assert.notDeepEqual(Buffer.from(a.Plaintext ?? []), Buffer.from(b.Plaintext ?? []));
});

test('GenerateDataKeyWithoutPlaintext returns no Plaintext, and its ciphertext decrypts to a key of the requested size', async () => {
  const res = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: key.alias, KeySpec: 'AES_256', EncryptionContext: { k: 'v' } }));
  assert.equal((res as { Plaintext?: unknown }).Plaintext, undefined);
  assert.equal(res.KeyId, key.Arn);
  assert.equal(res.KeyMaterialId, key.materialId);
  const dec = await kms.send(new DecryptCommand({ CiphertextBlob: res.CiphertextBlob, EncryptionContext: { k: 'v' } }));
  assert.equal(dec.Plaintext?.length, 32);
  const small = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: key.KeyId, NumberOfBytes: 7 }));
  assert.equal((await kms.send(new DecryptCommand({ CiphertextBlob: small.CiphertextBlob }))).Plaintext?.length, 7);
});

test('the raw GenerateDataKeyWithoutPlaintext response has no Plaintext member at all', async () => {
  const res = await kmsRequest(server.url, 'GenerateDataKeyWithoutPlaintext', JSON.stringify({ KeyId: key.KeyId, KeySpec: 'AES_128' }));
  assert.equal(res.status, 200);
  assert.equal(Object.hasOwn(res.json(), 'Plaintext'), false);
});

test('GenerateDataKeyWithoutPlaintext with both KeySpec and NumberOfBytes, or neither, is ValidationException (400)', async () => {
  await expectError(kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: key.KeyId, KeySpec: 'AES_128', NumberOfBytes: 16 })), 'ValidationException', 400);
  await expectError(kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: key.KeyId })), 'ValidationException', 400);
});

// --- GenerateRandom ------------------------------------------------------------------------------

test('GenerateRandom returns exactly 1 and 1024 bytes', async () => {
  assert.equal((await kms.send(new GenerateRandomCommand({ NumberOfBytes: 1 }))).Plaintext?.length, 1);
  assert.equal((await kms.send(new GenerateRandomCommand({ NumberOfBytes: 1024 }))).Plaintext?.length, 1024);
});

test('GenerateRandom with NumberOfBytes 0 or 1025 is ValidationException (400)', async () => {
  await expectError(kms.send(new GenerateRandomCommand({ NumberOfBytes: 0 })), 'ValidationException', 400);
  await expectError(kms.send(new GenerateRandomCommand({ NumberOfBytes: 1025 })), 'ValidationException', 400);
});

test('GenerateRandom without NumberOfBytes is ValidationException (400)', async () => {
  await expectError(kms.send(new GenerateRandomCommand({})), 'ValidationException', 400);
});

test('two GenerateRandom calls return different bytes', async () => {
  const a = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 32 }));
  const b = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 32 }));
  assert.notDeepEqual(Buffer.from(a.Plaintext ?? []), Buffer.from(b.Plaintext ?? []));
});

// --- Key states --------------------------------------------------------------------------------------

test('a disabled key refuses Encrypt, Decrypt, ReEncrypt, GenerateDataKey and GenerateDataKeyWithoutPlaintext with DisabledException (409); EnableKey restores them', async () => {
  const md = await createKey(kms);
  const blob = await encrypt(md.KeyId, 'before disable');
  const toDisabled = await encrypt(other.KeyId, 'to a disabled key');
  await kms.send(new DisableKeyCommand({ KeyId: md.KeyId }));
  const disabled = 'DisabledException';
  await expectError(kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: msg('x') })), disabled, 409);
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: blob })), disabled, 409);
  await expectError(kms.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, KeySpec: 'AES_256' })), disabled, 409);
  await expectError(kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: md.KeyId, KeySpec: 'AES_256' })), disabled, 409);
  await expectError(kms.send(new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: other.KeyId })), disabled, 409);
  await expectError(kms.send(new ReEncryptCommand({ CiphertextBlob: toDisabled, DestinationKeyId: md.KeyId })), disabled, 409);
  await kms.send(new EnableKeyCommand({ KeyId: md.KeyId }));
  assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext), 'before disable');
  await kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: msg('x') }));
  await kms.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, KeySpec: 'AES_256' }));
});

test('a disabled key refuses Encrypt through its alias with DisabledException (409)', async () => {
  const md = await createKey(kms);
  const alias = uniqueAlias('disabled');
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: md.KeyId }));
  await kms.send(new DisableKeyCommand({ KeyId: md.KeyId }));
  await expectError(kms.send(new EncryptCommand({ KeyId: alias, Plaintext: msg('x') })), 'DisabledException', 409);
});

test('a key pending deletion refuses every cryptographic operation with KMSInvalidStateException (409); cancelling leaves it Disabled', async () => {
  const md = await createKey(kms);
  const blob = await encrypt(md.KeyId, 'pending');
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }));
  const invalid = 'KMSInvalidStateException';
  await expectError(kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: msg('x') })), invalid, 409);
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: blob })), invalid, 409);
  await expectError(kms.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, KeySpec: 'AES_256' })), invalid, 409);
  await expectError(kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: md.KeyId, NumberOfBytes: 16 })), invalid, 409);
  await expectError(kms.send(new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: other.KeyId })), invalid, 409);
  await kms.send(new CancelKeyDeletionCommand({ KeyId: md.KeyId }));
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: blob })), 'DisabledException', 409);
  await kms.send(new EnableKeyCommand({ KeyId: md.KeyId }));
  assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext), 'pending');
});

// --- DryRun -------------------------------------------------------------------------------------

test('DryRun on Encrypt, Decrypt, ReEncrypt, GenerateDataKey and GenerateDataKeyWithoutPlaintext that would succeed is DryRunOperationException (412)', async () => {
  const blob = await encrypt(key.KeyId, 'dry', { c: '1' });
  const dry = 'DryRunOperationException';
  await expectError(kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: msg('x'), DryRun: true })), dry, 412);
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { c: '1' }, DryRun: true })), dry, 412);
  await expectError(kms.send(new ReEncryptCommand({ CiphertextBlob: blob, SourceEncryptionContext: { c: '1' }, DestinationKeyId: other.KeyId, DryRun: true })), dry, 412);
  await expectError(kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_256', DryRun: true })), dry, 412);
  await expectError(kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: key.alias, NumberOfBytes: 64, DryRun: true })), dry, 412);
});

test('DryRun false behaves like no DryRun', async () => {
  const res = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: msg('wet'), DryRun: false }));
  assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob: res.CiphertextBlob, DryRun: false }))).Plaintext), 'wet');
});

test('DryRun on a disabled key reports DisabledException (409), the error the real call would get', async () => {
  const md = await createKey(kms);
  const blob = await encrypt(md.KeyId, 'dry disabled');
  await kms.send(new DisableKeyCommand({ KeyId: md.KeyId }));
  const disabled = 'DisabledException';
  await expectError(kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: msg('x'), DryRun: true })), disabled, 409);
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: blob, DryRun: true })), disabled, 409);
  await expectError(kms.send(new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: other.KeyId, DryRun: true })), disabled, 409);
  await expectError(kms.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, KeySpec: 'AES_256', DryRun: true })), disabled, 409);
  await expectError(kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: md.KeyId, KeySpec: 'AES_256', DryRun: true })), disabled, 409);
});

test('DryRun reports NotFoundException (404) for an unknown key and IncorrectKeyException for a wrong Decrypt KeyId', async () => {
  await expectError(kms.send(new EncryptCommand({ KeyId: UNKNOWN_KEY_ID, Plaintext: msg('x'), DryRun: true })), 'NotFoundException', 404);
  await expectError(kms.send(new GenerateDataKeyCommand({ KeyId: UNKNOWN_KEY_ID, KeySpec: 'AES_256', DryRun: true })), 'NotFoundException', 404);
  const blob = await encrypt(key.KeyId, 'dry wrong key');
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: blob, KeyId: other.KeyId, DryRun: true })), 'IncorrectKeyException', 400);
});

test('DryRun on Decrypt and ReEncrypt with the wrong encryption context reports InvalidCiphertextException (400)', async () => {
  const blob = await encrypt(key.KeyId, 'dry ctx', { c: '1' });
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { c: '2' }, DryRun: true })), 'InvalidCiphertextException', 400);
  await expectError(kms.send(new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: other.KeyId, DryRun: true })), 'InvalidCiphertextException', 400);
});

test('DryRun on Encrypt with a non-symmetric EncryptionAlgorithm reports InvalidKeyUsageException (400)', async () => {
  await expectError(
    kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: msg('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1', DryRun: true })),
    'InvalidKeyUsageException',
    400,
  );
});

test(
  'DryRun on GenerateDataKey with neither KeySpec nor NumberOfBytes reports ValidationException (400), the error the real call would get',
  async () => {
    await expectError(kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, DryRun: true })), 'ValidationException', 400);
    await expectError(kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_256', NumberOfBytes: 32, DryRun: true })), 'ValidationException', 400);
  },
);

test(
  'DryRun on GenerateDataKeyWithoutPlaintext with neither KeySpec nor NumberOfBytes reports ValidationException (400)',
  async () => {
    await expectError(kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: key.KeyId, DryRun: true })), 'ValidationException', 400);
  },
);
