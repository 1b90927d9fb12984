// AWS Signature Version 4 verification of AWS JSON protocol requests (header-signed only).
import * as crypto from 'node:crypto';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { fail } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import { SecretBytes } from '../core/secret.js';
import { MISMATCH_MESSAGE, canonicalQuery, canonicalUri, trimAll } from './sigv4-canonical.js';

export interface SignedRequest {
  readonly method: string;
  /** Raw request target, e.g. "/" or "/?x=y" (node's req.url). */
  readonly url: string;
  /** node's req.rawHeaders: name, value, name, value… As node gives them, one char per byte
   *  (latin1); the canonical request is hashed as latin1 to get the client's bytes back. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

export interface VerifiedSignature {
  readonly accessKeyId: string;
  /** The service named in the credential scope. */
  readonly service: string;
  /** X-Amz-Security-Token header, if any; checking it is the caller's job. */
  readonly sessionToken: string | undefined;
  /** The names of the headers the signature covers, lower case. */
  readonly signedHeaders: readonly string[];
}

/** Called on every verify. Return the same SecretBytes object for as long as the secret is
 *  unchanged: derived signing keys are cached against that object's identity. */
export type SecretLookup = (accessKeyId: string) => SecretBytes | undefined | Promise<SecretBytes | undefined>;

export interface SigV4VerifierOptions {
  region: string;
  services: readonly string[];
  /** Further regions a service's scope may name: IAM is global, and SDKs sign it for us-east-1. */
  extraRegions?: Readonly<Record<string, readonly string[]>>;
  clock: Clock;
  lookupSecret: SecretLookup;
  /** Allowed distance between the request time and now, either way. Default 5 minutes. */
  maxSkewMs?: number;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const TERMINATOR = 'aws4_request';
const MAX_AUTH_LENGTH = 8192; // node caps all headers at 16 KiB anyway; this bounds parsing work
const MAX_ACCESS_KEY_LENGTH = 256;
const MAX_CACHED_KEYS = 10_000;
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SIGNATURE_HEX = /^[0-9a-fA-F]{64}$/;
const TOKEN = /^[A-Za-z0-9_-]{1,40}$/;
const SEPARATORS = /[\s,]+/;

interface ParsedAuthorization {
  readonly credential: string;
  readonly signedHeaders: string;
  readonly signature: string;
}

interface CachedKey {
  readonly secret: SecretBytes; // identity of the secret the key was derived from
  readonly key: Buffer;
}

export class SigV4Verifier {
  readonly #region: string;
  readonly #services: readonly string[];
  readonly #extraRegions: Readonly<Record<string, readonly string[]>>;
  readonly #clock: Clock;
  readonly #lookupSecret: SecretLookup;
  readonly #maxSkewMs: number;
  readonly #keys = new Map<string, CachedKey>();

  constructor(opts: SigV4VerifierOptions) {
    this.#region = opts.region;
    this.#services = [...opts.services];
    this.#extraRegions = opts.extraRegions ?? {};
    this.#clock = opts.clock;
    this.#lookupSecret = opts.lookupSecret;
    this.#maxSkewMs = opts.maxSkewMs ?? 5 * 60_000;
    if (!(this.#maxSkewMs >= 0 && Number.isFinite(this.#maxSkewMs))) throw new RangeError('maxSkewMs must be a finite, non-negative number');
  }

  async verify(req: SignedRequest): Promise<VerifiedSignature> {
    const { headers, authorizationCount } = collectHeaders(req.rawHeaders);
    if (authorizationCount > 1) {
      fail('IncompleteSignatureException', 'The request must contain exactly one Authorization header.');
    }
    const authorization = headers.get('authorization');
    // Query-string presigning is not supported, so no Authorization header means no credentials.
    if (authorization === undefined || authorization.trim() === '') {
      fail('MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    const amzDate = headers.get('x-amz-date');
    const httpDate = headers.get('date');
    const auth = parseAuthorization(authorization, amzDate !== undefined || httpDate !== undefined);

    const scope = auth.credential.split('/');
    const [accessKeyId, scopeDate, scopeRegion, scopeService, terminator] = scope;
    if (scope.length !== 5 || accessKeyId === undefined || scopeDate === undefined || scopeRegion === undefined ||
        scopeService === undefined || terminator === undefined) {
      fail('IncompleteSignatureException',
        `Credential should have exactly 5 slash-delimited elements, e.g. keyID/date/region/service/term, got '${show(auth.credential)}'.`);
    }
    if (!SIGNATURE_HEX.test(auth.signature)) {
      fail('IncompleteSignatureException', "Authorization header 'Signature' must be 64 hexadecimal characters.");
    }
    // Canonical header names are lower case; the SignedHeaders line itself is signed as sent.
    const signedNames = auth.signedHeaders === '' ? [] : auth.signedHeaders.toLowerCase().split(';');
    if (signedNames.includes('')) {
      fail('IncompleteSignatureException', "Authorization header 'SignedHeaders' contains an empty header name.");
    }

    // The timestamp that goes into the string to sign: X-Amz-Date wins over Date.
    let requestMs: number;
    let longDate: string;
    if (amzDate !== undefined) {
      requestMs = parseIsoBasic(amzDate);
      longDate = amzDate;
    } else {
      requestMs = Date.parse(httpDate ?? '');
      if (Number.isNaN(requestMs)) fail('IncompleteSignatureException', `Could not parse the 'Date' header: '${show(httpDate ?? '')}'.`);
      longDate = isoBasic(requestMs);
    }

    // Unsigned host or date would let a captured signature be replayed elsewhere or later.
    if (!signedNames.includes('host')) {
      fail('InvalidSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }
    const dateHeader = amzDate !== undefined ? 'x-amz-date' : 'date';
    if (!signedNames.includes(dateHeader)) {
      fail('InvalidSignatureException',
        `'${amzDate !== undefined ? 'X-Amz-Date' : 'Date'}' must be a 'SignedHeader' in the AWS Authorization.`);
    }

    if (scopeDate !== longDate.slice(0, 8)) {
      fail('InvalidSignatureException',
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${show(scopeDate)}' != '${longDate.slice(0, 8)}', from '${longDate}'.`);
    }
    if (scopeRegion !== this.#region && !(Object.hasOwn(this.#extraRegions, scopeService) && this.#extraRegions[scopeService]?.includes(scopeRegion) === true)) fail('InvalidSignatureException', 'Credential should be scoped to a valid region. ');
    if (!this.#services.includes(scopeService)) {
      fail('InvalidSignatureException',
        `Credential should be scoped to correct service: ${this.#services.map((s) => `'${s}'`).join(' or ')}. `);
    }
    if (terminator !== TERMINATOR) {
      fail('InvalidSignatureException', `Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${show(terminator)}'.`);
    }
    this.#checkSkew(requestMs, longDate);

    if (accessKeyId === '' || accessKeyId.length > MAX_ACCESS_KEY_LENGTH) invalidToken();
    const found = this.#lookupSecret(accessKeyId);
    const secret = found === undefined || found instanceof SecretBytes ? found : await found; // no tick when sync
    if (secret === undefined) invalidToken();

    // Everything below is synchronous, so no other verify can evict (and zero) our key meanwhile.
    const canonicalRequest = buildCanonicalRequest(req, headers, signedNames, auth.signedHeaders);
    const stringToSign = `${ALGORITHM}\n${longDate}\n${auth.credential.slice(accessKeyId.length + 1)}\n${sha256Hex(canonicalRequest)}`;
    const key = this.#signingKey(accessKeyId, secret, scopeDate, scopeRegion, scopeService);
    const expected = createHmac('sha256', key).update(stringToSign, 'latin1').digest();
    const provided = Buffer.from(auth.signature, 'hex');
    if (provided.length !== expected.length || !timingSafeEqual(provided, expected)) {
      fail('InvalidSignatureException', MISMATCH_MESSAGE);
    }
    return { accessKeyId, service: scopeService, sessionToken: headers.get('x-amz-security-token'), signedHeaders: signedNames };
  }

  #checkSkew(requestMs: number, longDate: string): void {
    const nowMs = this.#clock.now().getTime();
    if (requestMs >= nowMs - this.#maxSkewMs && requestMs <= nowMs + this.#maxSkewMs) return;
    const skew = this.#maxSkewMs % 60_000 === 0 ? `${this.#maxSkewMs / 60_000} min.` : `${this.#maxSkewMs / 1000} sec.`;
    if (requestMs < nowMs - this.#maxSkewMs) {
      fail('InvalidSignatureException',
        `Signature expired: ${longDate} is now earlier than ${isoBasic(nowMs - this.#maxSkewMs)} (${isoBasic(nowMs)} - ${skew})`);
    }
    if (requestMs > nowMs + this.#maxSkewMs) {
      fail('InvalidSignatureException',
        `Signature not yet current: ${longDate} is still later than ${isoBasic(nowMs + this.#maxSkewMs)} (${isoBasic(nowMs)} + ${skew})`);
    }
  }

  /** kSigning = HMAC chain over date, region, service, "aws4_request"; cached per scope and
   *  per SecretBytes identity, so a rotated secret always misses. */
  #signingKey(accessKeyId: string, secret: SecretBytes, date: string, region: string, service: string): Buffer {
    const id = `${accessKeyId}/${date}/${region}/${service}`;
    const cached = this.#keys.get(id);
    if (cached !== undefined && cached.secret === secret) return cached.key;

    const secretBytes = secret.unsafeBytes();
    const seed = Buffer.alloc(4 + secretBytes.length);
    seed.write('AWS4', 0, 'latin1');
    secretBytes.copy(seed, 4);
    const kDate = createHmac('sha256', seed).update(date).digest();
    const kRegion = createHmac('sha256', kDate).update(region).digest();
    const kService = createHmac('sha256', kRegion).update(service).digest();
    const key = createHmac('sha256', kService).update(TERMINATOR).digest();
    for (const b of [seed, kDate, kRegion, kService]) b.fill(0);

    if (cached !== undefined) {
      this.#keys.delete(id);
      cached.key.fill(0);
    } else if (this.#keys.size >= MAX_CACHED_KEYS) {
      const oldest = this.#keys.keys().next();
      if (oldest.done !== true) {
        this.#keys.get(oldest.value)?.key.fill(0);
        this.#keys.delete(oldest.value);
      }
    }
    this.#keys.set(id, { secret, key });
    return key;
  }
}

/** Lower-cased header name → value. Repeated headers are trimmed and comma-joined, which is
 *  how SigV4 canonicalises them (trimAll is idempotent, so trimming again later is harmless). */
function collectHeaders(raw: readonly string[]): { headers: Map<string, string>; authorizationCount: number } {
  const headers = new Map<string, string>();
  let authorizationCount = 0;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = String(raw[i]).toLowerCase();
    const value = String(raw[i + 1]);
    if (name === 'authorization') authorizationCount++;
    const seen = headers.get(name);
    headers.set(name, seen === undefined ? value : `${trimAll(seen)},${trimAll(value)}`);
  }
  return { headers, authorizationCount };
}

/** Splits `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` (any order). Like AWS,
 *  components are separated by commas and/or whitespace. Never echoes the header itself. */
function parseAuthorization(header: string, hasDate: boolean): ParsedAuthorization {
  if (header.length > MAX_AUTH_LENGTH) fail('IncompleteSignatureException', 'The Authorization header is too long.');
  const parts = header.trim().split(SEPARATORS);
  const algorithm = parts[0] ?? '';
  if (algorithm !== ALGORITHM) {
    fail('IncompleteSignatureException',
      TOKEN.test(algorithm)
        ? `Unsupported AWS 'algorithm': '${algorithm}'. Expected '${ALGORITHM}'.`
        : `Unsupported AWS 'algorithm' in the Authorization header. Expected '${ALGORITHM}'.`);
  }
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) fail('IncompleteSignatureException', 'A component of the Authorization header is not a valid key=value pair (missing equal-sign).');
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (key === 'Credential' && credential === undefined) credential = value;
    else if (key === 'SignedHeaders' && signedHeaders === undefined) signedHeaders = value;
    else if (key === 'Signature' && signature === undefined) signature = value;
    else if (key === 'Credential' || key === 'SignedHeaders' || key === 'Signature') {
      fail('IncompleteSignatureException', `Authorization header has more than one '${key}' parameter.`);
    } else {
      fail('IncompleteSignatureException',
        TOKEN.test(key) ? `Unknown Authorization header parameter '${key}'.` : 'Unknown Authorization header parameter.');
    }
  }
  if (credential === undefined || signedHeaders === undefined || signature === undefined || !hasDate) {
    // One message naming everything that is missing, in the order AWS lists them.
    const missing: string[] = [];
    if (credential === undefined) missing.push("Authorization header requires 'Credential' parameter.");
    if (signature === undefined) missing.push("Authorization header requires 'Signature' parameter.");
    if (signedHeaders === undefined) missing.push("Authorization header requires 'SignedHeaders' parameter.");
    if (!hasDate) missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    fail('IncompleteSignatureException', missing.join(' '));
  }
  return { credential, signedHeaders, signature };
}

function buildCanonicalRequest(
  req: SignedRequest,
  headers: Map<string, string>,
  signedNames: readonly string[],
  signedHeaders: string,
): string {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const query = q < 0 ? '' : req.url.slice(q + 1);
  let canonicalHeaders = '';
  for (const name of signedNames) {
    // A signed header the request lacks canonicalises as empty: the signature will not match.
    canonicalHeaders += `${name}:${trimAll(headers.get(name) ?? '')}\n`;
  }
  return `${req.method}\n${canonicalUri(path)}\n${canonicalQuery(query)}\n${canonicalHeaders}\n${signedHeaders}\n${sha256Hex(req.body)}`;
}

// crypto.hash (node >= 20.12) skips the Hash object and is several times faster on small inputs.
const oneShotHash = (crypto as { hash?: (alg: string, data: Buffer, enc: 'hex') => string }).hash;

/** Hex SHA-256 of a buffer, or of a string's latin1 bytes: node decodes header bytes as latin1,
 *  so this re-creates the exact bytes the client hashed (UTF-8 would double-encode them). */
function sha256Hex(data: Buffer | string): string {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  return oneShotHash ? oneShotHash('sha256', bytes, 'hex') : createHash('sha256').update(bytes).digest('hex');
}

// Requests arriving within the same second share their X-Amz-Date: remember the last parse.
let lastIsoValue = '';
let lastIsoMs = 0;

/** Parses YYYYMMDDTHHMMSSZ, rejecting impossible dates such as month 13 or February 30. */
function parseIsoBasic(value: string): number {
  if (value === lastIsoValue) return lastIsoMs;
  const m = ISO_BASIC.exec(value);
  if (m !== null) {
    const [y, mo, d, h, mi, sec] = [+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!];
    const ms = Date.UTC(y, mo - 1, d, h, mi, sec);
    // Date.UTC silently rolls over out-of-range fields; a rolled-over day or month means the input was impossible.
    if (y >= 1970 && mo >= 1 && mo <= 12 && d >= 1 && h < 24 && mi < 60 && sec < 60 && new Date(ms).getUTCDate() === d) {
      lastIsoValue = value;
      lastIsoMs = ms;
      return ms;
    }
  }
  fail('IncompleteSignatureException',
    `Date must be in ISO-8601 'basic format'. Got '${show(value)}'. See http://en.wikipedia.org/wiki/ISO_8601`);
}

function isoBasic(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
}

function invalidToken(): never {
  fail('UnrecognizedClientException', 'The security token included in the request is invalid.');
}

/** Client text safe to echo in a message: printable ASCII only, bounded length. */
function show(s: string): string {
  const clean = s.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 64 ? clean.slice(0, 64) + '…' : clean;
}
