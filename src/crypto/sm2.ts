// SM2PKE: SM2 public-key encryption (GB/T 32918.4-2016 §6–7, GM/T 0003.4-2012) over SM3, with the
// ciphertext in AWS KMS's GM/T 0009 ASN.1 form (sm2-ciphertext.ts). Node's publicEncrypt refuses
// SM2 keys ("operation not supported for this keytype", it sets RSA padding on every key), so the
// curve arithmetic comes from @noble/curves (audited, constant-time scalar multiplication,
// points checked on decoding) with the SM2 domain parameters below; SM3 is OpenSSL's, through
// node:crypto. Interoperability is tested against `openssl pkeyutl` (OpenSSL 3 writes this form).
import { createHash, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { Random } from '../core/clock.js';
import { SM2_COORDINATE_BYTES, decodeSm2Cipher, encodeSm2Cipher } from './sm2-ciphertext.js';
import { sm2Ecdh } from './sm2-curve.js';
import { sm2PublicPoint, withSm2Scalar } from './sm2-key.js';

/** Cofactor 1: the [h]C1 ≠ O check of GB/T 32918.4 §7.1 B2 is the decoding check. */
const sm2Curve = sm2Ecdh;

/** Seed bytes reduced to a uniform scalar in [1, n−1]: 48 for a 256-bit n (FIPS 186-5 A.2.1). */
const SCALAR_SEED_BYTES = sm2Curve.lengths.seed ?? 48;

/** Encrypts `plaintext` (1 byte or more) to the SM2 public key in `spkiDer`. */
export function sm2Encrypt(spkiDer: Buffer, plaintext: Buffer, random: Random): Buffer {
  const recipient = sm2PublicPoint(spkiDer);
  for (;;) {
    // A1–A4: k uniform in [1, n−1], C1 = [k]G, (x2, y2) = [k]P_B.
    const seed = random.bytes(SCALAR_SEED_BYTES);
    const k = sm2Curve.utils.randomSecretKey(seed);
    seed.fill(0);
    const c1 = Buffer.from(sm2Curve.getPublicKey(k, false));
    const shared = sm2Curve.getSharedSecret(k, recipient, false);
    k.fill(0);
    try {
      // A5: t = KDF(x2 ‖ y2, klen); an all-zero t means choosing k again.
      const t = kdf(shared.subarray(1), plaintext.length);
      if (allZero(t)) continue;
      const c2 = xor(plaintext, t);
      t.fill(0);
      return encodeSm2Cipher({ c1, c3: c3Of(shared, plaintext), c2 });
    } finally {
      shared.fill(0);
    }
  }
}

/** Decrypts an SM2Cipher with `privateKey` (an SM2 KeyObject); null for any failure (malformed
 *  DER, C1 not on the curve, all-zero KDF output, C3 mismatch), all alike. */
export function sm2Decrypt(privateKey: KeyObject, ciphertext: Buffer): Buffer | null {
  const parts = decodeSm2Cipher(ciphertext);
  if (!parts) return null;
  // B1–B3: C1 must decode to a curve point; (x2, y2) = [d]C1.
  const shared = withSm2Scalar(privateKey, (d) => {
    try {
      return sm2Curve.getSharedSecret(d, parts.c1, false);
    } catch {
      return null;
    }
  });
  if (!shared) return null;
  try {
    // B4–B6: t = KDF(x2 ‖ y2, klen) must not be all zero; M' = C2 ⊕ t; SM3(x2 ‖ M' ‖ y2) = C3.
    const t = kdf(shared.subarray(1), parts.c2.length);
    const plaintext = xor(parts.c2, t);
    const valid = !allZero(t) && timingSafeEqual(c3Of(shared, plaintext), parts.c3);
    t.fill(0);
    if (valid) return plaintext;
    plaintext.fill(0);
    return null;
  } finally {
    shared.fill(0);
  }
}

/** The key derivation function of GB/T 32918.4 §5.4.3: SM3(Z ‖ ct) for ct = 1, 2, … (32-bit
 *  big-endian), concatenated and cut to `length` bytes. */
function kdf(z: Uint8Array, length: number): Buffer {
  const blocks: Buffer[] = [];
  const counter = Buffer.alloc(4);
  for (let ct = 1, produced = 0; produced < length; ct++, produced += 32) {
    counter.writeUInt32BE(ct);
    blocks.push(createHash('sm3').update(z).update(counter).digest());
  }
  const t = Buffer.concat(blocks);
  const out = Buffer.from(t.subarray(0, length));
  t.fill(0);
  return out;
}

/** C3 = SM3(x2 ‖ M ‖ y2), from the shared point 0x04 ‖ x2 ‖ y2. */
function c3Of(shared: Uint8Array, message: Buffer): Buffer {
  const x2 = shared.subarray(1, 1 + SM2_COORDINATE_BYTES);
  const y2 = shared.subarray(1 + SM2_COORDINATE_BYTES);
  return createHash('sm3').update(x2).update(message).update(y2).digest();
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0);
  return out;
}

/** Whether every byte is zero, reading them all (t is secret). */
function allZero(bytes: Buffer): boolean {
  let acc = 0;
  for (const b of bytes) acc |= b;
  return acc === 0;
}
