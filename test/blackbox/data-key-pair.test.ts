// GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext through the official AWS SDK against
// the real server, for every KeyPairSpec AWS offers: the private key is PKCS#8 that OpenSSL loads
// and whose public key is the returned SPKI; the encrypted private key decrypts (with the same
// encryption context) to it; WithoutPlaintext returns none; an asymmetric KMS key is refused.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  CreateKeyCommand, DecryptCommand, GenerateDataKeyPairCommand, GenerateDataKeyPairWithoutPlaintextCommand, type DataKeyPairSpec, type KMSClient,
} from '@aws-sdk/client-kms';
import { serverForFile } from '../harness/server.js';
import { createKey, expectError } from './api-helpers.js';

let kms: KMSClient;
/** The symmetric KMS key every data key pair is encrypted under. */
let keyId: string;
let materialId: string;
serverForFile(async (s) => {
  kms = s.client();
  const md = await createKey(kms);
  [keyId, materialId] = [md.Arn, md.CurrentKeyMaterialId ?? ''];
});

const dir = mkdtempSync(join(tmpdir(), 'keyhold-dkp-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const opensslSkip = spawnSync('openssl', ['version']).status === 0 ? false : 'the openssl command is not installed';

/** Every DataKeyPairSpec, with what node reports for its public key (type, and size or curve). */
const SPECS: readonly (readonly [DataKeyPairSpec, string])[] = [
  ['RSA_2048', 'rsa 2048'], ['RSA_3072', 'rsa 3072'], ['RSA_4096', 'rsa 4096'],
  ['ECC_NIST_P256', 'ec prime256v1'], ['ECC_NIST_P384', 'ec secp384r1'], ['ECC_NIST_P521', 'ec secp521r1'],
  ['ECC_SECG_P256K1', 'ec secp256k1'], ['SM2', 'sm2'], ['ECC_NIST_EDWARDS25519', 'ed25519'],
];
const context = { purpose: 'data-key-pair-test' };

/** "rsa 2048", "ec prime256v1", "ed25519" — or "sm2", which node opens without naming its type. */
function describe(der: Buffer): string {
  const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
  if (key.asymmetricKeyType === undefined) return der.includes(Buffer.from('2a811ccf5501822d', 'hex')) ? 'sm2' : 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  return [key.asymmetricKeyType, details.modulusLength ?? details.namedCurve].filter((v) => v !== undefined).join(' ');
}

for (const [spec, expected] of SPECS) {
  test(`GenerateDataKeyPair ${spec}: PKCS#8 private key, matching SPKI public key, and a ciphertext that Decrypt opens to the PKCS#8`, async () => {
    const res = await kms.send(new GenerateDataKeyPairCommand({ KeyId: keyId, KeyPairSpec: spec, EncryptionContext: context }));
    assert.deepEqual([res.KeyId, res.KeyPairSpec, res.KeyMaterialId], [keyId, spec, materialId]);
    const [privateDer, publicDer] = [Buffer.from(res.PrivateKeyPlaintext ?? []), Buffer.from(res.PublicKey ?? [])];
    assert.equal(describe(publicDer), expected);
    const derived = createPublicKey(createPrivateKey({ key: privateDer, format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' });
    assert.deepEqual(derived, publicDer, 'the private key belongs to the returned public key');

    const opened = await kms.send(new DecryptCommand({ CiphertextBlob: res.PrivateKeyCiphertextBlob, EncryptionContext: context }));
    assert.deepEqual(Buffer.from(opened.Plaintext ?? []), privateDer, 'Decrypt returns the PKCS#8');
    assert.equal(opened.KeyId, keyId);
    await expectError(kms.send(new DecryptCommand({ CiphertextBlob: res.PrivateKeyCiphertextBlob })), 'InvalidCiphertextException', 400);
  });

  test(`GenerateDataKeyPair ${spec}: OpenSSL loads the private key, and its public key is the returned one`, { skip: opensslSkip }, async () => {
    const res = await kms.send(new GenerateDataKeyPairCommand({ KeyId: keyId, KeyPairSpec: spec }));
    const file = join(dir, `${spec}.p8.der`);
    writeFileSync(file, Buffer.from(res.PrivateKeyPlaintext ?? []), { mode: 0o600 });
    const publicKey = execFileSync('openssl', ['pkey', '-inform', 'DER', '-in', file, '-pubout', '-outform', 'DER']);
    assert.deepEqual(publicKey, Buffer.from(res.PublicKey ?? []));
  });

  test(`GenerateDataKeyPairWithoutPlaintext ${spec}: no private key in the response; the ciphertext decrypts to a key of the returned public key`, async () => {
    const res = await kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: keyId, KeyPairSpec: spec, EncryptionContext: context }));
    assert.equal((res as { PrivateKeyPlaintext?: unknown }).PrivateKeyPlaintext, undefined);
    assert.deepEqual([res.KeyId, res.KeyPairSpec, res.KeyMaterialId], [keyId, spec, materialId]);
    const opened = await kms.send(new DecryptCommand({ CiphertextBlob: res.PrivateKeyCiphertextBlob, EncryptionContext: context }));
    const derived = createPublicKey(createPrivateKey({ key: Buffer.from(opened.Plaintext ?? []), format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' });
    assert.deepEqual(derived, Buffer.from(res.PublicKey ?? []));
  });
}

test('GenerateDataKeyPair with an asymmetric or HMAC KMS key is InvalidKeyUsageException (400)', async () => {
  for (const [KeySpec, KeyUsage] of [['RSA_2048', 'ENCRYPT_DECRYPT'], ['SM2', 'ENCRYPT_DECRYPT'], ['ECC_NIST_P256', 'SIGN_VERIFY'], ['HMAC_256', 'GENERATE_VERIFY_MAC']] as const) {
    const key = (await createKey(kms, { KeySpec, KeyUsage })).Arn;
    await expectError(kms.send(new GenerateDataKeyPairCommand({ KeyId: key, KeyPairSpec: 'ECC_NIST_P256' })), 'InvalidKeyUsageException', 400);
    await expectError(kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: key, KeyPairSpec: 'ECC_NIST_P256' })), 'InvalidKeyUsageException', 400);
  }
});

test('GenerateDataKeyPair DryRun is DryRunOperationException (412); an unknown KeyPairSpec is ValidationException (400)', async () => {
  await expectError(kms.send(new GenerateDataKeyPairCommand({ KeyId: keyId, KeyPairSpec: 'RSA_4096', DryRun: true })), 'DryRunOperationException', 412);
  await expectError(kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: keyId, KeyPairSpec: 'SM2', DryRun: true })), 'DryRunOperationException', 412);
  await expectError(kms.send(new GenerateDataKeyPairCommand({ KeyId: keyId, KeyPairSpec: 'RSA_1024' as DataKeyPairSpec })), 'ValidationException', 400);
});

test('a key policy can limit data key pairs by kms:DataKeyPairSpec and kms:EncryptionAlgorithm', async () => {
  const root = 'arn:aws:iam::000000000000:root';
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: root }, NotAction: ['kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext'], Resource: '*' },
        {
          Effect: 'Allow', Principal: { AWS: root }, Action: ['kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext'], Resource: '*',
          Condition: { StringLike: { 'kms:DataKeyPairSpec': 'ECC_*' }, StringEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } },
        },
      ],
    }),
  }));
  const limited = KeyMetadata?.Arn ?? '';
  await kms.send(new GenerateDataKeyPairCommand({ KeyId: limited, KeyPairSpec: 'ECC_NIST_P256' }));
  await kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: limited, KeyPairSpec: 'ECC_SECG_P256K1' }));
  await expectError(kms.send(new GenerateDataKeyPairCommand({ KeyId: limited, KeyPairSpec: 'RSA_2048' })), 'AccessDeniedException', 400);
  await expectError(kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: limited, KeyPairSpec: 'SM2' })), 'AccessDeniedException', 400);
});
