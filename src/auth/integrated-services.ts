// The integrated services a request may come through, and the proof that it did. The registry is
// cached per store generation like identities: a service registered on one worker is known on
// every worker's next request.
import { GenerationCache, type StoreFreshness } from '../store/freshness.js';
import type { ServiceRecord, Store } from '../store/store.js';
import { SERVICE_NAME, serviceTokenMatches } from './service-tokens.js';

export class IntegratedServices {
  readonly #store: Store;
  readonly #freshness: StoreFreshness;
  readonly #cache: GenerationCache<ServiceRecord | null>;

  constructor(store: Store, freshness: StoreFreshness) {
    this.#store = store;
    this.#freshness = freshness;
    this.#cache = new GenerationCache(freshness, 1000);
  }

  /** Whether `token` proves a request came through the registered service `name`. False for a
   *  name that is not registered (or not a valid name) and for a wrong token alike. Service names
   *  are not secret (ListAliases shows each account its reserved aliases); tokens are. */
  async verify(name: string, token: string): Promise<boolean> {
    if (!SERVICE_NAME.test(name)) return false;
    const service = await this.#lookup(name);
    return service !== undefined && serviceTokenMatches(token, service.tokenHash);
  }

  async #lookup(name: string): Promise<ServiceRecord | undefined> {
    const hit = this.#cache.get(name);
    if (hit !== undefined) return hit ?? undefined;
    const generation = this.#freshness.generation;
    const found = await this.#store.read((tx) => tx.getService(name));
    this.#cache.set(name, found ?? null, generation);
    return found;
  }
}

/** kms:ViaService for a request that came through `service`: AWS's form, `<service>.<region>.amazonaws.com`. */
export const viaServiceValue = (service: string, region: string): string => `${service}.${region}.amazonaws.com`;
