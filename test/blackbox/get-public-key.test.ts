// GetPublicKey through the official AWS SDK against the real server: for every asymmetric key spec
// and usage, a DER SubjectPublicKeyInfo of the right kind of key, with the KeySpec, KeyUsage,
// legacy CustomerMasterKeySpec and algorithm lists AWS returns (AWS KMS API reference,
// GetPublicKey); symmetric and HMAC keys have no public key (UnsupportedOperationException).
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { test } from 'node:test';
import {
  CreateAliasCommand, CreateKeyCommand, DisableKeyCommand, GetPublicKeyCommand, type KeySpec, type KeyUsageType, type KMSClient,
} from '@aws-sdk/client-kms';
import { serverForFile } from '../harness/server.js';
import { UNKNOWN_KEY_ID, expectError, uniqueAlias } from './api-helpers.js';

let kms: KMSClient;
serverForFile((s) => void (kms = s.client()));

const RSA_SIGN = ['RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512'];
interface Expected {
  readonly encryption?: readonly string[];
  readonly signing?: readonly string[];
  readonly keyAgreement?: readonly string[];
}
/** AWS KMS Developer Guide, "Key spec reference": every asymmetric spec and usage, with its lists. */
const ASYMMETRIC: readonly [KeySpec, KeyUsageType, Expected][] = [
  ...(['RSA_2048', 'RSA_3072', 'RSA_4096'] as const).flatMap((spec): [KeySpec, KeyUsageType, Expected][] => [
    [spec, 'ENCRYPT_DECRYPT', { encryption: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] }],
    [spec, 'SIGN_VERIFY', { signing: RSA_SIGN }],
  ]),
  ['ECC_NIST_P256', 'SIGN_VERIFY', { signing: ['ECDSA_SHA_256'] }],
  ['ECC_NIST_P256', 'KEY_AGREEMENT', { keyAgreement: ['ECDH'] }],
  ['ECC_NIST_P384', 'SIGN_VERIFY', { signing: ['ECDSA_SHA_384'] }],
  ['ECC_NIST_P384', 'KEY_AGREEMENT', { keyAgreement: ['ECDH'] }],
  ['ECC_NIST_P521', 'SIGN_VERIFY', { signing: ['ECDSA_SHA_512'] }],
  ['ECC_NIST_P521', 'KEY_AGREEMENT', { keyAgreement: ['ECDH'] }],
  ['ECC_SECG_P256K1', 'SIGN_VERIFY', { signing: ['ECDSA_SHA_256'] }],
  ['ECC_NIST_EDWARDS25519', 'SIGN_VERIFY', { signing: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] }],
  ['SM2', 'ENCRYPT_DECRYPT', { encryption: ['SM2PKE'] }],
  ['SM2', 'SIGN_VERIFY', { signing: ['SM2DSA'] }],
  ['SM2', 'KEY_AGREEMENT', { keyAgreement: ['ECDH'] }],
  ['ML_DSA_44', 'SIGN_VERIFY', { signing: ['ML_DSA_SHAKE_256'] }],
  ['ML_DSA_65', 'SIGN_VERIFY', { signing: ['ML_DSA_SHAKE_256'] }],
  ['ML_DSA_87', 'SIGN_VERIFY', { signing: ['ML_DSA_SHAKE_256'] }],
];
/** The deprecated CustomerMasterKeySpec enum has no Ed25519 or ML-DSA member. */
const LEGACY = (spec: string): boolean => !spec.startsWith('ML_DSA') && spec !== 'ECC_NIST_EDWARDS25519';

/** What the SubjectPublicKeyInfo must hold, checked without keyhold's code. */
function checkKey(spec: string, der: Buffer): void {
  if (spec.startsWith('RSA_')) {
    const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    assert.deepEqual([key.asymmetricKeyType, key.asymmetricKeyDetails?.modulusLength], ['rsa', Number(spec.slice(4))]);
  } else if (spec === 'ECC_NIST_EDWARDS25519') {
    assert.equal(createPublicKey({ key: der, format: 'der', type: 'spki' }).asymmetricKeyType, 'ed25519');
  } else if (spec === 'SM2') {
    // id-ecPublicKey with the SM2 curve OID 1.2.156.10197.1.301, then a 65-byte uncompressed point.
    assert.equal(der.subarray(0, 27).toString('hex'), '3059301306072a8648ce3d020106082a811ccf5501822d03420004');
    assert.equal(der.length, 91);
  } else if (spec.startsWith('ML_DSA')) {
    // RFC 9881: AlgorithmIdentifier id-ml-dsa-44/65/87 without parameters, then the raw key.
    const header = { ML_DSA_44: '30820532300b06096086480165030403110382052100', ML_DSA_65: '308207b2300b0609608648016503040312038207a100', ML_DSA_87: '30820a32300b060960864801650304031303820a2100' }[spec];
    assert.equal(der.subarray(0, 22).toString('hex'), header);
  } else {
    const curve = { ECC_NIST_P256: 'prime256v1', ECC_NIST_P384: 'secp384r1', ECC_NIST_P521: 'secp521r1', ECC_SECG_P256K1: 'secp256k1' }[spec];
    const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    assert.deepEqual([key.asymmetricKeyType, key.asymmetricKeyDetails?.namedCurve], ['ec', curve]);
  }
}

for (const [spec, usage, lists] of ASYMMETRIC) {
  test(`${spec} ${usage}: GetPublicKey returns its SubjectPublicKeyInfo, spec, usage and algorithms`, async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: usage }));
    assert.ok(KeyMetadata?.KeyId);
    const res = await kms.send(new GetPublicKeyCommand({ KeyId: KeyMetadata.KeyId }));
    assert.ok(res.PublicKey);
    checkKey(spec, Buffer.from(res.PublicKey));
    assert.deepEqual(
      {
        KeyId: res.KeyId, KeySpec: res.KeySpec, KeyUsage: res.KeyUsage, CustomerMasterKeySpec: res.CustomerMasterKeySpec,
        EncryptionAlgorithms: res.EncryptionAlgorithms, SigningAlgorithms: res.SigningAlgorithms, KeyAgreementAlgorithms: res.KeyAgreementAlgorithms,
      },
      {
        KeyId: KeyMetadata.Arn, KeySpec: spec, KeyUsage: usage, CustomerMasterKeySpec: LEGACY(spec) ? spec : undefined,
        EncryptionAlgorithms: lists.encryption, SigningAlgorithms: lists.signing, KeyAgreementAlgorithms: lists.keyAgreement,
      },
    );
  });
}

test('symmetric and HMAC keys have no public key: UnsupportedOperationException (400)', async () => {
  for (const [spec, usage] of [['SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'], ['HMAC_256', 'GENERATE_VERIFY_MAC'], ['HMAC_512', 'GENERATE_VERIFY_MAC']] as const) {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: usage }));
    await expectError(kms.send(new GetPublicKeyCommand({ KeyId: KeyMetadata?.KeyId })), 'UnsupportedOperationException', 400);
  }
});

test('GetPublicKey takes an alias, refuses an unknown key (NotFoundException) and a disabled one (DisabledException)', async () => {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
  const alias = uniqueAlias('public-key');
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: KeyMetadata?.KeyId }));
  assert.equal((await kms.send(new GetPublicKeyCommand({ KeyId: alias }))).KeyId, KeyMetadata?.Arn);
  await expectError(kms.send(new GetPublicKeyCommand({ KeyId: UNKNOWN_KEY_ID })), 'NotFoundException', 404);
  await kms.send(new DisableKeyCommand({ KeyId: KeyMetadata?.KeyId }));
  await expectError(kms.send(new GetPublicKeyCommand({ KeyId: alias })), 'DisabledException', 409);
});
