// Every KeySpec × usage × algorithm AWS KMS permits works through the official SDK, and a sample
// of what it forbids is refused with AWS's error. The expected pairings are written out here from
// the AWS KMS Developer Guide ("Key spec reference"), independently of src/core/key-specs.ts.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  CreateKeyCommand, DecryptCommand, DeriveSharedSecretCommand, DescribeKeyCommand, EncryptCommand, GenerateMacCommand,
  GetPublicKeyCommand, SignCommand, VerifyCommand, VerifyMacCommand, type KeySpec, type KeyUsageType, type KMSClient,
} from '@aws-sdk/client-kms';
import { serverForFile } from '../harness/server.js';
import { expectError } from './api-helpers.js';

let kms: KMSClient;
serverForFile((s) => void (kms = s.client()));

interface Pairing {
  readonly encryption?: readonly string[];
  readonly signing?: readonly string[];
  readonly mac?: readonly string[];
  readonly keyAgreement?: readonly string[];
}
const RSA_SIGN = ['RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512'];
const RSA_ENCRYPT = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];

/** AWS's pairings: spec → usage → the algorithms KeyMetadata lists. */
const AWS: Record<string, Partial<Record<KeyUsageType, Pairing>>> = {
  SYMMETRIC_DEFAULT: { ENCRYPT_DECRYPT: { encryption: ['SYMMETRIC_DEFAULT'] } },
  RSA_2048: { ENCRYPT_DECRYPT: { encryption: RSA_ENCRYPT }, SIGN_VERIFY: { signing: RSA_SIGN } },
  RSA_3072: { ENCRYPT_DECRYPT: { encryption: RSA_ENCRYPT }, SIGN_VERIFY: { signing: RSA_SIGN } },
  RSA_4096: { ENCRYPT_DECRYPT: { encryption: RSA_ENCRYPT }, SIGN_VERIFY: { signing: RSA_SIGN } },
  ECC_NIST_P256: { SIGN_VERIFY: { signing: ['ECDSA_SHA_256'] }, KEY_AGREEMENT: { keyAgreement: ['ECDH'] } },
  ECC_NIST_P384: { SIGN_VERIFY: { signing: ['ECDSA_SHA_384'] }, KEY_AGREEMENT: { keyAgreement: ['ECDH'] } },
  ECC_NIST_P521: { SIGN_VERIFY: { signing: ['ECDSA_SHA_512'] }, KEY_AGREEMENT: { keyAgreement: ['ECDH'] } },
  ECC_SECG_P256K1: { SIGN_VERIFY: { signing: ['ECDSA_SHA_256'] } },
  ECC_NIST_EDWARDS25519: { SIGN_VERIFY: { signing: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] } },
  SM2: { ENCRYPT_DECRYPT: { encryption: ['SM2PKE'] }, SIGN_VERIFY: { signing: ['SM2DSA'] }, KEY_AGREEMENT: { keyAgreement: ['ECDH'] } },
  HMAC_224: { GENERATE_VERIFY_MAC: { mac: ['HMAC_SHA_224'] } },
  HMAC_256: { GENERATE_VERIFY_MAC: { mac: ['HMAC_SHA_256'] } },
  HMAC_384: { GENERATE_VERIFY_MAC: { mac: ['HMAC_SHA_384'] } },
  HMAC_512: { GENERATE_VERIFY_MAC: { mac: ['HMAC_SHA_512'] } },
  ML_DSA_44: { SIGN_VERIFY: { signing: ['ML_DSA_SHAKE_256'] } },
  ML_DSA_65: { SIGN_VERIFY: { signing: ['ML_DSA_SHAKE_256'] } },
  ML_DSA_87: { SIGN_VERIFY: { signing: ['ML_DSA_SHAKE_256'] } },
};
const USAGES: readonly KeyUsageType[] = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'];
/** The curve a peer key for ECDH is made on, in node's names. */
const PEER_CURVE: Record<string, string> = { ECC_NIST_P256: 'prime256v1', ECC_NIST_P384: 'secp384r1', ECC_NIST_P521: 'secp521r1', SM2: 'SM2' };

async function createKey(spec: string, usage: KeyUsageType): Promise<string> {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: spec as KeySpec, KeyUsage: usage }));
  assert.ok(KeyMetadata?.KeyId);
  return KeyMetadata.KeyId;
}

const message = Buffer.from('the quick brown fox');

/** Uses the key once with `algorithm` the way its usage is meant, checking the result. */
async function exercise(keyId: string, spec: string, usage: KeyUsageType, algorithm: string): Promise<void> {
  switch (usage) {
    case 'ENCRYPT_DECRYPT': {
      const enc = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: message, EncryptionAlgorithm: algorithm as never }));
      assert.equal(enc.EncryptionAlgorithm, algorithm);
      const dec = await kms.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: algorithm as never }));
      assert.deepEqual(Buffer.from(dec.Plaintext ?? []), message);
      return;
    }
    case 'SIGN_VERIFY': {
      // AWS: ED25519_PH_SHA_512 takes only MessageType DIGEST, the message's SHA-512.
      const digestOnly = algorithm === 'ED25519_PH_SHA_512';
      const input = { KeyId: keyId, Message: digestOnly ? createHash('sha512').update(message).digest() : message, MessageType: digestOnly ? 'DIGEST' : 'RAW', SigningAlgorithm: algorithm } as const;
      const signed = await kms.send(new SignCommand(input as never));
      assert.ok(signed.Signature && signed.Signature.length > 0);
      const verified = await kms.send(new VerifyCommand({ ...(input as object), Signature: signed.Signature } as never));
      assert.equal(verified.SignatureValid, true);
      return;
    }
    case 'GENERATE_VERIFY_MAC': {
      const mac = await kms.send(new GenerateMacCommand({ KeyId: keyId, Message: message, MacAlgorithm: algorithm as never }));
      const verified = await kms.send(new VerifyMacCommand({ KeyId: keyId, Message: message, Mac: mac.Mac, MacAlgorithm: algorithm as never }));
      assert.equal(verified.MacValid, true);
      return;
    }
    case 'KEY_AGREEMENT': {
      const peer = generateKeyPairSync('ec', { namedCurve: PEER_CURVE[spec] ?? '' });
      const derived = await kms.send(new DeriveSharedSecretCommand({ KeyId: keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer.publicKey.export({ type: 'spki', format: 'der' }) }));
      assert.ok(derived.SharedSecret && derived.SharedSecret.length > 0);
      return;
    }
  }
}

for (const [spec, usages] of Object.entries(AWS)) {
  for (const usage of USAGES) {
    const pairing = usages[usage];
    if (pairing === undefined) {
      test(`${spec} cannot be created with KeyUsage ${usage}`, async () => {
        await expectError(kms.send(new CreateKeyCommand({ KeySpec: spec as KeySpec, KeyUsage: usage })), 'ValidationException', 400);
      });
      continue;
    }
    test(`${spec} ${usage}: DescribeKey lists AWS's algorithms, and every one of them works`, async () => {
      const keyId = await createKey(spec, usage);
      const { KeyMetadata: md } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
      assert.deepEqual(
        { encryption: md?.EncryptionAlgorithms, signing: md?.SigningAlgorithms, mac: md?.MacAlgorithms, keyAgreement: md?.KeyAgreementAlgorithms },
        { encryption: pairing.encryption, signing: pairing.signing, mac: pairing.mac, keyAgreement: pairing.keyAgreement },
      );
      assert.deepEqual([md?.KeySpec, md?.KeyUsage], [spec, usage]);
      for (const algorithm of [...(pairing.encryption ?? []), ...(pairing.signing ?? []), ...(pairing.mac ?? []), ...(pairing.keyAgreement ?? [])]) {
        await exercise(keyId, spec, usage, algorithm);
      }
      if (spec === 'SYMMETRIC_DEFAULT' || spec.startsWith('HMAC_')) {
        await expectError(kms.send(new GetPublicKeyCommand({ KeyId: keyId })), 'UnsupportedOperationException', 400);
      } else {
        const pub = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
        assert.deepEqual([pub.KeySpec, pub.KeyUsage], [spec, usage]);
        if (!spec.startsWith('ML_DSA') && spec !== 'SM2') assert.equal(createPublicKey({ key: Buffer.from(pub.PublicKey ?? []), format: 'der', type: 'spki' }).type, 'public');
      }
    });
  }
}

// A sample of what AWS forbids: an operation of another usage, an algorithm of another spec.
const forbidden: [name: string, spec: string, usage: KeyUsageType, call: (keyId: string) => Promise<unknown>][] = [
  ['Sign with a symmetric key', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', (k) => kms.send(new SignCommand({ KeyId: k, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }))],
  ['Sign with an ENCRYPT_DECRYPT RSA key', 'RSA_2048', 'ENCRYPT_DECRYPT', (k) => kms.send(new SignCommand({ KeyId: k, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }))],
  ['Encrypt with a SIGN_VERIFY RSA key', 'RSA_2048', 'SIGN_VERIFY', (k) => kms.send(new EncryptCommand({ KeyId: k, Plaintext: message, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }))],
  ['ECDSA_SHA_384 with a P-256 key', 'ECC_NIST_P256', 'SIGN_VERIFY', (k) => kms.send(new SignCommand({ KeyId: k, Message: message, SigningAlgorithm: 'ECDSA_SHA_384' }))],
  ['RSASSA_PSS_SHA_256 with an Ed25519 key', 'ECC_NIST_EDWARDS25519', 'SIGN_VERIFY', (k) => kms.send(new SignCommand({ KeyId: k, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }))],
  ['HMAC_SHA_512 with an HMAC_256 key', 'HMAC_256', 'GENERATE_VERIFY_MAC', (k) => kms.send(new GenerateMacCommand({ KeyId: k, Message: message, MacAlgorithm: 'HMAC_SHA_512' }))],
  ['GenerateMac with a symmetric key', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', (k) => kms.send(new GenerateMacCommand({ KeyId: k, Message: message, MacAlgorithm: 'HMAC_SHA_256' }))],
  ['Encrypt with an HMAC key', 'HMAC_256', 'GENERATE_VERIFY_MAC', (k) => kms.send(new EncryptCommand({ KeyId: k, Plaintext: message }))],
  ['DeriveSharedSecret with a SIGN_VERIFY P-256 key', 'ECC_NIST_P256', 'SIGN_VERIFY', (k) => kms.send(new DeriveSharedSecretCommand({ KeyId: k, KeyAgreementAlgorithm: 'ECDH', PublicKey: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' }) }))],
  ['Sign with a KEY_AGREEMENT key', 'ECC_NIST_P384', 'KEY_AGREEMENT', (k) => kms.send(new SignCommand({ KeyId: k, Message: message, SigningAlgorithm: 'ECDSA_SHA_384' }))],
  ['ML_DSA_SHAKE_256 with an RSA key', 'RSA_3072', 'SIGN_VERIFY', (k) => kms.send(new SignCommand({ KeyId: k, Message: message, SigningAlgorithm: 'ML_DSA_SHAKE_256' }))],
  ['RSAES_OAEP_SHA_256 with an SM2 key', 'SM2', 'ENCRYPT_DECRYPT', (k) => kms.send(new EncryptCommand({ KeyId: k, Plaintext: message, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }))],
];

for (const [name, spec, usage, call] of forbidden) {
  test(`forbidden: ${name} is InvalidKeyUsageException (400)`, async () => {
    await expectError(call(await createKey(spec, usage)), 'InvalidKeyUsageException', 400);
  });
}

test('a random 4 KiB message signs and verifies on every fast signing spec (no size surprises below the limit)', async () => {
  const big = randomBytes(4096);
  for (const [spec, algorithm] of [['ECC_NIST_P256', 'ECDSA_SHA_256'], ['ECC_NIST_EDWARDS25519', 'ED25519_SHA_512'], ['RSA_2048', 'RSASSA_PSS_SHA_256']] as const) {
    const keyId = await createKey(spec, 'SIGN_VERIFY');
    const { Signature } = await kms.send(new SignCommand({ KeyId: keyId, Message: big, SigningAlgorithm: algorithm }));
    const { SignatureValid } = await kms.send(new VerifyCommand({ KeyId: keyId, Message: big, Signature, SigningAlgorithm: algorithm }));
    assert.equal(SignatureValid, true, spec);
  }
});
