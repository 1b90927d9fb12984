// The raw numbers of an SM2 key pair that SM2PKE needs and node:crypto does not hand out. A KeyObject
// opened from an SM2 PKCS#8 is OpenSSL's EVP_PKEY_SM2, which Node does not know (asymmetricKeyType
// undefined): JWK export throws and SEC 1 export aborts the process (a native assertion on Node
// 20). PKCS#8 export works, so the private scalar is read from the PrivateKeyInfo (RFC 5208) around
// the ECPrivateKey (RFC 5915), and the public point from the SubjectPublicKeyInfo.
import type { KeyObject } from 'node:crypto';
import { DerReader, TAG_INTEGER, TAG_OCTET_STRING, TAG_SEQUENCE } from './sm2-der.js';
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

/** Runs `use` with the private scalar d of an SM2 private key, then zeroes every copy keyhold made
 *  of it. (The curve library turns it into a bigint, which JavaScript cannot wipe; none is kept.) */
export function withSm2Scalar<T>(privateKey: KeyObject, use: (scalar: Buffer) => T): T {
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  const scalar = Buffer.alloc(SCALAR_BYTES);
  try {
    const d = scalarOf(pkcs8);
    if (!d) throw new Error('not an SM2 private key');
    d.copy(scalar);
    return use(scalar);
  } finally {
    pkcs8.fill(0);
    scalar.fill(0);
  }
}

/** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING { ECPrivateKey } };
 *  ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING (32), … }. */
function scalarOf(pkcs8: Buffer): Buffer | null {
  const info = new DerReader(new DerReader(pkcs8).read(TAG_SEQUENCE) ?? Buffer.alloc(0));
  const infoVersion = info.read(TAG_INTEGER);
  const algorithm = info.read(TAG_SEQUENCE);
  const wrapped = info.read(TAG_OCTET_STRING);
  if (infoVersion?.length !== 1 || infoVersion[0] !== 0 || !algorithm || !wrapped) return null;
  const ecKey = new DerReader(new DerReader(wrapped).read(TAG_SEQUENCE) ?? Buffer.alloc(0));
  const ecVersion = ecKey.read(TAG_INTEGER);
  const d = ecKey.read(TAG_OCTET_STRING);
  return ecVersion?.length === 1 && ecVersion[0] === 1 && d?.length === SCALAR_BYTES ? d : null;
}
