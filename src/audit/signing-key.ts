// The audit signing key: the Ed25519 pair that signs digests of the audit chain (digests.ts). Its
// private half exists only wrapped under the root key, in the main store's meta table, like the
// sealing keys; its public half is stored beside it in the clear (SPKI PEM), so `keyhold audit
// verify` and an outside auditor check digests without the root key.
// Security contract: the private key never leaves this module's DigestSigner and is never logged.
import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import type { KeyBackend, MaterialOwner } from '../backends/key-backend.js';
import type { Store, StoreTx } from '../store/store.js';

/** Meta names in the main store: the wrapped private key (`materialId.wrappedBase64`) and the PEM. */
export const SIGNING_KEY_META = 'audit.signing_key';
export const PUBLIC_KEY_META = 'audit.public_key';
/** The name the private key is wrapped under: one no KMS key ARN can take. */
const OWNER: MaterialOwner = { arn: 'keyhold:audit-signing', keySpec: 'ECC_NIST_EDWARDS25519' };

/** Signs digest bodies; holds the opened private key. */
export interface DigestSigner {
  readonly publicKeyPem: string;
  sign(message: Buffer): Buffer;
}

export class AuditSigningKey {
  readonly #store: Store;
  readonly #backend: KeyBackend;
  #signer: DigestSigner | undefined;

  constructor(store: Store, backend: KeyBackend) {
    this.#store = store;
    this.#backend = backend;
  }

  /** The signer, creating the key pair on first use; cached for the life of the process. Safe when
   *  several processes start at once: the pair is generated outside the write lock (generation is
   *  asynchronous), then stored only if the re-read inside the write transaction finds none, so the
   *  first to commit wins and the others discard theirs and open its key. */
  async signer(): Promise<DigestSigner> {
    if (this.#signer) return this.#signer;
    let stored = await this.#store.read(readPair);
    if (stored === undefined) {
      const generated = await this.#generate();
      stored = await this.#store.transaction(async (tx) => {
        const existing = await readPair(tx);
        if (existing !== undefined) return existing;
        await tx.setMeta(SIGNING_KEY_META, generated.wrapped);
        await tx.setMeta(PUBLIC_KEY_META, generated.publicKeyPem);
        return generated;
      });
    }
    this.#signer = this.#open(stored);
    return this.#signer;
  }

  async #generate(): Promise<StoredPair> {
    const created = await this.#backend.createMaterial(OWNER);
    const wrapped = `${created.materialId}.${created.wrapped.toString('base64')}`;
    return { wrapped, publicKeyPem: publicPem(this.#openPrivate(wrapped)) };
  }

  #open(stored: StoredPair): DigestSigner {
    const privateKey = this.#openPrivate(stored.wrapped);
    // A public key in meta that is not this key's would make every digest fail verification:
    // refuse to sign rather than write digests nobody can check.
    if (publicPem(privateKey) !== stored.publicKeyPem) throw new Error('the stored audit public key does not belong to the audit signing key');
    const publicKeyPem = stored.publicKeyPem;
    return { publicKeyPem, sign: (message) => sign(null, message, privateKey) };
  }

  #openPrivate(wrapped: string): KeyObject {
    const [materialId = '', blob = ''] = wrapped.split('.');
    const opened = this.#backend.openMaterial(OWNER, { keyId: OWNER.arn, materialId, wrapped: Buffer.from(blob, 'base64'), createdAt: new Date(0), rotationType: null });
    if (opened.kind !== 'key-pair') throw new Error('the audit signing key is not a key pair');
    return opened.privateKey;
  }
}

interface StoredPair {
  readonly wrapped: string;
  readonly publicKeyPem: string;
}

async function readPair(tx: StoreTx): Promise<StoredPair | undefined> {
  const wrapped = await tx.getMeta(SIGNING_KEY_META);
  const publicKeyPem = await tx.getMeta(PUBLIC_KEY_META);
  if (wrapped === undefined) return undefined;
  // Both are written in one transaction; never replace a key whose digests may already exist.
  if (publicKeyPem === undefined) throw new Error('the audit public key is missing from the store, though the signing key exists');
  return { wrapped, publicKeyPem };
}

const publicPem = (privateKey: KeyObject): string => createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();

/** The public key as stored (SPKI PEM), without the root key; undefined before the first digest. */
export const storedPublicKey = (store: Store): Promise<string | undefined> => store.read((tx) => tx.getMeta(PUBLIC_KEY_META));
