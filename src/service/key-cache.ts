// Per-process cache of key records and opened key material, so the hot path never reads the
// store. Any committed write anywhere (another request, process or node) changes the store's
// change token, and the whole cache is dropped before its next use: a disabled or deleted key
// is refused on the very next request.
import type { KeyRecord } from '../core/keys.js';
import type { KeyBackend, SymmetricMaterial } from '../backends/key-backend.js';
import type { KeyMaterialRecord } from '../core/keys.js';
import type { Store } from '../store/store.js';

const MAX_ENTRIES = 10_000;

export class CachedKey {
  readonly record: KeyRecord;
  readonly #materials: ReadonlyMap<string, KeyMaterialRecord>;
  readonly #opened = new Map<string, SymmetricMaterial>();
  readonly #backend: KeyBackend;

  constructor(record: KeyRecord, materials: readonly KeyMaterialRecord[], backend: KeyBackend) {
    this.record = record;
    this.#materials = new Map(materials.map((m) => [m.materialId, m]));
    this.#backend = backend;
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
  readonly #keys = new Map<string, CachedKey | null>();
  readonly #aliases = new Map<string, string | null>();
  #token = '';

  constructor(store: Store, backend: KeyBackend) {
    this.#store = store;
    this.#backend = backend;
  }

  #fresh(): void {
    const token = this.#store.changeToken();
    if (token !== this.#token) {
      this.#keys.clear();
      this.#aliases.clear();
      this.#token = token;
    }
  }

  async key(keyId: string): Promise<CachedKey | undefined> {
    this.#fresh();
    const hit = this.#keys.get(keyId);
    if (hit !== undefined) return hit ?? undefined;
    const token = this.#token;
    const loaded = await this.#store.read(async (tx) => {
      const record = await tx.getKey(keyId);
      return record && new CachedKey(record, await tx.listMaterials(keyId), this.#backend);
    });
    if (token === this.#store.changeToken()) remember(this.#keys, keyId, loaded ?? null);
    return loaded;
  }

  /** The key id an alias points at, or undefined. */
  async alias(accountId: string, region: string, name: string): Promise<string | undefined> {
    this.#fresh();
    const cacheKey = `${accountId}\u0000${region}\u0000${name}`;
    const hit = this.#aliases.get(cacheKey);
    if (hit !== undefined) return hit ?? undefined;
    const token = this.#token;
    const target = await this.#store.read(async (tx) => (await tx.getAlias(accountId, region, name))?.targetKeyId);
    if (token === this.#store.changeToken()) remember(this.#aliases, cacheKey, target ?? null);
    return target;
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_ENTRIES) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}
