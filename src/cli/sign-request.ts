// AWS Signature Version 4 for the CLI's requests, on node:crypto: the CLI ships, and the AWS SDK's
// signer (@smithy/signature-v4) is only a development dependency. It signs what the CLI sends and
// nothing more: a header-signed request to a path without a query string.
import { createHash, createHmac } from 'node:crypto';

export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface RequestToSign {
  readonly method: string;
  readonly url: URL;
  /** Names in lower case; host and x-amz-date are added. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface SigningScope {
  readonly credentials: SigningCredentials;
  readonly region: string;
  readonly service: string;
  readonly now: Date;
}

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** The headers to send: the request's own, plus host, x-amz-date and authorization, every one
 *  of them signed. */
export function signRequest(request: RequestToSign, scope: SigningScope): Record<string, string> {
  if (request.url.search !== '') throw new Error('signRequest signs requests without a query string');
  const longDate = scope.now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''); // 20240102T030405Z
  const shortDate = longDate.slice(0, 8);
  // fetch sends the URL's host (its port omitted when it is the scheme's default): sign the same.
  const headers: Record<string, string> = { ...request.headers, host: request.url.host, 'x-amz-date': longDate };
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${(headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [request.method, request.url.pathname, '', canonicalHeaders, signedHeaders, sha256Hex(request.body)].join('\n');
  const credentialScope = `${shortDate}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', longDate, credentialScope, sha256Hex(canonicalRequest)].join('\n');
  const kDate = hmac(`AWS4${scope.credentials.secretAccessKey}`, shortDate);
  const kSigning = hmac(hmac(hmac(kDate, scope.region), scope.service), 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${scope.credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
