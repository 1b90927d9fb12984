// GenerateMac, VerifyMac and DeriveSharedSecret through the official AWS SDK against the real
// server: every HMAC spec, ECDH on P-256, P-384, P-521 and SM2 checked against the secret the peer
// computes on its own side, and what AWS forbids, with AWS's errors and HTTP statuses.
import assert from 'node:assert/strict';
import { createHmac, createPublicKey, diffieHellman, generateKeyPairSync, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  CreateAliasCommand, DeriveSharedSecretCommand, DisableKeyCommand, GenerateMacCommand, GetPublicKeyCommand,
  VerifyMacCommand, type KeySpec, type KeyUsageType, type KMSClient, type MacAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { serverForFile } from '../harness/server.js';
import { createKey, expectError, uniqueAlias } from './api-helpers.js';
import { sm2Ecdh } from '../../src/crypto/sm2-curve.js';

let kms: KMSClient;
serverForFile((s) => void (kms = s.client()));

const keyOf = async (spec: KeySpec, usage: KeyUsageType): Promise<{ KeyId: string; Arn: string }> => createKey(kms, { KeySpec: spec, KeyUsage: usage });
const message = Buffer.from('{"sub":"alice","exp":1700000000}');
const flipBit = (b: Uint8Array, bit: number): Buffer => {
  const out = Buffer.from(b);
  out.writeUInt8((out[bit >> 3] ?? 0) ^ (1 << (bit & 7)), bit >> 3);
  return out;
};

// --- GenerateMac / VerifyMac --------------------------------------------------------------------

const HMAC_SPECS: readonly (readonly [KeySpec, MacAlgorithmSpec, string, number])[] = [
  ['HMAC_224', 'HMAC_SHA_224', 'sha224', 28],
  ['HMAC_256', 'HMAC_SHA_256', 'sha256', 32],
  ['HMAC_384', 'HMAC_SHA_384', 'sha384', 48],
  ['HMAC_512', 'HMAC_SHA_512', 'sha512', 64],
];

for (const [spec, algorithm, hash, tagBytes] of HMAC_SPECS) {
  test(`${spec}: GenerateMac gives a full-length ${algorithm} that VerifyMac accepts, and only for this message`, async () => {
    const key = await keyOf(spec, 'GENERATE_VERIFY_MAC');
    const generated = await kms.send(new GenerateMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm: algorithm }));
    assert.deepEqual([generated.KeyId, generated.MacAlgorithm, generated.Mac?.length], [key.Arn, algorithm, tagBytes]);
    const mac = Buffer.from(generated.Mac ?? []);
    // HMAC is deterministic: the same message gives the same MAC, another message another one.
    const again = await kms.send(new GenerateMacCommand({ KeyId: key.Arn, Message: message, MacAlgorithm: algorithm }));
    assert.deepEqual(Buffer.from(again.Mac ?? []), mac);
    const other = await kms.send(new GenerateMacCommand({ KeyId: key.KeyId, Message: Buffer.from('another message'), MacAlgorithm: algorithm }));
    assert.notDeepEqual(Buffer.from(other.Mac ?? []), mac);
    // The key never leaves keyhold: the MAC is not the HMAC under any key the caller could guess.
    for (const guess of [Buffer.alloc(tagBytes), Buffer.alloc(0), Buffer.from(key.KeyId), Buffer.from(key.Arn)]) {
      assert.notDeepEqual(createHmac(hash, guess).update(message).digest(), mac);
    }

    const verified = await kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message: message, Mac: mac, MacAlgorithm: algorithm }));
    assert.deepEqual([verified.KeyId, verified.MacValid, verified.MacAlgorithm], [key.Arn, true, algorithm]);
    for (const bit of [0, 7, tagBytes * 8 - 1]) {
      await expectError(kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message: message, Mac: flipBit(mac, bit), MacAlgorithm: algorithm })), 'KMSInvalidMacException', 400);
    }
    // AWS's MACs are full length: a truncated one (as some protocols send) is not valid.
    await expectError(kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message: message, Mac: mac.subarray(0, 16), MacAlgorithm: algorithm })), 'KMSInvalidMacException', 400);
    await expectError(kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message: message, Mac: Buffer.concat([mac, Buffer.from([0])]), MacAlgorithm: algorithm })), 'KMSInvalidMacException', 400);
    await expectError(kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message: Buffer.from('another message'), Mac: mac, MacAlgorithm: algorithm })), 'KMSInvalidMacException', 400);
  });
}

test('VerifyMac with another HMAC key of the same spec is KMSInvalidMacException', async () => {
  const [a, b] = [await keyOf('HMAC_256', 'GENERATE_VERIFY_MAC'), await keyOf('HMAC_256', 'GENERATE_VERIFY_MAC')];
  const { Mac } = await kms.send(new GenerateMacCommand({ KeyId: a.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }));
  await expectError(kms.send(new VerifyMacCommand({ KeyId: b.KeyId, Message: message, Mac, MacAlgorithm: 'HMAC_SHA_256' })), 'KMSInvalidMacException', 400);
});

test('GenerateMac and VerifyMac take an alias; 4096-byte messages pass, 4097 bytes is ValidationException', async () => {
  const key = await keyOf('HMAC_384', 'GENERATE_VERIFY_MAC');
  const alias = uniqueAlias('mac');
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.KeyId }));
  const big = randomBytes(4096);
  const { Mac } = await kms.send(new GenerateMacCommand({ KeyId: alias, Message: big, MacAlgorithm: 'HMAC_SHA_384' }));
  const verified = await kms.send(new VerifyMacCommand({ KeyId: alias, Message: big, Mac, MacAlgorithm: 'HMAC_SHA_384' }));
  assert.equal(verified.MacValid, true);
  await expectError(kms.send(new GenerateMacCommand({ KeyId: alias, Message: randomBytes(4097), MacAlgorithm: 'HMAC_SHA_384' })), 'ValidationException', 400);
});

test('GenerateMac and VerifyMac: DryRun is DryRunOperationException (412); a disabled key is DisabledException (409)', async () => {
  const key = await keyOf('HMAC_512', 'GENERATE_VERIFY_MAC');
  const { Mac } = await kms.send(new GenerateMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_512' }));
  await expectError(kms.send(new GenerateMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_512', DryRun: true })), 'DryRunOperationException', 412);
  await expectError(kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message: message, Mac, MacAlgorithm: 'HMAC_SHA_512', DryRun: true })), 'DryRunOperationException', 412);
  await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
  await expectError(kms.send(new GenerateMacCommand({ KeyId: key.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_512' })), 'DisabledException', 409);
  await expectError(kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message: message, Mac, MacAlgorithm: 'HMAC_SHA_512' })), 'DisabledException', 409);
});

// --- DeriveSharedSecret -------------------------------------------------------------------------

/** The peer's side of the agreement, computed here from the peer's private key and keyhold's
 *  public key (from GetPublicKey), as AWS's workflow has Bob do it. */
interface Peer {
  readonly spki: Buffer;
  secretWith(kmsPublicKeyDer: Buffer): Buffer;
}
function nistPeer(namedCurve: string): Peer {
  const pair = generateKeyPairSync('ec', { namedCurve });
  return {
    spki: pair.publicKey.export({ type: 'spki', format: 'der' }),
    secretWith: (der) => diffieHellman({ privateKey: pair.privateKey, publicKey: createPublicKey({ key: der, format: 'der', type: 'spki' }) }),
  };
}
/** Node cannot do ECDH on SM2 on every runtime (its ECDH class refuses SM2 pairs on Node 24), so
 *  the peer's side is computed with @noble/curves: the peer's scalar times keyhold's point, the
 *  other half of the agreement from the one keyhold computes. */
function sm2Peer(kmsPublicKeyPrefix: Buffer): Peer {
  const secretKey = sm2Ecdh.utils.randomSecretKey();
  return {
    spki: Buffer.concat([kmsPublicKeyPrefix, sm2Ecdh.getPublicKey(secretKey, false)]),
    secretWith: (der) => Buffer.from(sm2Ecdh.getSharedSecret(secretKey, der.subarray(-65), false).subarray(1, 33)),
  };
}

const AGREEMENT: readonly (readonly [KeySpec, string, number])[] = [
  ['ECC_NIST_P256', 'prime256v1', 32],
  ['ECC_NIST_P384', 'secp384r1', 48],
  ['ECC_NIST_P521', 'secp521r1', 66],
  ['SM2', 'SM2', 32],
];

for (const [spec, namedCurve, secretBytes] of AGREEMENT) {
  test(`${spec}: DeriveSharedSecret returns the raw ECDH secret the peer computes from keyhold's public key`, async () => {
    const key = await keyOf(spec, 'KEY_AGREEMENT');
    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
    const kmsPublic = Buffer.from(PublicKey ?? []);
    const peer = spec === 'SM2' ? sm2Peer(kmsPublic.subarray(0, kmsPublic.length - 65)) : nistPeer(namedCurve);
    const derived = await kms.send(new DeriveSharedSecretCommand({ KeyId: key.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer.spki }));
    assert.deepEqual([derived.KeyId, derived.KeyAgreementAlgorithm, derived.KeyOrigin, derived.SharedSecret?.length], [key.Arn, 'ECDH', 'AWS_KMS', secretBytes]);
    assert.deepEqual(Buffer.from(derived.SharedSecret ?? []), peer.secretWith(kmsPublic));
  });
}

test('DeriveSharedSecret refuses a peer key on another curve, off the curve, or not DER with ValidationException (400)', async () => {
  const key = await keyOf('ECC_NIST_P256', 'KEY_AGREEMENT');
  const spki = (namedCurve: string): Buffer => generateKeyPairSync('ec', { namedCurve }).publicKey.export({ type: 'spki', format: 'der' });
  const offCurve = flipBit(spki('prime256v1'), 8 * 90);
  const peers = [spki('secp384r1'), spki('secp256k1'), spki('SM2'), offCurve, Buffer.concat([spki('prime256v1'), Buffer.from([0])]), Buffer.from('not a public key'),
    generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'der' })];
  for (const PublicKey of peers) {
    await expectError(kms.send(new DeriveSharedSecretCommand({ KeyId: key.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey })), 'ValidationException', 400);
  }
});

test('DeriveSharedSecret: Recipient is UnsupportedOperationException, DryRun is DryRunOperationException (412)', async () => {
  const key = await keyOf('ECC_NIST_P384', 'KEY_AGREEMENT');
  const PublicKey = nistPeer('secp384r1').spki;
  await expectError(kms.send(new DeriveSharedSecretCommand({ KeyId: key.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey, Recipient: { KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', AttestationDocument: randomBytes(64) } })), 'UnsupportedOperationException', 400);
  await expectError(kms.send(new DeriveSharedSecretCommand({ KeyId: key.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey, DryRun: true })), 'DryRunOperationException', 412);
});

// --- What AWS forbids ---------------------------------------------------------------------------

const p256Peer = (): Buffer => nistPeer('prime256v1').spki;
const forbidden: readonly (readonly [string, KeySpec, KeyUsageType, (keyId: string) => Promise<unknown>])[] = [
  ['GenerateMac with a symmetric key', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', (k) => kms.send(new GenerateMacCommand({ KeyId: k, Message: message, MacAlgorithm: 'HMAC_SHA_256' }))],
  ['VerifyMac with a symmetric key', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', (k) => kms.send(new VerifyMacCommand({ KeyId: k, Message: message, Mac: randomBytes(32), MacAlgorithm: 'HMAC_SHA_256' }))],
  ['GenerateMac with an ECC signing key', 'ECC_NIST_P256', 'SIGN_VERIFY', (k) => kms.send(new GenerateMacCommand({ KeyId: k, Message: message, MacAlgorithm: 'HMAC_SHA_256' }))],
  ['HMAC_SHA_512 with an HMAC_256 key', 'HMAC_256', 'GENERATE_VERIFY_MAC', (k) => kms.send(new GenerateMacCommand({ KeyId: k, Message: message, MacAlgorithm: 'HMAC_SHA_512' }))],
  ['VerifyMac HMAC_SHA_224 with an HMAC_384 key', 'HMAC_384', 'GENERATE_VERIFY_MAC', (k) => kms.send(new VerifyMacCommand({ KeyId: k, Message: message, Mac: randomBytes(28), MacAlgorithm: 'HMAC_SHA_224' }))],
  ['DeriveSharedSecret with a SIGN_VERIFY ECC key', 'ECC_NIST_P256', 'SIGN_VERIFY', (k) => kms.send(new DeriveSharedSecretCommand({ KeyId: k, KeyAgreementAlgorithm: 'ECDH', PublicKey: p256Peer() }))],
  ['DeriveSharedSecret with a symmetric key', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', (k) => kms.send(new DeriveSharedSecretCommand({ KeyId: k, KeyAgreementAlgorithm: 'ECDH', PublicKey: p256Peer() }))],
  ['DeriveSharedSecret with an HMAC key', 'HMAC_256', 'GENERATE_VERIFY_MAC', (k) => kms.send(new DeriveSharedSecretCommand({ KeyId: k, KeyAgreementAlgorithm: 'ECDH', PublicKey: p256Peer() }))],
];

for (const [name, spec, usage, call] of forbidden) {
  test(`${name} is InvalidKeyUsageException (400)`, async () => {
    const key = await keyOf(spec, usage);
    await expectError(call(key.KeyId), 'InvalidKeyUsageException', 400);
  });
}
