// Service-managed keys end to end: the administrator registers an integrated service with the real
// `keyhold services` CLI; customers' principals act through it with the official KMS SDK (the two
// headers added before signing), and get `alias/aws/<service>` created on first use. Customers read
// the key and its policy but cannot manage it, as with AWS managed keys. Two workers: a first use
// raced on both must still make one key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateAccessKeyCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import {
  CancelKeyDeletionCommand, CreateAliasCommand, DecryptCommand, DeleteAliasCommand, DescribeKeyCommand, DisableKeyCommand,
  DisableKeyRotationCommand, EnableKeyCommand, EnableKeyRotationCommand, EncryptCommand, GenerateDataKeyCommand, GetKeyPolicyCommand,
  GetKeyRotationStatusCommand, KMSClient, ListAliasesCommand, ListKeysCommand, PutKeyPolicyCommand, RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand, TagResourceCommand, UntagResourceCommand, UpdateAliasCommand, UpdateKeyDescriptionCommand, type AliasListEntry,
} from '@aws-sdk/client-kms';
import { clientsFor, createAccount, type Account, type Credentials } from '../harness/accounts.js';
import { cleanEnv, runToExit } from '../harness/keyhold-process.js';
import { serverForFile, testCredentials, type RunningServer } from '../harness/server.js';
import { createKey, expectError, text } from './api-helpers.js';

let server: RunningServer;
serverForFile((s) => void (server = s), { workers: 2 });

const DAY_MS = 86_400_000;
const tokens: Record<string, string> = {};

async function keyhold(args: string, credentials: Credentials = testCredentials): Promise<{ code: number | string; stdout: string; stderr: string }> {
  return runToExit(args.split(' '), cleanEnv({
    KEYHOLD_ENDPOINT: server.url, KEYHOLD_ADMIN_ACCESS_KEY_ID: credentials.accessKeyId, KEYHOLD_ADMIN_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  }));
}

/** A KMS client for `credentials` whose requests carry the integrated-service headers, added before
 *  the SDK signs (or after, with `signed: false`). */
function through(credentials: Credentials, service: string, token: string, options: { signed?: boolean; only?: 'name' | 'token' } = {}): KMSClient {
  const kms = new KMSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const addHeaders = <A extends { request: unknown }, R>(next: (args: A) => Promise<R>) => async (args: A): Promise<R> => {
    const { headers } = args.request as { headers: Record<string, string> };
    if (options.only !== 'token') headers['x-keyhold-via-service'] = service;
    if (options.only !== 'name') headers['x-keyhold-service-token'] = token;
    return next(args);
  };
  // The build step runs before the SDK signs in finalizeRequest; the deserialize step after it.
  if (options.signed === false) kms.middlewareStack.add(addHeaders, { step: 'deserialize', name: 'keyholdViaService' });
  else kms.middlewareStack.add(addHeaders, { step: 'build', name: 'keyholdViaService' });
  return kms;
}

/** An account with its root's clients and an IAM user `app` that has no IAM policy at all. */
async function customer(name: string): Promise<Account & { root: KMSClient; app: Credentials }> {
  const account = await createAccount(server, name);
  const { kms, iam } = clientsFor(server, account.credentials);
  await iam.send(new CreateUserCommand({ UserName: 'app' }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'app' }));
  assert.ok(AccessKey?.AccessKeyId && AccessKey.SecretAccessKey);
  return { ...account, root: kms, app: { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey } };
}

const reservedEntries = async (kms: KMSClient, limit?: number): Promise<AliasListEntry[]> => {
  const all: AliasListEntry[] = [];
  let Marker: string | undefined;
  do {
    const page = await kms.send(new ListAliasesCommand({ Limit: limit, Marker }));
    all.push(...(page.Aliases ?? []));
    Marker = page.NextMarker;
  } while (Marker !== undefined);
  return all.filter((a) => a.AliasName?.startsWith('alias/aws/'));
};

test('the administrator registers services with the CLI; each token is printed once and never logged', async () => {
  for (const name of ['media', 'backup']) {
    const { code, stdout, stderr } = await keyhold(`services register --name ${name}`);
    assert.equal(code, 0, stderr);
    const printed = JSON.parse(stdout) as { ServiceName: string; ServiceToken: string };
    assert.deepEqual(Object.keys(printed), ['ServiceName', 'ServiceToken']);
    assert.equal(printed.ServiceName, name);
    assert.match(printed.ServiceToken, /^khst_[A-Za-z0-9_-]{43}$/);
    tokens[name] = printed.ServiceToken;
  }
  assert.notEqual(tokens.media, tokens.backup);
  const again = await keyhold('services register --name media');
  assert.equal(again.code, 1);
  assert.match(again.stderr, /AlreadyExistsException: A service named 'media' is already registered/);
  assert.match((await keyhold('services register --name Media')).stderr, /--name must be a lower-case letter/);

  const listed = await keyhold('services list');
  assert.deepEqual((JSON.parse(listed.stdout) as { ServiceName: string }[]).map((s) => s.ServiceName), ['backup', 'media']);
  const table = (await keyhold('services list --output table')).stdout.trimEnd().split('\n');
  assert.match(table[0] ?? '', /^SERVICE\s+REGISTERED$/);
  assert.match(table[2] ?? '', /^media\s+\d{4}-\d\d-\d\dT/);
  for (const token of Object.values(tokens)) assert.equal(server.output().includes(token) || listed.stdout.includes(token), false);
});

test("an account's root cannot register a service: only the administrator may", async () => {
  const tenant = await createAccount(server, 'not-an-admin');
  const { code, stderr } = await keyhold('services register --name sneaky', tenant.credentials);
  assert.equal(code, 1);
  assert.match(stderr, /AccessDeniedException: User: arn:aws:iam::\d{12}:root is not authorized to perform: keyhold:RegisterService/);
  assert.equal((JSON.parse((await keyhold('services list')).stdout) as { ServiceName: string }[]).some((s) => s.ServiceName === 'sneaky'), false);
});

let a: Awaited<ReturnType<typeof customer>>;
let managed = { KeyId: '', Arn: '', CreationDate: new Date(0) };
let sealed: Uint8Array | undefined;

test('before its first use the reserved alias is listed without a target, and no key exists', async () => {
  a = await customer('media-customer');
  assert.deepEqual(await reservedEntries(a.root), [
    { AliasName: 'alias/aws/backup', AliasArn: `arn:aws:kms:us-east-1:${a.accountId}:alias/aws/backup` },
    { AliasName: 'alias/aws/media', AliasArn: `arn:aws:kms:us-east-1:${a.accountId}:alias/aws/media` },
  ]);
  assert.deepEqual(await reservedEntries(a.root, 1), await reservedEntries(a.root), 'a page of one lists each reserved alias once');
  assert.deepEqual((await a.root.send(new ListKeysCommand({}))).Keys, []);
});

test("through the service, a principal with no IAM policy gets the key on first use and uses it", async () => {
  const app = through(a.app, 'media', tokens.media ?? '');
  const { KeyMetadata: md } = await app.send(new DescribeKeyCommand({ KeyId: 'alias/aws/media' }));
  assert.ok(md?.KeyId && md.Arn && md.CreationDate);
  assert.deepEqual({ KeyManager: md.KeyManager, Description: md.Description, Origin: md.Origin, KeySpec: md.KeySpec, KeyState: md.KeyState, AWSAccountId: md.AWSAccountId }, {
    KeyManager: 'AWS', Description: 'Default key that protects my media data when no other key is defined', Origin: 'AWS_KMS',
    KeySpec: 'SYMMETRIC_DEFAULT', KeyState: 'Enabled', AWSAccountId: a.accountId,
  });
  managed = { KeyId: md.KeyId, Arn: md.Arn, CreationDate: md.CreationDate };
  assert.deepEqual((await a.root.send(new ListKeysCommand({}))).Keys?.map((k) => k.KeyId), [md.KeyId]);

  const encrypted = await app.send(new EncryptCommand({ KeyId: 'alias/aws/media', Plaintext: Buffer.from('a film') }));
  assert.equal(encrypted.KeyId, md.Arn);
  sealed = encrypted.CiphertextBlob;
  assert.equal(text((await app.send(new DecryptCommand({ CiphertextBlob: sealed }))).Plaintext), 'a film');
  const byArn = await app.send(new GenerateDataKeyCommand({ KeyId: `arn:aws:kms:us-east-1:${a.accountId}:alias/aws/media`, KeySpec: 'AES_256' }));
  assert.equal(byArn.KeyId, md.Arn);
  assert.equal(text((await app.send(new DecryptCommand({ CiphertextBlob: byArn.CiphertextBlob }))).Plaintext), text(byArn.Plaintext));
});

test('without the headers, with a wrong or another service\'s token, or with unsigned headers, the request is refused', async () => {
  const direct = clientsFor(server, a.app).kms;
  await expectError(direct.send(new EncryptCommand({ KeyId: 'alias/aws/media', Plaintext: Buffer.from('x') })), 'AccessDeniedException', 400);
  await expectError(direct.send(new DecryptCommand({ CiphertextBlob: sealed })), 'AccessDeniedException', 400);
  await expectError(a.root.send(new DecryptCommand({ CiphertextBlob: sealed })), 'AccessDeniedException', 400);

  const media = tokens.media ?? '';
  const wrong = `${media.slice(0, -1)}${media.endsWith('A') ? 'B' : 'A'}`;
  const refusals: [string, KMSClient][] = [
    ['a wrong token', through(a.app, 'media', wrong)],
    ["another service's token", through(a.app, 'media', tokens.backup ?? '')],
    ['an unregistered service', through(a.app, 'photos', media)],
    ['the name without a token', through(a.app, 'media', media, { only: 'name' })],
    ['a token without the name', through(a.app, 'media', media, { only: 'token' })],
  ];
  for (const [what, client] of refusals) {
    // Refused at the edge: even what the root could do directly (DescribeKey) fails.
    const failure = await expectError(client.send(new DescribeKeyCommand({ KeyId: managed.KeyId })), 'AccessDeniedException', 400);
    assert.match(failure.message, /does not prove the request came through it/, what);
    assert.equal(failure.message.includes(wrong) || failure.message.includes(media), false, `${what}: the token was echoed`);
  }
  const unsigned = await expectError(through(a.app, 'media', media, { signed: false }).send(new EncryptCommand({ KeyId: 'alias/aws/media', Plaintext: Buffer.from('x') })), 'AccessDeniedException', 400);
  assert.match(unsigned.message, /must be signed/);
  assert.equal(server.output().includes(wrong) || server.output().includes(media), false, 'a token reached the logs');
});

test('the account root reads the key, its policy and its rotation; the reserved alias now has a target', async () => {
  const { KeyMetadata } = await a.root.send(new DescribeKeyCommand({ KeyId: managed.KeyId }));
  assert.equal(KeyMetadata?.KeyManager, 'AWS');
  const policy = JSON.parse((await a.root.send(new GetKeyPolicyCommand({ KeyId: managed.KeyId }))).Policy ?? '') as { Statement: { Principal: unknown; Action: string[]; Condition?: unknown }[] };
  assert.deepEqual(policy.Statement.map((s) => [s.Principal, s.Action, s.Condition]), [
    [{ AWS: '*' }, ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
      { StringEquals: { 'kms:ViaService': 'media.us-east-1.amazonaws.com', 'kms:CallerAccount': a.accountId } }],
    [{ AWS: `arn:aws:iam::${a.accountId}:root` }, ['kms:Describe*', 'kms:Get*', 'kms:List*'], undefined],
  ]);
  const rotation = await a.root.send(new GetKeyRotationStatusCommand({ KeyId: managed.KeyId }));
  assert.equal(rotation.KeyRotationEnabled, true);
  assert.equal(rotation.RotationPeriodInDays, 365);
  assert.equal(rotation.NextRotationDate?.getTime(), managed.CreationDate.getTime() + 365 * DAY_MS);

  const [backup, media] = await reservedEntries(a.root);
  assert.equal(backup?.TargetKeyId, undefined);
  assert.equal(media?.TargetKeyId, managed.KeyId);
  assert.ok(media?.CreationDate instanceof Date);
  const ofKey = (await a.root.send(new ListAliasesCommand({ KeyId: managed.KeyId }))).Aliases;
  assert.deepEqual(ofKey?.map((x) => x.AliasName), ['alias/aws/media']);
});

test('no one manages it: its policy, state, deletion, rotation, description, tags and aliases are refused', async () => {
  const { KeyId } = managed;
  const customerKey = await createKey(a.root);
  const manage: [string, (kms: KMSClient) => Promise<unknown>][] = [
    ['PutKeyPolicy', (kms) => kms.send(new PutKeyPolicyCommand({ KeyId, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }] }) }))],
    ['DisableKey', (kms) => kms.send(new DisableKeyCommand({ KeyId }))],
    ['EnableKey', (kms) => kms.send(new EnableKeyCommand({ KeyId }))],
    ['ScheduleKeyDeletion', (kms) => kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }))],
    ['CancelKeyDeletion', (kms) => kms.send(new CancelKeyDeletionCommand({ KeyId }))],
    ['EnableKeyRotation', (kms) => kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 90 }))],
    ['DisableKeyRotation', (kms) => kms.send(new DisableKeyRotationCommand({ KeyId }))],
    ['RotateKeyOnDemand', (kms) => kms.send(new RotateKeyOnDemandCommand({ KeyId }))],
    ['UpdateKeyDescription', (kms) => kms.send(new UpdateKeyDescriptionCommand({ KeyId, Description: 'mine now' }))],
    ['TagResource', (kms) => kms.send(new TagResourceCommand({ KeyId, Tags: [{ TagKey: 'owner', TagValue: 'me' }] }))],
    ['UntagResource', (kms) => kms.send(new UntagResourceCommand({ KeyId, TagKeys: ['owner'] }))],
    ['CreateAlias', (kms) => kms.send(new CreateAliasCommand({ AliasName: 'alias/my-media', TargetKeyId: KeyId }))],
  ];
  for (const [, call] of manage) {
    await expectError(call(a.root), 'AccessDeniedException', 400);
    await expectError(call(through(a.app, 'media', tokens.media ?? '')), 'AccessDeniedException', 400);
  }
  // The reserved alias itself can be neither deleted nor moved to a customer key.
  await expectError(a.root.send(new DeleteAliasCommand({ AliasName: 'alias/aws/media' })), 'InvalidAliasNameException', 400);
  await expectError(a.root.send(new UpdateAliasCommand({ AliasName: 'alias/aws/media', TargetKeyId: customerKey.KeyId })), 'InvalidAliasNameException', 400);

  const { KeyMetadata } = await a.root.send(new DescribeKeyCommand({ KeyId: 'alias/aws/media' }));
  assert.deepEqual([KeyMetadata?.KeyId, KeyMetadata?.KeyState, KeyMetadata?.Description], [KeyId, 'Enabled', 'Default key that protects my media data when no other key is defined']);
  assert.equal((await a.root.send(new GetKeyRotationStatusCommand({ KeyId }))).RotationPeriodInDays, 365);
  assert.equal(text((await through(a.app, 'media', tokens.media ?? '').send(new DecryptCommand({ CiphertextBlob: sealed }))).Plaintext), 'a film');
});

test('concurrent first uses in a new account, on both workers, make one key', async () => {
  const b = await customer('media-rush');
  const results = await Promise.all(Array.from({ length: 12 }, (_, i) =>
    through(b.app, 'media', tokens.media ?? '').send(new EncryptCommand({ KeyId: i % 2 === 0 ? 'alias/aws/media' : `arn:aws:kms:us-east-1:${b.accountId}:alias/aws/media`, Plaintext: Buffer.from(`item ${i}`) }))));
  assert.equal(new Set(results.map((r) => r.KeyId)).size, 1);
  const keys = (await b.root.send(new ListKeysCommand({}))).Keys ?? [];
  assert.deepEqual(keys.map((k) => k.KeyArn), [results[0]?.KeyId]);
  assert.notEqual(results[0]?.KeyId, managed.Arn, "each account has its own service's key");
});

test("an unregistered service's alias is NotFound; no account can create another's key or use it through the service", async () => {
  await expectError(a.root.send(new DescribeKeyCommand({ KeyId: 'alias/aws/photos' })), 'NotFoundException', 404);
  await expectError(through(a.app, 'media', tokens.media ?? '').send(new EncryptCommand({ KeyId: 'alias/aws/photos', Plaintext: Buffer.from('x') })), 'NotFoundException', 404);

  const c = await customer('media-neighbour');
  const fresh = await customer('media-unused');
  // Naming another account's reserved alias does not create its key there.
  await expectError(through(c.app, 'media', tokens.media ?? '').send(new EncryptCommand({ KeyId: `arn:aws:kms:us-east-1:${fresh.accountId}:alias/aws/media`, Plaintext: Buffer.from('x') })), 'NotFoundException', 404);
  assert.deepEqual((await fresh.root.send(new ListKeysCommand({}))).Keys, []);
  // Another account's existing managed key: its policy requires kms:CallerAccount to be its own.
  await expectError(through(c.app, 'media', tokens.media ?? '').send(new EncryptCommand({ KeyId: managed.Arn, Plaintext: Buffer.from('x') })), 'AccessDeniedException', 400);
});
