// The CLI's SigV4 signer agrees with the AWS SDK's (@smithy/signature-v4) and with keyhold's verifier.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../../test/harness/raw-http.js';
import { SigV4Verifier } from '../auth/sigv4.js';
import { TestClock } from '../core/clock.js';
import { SecretBytes } from '../core/secret.js';
import { signRequest } from './sign-request.js';

const credentials = { accessKeyId: 'AKIAKEYHOLDCLITEST01', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const now = new Date('2025-06-07T08:09:10Z');
const body = '{"Name":"payments"}';
const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'KeyholdAdmin.CreateAccount' };

test('the signature is the one the AWS SDK signer computes for the same request', async () => {
  const url = new URL('http://127.0.0.1:4599/');
  const request = { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 4599, path: '/', query: {}, headers: { host: '127.0.0.1:4599', ...headers }, body };
  const ours = signRequest({ method: 'POST', url, headers, body }, { credentials, region: 'eu-west-1', service: 'keyhold', now });
  const sdk = new SignatureV4({ credentials, region: 'eu-west-1', service: 'keyhold', sha256: Sha256, applyChecksum: false });
  assert.equal(ours.authorization, (await sdk.sign(request, { signingDate: now })).headers.authorization);
  assert.equal(ours['x-amz-date'], '20250607T080910Z');
  assert.equal(ours.host, '127.0.0.1:4599');

  // Every header given is signed, in the SDK's order: here the SDK's default payload-hash header.
  const payloadHash = createHash('sha256').update(body).digest('hex');
  const withHash = signRequest({ method: 'POST', url, headers: { ...headers, 'x-amz-content-sha256': payloadHash }, body }, { credentials, region: 'eu-west-1', service: 'keyhold', now });
  const sdkDefault = new SignatureV4({ credentials, region: 'eu-west-1', service: 'keyhold', sha256: Sha256 });
  assert.equal(withHash.authorization, (await sdkDefault.sign(request, { signingDate: now })).headers.authorization);
});

test("the host signed is the URL's, without the scheme's default port, as fetch sends it", () => {
  const signed = signRequest({ method: 'POST', url: new URL('https://kms.example.com:443/'), headers, body }, { credentials, region: 'us-east-1', service: 'keyhold', now });
  assert.equal(signed.host, 'kms.example.com');
});

test("keyhold's verifier accepts the signed request for the service keyhold", async () => {
  const url = new URL('http://localhost:4599/');
  const signed = signRequest({ method: 'POST', url, headers, body }, { credentials, region: 'us-east-1', service: 'keyhold', now });
  const secret = SecretBytes.adopt(Buffer.from(credentials.secretAccessKey, 'utf8'));
  const verifier = new SigV4Verifier({ region: 'us-east-1', services: ['keyhold'], clock: new TestClock(now), lookupSecret: () => secret });
  const rawHeaders = Object.entries(signed).flat();
  const verified = await verifier.verify({ method: 'POST', url: '/', rawHeaders, body: Buffer.from(body) });
  assert.deepEqual(verified, { accessKeyId: credentials.accessKeyId, service: 'keyhold', sessionToken: undefined, signedHeaders: ['content-type', 'host', 'x-amz-date', 'x-amz-target'] });
  await assert.rejects(verifier.verify({ method: 'POST', url: '/', rawHeaders, body: Buffer.from('{"Name":"other"}') }), { type: 'InvalidSignatureException' });
});
