// Service-managed keys against a real SQLite store and software backend: created once per account
// and registered service, with AWS's managed-key attributes and policy; and what that policy allows.
import assert from 'node:assert/strict';
import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Principal } from '../auth/principal.js';
import type { Origin } from '../auth/request-context.js';
import { RootKey } from '../backends/software/root-key.js';
import { SoftwareBackend } from '../backends/software/software-backend.js';
import { DAY_MS, TestClock, systemRandom } from '../core/clock.js';
import { KmsError } from '../core/errors.js';
import { StoreFreshness } from '../store/freshness.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store, StoreTx } from '../store/store.js';
import { authorize } from './authorize.js';
import { KeyCache } from './key-cache.js';
import type { ServiceDeps } from './operation.js';
import { serviceManagedKeyId } from './service-managed-keys.js';

const A = '111122223333';
const B = '444455556666';
const clock = new TestClock(new Date('2025-06-01T00:00:00Z'));

let dir = '';
let store: SqliteStore;
let deps: ServiceDeps;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-managed-'));
  store = SqliteStore.open(join(dir, 'keyhold.db'));
  const backend = new SoftwareBackend(new RootKey(createSecretKey(randomBytes(32)), systemRandom), systemRandom);
  deps = { store, backend, keys: new KeyCache(store, backend, new StoreFreshness(store)), clock, random: systemRandom, region: 'us-east-1' };
  await store.transaction((tx) => tx.insertService({ name: 'media', tokenHash: '', createdAt: clock.now() }));
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const keysOf = (account: string) => store.read(async (tx) => (await tx.listKeys(account, 'us-east-1', undefined, 100)).items);

test("the first use creates AWS's managed key: KeyManager AWS, yearly rotation, the reserved alias, one material", async () => {
  const id = await serviceManagedKeyId(deps, A, 'alias/aws/media');
  assert.ok(id !== undefined);
  const key = await store.read((tx) => tx.getKey(id));
  assert.deepEqual({ ...key, policy: undefined, currentMaterialId: undefined }, {
    id, accountId: A, region: 'us-east-1', arn: `arn:aws:kms:us-east-1:${A}:key/${id}`, createdAt: clock.now(),
    description: 'Default key that protects my media data when no other key is defined',
    keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', state: 'Enabled', policy: undefined,
    deletionDate: null, pendingWindowDays: null, currentMaterialId: undefined, rotationPeriodDays: 365,
    nextRotationDate: new Date(clock.now().getTime() + 365 * DAY_MS), onDemandRotations: 0, keyManager: 'AWS', validTo: null,
  });
  const materials = await store.read((tx) => tx.listMaterials(id));
  assert.deepEqual(materials.map((m) => m.materialId), [key?.currentMaterialId]);
  assert.equal((await store.read((tx) => tx.getAlias(A, 'us-east-1', 'alias/aws/media')))?.targetKeyId, id);
  assert.equal(await serviceManagedKeyId(deps, A, 'alias/aws/media'), id, 'a later use finds the same key');
});

test('concurrent first uses in one account make one key', async () => {
  const ids = await Promise.all(Array.from({ length: 8 }, () => serviceManagedKeyId(deps, B, 'alias/aws/media')));
  assert.equal(new Set(ids).size, 1);
  assert.equal((await keysOf(B)).length, 1);
});

test('a first use that loses a race the store did not queue answers with the winner\'s key', async () => {
  const account = '777788889999';
  const winner = await serviceManagedKeyId(deps, account, 'alias/aws/media');
  // A transaction that cannot see the winner's alias (as under snapshot isolation) inserts its own
  // key, then meets the alias's primary key.
  let keysInserted = 0;
  const blindTx = (tx: StoreTx): StoreTx => new Proxy(tx, {
    get: (target, name) => {
      if (name === 'getAlias') return async () => undefined;
      if (name === 'insertKey') keysInserted++;
      const member = Reflect.get(target, name, target) as unknown;
      return typeof member === 'function' ? member.bind(target) as unknown : member; // private fields need the real object
    },
  });
  const blind: Store = {
    read: (fn) => store.read(fn),
    transaction: (fn) => store.transaction((tx) => fn(blindTx(tx))),
    changeToken: () => store.changeToken(),
    scrub: () => store.scrub(),
    close: () => store.close(),
  };
  assert.equal(await serviceManagedKeyId({ ...deps, store: blind }, account, 'alias/aws/media'), winner);
  assert.equal(keysInserted, 1, 'the loser inserted its key before the alias refused it');
  assert.equal((await keysOf(account)).length, 1, "the loser's key was rolled back with its transaction");
});

test('an alias of no registered service, or no valid service name, creates nothing', async () => {
  const account = '123412341234';
  for (const alias of ['alias/aws/photos', 'alias/aws/Media', 'alias/aws/', 'alias/aws/media/x', 'alias/media', 'alias/awsmedia']) {
    assert.equal(await serviceManagedKeyId(deps, account, alias), undefined, alias);
  }
  assert.deepEqual(await keysOf(account), []);
});

const VIA_MEDIA = 'media.us-east-1.amazonaws.com';
const origin = (viaService?: string): Origin => ({ sourceIp: '127.0.0.1', secureTransport: false, viaService });
const principal = (account: string, kind: 'root' | 'user'): Principal => ({
  accountId: account, arn: kind === 'root' ? `arn:aws:iam::${account}:root` : `arn:aws:iam::${account}:user/app`,
  accessKeyId: 'AKIAEXAMPLE', type: kind === 'root' ? 'Root' : 'IAMUser', userId: 'AIDAEXAMPLE', identityPolicies: [], isAdmin: false,
});

test('its policy: use only through the service by the key\'s own account; reading directly; managing never', async () => {
  const id = await serviceManagedKeyId(deps, A, 'alias/aws/media');
  const key = await deps.keys.key(id ?? '');
  assert.ok(key);
  const decide = (who: Principal, action: string, via?: string): string => {
    try {
      authorize(key, { principal: who, action, now: clock.now(), origin: origin(via) });
      return 'Allow';
    } catch (err) {
      assert.ok(err instanceof KmsError && err.type === 'AccessDeniedException', String(err));
      return 'Deny';
    }
  };
  const user = principal(A, 'user');
  const root = principal(A, 'root');
  const cases: [string, Principal, string, string | undefined, string][] = [
    ['a user with no IAM policy encrypts through the service', user, 'kms:Encrypt', VIA_MEDIA, 'Allow'],
    ['decrypts through the service', user, 'kms:Decrypt', VIA_MEDIA, 'Allow'],
    ['generates data keys through the service', user, 'kms:GenerateDataKeyWithoutPlaintext', VIA_MEDIA, 'Allow'],
    ['creates grants through the service', user, 'kms:CreateGrant', VIA_MEDIA, 'Allow'],
    ['but not directly', user, 'kms:Encrypt', undefined, 'Deny'],
    ['nor through another service', user, 'kms:Encrypt', 'backup.us-east-1.amazonaws.com', 'Deny'],
    ['nor through the service in another region', user, 'kms:Encrypt', 'media.eu-west-1.amazonaws.com', 'Deny'],
    ['the account root neither, directly', root, 'kms:Decrypt', undefined, 'Deny'],
    ['another account, even through the service', principal(B, 'root'), 'kms:Encrypt', VIA_MEDIA, 'Deny'],
    ['the root reads the key', root, 'kms:DescribeKey', undefined, 'Allow'],
    ['and its policy', root, 'kms:GetKeyPolicy', undefined, 'Allow'],
    ['and its rotation status', root, 'kms:GetKeyRotationStatus', undefined, 'Allow'],
    ['and its grants', root, 'kms:ListGrants', undefined, 'Allow'],
    ['a user reads directly only with an IAM policy (the account is delegated)', user, 'kms:GetKeyPolicy', undefined, 'Deny'],
    ...['kms:PutKeyPolicy', 'kms:DisableKey', 'kms:EnableKey', 'kms:ScheduleKeyDeletion', 'kms:EnableKeyRotation', 'kms:DisableKeyRotation',
      'kms:RotateKeyOnDemand', 'kms:UpdateKeyDescription', 'kms:TagResource', 'kms:CreateAlias', 'kms:RevokeGrant']
      .flatMap((action): [string, Principal, string, string | undefined, string][] => [
        [`the root cannot ${action}`, root, action, undefined, 'Deny'],
        [`nor can anyone through the service ${action}`, user, action, VIA_MEDIA, 'Deny'],
      ]),
  ];
  for (const [title, who, action, via, expected] of cases) assert.equal(decide(who, action, via), expected, title);
});
