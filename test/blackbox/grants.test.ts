// Grants through the official SDKs against the real server: a grant is the only permission of an
// IAM user with no policy, it holds only for its operations and constraints, and revoking or
// retiring it takes effect on the grantee's very next request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IAMClient } from '@aws-sdk/client-iam';
import {
  CreateGrantCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, GenerateDataKeyCommand, ListGrantsCommand,
  ListRetirableGrantsCommand, RetireGrantCommand, RevokeGrantCommand, type CreateGrantCommandInput, type GrantListEntry, type KMSClient,
  type ListGrantsResponse,
} from '@aws-sdk/client-kms';
import { clientsFor } from '../harness/accounts.js';
import { serverForFile, testCredentials, type RunningServer } from '../harness/server.js';
import { createKey, expectError, text } from './api-helpers.js';
import { createGrant, newUser as makeUser, type TestUser } from './grant-helpers.js';

const ACCOUNT = '000000000000';
let server: RunningServer;
let admin: KMSClient;
let iam: IAMClient;
serverForFile((s) => {
  server = s;
  ({ kms: admin, iam } = clientsFor(s, testCredentials));
});

let users = 0;
const newUser = (statements?: readonly object[]): Promise<TestUser> => makeUser(server, iam, `grantee-${++users}`, statements);
const grant = (input: CreateGrantCommandInput, kms: KMSClient = admin) => createGrant(kms, input);
const encrypt = (kms: KMSClient, KeyId: string, EncryptionContext?: Record<string, string>) =>
  kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from('secret'), ...(EncryptionContext ? { EncryptionContext } : {}) }));
const denied = (call: Promise<unknown>) => expectError(call, 'AccessDeniedException', 400);

test('a grant lets a principal with no other permission use the key, for the granted operations only', async () => {
  const key = await createKey(admin);
  const [alice, bob] = [await newUser(), await newUser()];
  await denied(encrypt(alice.kms, key.Arn));
  const created = await grant({ KeyId: key.KeyId, GranteePrincipal: alice.arn, Operations: ['Encrypt', 'Decrypt'] });
  assert.match(created.GrantId, /^[0-9a-f]{64}$/);
  const { CiphertextBlob } = await encrypt(alice.kms, key.Arn);
  assert.equal(text((await alice.kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext), 'secret');
  await denied(alice.kms.send(new GenerateDataKeyCommand({ KeyId: key.Arn, KeySpec: 'AES_256' })));
  await denied(alice.kms.send(new DescribeKeyCommand({ KeyId: key.Arn })));
  await denied(encrypt(bob.kms, key.Arn));
});

test('EncryptionContextSubset: keys match without case, values with case, other pairs may be added', async () => {
  const key = await createKey(admin);
  const alice = await newUser();
  await grant({ KeyId: key.KeyId, GranteePrincipal: alice.arn, Operations: ['Encrypt', 'Decrypt'], Constraints: { EncryptionContextSubset: { Tenant: 'acme' } } });
  const context = { tENANT: 'acme', extra: '1' };
  const { CiphertextBlob } = await encrypt(alice.kms, key.Arn, context);
  await alice.kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: context }));
  await denied(encrypt(alice.kms, key.Arn, { tenant: 'ACME' }));
  await denied(encrypt(alice.kms, key.Arn, { other: 'acme' }));
  await denied(encrypt(alice.kms, key.Arn));
});

test('EncryptionContextEquals: exactly the constraint\'s pairs, keys without case', async () => {
  const key = await createKey(admin);
  const alice = await newUser();
  await grant({ KeyId: key.KeyId, GranteePrincipal: alice.arn, Operations: ['Encrypt'], Constraints: { EncryptionContextEquals: { app: 'billing' } } });
  await encrypt(alice.kms, key.Arn, { App: 'billing' });
  await denied(encrypt(alice.kms, key.Arn, { app: 'billing', more: 'x' }));
  await denied(encrypt(alice.kms, key.Arn, { app: 'Billing' }));
});

test('RevokeGrant: the grantee\'s very next request is refused, and the grant is gone', async () => {
  const key = await createKey(admin);
  const alice = await newUser();
  const { GrantId } = await grant({ KeyId: key.KeyId, GranteePrincipal: alice.arn, Operations: ['Encrypt'] });
  await encrypt(alice.kms, key.Arn);
  await admin.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId }));
  await denied(encrypt(alice.kms, key.Arn));
  assert.deepEqual((await admin.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants, []);
  await expectError(admin.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId })), 'NotFoundException', 404);
});

test('RetireGrant: by the retiring principal, by the grantee only if the grant allows it, by the key\'s account', async () => {
  const key = await createKey(admin);
  const [alice, bob] = [await newUser(), await newUser()];
  const first = await grant({ KeyId: key.KeyId, GranteePrincipal: alice.arn, RetiringPrincipal: bob.arn, Operations: ['Encrypt'] });
  await encrypt(alice.kms, key.Arn);
  await denied(alice.kms.send(new RetireGrantCommand({ KeyId: key.Arn, GrantId: first.GrantId })));
  await bob.kms.send(new RetireGrantCommand({ KeyId: key.Arn, GrantId: first.GrantId }));
  await denied(encrypt(alice.kms, key.Arn));

  const second = await grant({ KeyId: key.KeyId, GranteePrincipal: alice.arn, Operations: ['Encrypt', 'RetireGrant'] });
  await encrypt(alice.kms, key.Arn);
  await denied(bob.kms.send(new RetireGrantCommand({ GrantToken: second.GrantToken })));
  await alice.kms.send(new RetireGrantCommand({ GrantToken: second.GrantToken }));
  await denied(encrypt(alice.kms, key.Arn));
  await expectError(alice.kms.send(new RetireGrantCommand({ GrantToken: second.GrantToken })), 'NotFoundException', 404);

  const third = await grant({ KeyId: key.KeyId, GranteePrincipal: alice.arn, Operations: ['Encrypt'] });
  await admin.send(new RetireGrantCommand({ KeyId: key.Arn, GrantId: third.GrantId }));
  await denied(encrypt(alice.kms, key.Arn));
});

test('a named CreateGrant sent again with the same parameters returns the same grant with a new token', async () => {
  const key = await createKey(admin);
  const alice = await newUser();
  const input = { KeyId: key.KeyId, GranteePrincipal: alice.arn, Operations: ['Encrypt', 'Decrypt'] as const, Name: 'app-1234:encrypt/decrypt_x' };
  const first = await grant({ ...input, Operations: [...input.Operations] });
  const again = await grant({ ...input, Operations: ['Decrypt', 'Encrypt'] });
  assert.equal(again.GrantId, first.GrantId);
  assert.notEqual(again.GrantToken, first.GrantToken);
  const grants = (await admin.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants ?? [];
  assert.deepEqual(grants.map((g) => [g.GrantId, g.Name]), [[first.GrantId, input.Name]]);
  // keyhold keeps grant names unique per key: the same name with other parameters is refused.
  await expectError(admin.send(new CreateGrantCommand({ ...input, Operations: ['Encrypt'] })), 'ValidationException', 400);
  // Without a name every request is a new grant.
  const unnamed = { KeyId: key.KeyId, GranteePrincipal: alice.arn, Operations: ['Encrypt' as const] };
  assert.notEqual((await grant(unnamed)).GrantId, (await grant(unnamed)).GrantId);
});

test('ListGrants: AWS\'s entry fields, GrantId and GranteePrincipal filters, pagination', async () => {
  const key = await createKey(admin);
  const [alice, bob] = [await newUser(), await newUser()];
  const ids: string[] = [];
  for (const grantee of [alice, bob, alice, bob, alice]) ids.push((await grant({ KeyId: key.KeyId, GranteePrincipal: grantee.arn, Operations: ['Decrypt'] })).GrantId);
  const detailed = await grant({
    KeyId: key.KeyId, GranteePrincipal: bob.arn, RetiringPrincipal: alice.arn, Operations: ['Encrypt', 'DescribeKey'], Name: 'detailed',
    Constraints: { EncryptionContextSubset: { dept: 'IT' } },
  });
  const [entry] = (await admin.send(new ListGrantsCommand({ KeyId: key.Arn, GrantId: detailed.GrantId }))).Grants ?? [];
  assert.ok(entry?.CreationDate instanceof Date);
  assert.deepEqual({ ...entry, CreationDate: undefined }, {
    KeyId: key.Arn, GrantId: detailed.GrantId, Name: 'detailed', CreationDate: undefined, GranteePrincipal: bob.arn, RetiringPrincipal: alice.arn,
    IssuingAccount: `arn:aws:iam::${ACCOUNT}:root`, Operations: ['Encrypt', 'DescribeKey'], Constraints: { EncryptionContextSubset: { dept: 'IT' } },
  });

  const all = await pages((Marker) => admin.send(new ListGrantsCommand({ KeyId: key.KeyId, Limit: 2, ...(Marker ? { Marker } : {}) })));
  assert.deepEqual(all.map((p) => p.length), [2, 2, 2]);
  assert.deepEqual(new Set(all.flat().map((g) => g.GrantId)), new Set([...ids, detailed.GrantId]));
  const alices = await pages((Marker) => admin.send(new ListGrantsCommand({ KeyId: key.KeyId, GranteePrincipal: alice.arn, Limit: 2, ...(Marker ? { Marker } : {}) })));
  assert.deepEqual(alices.map((p) => p.length), [2, 1]);
  assert.ok(alices.flat().every((g) => g.GranteePrincipal === alice.arn));
  assert.deepEqual((await admin.send(new ListGrantsCommand({ KeyId: key.KeyId, GrantId: 'f'.repeat(64) }))).Grants, []);
  await expectError(admin.send(new ListGrantsCommand({ KeyId: key.KeyId, GrantId: 'nope' })), 'InvalidGrantIdException', 400);
  await expectError(admin.send(new ListGrantsCommand({ KeyId: key.KeyId, Marker: 'nope' })), 'InvalidMarkerException', 400);
  await denied(alice.kms.send(new ListGrantsCommand({ KeyId: key.Arn })));
});

/** Every page of a paginated listing, following NextMarker while Truncated. */
async function pages(list: (marker: string | undefined) => Promise<ListGrantsResponse>): Promise<GrantListEntry[][]> {
  const out: GrantListEntry[][] = [];
  let marker: string | undefined;
  for (;;) {
    const page = await list(marker);
    out.push(page.Grants ?? []);
    if (page.Truncated !== true) return out;
    marker = page.NextMarker;
  }
}

test('ListRetirableGrants: grants on any key whose retiring principal is the one named, for callers its IAM policies allow', async () => {
  const [first, second] = [await createKey(admin), await createKey(admin)];
  const alice = await newUser();
  const carol = await newUser([{ Effect: 'Allow', Action: 'kms:ListRetirableGrants', Resource: '*' }]);
  const a = await grant({ KeyId: first.KeyId, GranteePrincipal: alice.arn, RetiringPrincipal: carol.arn, Operations: ['Encrypt'] });
  const b = await grant({ KeyId: second.KeyId, GranteePrincipal: alice.arn, RetiringPrincipal: carol.arn, Operations: ['Decrypt'] });
  await grant({ KeyId: second.KeyId, GranteePrincipal: carol.arn, RetiringPrincipal: alice.arn, Operations: ['Decrypt'] });
  const listed = (await carol.kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: carol.arn }))).Grants ?? [];
  assert.deepEqual(new Map(listed.map((g) => [g.GrantId, g.KeyId])), new Map([[a.GrantId, first.Arn], [b.GrantId, second.Arn]]));
  assert.equal((await admin.send(new ListRetirableGrantsCommand({ RetiringPrincipal: carol.arn, Limit: 1 }))).Grants?.length, 1);
  await denied(alice.kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: alice.arn })));
  await denied(admin.send(new ListRetirableGrantsCommand({ RetiringPrincipal: 'arn:aws:iam::111122223333:user/elsewhere' })));
});

test('a grant with CreateGrant lets its grantee create only narrower grants', async () => {
  const key = await createKey(admin);
  const [alice, bob] = [await newUser(), await newUser()];
  await grant({ KeyId: key.KeyId, GranteePrincipal: alice.arn, Operations: ['Encrypt', 'Decrypt', 'CreateGrant'], Constraints: { EncryptionContextSubset: { dept: 'IT' } } });
  const narrower = { KeyId: key.Arn, GranteePrincipal: bob.arn };
  await grant({ ...narrower, Operations: ['Decrypt'], Constraints: { EncryptionContextEquals: { dept: 'IT' } } }, alice.kms);
  const { CiphertextBlob } = await encrypt(admin, key.Arn, { dept: 'IT' });
  await bob.kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { dept: 'IT' } }));
  await denied(alice.kms.send(new CreateGrantCommand({ ...narrower, Operations: ['Decrypt', 'GenerateDataKey'], Constraints: { EncryptionContextSubset: { dept: 'IT' } } })));
  await denied(alice.kms.send(new CreateGrantCommand({ ...narrower, Operations: ['Decrypt'] })));
  await denied(alice.kms.send(new CreateGrantCommand({ ...narrower, Operations: ['Decrypt'], Constraints: { EncryptionContextSubset: { dept: 'HR' } } })));
  // Bob's grant has no CreateGrant: he cannot pass it on.
  await denied(bob.kms.send(new CreateGrantCommand({ KeyId: key.Arn, GranteePrincipal: alice.arn, Operations: ['Decrypt'], Constraints: { EncryptionContextEquals: { dept: 'IT' } } })));
});
