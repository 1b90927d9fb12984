// The data key pair both GenerateDataKeyPair operations create: a fresh RSA, elliptic-curve, SM2 or
// Ed25519 key pair whose private key (PKCS#8 DER) is encrypted under a symmetric KMS key exactly as
// GenerateDataKey's data key is, so Decrypt with the same encryption context returns the PKCS#8
// (AWS API reference, GenerateDataKeyPair). The public key is DER SubjectPublicKeyInfo.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { fail } from '../../core/errors.js';
import type { Random } from '../../core/clock.js';
import { generateMaterial } from '../../crypto/key-material.js';
import type { Input } from '../operation.js';
import type { CachedKey } from '../key-cache.js';
import { encryptUnder, type Encrypted } from '../envelope.js';
import { endDryRun } from '../dry-run.js';
import { requireSymmetricAlgorithm } from './symmetric-checks.js';

export type DataKeyPairSpec = Input<'GenerateDataKeyPair'>['KeyPairSpec'];

export interface DataKeyPairRequest {
  readonly KeyPairSpec: DataKeyPairSpec;
  readonly EncryptionContext?: Readonly<Record<string, string>>;
  readonly Recipient?: unknown;
  readonly DryRun?: boolean;
}

export interface DataKeyPair extends Encrypted {
  /** PKCS#8 DER; the caller zeroes it when done. */
  readonly privateKey: Buffer;
  readonly publicKey: Buffer;
}

/** The condition keys of a data key pair request (AWS KMS Developer Guide, "kms:DataKeyPairSpec",
 *  "kms:EncryptionAlgorithm": SYMMETRIC_DEFAULT, the algorithm that encrypts the private key). */
export const dataKeyPairConditions = (input: { readonly KeyPairSpec: DataKeyPairSpec }) =>
  ({ 'kms:datakeypairspec': input.KeyPairSpec, 'kms:encryptionalgorithm': 'SYMMETRIC_DEFAULT' }) as const;

/** Checks the request, honours DryRun, then generates the key pair (RSA off the event loop, in
 *  node's thread pool) and encrypts its private key under `key`. */
export async function generateDataKeyPair(key: CachedKey, input: DataKeyPairRequest, random: Random): Promise<DataKeyPair> {
  /* Precondition: the KMS key is a symmetric encryption key (AWS: InvalidKeyUsageException otherwise). */
  requireSymmetricAlgorithm(key.record, undefined);
  if (input.Recipient !== undefined) fail('UnsupportedOperationException', 'Recipient (attested enclaves) is not supported by keyhold.');
  endDryRun(input);
  const privateKey = await generateMaterial(input.KeyPairSpec, random);
  try {
    const publicKey = createPublicKey(createPrivateKey({ key: privateKey, format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' });
    return { ...encryptUnder(key, privateKey, input.EncryptionContext, random), privateKey, publicKey };
  } catch (err) {
    privateKey.fill(0);
    throw err;
  }
}
