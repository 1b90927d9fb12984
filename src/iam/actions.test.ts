// The IAM actions on a real SQLite store, called as the query endpoint calls them: the rules the
// SDK-level black-box test cannot see from outside — account isolation, authorisation before
// existence, who "no UserName" means, secrets stored only wrapped.
import assert from 'node:assert/strict';
import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { Identities, accessKeyWrapContext } from '../auth/identities.js';
import type { Principal } from '../auth/principal.js';
import { RootKey } from '../backends/software/root-key.js';
import { TestClock, systemRandom } from '../core/clock.js';
import { KmsError } from '../core/errors.js';
import { parsePolicy } from '../policy/document.js';
import { QueryError, type QueryAction, type QueryDeps } from '../server/query/action.js';
import { QueryParams } from '../server/query/form.js';
import type { XmlObject, XmlValue } from '../server/query/xml.js';
import { authorizeIdentity } from '../service/authorize.js';
import { StoreFreshness } from '../store/freshness.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { iamActions } from './index.js';

const A = '111122223333';
const B = '444455556666';
const origin = { sourceIp: '127.0.0.1', secureTransport: true };

let dir: string;
let store: SqliteStore;
let deps: QueryDeps;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-iam-'));
  store = SqliteStore.open(join(dir, 'keyhold.db'));
  const root = new RootKey(createSecretKey(randomBytes(32)), systemRandom);
  deps = { store, root, identities: new Identities(store, root, new StoreFreshness(store)), clock: new TestClock(), random: systemRandom };
  await store.transaction(async (tx) => {
    for (const id of [A, B]) await tx.insertAccount({ id, name: id, status: 'Active', createdAt: new Date(Date.UTC(2026, 0, 1)) });
  });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const rootOf = (accountId: string): Principal => ({
  accountId, arn: `arn:aws:iam::${accountId}:root`, accessKeyId: 'AKIAROOT', type: 'Root', userId: accountId, identityPolicies: [], isAdmin: false,
});
const userIn = (accountId: string, name: string, ...actions: string[]): Principal => ({
  accountId, arn: `arn:aws:iam::${accountId}:user/${name}`, accessKeyId: 'AKIAUSER', type: 'IAMUser', userId: 'AIDAUSER', isAdmin: false,
  identityPolicies: actions.length === 0 ? [] : [parsePolicy(JSON.stringify({ Statement: { Effect: 'Allow', Action: actions, Resource: '*' } }), 'identity')],
});
const session: Principal = {
  accountId: A, arn: `arn:aws:sts::${A}:assumed-role/r/s`, accessKeyId: 'ASIASESSION', type: 'AssumedRole', userId: 'AROAROLE:s',
  roleArn: `arn:aws:iam::${A}:role/r`, identityPolicies: [parsePolicy('{"Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*"}}', 'identity')], isAdmin: false,
};

async function call(principal: Principal, action: string, params: Record<string, string> = {}): Promise<XmlObject | undefined> {
  const found = iamActions[action] as QueryAction;
  return found.run({
    params: new QueryParams(new Map(Object.entries(params))), principal, origin, requestId: 'req', deps,
    authorize: (act, resource, extra) => authorizeIdentity(principal, act, resource, deps.clock.now(), origin, extra),
  });
}

function text(value: XmlValue): string {
  assert.equal(typeof value, 'string');
  return value as string;
}

/** The error code a call fails with: IAM's own, or AccessDenied from the shared authoriser. */
async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof QueryError) return { code: err.code, message: err.message };
    if (err instanceof KmsError) return { code: err.type, message: err.message };
    throw err;
  }
  return assert.fail('the call succeeded');
}

test('every action is registered under its own name', () => {
  for (const [name, action] of Object.entries(iamActions)) assert.equal(action.name, name);
  assert.equal(Object.keys(iamActions).length, 21);
});

test('accounts are isolated: the same names in two accounts are two entities, and neither reaches the other\'s', async () => {
  await call(rootOf(A), 'CreateUser', { UserName: 'alice' });
  assert.equal((await failure(call(rootOf(B), 'GetUser', { UserName: 'alice' }))).code, 'NoSuchEntity');
  const created = await call(rootOf(B), 'CreateUser', { UserName: 'alice' });
  assert.equal((created?.['User'] as XmlObject)['Arn'], `arn:aws:iam::${B}:user/alice`);
  const key = (await call(rootOf(A), 'CreateAccessKey', { UserName: 'alice' }))?.['AccessKey'] as XmlObject;
  // B's alice cannot touch A's alice's key, nor list it.
  const update = await failure(call(rootOf(B), 'UpdateAccessKey', { UserName: 'alice', AccessKeyId: text(key['AccessKeyId']), Status: 'Inactive' }));
  assert.deepEqual(update, { code: 'NoSuchEntity', message: `The Access Key with id ${text(key['AccessKeyId'])} cannot be found.` });
  assert.deepEqual((await call(rootOf(B), 'ListAccessKeys', { UserName: 'alice' }))?.['AccessKeyMetadata'], []);
  assert.equal((await store.read((tx) => tx.getAccessKey(text(key['AccessKeyId']))))?.status, 'Active');
});

test('the action is authorised before the entity\'s existence is revealed', async () => {
  const nobody = userIn(A, 'nobody');
  const denied = await failure(call(nobody, 'GetUser', { UserName: 'ghost' }));
  assert.equal(denied.code, 'AccessDeniedException');
  assert.match(denied.message, new RegExp(`iam:GetUser on resource: arn:aws:iam::${A}:user/ghost`));
  assert.equal((await failure(call(nobody, 'DeleteRolePolicy', { RoleName: 'ghost', PolicyName: 'p' }))).code, 'AccessDeniedException');
  assert.equal((await failure(call(userIn(A, 'reader', 'iam:GetUser'), 'GetUser', { UserName: 'ghost' }))).code, 'NoSuchEntity');
});

test('an existing user is authorised on its ARN, path included', async () => {
  await call(rootOf(A), 'CreateUser', { UserName: 'pat', Path: '/team/' });
  const denied = await failure(call(userIn(A, 'nobody'), 'DeleteUser', { UserName: 'pat' }));
  assert.match(denied.message, new RegExp(`iam:DeleteUser on resource: arn:aws:iam::${A}:user/team/pat`));
});

test('without UserName: an IAM user acts on itself, a role session must name one, the root is refused for access keys', async () => {
  await call(rootOf(A), 'CreateUser', { UserName: 'self' });
  const me = userIn(A, 'self', 'iam:*');
  const key = (await call(me, 'CreateAccessKey'))?.['AccessKey'] as XmlObject;
  assert.equal(key['UserName'], 'self');
  assert.deepEqual(await failure(call(session, 'ListAccessKeys')), { code: 'ValidationError', message: 'Must specify userName when calling with non-User credentials' });
  assert.deepEqual(await failure(call(session, 'GetUser')), { code: 'ValidationError', message: 'Must specify userName when calling with non-User credentials' });
  for (const action of ['CreateAccessKey', 'ListAccessKeys']) {
    const refused = await failure(call(rootOf(A), action));
    assert.equal(refused.code, 'ValidationError');
    assert.match(refused.message, /root user's access keys/);
  }
  assert.equal((await failure(call(rootOf(A), 'DeleteAccessKey', { AccessKeyId: 'AKIAROOT0000000000' }))).code, 'ValidationError');
});

test('GetUser without UserName describes the caller: an IAM user, or the account root', async () => {
  await call(rootOf(A), 'CreateUser', { UserName: 'self', Path: '/p/' });
  const user = (await call(userIn(A, 'self', 'iam:GetUser'), 'GetUser'))?.['User'] as XmlObject;
  assert.deepEqual([user['UserName'], user['Path']], ['self', '/p/']);
  const root = (await call(rootOf(A), 'GetUser'))?.['User'] as XmlObject;
  assert.deepEqual(root, { UserId: A, Arn: `arn:aws:iam::${A}:root`, CreateDate: new Date(Date.UTC(2026, 0, 1)) });
});

test('a new access key\'s secret is stored only wrapped, and resolves to the user with its policies', async () => {
  await call(rootOf(A), 'CreateUser', { UserName: 'kay' });
  await call(rootOf(A), 'PutUserPolicy', { UserName: 'kay', PolicyName: 'p', PolicyDocument: '{"Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*"}}' });
  const key = (await call(rootOf(A), 'CreateAccessKey', { UserName: 'kay' }))?.['AccessKey'] as XmlObject;
  const id = text(key['AccessKeyId']);
  const secret = text(key['SecretAccessKey']);
  assert.match(id, /^AKIA[A-Z2-7]{16}$/);
  assert.equal(secret.length, 40);
  const record = await store.read((tx) => tx.getAccessKey(id));
  assert.ok(record);
  assert.equal(record.wrappedSecret.includes(Buffer.from(secret)), false);
  assert.equal(deps.root.unwrap(record.wrappedSecret, accessKeyWrapContext(id))?.toString('utf8'), secret);
  assert.deepEqual([record.userName, record.isAdmin, record.principalArn], ['kay', false, `arn:aws:iam::${A}:user/kay`]);
  const identity = await deps.identities.lookup(id);
  assert.deepEqual([identity?.principal.type, identity?.principal.arn, identity?.principal.identityPolicies.length], ['IAMUser', `arn:aws:iam::${A}:user/kay`, 1]);
});

test('PermissionsBoundary and Tags are refused rather than silently dropped', async () => {
  assert.equal((await failure(call(rootOf(A), 'CreateUser', { UserName: 'u', PermissionsBoundary: 'arn:aws:iam::aws:policy/x' }))).code, 'InvalidInput');
  assert.equal((await failure(call(rootOf(A), 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: '{}', 'Tags.member.1.Key': 'k' }))).code, 'InvalidInput');
  assert.equal(await store.read((tx) => tx.getUser(A, 'u')), undefined);
});

test('ListUsers reads past store pages that PathPrefix filters out', async () => {
  for (let i = 0; i < 30; i++) await call(rootOf(A), 'CreateUser', { UserName: `u${String(i).padStart(2, '0')}`, Path: i % 10 === 9 ? '/rare/' : '/' });
  const first = await call(rootOf(A), 'ListUsers', { PathPrefix: '/rare', MaxItems: '2' });
  assert.deepEqual(((first?.['Users'] ?? []) as XmlObject[]).map((u) => u['UserName']), ['u09', 'u19']);
  assert.equal(first?.['IsTruncated'], true);
  const rest = await call(rootOf(A), 'ListUsers', { PathPrefix: '/rare', MaxItems: '2', Marker: text(first?.['Marker']) });
  assert.deepEqual([((rest?.['Users'] ?? []) as XmlObject[]).map((u) => u['UserName']), rest?.['IsTruncated']], [['u29'], false]);
});

test('CreateRole keeps the trust policy as written and defaults MaxSessionDuration to one hour', async () => {
  const trust = '{ "Statement": { "Effect": "Allow", "Principal": { "AWS": "111122223333" }, "Action": "sts:AssumeRole" } }';
  await call(rootOf(A), 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust });
  const role = await store.read((tx) => tx.getRole(A, 'R'));
  assert.deepEqual([role?.trustPolicy, role?.maxSessionDurationSeconds, role?.description, role?.path], [trust, 3600, '', '/']);
  assert.match(role?.roleId ?? '', /^AROA[A-Z2-7]{17}$/);
});
