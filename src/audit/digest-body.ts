// The signed text of a digest: one canonical JSON object, written and parsed only here. Canonical
// (fixed member order, no spaces, nothing else) so that a body means exactly one thing: the
// signature covers its bytes, and a body that parses but is not in this form is refused.
import { createHash } from 'node:crypto';

export interface DigestBody {
  readonly version: 1;
  /** The digest's own place in the sequence of digests: 1, 2, 3… */
  readonly digestSeq: number;
  /** ISO 8601. */
  readonly createdAt: string;
  /** The last event it covers, and that event's chain hash (hex). */
  readonly headSeq: number;
  readonly headHash: string;
  /** SHA-256 (hex) of the previous digest's body; null for the first digest. */
  readonly previousDigestHash: string | null;
}

export function digestBodyText(body: DigestBody): string {
  const { version, digestSeq, createdAt, headSeq, headHash, previousDigestHash } = body;
  return JSON.stringify({ version, digestSeq, createdAt, headSeq, headHash, previousDigestHash });
}

/** What the next digest names as its previous: the hash of this body's exact text. */
export const digestHash = (bodyText: string): string => createHash('sha256').update(bodyText, 'utf8').digest('hex');

const HEX_32 = /^[0-9a-f]{64}$/;
const isSeq = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

/** The body, or undefined when `text` is not a digest body in canonical form. */
export function parseDigestBody(text: string): DigestBody | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const b = value as Record<string, unknown>;
  if (b.version !== 1 || !isSeq(b.digestSeq) || !isSeq(b.headSeq) || typeof b.createdAt !== 'string' || Number.isNaN(Date.parse(b.createdAt))) return undefined;
  if (typeof b.headHash !== 'string' || !HEX_32.test(b.headHash)) return undefined;
  if (b.previousDigestHash !== null && (typeof b.previousDigestHash !== 'string' || !HEX_32.test(b.previousDigestHash))) return undefined;
  const body: DigestBody = { version: 1, digestSeq: b.digestSeq, createdAt: b.createdAt, headSeq: b.headSeq, headHash: b.headHash, previousDigestHash: b.previousDigestHash };
  return digestBodyText(body) === text ? body : undefined;
}
