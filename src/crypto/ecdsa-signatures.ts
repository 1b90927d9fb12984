// ECDSA on NIST P-256, P-384, P-521 and secp256k1 with DER signatures, as AWS KMS's ECDSA_SHA_*
// algorithms return them ("a DER-encoded object as defined by ANS X9.62–2005 and RFC 3279 §2.2.3").
// A RAW message goes through node (OpenSSL); a DIGEST through @noble/curves, because node has no
// call that signs a digest it did not compute. Both produce and accept the same signatures.
import { sign, verify, type KeyObject } from 'node:crypto';
import type { ECDSA } from '@noble/curves/abstract/weierstrass.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { publicKeyBits, withPrivateScalar } from './key-bytes.js';
import { decodeDerSignature, encodeDerSignature } from './signature-der.js';

export type EcdsaHash = 'sha256' | 'sha384' | 'sha512';
export type EcdsaMessageType = 'RAW' | 'DIGEST';

/** OpenSSL's curve names (KeyObject.asymmetricKeyDetails.namedCurve) to the curves here. */
const CURVES: Readonly<Record<string, ECDSA>> = { prime256v1: p256, secp384r1: p384, secp521r1: p521, secp256k1 };

function curveOf(key: KeyObject): ECDSA {
  const curve = key.asymmetricKeyType === 'ec' ? CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''] : undefined;
  if (curve === undefined) throw new TypeError('ECDSA needs a key on P-256, P-384, P-521 or secp256k1');
  return curve;
}

/** Signs `message` (RAW) or a digest of it (DIGEST; the caller checked its length) with a fresh
 *  random nonce (noble hedges RFC 6979 with fresh randomness). Returns DER. Neither path
 *  normalises s to the low half: AWS KMS does not either, and verifiers accept both. */
export function ecdsaSign(privateKey: KeyObject, hash: EcdsaHash, messageType: EcdsaMessageType, message: Uint8Array): Buffer {
  if (messageType === 'RAW') return sign(hash, message, { key: privateKey, dsaEncoding: 'der' });
  const curve = curveOf(privateKey);
  const size = curve.lengths.secretKey ?? 0;
  const compact = withPrivateScalar(privateKey, size, (d) => curve.sign(message, d, { prehash: false, lowS: false, format: 'compact', extraEntropy: true }));
  return encodeDerSignature(compact.subarray(0, size), compact.subarray(size));
}

/** Whether `signature` (DER) is valid for `message` (RAW) or the digest `message` (DIGEST).
 *  False, never an exception, for malformed or non-DER signature bytes. */
export function ecdsaVerify(publicKey: KeyObject, hash: EcdsaHash, messageType: EcdsaMessageType, message: Uint8Array, signature: Uint8Array): boolean {
  const curve = curveOf(publicKey);
  const size = curve.lengths.secretKey ?? 0;
  // Both paths get the same strict-DER gate, so RAW and DIGEST accept exactly the same bytes.
  const compact = decodeDerSignature(signature, size);
  if (compact === null) return false;
  try {
    if (messageType === 'RAW') return verify(hash, message, { key: publicKey, dsaEncoding: 'der' }, signature);
    return curve.verify(compact, message, publicKeyBits(publicKey), { prehash: false, lowS: false, format: 'compact' });
  } catch {
    return false; // r or s out of range
  }
}
