// The HTTP edge: routes, body limit, health, metrics, TLS, and a graceful close.
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Clock } from '../core/clock.js';
import { KmsError } from '../core/errors.js';
import { handleAdminRequest } from './admin-endpoint.js';
import { handleAuditRequest, isAuditRequest, type AuditEndpointDeps } from './audit-endpoint.js';
import { handleKmsRequest } from './kms-endpoint.js';
import { handleQueryRequest, type QueryEndpointDeps } from './query-endpoint.js';
import { sendError } from './render.js';
import { newRequestId } from './request-id.js';

/** Larger than any valid KMS request (a 32 KiB policy, 6 KiB blobs as base64). */
export const MAX_BODY_BYTES = 256 * 1024;

export interface HttpServerOptions {
  /** The clock signatures are checked against; reported in Date so SDKs correct their skew to it. */
  readonly clock: Clock;
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  readonly ready: () => boolean;
  readonly metricsText: () => Promise<{ contentType: string; text: string }>;
}

/** What every endpoint behind the edge needs. */
export type EdgeDeps = QueryEndpointDeps & AuditEndpointDeps;

export function createHttpServer(deps: EdgeDeps, options: HttpServerOptions): http.Server {
  const date = httpDate(options.clock);
  const handler = (req: IncomingMessage, res: ServerResponse): void => route(deps, options, date, req, res);
  const server = options.tls
    ? https.createServer({ cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile), minVersion: 'TLSv1.2' }, handler)
    : http.createServer(handler);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  server.on('clientError', (err, socket) => {
    // Malformed HTTP never reaches a handler: answer 400 and close, without crashing.
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy(err);
  });
  return server;
}

/** The Date header value, formatted once per second as node:http itself does. */
function httpDate(clock: Clock): () => string {
  let second = NaN;
  let text = '';
  return () => {
    const now = clock.now();
    const s = Math.floor(now.getTime() / 1000);
    if (s !== second) {
      second = s;
      text = now.toUTCString();
    }
    return text;
  };
}

function route(deps: EdgeDeps, options: HttpServerOptions, date: () => string, req: IncomingMessage, res: ServerResponse): void {
  const requestId = newRequestId();
  res.sendDate = false;
  res.setHeader('date', date());
  if (!options.ready()) res.setHeader('connection', 'close'); // shutting down: no keep-alive
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/health') {
    const ready = options.ready();
    res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ready ? 'ok' : 'starting' }));
    return;
  }
  if (req.method === 'GET' && path === '/metrics') {
    options.metricsText().then(
      ({ contentType, text }) => res.writeHead(200, { 'content-type': contentType }).end(text),
      (err: unknown) => {
        deps.logger.error({ reqId: requestId, err }, 'metrics collection failed');
        res.writeHead(500).end();
      },
    );
    return;
  }
  if (req.method !== 'POST' || path !== '/') {
    req.resume();
    sendError(res, requestId, new KmsError('UnknownOperationException', 'keyhold serves the KMS API as POST / (plus GET /health and GET /metrics).'));
    return;
  }
  const tooLarge = (): KmsError => new KmsError('RequestEntityTooLargeException', `The request body exceeds ${MAX_BODY_BYTES} bytes.`);
  if (Number(req.headers['content-length'] ?? 0) > MAX_DRAIN_BYTES) {
    res.setHeader('connection', 'close'); // not worth draining: answer, then close
    sendError(res, requestId, tooLarge());
    return;
  }
  readBody(req, (body) => {
    if (body === null) {
      sendError(res, requestId, tooLarge());
      return;
    }
    const service = signedService(req.headers.authorization);
    if (service === 'iam' || service === 'sts') void handleQueryRequest(deps, service, req, res, body, requestId);
    else if (service === 'keyhold' && isAuditRequest(req)) void handleAuditRequest(deps, req, res, body, requestId);
    else if (service === 'keyhold') void handleAdminRequest(deps, deps.query, req, res, body, requestId);
    else void handleKmsRequest(deps, req, res, body, requestId);
  });
}

/** The service a request is signed for, from its credential scope (…/date/region/SERVICE/aws4_request):
 *  KMS, IAM, STS and keyhold's own administrator and audit APIs (`keyhold`, then by X-Amz-Target) share the endpoint and are told apart by it. Verification
 *  happens later; an unsigned or unparseable request goes to KMS, which reports the problem. */
function signedService(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : /Credential=[^/,\s]*\/\d{8}\/[^/,\s]*\/([a-z0-9-]+)\/aws4_request/.exec(authorization)?.[1];
}

/** Past this much discarded upload, a client is abusive and its connection is cut. */
const MAX_DRAIN_BYTES = 8 * 1024 * 1024;

/** Reads the body; calls back with null when it exceeds MAX_BODY_BYTES. An oversized upload is
 *  read to its end and discarded (up to MAX_DRAIN_BYTES) before the callback: answering while the
 *  client still sends would make Node close the socket, and the client would see a reset, not
 *  the 413. */
function readBody(req: IncomingMessage, done: (body: Buffer | null) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_DRAIN_BYTES) req.socket.destroy();
    if (size > MAX_BODY_BYTES) {
      tooLarge = true;
      chunks.length = 0;
    }
    if (!tooLarge) chunks.push(chunk);
  });
  req.on('end', () => done(tooLarge ? null : chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
}
