// The seed use case end to end, with the official SDKs only: a customer account keeps a key and
// lets a provider account use it through a role the provider assumes, and a grant. Each of four
// revocations makes the provider's very next call fail, and undoing it restores access:
// (a) revoke the grant, (b) remove the role's statement from the key policy, (c) disable the key,
// (d) change the role's trust policy and revoke its active sessions (aws:TokenIssueTime).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateRoleCommand, DeleteRolePolicyCommand, PutRolePolicyCommand, UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateGrantCommand, CreateKeyCommand, DecryptCommand, DisableKeyCommand, EnableKeyCommand, EncryptCommand,
  GenerateDataKeyCommand, PutKeyPolicyCommand, RevokeGrantCommand, type KMSClient,
} from '@aws-sdk/client-kms';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { clientsFor, createAccount, type Clients } from '../harness/accounts.js';
import { serverForFile, type RunningServer } from '../harness/server.js';
import { expectError } from './api-helpers.js';

const EXTERNAL_ID = 'provider-7f3a';
const CONTEXT = { provider: 'acme', purpose: 'backups' };

let server: RunningServer;
serverForFile(async (s) => {
  server = s;
  await setUp();
});

let customer: Clients & { accountId: string };
let provider: Clients & { accountId: string };
let roleArn = '';
let keyArn = '';

const statement = (sid: string, principal: string, action: string | string[], condition?: object): object => ({
  Sid: sid, Effect: 'Allow', Principal: { AWS: principal }, Action: action, Resource: '*', ...(condition ? { Condition: condition } : {}),
});
const keyPolicy = (withProviderRole: boolean): string => JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    statement('CustomerRoot', `arn:aws:iam::${customer.accountId}:root`, 'kms:*'),
    ...(withProviderRole
      ? [statement('ProviderRole', roleArn, ['kms:Decrypt', 'kms:GenerateDataKey'], { StringEquals: { 'kms:EncryptionContext:provider': 'acme' } })]
      : []),
  ],
});
const trustPolicy = (trusted: string): string => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: trusted }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } } }],
});

/** The provider's way in: assume the customer's role, then a KMS client on the session. */
async function assumeRole(sessionName = 'backup-job'): Promise<KMSClient> {
  const { Credentials: c } = await provider.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName, ExternalId: EXTERNAL_ID, DurationSeconds: 900 }));
  assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken, 'AssumeRole returned credentials');
  return clientsFor(server, { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken }).kms;
}

/** What the provider does for a living: a data key for a backup, and decrypting it again. */
async function providerWorks(kms: KMSClient): Promise<void> {
  const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: CONTEXT }));
  const again = await kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: CONTEXT }));
  assert.deepEqual(Buffer.from(again.Plaintext ?? []), Buffer.from(dataKey.Plaintext ?? []));
}
const providerEncrypts = (kms: KMSClient) => kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('record'), EncryptionContext: CONTEXT }));

async function setUp(): Promise<void> {
  const [c, p] = await Promise.all([createAccount(server, 'customer'), createAccount(server, 'provider')]);
  customer = { ...clientsFor(server, c.credentials), accountId: c.accountId };
  provider = { ...clientsFor(server, p.credentials), accountId: p.accountId };
  const role = await customer.iam.send(new CreateRoleCommand({ RoleName: 'provider-access', AssumeRolePolicyDocument: trustPolicy(`arn:aws:iam::${provider.accountId}:root`) }));
  roleArn = role.Role?.Arn ?? '';
  const key = await customer.kms.send(new CreateKeyCommand({ Description: 'customer-held key', Policy: keyPolicy(true) }));
  keyArn = key.KeyMetadata?.Arn ?? '';
  assert.match(keyArn, new RegExp(`^arn:aws:kms:us-east-1:${customer.accountId}:key/`));
}

test("the provider assumes the customer's role and works within the key policy's conditions", async () => {
  const kms = await assumeRole();
  const who = await clientsFor(server, await kms.config.credentials()).sts.send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, `arn:aws:sts::${customer.accountId}:assumed-role/provider-access/backup-job`);
  await providerWorks(kms);
  // Only with the provider's encryption context, and only the actions the statement names.
  await expectError(kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: { provider: 'other' } })), 'AccessDeniedException', 400);
  await expectError(providerEncrypts(kms), 'AccessDeniedException', 400);
  // The provider's own account has no say over the customer's key.
  await expectError(provider.kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: CONTEXT })), 'AccessDeniedException', 400);
  // And the role needs the external id.
  await expectError(provider.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'xx', ExternalId: 'wrong' })), 'AccessDenied', 403);
});

test('(a) a grant lets the role Encrypt; revoking it refuses the next call, a new grant restores it', async () => {
  const kms = await assumeRole();
  await expectError(providerEncrypts(kms), 'AccessDeniedException', 400);
  const grant = await customer.kms.send(new CreateGrantCommand({ KeyId: keyArn, GranteePrincipal: roleArn, Operations: ['Encrypt'], Constraints: { EncryptionContextSubset: { provider: 'acme' } } }));
  await providerEncrypts(kms);
  await customer.kms.send(new RevokeGrantCommand({ KeyId: keyArn, GrantId: grant.GrantId }));
  await expectError(providerEncrypts(kms), 'AccessDeniedException', 400);
  await customer.kms.send(new CreateGrantCommand({ KeyId: keyArn, GranteePrincipal: roleArn, Operations: ['Encrypt'] }));
  await providerEncrypts(kms);
});

test("(b) removing the role's statement from the key policy refuses the next call; putting it back restores it", async () => {
  const kms = await assumeRole();
  await providerWorks(kms);
  await customer.kms.send(new PutKeyPolicyCommand({ KeyId: keyArn, Policy: keyPolicy(false) }));
  await expectError(kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: CONTEXT })), 'AccessDeniedException', 400);
  await customer.kms.send(new PutKeyPolicyCommand({ KeyId: keyArn, Policy: keyPolicy(true) }));
  await providerWorks(kms);
});

test('(c) disabling the key refuses the next call; enabling it restores it', async () => {
  const kms = await assumeRole();
  await providerWorks(kms);
  await customer.kms.send(new DisableKeyCommand({ KeyId: keyArn }));
  await expectError(kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: CONTEXT })), 'DisabledException', 409);
  await customer.kms.send(new EnableKeyCommand({ KeyId: keyArn }));
  await providerWorks(kms);
});

test("(d) a changed trust policy refuses the next AssumeRole, revoking older sessions refuses the live one; undoing both restores access", async () => {
  const kms = await assumeRole('long-running');
  await providerWorks(kms);
  await customer.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'provider-access', PolicyDocument: trustPolicy(`arn:aws:iam::${customer.accountId}:root`) }));
  await new Promise((r) => setTimeout(r, 5)); // the cut-off lies strictly after the live session's issue time
  // What the IAM console's "Revoke active sessions" attaches to the role.
  await customer.iam.send(new PutRolePolicyCommand({
    RoleName: 'provider-access',
    PolicyName: 'AWSRevokeOlderSessions',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': new Date().toISOString() } } }] }),
  }));
  await expectError(provider.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'again', ExternalId: EXTERNAL_ID })), 'AccessDenied', 403);
  const refusal = await expectError(kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: CONTEXT })), 'AccessDeniedException', 400);
  assert.match(refusal.message, /with an explicit deny in an identity-based policy$/);

  await customer.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'provider-access', PolicyDocument: trustPolicy(`arn:aws:iam::${provider.accountId}:root`) }));
  await customer.iam.send(new DeleteRolePolicyCommand({ RoleName: 'provider-access', PolicyName: 'AWSRevokeOlderSessions' }));
  await providerWorks(await assumeRole('after-restore'));
  await providerWorks(kms);
});
