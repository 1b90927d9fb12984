// Canonical encoding of an encryption context, bound as AAD to every ciphertext.
// Pairs sorted by key bytes; each string length-prefixed, so no two contexts encode alike.

const MAX_PAIRS = 0xffff;

/** Encodes `{k: v}` as u16 count, then per pair u16 len + key bytes, u16 len + value bytes.
 *  An absent and an empty context encode the same (AWS treats them the same). */
export function canonicalContext(context: Readonly<Record<string, string>> | undefined): Buffer {
  const pairs = Object.entries(context ?? {}).map(
    ([k, v]) => [Buffer.from(k, 'utf8'), Buffer.from(v, 'utf8')] as const,
  );
  if (pairs.length > MAX_PAIRS) throw new RangeError('encryption context has too many pairs');
  pairs.sort((a, b) => Buffer.compare(a[0], b[0]));
  const chunks: Buffer[] = [u16(pairs.length)];
  for (const [k, v] of pairs) chunks.push(u16(k.length), k, u16(v.length), v);
  return Buffer.concat(chunks);
}

function u16(n: number): Buffer {
  if (n > 0xffff) throw new RangeError('encryption context entry too long');
  const b = Buffer.allocUnsafe(2);
  b.writeUInt16BE(n, 0);
  return b;
}
