// Sign and Verify through the official AWS SDK against the real server, for every SIGN_VERIFY key
// spec, every signing algorithm it has and every MessageType AWS allows with it: each signature
// verifies offline from GetPublicKey's key (the openssl command, Node's WebCrypto where it has the
// algorithm, @noble where OpenSSL 3.0 lacks it), keyhold's Verify accepts it in every form of the
// message, and one flipped bit is KMSInvalidSignatureException.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { CreateKeyCommand, GetPublicKeyCommand, SignCommand, VerifyCommand, type KeySpec, type KMSClient, type MessageType, type SigningAlgorithmSpec } from '@aws-sdk/client-kms';
import { removeDir, serverForFile, tempDir } from '../harness/server.js';
import { expectError } from './api-helpers.js';
import { mlDsaMu, nobleVerify, opensslVerify, shaOf, sm2Digest, webCryptoVerify, type MlDsaSpec, type SignedCase } from './offline-verifiers.js';

let kms: KMSClient;
serverForFile((s) => void (kms = s.client()));
const dir = tempDir('keyhold-signatures-');
after(() => removeDir(dir));

const RSA = ['RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512'] as const;
/** AWS KMS Developer Guide, "Key spec reference": the signing algorithms of each SIGN_VERIFY spec. */
const SIGNING: Readonly<Record<string, readonly SigningAlgorithmSpec[]>> = {
  RSA_2048: RSA,
  RSA_3072: RSA,
  RSA_4096: RSA,
  ECC_NIST_P256: ['ECDSA_SHA_256'],
  ECC_NIST_P384: ['ECDSA_SHA_384'],
  ECC_NIST_P521: ['ECDSA_SHA_512'],
  ECC_SECG_P256K1: ['ECDSA_SHA_256'],
  ECC_NIST_EDWARDS25519: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'],
  SM2: ['SM2DSA'],
  ML_DSA_44: ['ML_DSA_SHAKE_256'],
  ML_DSA_65: ['ML_DSA_SHAKE_256'],
  ML_DSA_87: ['ML_DSA_SHAKE_256'],
};

/** AWS KMS API reference, Sign, MessageType: which types each algorithm takes. */
function messageTypes(algorithm: SigningAlgorithmSpec): readonly MessageType[] {
  if (algorithm === 'ED25519_SHA_512') return ['RAW'];
  if (algorithm === 'ED25519_PH_SHA_512') return ['DIGEST'];
  if (algorithm === 'ML_DSA_SHAKE_256') return ['RAW', 'EXTERNAL_MU'];
  return ['RAW', 'DIGEST'];
}

/** Algorithms whose WebCrypto verification must run on every supported Node version. */
const WEBCRYPTO_EVERYWHERE = (spec: string, algorithm: string): boolean =>
  algorithm.startsWith('RSASSA') || algorithm === 'ED25519_SHA_512' || (algorithm.startsWith('ECDSA') && spec !== 'ECC_SECG_P256K1');

const keys = new Map<string, Promise<{ keyId: string; arn: string; spki: Buffer }>>();
/** One SIGN_VERIFY key per spec, made on first use, with its GetPublicKey DER. */
function keyFor(spec: string): Promise<{ keyId: string; arn: string; spki: Buffer }> {
  let key = keys.get(spec);
  if (key === undefined) {
    key = (async () => {
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: spec as KeySpec, KeyUsage: 'SIGN_VERIFY' }));
      assert.ok(KeyMetadata?.KeyId && KeyMetadata.Arn);
      const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: KeyMetadata.KeyId }));
      assert.ok(PublicKey);
      return { keyId: KeyMetadata.KeyId, arn: KeyMetadata.Arn, spki: Buffer.from(PublicKey) };
    })();
    keys.set(spec, key);
  }
  return key;
}

/** What a caller sends as `type` for M: M itself, its digest, or its μ. */
function toSend(spec: string, algorithm: SigningAlgorithmSpec, type: MessageType, message: Buffer, spki: Buffer): Buffer {
  if (type === 'RAW') return message;
  if (type === 'EXTERNAL_MU') return mlDsaMu(spec as MlDsaSpec, spki, message);
  if (algorithm === 'SM2DSA') return sm2Digest(spki, message);
  return createHash(shaOf(algorithm)).update(message).digest();
}

for (const [spec, algorithms] of Object.entries(SIGNING)) {
  for (const algorithm of algorithms) {
    for (const type of messageTypes(algorithm)) {
      test(`${spec} ${algorithm} ${type}: verifies offline and with Verify; a flipped bit is KMSInvalidSignatureException`, async () => {
        const { keyId, arn, spki } = await keyFor(spec);
        const message = randomBytes(100);
        const sent = toSend(spec, algorithm, type, message, spki);
        const signed = await kms.send(new SignCommand({ KeyId: keyId, Message: sent, MessageType: type, SigningAlgorithm: algorithm }));
        assert.equal(signed.KeyId, arn);
        assert.equal(signed.SigningAlgorithm, algorithm);
        assert.ok(signed.Signature);
        const signature = Buffer.from(signed.Signature);
        const c: SignedCase = { spec, algorithm, message, sent, signature, spki };

        // Offline: openssl (or @noble where this OpenSSL lacks the algorithm), and WebCrypto.
        let offline = opensslVerify(dir, c);
        if (offline === 'unsupported') offline = nobleVerify(c);
        assert.equal(offline, 'verified', 'openssl (or @noble) verifies the signature from GetPublicKey\'s key');
        const web = await webCryptoVerify(c);
        if (WEBCRYPTO_EVERYWHERE(spec, algorithm)) assert.equal(web, 'verified', 'WebCrypto verifies it');
        else assert.notEqual(web, 'refused', 'WebCrypto, where it has the algorithm, verifies it');

        // keyhold's Verify, with the message as it was sent and in every other form AWS allows.
        for (const verifyType of messageTypes(algorithm)) {
          const res = await kms.send(new VerifyCommand({ KeyId: keyId, Message: toSend(spec, algorithm, verifyType, message, spki), MessageType: verifyType, Signature: signature, SigningAlgorithm: algorithm }));
          assert.deepEqual([res.SignatureValid, res.KeyId, res.SigningAlgorithm], [true, arn, algorithm], `Verify as ${verifyType}`);
        }
        const flipped = Buffer.from(signature);
        flipped[flipped.length >> 1] = (flipped[flipped.length >> 1] ?? 0) ^ 0x10;
        await expectError(kms.send(new VerifyCommand({ KeyId: keyId, Message: sent, MessageType: type, Signature: flipped, SigningAlgorithm: algorithm })), 'KMSInvalidSignatureException', 400);
      });
    }
  }
}
