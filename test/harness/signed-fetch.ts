// Sends raw, SigV4-signed HTTP requests (for tests that need bodies or headers the SDK won't send).
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from './raw-http.js';
import { testCredentials } from './server.js';

const signer = new SignatureV4({ credentials: testCredentials, region: 'us-east-1', service: 'kms', sha256: Sha256 });

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  json(): { __type?: string; message?: string; [k: string]: unknown };
}

/** POSTs `body` to `url` with X-Amz-Target `TrentService.<operation>`, signed unless `sign` is false. */
export async function kmsRequest(url: string, operation: string, body: string | Buffer, opts: { sign?: boolean; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  const request = {
    method: 'POST',
    protocol: 'http:',
    hostname,
    port: Number(port),
    path: '/',
    headers: {
      host: `${hostname}:${port}`,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `TrentService.${operation}`,
      ...opts.headers,
    },
    body,
  };
  const signed = opts.sign === false ? request : await signer.sign(request);
  const res = await fetch(url, { method: 'POST', headers: signed.headers as Record<string, string>, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as ReturnType<RawResponse['json']> };
}
