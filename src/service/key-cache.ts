// Per-process cache of key records and opened key material, so the hot path never reads the
// store. It empties when the store's generation moves on (see freshness.ts): a disabled or
// deleted key is refused on the very next request, on every process.
import type { KeyBackend, OpenedMaterial, SymmetricMaterial } from '../backends/key-backend.js';
import type { KeyFacts } from '../auth/request-context.js';
import type { KeyMaterialRecord, KeyRecord, Tag } from '../core/keys.js';
import { parsePolicy } from '../policy/document.js';
import type { GrantConstraints, GrantOperation, GrantRule } from '../policy/grants.js';
import type { PolicyDocument } from '../policy/types.js';
import type { GrantRecord } from '../store/identity-records.js';
import type { Page, Store, StoreTx } from '../store/store.js';
import { GenerationCache, type StoreFreshness } from '../store/freshness.js';

/** What is cached with a key besides its record and material: what authorising a request on it reads. */
export interface KeyAttachments {
  readonly grants: readonly GrantRecord[];
  readonly aliases: readonly string[];
  readonly tags: readonly Tag[];
}

export class CachedKey implements KeyFacts {
  readonly record: KeyRecord;
  readonly #materials: ReadonlyMap<string, KeyMaterialRecord>;
  readonly #opened = new Map<string, OpenedMaterial>();
  readonly #backend: KeyBackend;
  readonly #attachments: KeyAttachments;
  #policy: PolicyDocument | undefined;
  #grants: readonly GrantRule[] | undefined;

  constructor(record: KeyRecord, materials: readonly KeyMaterialRecord[], backend: KeyBackend, attachments: KeyAttachments) {
    this.record = record;
    this.#materials = new Map(materials.map((m) => [m.materialId, m]));
    this.#backend = backend;
    this.#attachments = attachments;
  }

  aliases(): readonly string[] {
    return this.#attachments.aliases;
  }

  tags(): readonly Tag[] {
    return this.#attachments.tags;
  }

  /** The key's grants as rules, parsed once per cached key. */
  grants(): readonly GrantRule[] {
    return (this.#grants ??= this.#attachments.grants.map(grantRule));
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

  /** The material that new ciphertexts, signatures and MACs use. */
  current(): OpenedMaterial | undefined {
    return this.record.currentMaterialId === null ? undefined : this.material(this.record.currentMaterialId);
  }

  /** The current material of a symmetric key; undefined for any other kind of key. */
  currentSymmetric(): SymmetricMaterial | undefined {
    const material = this.current();
    return material?.kind === 'symmetric' ? material : undefined;
  }

  /** A material of a symmetric key; undefined when absent or when the key is not symmetric. */
  symmetric(materialId: string): SymmetricMaterial | undefined {
    const material = this.material(materialId);
    return material?.kind === 'symmetric' ? material : undefined;
  }

  /** Any material the key still has, opened (parsed) on first use and kept: parsing a PKCS#8 key
   *  costs more than using it. Undefined when it was never, or is no longer, there. */
  material(materialId: string): OpenedMaterial | undefined {
    let opened = this.#opened.get(materialId);
    if (opened) return opened;
    const stored = this.#materials.get(materialId);
    // Imported material that was deleted or expired is kept only as a name until re-imported.
    if (!stored || (stored.imported !== undefined && stored.imported.state !== 'IMPORTED')) return undefined;
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
      return record && new CachedKey(record, await tx.listMaterials(keyId), this.#backend, await loadAttachments(tx, record));
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

async function loadAttachments(tx: StoreTx, record: KeyRecord): Promise<KeyAttachments> {
  const [grants, aliases, tags] = await Promise.all([
    all((after) => tx.listGrants(record.id, after, 1000)),
    all((after) => tx.listAliases(record.accountId, record.region, record.id, after, 1000)),
    all((after) => tx.listTags(record.id, after, 1000)),
  ]);
  return { grants, aliases: aliases.map((a) => a.name), tags };
}

async function all<T>(page: (after: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let after: string | undefined;
  do {
    const next = await page(after);
    items.push(...next.items);
    after = next.next;
  } while (after !== undefined);
  return items;
}

/** A stored grant as the policy engine reads it. Constraints are stored as GrantConstraints JSON;
 *  one that no longer parses makes the grant allow nothing (fail closed). */
function grantRule(grant: GrantRecord): GrantRule {
  let constraints: GrantConstraints | undefined;
  let operations = grant.operations as readonly GrantOperation[];
  if (grant.constraints !== null) {
    try {
      constraints = JSON.parse(grant.constraints) as GrantConstraints;
    } catch {
      operations = [];
    }
  }
  return { granteePrincipal: grant.granteePrincipal, operations, constraints };
}
