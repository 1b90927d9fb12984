// HMAC (RFC 2104) as AWS KMS's GenerateMac and VerifyMac compute it: the full-length tag of the
// algorithm's hash, never truncated ("This is the standard, raw HMAC defined in RFC 2104").
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { MacAlgorithm } from '../core/key-specs.js';

/** OpenSSL's digest name and the full tag length in bytes, per MAC algorithm. */
const HMAC_HASH: Readonly<Record<MacAlgorithm, { readonly digest: string; readonly tagBytes: number }>> = {
  HMAC_SHA_224: { digest: 'sha224', tagBytes: 28 },
  HMAC_SHA_256: { digest: 'sha256', tagBytes: 32 },
  HMAC_SHA_384: { digest: 'sha384', tagBytes: 48 },
  HMAC_SHA_512: { digest: 'sha512', tagBytes: 64 },
};

/** The full-length tag of `algorithm` over `message` under `key` (a secret KeyObject of any length). */
export function hmacTag(key: KeyObject, algorithm: MacAlgorithm, message: Buffer): Buffer {
  return createHmac(HMAC_HASH[algorithm].digest, key).update(message).digest();
}

/** Whether `tag` is the full-length tag of `algorithm` over `message` under `key`.
 *  Security contract: the comparison takes the same time wherever the bytes differ; a tag of any
 *  other length (a truncated tag included) is simply false, never an exception. The length itself
 *  is public (every tag of the algorithm has it), so checking it first leaks nothing. */
export function hmacVerify(key: KeyObject, algorithm: MacAlgorithm, message: Buffer, tag: Buffer): boolean {
  if (tag.length !== HMAC_HASH[algorithm].tagBytes) return false;
  return timingSafeEqual(hmacTag(key, algorithm, message), tag);
}
