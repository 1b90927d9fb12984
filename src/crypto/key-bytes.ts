// The raw key bytes @noble/curves works on, read out of node KeyObjects: node signs only whole
// messages, so DIGEST signing (ECDSA), Ed25519ph and SM2 run in @noble/curves, which takes a
// private scalar or seed and an encoded public point. Private bytes are zeroed after use.
import type { KeyObject } from 'node:crypto';
import { DerReader, TAG_INTEGER, TAG_OCTET_STRING, TAG_SEQUENCE } from './sm2-der.js';

const TAG_BIT_STRING = 0x03;

/** Runs `use` with the private scalar d of an elliptic-curve key (NIST, secp256k1 or SM2) as
 *  `size` big-endian bytes, from the ECPrivateKey (RFC 5915) inside its PKCS #8 form; zeroes every
 *  copy after. (Not the 'sec1' export: Node 20 aborts the process exporting an SM2 key that way,
 *  as OpenSSL 3 loads SM2 keys with a key type other than EC.) */
export function withPrivateScalar<T>(privateKey: KeyObject, size: number, use: (scalar: Uint8Array) => T): T {
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  const scalar = Buffer.alloc(size);
  try {
    const ecPrivateKey = pkcs8PrivateKey(pkcs8);
    const outer = ecPrivateKey && new DerReader(ecPrivateKey).read(TAG_SEQUENCE);
    const fields = outer && new DerReader(outer);
    const version = fields?.read(TAG_INTEGER);
    const d = fields?.read(TAG_OCTET_STRING);
    if (version?.length !== 1 || version[0] !== 1 || !d || d.length === 0 || d.length > size) throw new Error('not an EC private key of the expected size');
    d.copy(scalar, size - d.length);
    return use(scalar);
  } finally {
    pkcs8.fill(0);
    scalar.fill(0);
  }
}

/** The privateKey OCTET STRING's contents of a PKCS #8 PrivateKeyInfo (RFC 5208 §5), or null. */
function pkcs8PrivateKey(pkcs8: Buffer): Buffer | null {
  const outer = new DerReader(pkcs8).read(TAG_SEQUENCE);
  const fields = outer && new DerReader(outer);
  if (!fields || fields.read(TAG_INTEGER) === null || fields.read(TAG_SEQUENCE) === null) return null;
  return fields.read(TAG_OCTET_STRING);
}

/** Runs `use` with the 32-byte seed of an Ed25519 key, from its PKCS #8 form (RFC 8410 §7:
 *  the CurvePrivateKey OCTET STRING inside the privateKey OCTET STRING); zeroes every copy after. */
export function withEd25519Seed<T>(privateKey: KeyObject, use: (seed: Uint8Array) => T): T {
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  const seed = Buffer.alloc(32);
  try {
    const wrapped = pkcs8PrivateKey(pkcs8);
    const inner = wrapped && new DerReader(wrapped).read(TAG_OCTET_STRING);
    if (privateKey.asymmetricKeyType !== 'ed25519' || inner?.length !== 32) throw new Error('not an Ed25519 private key');
    inner.copy(seed);
    return use(seed);
  } finally {
    pkcs8.fill(0);
    seed.fill(0);
  }
}

/** The subjectPublicKey bits of a public key's SubjectPublicKeyInfo (RFC 5280 §4.1): for EC
 *  keys the SEC 1 point (0x04 ‖ x ‖ y as node exports it), for Ed25519 the 32-byte key. */
export function publicKeyBits(publicKey: KeyObject): Uint8Array {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const outer = new DerReader(spki).read(TAG_SEQUENCE);
  const fields = outer && new DerReader(outer);
  fields?.read(TAG_SEQUENCE);
  const bits = fields?.read(TAG_BIT_STRING);
  if (!bits || bits.length < 2 || bits[0] !== 0 || !fields?.done) throw new Error('malformed SubjectPublicKeyInfo');
  return bits.subarray(1);
}
