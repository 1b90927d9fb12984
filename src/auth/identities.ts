// Access keys → secrets and principals, cached per process and dropped whenever the store changes,
// so an inactive or deleted access key is refused on the next request.
import type { RootKey } from '../backends/software/root-key.js';
import { SecretBytes } from '../core/secret.js';
import type { Store } from '../store/store.js';
import type { Principal } from './principal.js';

export interface Identity {
  readonly secret: SecretBytes;
  readonly principal: Principal;
}

const MAX_ENTRIES = 10_000;

export const accessKeyWrapContext = (accessKeyId: string): string => `access-key:${accessKeyId}`;

export class Identities {
  readonly #store: Store;
  readonly #root: RootKey;
  readonly #cache = new Map<string, Identity | null>();
  #token = '';

  constructor(store: Store, root: RootKey) {
    this.#store = store;
    this.#root = root;
  }

  /** The identity behind an active access key, or undefined. */
  async lookup(accessKeyId: string): Promise<Identity | undefined> {
    const token = this.#store.changeToken();
    if (token !== this.#token) {
      this.#cache.clear();
      this.#token = token;
    }
    const hit = this.#cache.get(accessKeyId);
    if (hit !== undefined) return hit ?? undefined;
    const record = await this.#store.read((tx) => tx.getAccessKey(accessKeyId));
    let identity: Identity | null = null;
    if (record?.status === 'Active') {
      const secret = this.#root.unwrap(record.wrappedSecret, accessKeyWrapContext(record.id));
      if (secret) {
        identity = {
          secret: SecretBytes.adopt(secret),
          principal: { accountId: record.accountId, arn: record.principalArn, accessKeyId: record.id, type: 'Root', isAdmin: record.isAdmin },
        };
      }
    }
    if (this.#cache.size >= MAX_ENTRIES) this.#cache.clear();
    if (token === this.#store.changeToken()) this.#cache.set(accessKeyId, identity);
    return identity ?? undefined;
  }
}
