// Ed25519 for ECC_NIST_EDWARDS25519 keys (RFC 8032 §5.1): ED25519_SHA_512 is pure Ed25519 over the
// message (node, OpenSSL); ED25519_PH_SHA_512 is Ed25519ph (HashEdDSA, empty context), which node
// lacks, so it runs in @noble/curves. AWS KMS API reference (Sign, MessageType): with
// ED25519_PH_SHA_512 the message is a SHA-512 digest and "KMS still performs the SHA-512 prehash
// described in Step 1 of Section 7.8.1 in FIPS 186-5", so the caller's digest is hashed again.
import { sign, verify, type KeyObject } from 'node:crypto';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { publicKeyBits, withEd25519Seed } from './key-bytes.js';

const SIGNATURE_BYTES = 64;

/** Pure Ed25519 over `message`. */
export function ed25519Sign(privateKey: KeyObject, message: Uint8Array): Buffer {
  return sign(null, message, privateKey);
}

/** Whether `signature` is a pure Ed25519 signature of `message`; false for malformed bytes. */
export function ed25519Verify(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== SIGNATURE_BYTES) return false;
  try {
    return verify(null, message, publicKey, signature);
  } catch {
    return false;
  }
}

/** Ed25519ph of `message`: PH(message) = SHA-512(message) is what is signed (RFC 8032 §5.1). */
export function ed25519phSign(privateKey: KeyObject, message: Uint8Array): Uint8Array {
  return withEd25519Seed(privateKey, (seed) => ed25519ph.sign(message, seed));
}

/** Whether `signature` is an Ed25519ph signature of `message`, under RFC 8032's rules (not
 *  ZIP-215's laxer ones, so it accepts what OpenSSL's Ed25519 would); false for malformed bytes. */
export function ed25519phVerify(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== SIGNATURE_BYTES) return false;
  try {
    return ed25519ph.verify(signature, message, publicKeyBits(publicKey), { zip215: false });
  } catch {
    return false;
  }
}
