// Encrypt, Decrypt and ReEncrypt with asymmetric keys (RSA_2048/3072/4096 with RSAES_OAEP_SHA_1
// and _256, SM2 with SM2PKE) through the official AWS SDK against the real server: round trips at
// AWS's size limits, data encrypted offline with GetPublicKey's key by OpenSSL and by node:crypto
// decrypts, ReEncrypt across kinds, and what AWS forbids answers with AWS's error, never a 500.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { constants, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  CreateAliasCommand, CreateKeyCommand, DecryptCommand, EncryptCommand, GenerateDataKeyCommand, GetPublicKeyCommand, ReEncryptCommand,
  type EncryptionAlgorithmSpec, type KeySpec, type KMSClient,
} from '@aws-sdk/client-kms';
import { serverForFile } from '../harness/server.js';
import { createKey, expectError, uniqueAlias } from './api-helpers.js';

let kms: KMSClient;
serverForFile((s) => void (kms = s.client()));

const dir = mkdtempSync(join(tmpdir(), 'keyhold-asym-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const opensslSkip = spawnSync('openssl', ['version']).status === 0 ? false : 'the openssl command is not installed';

/** One key per spec and usage, created on first use and shared by the tests of this file. */
const keys = new Map<string, Promise<string>>();
function keyOf(spec: KeySpec, usage: 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' = 'ENCRYPT_DECRYPT'): Promise<string> {
  const name = `${spec}/${usage}`;
  let key = keys.get(name);
  if (!key) {
    key = createKey(kms, { KeySpec: spec, KeyUsage: usage }).then((md) => md.Arn);
    keys.set(name, key);
  }
  return key;
}

const RSA = [['RSA_2048', 256], ['RSA_3072', 384], ['RSA_4096', 512]] as const;
/** AWS's Encrypt table: the largest plaintext per key spec and algorithm. */
const LIMIT: Record<string, Record<string, number>> = {
  RSA_2048: { RSAES_OAEP_SHA_1: 214, RSAES_OAEP_SHA_256: 190 },
  RSA_3072: { RSAES_OAEP_SHA_1: 342, RSAES_OAEP_SHA_256: 318 },
  RSA_4096: { RSAES_OAEP_SHA_1: 470, RSAES_OAEP_SHA_256: 446 },
  SM2: { SM2PKE: 1024 },
};
const OPENSSL_MD = { RSAES_OAEP_SHA_1: 'sha1', RSAES_OAEP_SHA_256: 'sha256' } as const;

const encrypt = async (keyId: string, algorithm: EncryptionAlgorithmSpec, plaintext: Uint8Array): Promise<Uint8Array> => {
  const res = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionAlgorithm: algorithm }));
  assert.ok(res.CiphertextBlob);
  return res.CiphertextBlob;
};
const decrypt = async (keyId: string, algorithm: EncryptionAlgorithmSpec, ciphertext: Uint8Array): Promise<Buffer> => {
  const res = await kms.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: ciphertext, EncryptionAlgorithm: algorithm }));
  assert.equal(res.KeyId, keyId);
  assert.equal(res.EncryptionAlgorithm, algorithm);
  assert.equal(res.KeyMaterialId, undefined, 'AWS reports KeyMaterialId only for symmetric keys');
  return Buffer.from(res.Plaintext ?? []);
};

/** GetPublicKey's DER SubjectPublicKeyInfo, written to a file for OpenSSL. */
async function publicKeyFile(keyId: string): Promise<{ der: Buffer; file: string }> {
  const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  assert.ok(PublicKey);
  const der = Buffer.from(PublicKey);
  const file = join(dir, `${keyId.split('/').pop() ?? 'key'}.pub.der`);
  writeFileSync(file, der);
  return { der, file };
}

/** `openssl pkeyutl -encrypt` with the given options; the ciphertext it wrote. */
function opensslEncrypt(publicKey: string, plaintext: Buffer, options: readonly string[]): Buffer {
  const [plainFile, cipherFile] = [join(dir, 'plain.bin'), join(dir, 'cipher.bin')];
  writeFileSync(plainFile, plaintext);
  execFileSync('openssl', ['pkeyutl', '-encrypt', '-pubin', '-keyform', 'DER', '-inkey', publicKey, ...options, '-in', plainFile, '-out', cipherFile]);
  return readFileSync(cipherFile);
}

// --- Round trips and limits -----------------------------------------------------------------------

for (const [spec, modulusBytes] of RSA) {
  for (const algorithm of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const) {
    test(`${spec} ${algorithm}: Encrypt returns a raw ${modulusBytes}-byte OAEP block that Decrypt opens, up to AWS's limit of ${LIMIT[spec]?.[algorithm]} bytes`, async () => {
      const keyId = await keyOf(spec);
      const limit = LIMIT[spec]?.[algorithm] ?? 0;
      for (const size of [1, limit]) {
        const plaintext = randomBytes(size);
        const res = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionAlgorithm: algorithm }));
        assert.deepEqual([res.KeyId, res.EncryptionAlgorithm, res.CiphertextBlob?.length], [keyId, algorithm, modulusBytes]);
        assert.deepEqual(await decrypt(keyId, algorithm, res.CiphertextBlob ?? new Uint8Array()), plaintext, `${size} bytes`);
      }
      await expectError(encrypt(keyId, algorithm, randomBytes(limit + 1)), 'ValidationException', 400);
    });
  }
}

test('SM2 SM2PKE: Encrypt and Decrypt round trip up to 1024 bytes, and 1025 is ValidationException (400)', async () => {
  const keyId = await keyOf('SM2');
  for (const size of [1, 1024]) {
    const plaintext = randomBytes(size);
    assert.deepEqual(await decrypt(keyId, 'SM2PKE', await encrypt(keyId, 'SM2PKE', plaintext)), plaintext, `${size} bytes`);
  }
  await expectError(encrypt(keyId, 'SM2PKE', randomBytes(1025)), 'ValidationException', 400);
});

test('Decrypt of an asymmetric ciphertext accepts KeyId as key id, alias name and alias ARN', async () => {
  const arn = await keyOf('RSA_2048');
  const alias = uniqueAlias('rsa');
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: arn }));
  const ciphertext = await encrypt(alias, 'RSAES_OAEP_SHA_256', Buffer.from('by alias'));
  const aliasArn = `${arn.slice(0, arn.indexOf(':key/'))}:${alias}`;
  for (const keyId of [arn.split('/').pop() ?? '', alias, aliasArn]) {
    const res = await kms.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: ciphertext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    assert.equal(Buffer.from(res.Plaintext ?? []).toString(), 'by alias', keyId);
    assert.equal(res.KeyId, arn);
  }
});

// --- Offline encryption with GetPublicKey's key ----------------------------------------------------

for (const [spec] of RSA) {
  for (const algorithm of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const) {
    test(`${spec}: data OpenSSL encrypts with GetPublicKey's key (OAEP, ${OPENSSL_MD[algorithm]} and MGF1-${OPENSSL_MD[algorithm]}) decrypts with ${algorithm}`, { skip: opensslSkip }, async () => {
      const keyId = await keyOf(spec);
      const { file } = await publicKeyFile(keyId);
      const plaintext = randomBytes(LIMIT[spec]?.[algorithm] ?? 1);
      const md = OPENSSL_MD[algorithm];
      const ciphertext = opensslEncrypt(file, plaintext, ['-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', `rsa_oaep_md:${md}`, '-pkeyopt', `rsa_mgf1_md:${md}`]);
      assert.deepEqual(await decrypt(keyId, algorithm, ciphertext), plaintext);
    });
  }
}

test("RSA: data node:crypto's publicEncrypt makes with GetPublicKey's key decrypts", async () => {
  for (const [spec] of RSA) {
    const keyId = await keyOf(spec);
    const { der } = await publicKeyFile(keyId);
    const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    for (const [algorithm, oaepHash] of [['RSAES_OAEP_SHA_1', 'sha1'], ['RSAES_OAEP_SHA_256', 'sha256']] as const) {
      const plaintext = randomBytes(32);
      const ciphertext = publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, plaintext);
      assert.deepEqual(await decrypt(keyId, algorithm, ciphertext), plaintext, `${spec} ${algorithm}`);
    }
  }
});

test("SM2: data OpenSSL encrypts with GetPublicKey's key (SM2PKE, GM/T 0009 ASN.1) decrypts", { skip: opensslSkip }, async () => {
  const keyId = await keyOf('SM2');
  const { file } = await publicKeyFile(keyId);
  for (const size of [1, 100, 1024]) {
    const plaintext = randomBytes(size);
    assert.deepEqual(await decrypt(keyId, 'SM2PKE', opensslEncrypt(file, plaintext, [])), plaintext, `${size} bytes`);
  }
});

// --- Ciphertexts that must not open ---------------------------------------------------------------

test('a wrong key, a wrong algorithm or a changed byte is InvalidCiphertextException (400), with one message', async () => {
  const [rsa, otherRsa, sm2, otherSm2] = [await keyOf('RSA_2048'), (await createKey(kms, { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' })).Arn, await keyOf('SM2'), (await createKey(kms, { KeySpec: 'SM2', KeyUsage: 'ENCRYPT_DECRYPT' })).Arn];
  const rsaCiphertext = Buffer.from(await encrypt(rsa, 'RSAES_OAEP_SHA_256', Buffer.from('secret')));
  const sm2Ciphertext = Buffer.from(await encrypt(sm2, 'SM2PKE', Buffer.from('secret')));
  const flipped = (b: Buffer, at: number): Buffer => {
    const copy = Buffer.from(b);
    copy[at] = (copy[at] ?? 0) ^ 0x40;
    return copy;
  };
  const refusals = [
    [otherRsa, 'RSAES_OAEP_SHA_256', rsaCiphertext],
    [rsa, 'RSAES_OAEP_SHA_1', rsaCiphertext],
    [rsa, 'RSAES_OAEP_SHA_256', flipped(rsaCiphertext, 100)],
    [rsa, 'RSAES_OAEP_SHA_256', rsaCiphertext.subarray(1)],
    [rsa, 'RSAES_OAEP_SHA_256', Buffer.concat([rsaCiphertext, Buffer.from([0])])],
    [otherSm2, 'SM2PKE', sm2Ciphertext],
    [sm2, 'SM2PKE', flipped(sm2Ciphertext, sm2Ciphertext.length - 1)],
    [sm2, 'SM2PKE', flipped(sm2Ciphertext, 10)],
    [sm2, 'SM2PKE', rsaCiphertext],
  ] as const;
  const messages = new Set<string>();
  for (const [keyId, algorithm, ciphertext] of refusals) {
    const failure = await expectError(kms.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: ciphertext, EncryptionAlgorithm: algorithm })), 'InvalidCiphertextException', 400);
    messages.add(failure.message);
  }
  assert.equal(messages.size, 1, `one message for every failure, got ${[...messages].join(' | ')}`);
});

// --- ReEncrypt across kinds -----------------------------------------------------------------------

test('ReEncrypt symmetric → RSA → SM2 → symmetric keeps the plaintext; material ids only for symmetric sides', async () => {
  const symmetric = (await createKey(kms)).Arn;
  const [rsa, sm2] = [await keyOf('RSA_3072'), await keyOf('SM2')];
  const plaintext = Buffer.from('moves between kinds');
  const start = await kms.send(new EncryptCommand({ KeyId: symmetric, Plaintext: plaintext, EncryptionContext: { purpose: 'test' } }));

  const toRsa = await kms.send(new ReEncryptCommand({
    CiphertextBlob: start.CiphertextBlob, SourceEncryptionContext: { purpose: 'test' }, DestinationKeyId: rsa, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
  }));
  assert.deepEqual([toRsa.SourceKeyId, toRsa.KeyId, toRsa.SourceEncryptionAlgorithm, toRsa.DestinationEncryptionAlgorithm], [symmetric, rsa, 'SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_256']);
  assert.ok(toRsa.SourceKeyMaterialId !== undefined && toRsa.DestinationKeyMaterialId === undefined);
  assert.equal(toRsa.CiphertextBlob?.length, 384);
  assert.deepEqual(await decrypt(rsa, 'RSAES_OAEP_SHA_256', toRsa.CiphertextBlob ?? new Uint8Array()), plaintext);

  const toSm2 = await kms.send(new ReEncryptCommand({
    CiphertextBlob: toRsa.CiphertextBlob, SourceKeyId: rsa, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DestinationKeyId: sm2, DestinationEncryptionAlgorithm: 'SM2PKE',
  }));
  assert.ok(toSm2.SourceKeyMaterialId === undefined && toSm2.DestinationKeyMaterialId === undefined);
  assert.deepEqual(await decrypt(sm2, 'SM2PKE', toSm2.CiphertextBlob ?? new Uint8Array()), plaintext);

  const back = await kms.send(new ReEncryptCommand({
    CiphertextBlob: toSm2.CiphertextBlob, SourceKeyId: sm2, SourceEncryptionAlgorithm: 'SM2PKE', DestinationKeyId: symmetric, DestinationEncryptionContext: { back: 'home' },
  }));
  assert.deepEqual([back.SourceEncryptionAlgorithm, back.DestinationEncryptionAlgorithm], ['SM2PKE', 'SYMMETRIC_DEFAULT']);
  assert.ok(back.SourceKeyMaterialId === undefined && back.DestinationKeyMaterialId !== undefined);
  const final = await kms.send(new DecryptCommand({ CiphertextBlob: back.CiphertextBlob, EncryptionContext: { back: 'home' } }));
  assert.deepEqual(Buffer.from(final.Plaintext ?? []), plaintext);
});

test('ReEncrypt refusals: an RSA source without SourceKeyId, an RSA destination with a context, and a plaintext over the destination limit', async () => {
  const symmetric = (await createKey(kms)).Arn;
  const rsa = await keyOf('RSA_2048');
  const rsaCiphertext = await encrypt(rsa, 'RSAES_OAEP_SHA_1', Buffer.from('x'));
  await expectError(kms.send(new ReEncryptCommand({ CiphertextBlob: rsaCiphertext, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_1', DestinationKeyId: symmetric })), 'InvalidCiphertextException', 400);
  const blob = (await kms.send(new EncryptCommand({ KeyId: symmetric, Plaintext: Buffer.from('x') }))).CiphertextBlob;
  await expectError(kms.send(new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: rsa, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DestinationEncryptionContext: { a: 'b' } })), 'ValidationException', 400);
  await expectError(kms.send(new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: rsa })), 'InvalidKeyUsageException', 400);
  const big = (await kms.send(new EncryptCommand({ KeyId: symmetric, Plaintext: randomBytes(191) }))).CiphertextBlob;
  await expectError(kms.send(new ReEncryptCommand({ CiphertextBlob: big, DestinationKeyId: rsa, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })), 'ValidationException', 400);
  await kms.send(new ReEncryptCommand({ CiphertextBlob: big, DestinationKeyId: rsa, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }));
});

// --- What AWS forbids ----------------------------------------------------------------------------

test('forbidden combinations answer with AWS errors and statuses, never 500', async () => {
  const [rsa, rsaSign, sm2, symmetric] = [await keyOf('RSA_2048'), await keyOf('RSA_2048', 'SIGN_VERIFY'), await keyOf('SM2'), (await createKey(kms)).Arn];
  const rsaCiphertext = await encrypt(rsa, 'RSAES_OAEP_SHA_256', Buffer.from('x'));
  const x = Buffer.from('x');
  const cases: [string, () => Promise<unknown>, string][] = [
    ['Encrypt with a SIGN_VERIFY RSA key', () => encrypt(rsaSign, 'RSAES_OAEP_SHA_256', x), 'InvalidKeyUsageException'],
    ['Encrypt with an RSA key and no EncryptionAlgorithm', () => kms.send(new EncryptCommand({ KeyId: rsa, Plaintext: x })), 'InvalidKeyUsageException'],
    ['Encrypt with an RSA key and SYMMETRIC_DEFAULT', () => encrypt(rsa, 'SYMMETRIC_DEFAULT', x), 'InvalidKeyUsageException'],
    ['Encrypt with an RSA key and SM2PKE', () => encrypt(rsa, 'SM2PKE', x), 'InvalidKeyUsageException'],
    ['Encrypt with an SM2 key and OAEP', () => encrypt(sm2, 'RSAES_OAEP_SHA_1', x), 'InvalidKeyUsageException'],
    ['Encrypt with an RSA key and an EncryptionContext', () => kms.send(new EncryptCommand({ KeyId: rsa, Plaintext: x, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: { a: 'b' } })), 'ValidationException'],
    ['Decrypt of an RSA ciphertext with an EncryptionContext', () => kms.send(new DecryptCommand({ KeyId: rsa, CiphertextBlob: rsaCiphertext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: { a: 'b' } })), 'ValidationException'],
    ['Decrypt of an RSA ciphertext without KeyId', () => kms.send(new DecryptCommand({ CiphertextBlob: rsaCiphertext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })), 'InvalidCiphertextException'],
    ['Decrypt of an RSA ciphertext without EncryptionAlgorithm', () => kms.send(new DecryptCommand({ KeyId: rsa, CiphertextBlob: rsaCiphertext })), 'InvalidKeyUsageException'],
    ['Decrypt with a symmetric KeyId and an RSA algorithm', () => kms.send(new DecryptCommand({ KeyId: symmetric, CiphertextBlob: rsaCiphertext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })), 'InvalidKeyUsageException'],
    ['Decrypt with a SIGN_VERIFY RSA key', () => kms.send(new DecryptCommand({ KeyId: rsaSign, CiphertextBlob: rsaCiphertext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })), 'InvalidKeyUsageException'],
    ['GenerateDataKey with an RSA key', () => kms.send(new GenerateDataKeyCommand({ KeyId: rsa, KeySpec: 'AES_256' })), 'InvalidKeyUsageException'],
  ];
  for (const [name, call, error] of cases) {
    await assert.doesNotReject(expectError(call(), error, 400), name);
  }
  const unknownAlias = new DecryptCommand({ KeyId: uniqueAlias('none'), CiphertextBlob: rsaCiphertext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
  await expectError(kms.send(unknownAlias), 'NotFoundException', 404);
  // A raw ciphertext's KeyId is resolved like any KeyId: a key id naming no key is NotFound, as AWS.
  const unknownKey = new DecryptCommand({ KeyId: '00000000-0000-4000-8000-000000000000', CiphertextBlob: rsaCiphertext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
  await expectError(kms.send(unknownKey), 'NotFoundException', 404);
});

test('DryRun with an asymmetric key: a request that would succeed is DryRunOperationException (412), one that would not gets its error', async () => {
  const rsa = await keyOf('RSA_2048');
  const ciphertext = await encrypt(rsa, 'RSAES_OAEP_SHA_256', Buffer.from('x'));
  await expectError(kms.send(new EncryptCommand({ KeyId: rsa, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DryRun: true })), 'DryRunOperationException', 412);
  await expectError(kms.send(new DecryptCommand({ KeyId: rsa, CiphertextBlob: ciphertext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DryRun: true })), 'DryRunOperationException', 412);
  await expectError(kms.send(new EncryptCommand({ KeyId: rsa, Plaintext: randomBytes(191), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DryRun: true })), 'ValidationException', 400);
  await expectError(kms.send(new DecryptCommand({ KeyId: rsa, CiphertextBlob: ciphertext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1', DryRun: true })), 'InvalidCiphertextException', 400);
});

test('a key policy can limit an RSA key to one algorithm with kms:EncryptionAlgorithm', async () => {
  const root = 'arn:aws:iam::000000000000:root';
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({
    KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT',
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' },
        { Effect: 'Deny', Principal: { AWS: root }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*', Condition: { StringNotEquals: { 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_256' } } },
      ],
    }),
  }));
  const keyId = KeyMetadata?.Arn ?? '';
  const ciphertext = await encrypt(keyId, 'RSAES_OAEP_SHA_256', Buffer.from('allowed'));
  assert.equal((await decrypt(keyId, 'RSAES_OAEP_SHA_256', ciphertext)).toString(), 'allowed');
  await expectError(encrypt(keyId, 'RSAES_OAEP_SHA_1', Buffer.from('x')), 'AccessDeniedException', 400);
  await expectError(decrypt(keyId, 'RSAES_OAEP_SHA_1', ciphertext), 'AccessDeniedException', 400);
});
