// Service tokens: the secret an integrated service (registered by the administrator) adds to the
// requests it makes for customers, proving they came through it. Shown once when the service is
// registered; the store keeps only its SHA-256, like STS session tokens. A token is 256 random
// bits, so a plain hash (no salt, no slow KDF) is enough: there is nothing to guess.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Random } from '../core/clock.js';

/** Integrated service names: lower case, as they appear in `alias/aws/<name>` and in
 *  `<name>.<region>.amazonaws.com` (kms:ViaService), 2–63 characters. */
export const SERVICE_NAME = /^[a-z][a-z0-9-]{1,62}$/;

const PREFIX = 'khst_';

/** A new token: a recognisable prefix (so secret scanners can find leaked ones) and 32 random bytes. */
export const newServiceToken = (random: Random): string => PREFIX + random.bytes(32).toString('base64url');

export const hashServiceToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Whether `presented` is the token whose hash is `storedHash`, compared as two SHA-256 digests in
 *  constant time. */
export function serviceTokenMatches(presented: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const actual = createHash('sha256').update(presented, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
