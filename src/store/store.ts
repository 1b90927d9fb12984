// The persistence interface: every read and write goes through a transaction on a StoreTx.
// Implementations: sqlite/ (embedded default). One conformance suite runs against each.
import type { AliasRecord, KeyMaterialRecord, KeyRecord, KeyState, Tag } from '../core/keys.js';

export interface AccountRecord {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
}

/** An access key; the secret is stored only wrapped under the root key. */
export interface AccessKeyRecord {
  readonly id: string;
  readonly accountId: string;
  readonly principalArn: string;
  readonly wrappedSecret: Buffer;
  readonly status: 'Active' | 'Inactive';
  readonly isAdmin: boolean;
  readonly createdAt: Date;
}

export type KeyPatch = Partial<Pick<KeyRecord, 'description' | 'state' | 'deletionDate' | 'pendingWindowDays' | 'policy'>>;

export interface Page<T> {
  readonly items: readonly T[];
  /** The sort key of the last item, when more items follow. */
  readonly next: string | undefined;
}

export interface StoreTx {
  getMeta(name: string): Promise<string | undefined>;
  setMeta(name: string, value: string): Promise<void>;

  insertAccount(account: AccountRecord): Promise<void>;
  getAccount(id: string): Promise<AccountRecord | undefined>;

  insertAccessKey(key: AccessKeyRecord): Promise<void>;
  getAccessKey(id: string): Promise<AccessKeyRecord | undefined>;
  replaceAccessKeySecret(id: string, wrappedSecret: Buffer): Promise<void>;
  setAccessKeyStatus(id: string, status: AccessKeyRecord['status']): Promise<void>;

  insertKey(key: KeyRecord): Promise<void>;
  getKey(id: string): Promise<KeyRecord | undefined>;
  updateKey(id: string, patch: KeyPatch): Promise<void>;
  deleteKey(id: string): Promise<void>;
  listKeys(accountId: string, region: string, after: string | undefined, limit: number): Promise<Page<KeyRecord>>;
  countKeysByState(): Promise<ReadonlyMap<KeyState, number>>;
  keysDueForDeletion(now: Date): Promise<readonly KeyRecord[]>;

  insertMaterial(material: KeyMaterialRecord): Promise<void>;
  listMaterials(keyId: string): Promise<readonly KeyMaterialRecord[]>;

  insertAlias(alias: AliasRecord): Promise<void>;
  getAlias(accountId: string, region: string, name: string): Promise<AliasRecord | undefined>;
  retargetAlias(accountId: string, region: string, name: string, targetKeyId: string, at: Date): Promise<void>;
  deleteAlias(accountId: string, region: string, name: string): Promise<void>;
  listAliases(accountId: string, region: string, keyId: string | undefined, after: string | undefined, limit: number): Promise<Page<AliasRecord>>;

  putTags(keyId: string, tags: readonly Tag[]): Promise<void>;
  removeTags(keyId: string, tagKeys: readonly string[]): Promise<void>;
  countTags(keyId: string): Promise<number>;
  listTags(keyId: string, after: string | undefined, limit: number): Promise<Page<Tag>>;
}

export interface Store {
  /** Runs `fn` in one transaction: its writes commit together or not at all. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Runs `fn`, which only reads, on one consistent snapshot without taking the write lock. */
  read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Changes whenever any process or node commits a write; caches compare it before use. */
  changeToken(): string;
  /** Makes deleted rows unrecoverable from the store's files (destroyed key material). */
  scrub(): Promise<void>;
  close(): Promise<void>;
}
