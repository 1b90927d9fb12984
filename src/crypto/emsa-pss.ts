// EMSA-PSS encoding and verification (RFC 8017 §9.1) of a message digest the caller already has.
// Node's sign/verify always hash their input, so RSASSA-PSS over a DIGEST message encodes here and
// uses node only for the raw RSA operation. MGF1 uses the message hash; the salt is as long as
// the hash, as AWS KMS's RSASSA_PSS_SHA_* algorithms define it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

type PssHash = 'sha256' | 'sha384' | 'sha512';

/** MGF1 (RFC 8017 §B.2.1): `length` bytes from `seed`. */
function mgf1(hash: PssHash, seed: Uint8Array, length: number): Buffer {
  const blocks: Buffer[] = [];
  const counter = Buffer.alloc(4);
  for (let produced = 0, i = 0; produced < length; i++) {
    counter.writeUInt32BE(i);
    const block = createHash(hash).update(seed).update(counter).digest();
    blocks.push(block);
    produced += block.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** H = Hash(0x00 × 8 ‖ mHash ‖ salt), step 6 of encoding and 12–13 of verification. */
function pssHash(hash: PssHash, mHash: Uint8Array, salt: Uint8Array): Buffer {
  return createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
}

/** The mask that clears the leftmost 8·emLen − emBits bits of the first byte. */
const topMask = (emLen: number, emBits: number): number => 0xff >> (8 * emLen - emBits);

/** EM for `mHash` (RFC 8017 §9.1.1), emBits = modulus bits − 1, with a fresh random salt of
 *  hash length. Throws when the modulus is too small for the encoding (never for 2048+ bits). */
export function emsaPssEncode(hash: PssHash, mHash: Uint8Array, emBits: number): Buffer {
  const hLen = mHash.length;
  const emLen = Math.ceil(emBits / 8);
  /* Precondition: emLen ≥ hLen + sLen + 2, with sLen = hLen (step 3). */
  if (emLen < 2 * hLen + 2) throw new RangeError('RSA modulus too small for EMSA-PSS with this hash');
  const salt = randomBytes(hLen);
  const h = pssHash(hash, mHash, salt);
  // DB = PS ‖ 0x01 ‖ salt, masked with MGF1(H).
  const db = Buffer.alloc(emLen - hLen - 1);
  db[db.length - hLen - 1] = 0x01;
  salt.copy(db, db.length - hLen);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & topMask(emLen, emBits);
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

/** Whether EM is a valid encoding of `mHash` with a salt of hash length (RFC 8017 §9.1.2). */
export function emsaPssVerify(hash: PssHash, mHash: Uint8Array, em: Uint8Array, emBits: number): boolean {
  const hLen = mHash.length;
  const emLen = Math.ceil(emBits / 8);
  if (em.length !== emLen || emLen < 2 * hLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const top = topMask(emLen, emBits);
  if (((maskedDb[0] ?? 0) & ~top & 0xff) !== 0) return false;
  const db = mgf1(hash, h, maskedDb.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] ?? 0) ^ (maskedDb[i] ?? 0);
  db[0] = (db[0] ?? 0) & top;
  // DB must be zeros, then 0x01, then exactly hLen bytes of salt (step 10).
  const separator = db.length - hLen - 1;
  for (let i = 0; i < separator; i++) if (db[i] !== 0) return false;
  if (db[separator] !== 0x01) return false;
  return timingSafeEqual(pssHash(hash, mHash, db.subarray(separator + 1)), h);
}
