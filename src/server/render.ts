// Writing responses: AWS JSON 1.1 bodies (blobs as base64, timestamps as epoch seconds) and
// AWS-shaped errors. The only place an error becomes a status code and a body.
import type { ServerResponse } from 'node:http';
import { KmsError, errorStatus } from '../core/errors.js';

const JSON_TYPE = 'application/x-amz-json-1.1';

/** JSON.stringify replacer: `this[key]` is the value before Buffer/Date toJSON ran. */
function awsJson(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (Buffer.isBuffer(raw)) return raw.toString('base64');
  if (raw instanceof Date) return raw.getTime() / 1000;
  return value;
}

export function sendJson(res: ServerResponse, requestId: string, body: unknown): void {
  const text = JSON.stringify(body ?? {}, awsJson);
  res.writeHead(200, {
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, requestId: string, err: KmsError): void {
  // A failure after the response started cannot be reported: end the connection instead.
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify({ __type: err.type, message: err.message });
  res.writeHead(errorStatus[err.type], {
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': err.type,
  });
  res.end(text);
}

/** What the client sees of an unexpected failure: nothing but the request id to quote. */
export const internalError = (requestId: string): KmsError =>
  new KmsError('KMSInternalException', `An internal error occurred. Request ID: ${requestId}`);
