// Per-process cache of key records and opened key material, so the hot path never reads the
// store. It empties when the store's generation moves on (see freshness.ts): a disabled or
// deleted key is refused on the very next request, on every process.
import type { KeyBackend, SymmetricMaterial } from '../backends/key-backend.js';
import type { KeyMaterialRecord, KeyRecord } from '../core/keys.js';
import { parsePolicy } from '../policy/document.js';
import type { PolicyDocument } from '../policy/types.js';
import type { Store } from '../store/store.js';
import { GenerationCache, type StoreFreshness } from '../store/freshness.js';

export class CachedKey {
  readonly record: KeyRecord;
  readonly #materials: ReadonlyMap<string, KeyMaterialRecord>;
  readonly #opened = new Map<string, SymmetricMaterial>();
  readonly #backend: KeyBackend;
  #policy: PolicyDocument | undefined;

  constructor(record: KeyRecord, materials: readonly KeyMaterialRecord[], backend: KeyBackend) {
    this.record = record;
    this.#materials = new Map(materials.map((m) => [m.materialId, m]));
    this.#backend = backend;
  }

  /** The key policy, parsed once per cached key. A stored policy that no longer parses grants
   *  nothing (fail closed): every policy is validated when it is set. */
  policy(): PolicyDocument {
    if (this.#policy === undefined) {
      try {
        this.#policy = parsePolicy(this.record.policy, 'key');
      } catch {
        this.#policy = { version: '2012-10-17', id: undefined, statements: [] };
      }
    }
    return this.#policy;
  }

  /** The material that new ciphertexts use. */
  current(): SymmetricMaterial | undefined {
    return this.record.currentMaterialId === null ? undefined : this.material(this.record.currentMaterialId);
  }

  /** Any material the key still has, opened on first use; undefined when it was never, or is no longer, there. */
  material(materialId: string): SymmetricMaterial | undefined {
    let opened = this.#opened.get(materialId);
    if (opened) return opened;
    const stored = this.#materials.get(materialId);
    if (!stored) return undefined;
    opened = this.#backend.openMaterial(this.record, stored);
    this.#opened.set(materialId, opened);
    return opened;
  }
}

export class KeyCache {
  readonly #store: Store;
  readonly #backend: KeyBackend;
  readonly #freshness: StoreFreshness;
  readonly #keys: GenerationCache<CachedKey | null>;
  readonly #aliases: GenerationCache<string | null>;

  constructor(store: Store, backend: KeyBackend, freshness: StoreFreshness) {
    this.#store = store;
    this.#backend = backend;
    this.#freshness = freshness;
    this.#keys = new GenerationCache(freshness);
    this.#aliases = new GenerationCache(freshness);
  }

  async key(keyId: string): Promise<CachedKey | undefined> {
    const hit = this.#keys.get(keyId);
    if (hit !== undefined) return hit ?? undefined;
    const generation = this.#freshness.generation;
    const loaded = await this.#store.read(async (tx) => {
      const record = await tx.getKey(keyId);
      return record && new CachedKey(record, await tx.listMaterials(keyId), this.#backend);
    });
    this.#keys.set(keyId, loaded ?? null, generation);
    return loaded;
  }

  /** The key id an alias points at, or undefined. */
  async alias(accountId: string, region: string, name: string): Promise<string | undefined> {
    const cacheKey = `${accountId}\u0000${region}\u0000${name}`;
    const hit = this.#aliases.get(cacheKey);
    if (hit !== undefined) return hit ?? undefined;
    const generation = this.#freshness.generation;
    const target = await this.#store.read(async (tx) => (await tx.getAlias(accountId, region, name))?.targetKeyId);
    this.#aliases.set(cacheKey, target ?? null, generation);
    return target;
  }
}
