// Encryption under an asymmetric KMS key (RSA or SM2, key usage ENCRYPT_DECRYPT). AWS KMS returns
// the raw RSAES-OAEP or SM2PKE ciphertext: no header, no key id, no encryption context, so data
// encrypted offline with GetPublicKey's key decrypts in Decrypt the same way (AWS KMS Developer
// Guide, "Asymmetric key specs"; API reference, Encrypt and Decrypt).
import { fail } from '../../core/errors.js';
import type { Random } from '../../core/clock.js';
import { keySpecInfo, type EncryptionAlgorithm } from '../../core/key-specs.js';
import type { KeyRecord } from '../../core/keys.js';
import type { KeyPairMaterial } from '../../backends/key-backend.js';
import { oaepDecrypt, oaepEncrypt, oaepMaxPlaintext, type OaepHash } from '../../crypto/rsa-oaep.js';
import { sm2Decrypt, sm2Encrypt } from '../../crypto/sm2.js';
import type { CachedKey } from '../key-cache.js';
import { requireAlgorithm, requireKeyUsage } from './key-usage-checks.js';

export type AsymmetricAlgorithm = Exclude<EncryptionAlgorithm, 'SYMMETRIC_DEFAULT'>;
type Context = Readonly<Record<string, string>> | undefined;

/** SM2PKE's plaintext limit in AWS's Encrypt table ("SM2PKE: 1024 bytes (China Regions only)"). */
const SM2PKE_MAX_PLAINTEXT = 1024;
const OAEP_HASH: Readonly<Record<Exclude<AsymmetricAlgorithm, 'SM2PKE'>, OaepHash>> = { RSAES_OAEP_SHA_1: 'sha1', RSAES_OAEP_SHA_256: 'sha256' };

/** Whether a request's EncryptionAlgorithm names an asymmetric algorithm. */
export const isAsymmetricAlgorithm = (algorithm: string | undefined): algorithm is AsymmetricAlgorithm =>
  algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT';

/** What AWS requires before `operation` uses an asymmetric key: key usage ENCRYPT_DECRYPT, an
 *  algorithm its spec offers (so EncryptionAlgorithm is required: its default, SYMMETRIC_DEFAULT,
 *  is none of them), both InvalidKeyUsageException; and no encryption context, ValidationException. */
export function requireAsymmetricUse(key: KeyRecord, algorithm: string | undefined, context: Context, operation: string): AsymmetricAlgorithm {
  requireKeyUsage(key, 'ENCRYPT_DECRYPT', operation);
  const chosen = requireAlgorithm(key, 'encryption', algorithm ?? 'SYMMETRIC_DEFAULT') as AsymmetricAlgorithm;
  /* Precondition: no encryption context (AWS API reference: it is valid only with symmetric keys). */
  if (context !== undefined && Object.keys(context).length > 0) {
    fail('ValidationException', 'EncryptionContext is not supported when encrypting/decrypting with asymmetric CMKs.');
  }
  return chosen;
}

/** The longest plaintext `algorithm` encrypts under a key of `key`'s spec (AWS API reference,
 *  Encrypt: RSA_2048 214/190, RSA_3072 342/318, RSA_4096 470/446 bytes, SM2PKE 1024). */
export function maxPlaintextBytes(key: KeyRecord, algorithm: AsymmetricAlgorithm): number {
  if (algorithm === 'SM2PKE') return SM2PKE_MAX_PLAINTEXT;
  return oaepMaxPlaintext(keySpecInfo[key.keySpec].size ?? 0, OAEP_HASH[algorithm]);
}

/** The plaintext fits one block of the algorithm and key size (AWS API reference, Encrypt). */
export function requirePlaintextFits(key: KeyRecord, algorithm: AsymmetricAlgorithm, plaintext: Buffer): void {
  const limit = maxPlaintextBytes(key, algorithm);
  if (plaintext.length > limit) {
    fail('ValidationException', `Plaintext is too long: ${algorithm} with a ${key.keySpec} key encrypts at most ${limit} bytes.`);
  }
}

/** Encrypts under the key's public key (ValidationException when the plaintext does not fit). */
export function encryptAsymmetric(key: CachedKey, algorithm: AsymmetricAlgorithm, plaintext: Buffer, random: Random): Buffer {
  requirePlaintextFits(key.record, algorithm, plaintext);
  const material = keyPair(key);
  return algorithm === 'SM2PKE'
    ? sm2Encrypt(material.publicKeyDer, plaintext, random)
    : oaepEncrypt(material.publicKey, OAEP_HASH[algorithm], plaintext);
}

/** Decrypts a raw ciphertext with the key's private key. Every failure (another key, another
 *  algorithm, any changed byte) is one InvalidCiphertextException with one message: no oracle. */
export function decryptAsymmetric(key: CachedKey, algorithm: AsymmetricAlgorithm, ciphertext: Buffer): Buffer {
  const material = keyPair(key);
  const plaintext = algorithm === 'SM2PKE'
    ? sm2Decrypt(material.privateKey, ciphertext)
    : oaepDecrypt(material.privateKey, OAEP_HASH[algorithm], ciphertext);
  if (!plaintext) fail('InvalidCiphertextException', 'The ciphertext is invalid, or was not encrypted under this key with this algorithm.');
  return plaintext;
}

function keyPair(key: CachedKey): KeyPairMaterial {
  const material = key.current();
  if (material?.kind !== 'key-pair') fail('KMSInvalidStateException', `${key.record.arn} has no key material.`);
  return material;
}
