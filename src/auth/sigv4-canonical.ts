// SigV4 canonical-request pieces (URI, query, header values), matching what the AWS SDK signs.
import { KmsError } from '../core/errors.js';

export const MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** RFC 3986 escaping as the SDK does it (encodeURIComponent plus !'()*). */
export function escapeUri(s: string): string {
  let out: string;
  try {
    out = encodeURIComponent(s);
  } catch {
    // Lone surrogates cannot have been signed by any client; treat as a bad signature.
    throw new KmsError('InvalidSignatureException', MISMATCH_MESSAGE);
  }
  return out.replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function decodeLenient(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // malformed %-escapes: keep the raw text; the signature will simply not match
  }
}

/** Canonical URI for non-S3 services (the SDK's uriEscapePath=true): drop empty and "."
 *  segments, resolve "..", then escape the (already wire-encoded) path once more. */
export function canonicalUri(path: string): string {
  if (path === '/') return '/'; // the only path the AWS JSON protocol uses
  const segments: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(escapeUri(seg));
  }
  const lead = path.startsWith('/') ? '/' : '';
  const trail = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return lead + segments.join('/') + trail;
}

/** Canonical query string: decode each pair, re-escape, sort by key then value. */
export function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs: [string, string][] = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    const key = escapeUri(decodeLenient(rawKey));
    // The SDK never signs X-Amz-Signature (it only appears in presigned URLs).
    if (key.toLowerCase() === 'x-amz-signature') continue;
    pairs.push([key, escapeUri(decodeLenient(rawValue))]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => k + '=' + v).join('&');
}

const WS_RUN = /[ \t\r\n]+/g;
const NEEDS_TRIM = /^ | $|[\t\r\n]| {2}/;

/** SigV4 "trimall": collapse whitespace runs to one space and trim the ends. */
export function trimAll(value: string): string {
  // Fast path: most values need no change, and a regex test is cheaper than a replace.
  if (!NEEDS_TRIM.test(value)) return value;
  const collapsed = value.replace(WS_RUN, ' ');
  const start = collapsed.startsWith(' ') ? 1 : 0;
  const end = collapsed.length > start && collapsed.endsWith(' ') ? collapsed.length - 1 : collapsed.length;
  return collapsed.slice(start, end);
}
