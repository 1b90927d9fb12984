// The persistence interface: every read and write goes through a transaction on a StoreTx.
// Implementations: sqlite/ (embedded default), postgres/ (scale-out). One conformance suite runs against each.
import type { AliasRecord, KeyMaterialRecord, KeyRecord, KeyState, Tag } from '../core/keys.js';
import type { GrantRecord, InlinePolicyRecord, PolicyOwner, RoleRecord, SessionRecord, UserRecord } from './identity-records.js';

export interface AccountRecord {
  readonly id: string;
  readonly name: string;
  readonly status: 'Active' | 'Disabled';
  readonly createdAt: Date;
}

/** An access key; the secret is stored only wrapped under the root key. */
export interface AccessKeyRecord {
  readonly id: string;
  readonly accountId: string;
  readonly principalArn: string;
  /** The IAM user the key belongs to; null for the account's root. */
  readonly userName: string | null;
  readonly wrappedSecret: Buffer;
  readonly status: 'Active' | 'Inactive';
  readonly isAdmin: boolean;
  readonly createdAt: Date;
}

/** An integrated service (e.g. `media`) the administrator registered: requests may come through
 *  it, and each account has its service-managed key under `alias/aws/<name>`. */
export interface ServiceRecord {
  readonly name: string;
  /** SHA-256 (hex) of the service's token; the token itself is never stored. */
  readonly tokenHash: string;
  readonly createdAt: Date;
}

/** The last cryptographic use of a key (GetKeyLastUsage). */
export interface KeyUsageRecord {
  readonly keyId: string;
  readonly operation: string;
  readonly usedAt: Date;
  readonly requestId: string;
}

export type KeyPatch = Partial<Pick<KeyRecord,
  'description' | 'state' | 'deletionDate' | 'pendingWindowDays' | 'policy' |
  'currentMaterialId' | 'rotationPeriodDays' | 'nextRotationDate' | 'onDemandRotations' | 'validTo'>>;

/** A material's new contents, replacing all of it but its identity (keyId, materialId) and its place in order. */
export type MaterialPatch = Omit<KeyMaterialRecord, 'keyId' | 'materialId'>;

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
  listAccounts(after: string | undefined, limit: number): Promise<Page<AccountRecord>>;
  setAccountStatus(id: string, status: AccountRecord['status']): Promise<void>;

  /** Refuses (throws) a name already registered. */
  insertService(service: ServiceRecord): Promise<void>;
  getService(name: string): Promise<ServiceRecord | undefined>;
  /** By name. */
  listServices(after: string | undefined, limit: number): Promise<Page<ServiceRecord>>;

  insertAccessKey(key: AccessKeyRecord): Promise<void>;
  getAccessKey(id: string): Promise<AccessKeyRecord | undefined>;
  replaceAccessKeySecret(id: string, wrappedSecret: Buffer): Promise<void>;
  setAccessKeyStatus(id: string, status: AccessKeyRecord['status']): Promise<void>;
  /** An account's root keys (userName null) or one user's keys, oldest first. */
  listAccessKeys(accountId: string, userName: string | null): Promise<readonly AccessKeyRecord[]>;
  deleteAccessKey(id: string): Promise<void>;

  insertUser(user: UserRecord): Promise<void>;
  /** Names compare without regard to case, as IAM's do. */
  getUser(accountId: string, name: string): Promise<UserRecord | undefined>;
  deleteUser(accountId: string, name: string): Promise<void>;
  listUsers(accountId: string, after: string | undefined, limit: number): Promise<Page<UserRecord>>;

  insertRole(role: RoleRecord): Promise<void>;
  getRole(accountId: string, name: string): Promise<RoleRecord | undefined>;
  deleteRole(accountId: string, name: string): Promise<void>;
  listRoles(accountId: string, after: string | undefined, limit: number): Promise<Page<RoleRecord>>;
  setRoleTrustPolicy(accountId: string, name: string, document: string): Promise<void>;

  /** Creates or replaces the owner's policy of that name. */
  putInlinePolicy(policy: InlinePolicyRecord): Promise<void>;
  getInlinePolicy(owner: PolicyOwner, policyName: string): Promise<InlinePolicyRecord | undefined>;
  deleteInlinePolicy(owner: PolicyOwner, policyName: string): Promise<void>;
  listInlinePolicies(owner: PolicyOwner): Promise<readonly InlinePolicyRecord[]>;

  insertSession(session: SessionRecord): Promise<void>;
  getSession(accessKeyId: string): Promise<SessionRecord | undefined>;
  /** Removes sessions that expired before `now`; returns how many. */
  deleteExpiredSessions(now: Date): Promise<number>;

  /** Takes or renews the lease `name` for `holder` until now + ttlMs: true if it was absent,
   *  expired (at or before `now`), or already `holder`'s; false, changing nothing, while another
   *  holder's lease is unexpired. A holder that dies loses the lease once its ttl has passed. */
  acquireLease(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean>;

  insertGrant(grant: GrantRecord): Promise<void>;
  getGrant(grantId: string): Promise<GrantRecord | undefined>;
  getGrantByName(keyId: string, name: string): Promise<GrantRecord | undefined>;
  deleteGrant(grantId: string): Promise<void>;
  listGrants(keyId: string, after: string | undefined, limit: number): Promise<Page<GrantRecord>>;
  listRetirableGrants(retiringPrincipal: string, after: string | undefined, limit: number): Promise<Page<GrantRecord>>;

  insertKey(key: KeyRecord): Promise<void>;
  getKey(id: string): Promise<KeyRecord | undefined>;
  updateKey(id: string, patch: KeyPatch): Promise<void>;
  deleteKey(id: string): Promise<void>;
  listKeys(accountId: string, region: string, after: string | undefined, limit: number): Promise<Page<KeyRecord>>;
  countKeysByState(): Promise<ReadonlyMap<KeyState, number>>;
  keysDueForDeletion(now: Date): Promise<readonly KeyRecord[]>;
  /** Enabled keys whose automatic rotation is due at `now`, earliest first (AWS does not rotate disabled keys). */
  keysDueForRotation(now: Date): Promise<readonly KeyRecord[]>;

  /** Keeps each use unless the key already has a later one stored (uses arrive late, in batches). */
  recordKeyUsage(uses: readonly KeyUsageRecord[]): Promise<void>;
  getKeyLastUsage(keyId: string): Promise<KeyUsageRecord | undefined>;

  insertMaterial(material: KeyMaterialRecord): Promise<void>;
  /** Oldest first; materials created in the same millisecond in the order they were inserted. */
  listMaterials(keyId: string): Promise<readonly KeyMaterialRecord[]>;
  updateMaterial(keyId: string, materialId: string, patch: MaterialPatch): Promise<void>;
  deleteMaterial(keyId: string, materialId: string): Promise<void>;
  /** Imported material still present whose expiry is at or before `now`, earliest first. */
  materialsDueToExpire(now: Date): Promise<readonly KeyMaterialRecord[]>;

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
  /** Changes whenever any process or node commits a write; caches compare it before use. This
   *  store's own commits move it at once; others' by its next transaction or read at the latest
   *  (SQLite: at once; PostgreSQL: also within its generation poll interval). */
  changeToken(): string;
  /** Makes deleted rows unrecoverable from the store's files (destroyed key material). */
  scrub(): Promise<void>;
  close(): Promise<void>;
}
