// The raw numbers of an SM2 key pair that SM2PKE needs and node:crypto does not hand out. A KeyObject
// opened from an SM2 PKCS#8 is OpenSSL's EVP_PKEY_SM2, which Node does not know (asymmetricKeyType
// undefined): JWK export throws and SEC 1 export aborts the process (a native assertion on Node
// 20). PKCS#8 export works, so the private scalar is read from the PrivateKeyInfo (RFC 5208) around
// the ECPrivateKey (RFC 5915) by key-bytes.ts, and the public point from the SubjectPublicKeyInfo.
import type { KeyObject } from 'node:crypto';
import { withPrivateScalar } from './key-bytes.js';
import { SM2_COORDINATE_BYTES } from './sm2-ciphertext.js';

const POINT_BYTES = 1 + 2 * SM2_COORDINATE_BYTES;
const SCALAR_BYTES = 32;

/** The uncompressed public point (0x04 ‖ x ‖ y) of an SM2 SubjectPublicKeyInfo: the last 65 bytes,
 *  after the BIT STRING header (03 42 00) that must precede them. */
export function sm2PublicPoint(spkiDer: Buffer): Buffer {
  const at = spkiDer.length - POINT_BYTES;
  if (at < 3 || spkiDer[at - 3] !== 0x03 || spkiDer[at - 2] !== POINT_BYTES + 1 || spkiDer[at - 1] !== 0 || spkiDer[at] !== 0x04) {
    throw new Error('not an uncompressed SM2 public key');
  }
  return spkiDer.subarray(at);
}

/** Runs `use` with the private scalar d of an SM2 private key; every copy keyhold made of it is
 *  zeroed after. (The curve library turns it into a bigint, which JavaScript cannot wipe; none is kept.) */
export function withSm2Scalar<T>(privateKey: KeyObject, use: (scalar: Buffer) => T): T {
  return withPrivateScalar(privateKey, SCALAR_BYTES, (d) => use(Buffer.from(d.buffer, d.byteOffset, d.byteLength)));
}
