// The administrator's service actions, run directly against a real SQLite store.
import assert from 'node:assert/strict';
import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Principal } from '../auth/principal.js';
import { hashServiceToken } from '../auth/service-tokens.js';
import { RootKey } from '../backends/software/root-key.js';
import { TestClock, systemRandom } from '../core/clock.js';
import { KmsError, type ErrorType } from '../core/errors.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { AdminDeps } from './action.js';
import { adminActions, type AdminActionName } from './index.js';

const admin: Principal = {
  accountId: '000000000000', arn: 'arn:aws:iam::000000000000:root', accessKeyId: 'AKIAADMINADMIN000001', type: 'Root',
  userId: '000000000000', identityPolicies: [], isAdmin: true,
};

let dir = '';
let store: SqliteStore;
let deps: AdminDeps;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-services-'));
  store = SqliteStore.open(join(dir, 'keyhold.db'));
  deps = { store, root: new RootKey(createSecretKey(randomBytes(32)), systemRandom), clock: new TestClock(new Date('2025-03-04T05:06:07Z')), random: systemRandom };
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (action: AdminActionName, input: unknown): Promise<Record<string, unknown>> =>
  adminActions[action].run({ input, principal: admin, deps }) as Promise<Record<string, unknown>>;

async function refused(call: Promise<unknown>, type: ErrorType, message?: RegExp): Promise<void> {
  await assert.rejects(call, (err: unknown) => {
    assert.ok(err instanceof KmsError, String(err));
    assert.equal(err.type, type, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

test('RegisterService answers the token once; the store keeps only its SHA-256', async () => {
  const registered = await run('RegisterService', { ServiceName: 'media' });
  assert.deepEqual(Object.keys(registered), ['ServiceName', 'ServiceToken', 'CreationDate']);
  const token = registered.ServiceToken as string;
  assert.match(token, /^khst_[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(registered.CreationDate, deps.clock.now());
  const stored = await store.read((tx) => tx.getService('media'));
  assert.deepEqual(stored, { name: 'media', tokenHash: hashServiceToken(token), createdAt: deps.clock.now() });
});

test('RegisterService refuses a name already registered, and keeps the first token', async () => {
  const first = await run('RegisterService', { ServiceName: 'backup' });
  await refused(run('RegisterService', { ServiceName: 'backup' }), 'AlreadyExistsException', /'backup' is already registered/);
  assert.equal((await store.read((tx) => tx.getService('backup')))?.tokenHash, hashServiceToken(first.ServiceToken as string));
});

test('RegisterService takes only names that fit alias/aws/<name> and <name>.<region>.amazonaws.com', async () => {
  await run('RegisterService', { ServiceName: 'object-store2' });
  for (const ServiceName of ['', 'a', 'Media', '2d', '-x', 'me_dia', 'me.dia', 'me/dia', `a${'b'.repeat(63)}`]) {
    await refused(run('RegisterService', { ServiceName }), 'ValidationException', /^1 validation error detected: Value at 'serviceName' failed to satisfy constraint/);
  }
  await refused(run('RegisterService', {}), 'ValidationException', /Value null at 'serviceName'/);
  await refused(run('RegisterService', { ServiceName: 7 }), 'SerializationException');
  await refused(run('RegisterService', { ServiceName: 'ok-name', Token: 'chosen' }), 'ValidationException', /Unknown field 'Token'/);
  assert.equal(await store.read((tx) => tx.getService('ok-name')), undefined);
});

test('ListServices pages through every service by name, never with a token or its hash', async () => {
  for (const ServiceName of ['zeta', 'alpha', 'logs']) await run('RegisterService', { ServiceName });
  const all = await run('ListServices', {});
  const names = (all.Services as { ServiceName: string }[]).map((s) => s.ServiceName);
  assert.deepEqual(names, ['alpha', 'backup', 'logs', 'media', 'object-store2', 'zeta']);
  assert.equal(all.Truncated, false);
  assert.deepEqual(Object.keys((all.Services as object[])[0] ?? {}), ['ServiceName', 'CreationDate']);

  const seen: string[] = [];
  let marker: string | undefined;
  do {
    const page = await run('ListServices', marker === undefined ? { Limit: 4 } : { Limit: 4, Marker: marker });
    seen.push(...(page.Services as { ServiceName: string }[]).map((s) => s.ServiceName));
    assert.equal(page.Truncated, page.NextMarker !== undefined);
    marker = page.NextMarker as string | undefined;
  } while (marker !== undefined);
  assert.deepEqual(seen, names);
  await refused(run('ListServices', { Limit: 0 }), 'ValidationException');
  await refused(run('ListServices', { Marker: 'not-ours' }), 'InvalidMarkerException');
});
