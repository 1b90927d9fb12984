// Grant tokens: what CreateGrant returns and GrantTokens / RetireGrant accept. A token is the grant
// id sealed with AES-256-GCM under a token key that exists only wrapped under the root key (in the
// store's meta table, created by the first CreateGrant). Why sealed rather than stored hashed: a
// token opens without a store lookup, no table grows with every CreateGrant (AWS returns a new token
// on every retry), and a token keyhold did not issue cannot be forged, since that needs the token key.
// A token grants nothing by itself: grants are in force on the next request, so a token only has to
// be recognised; one whose grant was since retired or revoked opens, but its grant is gone.
import type { KeyBackend } from '../../backends/key-backend.js';
import type { Random } from '../../core/clock.js';
import { fail } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { SealingKey } from '../sealing-key.js';

const META_NAME = 'grant_tokens.key';
/** The token key is wrapped like key material, under a name no KMS key ARN can take. */
const TOKEN_KEY_NAME = 'keyhold:grant-tokens';
const VERSION = 1;
const IV_BYTES = 12;
const GRANT_ID_BYTES = 32;
const TAG_BYTES = 16;
const TOKEN_BYTES = 1 + IV_BYTES + GRANT_ID_BYTES + TAG_BYTES;
const AAD = Buffer.from(`keyhold grant token v${VERSION}`, 'utf8');
const GRANT_ID = /^[0-9a-f]{64}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const INVALID = 'The grant token is not valid: pass a GrantToken that CreateGrant returned.';

export class GrantTokens {
  readonly #key: SealingKey;
  readonly #random: Random;

  constructor(store: Store, backend: KeyBackend, random: Random) {
    this.#key = new SealingKey(store, backend, META_NAME, TOKEN_KEY_NAME);
    this.#random = random;
  }

  /** A new token for `grantId` (64 hex characters); every call returns a different one. */
  async issue(grantId: string): Promise<string> {
    if (!GRANT_ID.test(grantId)) throw new RangeError('a grant id is 64 lower-case hex characters');
    const key = await this.#key.get(true);
    if (!key) throw new Error('the grant token key could not be created');
    // A random 96-bit IV per token: far within NIST's 2^32 invocations per key for any grant count.
    const iv = this.#random.bytes(IV_BYTES);
    const { ciphertext, tag } = key.seal(iv, Buffer.from(grantId, 'hex'), AAD);
    return Buffer.concat([Buffer.from([VERSION]), iv, ciphertext, tag]).toString('base64url');
  }

  /** The grant id a token names. Security contract: only a token sealed by this store's token key
   *  opens; anything else is InvalidGrantTokenException, whatever its form. */
  async grantIdOf(token: string): Promise<string> {
    const bytes = decode(token);
    const key = bytes && (await this.#key.get(false));
    if (!bytes || !key) fail('InvalidGrantTokenException', INVALID);
    const iv = bytes.subarray(1, 1 + IV_BYTES);
    const sealed = bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + GRANT_ID_BYTES);
    const tag = bytes.subarray(TOKEN_BYTES - TAG_BYTES);
    const grantId = key.open(iv, sealed, tag, AAD);
    if (grantId?.length !== GRANT_ID_BYTES) fail('InvalidGrantTokenException', INVALID);
    return grantId.toString('hex');
  }

  /** The GrantTokens parameter: every token must be one keyhold issued (AWS: InvalidGrantTokenException). */
  async requireIssued(tokens: readonly string[] | undefined): Promise<void> {
    for (const token of tokens ?? []) await this.grantIdOf(token);
  }
}

/** The token's bytes when it has the exact form of a token (canonical base64url of the right
 *  length and version); undefined otherwise. */
function decode(token: string): Buffer | undefined {
  if (!BASE64URL.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== TOKEN_BYTES || bytes[0] !== VERSION || bytes.toString('base64url') !== token) return undefined;
  return bytes;
}
