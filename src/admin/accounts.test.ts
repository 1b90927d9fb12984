// The administrator's account actions, run directly against a real SQLite store and root key.
import assert from 'node:assert/strict';
import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { bootstrap } from '../auth/bootstrap.js';
import { Identities, accessKeyWrapContext } from '../auth/identities.js';
import type { Principal } from '../auth/principal.js';
import { RootKey } from '../backends/software/root-key.js';
import { TestClock, systemRandom, type Random } from '../core/clock.js';
import { KmsError, type ErrorType } from '../core/errors.js';
import { StoreFreshness } from '../store/freshness.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { AdminDeps } from './action.js';
import { adminActions, type AdminActionName } from './index.js';
import { randomAccountId } from './new-account-id.js';

const ADMIN_ACCOUNT = '000000000000';
const admin: Principal = {
  accountId: ADMIN_ACCOUNT, arn: `arn:aws:iam::${ADMIN_ACCOUNT}:root`, accessKeyId: 'AKIAADMINADMIN000001', type: 'Root',
  userId: ADMIN_ACCOUNT, identityPolicies: [], isAdmin: true,
};

let dir = '';
let store: SqliteStore;
let deps: AdminDeps;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-admin-'));
  store = SqliteStore.open(join(dir, 'keyhold.db'));
  const root = new RootKey(createSecretKey(randomBytes(32)), systemRandom);
  deps = { store, root, clock: new TestClock(new Date('2025-01-02T03:04:05Z')), random: systemRandom };
  await bootstrap(store, root, deps.clock, { accountId: ADMIN_ACCOUNT, admin: { accessKeyId: admin.accessKeyId, secretAccessKey: 'admin-secret-0123456789' } });
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (action: AdminActionName, input: unknown, over: Partial<AdminDeps> = {}): Promise<Record<string, unknown>> =>
  adminActions[action].run({ input, principal: admin, deps: { ...deps, ...over } }) as Promise<Record<string, unknown>>;

async function refused(call: Promise<unknown>, type: ErrorType, message?: RegExp): Promise<void> {
  await assert.rejects(call, (err: unknown) => {
    assert.ok(err instanceof KmsError, String(err));
    assert.equal(err.type, type, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

test('CreateAccount makes an active account and a root access key whose secret is stored only wrapped', async () => {
  const created = await run('CreateAccount', { Name: 'payments' });
  const { AccountId, AccessKeyId, SecretAccessKey } = created as { AccountId: string; AccessKeyId: string; SecretAccessKey: string };
  assert.match(AccountId, /^\d{12}$/);
  assert.match(AccessKeyId, /^AKIA[A-Z2-7]{16}$/);
  assert.equal(SecretAccessKey.length, 40);
  const account = await store.read((tx) => tx.getAccount(AccountId));
  assert.deepEqual(account, { id: AccountId, name: 'payments', status: 'Active', createdAt: deps.clock.now() });
  const key = await store.read((tx) => tx.getAccessKey(AccessKeyId));
  assert.equal(key?.accountId, AccountId);
  assert.equal(key?.principalArn, `arn:aws:iam::${AccountId}:root`);
  assert.equal(key?.userName, null);
  assert.equal(key?.isAdmin, false);
  assert.equal(key?.status, 'Active');
  assert.equal(key?.wrappedSecret.includes(Buffer.from(SecretAccessKey)), false, 'the secret is stored in the clear');
  assert.equal(deps.root.unwrap(key.wrappedSecret, accessKeyWrapContext(AccessKeyId))?.toString('utf8'), SecretAccessKey);
});

test('CreateAccount refuses a name already taken, compared without regard to case', async () => {
  await run('CreateAccount', { Name: 'Billing' });
  await refused(run('CreateAccount', { Name: 'billing' }), 'AlreadyExistsException', /'billing' already exists/);
  await refused(run('CreateAccount', { Name: 'DEFAULT' }), 'AlreadyExistsException'); // the first start's account
});

test('CreateAccount takes 1–64 printable characters, not starting or ending with a space', async () => {
  await run('CreateAccount', { Name: 'x' });
  await run('CreateAccount', { Name: 'Team Ünïcødé 🔑' });
  await run('CreateAccount', { Name: '🔑'.repeat(64) }); // 64 code points, 128 UTF-16 units
  for (const Name of ['', 'a'.repeat(65), ' lead', 'trail ', 'tab\there', 'new\nline', 'bidi\u202Eoverride', 'zero\u200Bwidth']) {
    await refused(run('CreateAccount', { Name }), 'ValidationException', /^1 validation error detected: Value at 'name' failed to satisfy constraint/);
  }
});

test('CreateAccount refuses bad input as ValidationException or SerializationException', async () => {
  await refused(run('CreateAccount', {}), 'ValidationException', /Value null at 'name' failed to satisfy constraint: Member must not be null/);
  await refused(run('CreateAccount', { Name: null }), 'ValidationException', /must not be null/);
  await refused(run('CreateAccount', { Name: 'ok', Extra: 1 }), 'ValidationException', /Unknown field 'Extra'/);
  await refused(run('CreateAccount', { Name: 7 }), 'SerializationException', /Expected a string at 'name'/);
  await refused(run('CreateAccount', { Name: 'lone \ud800' }), 'SerializationException', /lone surrogate/);
  await refused(run('CreateAccount', ['Name']), 'SerializationException');
  await refused(run('CreateAccount', 'Name'), 'SerializationException');
});

test('a new account id is 12 random digits, never one in use and never biased by a remainder', async () => {
  // 40-bit draws at or above 10^12 are rejected, not reduced.
  const draws = [Buffer.from('ffffffffff', 'hex'), Buffer.from('e8d4a51000', 'hex') /* exactly 10^12 */, Buffer.from('0000000001', 'hex')];
  const scripted: Random = { bytes: () => draws.shift() ?? assert.fail('drew too often'), uuid: () => systemRandom.uuid() };
  assert.equal(randomAccountId(scripted), '000000000001');

  // An id already taken (the default account's) is drawn again.
  const ids = [Buffer.alloc(5), Buffer.from('0000000002', 'hex')];
  const repeating: Random = { bytes: (n) => (n === 5 ? ids.shift() ?? assert.fail('drew too often') : systemRandom.bytes(n)), uuid: () => systemRandom.uuid() };
  const created = await run('CreateAccount', { Name: 'collides-first' }, { random: repeating });
  assert.equal(created.AccountId, '000000000002');
});

test('ListAccounts pages through every account by id with NextMarker and Truncated', async () => {
  const all = await run('ListAccounts', {});
  const accounts = all.Accounts as { AccountId: string; Name: string; Status: string; CreationDate: Date }[];
  assert.equal(all.Truncated, false);
  assert.equal(all.NextMarker, undefined);
  assert.ok(accounts.length >= 3);
  assert.deepEqual(accounts.map((a) => a.AccountId), accounts.map((a) => a.AccountId).sort());
  assert.deepEqual(Object.keys(accounts[0] ?? {}), ['AccountId', 'Name', 'Status', 'CreationDate']);
  assert.ok(accounts[0]?.CreationDate instanceof Date); // rendered as epoch seconds by the edge

  const seen: string[] = [];
  let marker: string | undefined;
  do {
    const page = await run('ListAccounts', marker === undefined ? { Limit: 1 } : { Limit: 1, Marker: marker });
    seen.push(...(page.Accounts as { AccountId: string }[]).map((a) => a.AccountId));
    assert.equal(page.Truncated, page.NextMarker !== undefined);
    marker = page.NextMarker as string | undefined;
  } while (marker !== undefined);
  assert.deepEqual(seen, accounts.map((a) => a.AccountId));
});

test('ListAccounts refuses a bad Limit or Marker', async () => {
  await refused(run('ListAccounts', { Limit: 0 }), 'ValidationException', /greater than or equal to 1/);
  await refused(run('ListAccounts', { Limit: 1001 }), 'ValidationException', /less than or equal to 1000/);
  await refused(run('ListAccounts', { Limit: 1.5 }), 'SerializationException');
  await refused(run('ListAccounts', { Limit: '10' }), 'SerializationException');
  await refused(run('ListAccounts', { Marker: 'not-ours' }), 'InvalidMarkerException');
  await refused(run('ListAccounts', { Marker: '' }), 'ValidationException');
});

test('DisableAccount refuses every credential of the account from the next lookup; EnableAccount restores them', async () => {
  const { AccountId, AccessKeyId } = await run('CreateAccount', { Name: 'to-disable' }) as { AccountId: string; AccessKeyId: string };
  const freshness = new StoreFreshness(store);
  const identities = new Identities(store, deps.root, freshness);
  assert.equal((await identities.lookup(AccessKeyId))?.principal.accountId, AccountId);

  assert.deepEqual(await run('DisableAccount', { AccountId }), {});
  freshness.check(); // what the edge does at the start of every request
  assert.equal(await identities.lookup(AccessKeyId), undefined);
  assert.equal((await store.read((tx) => tx.getAccount(AccountId)))?.status, 'Disabled');
  await run('DisableAccount', { AccountId }); // idempotent

  await run('EnableAccount', { AccountId });
  freshness.check();
  assert.equal((await identities.lookup(AccessKeyId))?.principal.accountId, AccountId);
});

test("DisableAccount refuses the administrator's own account, an unknown account and a malformed id", async () => {
  await refused(run('DisableAccount', { AccountId: ADMIN_ACCOUNT }), 'ValidationException', /own account cannot be disabled/);
  assert.equal((await store.read((tx) => tx.getAccount(ADMIN_ACCOUNT)))?.status, 'Active');
  await refused(run('DisableAccount', { AccountId: '999999999999' }), 'NotFoundException', /Account '999999999999' does not exist/);
  await refused(run('EnableAccount', { AccountId: '999999999999' }), 'NotFoundException');
  for (const AccountId of ['12345678901', '1234567890123', 'abcdefghijkl']) await refused(run('DisableAccount', { AccountId }), 'ValidationException');
  await refused(run('DisableAccount', { AccountId: 123456789012 }), 'SerializationException');
  await refused(run('DisableAccount', {}), 'ValidationException', /must not be null/);
});
