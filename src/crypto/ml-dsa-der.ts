// DER forms of ML-DSA keys (RFC 9881, formerly draft-ietf-lamps-dilithium-certificates): the
// SubjectPublicKeyInfo GetPublicKey returns, and the seed-only PKCS#8 through which Node's crypto
// imports a key from its seed ξ. Built by hand because Node 20 knows neither.
import type { MlDsaMaterial } from '../backends/key-backend.js';

export type MlDsaKeySpec = MlDsaMaterial['keySpec'];

/** FIPS 204 Table 2 sizes in bytes. */
export const mlDsaSizes = {
  ML_DSA_44: { publicKey: 1312, signature: 2420 },
  ML_DSA_65: { publicKey: 1952, signature: 3309 },
  ML_DSA_87: { publicKey: 2592, signature: 4627 },
} as const satisfies Record<MlDsaKeySpec, { publicKey: number; signature: number }>;

/** The seed ξ of FIPS 204 ML-DSA.KeyGen. */
export const ML_DSA_SEED_BYTES = 32;

// id-ml-dsa-44/65/87 are 2.16.840.1.101.3.4.3.17/18/19 (NIST CSOR); only the last arc differs.
const OID_PREFIX = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03];
const oidLastArc: Record<MlDsaKeySpec, number> = { ML_DSA_44: 17, ML_DSA_65: 18, ML_DSA_87: 19 };

/** The dotted OID of a key spec, as openssl and test assertions print it. */
export function mlDsaOid(spec: MlDsaKeySpec): string {
  return `2.16.840.1.101.3.4.3.${oidLastArc[spec]}`;
}

/** A DER tag-length-value; lengths up to 65535 are all ML-DSA needs. */
function tlv(tag: number, content: Uint8Array): Buffer {
  const n = content.length;
  if (n > 0xffff) throw new RangeError('DER content too long');
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), content]);
}

/* RFC 9881 §2: the AlgorithmIdentifier carries the OID alone; parameters MUST be absent. */
function algorithmIdentifier(spec: MlDsaKeySpec): Buffer {
  return tlv(0x30, tlv(0x06, Buffer.from([...OID_PREFIX, oidLastArc[spec]])));
}

/** DER SubjectPublicKeyInfo of a raw public key (RFC 9881 §4: the BIT STRING is pk itself). */
export function mlDsaSpki(spec: MlDsaKeySpec, publicKey: Uint8Array): Buffer {
  /* Precondition: the raw key has its parameter set's length. */
  if (publicKey.length !== mlDsaSizes[spec].publicKey) throw new RangeError(`${spec} public key must be ${mlDsaSizes[spec].publicKey} bytes`);
  const bitString = tlv(0x03, Buffer.concat([Buffer.from([0x00]), publicKey])); // 0 unused bits
  return tlv(0x30, Buffer.concat([algorithmIdentifier(spec), bitString]));
}

/** The raw public key inside an SPKI, or undefined unless `der` is exactly what mlDsaSpki
 *  would write for it (so a foreign encoding is never half-understood). */
export function mlDsaRawFromSpki(spec: MlDsaKeySpec, der: Uint8Array): Uint8Array | undefined {
  const size = mlDsaSizes[spec].publicKey;
  if (der.length < size) return undefined;
  const raw = der.subarray(der.length - size);
  return mlDsaSpki(spec, raw).equals(der) ? Uint8Array.from(raw) : undefined;
}

/** Seed-only PKCS#8 (RFC 9881 §6: privateKey holds `seed [0] IMPLICIT OCTET STRING (32)`).
 *  It contains the secret seed: the caller zeroes it once imported. */
export function mlDsaSeedPkcs8(spec: MlDsaKeySpec, seed: Uint8Array): Buffer {
  /* Precondition: the seed is 32 bytes (FIPS 204 ξ). */
  if (seed.length !== ML_DSA_SEED_BYTES) throw new RangeError(`ML-DSA seed must be ${ML_DSA_SEED_BYTES} bytes`);
  const version = tlv(0x02, Buffer.from([0x00]));
  return tlv(0x30, Buffer.concat([version, algorithmIdentifier(spec), tlv(0x04, tlv(0x80, seed))]));
}
