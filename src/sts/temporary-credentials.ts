// New temporary credentials for a session: AWS-shaped, random, and stored so that nothing in the
// store can sign a request — the secret only wrapped under the root key, the token only hashed.
import { hashSessionToken, sessionWrapContext } from '../auth/identities.js';
import type { RootKey } from '../backends/software/root-key.js';
import type { Random } from '../core/clock.js';

export interface TemporaryCredentials {
  /** ASIA + 16 characters, as AWS's temporary access key ids. */
  readonly accessKeyId: string;
  /** 40 characters of base64, as AWS's secret access keys. */
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

export interface StoredSecrets {
  readonly wrappedSecret: Buffer;
  readonly tokenHash: string;
}

const ACCESS_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** 264 random bytes: a 352-character token. A hash of it is all the store keeps, so it must be
 *  unguessable on its own; it is long because clients expect AWS-sized tokens, not for strength. */
const TOKEN_RANDOM_BYTES = 264;

/** Fresh credentials. `minimumTokenBytes` (MinimumSessionTokenSize) lengthens the token. */
export function newTemporaryCredentials(random: Random, minimumTokenBytes = 0): TemporaryCredentials {
  // 32 letters: each byte's low five bits pick one uniformly.
  const idBytes = random.bytes(16);
  const accessKeyId = 'ASIA' + Array.from(idBytes, (b) => ACCESS_KEY_ALPHABET[b & 31]).join('');
  return {
    accessKeyId,
    secretAccessKey: base64Once(random.bytes(30)),
    // Base64 makes 4 characters of every 3 bytes; round up to whole groups, so no padding.
    sessionToken: base64Once(random.bytes(Math.max(TOKEN_RANDOM_BYTES, Math.ceil(minimumTokenBytes / 4) * 3))),
  };
}

/** What the store keeps of `credentials`: the secret wrapped for this access key alone, the token's SHA-256. */
export function storedSecrets(root: RootKey, credentials: TemporaryCredentials): StoredSecrets {
  const secret = Buffer.from(credentials.secretAccessKey, 'utf8');
  try {
    return { wrappedSecret: root.wrap(secret, sessionWrapContext(credentials.accessKeyId)), tokenHash: hashSessionToken(credentials.sessionToken) };
  } finally {
    secret.fill(0);
  }
}

/** Base64 of `bytes`, which are then zeroed: the string is the only copy left. */
function base64Once(bytes: Buffer): string {
  const text = bytes.toString('base64');
  bytes.fill(0);
  return text;
}
