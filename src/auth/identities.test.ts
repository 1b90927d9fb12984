// Who a request's credentials are: account roots, IAM users and STS sessions, and every way a
// credential stops working (inactive, deleted, expired, wrong token, role or account gone).
import assert from 'node:assert/strict';
import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { RootKey } from '../backends/software/root-key.js';
import { systemRandom } from '../core/clock.js';
import { KmsError } from '../core/errors.js';
import { StoreFreshness } from '../store/freshness.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { Identities, accessKeyWrapContext, hashSessionToken, sessionWrapContext } from './identities.js';

const ACCOUNT = '111122223333';
const at = new Date(Date.UTC(2026, 10, 23, 12));
const later = (ms: number): Date => new Date(at.getTime() + ms);
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/provider`;
const TOKEN = 'session-token-'.padEnd(300, 'x');

let dir: string;
let store: SqliteStore;
let root: RootKey;
let freshness: StoreFreshness;
let identities: Identities;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-identities-'));
  store = SqliteStore.open(join(dir, 'keyhold.db'));
  root = new RootKey(createSecretKey(randomBytes(32)), systemRandom);
  freshness = new StoreFreshness(store);
  identities = new Identities(store, root, freshness);
  await store.transaction(async (tx) => {
    await tx.insertAccount({ id: ACCOUNT, name: 'customer', status: 'Active', createdAt: at });
    const key = (id: string, userName: string | null, principalArn: string) =>
      tx.insertAccessKey({ id, accountId: ACCOUNT, principalArn, userName, wrappedSecret: root.wrap(Buffer.from(`secret-${id}`), accessKeyWrapContext(id)), status: 'Active', isAdmin: false, createdAt: at });
    await key('AKIAROOT', null, `arn:aws:iam::${ACCOUNT}:root`);
    await tx.insertUser({ accountId: ACCOUNT, name: 'alice', userId: 'AIDAALICE', path: '/', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, createdAt: at });
    await tx.putInlinePolicy({ owner: { kind: 'user', accountId: ACCOUNT, name: 'alice' }, policyName: 'enc', document: JSON.stringify({ Statement: { Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' } }) });
    await key('AKIAALICE', 'alice', `arn:aws:iam::${ACCOUNT}:user/alice`);
    await tx.insertRole({ accountId: ACCOUNT, name: 'provider', roleId: 'AROAPROVIDER', path: '/', arn: ROLE_ARN, trustPolicy: '{}', description: '', maxSessionDurationSeconds: 3600, createdAt: at });
    await tx.insertSession({
      accessKeyId: 'ASIASESSION', accountId: ACCOUNT, roleArn: ROLE_ARN, sessionName: 's1', sessionArn: `arn:aws:sts::${ACCOUNT}:assumed-role/provider/s1`,
      wrappedSecret: root.wrap(Buffer.from('session-secret'), sessionWrapContext('ASIASESSION')), tokenHash: hashSessionToken(TOKEN),
      sessionPolicy: JSON.stringify({ Statement: { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' } }), issuedAt: at, expiresAt: later(3_600_000),
    });
  });
  freshness.check();
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A committed change, seen as the edge sees it at the start of the next request. */
async function change(fn: Parameters<SqliteStore['transaction']>[0]): Promise<void> {
  await store.transaction(fn);
  freshness.check();
}

const refusedAs = (type: string) => (err: unknown): boolean => err instanceof KmsError && err.type === type;

test('an account root key is the Root principal, with no identity policies', async () => {
  const p = await identities.authenticate('AKIAROOT', undefined, at);
  assert.deepEqual([p.type, p.arn, p.userId, p.identityPolicies.length], ['Root', `arn:aws:iam::${ACCOUNT}:root`, ACCOUNT, 0]);
  assert.equal((await identities.lookup('AKIAROOT'))?.secret.unsafeBytes().toString(), 'secret-AKIAROOT');
});

test("an IAM user's key is the IAMUser principal, carrying the user's inline policies", async () => {
  const p = await identities.authenticate('AKIAALICE', undefined, at);
  assert.deepEqual([p.type, p.arn, p.userId], ['IAMUser', `arn:aws:iam::${ACCOUNT}:user/alice`, 'AIDAALICE']);
  assert.equal(p.identityPolicies.length, 1);
  assert.deepEqual(p.identityPolicies[0]?.statements[0]?.action, ['kms:Encrypt']);
});

test('long-term credentials with a session token are refused (AWS: the token is invalid)', async () => {
  await assert.rejects(identities.authenticate('AKIAROOT', TOKEN, at), refusedAs('UnrecognizedClientException'));
});

test('an unknown access key is refused', async () => {
  await assert.rejects(identities.authenticate('AKIANOBODY', undefined, at), refusedAs('UnrecognizedClientException'));
});

test('an access key made inactive is refused on the next request, and works again when reactivated', async () => {
  await change((tx) => tx.setAccessKeyStatus('AKIAALICE', 'Inactive'));
  await assert.rejects(identities.authenticate('AKIAALICE', undefined, at), refusedAs('UnrecognizedClientException'));
  await change((tx) => tx.setAccessKeyStatus('AKIAALICE', 'Active'));
  assert.equal((await identities.authenticate('AKIAALICE', undefined, at)).type, 'IAMUser');
});

test("a changed inline policy is the user's from the next request", async () => {
  await identities.authenticate('AKIAALICE', undefined, at);
  await change((tx) => tx.deleteInlinePolicy({ kind: 'user', accountId: ACCOUNT, name: 'alice' }, 'enc'));
  assert.equal((await identities.authenticate('AKIAALICE', undefined, at)).identityPolicies.length, 0);
});

test('a deleted access key is refused', async () => {
  await change(async (tx) => {
    await tx.deleteAccessKey('AKIAALICE');
  });
  await assert.rejects(identities.authenticate('AKIAALICE', undefined, at), refusedAs('UnrecognizedClientException'));
});

test('a session with its token is the AssumedRole principal: role ARN, token issue time, session policy', async () => {
  const p = await identities.authenticate('ASIASESSION', TOKEN, later(1000));
  assert.deepEqual([p.type, p.arn, p.roleArn, p.userId], ['AssumedRole', `arn:aws:sts::${ACCOUNT}:assumed-role/provider/s1`, ROLE_ARN, 'AROAPROVIDER:s1']);
  assert.equal(p.tokenIssuedAt?.getTime(), at.getTime());
  assert.deepEqual(p.sessionPolicy?.statements[0]?.action, ['kms:Decrypt']);
});

test('a session without its token, or with another token, is refused', async () => {
  await assert.rejects(identities.authenticate('ASIASESSION', undefined, at), refusedAs('UnrecognizedClientException'));
  await assert.rejects(identities.authenticate('ASIASESSION', `${TOKEN}y`, at), refusedAs('UnrecognizedClientException'));
  await assert.rejects(identities.authenticate('ASIASESSION', '', at), refusedAs('UnrecognizedClientException'));
});

test('a session is refused from the moment it expires', async () => {
  assert.equal((await identities.authenticate('ASIASESSION', TOKEN, later(3_599_999))).type, 'AssumedRole');
  await assert.rejects(identities.authenticate('ASIASESSION', TOKEN, later(3_600_000)), refusedAs('ExpiredTokenException'));
});

test("deleting the role ends its sessions at once, even if a role of the same name is created again", async () => {
  await change((tx) => tx.deleteRole(ACCOUNT, 'provider'));
  await assert.rejects(identities.authenticate('ASIASESSION', TOKEN, at), refusedAs('UnrecognizedClientException'));
  await change((tx) => tx.insertRole({ accountId: ACCOUNT, name: 'provider', roleId: 'AROAPROVIDER2', path: '/', arn: ROLE_ARN, trustPolicy: '{}', description: '', maxSessionDurationSeconds: 3600, createdAt: later(1000) }));
  await assert.rejects(identities.authenticate('ASIASESSION', TOKEN, later(2000)), refusedAs('UnrecognizedClientException'));
});

test("a disabled account's root keys, user keys and sessions are all refused, and work again when it is enabled", async () => {
  await change((tx) => tx.setAccountStatus(ACCOUNT, 'Disabled'));
  for (const [id, token] of [['AKIAROOT', undefined], ['AKIAALICE', undefined], ['ASIASESSION', TOKEN]] as const) {
    await assert.rejects(identities.authenticate(id, token, at), refusedAs('UnrecognizedClientException'), id);
  }
  await change((tx) => tx.setAccountStatus(ACCOUNT, 'Active'));
  assert.equal((await identities.authenticate('AKIAROOT', undefined, at)).type, 'Root');
});

test('a secret wrapped for another access key id does not unwrap: the key is refused', async () => {
  await change((tx) => tx.replaceAccessKeySecret('AKIAROOT', root.wrap(Buffer.from('x'), accessKeyWrapContext('AKIAOTHER'))));
  await assert.rejects(identities.authenticate('AKIAROOT', undefined, at), refusedAs('UnrecognizedClientException'));
});
