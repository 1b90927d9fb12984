// When caches built from the store must be dropped. The edge calls check() once at the start of
// every request; every cache compares its generation with this one before use. A commit by any
// process changes the store's change token, so whatever a request reads from a cache is at least
// as new as the store was when the request arrived.
import type { Store } from './store.js';

export class StoreFreshness {
  readonly #store: Store;
  #token: string;
  #generation = 0;

  constructor(store: Store) {
    this.#store = store;
    this.#token = store.changeToken();
  }

  /** Reads the store's change token; a new one starts a new generation. */
  check(): void {
    const token = this.#store.changeToken();
    if (token !== this.#token) {
      this.#token = token;
      this.#generation++;
    }
  }

  get generation(): number {
    return this.#generation;
  }
}

/** A bounded map that empties itself when the store's generation moves on. */
export class GenerationCache<V> {
  readonly #freshness: StoreFreshness;
  readonly #max: number;
  readonly #entries = new Map<string, V>();
  #generation = -1;

  constructor(freshness: StoreFreshness, max = 10_000) {
    this.#freshness = freshness;
    this.#max = max;
  }

  get(key: string): V | undefined {
    if (this.#generation !== this.#freshness.generation) {
      this.#entries.clear();
      this.#generation = this.#freshness.generation;
    }
    return this.#entries.get(key);
  }

  /** Remembers a value loaded during `generation` (read before the load began); a value loaded
   *  while the store moved on is not kept. */
  set(key: string, value: V, generation: number): void {
    if (generation !== this.#freshness.generation || generation !== this.#generation) return;
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, value);
  }
}
