// The DER signature value shared by ECDSA and SM2: SEQUENCE { r INTEGER, s INTEGER } (ANS X9.62,
// RFC 3279 §2.2.3; GB/T 32918 uses the same structure), as AWS KMS returns it. Decoding is strict
// DER with nothing after it, so no two byte strings are the same signature.
import { DerReader, TAG_INTEGER, TAG_SEQUENCE, integer, tlv, unsignedInteger } from './sm2-der.js';

/** The DER encoding of (r, s), each given as big-endian bytes. */
export function encodeDerSignature(r: Uint8Array, s: Uint8Array): Buffer {
  return tlv(TAG_SEQUENCE, Buffer.concat([integer(Buffer.from(r)), integer(Buffer.from(s))]));
}

/** r ‖ s as two `size`-byte big-endian numbers; null unless `der` is exactly one strict-DER
 *  SEQUENCE of two non-negative INTEGERs that fit `size` bytes. */
export function decodeDerSignature(der: Uint8Array, size: number): Buffer | null {
  const outer = new DerReader(Buffer.from(der.buffer, der.byteOffset, der.length));
  const body = outer.read(TAG_SEQUENCE);
  if (!body || !outer.done) return null;
  const fields = new DerReader(body);
  const r = fields.read(TAG_INTEGER);
  const s = fields.read(TAG_INTEGER);
  const rBytes = r && unsignedInteger(r, size);
  const sBytes = s && unsignedInteger(s, size);
  if (!rBytes || !sBytes || !fields.done) return null;
  return Buffer.concat([rBytes, sBytes]);
}
