// The root key: wraps every secret keyhold stores (key material, access-key secrets).
// Sources: a key file in the data dir (default, created 0600) or a passphrase (scrypt).
import { createSecretKey, scrypt, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { GCM_IV_BYTES, GCM_TAG_BYTES, openGcm, sealGcm } from '../../crypto/aes-gcm.js';
import type { Random } from '../../core/clock.js';

const ROOT_KEY_BYTES = 32;
const WRAP_VERSION = 1;
// scrypt at N=2^17, r=8 costs 128 MiB and about half a second: paid once per start.
const SCRYPT = { N: 1 << 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 } as const;

export class RootKey {
  readonly #key: KeyObject;
  readonly #random: Random;

  constructor(key: KeyObject, random: Random) {
    this.#key = key;
    this.#random = random;
  }

  /** Reads the key file; creates it (0600, exclusive) only when `create` is true. */
  static fromFile(path: string, random: Random, create: boolean): RootKey {
    if (!existsSync(path)) {
      if (!create) throw new RootKeyError(`root key file ${path} is missing, but the store was initialised with a root key: restore the file (or set KEYHOLD_ROOT_PASSPHRASE if the store uses one)`);
      writeFileSync(path, random.bytes(ROOT_KEY_BYTES).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    }
    chmodSync(path, 0o600);
    const bytes = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (bytes.length !== ROOT_KEY_BYTES) throw new RootKeyError(`root key file ${path} does not hold a 32-byte base64 key`);
    return new RootKey(createSecretKey(bytes), random);
  }

  /** Derives the root key from a passphrase with scrypt (memory-hard) and a per-store salt. */
  static async fromPassphrase(passphrase: string, salt: Buffer, random: Random): Promise<RootKey> {
    const bytes = await new Promise<Buffer>((resolve, reject) =>
      scrypt(passphrase.normalize('NFC'), salt, ROOT_KEY_BYTES, SCRYPT, (err, key) => (err ? reject(err) : resolve(key))),
    );
    return new RootKey(createSecretKey(bytes), random);
  }

  /** Encrypts `secret` under the root key, bound to `context` (e.g. key ARN and material id). */
  wrap(secret: Buffer, context: string): Buffer {
    const iv = this.#random.bytes(GCM_IV_BYTES);
    const header = Buffer.from([WRAP_VERSION]);
    const { ciphertext, tag } = sealGcm(this.#key, iv, secret, aad(header, context));
    return Buffer.concat([header, iv, ciphertext, tag]);
  }

  /** Decrypts a wrapped secret; null when it was not wrapped by this root key for `context`. */
  unwrap(wrapped: Buffer, context: string): Buffer | null {
    if (wrapped.length < 1 + GCM_IV_BYTES + GCM_TAG_BYTES || wrapped[0] !== WRAP_VERSION) return null;
    const header = wrapped.subarray(0, 1);
    const iv = wrapped.subarray(1, 1 + GCM_IV_BYTES);
    const ciphertext = wrapped.subarray(1 + GCM_IV_BYTES, wrapped.length - GCM_TAG_BYTES);
    const tag = wrapped.subarray(wrapped.length - GCM_TAG_BYTES);
    return openGcm(this.#key, iv, ciphertext, tag, aad(header, context));
  }
}

const aad = (header: Buffer, context: string): Buffer => Buffer.concat([header, Buffer.from(`keyhold-wrap:${context}`, 'utf8')]);

/** Start-up refusal: the message is safe to print and names what to fix. */
export class RootKeyError extends Error {
  override readonly name = 'RootKeyError';
}
