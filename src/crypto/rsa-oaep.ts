// RSAES-OAEP as AWS KMS uses it (PKCS #1 v2.2, RFC 8017 §7.1): one hash for both the label hash
// and MGF1, and an empty label (AWS KMS Developer Guide, "RSA key specs for encryption and
// decryption"). OpenSSL does the padding, in constant time; this module adds the length checks
// and makes every failure the same `null`, so no caller can turn it into a padding oracle.
import { constants, privateDecrypt, publicEncrypt, type KeyObject } from 'node:crypto';

export type OaepHash = 'sha1' | 'sha256';

const HASH_BYTES: Readonly<Record<OaepHash, number>> = { sha1: 20, sha256: 32 };

/** The longest plaintext one OAEP block carries: k − 2·hLen − 2 bytes (RFC 8017 §7.1.1), which
 *  gives AWS's table (RSA_2048: 214 with SHA-1, 190 with SHA-256; RSA_4096: 470 and 446). */
export function oaepMaxPlaintext(modulusBits: number, hash: OaepHash): number {
  return Math.ceil(modulusBits / 8) - 2 * HASH_BYTES[hash] - 2;
}

/** Encrypts one block under `publicKey` with a fresh random seed (OpenSSL's generator).
 *  Throws when the plaintext is longer than `oaepMaxPlaintext`: callers check first. */
export function oaepEncrypt(publicKey: KeyObject, hash: OaepHash, plaintext: Buffer): Buffer {
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, plaintext);
}

/** Decrypts one block; null for any failure of the ciphertext (wrong length, value not below the
 *  modulus, bad padding, made with another hash or key), all alike. A ciphertext must be exactly as long as the modulus:
 *  RFC 8017 §7.1.2 step 1 rejects shorter ones, which OpenSSL would otherwise zero-extend. */
export function oaepDecrypt(privateKey: KeyObject, hash: OaepHash, ciphertext: Buffer): Buffer | null {
  const modulusBits = privateKey.asymmetricKeyDetails?.modulusLength;
  if (privateKey.asymmetricKeyType !== 'rsa' || modulusBits === undefined) throw new TypeError('RSAES-OAEP needs an RSA private key');
  if (ciphertext.length !== Math.ceil(modulusBits / 8)) return null;
  try {
    return privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, ciphertext);
  } catch {
    return null;
  }
}
