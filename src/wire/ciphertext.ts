// The ciphertext blob: versioned and self-describing, parsed with explicit bounds.
//
//   offset  size  field
//   0       1     magic 0x6b ('k')
//   1       1     format version (1)
//   2       16    key id (UUID bytes)
//   18      32    key material id
//   50      12    AES-GCM IV
//   62      n     ciphertext
//   62+n    16    AES-GCM tag
//
// The 62-byte header and the canonical encryption context together form the AAD, so any
// changed byte, or a different context, fails authentication.
import { GCM_IV_BYTES, GCM_TAG_BYTES } from '../crypto/aes-gcm.js';

const MAGIC = 0x6b;
const VERSION = 1;
export const MATERIAL_ID_BYTES = 32;
const KEY_ID_OFFSET = 2;
const MATERIAL_OFFSET = KEY_ID_OFFSET + 16;
const IV_OFFSET = MATERIAL_OFFSET + MATERIAL_ID_BYTES;
export const HEADER_BYTES = IV_OFFSET + GCM_IV_BYTES;

export interface CiphertextParts {
  readonly keyId: string;
  readonly materialId: string; // hex
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

/** Builds the header that is both the blob's prefix and the first part of the AAD. */
export function encodeHeader(keyId: string, materialId: string, iv: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = MAGIC;
  header[1] = VERSION;
  uuidToBytes(keyId).copy(header, KEY_ID_OFFSET);
  const material = Buffer.from(materialId, 'hex');
  if (material.length !== MATERIAL_ID_BYTES) throw new RangeError('material id must be 32 bytes');
  material.copy(header, MATERIAL_OFFSET);
  if (iv.length !== GCM_IV_BYTES) throw new RangeError('IV must be 12 bytes');
  iv.copy(header, IV_OFFSET);
  return header;
}

export function encodeBlob(header: Buffer, ciphertext: Buffer, tag: Buffer): Buffer {
  return Buffer.concat([header, ciphertext, tag]);
}

/** Parses a blob; null when it is not a well-formed keyhold v1 ciphertext. */
export function decodeBlob(blob: Buffer): (CiphertextParts & { readonly header: Buffer }) | null {
  if (blob.length < HEADER_BYTES + 1 + GCM_TAG_BYTES) return null;
  if (blob[0] !== MAGIC || blob[1] !== VERSION) return null;
  return Object.freeze({
    header: blob.subarray(0, HEADER_BYTES),
    keyId: bytesToUuid(blob.subarray(KEY_ID_OFFSET, MATERIAL_OFFSET)),
    materialId: blob.subarray(MATERIAL_OFFSET, IV_OFFSET).toString('hex'),
    iv: blob.subarray(IV_OFFSET, HEADER_BYTES),
    ciphertext: blob.subarray(HEADER_BYTES, blob.length - GCM_TAG_BYTES),
    tag: blob.subarray(blob.length - GCM_TAG_BYTES),
  });
}

function uuidToBytes(uuid: string): Buffer {
  const hex = uuid.replaceAll('-', '');
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new RangeError('key id must be a UUID');
  return Buffer.from(hex, 'hex');
}

function bytesToUuid(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
