// Access keys → secrets and principals, cached per process and dropped whenever the store's
// generation moves on, so an inactive or deleted access key is refused on the next request.
import type { RootKey } from '../backends/software/root-key.js';
import { SecretBytes } from '../core/secret.js';
import { GenerationCache, type StoreFreshness } from '../store/freshness.js';
import type { Store } from '../store/store.js';
import type { Principal } from './principal.js';

export interface Identity {
  readonly secret: SecretBytes;
  readonly principal: Principal;
}

export const accessKeyWrapContext = (accessKeyId: string): string => `access-key:${accessKeyId}`;

export class Identities {
  readonly #store: Store;
  readonly #root: RootKey;
  readonly #freshness: StoreFreshness;
  readonly #cache: GenerationCache<Identity | null>;

  constructor(store: Store, root: RootKey, freshness: StoreFreshness) {
    this.#store = store;
    this.#root = root;
    this.#freshness = freshness;
    this.#cache = new GenerationCache(freshness);
  }

  /** The identity behind an active access key, or undefined. */
  async lookup(accessKeyId: string): Promise<Identity | undefined> {
    const hit = this.#cache.get(accessKeyId);
    if (hit !== undefined) return hit ?? undefined;
    const generation = this.#freshness.generation;
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
    this.#cache.set(accessKeyId, identity, generation);
    return identity ?? undefined;
  }
}
