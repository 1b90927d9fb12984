// Pre-signs KMS JSON requests with SigV4 and renders them as raw HTTP/1.1 bytes for replay.
import { randomUUID } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { benchCredentials, config } from './config.js';
import { NodeSha256 } from './sha256.js';

export interface Target {
  readonly host: string; // 127.0.0.1
  readonly port: number;
}

/** One signed request; `raw` is exactly what goes on the wire (wrk sends it verbatim). */
export interface SignedRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly raw: string;
}

const signer = new SignatureV4({
  service: 'kms',
  region: config.region,
  credentials: benchCredentials,
  sha256: NodeSha256,
  // KMS clients (botocore, the CLI) do not send x-amz-content-sha256; mimic them.
  applyChecksum: false,
});

/** Signs `count` requests for `operation` (e.g. "Encrypt"), the body of each from `bodyFor(i)`.
 *  Every request carries its own amz-sdk-invocation-id, as the SDK's do, so no two are alike
 *  even when the bodies are. Sign right before use: signatures expire after 5 minutes. */
export async function signRequests(
  target: Target,
  operation: string,
  count: number,
  bodyFor: (i: number) => string,
): Promise<SignedRequest[]> {
  const signingDate = new Date();
  const out: SignedRequest[] = [];
  for (let i = 0; i < count; i++) {
    const body = bodyFor(i);
    const signed = await signer.sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: target.host,
        port: target.port,
        path: '/',
        query: {},
        headers: {
          host: `${target.host}:${target.port}`,
          'content-type': 'application/x-amz-json-1.1',
          'content-length': String(Buffer.byteLength(body)),
          'x-amz-target': `TrentService.${operation}`,
          'amz-sdk-invocation-id': randomUUID(),
        },
        body,
      },
      { signingDate },
    );
    const headerLines = Object.entries(signed.headers).map(([k, v]) => `${k}: ${v}\r\n`);
    out.push({ headers: signed.headers, body, raw: `POST / HTTP/1.1\r\n${headerLines.join('')}\r\n${body}` });
  }
  return out;
}
