// STS AssumeRole driven by the official SDKs against a real keyhold: the temporary credentials it
// issues sign KMS, IAM and STS requests as the role's session, within the role's policies and
// the session policy, until they expire, are tampered with, or the role is deleted.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CreateRoleCommand, DeleteRoleCommand, DeleteRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, type AssumeRoleCommandInput, type AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { clientsFor, createAccount, type Credentials } from '../harness/accounts.js';
import { startInProcess } from '../harness/in-process.js';
import { removeDir, serverForFile, tempDir, testCredentials, type RunningServer } from '../harness/server.js';
import { createKey, expectError } from './api-helpers.js';
import { filesUnder } from '../harness/files.js';

const ACCOUNT = '000000000000';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;

let server: RunningServer;
let iam: IAMClient;
let sts: STSClient;
let kms: KMSClient;
serverForFile((s) => {
  server = s;
  ({ iam, sts, kms } = clientsFor(s, testCredentials));
});

const policy = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const trusting = (principal: string, over: object = {}): string => policy({ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole', ...over });
const allow = (action: string | string[]): string => policy({ Effect: 'Allow', Action: action, Resource: '*' });

let roles = 0;
/** A new role of the administrator's account; `kmsPolicy` is put as its inline policy. */
async function createRole(trustPolicy = trusting(ROOT), options: { kmsPolicy?: string; maxSessionDuration?: number } = {}): Promise<string> {
  const name = `sts-role-${++roles}`;
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustPolicy, MaxSessionDuration: options.maxSessionDuration }));
  assert.ok(Role?.Arn);
  if (options.kmsPolicy !== undefined) await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'kms', PolicyDocument: options.kmsPolicy }));
  return Role.Arn;
}

/** The credentials in an AssumeRole response, as the SDK clients take them. */
function credentialsIn(out: AssumeRoleCommandOutput): Credentials {
  const c = out.Credentials;
  assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/** AssumeRole with `client` (the administrator's by default); the credentials it returns. */
async function assume(input: Omit<AssumeRoleCommandInput, 'RoleSessionName'> & { RoleSessionName?: string }, client = sts): Promise<Credentials> {
  return credentialsIn(await client.send(new AssumeRoleCommand({ RoleSessionName: 'session', ...input })));
}

const deniedMessage = (caller: string, roleArn: string): string => `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;

test('AssumeRole returns AWS-shaped credentials, and GetCallerIdentity with them names the session', async () => {
  const roleArn = await createRole();
  const started = Date.now();
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'first-session' }));
  const c = out.Credentials;
  assert.match(c?.AccessKeyId ?? '', /^ASIA[A-Z2-7]{16}$/);
  assert.equal(c?.SecretAccessKey?.length, 40);
  assert.ok((c?.SessionToken?.length ?? 0) >= 300);
  const lifetime = (c?.Expiration?.getTime() ?? 0) - started;
  assert.ok(lifetime > 3590_000 && lifetime <= 3610_000, `an hour by default, not ${lifetime} ms`);
  const name = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/first-session`);
  assert.match(out.AssumedRoleUser?.AssumedRoleId ?? '', /^AROA[A-Z0-9]+:first-session$/);

  const who = await clientsFor(server, credentialsIn(out)).sts.send(new GetCallerIdentityCommand({}));
  assert.deepEqual([who.Account, who.Arn, who.UserId], [ACCOUNT, out.AssumedRoleUser?.Arn, out.AssumedRoleUser?.AssumedRoleId]);
});

test('neither the store nor the server\'s output holds a session\'s secret or token', async () => {
  const c = await assume({ RoleArn: await createRole(), RoleSessionName: 'secretive' });
  await clientsFor(server, c).sts.send(new GetCallerIdentityCommand({}));
  const secrets = [c.secretAccessKey, c.sessionToken ?? ''].map((v) => Buffer.from(v));
  for (const file of filesUnder(server.dataDir)) {
    const bytes = readFileSync(join(server.dataDir, file));
    for (const secret of secrets) assert.equal(bytes.includes(secret), false, `${file} holds a session secret`);
  }
  for (const secret of secrets) assert.equal(server.output().includes(secret.toString()), false);
});

test('fromTemporaryCredentials drives a KMSClient through AssumeRole on keyhold itself', async () => {
  const roleArn = await createRole(trusting(ROOT), { kmsPolicy: allow('kms:*') });
  const key = await createKey(kms);
  const credentials = fromTemporaryCredentials({
    params: { RoleArn: roleArn, RoleSessionName: 'sdk-provider', DurationSeconds: 900 },
    masterCredentials: testCredentials,
    clientConfig: { endpoint: server.url, region: 'us-east-1' },
  });
  const sessionKms = new KMSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const { CiphertextBlob } = await sessionKms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('via provider') }));
  const { Plaintext } = await sessionKms.send(new DecryptCommand({ CiphertextBlob }));
  assert.equal(Buffer.from(Plaintext ?? []).toString(), 'via provider');
  const who = await new STSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 }).send(new GetCallerIdentityCommand({}));
  assert.match(who.Arn ?? '', /:assumed-role\/sts-role-\d+\/sdk-provider$/);
});

test('a trust policy with an sts:ExternalId condition refuses a missing or wrong ExternalId and accepts the right one', async () => {
  const roleArn = await createRole(trusting(ROOT, { Condition: { StringEquals: { 'sts:ExternalId': 'ext-42-secret' } } }));
  for (const ExternalId of [undefined, 'ext-41-secret']) {
    const refusal = await expectError(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sx', ExternalId })), 'AccessDenied', 403);
    assert.equal(refusal.message, deniedMessage(ROOT, roleArn));
  }
  await assume({ RoleArn: roleArn, ExternalId: 'ext-42-secret' });
});

test('a trust policy naming another principal, and a role that does not exist, are refused alike', async () => {
  const roleArn = await createRole(trusting(`arn:aws:iam::${ACCOUNT}:role/someone-else`));
  const notTrusted = await expectError(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sx' })), 'AccessDenied', 403);
  assert.equal(notTrusted.message, deniedMessage(ROOT, roleArn));
  const missing = `arn:aws:iam::${ACCOUNT}:role/no-such-role`;
  const noRole = await expectError(sts.send(new AssumeRoleCommand({ RoleArn: missing, RoleSessionName: 'sx' })), 'AccessDenied', 403);
  assert.equal(noRole.message, deniedMessage(ROOT, missing));
});

test('DurationSeconds: 900 up to the role\'s MaxSessionDuration; one hour at most when chaining roles', async () => {
  const roleArn = await createRole(trusting(ROOT), { maxSessionDuration: 7200 });
  const tooShort = await expectError(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sx', DurationSeconds: 899 })), 'ValidationError', 400);
  assert.equal(tooShort.message, "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
  const tooLong = await expectError(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sx', DurationSeconds: 7201 })), 'ValidationError', 400);
  assert.equal(tooLong.message, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sx', DurationSeconds: 7200 }));
  const lifetime = (Credentials?.Expiration?.getTime() ?? 0) - Date.now();
  assert.ok(lifetime > 7190_000 && lifetime <= 7200_000, `two hours, not ${lifetime} ms`);

  const chainedArn = await createRole(trusting(roleArn), { maxSessionDuration: 7200 });
  const session = clientsFor(server, await assume({ RoleArn: roleArn })).sts;
  const chained = await expectError(session.send(new AssumeRoleCommand({ RoleArn: chainedArn, RoleSessionName: 'hop', DurationSeconds: 3601 })), 'ValidationError', 400);
  assert.equal(chained.message, 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  await assume({ RoleArn: chainedArn, DurationSeconds: 3600 }, session);
});

test('a tampered session token is refused by KMS and STS', async () => {
  const roleArn = await createRole(trusting(ROOT), { kmsPolicy: allow('kms:*') });
  const c = await assume({ RoleArn: roleArn });
  const token = c.sessionToken ?? '';
  const tampered = { ...c, sessionToken: token.slice(0, 100) + (token[100] === 'A' ? 'B' : 'A') + token.slice(101) };
  const clients = clientsFor(server, tampered);
  await expectError(clients.kms.send(new EncryptCommand({ KeyId: (await createKey(kms)).KeyId, Plaintext: Buffer.from('x') })), 'UnrecognizedClientException', 400);
  await expectError(clients.sts.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403);
  await expectError(clientsFor(server, { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }).kms.send(new EncryptCommand({ KeyId: 'alias/none', Plaintext: Buffer.from('x') })), 'UnrecognizedClientException', 400);
});

test('the role\'s inline policy lets its sessions use KMS under the default key policy; a session policy narrows it', async () => {
  const roleArn = await createRole(trusting(ROOT), { kmsPolicy: allow('kms:*') });
  const key = await createKey(kms);
  const full = clientsFor(server, await assume({ RoleArn: roleArn, RoleSessionName: 'full' })).kms;
  const { CiphertextBlob } = await full.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('payload') }));
  await full.send(new DecryptCommand({ CiphertextBlob }));

  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'narrow', Policy: allow('kms:Encrypt') }));
  assert.ok((out.PackedPolicySize ?? 0) > 0 && (out.PackedPolicySize ?? 0) <= 100);
  const narrow = clientsFor(server, credentialsIn(out)).kms;
  await narrow.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('payload') }));
  const refusal = await expectError(narrow.send(new DecryptCommand({ CiphertextBlob })), 'AccessDeniedException', 400);
  assert.equal(refusal.message, `User: ${out.AssumedRoleUser?.Arn} is not authorized to perform: kms:Decrypt on resource: ${key.Arn} because no session policy allows the kms:Decrypt action`);
  // A malformed session policy is refused before any credentials exist.
  await expectError(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sx', Policy: '{"Statement":[]' })), 'MalformedPolicyDocumentException', 400);
});

test('deleting the role ends its sessions at once', async () => {
  const roleArn = await createRole(trusting(ROOT), { kmsPolicy: allow('kms:*') });
  const key = await createKey(kms);
  const session = clientsFor(server, await assume({ RoleArn: roleArn }));
  await session.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
  const name = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  await iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: 'kms' }));
  await iam.send(new DeleteRoleCommand({ RoleName: name }));
  await expectError(session.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') })), 'UnrecognizedClientException', 400);
  await expectError(session.sts.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403);
});

test('cross-account: another account\'s root assumes a role that trusts it, and acts in the role\'s account', async () => {
  const partner = await createAccount(server, 'sts-partner');
  const partnerSts = clientsFor(server, partner.credentials).sts;
  const partnerRoot = `arn:aws:iam::${partner.accountId}:root`;
  const shared = await createRole(trusting(partnerRoot));
  const who = await clientsFor(server, await assume({ RoleArn: shared, RoleSessionName: 'partner' }, partnerSts)).sts.send(new GetCallerIdentityCommand({}));
  assert.equal(who.Account, ACCOUNT);
  assert.equal(who.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/${shared.slice(shared.lastIndexOf('/') + 1)}/partner`);
  // A role trusting only its own account does not let the partner in.
  const local = await createRole(trusting(ROOT));
  const refusal = await expectError(partnerSts.send(new AssumeRoleCommand({ RoleArn: local, RoleSessionName: 'sx' })), 'AccessDenied', 403);
  assert.equal(refusal.message, deniedMessage(partnerRoot, local));
});

test('a session is refused once it expires (in-process server, test clock)', async () => {
  const dataDir = tempDir();
  const local = await startInProcess(dataDir);
  try {
    // The SDKs sign with real time; each client is told how far the test clock has moved.
    const config = (credentials: Credentials) => ({ endpoint: local.url, region: 'us-east-1', credentials, maxAttempts: 1, systemClockOffset: local.clock.now().getTime() - Date.now() });
    const admin = { iam: new IAMClient(config(testCredentials)), sts: new STSClient(config(testCredentials)), kms: new KMSClient(config(testCredentials)) };
    const { Role } = await admin.iam.send(new CreateRoleCommand({ RoleName: 'short-lived', AssumeRolePolicyDocument: trusting(ROOT) }));
    await admin.iam.send(new PutRolePolicyCommand({ RoleName: 'short-lived', PolicyName: 'kms', PolicyDocument: allow('kms:*') }));
    const key = await createKey(admin.kms);
    const c = await assume({ RoleArn: Role?.Arn, DurationSeconds: 900 }, admin.sts);
    local.clock.advance(899_000);
    await new KMSClient(config(c)).send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
    local.clock.advance(1_000);
    const expired = await expectError(new KMSClient(config(c)).send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') })), 'ExpiredTokenException', 400);
    assert.equal(expired.message, 'The security token included in the request is expired');
    await expectError(new STSClient(config(c)).send(new GetCallerIdentityCommand({})), 'ExpiredToken', 400);
  } finally {
    await local.close();
    removeDir(dataDir);
  }
});
