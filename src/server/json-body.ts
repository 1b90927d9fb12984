// Reading AWS JSON 1.1 request bodies, shared by the KMS and administrator endpoints.
import type { IncomingMessage } from 'node:http';
import { fail } from '../core/errors.js';

const JSON_TYPES = new Set(['application/x-amz-json-1.1', 'application/x-amz-json-1.0', 'application/json']);

export function requireJsonContentType(req: IncomingMessage): void {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!JSON_TYPES.has(contentType)) fail('SerializationException', 'Content-Type must be application/x-amz-json-1.1.');
}

// Strict: lenient decoding would turn different invalid bytes into the same U+FFFD, and two
// different encryption contexts into one.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The body as text; undefined when it is not valid UTF-8. */
export function decodeUtf8(body: Buffer): string | undefined {
  try {
    return utf8.decode(body);
  } catch {
    return undefined;
  }
}

/** The body as JSON; an empty body is `{}`, as AWS JSON services read it. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  const text = decodeUtf8(body);
  if (text === undefined) fail('SerializationException', 'The request body is not valid UTF-8.');
  try {
    return JSON.parse(text);
  } catch {
    fail('SerializationException', 'The request body is not valid JSON.');
  }
}
