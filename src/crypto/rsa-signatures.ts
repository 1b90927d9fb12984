// RSASSA-PSS and RSASSA-PKCS1-v1_5 (RFC 8017 §8) as AWS KMS's RSASSA_* algorithms define them:
// PSS with MGF1 over the message hash and a salt as long as that hash. A RAW message goes through
// node's sign/verify; a DIGEST is encoded here (EMSA-PSS, or the PKCS #1 v1.5 DigestInfo) and only
// the RSA primitive runs in OpenSSL, since node has no "sign this digest" call.
import { constants, privateEncrypt, publicDecrypt, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { emsaPssEncode, emsaPssVerify } from './emsa-pss.js';

export type RsaHash = 'sha256' | 'sha384' | 'sha512';
export type RsaPadding = 'rsa-pss' | 'rsa-pkcs1';
export type RsaMessageType = 'RAW' | 'DIGEST';

const HASH_BYTES: Readonly<Record<RsaHash, number>> = { sha256: 32, sha384: 48, sha512: 64 };

/** The DER DigestInfo prefix of each hash (RFC 8017 §9.2, note 1). */
const DIGEST_INFO: Readonly<Record<RsaHash, Buffer>> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

function modulusBits(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== 'rsa' || bits === undefined) throw new TypeError('RSASSA needs an RSA key');
  return bits;
}

const nodePadding = (padding: RsaPadding) =>
  padding === 'rsa-pss' ? { padding: constants.RSA_PKCS1_PSS_PADDING } : { padding: constants.RSA_PKCS1_PADDING };

/** EMSA-PKCS1-v1_5 (RFC 8017 §9.2) of a digest, as long as the modulus: 00 01 FF… 00 ‖ DigestInfo ‖ H. */
function pkcs1Encoding(hash: RsaHash, digest: Uint8Array, k: number): Buffer {
  const t = Buffer.concat([DIGEST_INFO[hash], digest]);
  const em = Buffer.alloc(k, 0xff);
  em[0] = 0x00;
  em[1] = 0x01;
  em[k - t.length - 1] = 0x00;
  t.copy(em, k - t.length);
  return em;
}

/** Signs `message` (RAW) or its `hash` digest (DIGEST; the caller checked its length). */
export function rsaSign(privateKey: KeyObject, padding: RsaPadding, hash: RsaHash, messageType: RsaMessageType, message: Uint8Array): Buffer {
  const bits = modulusBits(privateKey);
  const saltLength = HASH_BYTES[hash];
  if (messageType === 'RAW') return sign(hash, message, { key: privateKey, ...nodePadding(padding), saltLength });
  /* Precondition: a DIGEST is exactly one hash long (AWS: "must match the length of hashed messages"). */
  if (message.length !== saltLength) throw new RangeError(`an RSA ${hash} digest must be ${saltLength} bytes`);
  const k = Math.ceil(bits / 8);
  // RSASP1 over the encoded message; EM < 2^(modBits−1) < n, so no reduction happens.
  const em = padding === 'rsa-pss' ? emsaPssEncode(hash, message, bits - 1) : pkcs1Encoding(hash, message, k);
  const block = Buffer.alloc(k);
  em.copy(block, k - em.length);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, block);
}

/** Whether `signature` is valid for `message` (RAW) or its digest (DIGEST). False, never an
 *  exception, for any malformed signature: wrong length, not below the modulus, bad encoding. */
export function rsaVerify(publicKey: KeyObject, padding: RsaPadding, hash: RsaHash, messageType: RsaMessageType, message: Uint8Array, signature: Uint8Array): boolean {
  const bits = modulusBits(publicKey);
  const k = Math.ceil(bits / 8);
  // RFC 8017 §8.1.2 and §8.2.2, step 1: a signature is exactly as long as the modulus.
  if (signature.length !== k) return false;
  if (messageType === 'RAW') {
    try {
      return verify(hash, message, { key: publicKey, ...nodePadding(padding), saltLength: HASH_BYTES[hash] }, signature);
    } catch {
      return false;
    }
  }
  if (message.length !== HASH_BYTES[hash]) return false;
  let block: Buffer;
  try {
    block = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature); // RSAVP1; throws when s ≥ n
  } catch {
    return false;
  }
  if (block.length !== k) return false;
  if (padding === 'rsa-pkcs1') {
    // Encode and compare (RFC 8017 §8.2.2 step 3), never parse what the signer sent.
    return timingSafeEqual(block, pkcs1Encoding(hash, message, k));
  }
  const emLen = Math.ceil((bits - 1) / 8);
  for (let i = 0; i < k - emLen; i++) if (block[i] !== 0) return false;
  return emsaPssVerify(hash, message, block.subarray(k - emLen), bits - 1);
}
