// Access keys → secrets and principals, cached per process and dropped whenever the store's
// generation moves on, so a deleted or inactive key, a disabled account, a changed inline policy
// or a deleted role takes effect on the next request. Three kinds of access key: an account
// root's, an IAM user's, and an STS session's (whose token is checked on every request).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RootKey } from '../backends/software/root-key.js';
import { fail } from '../core/errors.js';
import { SecretBytes } from '../core/secret.js';
import { parsePolicy } from '../policy/document.js';
import type { PolicyDocument } from '../policy/types.js';
import { GenerationCache, type StoreFreshness } from '../store/freshness.js';
import type { PolicyOwner, SessionRecord } from '../store/identity-records.js';
import type { Store, StoreTx } from '../store/store.js';
import type { Principal } from './principal.js';

export interface Identity {
  readonly secret: SecretBytes;
  readonly principal: Principal;
  /** For temporary credentials: what the request's X-Amz-Security-Token must hash to, and when they expire. */
  readonly session?: { readonly tokenHash: Buffer; readonly expiresAt: Date } | undefined;
}

export const accessKeyWrapContext = (accessKeyId: string): string => `access-key:${accessKeyId}`;
export const sessionWrapContext = (accessKeyId: string): string => `session:${accessKeyId}`;
export const hashSessionToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

const INVALID_TOKEN = 'The security token included in the request is invalid.';

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

  /** The identity behind an access key that may sign requests now, or undefined. */
  async lookup(accessKeyId: string): Promise<Identity | undefined> {
    const hit = this.#cache.get(accessKeyId);
    if (hit !== undefined) return hit ?? undefined;
    const generation = this.#freshness.generation;
    const identity = await this.#store.read((tx) => this.#load(tx, accessKeyId));
    this.#cache.set(accessKeyId, identity, generation);
    return identity ?? undefined;
  }

  /** The principal for a request whose signature verified with `accessKeyId`'s secret. Temporary
   *  credentials need their session token and must not have expired; long-term ones take none. */
  async authenticate(accessKeyId: string, sessionToken: string | undefined, now: Date): Promise<Principal> {
    const identity = await this.lookup(accessKeyId);
    if (!identity) fail('UnrecognizedClientException', INVALID_TOKEN);
    const { session } = identity;
    if (session === undefined) {
      if (sessionToken !== undefined) fail('UnrecognizedClientException', INVALID_TOKEN);
      return identity.principal;
    }
    if (sessionToken === undefined) fail('UnrecognizedClientException', INVALID_TOKEN);
    const presented = Buffer.from(hashSessionToken(sessionToken), 'hex');
    if (presented.length !== session.tokenHash.length || !timingSafeEqual(presented, session.tokenHash)) fail('UnrecognizedClientException', INVALID_TOKEN);
    if (now.getTime() >= session.expiresAt.getTime()) fail('ExpiredTokenException', 'The security token included in the request is expired');
    return identity.principal;
  }

  async #load(tx: StoreTx, accessKeyId: string): Promise<Identity | null> {
    if (accessKeyId.startsWith('ASIA')) {
      const session = await tx.getSession(accessKeyId);
      return session ? this.#sessionIdentity(tx, session) : null;
    }
    const record = await tx.getAccessKey(accessKeyId);
    if (record?.status !== 'Active' || !(await accountActive(tx, record.accountId))) return null;
    const secret = this.#root.unwrap(record.wrappedSecret, accessKeyWrapContext(record.id));
    if (!secret) return null;
    const base = { accountId: record.accountId, accessKeyId: record.id, isAdmin: record.isAdmin };
    if (record.userName === null) {
      return { secret: SecretBytes.adopt(secret), principal: { ...base, arn: record.principalArn, type: 'Root', userId: record.accountId, identityPolicies: [] } };
    }
    const user = await tx.getUser(record.accountId, record.userName);
    if (!user) return null;
    const identityPolicies = await inlinePolicies(tx, { kind: 'user', accountId: user.accountId, name: user.name });
    return { secret: SecretBytes.adopt(secret), principal: { ...base, arn: user.arn, type: 'IAMUser', userId: user.userId, identityPolicies } };
  }

  async #sessionIdentity(tx: StoreTx, session: SessionRecord): Promise<Identity | null> {
    const roleName = session.roleArn.slice(session.roleArn.lastIndexOf('/') + 1);
    const role = await tx.getRole(session.accountId, roleName);
    // A deleted role ends its sessions, and a role created again under the same name after the
    // session was issued is another role (AWS tells them apart by role id).
    if (!role || role.arn !== session.roleArn || role.createdAt > session.issuedAt || !(await accountActive(tx, session.accountId))) return null;
    const secret = this.#root.unwrap(session.wrappedSecret, sessionWrapContext(session.accessKeyId));
    if (!secret) return null;
    const principal: Principal = {
      accountId: session.accountId,
      arn: session.sessionArn,
      accessKeyId: session.accessKeyId,
      type: 'AssumedRole',
      userId: `${role.roleId}:${session.sessionName}`,
      roleArn: role.arn,
      identityPolicies: await inlinePolicies(tx, { kind: 'role', accountId: role.accountId, name: role.name }),
      sessionPolicy: session.sessionPolicy === null ? undefined : parseOrDenyAll(session.sessionPolicy, 'session'),
      tokenIssuedAt: session.issuedAt,
      isAdmin: false,
    };
    return { secret: SecretBytes.adopt(secret), principal, session: { tokenHash: Buffer.from(session.tokenHash, 'hex'), expiresAt: session.expiresAt } };
  }
}

async function accountActive(tx: StoreTx, accountId: string): Promise<boolean> {
  return (await tx.getAccount(accountId))?.status === 'Active';
}

async function inlinePolicies(tx: StoreTx, owner: PolicyOwner): Promise<PolicyDocument[]> {
  return (await tx.listInlinePolicies(owner)).map((p) => parseOrDenyAll(p.document, 'identity'));
}

/** Stored policies were validated when they were put; one that no longer parses denies
 *  everything rather than silently dropping its Deny statements (fail closed). */
function parseOrDenyAll(text: string, kind: 'identity' | 'session'): PolicyDocument {
  try {
    return parsePolicy(text, kind);
  } catch {
    return { version: '2012-10-17', id: undefined, statements: [DENY_ALL] };
  }
}

const DENY_ALL = { sid: undefined, effect: 'Deny', principal: undefined, notPrincipal: undefined, action: ['*'], notAction: undefined, resource: ['*'], notResource: undefined, conditions: [] } as const;
