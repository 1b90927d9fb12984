// Tests of SigV4Verifier against requests signed by the AWS SDK's own signer (@smithy/signature-v4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { KmsError, type ErrorType } from '../core/errors.js';
import { SecretBytes } from '../core/secret.js';
import { TestClock } from '../core/clock.js';
import { Sha256 } from '../../test/harness/raw-http.js';
import { SigV4Verifier, type SecretLookup, type SignedRequest } from './sigv4.js';

const T0 = new Date('2024-03-01T12:00:00Z');
const AKID = 'AKIDKEYHOLDTEST0001';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const HOST = 'kms.us-east-1.amazonaws.com';
const BODY = '{"KeyId":"alias/test","Plaintext":"aGVsbG8="}';

interface SignOptions {
  body?: string;
  headers?: Record<string, string>;
  path?: string;
  query?: Record<string, string | string[]>;
  url?: string; // raw request target to send; defaults to `path`
  region?: string;
  service?: string;
  date?: Date;
  secret?: string;
  sessionToken?: string;
}

/** Signs a KMS-style JSON request with the SDK signer and turns it into what node would hand us. */
async function sign(o: SignOptions = {}): Promise<SignedRequest> {
  const signer = new SignatureV4({
    service: o.service ?? 'kms',
    region: o.region ?? 'us-east-1',
    credentials: { accessKeyId: AKID, secretAccessKey: o.secret ?? SECRET, ...(o.sessionToken ? { sessionToken: o.sessionToken } : {}) },
    sha256: Sha256,
  });
  const body = o.body ?? BODY;
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'https:',
      hostname: HOST,
      path: o.path ?? '/',
      query: o.query ?? {},
      headers: {
        host: HOST,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.Encrypt',
        ...o.headers,
      },
      body,
    },
    { signingDate: o.date ?? T0 },
  );
  const rawHeaders = Object.entries(signed.headers).flatMap(([k, v]) => [k, v]);
  return { method: 'POST', url: o.url ?? o.path ?? '/', rawHeaders, body: Buffer.from(body) };
}

function verifier(opts: { lookup?: SecretLookup; clock?: TestClock } = {}): SigV4Verifier {
  const secret = SecretBytes.adopt(Buffer.from(SECRET));
  return new SigV4Verifier({
    region: 'us-east-1',
    services: ['kms'],
    clock: opts.clock ?? new TestClock(T0),
    lookupSecret: opts.lookup ?? ((id) => (id === AKID ? secret : undefined)),
  });
}

async function rejectsWith(p: Promise<unknown>, type: ErrorType, message?: RegExp): Promise<KmsError> {
  let caught: unknown;
  await assert.rejects(p, (err: unknown) => {
    caught = err;
    return true;
  });
  assert.ok(caught instanceof KmsError, `expected a KmsError, got ${String(caught)}`);
  assert.equal(caught.type, type, caught.message);
  if (message) assert.match(caught.message, message);
  return caught;
}

function header(req: SignedRequest, name: string): string {
  const i = req.rawHeaders.findIndex((h, j) => j % 2 === 0 && h.toLowerCase() === name);
  return req.rawHeaders[i + 1] ?? '';
}

/** Replaces (or, with undefined, removes) every occurrence of a header. */
function withHeader(req: SignedRequest, name: string, value: string | undefined): SignedRequest {
  const raw: string[] = [];
  let replaced = false;
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const n = req.rawHeaders[i] ?? '';
    if (n.toLowerCase() !== name) {
      raw.push(n, req.rawHeaders[i + 1] ?? '');
    } else if (value !== undefined && !replaced) {
      raw.push(n, value);
      replaced = true;
    }
  }
  if (value !== undefined && !replaced) raw.push(name, value);
  return { ...req, rawHeaders: raw };
}

function withAuth(req: SignedRequest, edit: (auth: string) => string): SignedRequest {
  return withHeader(req, 'authorization', edit(header(req, 'authorization')));
}

const MISMATCH = /^The request signature we calculated does not match/;

test('a request signed by the AWS SDK verifies and yields the access key, service and signed headers', async () => {
  const req = await sign();
  const result = await verifier().verify(req);
  const signed = /SignedHeaders=([^,\s]+)/.exec(header(req, 'authorization'))?.[1]?.split(';');
  assert.ok(signed?.includes('host') && signed.includes('x-amz-target'), String(signed));
  assert.deepEqual(result, { accessKeyId: AKID, service: 'kms', sessionToken: undefined, signedHeaders: signed });
});

test('the session token header is returned for the caller to check', async () => {
  const result = await verifier().verify(await sign({ sessionToken: 'FQoGZXIvYXdzE-token' }));
  assert.equal(result.sessionToken, 'FQoGZXIvYXdzE-token');
});

test('verifies the AWS test-suite vectors (get-vanilla, query order, Date header)', async () => {
  const at = (iso: string): TestClock => new TestClock(new Date(iso));
  const lookup: SecretLookup = () => SecretBytes.adopt(Buffer.from(SECRET));
  const suite = (region: string, service: string, clock: TestClock): SigV4Verifier =>
    new SigV4Verifier({ region, services: [service], clock, lookupSecret: lookup });
  const v2015 = suite('us-east-1', 'service', at('2015-08-30T12:36:00Z'));
  const scope2015 = 'Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date';
  const base = ['Host', 'example.amazonaws.com', 'X-Amz-Date', '20150830T123600Z'];
  await v2015.verify({
    method: 'GET', url: '/', body: Buffer.alloc(0),
    rawHeaders: [...base, 'Authorization', `AWS4-HMAC-SHA256 ${scope2015}, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`],
  });
  await v2015.verify({
    method: 'GET', url: '/?Param2=value2&Param1=value1', body: Buffer.alloc(0),
    rawHeaders: [...base, 'Authorization', `AWS4-HMAC-SHA256 ${scope2015}, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500`],
  });
  // The 2011 suite signs with the HTTP Date header instead of X-Amz-Date.
  await suite('us-east-1', 'host', at('2011-09-09T23:36:00Z')).verify({
    method: 'GET', url: '/', body: Buffer.alloc(0),
    rawHeaders: ['Date', 'Mon, 09 Sep 2011 23:36:00 GMT', 'Host', 'host.foo.com', 'Authorization',
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/host/aws4_request, SignedHeaders=date;host, Signature=b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470'],
  });
});

test('canonicalises paths, sorted queries, whitespace runs and repeated headers as the SDK signs them', async () => {
  const v = verifier();
  // The SDK signs the path as it goes on the wire (already escaped once) and escapes it again.
  await v.verify(await sign({ path: '/a%20b/./c/../d%2Fe/' }));
  await v.verify(await sign({ query: { b: ['2', '1'], a: 'x y', 'c~': "!'()*" }, url: "/?b=2&c~=!'()*&a=x%20y&b=1" }));
  const spaced = await sign({ headers: { 'x-custom': '  a   b\tc  ' } });
  await v.verify(spaced);
  // Two raw headers canonicalise as one comma-joined value.
  const joined = await sign({ headers: { 'x-multi': 'one,two' } });
  await v.verify({ ...withHeader(joined, 'x-multi', undefined), rawHeaders: [...withHeader(joined, 'x-multi', undefined).rawHeaders, 'X-Multi', ' one ', 'x-multi', 'two'] });
  // node hands over header bytes as latin1 chars; a UTF-8 value must still verify.
  const utf8 = await sign({ headers: { 'x-note': 'café ☕' } });
  await v.verify(withHeader(utf8, 'x-note', Buffer.from('café ☕').toString('latin1')));
  // Header name case on the wire does not matter.
  await v.verify({ ...spaced, rawHeaders: spaced.rawHeaders.map((h, i) => (i % 2 === 0 ? h.toUpperCase() : h)) });
});

test('without an Authorization header: MissingAuthenticationTokenException', async () => {
  const req = withHeader(await sign(), 'authorization', undefined);
  await rejectsWith(verifier().verify(req), 'MissingAuthenticationTokenException', /^Missing Authentication Token$/);
  await rejectsWith(verifier().verify(withHeader(req, 'authorization', '')), 'MissingAuthenticationTokenException');
});

test('an Authorization header missing a part names each missing part, never the signature', async () => {
  const req = await sign();
  const sig = /Signature=([0-9a-f]{64})/.exec(header(req, 'authorization'))?.[1] ?? '';
  const drop = (part: string) => withAuth(req, (a) => a.replace(new RegExp(`,? ?${part}=[^,]*`), ''));
  const cases: [SignedRequest, RegExp][] = [
    [drop('Credential'), /requires 'Credential' parameter/],
    [drop('SignedHeaders'), /requires 'SignedHeaders' parameter/],
    [drop('Signature'), /requires 'Signature' parameter/],
    [withAuth(req, () => 'AWS4-HMAC-SHA256'), /'Credential'.*'Signature'.*'SignedHeaders'/],
    [withHeader(req, 'x-amz-date', undefined), /either a 'X-Amz-Date' or a 'Date' header/],
  ];
  for (const [r, message] of cases) {
    const err = await rejectsWith(verifier().verify(r), 'IncompleteSignatureException', message);
    assert.ok(!err.message.includes(sig), 'signature echoed');
  }
});

test('a malformed Authorization header: IncompleteSignatureException', async () => {
  const req = await sign();
  const cases: [(a: string) => string, RegExp][] = [
    [(a) => a.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512'), /Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'/],
    [() => 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', /Unsupported AWS 'algorithm'/],
    [(a) => a.replace('Credential=', 'Credential= '), /missing equal-sign/],
    [(a) => a.replace(`/us-east-1/`, '/'), /exactly 5 slash-delimited elements/],
    [(a) => a.replace(/Signature=[0-9a-f]+/, 'Signature=abc'), /64 hexadecimal/],
    [(a) => a.replace(/Signature=[0-9a-f]{2}/, 'Signature=zz'), /64 hexadecimal/],
    [(a) => a.replace('SignedHeaders=', 'SignedHeaders=;'), /empty header name/],
    [(a) => `${a}, Signature=${'0'.repeat(64)}`, /more than one 'Signature'/],
    [(a) => `${a}, Extra=1`, /Unknown Authorization header parameter 'Extra'/],
    [(a) => a + ' '.repeat(9000), /too long/],
  ];
  for (const [edit, message] of cases) {
    await rejectsWith(verifier().verify(withAuth(req, edit)), 'IncompleteSignatureException', message);
  }
  const twice = { ...req, rawHeaders: [...req.rawHeaders, 'Authorization', header(req, 'authorization')] };
  await rejectsWith(verifier().verify(twice), 'IncompleteSignatureException', /exactly one Authorization header/);
});

test('the three Authorization parts are accepted in any order and with odd spacing', async () => {
  const req = await sign();
  const parts = header(req, 'authorization').replace('AWS4-HMAC-SHA256 ', '').split(', ');
  await verifier().verify(withHeader(req, 'authorization', `AWS4-HMAC-SHA256   ${[...parts].reverse().join(' ,\t')}`));
  await verifier().verify(withHeader(req, 'authorization', `AWS4-HMAC-SHA256 ${parts.join(',')}`));
});

test('a malformed X-Amz-Date: IncompleteSignatureException', async () => {
  const req = await sign();
  for (const bad of ['2024-03-01T12:00:00Z', '20240301T120000', '20241301T120000Z', '20240230T120000Z', '', '20240301T120000Z,20240301T120000Z']) {
    await rejectsWith(verifier().verify(withHeader(req, 'x-amz-date', bad)), 'IncompleteSignatureException', /ISO-8601 'basic format'/);
  }
});

test('host and x-amz-date must be signed headers', async () => {
  const req = await sign();
  const unsign = (name: string) => withAuth(req, (a) => a.replace(new RegExp(`(SignedHeaders=[^,]*?)\\b${name};?`), '$1'));
  await rejectsWith(verifier().verify(unsign('host')), 'InvalidSignatureException', /'Host' or ':authority' must be a 'SignedHeader'/);
  await rejectsWith(verifier().verify(unsign('x-amz-date')), 'InvalidSignatureException', /'X-Amz-Date' must be a 'SignedHeader'/);
});

test('a credential scope for another date, region, service or terminator: InvalidSignatureException', async () => {
  const req = await sign();
  await rejectsWith(verifier().verify(withAuth(req, (a) => a.replace('/20240301/', '/20240302/'))), 'InvalidSignatureException',
    /^Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240302' != '20240301', from '20240301T120000Z'\.$/);
  await rejectsWith(verifier().verify(await sign({ region: 'eu-west-1' })), 'InvalidSignatureException',
    /^Credential should be scoped to a valid region\. $/);
  await rejectsWith(verifier().verify(await sign({ service: 'dynamodb' })), 'InvalidSignatureException',
    /^Credential should be scoped to correct service: 'kms'\. $/);
  await rejectsWith(verifier().verify(withAuth(req, (a) => a.replace('aws4_request', 'aws5_request'))), 'InvalidSignatureException',
    /valid terminator: 'aws4_request', not 'aws5_request'/);
});

test('request time may be up to 5 minutes either side of now, and no more', async () => {
  const req = await sign(); // signed at T0 = 20240301T120000Z
  const at = (offsetMs: number) => verifier({ clock: new TestClock(new Date(T0.getTime() + offsetMs)) });
  await at(5 * 60_000).verify(req);
  await at(-5 * 60_000).verify(req);
  await rejectsWith(at(5 * 60_000 + 1000).verify(req), 'InvalidSignatureException',
    /^Signature expired: 20240301T120000Z is now earlier than 20240301T120001Z \(20240301T120501Z - 5 min\.\)$/);
  await rejectsWith(at(-5 * 60_000 - 1000).verify(req), 'InvalidSignatureException',
    /^Signature not yet current: 20240301T120000Z is still later than 20240301T115959Z \(20240301T115459Z \+ 5 min\.\)$/);
  const oneMinute = new SigV4Verifier({ region: 'us-east-1', services: ['kms'], maxSkewMs: 60_000,
    clock: new TestClock(new Date(T0.getTime() + 90_000)), lookupSecret: () => SecretBytes.adopt(Buffer.from(SECRET)) });
  await rejectsWith(oneMinute.verify(req), 'InvalidSignatureException', /\(20240301T120130Z - 1 min\.\)$/);
  // The same verifier follows its clock as it moves.
  const clock = new TestClock(T0);
  const v = verifier({ clock });
  await v.verify(req);
  clock.advance(6 * 60_000);
  await rejectsWith(v.verify(req), 'InvalidSignatureException', /^Signature expired/);
});

test('an unknown access key: UnrecognizedClientException', async () => {
  await rejectsWith(verifier({ lookup: () => undefined }).verify(await sign()), 'UnrecognizedClientException',
    /^The security token included in the request is invalid\.$/);
  await rejectsWith(verifier({ lookup: async () => undefined }).verify(await sign()), 'UnrecognizedClientException');
});

test('a tampered body, header, target, path, query or method: InvalidSignatureException', async () => {
  const req = await sign({ query: { a: '1' }, url: '/?a=1' });
  const v = verifier();
  await v.verify(req);
  const tampered: SignedRequest[] = [
    { ...req, body: Buffer.from(BODY.replace('test', 'prod')) },
    { ...req, body: Buffer.alloc(0) },
    withHeader(req, 'x-amz-target', 'TrentService.Decrypt'),
    withHeader(req, 'content-type', 'application/json'),
    withHeader(req, 'host', 'evil.example.com'),
    withHeader(req, 'x-amz-content-sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'),
    withHeader(req, 'content-type', undefined), // a signed header that is absent
    { ...req, url: '/?a=2' },
    { ...req, url: '/x?a=1' },
    { ...req, method: 'PUT' },
    withAuth(req, (a) => a.replace(/Signature=(.)/, (_m, c: string) => `Signature=${c === '0' ? '1' : '0'}`)),
  ];
  for (const r of tampered) await rejectsWith(v.verify(r), 'InvalidSignatureException', MISMATCH);
});

test('a rotated secret for the same access key is never served from the derived-key cache', async () => {
  let current = SecretBytes.adopt(Buffer.from(SECRET));
  let lookups = 0;
  const v = verifier({
    lookup: () => {
      lookups++;
      return current;
    },
  });
  const req = await sign();
  await v.verify(req);
  await v.verify(req); // cached
  current = SecretBytes.adopt(Buffer.from('a-completely-different-secret-key-000000'));
  await rejectsWith(v.verify(req), 'InvalidSignatureException', MISMATCH);
  await v.verify(await sign({ secret: 'a-completely-different-secret-key-000000' }));
  current = SecretBytes.adopt(Buffer.from(SECRET)); // a new object with the old bytes works again
  await v.verify(req);
  assert.equal(lookups, 5, 'the secret is looked up on every verify, cached key or not');
});

test('the error message never contains the secret or the signature', async () => {
  const req = await sign();
  const sig = /Signature=([0-9a-f]{64})/.exec(header(req, 'authorization'))?.[1] ?? '';
  const failing = [
    verifier().verify(await sign({ secret: 'other' })),
    verifier().verify(withAuth(req, (a) => a.replace('Credential=', 'Credential= '))),
    verifier().verify(withAuth(req, (a) => a.replace('/us-east-1/', '/'))),
    verifier().verify(withAuth(req, (a) => a.replace('Signature=', 'Signature=x'))),
  ];
  for (const p of failing) {
    const err = await p.then(() => assert.fail('should have failed'), (e: unknown) => e);
    assert.ok(err instanceof KmsError);
    assert.ok(!err.message.includes(SECRET) && !err.message.includes(sig), err.message);
  }
});

/** Small deterministic PRNG so a failing fuzz case can be reproduced. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('hundreds of mangled Authorization headers and requests only ever produce KmsError', async () => {
  const req = await sign();
  const auth = header(req, 'authorization');
  const rnd = mulberry32(0x5eed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const bits = [',', '=', ' ', '\t', '/', ';', '\0', '\xff', 'é', '\ud800', '%', 'Signature=', 'Credential=', 'SignedHeaders=', 'aws4_request', 'x'.repeat(5000)];
  const v = verifier();
  const seen = new Map<string, number>();
  for (let i = 0; i < 600; i++) {
    let a = auth;
    for (let n = 1 + Math.floor(rnd() * 4); n > 0; n--) {
      const at = Math.floor(rnd() * (a.length + 1));
      const op = Math.floor(rnd() * 4);
      if (op === 0) a = a.slice(0, at) + a.slice(at + 1 + Math.floor(rnd() * 20));
      else if (op === 1) a = a.slice(0, at) + pick(bits) + a.slice(at);
      else if (op === 2) a = a.slice(0, at) + pick(bits) + a.slice(at + 1);
      else a = a.slice(0, at);
    }
    let r = withHeader(req, 'authorization', a);
    if (i % 7 === 0) r = withHeader(r, 'x-amz-date', pick(bits) + '20240301T120000Z');
    if (i % 11 === 0) r = { ...r, url: '/' + pick(bits) + '?' + pick(bits) + '=' + pick(bits) };
    if (i % 13 === 0) r = { ...r, rawHeaders: [...r.rawHeaders, 'Authorization'] }; // odd-length rawHeaders
    if (i % 17 === 0) r = { ...r, rawHeaders: [...r.rawHeaders, 'Authorization', a] };
    try {
      await v.verify(r);
      seen.set('ok', (seen.get('ok') ?? 0) + 1);
    } catch (err) {
      assert.ok(err instanceof KmsError, `case ${i}: ${String(err)} for ${JSON.stringify(a)}`);
      seen.set(err.type, (seen.get(err.type) ?? 0) + 1);
    }
  }
  // The mutations must reach past the parser, or this test proves little.
  for (const type of ['IncompleteSignatureException', 'InvalidSignatureException', 'UnrecognizedClientException']) {
    assert.ok((seen.get(type) ?? 0) > 0, `no ${type} in ${JSON.stringify([...seen])}`);
  }
});
