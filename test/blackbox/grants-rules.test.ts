// Grants through the official SDKs against the real server, the rules around them: grant tokens,
// AWS's errors for bad requests (never a 500), DryRun, key states, the CreateGrant condition keys
// and cross-account grants.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IAMClient } from '@aws-sdk/client-iam';
import {
  CreateGrantCommand, DescribeKeyCommand, DisableKeyCommand, EncryptCommand, ListGrantsCommand, RetireGrantCommand,
  RevokeGrantCommand, type CreateGrantCommandInput, type KMSClient,
} from '@aws-sdk/client-kms';
import { clientsFor, createAccount } from '../harness/accounts.js';
import { serverForFile, testCredentials, type RunningServer } from '../harness/server.js';
import { createKey, expectError } from './api-helpers.js';
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
const newUser = (): Promise<TestUser> => makeUser(server, iam, `rules-${++users}`);
const grant = (input: CreateGrantCommandInput, kms: KMSClient = admin) => createGrant(kms, input);
const encrypt = (kms: KMSClient, KeyId: string, GrantTokens?: string[]) =>
  kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from('x'), ...(GrantTokens ? { GrantTokens } : {}) }));
const denied = (call: Promise<unknown>) => expectError(call, 'AccessDeniedException', 400);

test('GrantTokens: issued tokens are accepted, anything else is InvalidGrantTokenException', async () => {
  const key = await createKey(admin);
  const alice = await newUser();
  const { GrantId, GrantToken } = await grant({ KeyId: key.KeyId, GranteePrincipal: alice.arn, Operations: ['Encrypt', 'DescribeKey'] });
  await encrypt(alice.kms, key.Arn, [GrantToken]);
  await alice.kms.send(new DescribeKeyCommand({ KeyId: key.Arn, GrantTokens: [GrantToken] }));
  const forged = GrantToken.slice(0, -2) + (GrantToken.endsWith('AA') ? 'BA' : 'AA');
  for (const tokens of [['not-a-token'], [GrantToken, forged], [GrantId]]) {
    await expectError(encrypt(admin, key.Arn, tokens), 'InvalidGrantTokenException', 400);
  }
  await expectError(admin.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: alice.arn, Operations: ['Encrypt'], GrantTokens: ['x'] })), 'InvalidGrantTokenException', 400);
  await expectError(admin.send(new RetireGrantCommand({ GrantToken: 'x' })), 'InvalidGrantTokenException', 400);
  await expectError(encrypt(admin, key.Arn, Array.from({ length: 11 }, () => GrantToken)), 'ValidationException', 400);
  // A token outlives its grant as a token, but brings no permission with it.
  await admin.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId }));
  await encrypt(admin, key.Arn, [GrantToken]);
  await denied(encrypt(alice.kms, key.Arn, [GrantToken]));
});

test('CreateGrant refuses bad principals, operations, constraints and names with AWS\'s errors', async () => {
  const key = await createKey(admin);
  const alice = await newUser();
  const base = { KeyId: key.KeyId, GranteePrincipal: alice.arn, Operations: ['Encrypt' as const] };
  const cases: [Record<string, unknown>, string, number][] = [
    [{ GranteePrincipal: 'alice' }, 'InvalidArnException', 400],
    [{ GranteePrincipal: `arn:aws:iam::${ACCOUNT}:group/admins` }, 'InvalidArnException', 400],
    [{ GranteePrincipal: 'bad principal!' }, 'ValidationException', 400],
    [{ GranteePrincipal: undefined }, 'ValidationException', 400],
    [{ RetiringPrincipal: key.Arn }, 'InvalidArnException', 400],
    [{ Operations: [] }, 'ValidationException', 400],
    [{ Operations: ['Sign'] }, 'ValidationException', 400],
    [{ Operations: ['CreateGrant'] }, 'ValidationException', 400],
    [{ Operations: ['Encrypt', 'GenerateMac'] }, 'ValidationException', 400],
    [{ Operations: ['Teleport'] }, 'ValidationException', 400],
    [{ Constraints: { EncryptionContextSubset: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'v'])) } }, 'ValidationException', 400],
    [{ Constraints: { EncryptionContextEquals: { k: 'v'.repeat(400) } } }, 'ValidationException', 400],
    [{ Constraints: { SourceArn: `arn:aws:s3:us-east-1:${ACCOUNT}:bucket` } }, 'UnsupportedOperationException', 400],
    [{ GranteeServicePrincipal: 'dynamodb.us-east-1.amazonaws.com' }, 'UnsupportedOperationException', 400],
    [{ Name: 'no spaces allowed' }, 'ValidationException', 400],
    [{ Name: 'n'.repeat(257) }, 'ValidationException', 400],
    [{ KeyId: 'alias/not-for-grants' }, 'NotFoundException', 404],
    [{ KeyId: '00000000-0000-4000-8000-000000000000' }, 'NotFoundException', 404],
  ];
  for (const [over, name, status] of cases) {
    await expectError(admin.send(new CreateGrantCommand({ ...base, ...over })), name, status);
  }
  assert.deepEqual((await admin.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants, []);
});

test('RetireGrant and RevokeGrant refuse malformed and unknown grants', async () => {
  const key = await createKey(admin);
  const other = await createKey(admin);
  const alice = await newUser();
  const { GrantId } = await grant({ KeyId: key.KeyId, GranteePrincipal: alice.arn, Operations: ['Encrypt'] });
  const unknown = 'f'.repeat(64);
  await expectError(admin.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId: 'x' })), 'InvalidGrantIdException', 400);
  await expectError(admin.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId: unknown })), 'NotFoundException', 404);
  await expectError(admin.send(new RevokeGrantCommand({ KeyId: other.KeyId, GrantId })), 'NotFoundException', 404);
  await expectError(admin.send(new RetireGrantCommand({})), 'ValidationException', 400);
  await expectError(admin.send(new RetireGrantCommand({ GrantId })), 'ValidationException', 400);
  await expectError(admin.send(new RetireGrantCommand({ KeyId: key.Arn, GrantId: 'x' })), 'InvalidGrantIdException', 400);
  await expectError(admin.send(new RetireGrantCommand({ KeyId: key.Arn, GrantId: unknown })), 'NotFoundException', 404);
  await expectError(admin.send(new RetireGrantCommand({ KeyId: other.Arn, GrantId })), 'NotFoundException', 404);
  await expectError(admin.send(new RetireGrantCommand({ KeyId: 'alias/x', GrantId })), 'NotFoundException', 404);
  await encrypt(alice.kms, key.Arn);
});

test('DryRun: CreateGrant, RevokeGrant and RetireGrant answer DryRunOperationException and change nothing', async () => {
  const key = await createKey(admin);
  const alice = await newUser();
  const input = { KeyId: key.KeyId, GranteePrincipal: alice.arn, Operations: ['Encrypt' as const] };
  await expectError(admin.send(new CreateGrantCommand({ ...input, DryRun: true })), 'DryRunOperationException', 412);
  assert.deepEqual((await admin.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants, []);
  // A request that would fail gets its real error, not DryRunOperationException.
  await expectError(admin.send(new CreateGrantCommand({ ...input, Operations: ['Sign'], DryRun: true })), 'ValidationException', 400);
  const { GrantId, GrantToken } = await grant(input);
  await expectError(admin.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId, DryRun: true })), 'DryRunOperationException', 412);
  await expectError(admin.send(new RetireGrantCommand({ GrantToken, DryRun: true })), 'DryRunOperationException', 412);
  await expectError(alice.kms.send(new RetireGrantCommand({ GrantToken, DryRun: true })), 'AccessDeniedException', 400);
  await encrypt(alice.kms, key.Arn);
});

test('key states: no new grants on a disabled key, but its grants can be listed and revoked', async () => {
  const key = await createKey(admin);
  const alice = await newUser();
  const { GrantId } = await grant({ KeyId: key.KeyId, GranteePrincipal: alice.arn, Operations: ['Encrypt'] });
  await admin.send(new DisableKeyCommand({ KeyId: key.KeyId }));
  await expectError(admin.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: alice.arn, Operations: ['Encrypt'] })), 'DisabledException', 409);
  assert.equal((await admin.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants?.length, 1);
  await admin.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId }));
});

test('the key policy can limit CreateGrant with kms:GrantOperations, kms:GranteePrincipal and kms:GrantIsForAWSResource', async () => {
  const [alice, bob, carol] = [await newUser(), await newUser(), await newUser()];
  const root = `arn:aws:iam::${ACCOUNT}:root`;
  const Policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' },
      {
        Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'kms:CreateGrant', Resource: '*',
        Condition: { 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Encrypt', 'Decrypt'] }, StringEquals: { 'kms:GranteePrincipal': bob.arn } },
      },
      { Effect: 'Allow', Principal: { AWS: carol.arn }, Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
    ],
  });
  const key = await createKey(admin, { Policy });
  await grant({ KeyId: key.Arn, GranteePrincipal: bob.arn, Operations: ['Encrypt'] }, alice.kms);
  await encrypt(bob.kms, key.Arn);
  await denied(alice.kms.send(new CreateGrantCommand({ KeyId: key.Arn, GranteePrincipal: bob.arn, Operations: ['Encrypt', 'ReEncryptFrom'] })));
  await denied(alice.kms.send(new CreateGrantCommand({ KeyId: key.Arn, GranteePrincipal: carol.arn, Operations: ['Encrypt'] })));
  await denied(carol.kms.send(new CreateGrantCommand({ KeyId: key.Arn, GranteePrincipal: carol.arn, Operations: ['Encrypt'] })));
});

test('cross-account: a key policy that allows another account CreateGrant lets it grant its own principals the key', async () => {
  const other = await createAccount(server, 'grants-partner');
  const otherRoot = { arn: `arn:aws:iam::${other.accountId}:root`, ...clientsFor(server, other.credentials) };
  const dave = await makeUser(server, otherRoot.iam, 'dave');
  const Policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: otherRoot.arn }, Action: ['kms:CreateGrant', 'kms:ListGrants'], Resource: '*' },
    ],
  });
  const key = await createKey(admin, { Policy });
  await denied(encrypt(dave.kms, key.Arn));
  const { GrantToken } = await grant({ KeyId: key.Arn, GranteePrincipal: dave.arn, RetiringPrincipal: otherRoot.arn, Operations: ['Encrypt'] }, otherRoot.kms);
  await encrypt(dave.kms, key.Arn);
  // A bare key id means the caller's own account, where there is no such key.
  await expectError(otherRoot.kms.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: dave.arn, Operations: ['Encrypt'] })), 'NotFoundException', 404);
  assert.equal((await otherRoot.kms.send(new ListGrantsCommand({ KeyId: key.Arn }))).Grants?.[0]?.IssuingAccount, `arn:aws:iam::${ACCOUNT}:root`);
  await otherRoot.kms.send(new RetireGrantCommand({ GrantToken }));
  await denied(encrypt(dave.kms, key.Arn));
});
