// Low-level HTTP for black-box tests that need what fetch and the SDK will not send: duplicated
// headers, any method, invalid bytes, chunked bodies, arbitrary credentials, raw socket bytes.
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import { connect } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { testCredentials } from './server.js';

type Source = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: Source): string | Uint8Array =>
  typeof d === 'string' ? d : d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

/** SHA-256 / HMAC-SHA-256 in the shape @smithy/signature-v4 expects, on node:crypto. */
export class Sha256 {
  readonly #hash;
  constructor(secret?: Source) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Source): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }
}

export interface SignOptions {
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  readonly region?: string;
  readonly service?: string;
  readonly signingDate?: Date;
}

/** SigV4-signs a request to `port` on 127.0.0.1 and returns the headers to send (lower-case names). */
export async function signHeaders(
  port: number,
  request: { method?: string; path?: string; headers: Record<string, string>; body: string | Buffer },
  opts: SignOptions = {},
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: opts.credentials ?? testCredentials,
    region: opts.region ?? 'us-east-1',
    service: opts.service ?? 'kms',
    sha256: Sha256,
  });
  const [path, query] = (request.path ?? '/').split('?', 2) as [string, string | undefined];
  const signed = await signer.sign(
    {
      method: request.method ?? 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port,
      path,
      query: query === undefined ? {} : Object.fromEntries(new URLSearchParams(query)),
      headers: { host: `127.0.0.1:${port}`, ...request.headers },
      body: request.body,
    },
    opts.signingDate !== undefined ? { signingDate: opts.signingDate } : {},
  );
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) out[k.toLowerCase()] = String(v);
  return out;
}

export interface RawHttpRequest {
  readonly port: number;
  readonly method?: string;
  readonly path?: string;
  /** A header given an array is sent as that many header lines. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string | Buffer;
  /** Send the body with Transfer-Encoding: chunked, in pieces of this many bytes. */
  readonly chunkSize?: number;
  readonly timeoutMs?: number;
}

export interface RawHttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly text: string;
}

/** One request on a fresh connection (no keep-alive). Resolves once a complete response has
 *  arrived, even if sending the rest of the body then failed; rejects when the connection
 *  drops (or times out) before a response. */
export function rawHttp(req: RawHttpRequest): Promise<RawHttpResponse> {
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers ?? {})) headers[k] = typeof v === 'string' ? v : [...v];
    const hasHeader = (name: string): boolean => Object.keys(headers).some((k) => k.toLowerCase() === name);
    if (body !== undefined && req.chunkSize === undefined && !hasHeader('content-length')) headers['content-length'] = String(body.length);
    if (req.chunkSize !== undefined) headers['transfer-encoding'] = 'chunked';
    let settled = false;
    const settle = (fn: () => void): void => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        fn();
      }
    };
    const r = http.request({ host: '127.0.0.1', port: req.port, method: req.method ?? 'POST', path: req.path ?? '/', headers, agent: false });
    const timer = setTimeout(() => {
      settle(() => reject(new Error(`no response within ${req.timeoutMs ?? 5000} ms`)));
      r.destroy();
    }, req.timeoutMs ?? 5000);
    r.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const b = Buffer.concat(chunks);
        settle(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b, text: b.toString('utf8') }));
      });
      res.on('error', (err) => settle(() => reject(err)));
      res.on('aborted', () => settle(() => reject(new Error('response aborted'))));
    });
    r.on('error', (err) => settle(() => reject(err)));
    if (body === undefined) {
      r.end();
    } else if (req.chunkSize === undefined) {
      r.end(body);
    } else {
      const size = req.chunkSize;
      let offset = 0;
      const writeMore = (): void => {
        while (offset < body.length) {
          const piece = body.subarray(offset, offset + size);
          offset += size;
          if (!r.write(piece)) {
            r.once('drain', writeMore);
            return;
          }
        }
        r.end();
      };
      writeMore();
    }
  });
}

export interface RawSocketResult {
  /** Everything the server sent before closing. */
  readonly data: Buffer;
  /** 'end': the server closed cleanly; 'reset': the connection errored (e.g. ECONNRESET);
   *  'timeout': the server neither answered nor closed in time. */
  readonly outcome: 'end' | 'reset' | 'timeout';
  readonly error?: string;
}

/** Writes `payload` to a plain TCP connection and collects the reply until the server closes. */
export function rawSocket(port: number, payload: string | Buffer, timeoutMs = 3000): Promise<RawSocketResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port });
    let done = false;
    const finish = (outcome: RawSocketResult['outcome'], error?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ data: Buffer.concat(chunks), outcome, ...(error !== undefined ? { error } : {}) });
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.on('connect', () => socket.write(payload));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => finish('end'));
    socket.on('close', () => finish('end'));
    socket.on('error', (err: NodeJS.ErrnoException) => finish('reset', err.code ?? err.message));
  });
}
