// What Sign and Verify refuse, through the official AWS SDK against the real server: the wrong
// kind of key, an algorithm of another spec, a MessageType the algorithm does not take, a digest
// of the wrong length, an oversized message, malformed signatures. Each gets AWS's error type and
// status (AWS KMS API reference, Sign and Verify), never a 500.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  CreateKeyCommand, DisableKeyCommand, SignCommand, VerifyCommand,
  type KeySpec, type KeyUsageType, type KMSClient, type MessageType, type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { serverForFile } from '../harness/server.js';
import { expectError } from './api-helpers.js';

let kms: KMSClient;
serverForFile((s) => void (kms = s.client()));

const keys = new Map<string, Promise<string>>();
function keyFor(spec: string, usage: KeyUsageType = 'SIGN_VERIFY'): Promise<string> {
  const name = `${spec}/${usage}`;
  let key = keys.get(name);
  if (key === undefined) {
    key = kms.send(new CreateKeyCommand({ KeySpec: spec as KeySpec, KeyUsage: usage })).then((res) => res.KeyMetadata?.KeyId ?? '');
    keys.set(name, key);
  }
  return key;
}

const message = Buffer.from('refuse me');
const sha = (bits: 256 | 384 | 512, data = message): Buffer => createHash(`sha${bits}`).update(data).digest();
const sign = async (spec: string, algorithm: SigningAlgorithmSpec, messageType: MessageType | undefined, msg: Buffer, usage?: KeyUsageType) =>
  kms.send(new SignCommand({ KeyId: await keyFor(spec, usage), Message: msg, SigningAlgorithm: algorithm, ...(messageType ? { MessageType: messageType } : {}) }));

const refusals: [name: string, call: () => Promise<unknown>, type: string, status: number][] = [
  ['Sign with a SYMMETRIC_DEFAULT key', () => sign('SYMMETRIC_DEFAULT', 'RSASSA_PSS_SHA_256', 'RAW', message, 'ENCRYPT_DECRYPT'), 'InvalidKeyUsageException', 400],
  ['Sign with an ENCRYPT_DECRYPT RSA key', () => sign('RSA_2048', 'RSASSA_PSS_SHA_256', 'RAW', message, 'ENCRYPT_DECRYPT'), 'InvalidKeyUsageException', 400],
  ['Sign with an HMAC key', () => sign('HMAC_256', 'ECDSA_SHA_256', 'RAW', message, 'GENERATE_VERIFY_MAC'), 'InvalidKeyUsageException', 400],
  ['Sign with a KEY_AGREEMENT P-256 key', () => sign('ECC_NIST_P256', 'ECDSA_SHA_256', 'RAW', message, 'KEY_AGREEMENT'), 'InvalidKeyUsageException', 400],
  ['ECDSA_SHA_384 on a P-256 key (an algorithm of another spec)', () => sign('ECC_NIST_P256', 'ECDSA_SHA_384', 'RAW', message), 'InvalidKeyUsageException', 400],
  ['ECDSA_SHA_256 on an RSA key', () => sign('RSA_2048', 'ECDSA_SHA_256', 'RAW', message), 'InvalidKeyUsageException', 400],
  ['ML_DSA_SHAKE_256 on an Ed25519 key', () => sign('ECC_NIST_EDWARDS25519', 'ML_DSA_SHAKE_256', 'RAW', message), 'InvalidKeyUsageException', 400],
  ['a 31-byte DIGEST for ECDSA_SHA_256', () => sign('ECC_NIST_P256', 'ECDSA_SHA_256', 'DIGEST', sha(256).subarray(1)), 'ValidationException', 400],
  ['a SHA-256 DIGEST for RSASSA_PSS_SHA_512', () => sign('RSA_2048', 'RSASSA_PSS_SHA_512', 'DIGEST', sha(256)), 'ValidationException', 400],
  ['a 33-byte DIGEST for SM2DSA', () => sign('SM2', 'SM2DSA', 'DIGEST', Buffer.alloc(33, 1)), 'ValidationException', 400],
  ['a 4097-byte RAW message', () => sign('ECC_NIST_P256', 'ECDSA_SHA_256', 'RAW', randomBytes(4097)), 'ValidationException', 400],
  ['an empty message', () => sign('ECC_NIST_P256', 'ECDSA_SHA_256', 'RAW', Buffer.alloc(0)), 'ValidationException', 400],
  ['EXTERNAL_MU with ECDSA', () => sign('ECC_NIST_P256', 'ECDSA_SHA_256', 'EXTERNAL_MU', randomBytes(64)), 'ValidationException', 400],
  ['EXTERNAL_MU with RSA', () => sign('RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_512', 'EXTERNAL_MU', randomBytes(64)), 'ValidationException', 400],
  ['DIGEST with ED25519_SHA_512 (it needs RAW)', () => sign('ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', 'DIGEST', sha(512)), 'ValidationException', 400],
  ['RAW with ED25519_PH_SHA_512 (it needs DIGEST)', () => sign('ECC_NIST_EDWARDS25519', 'ED25519_PH_SHA_512', 'RAW', message), 'ValidationException', 400],
  ['no MessageType (RAW) with ED25519_PH_SHA_512', () => sign('ECC_NIST_EDWARDS25519', 'ED25519_PH_SHA_512', undefined, sha(512)), 'ValidationException', 400],
  ['a 32-byte DIGEST for ED25519_PH_SHA_512', () => sign('ECC_NIST_EDWARDS25519', 'ED25519_PH_SHA_512', 'DIGEST', sha(256)), 'ValidationException', 400],
  ['DIGEST with ML-DSA', () => sign('ML_DSA_44', 'ML_DSA_SHAKE_256', 'DIGEST', randomBytes(64)), 'ValidationException', 400],
  ['a 63-byte EXTERNAL_MU', () => sign('ML_DSA_44', 'ML_DSA_SHAKE_256', 'EXTERNAL_MU', randomBytes(63)), 'ValidationException', 400],
];
for (const [name, call, type, status] of refusals) {
  test(`Sign refuses ${name}: ${type} (${status})`, async () => {
    await expectError(call(), type, status);
  });
}

test('Verify applies the same checks as Sign before it looks at the signature', async () => {
  const verify = async (spec: string, algorithm: SigningAlgorithmSpec, messageType: MessageType, msg: Buffer, usage?: KeyUsageType) =>
    kms.send(new VerifyCommand({ KeyId: await keyFor(spec, usage), Message: msg, MessageType: messageType, Signature: Buffer.alloc(64, 1), SigningAlgorithm: algorithm }));
  await expectError(verify('SYMMETRIC_DEFAULT', 'ECDSA_SHA_256', 'RAW', message, 'ENCRYPT_DECRYPT'), 'InvalidKeyUsageException', 400);
  await expectError(verify('ECC_NIST_P384', 'ECDSA_SHA_256', 'RAW', message), 'InvalidKeyUsageException', 400);
  await expectError(verify('ECC_NIST_P384', 'ECDSA_SHA_384', 'DIGEST', sha(256)), 'ValidationException', 400);
  await expectError(verify('ECC_NIST_P384', 'ECDSA_SHA_384', 'EXTERNAL_MU', randomBytes(64)), 'ValidationException', 400);
});

test('Verify answers malformed signatures of every scheme with KMSInvalidSignatureException, never a 500', async () => {
  const cases: [string, SigningAlgorithmSpec, MessageType, Buffer][] = [
    ['RSA_2048', 'RSASSA_PSS_SHA_256', 'RAW', message], ['RSA_3072', 'RSASSA_PKCS1_V1_5_SHA_384', 'DIGEST', sha(384)],
    ['ECC_NIST_P256', 'ECDSA_SHA_256', 'RAW', message], ['ECC_NIST_P521', 'ECDSA_SHA_512', 'DIGEST', sha(512)],
    ['ECC_SECG_P256K1', 'ECDSA_SHA_256', 'RAW', message], ['ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', 'RAW', message],
    ['ECC_NIST_EDWARDS25519', 'ED25519_PH_SHA_512', 'DIGEST', sha(512)], ['SM2', 'SM2DSA', 'RAW', message],
    ['ML_DSA_65', 'ML_DSA_SHAKE_256', 'RAW', message], ['ML_DSA_65', 'ML_DSA_SHAKE_256', 'EXTERNAL_MU', randomBytes(64)],
  ];
  const garbage = [Buffer.from([0]), Buffer.from([0x30, 0x00]), Buffer.from([0x30, 0x80, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00, 0x00]), randomBytes(64), randomBytes(6144), Buffer.alloc(6144, 0xff)];
  for (const [spec, algorithm, messageType, msg] of cases) {
    const keyId = await keyFor(spec);
    for (const signature of garbage) {
      await expectError(kms.send(new VerifyCommand({ KeyId: keyId, Message: msg, MessageType: messageType, Signature: signature, SigningAlgorithm: algorithm })), 'KMSInvalidSignatureException', 400);
    }
  }
});

test('a signature does not verify under another algorithm of the same key, nor under another key', async () => {
  const keyId = await keyFor('RSA_2048');
  const { Signature } = await kms.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }));
  await expectError(kms.send(new VerifyCommand({ KeyId: keyId, Message: message, Signature, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' })), 'KMSInvalidSignatureException', 400);
  await expectError(kms.send(new VerifyCommand({ KeyId: keyId, Message: message, Signature, SigningAlgorithm: 'RSASSA_PSS_SHA_384' })), 'KMSInvalidSignatureException', 400);
  const other = (await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata?.KeyId;
  await expectError(kms.send(new VerifyCommand({ KeyId: other, Message: message, Signature, SigningAlgorithm: 'RSASSA_PSS_SHA_256' })), 'KMSInvalidSignatureException', 400);
  // The digest of a message is the same message: a RAW signature verifies as DIGEST and back.
  const { SignatureValid } = await kms.send(new VerifyCommand({ KeyId: keyId, Message: sha(256), MessageType: 'DIGEST', Signature, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }));
  assert.equal(SignatureValid, true);
});

test('DryRun: Sign and Verify that would succeed answer DryRunOperationException (412); a disabled key is DisabledException (409)', async () => {
  const keyId = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata?.KeyId ?? '';
  await expectError(kms.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true })), 'DryRunOperationException', 412);
  const { Signature } = await kms.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }));
  await expectError(kms.send(new VerifyCommand({ KeyId: keyId, Message: message, Signature, SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true })), 'DryRunOperationException', 412);
  // DryRun still reports the request's real error when it would fail.
  await expectError(kms.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_384', DryRun: true })), 'InvalidKeyUsageException', 400);
  await kms.send(new DisableKeyCommand({ KeyId: keyId }));
  await expectError(kms.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' })), 'DisabledException', 409);
  await expectError(kms.send(new VerifyCommand({ KeyId: keyId, Message: message, Signature, SigningAlgorithm: 'ECDSA_SHA_256' })), 'DisabledException', 409);
});
