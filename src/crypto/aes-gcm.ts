// AES-GCM seal and open: the one symmetric cipher behind ciphertexts and wrapped key material.
import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';

export const GCM_IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;

export interface Sealed {
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

const algorithmFor = (key: KeyObject): `aes-${128 | 192 | 256}-gcm` => {
  const bits = (key.symmetricKeySize ?? 0) * 8;
  if (bits !== 128 && bits !== 192 && bits !== 256) throw new RangeError('AES key must be 128, 192 or 256 bits');
  return `aes-${bits}-gcm`;
};

/** Encrypts with AES-GCM. The caller supplies a fresh IV for every call under one key. */
export function sealGcm(key: KeyObject, iv: Buffer, plaintext: Buffer, aad: Buffer): Sealed {
  const cipher = createCipheriv(algorithmFor(key), key, iv, { authTagLength: GCM_TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, tag: cipher.getAuthTag() };
}

/** Decrypts and authenticates; returns null when the tag does not verify or the inputs are
 *  malformed (callers turn that into one error, never revealing which part was wrong).
 *  Only full 16-byte tags are accepted: Node would otherwise verify a truncated 4-byte tag. */
export function openGcm(key: KeyObject, iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer): Buffer | null {
  if (tag.length !== GCM_TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv(algorithmFor(key), key, iv, { authTagLength: GCM_TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return null;
  }
}
