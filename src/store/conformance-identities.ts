// The storage conformance suite, identity half: accounts, access keys, users, roles, inline
// policies, sessions and grants behave the same on every Store implementation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoreFactory } from './conformance.js';
import type { GrantRecord, RoleRecord, SessionRecord } from './identity-records.js';
import type { Store } from './store.js';

const ACCOUNT = '111122223333';
const at = new Date(1_700_000_000_000);

const role = (name: string): RoleRecord => ({
  accountId: ACCOUNT, name, roleId: `AROA${name.toUpperCase().padEnd(17, 'X')}`, path: '/', arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
  trustPolicy: '{"Statement":[]}', description: '', maxSessionDurationSeconds: 3600, createdAt: at,
});

const grant = (grantId: string, over: Partial<GrantRecord> = {}): GrantRecord => ({
  grantId, keyId: '00000000-0000-4000-8000-000000000001', name: null, granteePrincipal: `arn:aws:iam::${ACCOUNT}:role/p`,
  retiringPrincipal: null, operations: ['Decrypt'], constraints: null, issuingAccount: ACCOUNT, createdAt: at, ...over,
});

export function identityConformance(name: string, factory: StoreFactory): void {
  const withStore = (title: string, fn: (store: Store) => Promise<void>): void => {
    test(`${name}: ${title}`, async () => {
      const store = await factory.create();
      try {
        await store.transaction((tx) => tx.insertAccount({ id: ACCOUNT, name: 'customer', status: 'Active', createdAt: at }));
        await fn(store);
      } finally {
        await store.close();
      }
    });
  };

  withStore('accounts can be listed and disabled', async (store) => {
    await store.transaction(async (tx) => {
      await tx.insertAccount({ id: '444455556666', name: 'provider', status: 'Active', createdAt: at });
      await tx.setAccountStatus(ACCOUNT, 'Disabled');
    });
    const page = await store.read((tx) => tx.listAccounts(undefined, 10));
    assert.deepEqual(page.items.map((a) => [a.id, a.status]), [[ACCOUNT, 'Disabled'], ['444455556666', 'Active']]);
  });

  withStore('user names are unique without regard to case, and found by any case', async (store) => {
    const user = { accountId: ACCOUNT, name: 'Alice', userId: 'AIDAALICE0000000000', path: '/', arn: `arn:aws:iam::${ACCOUNT}:user/Alice`, createdAt: at };
    await store.transaction((tx) => tx.insertUser(user));
    assert.deepEqual(await store.read((tx) => tx.getUser(ACCOUNT, 'alice')), user);
    await assert.rejects(store.transaction((tx) => tx.insertUser({ ...user, name: 'ALICE', userId: 'AIDAOTHER0000000000' })));
  });

  withStore('access keys are listed per owner, root keys apart from user keys', async (store) => {
    const key = (id: string, userName: string | null) => ({
      id, accountId: ACCOUNT, principalArn: 'x', userName, wrappedSecret: Buffer.from([1]), status: 'Active' as const, isAdmin: false, createdAt: at,
    });
    await store.transaction(async (tx) => {
      await tx.insertAccessKey(key('AKIAROOT000000000001', null));
      await tx.insertAccessKey(key('AKIAUSER000000000001', 'bob'));
      await tx.insertAccessKey(key('AKIAUSER000000000002', 'bob'));
      await tx.deleteAccessKey('AKIAUSER000000000002');
    });
    assert.deepEqual((await store.read((tx) => tx.listAccessKeys(ACCOUNT, null))).map((k) => k.id), ['AKIAROOT000000000001']);
    assert.deepEqual((await store.read((tx) => tx.listAccessKeys(ACCOUNT, 'BOB'))).map((k) => k.id), ['AKIAUSER000000000001']);
  });

  withStore('roles page in name order and their trust policy can be replaced', async (store) => {
    await store.transaction(async (tx) => {
      for (const n of ['c', 'a', 'b']) await tx.insertRole(role(n));
      await tx.setRoleTrustPolicy(ACCOUNT, 'B', '{"Statement":["new"]}');
    });
    const first = await store.read((tx) => tx.listRoles(ACCOUNT, undefined, 2));
    const second = await store.read((tx) => tx.listRoles(ACCOUNT, first.next, 2));
    assert.deepEqual([...first.items, ...second.items].map((r) => r.name), ['a', 'b', 'c']);
    assert.equal((await store.read((tx) => tx.getRole(ACCOUNT, 'b')))?.trustPolicy, '{"Statement":["new"]}');
  });

  withStore('an inline policy is created, replaced, listed and deleted per owner', async (store) => {
    const owner = { kind: 'role' as const, accountId: ACCOUNT, name: 'app' };
    await store.transaction(async (tx) => {
      await tx.putInlinePolicy({ owner, policyName: 'p1', document: 'v1' });
      await tx.putInlinePolicy({ owner, policyName: 'p1', document: 'v2' });
      await tx.putInlinePolicy({ owner: { ...owner, kind: 'user' }, policyName: 'p2', document: 'other owner' });
    });
    assert.deepEqual((await store.read((tx) => tx.listInlinePolicies(owner))).map((p) => [p.policyName, p.document]), [['p1', 'v2']]);
    await store.transaction((tx) => tx.deleteInlinePolicy(owner, 'p1'));
    assert.equal(await store.read((tx) => tx.getInlinePolicy(owner, 'p1')), undefined);
  });

  withStore('expired sessions are removed and live ones kept', async (store) => {
    const session = (id: string, expiresAt: Date): SessionRecord => ({
      accessKeyId: id, accountId: ACCOUNT, roleArn: role('p').arn, sessionName: 's', sessionArn: `arn:aws:sts::${ACCOUNT}:assumed-role/p/s`,
      wrappedSecret: Buffer.from([1]), tokenHash: `hash-${id}`, sessionPolicy: null, issuedAt: at, expiresAt,
    });
    await store.transaction(async (tx) => {
      await tx.insertSession(session('ASIAOLD', new Date(at.getTime() + 1000)));
      await tx.insertSession(session('ASIANEW', new Date(at.getTime() + 3_600_000)));
    });
    assert.equal(await store.transaction((tx) => tx.deleteExpiredSessions(new Date(at.getTime() + 2000))), 1);
    assert.equal(await store.read((tx) => tx.getSession('ASIAOLD')), undefined);
    assert.deepEqual(await store.read((tx) => tx.getSession('ASIANEW')), session('ASIANEW', new Date(at.getTime() + 3_600_000)));
  });

  withStore('grants round-trip, page by key, are found by name and by retiring principal, and go with their key', async (store) => {
    const keyId = '00000000-0000-4000-8000-000000000001';
    await store.transaction(async (tx) => {
      await tx.insertKey({
        id: keyId, accountId: ACCOUNT, region: 'us-east-1', arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${keyId}`, createdAt: at,
        description: '', keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', state: 'Enabled', policy: '{}',
        deletionDate: null, pendingWindowDays: null, currentMaterialId: 'aa', rotationPeriodDays: null, nextRotationDate: null, onDemandRotations: 0, keyManager: 'CUSTOMER', validTo: null,
      });
      await tx.insertGrant(grant('g1', { name: 'named', constraints: '{"EncryptionContextSubset":{"a":"b"}}', retiringPrincipal: 'arn:aws:iam::1:role/r' }));
      await tx.insertGrant(grant('g2'));
      await tx.insertGrant(grant('g3'));
    });
    await assert.rejects(store.transaction((tx) => tx.insertGrant(grant('g4', { name: 'named' }))), 'a grant name is unique per key');
    assert.deepEqual(await store.read((tx) => tx.getGrantByName(keyId, 'named')), grant('g1', { name: 'named', constraints: '{"EncryptionContextSubset":{"a":"b"}}', retiringPrincipal: 'arn:aws:iam::1:role/r' }));
    const first = await store.read((tx) => tx.listGrants(keyId, undefined, 2));
    const second = await store.read((tx) => tx.listGrants(keyId, first.next, 2));
    assert.deepEqual([...first.items, ...second.items].map((g) => g.grantId), ['g1', 'g2', 'g3']);
    assert.deepEqual((await store.read((tx) => tx.listRetirableGrants('arn:aws:iam::1:role/r', undefined, 10))).items.map((g) => g.grantId), ['g1']);
    await store.transaction((tx) => tx.deleteGrant('g2'));
    await store.transaction((tx) => tx.deleteKey(keyId));
    assert.equal(await store.read((tx) => tx.getGrant('g1')), undefined);
  });
}
