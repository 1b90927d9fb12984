// Wycheproof RSAES-OAEP known answers (2048 SHA-1, 2048/3072/4096 SHA-256, MGF1 with the same
// hash) through oaepDecrypt and through the service's decryptAsymmetric: valid cases decrypt to
// the message; invalid ones are null, and at the service one InvalidCiphertextException with one
// message for every kind of failure (no padding oracle in the error), never anything else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { KeyBackend } from '../backends/key-backend.js';
import { KmsError } from '../core/errors.js';
import type { KeySpec } from '../core/key-specs.js';
import { CachedKey } from '../service/key-cache.js';
import { decryptAsymmetric, type AsymmetricAlgorithm } from '../service/operations/asymmetric-encryption.js';
import { oaepDecrypt, oaepEncrypt, oaepMaxPlaintext, type OaepHash } from './rsa-oaep.js';
import { caseName, loadWycheproof, wycheproofSkip } from '../../test/vectors/wycheproof.js';

interface OaepGroup {
  readonly keySize: number;
  readonly sha: string;
  readonly mgf: string;
  readonly mgfSha: string;
  readonly privateKeyPkcs8: string;
}
interface OaepCase {
  readonly msg: string;
  readonly ct: string;
  readonly label: string;
}

const FILES = [
  'rsa_oaep_2048_sha1_mgf1sha1_test.json',
  'rsa_oaep_2048_sha256_mgf1sha256_test.json',
  'rsa_oaep_3072_sha256_mgf1sha256_test.json',
  'rsa_oaep_4096_sha256_mgf1sha256_test.json',
] as const;
const HASHES: Readonly<Record<string, { hash: OaepHash; algorithm: AsymmetricAlgorithm }>> = {
  'SHA-1': { hash: 'sha1', algorithm: 'RSAES_OAEP_SHA_1' },
  'SHA-256': { hash: 'sha256', algorithm: 'RSAES_OAEP_SHA_256' },
};
const hex = (s: string): Buffer => Buffer.from(s, 'hex');

/** A real CachedKey over the vector's private key, as the service would hold it. */
function cachedKey(bits: number, privateKey: KeyObject): CachedKey {
  const publicKey = createPublicKey(privateKey);
  const materialId = '00'.repeat(32);
  const backend: KeyBackend = {
    createMaterial: () => Promise.reject(new Error('not used')),
    importMaterial: () => { throw new Error('not used'); },
    openMaterial: () => ({ kind: 'key-pair', materialId, privateKey, publicKey, publicKeyDer: publicKey.export({ type: 'spki', format: 'der' }) }),
  };
  const arn = 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-000000000000';
  const record = {
    id: '00000000-0000-4000-8000-000000000000', accountId: '111122223333', region: 'us-east-1', arn, createdAt: new Date(0), description: '',
    keySpec: `RSA_${bits}` as KeySpec, keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', state: 'Enabled', policy: '{}', deletionDate: null,
    pendingWindowDays: null, currentMaterialId: materialId, rotationPeriodDays: null, nextRotationDate: null, onDemandRotations: 0, keyManager: 'CUSTOMER', validTo: null,
  } as const;
  return new CachedKey(record, [{ keyId: record.id, materialId, wrapped: Buffer.alloc(0), createdAt: new Date(0), rotationType: null }], backend, { grants: [], aliases: [], tags: [] });
}

/** What the service says for every invalid case; the first one seen sets it. */
let refusal: string | undefined;

for (const file of FILES) {
  const skip = wycheproofSkip(file);
  if (skip !== false) {
    test(`RSAES-OAEP Wycheproof vectors (${file})`, { skip }, () => {});
    continue;
  }
  for (const group of loadWycheproof<OaepGroup, OaepCase>(file).testGroups) {
    const prefix = `RSAES-OAEP(${group.keySize},${group.sha},MGF1-${group.mgfSha})`;
    const params = HASHES[group.sha];
    // AWS's RSAES_OAEP_SHA_* use one hash for OAEP and MGF1; other pairings are not AWS algorithms.
    const groupSkip = params === undefined || group.mgf !== 'MGF1' || group.mgfSha !== group.sha
      ? `AWS KMS has no OAEP algorithm with ${group.sha} and ${group.mgf}-${group.mgfSha}` : undefined;
    const privateKey = createPrivateKey({ key: hex(group.privateKeyPkcs8), format: 'der', type: 'pkcs8' });
    const key = cachedKey(group.keySize, privateKey);
    for (const tc of group.tests) {
      // AWS KMS's OAEP always uses an empty label (Developer Guide, "RSA key specs for encryption
      // and decryption"), so a vector made with a label is not a ciphertext AWS could produce.
      const caseSkip = groupSkip ?? (tc.label !== '' ? 'encrypted with a non-empty OAEP label; AWS KMS uses the empty label' : undefined);
      test(caseName(prefix, tc), caseSkip === undefined ? {} : { skip: caseSkip }, () => {
        if (!params) return;
        const [msg, ct] = [hex(tc.msg), hex(tc.ct)];
        const opened = oaepDecrypt(privateKey, params.hash, ct);
        if (tc.result === 'valid') {
          assert.deepEqual(opened, msg, 'oaepDecrypt must decrypt to the vector message');
          assert.deepEqual(decryptAsymmetric(key, params.algorithm, ct), msg, 'decryptAsymmetric must agree');
          assert.ok(msg.length <= oaepMaxPlaintext(group.keySize, params.hash), "the message fits AWS's limit");
          assert.deepEqual(oaepDecrypt(privateKey, params.hash, oaepEncrypt(createPublicKey(privateKey), params.hash, msg)), msg, 'round trip');
        } else if (tc.result === 'invalid') {
          assert.equal(opened, null, 'oaepDecrypt must refuse (null, not throw) an invalid case');
          assert.throws(() => decryptAsymmetric(key, params.algorithm, ct), (err: unknown) => {
            assert.ok(err instanceof KmsError, `a KmsError, not ${String(err)}`);
            assert.equal(err.type, 'InvalidCiphertextException');
            refusal ??= err.message;
            assert.equal(err.message, refusal, 'every invalid ciphertext gets the same message');
            return true;
          });
        } else if (opened !== null) {
          assert.deepEqual(opened, msg, 'an acceptable case may be refused but never misdecrypted');
        }
      });
    }
  }
}
