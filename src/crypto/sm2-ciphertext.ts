// The SM2PKE ciphertext as AWS KMS returns and accepts it: the GM/T 0009-2012 ASN.1 SM2Cipher
//
//   SM2Cipher ::= SEQUENCE {
//     XCoordinate INTEGER,                 -- C1 = [k]G, x
//     YCoordinate INTEGER,                 -- C1, y
//     HASH        OCTET STRING (SIZE(32)), -- C3 = SM3(x2 ‖ M ‖ y2)
//     CipherText  OCTET STRING }           -- C2 = M ⊕ KDF(x2 ‖ y2)
//
// that is C1, C3, C2 in the order of GB/T 32918.4-2016, in DER. The AWS KMS Developer Guide
// ("Offline operations with SM2") converts raw ciphertexts to this form and notes that OpenSSL 3
// produces it directly (`openssl pkeyutl -encrypt` with an SM2 public key).
import { DerReader, TAG_INTEGER, TAG_OCTET_STRING, TAG_SEQUENCE, integer, tlv, unsignedInteger } from './sm2-der.js';

export const SM2_COORDINATE_BYTES = 32;
export const SM3_BYTES = 32;

export interface Sm2CipherParts {
  /** C1 as an uncompressed point: 0x04 ‖ x ‖ y. */
  readonly c1: Buffer;
  readonly c3: Buffer;
  readonly c2: Buffer;
}

export function encodeSm2Cipher(parts: Sm2CipherParts): Buffer {
  const x = parts.c1.subarray(1, 1 + SM2_COORDINATE_BYTES);
  const y = parts.c1.subarray(1 + SM2_COORDINATE_BYTES);
  return tlv(TAG_SEQUENCE, Buffer.concat([integer(x), integer(y), tlv(TAG_OCTET_STRING, parts.c3), tlv(TAG_OCTET_STRING, parts.c2)]));
}

/** Parses an SM2Cipher; null unless it is exactly that structure in DER, with a 32-byte hash, a
 *  non-empty C2 and nothing after it. Whether C1 is on the curve is checked where it is used. */
export function decodeSm2Cipher(der: Buffer): Sm2CipherParts | null {
  const outer = new DerReader(der);
  const body = outer.read(TAG_SEQUENCE);
  if (!body || !outer.done) return null;
  const fields = new DerReader(body);
  const x = readCoordinate(fields);
  const y = readCoordinate(fields);
  const c3 = fields.read(TAG_OCTET_STRING);
  const c2 = fields.read(TAG_OCTET_STRING);
  if (!x || !y || c3?.length !== SM3_BYTES || !c2 || c2.length === 0 || !fields.done) return null;
  return Object.freeze({ c1: Buffer.concat([Buffer.from([0x04]), x, y]), c3, c2 });
}

function readCoordinate(fields: DerReader): Buffer | null {
  const contents = fields.read(TAG_INTEGER);
  return contents && unsignedInteger(contents, SM2_COORDINATE_BYTES);
}
