// The wrapping of key material in transit to keyhold (GetParametersForImport / ImportKeyMaterial):
// an RSA key pair made for one import, and the two families of AWS wrapping algorithms.
//   RSAES_OAEP_SHA_*:        the material itself, encrypted with RSA-OAEP (MGF1 with the same hash).
//   RSA_AES_KEY_WRAP_SHA_*:  RSA-OAEP of a fresh AES key, followed by the material wrapped under that
//                            key with AES Key Wrap with Padding (RFC 5649), for material too long
//                            for OAEP (RSA and ECC private keys).
import { constants, createDecipheriv, generateKeyPair, privateDecrypt, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

export type WrappingAlgorithm = 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' | 'RSA_AES_KEY_WRAP_SHA_1' | 'RSA_AES_KEY_WRAP_SHA_256';
export type WrappingKeySpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096';

const generate = promisify(generateKeyPair);
/** RFC 5649's alternative initial value, which node's id-aesN-wrap-pad ciphers take as their IV. */
const KWP_IV = Buffer.from('a65959a6', 'hex');
const KWP_CIPHERS: Record<number, string> = { 16: 'id-aes128-wrap-pad', 24: 'id-aes192-wrap-pad', 32: 'id-aes256-wrap-pad' };

export const wrappingKeyBits = (spec: WrappingKeySpec): number => Number(spec.slice('RSA_'.length));

/** A new RSA wrapping key pair, generated off the event loop (RSA-4096 takes about a second). */
export async function generateWrappingKey(spec: WrappingKeySpec): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return generate('rsa', { modulusLength: wrappingKeyBits(spec), publicExponent: 0x10001 });
}

/** How many bytes of material RSAES_OAEP can carry under a wrapping key (RFC 8017: k - 2hLen - 2). */
export function oaepCapacity(spec: WrappingKeySpec, algorithm: WrappingAlgorithm): number {
  const hashBytes = algorithm.endsWith('SHA_1') ? 20 : 32;
  return wrappingKeyBits(spec) / 8 - 2 * hashBytes - 2;
}

/**
 * The material inside `wrapped`. Security contract: null for anything that does not decrypt under
 * `privateKey` with `algorithm` — one answer whatever went wrong, so a caller learns nothing about
 * why (no padding oracle).
 */
export function unwrapMaterial(privateKey: KeyObject, algorithm: WrappingAlgorithm, wrapped: Buffer): Buffer | null {
  const oaepHash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  const rsa = (ciphertext: Buffer): Buffer => privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, ciphertext);
  try {
    if (algorithm.startsWith('RSAES_OAEP')) return rsa(wrapped);
    const modulusBytes = (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
    if (wrapped.length <= modulusBytes) return null;
    const aesKey = rsa(wrapped.subarray(0, modulusBytes));
    try {
      const cipher = KWP_CIPHERS[aesKey.length];
      if (cipher === undefined) return null;
      const decipher = createDecipheriv(cipher, aesKey, KWP_IV);
      return Buffer.concat([decipher.update(wrapped.subarray(modulusBytes)), decipher.final()]);
    } finally {
      aesKey.fill(0);
    }
  } catch {
    return null;
  }
}
