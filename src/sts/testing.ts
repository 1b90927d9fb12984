// For STS unit tests: a real SQLite store in a temp dir with two accounts and roles inserted
// directly, callers as principals, and AssumeRole run the way the query endpoint runs it.
import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Identities } from '../auth/identities.js';
import { accountRootArn, type Principal } from '../auth/principal.js';
import { RootKey } from '../backends/software/root-key.js';
import { TestClock, systemRandom } from '../core/clock.js';
import { parsePolicy } from '../policy/document.js';
import type { QueryDeps } from '../server/query/action.js';
import { QueryParams } from '../server/query/form.js';
import type { XmlObject } from '../server/query/xml.js';
import { StoreFreshness } from '../store/freshness.js';
import type { RoleRecord } from '../store/identity-records.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { AssumeRole } from './assume-role.js';

export const HOME = '111122223333';
export const OTHER = '444455556666';

export interface Fixture {
  readonly deps: QueryDeps;
  readonly store: SqliteStore;
  readonly clock: TestClock;
  readonly freshness: StoreFreshness;
  close(): Promise<void>;
}

export async function openFixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-sts-'));
  const store = SqliteStore.open(join(dir, 'keyhold.db'));
  const root = new RootKey(createSecretKey(randomBytes(32)), systemRandom);
  const clock = new TestClock(new Date(Date.UTC(2026, 0, 1)));
  const freshness = new StoreFreshness(store);
  const identities = new Identities(store, root, freshness);
  await store.transaction(async (tx) => {
    for (const id of [HOME, OTHER]) await tx.insertAccount({ id, name: id, status: 'Active', createdAt: clock.now() });
  });
  return {
    deps: { store, root, identities, clock, random: systemRandom },
    store,
    clock,
    freshness,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const trust = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
export const trusting = (aws: string | string[], over: object = {}): object => ({ Effect: 'Allow', Principal: { AWS: aws }, Action: 'sts:AssumeRole', ...over });

export async function addRole(fx: Fixture, name: string, trustPolicy: string, over: Partial<RoleRecord> = {}): Promise<RoleRecord> {
  const accountId = over.accountId ?? HOME;
  const role: RoleRecord = {
    accountId, name, roleId: `AROA${name.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'X').slice(0, 17)}`, path: '/',
    arn: `arn:aws:iam::${accountId}:role/${name}`, trustPolicy, description: '', maxSessionDurationSeconds: 3600,
    createdAt: fx.clock.now(), ...over,
  };
  await fx.store.transaction((tx) => tx.insertRole(role));
  return role;
}

export const rootOf = (accountId: string): Principal => ({
  accountId, arn: accountRootArn(accountId), accessKeyId: 'AKIAROOTROOTROOTROOT', type: 'Root', userId: accountId, identityPolicies: [], isAdmin: false,
});

/** An IAM user with the given identity policies (JSON texts). */
export const userOf = (accountId: string, name: string, ...policies: string[]): Principal => ({
  accountId, arn: `arn:aws:iam::${accountId}:user/${name}`, accessKeyId: 'AKIAUSERUSERUSERUSER', type: 'IAMUser', userId: `AIDA${name.toUpperCase()}`,
  identityPolicies: policies.map((p) => parsePolicy(p, 'identity')), isAdmin: false,
});

/** Runs AssumeRole as `principal` with these request parameters. */
export async function assumeRole(fx: Fixture, principal: Principal, params: Record<string, string>): Promise<XmlObject> {
  const result = await AssumeRole.run({
    params: QueryParams.parse(new URLSearchParams({ Action: 'AssumeRole', Version: '2011-06-15', ...params }).toString()),
    principal,
    origin: { sourceIp: '127.0.0.1', secureTransport: false },
    requestId: 'test-request',
    deps: fx.deps,
    authorize: () => undefined,
  });
  if (result === undefined) throw new Error('AssumeRole returned no result');
  return result;
}

export interface IssuedCredentials {
  readonly AccessKeyId: string;
  readonly SecretAccessKey: string;
  readonly SessionToken: string;
  readonly Expiration: Date;
}

export const credentialsIn = (result: XmlObject): IssuedCredentials => result['Credentials'] as unknown as IssuedCredentials;

/** The principal keyhold's authentication finds for issued credentials, as a request would. */
export async function authenticate(fx: Fixture, credentials: IssuedCredentials, token = credentials.SessionToken): Promise<Principal> {
  fx.freshness.check();
  return fx.deps.identities.authenticate(credentials.AccessKeyId, token, fx.clock.now());
}
