// Symmetric encryption of caller data under a KMS key: the ciphertext blob format with the
// encryption context bound as AAD. Used by Encrypt, Decrypt, ReEncrypt and GenerateDataKey*.
import { fail } from '../core/errors.js';
import type { Random } from '../core/clock.js';
import { GCM_IV_BYTES } from '../crypto/aes-gcm.js';
import { canonicalContext } from '../wire/context.js';
import { decodeBlob, encodeBlob, encodeHeader, type CiphertextParts } from '../wire/ciphertext.js';
import type { CachedKey } from './key-cache.js';

type Context = Readonly<Record<string, string>> | undefined;

export interface Encrypted {
  readonly blob: Buffer;
  readonly materialId: string;
}

/** Encrypts under the key's current material with a fresh random IV. */
export function encryptUnder(key: CachedKey, plaintext: Buffer, context: Context, random: Random): Encrypted {
  const material = key.currentSymmetric();
  if (!material) fail('KMSInvalidStateException', `${key.record.arn} has no key material.`);
  const header = encodeHeader(key.record.id, material.materialId, random.bytes(GCM_IV_BYTES));
  const { ciphertext, tag } = material.seal(header.subarray(header.length - GCM_IV_BYTES), plaintext, aad(header, context));
  return { blob: encodeBlob(header, ciphertext, tag), materialId: material.materialId };
}

/** The model leaves CiphertextBlob optional (for future recipients); keyhold needs it. */
export function requireBlob(blob: Buffer | undefined): Buffer {
  if (blob === undefined) fail('ValidationException', "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null");
  return blob;
}

/** Parses a ciphertext blob, or fails with InvalidCiphertextException. */
export function parseBlob(blob: Buffer): CiphertextParts & { readonly header: Buffer } {
  const parts = decodeBlob(blob);
  if (!parts) fail('InvalidCiphertextException', 'The ciphertext is invalid or was not produced by keyhold.');
  return parts;
}

/** Decrypts a parsed blob with the key it names; any mismatch (material, tag, context) is one
 *  InvalidCiphertextException, so the caller learns nothing about which part was wrong. */
export function decryptUnder(key: CachedKey, parts: CiphertextParts & { readonly header: Buffer }, context: Context): Buffer {
  const material = key.symmetric(parts.materialId);
  const plaintext = material?.open(parts.iv, parts.ciphertext, parts.tag, aad(parts.header, context));
  if (!plaintext) fail('InvalidCiphertextException', 'The ciphertext is invalid, or the encryption context does not match.');
  return plaintext;
}

const aad = (header: Buffer, context: Context): Buffer => Buffer.concat([header, canonicalContext(context)]);
