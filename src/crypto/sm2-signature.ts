// The SM2 digital signature (GB/T 32918.2-2016) for AWS KMS's SM2DSA: e = SM3(Z_A ‖ M) with the
// distinguishing ID 1234567812345678 in Z_A, which AWS KMS always uses ("By default, KMS uses
// 1234567812345678 as the distinguishing ID"; AWS KMS Developer Guide, "Offline verification with
// SM2 key pairs"). With MessageType DIGEST the caller sends e itself. Node's OpenSSL can sign with
// an SM2 key but cannot be given a distinguishing ID (it uses the empty one), so the curve
// arithmetic is @noble/curves' and the hash node's SM3. Signatures are DER SEQUENCE { r, s }.
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { publicKeyBits, withPrivateScalar } from './key-bytes.js';
import { Sm2Point } from './sm2-curve.js';
import { decodeDerSignature, encodeDerSignature } from './signature-der.js';

export const SM2_DEFAULT_ID = Buffer.from('1234567812345678', 'ascii');
const BYTES = 32;

const Fn = Sm2Point.Fn;
const N = Fn.ORDER;
const CURVE = Sm2Point.CURVE();

/** Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) (GB/T 32918.2 §5.5). */
function userHash(publicPoint: Uint8Array, id: Uint8Array): Buffer {
  const point = Sm2Point.fromBytes(publicPoint).toAffine();
  const entl = Buffer.alloc(2);
  entl.writeUInt16BE(id.length * 8);
  const hash = createHash('sm3').update(entl).update(id);
  for (const value of [CURVE.a, CURVE.b, CURVE.Gx, CURVE.Gy, point.x, point.y]) hash.update(numberToBytesBE(value, BYTES));
  return hash.digest();
}

/** e = SM3(Z_A ‖ M) for the key with public point `publicPoint` (SEC 1, uncompressed), as
 *  offline verifiers and DIGEST callers compute it (steps A1–A2 of §6.1). */
export function sm2Digest(publicPoint: Uint8Array, message: Uint8Array, id: Uint8Array = SM2_DEFAULT_ID): Buffer {
  return createHash('sm3').update(userHash(publicPoint, id)).update(message).digest();
}

/** A uniformly random k in [1, n − 1], by rejection (n is within 2^-32 of 2^256). */
function randomNonce(): bigint {
  for (;;) {
    const k = bytesToNumberBE(randomBytes(BYTES));
    if (k > 0n && k < N) return k;
  }
}

/** Signs `message` (RAW) or e (DIGEST, 32 bytes; the caller checked) with the key pair. */
export function sm2Sign(privateKey: KeyObject, publicKey: KeyObject, messageType: 'RAW' | 'DIGEST', message: Uint8Array): Buffer {
  if (messageType === 'DIGEST' && message.length !== BYTES) throw new RangeError(`an SM2 digest e must be ${BYTES} bytes`);
  const e = bytesToNumberBE(messageType === 'RAW' ? sm2Digest(publicKeyBits(publicKey), message) : message);
  return withPrivateScalar(privateKey, BYTES, (scalar) => {
    const d = bytesToNumberBE(scalar);
    /* Precondition: d ∈ [1, n − 2] (GB/T 32918.1 §6.1), else (1 + d) has no inverse. */
    if (d < 1n || d > N - 2n) throw new Error('SM2 private key out of range');
    const inverse = Fn.inv(1n + d);
    // Steps A3–A6 of §6.1, trying a new k in the (negligibly rare) degenerate cases.
    for (;;) {
      const k = randomNonce();
      const r = Fn.create(e + Sm2Point.BASE.multiply(k).toAffine().x);
      if (r === 0n || r + k === N) continue;
      const s = Fn.mul(inverse, Fn.sub(k, Fn.mul(r, d)));
      if (s === 0n) continue;
      return encodeDerSignature(numberToBytesBE(r, BYTES), numberToBytesBE(s, BYTES));
    }
  });
}

/** Whether `signature` (DER) is an SM2 signature of `message` (RAW) or of e (DIGEST) under
 *  `publicKey` (§7.1). False, never an exception, for malformed or out-of-range values. */
export function sm2Verify(publicKey: KeyObject, messageType: 'RAW' | 'DIGEST', message: Uint8Array, signature: Uint8Array): boolean {
  const rs = decodeDerSignature(signature, BYTES);
  if (rs === null || (messageType === 'DIGEST' && message.length !== BYTES)) return false;
  const r = bytesToNumberBE(rs.subarray(0, BYTES));
  const s = bytesToNumberBE(rs.subarray(BYTES));
  if (r < 1n || r >= N || s < 1n || s >= N) return false; // B1, B2
  const point = publicKeyBits(publicKey);
  const e = bytesToNumberBE(messageType === 'RAW' ? sm2Digest(point, message) : message);
  const t = Fn.add(r, s);
  if (t === 0n) return false; // B5
  // Public values only, so the faster variable-time multiplication is fine (B6).
  const sum = Sm2Point.BASE.multiplyUnsafe(s).add(Sm2Point.fromBytes(point).multiplyUnsafe(t));
  if (sum.is0()) return false;
  return Fn.create(e + sum.toAffine().x) === r; // B7
}
