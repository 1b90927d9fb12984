// Accounts, end to end: the real `keyhold accounts` CLI against the real server, and the official
// KMS SDK signing with the credentials the CLI printed. A new account sees only its own keys; a
// disabled account's credentials stop working on the next request; only the administrator may
// call the administrator API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, KMSClient, ListKeysCommand,
} from '@aws-sdk/client-kms';
import { cleanEnv, runToExit, spawnKeyhold, waitHealthy } from '../harness/keyhold-process.js';
import { rawHttp, signHeaders } from '../harness/raw-http.js';
import { freePort, removeDir, serverForFile, tempDir, testCredentials, type RunningServer } from '../harness/server.js';

let server: RunningServer;
let admin: KMSClient;
// Two workers: a change made through one must be in force on the other's next request.
serverForFile((s) => {
  server = s;
  admin = s.client();
}, { workers: 2 });

interface Created {
  readonly AccountId: string;
  readonly AccessKeyId: string;
  readonly SecretAccessKey: string;
}

const asAdmin = (add: Record<string, string> = {}): NodeJS.ProcessEnv => cleanEnv({
  KEYHOLD_ENDPOINT: server.url,
  KEYHOLD_ADMIN_ACCESS_KEY_ID: testCredentials.accessKeyId,
  KEYHOLD_ADMIN_SECRET_ACCESS_KEY: testCredentials.secretAccessKey,
  ...add,
});

async function keyhold(args: string, env: NodeJS.ProcessEnv = asAdmin()): Promise<{ code: number | string; stdout: string; stderr: string }> {
  return runToExit(args.split(' '), env);
}

async function createAccount(name: string): Promise<Created> {
  const { code, stdout, stderr } = await keyhold(`accounts create --name ${name}`);
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
  const created = JSON.parse(stdout) as Created;
  assert.deepEqual(Object.keys(created), ['AccountId', 'AccessKeyId', 'SecretAccessKey']);
  return created;
}

const clientFor = (c: Created): KMSClient =>
  new KMSClient({ endpoint: server.url, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey } });

async function failsWith(call: Promise<unknown>, ...names: string[]): Promise<string> {
  try {
    await call;
  } catch (err) {
    assert.ok(names.includes((err as Error).name), `${(err as Error).name}: ${(err as Error).message}`);
    return (err as Error).name;
  }
  return assert.fail(`the call succeeded; expected ${names.join(' or ')}`);
}

test("a new account's root credentials work with the KMS SDK, in that account only", async () => {
  const adminKey = (await admin.send(new CreateKeyCommand({ Description: "the default account's" }))).KeyMetadata;
  const adminCiphertext = (await admin.send(new EncryptCommand({ KeyId: adminKey?.KeyId, Plaintext: Buffer.from('admin data') }))).CiphertextBlob;

  const created = await createAccount('tenant-one');
  assert.match(created.AccountId, /^\d{12}$/);
  assert.notEqual(created.AccountId, '000000000000');
  assert.match(created.AccessKeyId, /^AKIA[A-Z0-9]{16}$/);
  assert.equal(created.SecretAccessKey.length, 40);
  assert.equal(server.output().includes(created.SecretAccessKey), false, 'the server printed or logged the secret');

  const tenant = clientFor(created);
  try {
    const key = (await tenant.send(new CreateKeyCommand({ Description: 'tenant key' }))).KeyMetadata;
    assert.equal(key?.AWSAccountId, created.AccountId);
    assert.match(key?.Arn ?? '', new RegExp(`^arn:aws:kms:us-east-1:${created.AccountId}:key/${key?.KeyId}$`));
    const { CiphertextBlob, KeyId } = await tenant.send(new EncryptCommand({ KeyId: key?.KeyId, Plaintext: Buffer.from('tenant data') }));
    assert.equal(KeyId, key?.Arn);
    const plain = await tenant.send(new DecryptCommand({ CiphertextBlob }));
    assert.equal(Buffer.from(plain.Plaintext ?? []).toString(), 'tenant data');

    // Each account lists only its own keys.
    const tenantKeys = (await tenant.send(new ListKeysCommand({}))).Keys ?? [];
    assert.deepEqual(tenantKeys.map((k) => k.KeyArn), [key?.Arn]);
    const adminKeys = (await admin.send(new ListKeysCommand({ Limit: 1000 }))).Keys ?? [];
    assert.ok(adminKeys.some((k) => k.KeyArn === adminKey?.Arn));
    assert.equal(adminKeys.some((k) => k.KeyArn === key?.Arn), false, "the default account lists the tenant's key");

    // Another account's key, without a policy that lets this account in, is out of reach, as in AWS.
    await failsWith(tenant.send(new DescribeKeyCommand({ KeyId: adminKey?.Arn })), 'AccessDeniedException', 'NotFoundException');
    await failsWith(tenant.send(new DescribeKeyCommand({ KeyId: adminKey?.KeyId })), 'NotFoundException');
    await failsWith(tenant.send(new EncryptCommand({ KeyId: adminKey?.Arn, Plaintext: Buffer.from('x') })), 'AccessDeniedException', 'NotFoundException');
    await failsWith(tenant.send(new DecryptCommand({ CiphertextBlob: adminCiphertext })), 'AccessDeniedException', 'InvalidCiphertextException');
  } finally {
    tenant.destroy();
  }
});

test('list shows every account, as JSON or as a table', async () => {
  const created = await createAccount('tenant-listed');
  const json = await keyhold('accounts list');
  assert.equal(json.code, 0, json.stderr);
  const rows = JSON.parse(json.stdout) as { AccountId: string; Name: string; Status: string; CreationDate: string }[];
  assert.deepEqual(rows.find((r) => r.AccountId === '000000000000')?.Name, 'default');
  const row = rows.find((r) => r.AccountId === created.AccountId);
  assert.deepEqual({ ...row, CreationDate: undefined }, { AccountId: created.AccountId, Name: 'tenant-listed', Status: 'Active', CreationDate: undefined });
  assert.ok(Math.abs(Date.parse(row?.CreationDate ?? '') - Date.now()) < 60_000, row?.CreationDate);
  assert.equal(json.stdout.includes(created.SecretAccessKey), false);

  const table = await keyhold('accounts list --output table');
  assert.equal(table.code, 0, table.stderr);
  const lines = table.stdout.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^ACCOUNT ID\s+NAME\s+STATUS\s+CREATED$/);
  assert.ok(lines.some((l) => new RegExp(`^${created.AccountId}\\s+tenant-listed\\s+Active\\s+\\d{4}-`).test(l)), table.stdout);
});

test("a non-administrator, even an account's root, is refused the administrator API", async () => {
  const created = await createAccount('tenant-not-admin');
  const env = asAdmin({ KEYHOLD_ADMIN_ACCESS_KEY_ID: created.AccessKeyId, KEYHOLD_ADMIN_SECRET_ACCESS_KEY: created.SecretAccessKey });
  for (const args of ['accounts list', 'accounts create --name sneaky', `accounts disable --account-id ${created.AccountId}`]) {
    const { code, stdout, stderr } = await keyhold(args, env);
    assert.equal(code, 1, args);
    assert.equal(stdout, '');
    assert.match(stderr, new RegExp(`^keyhold: AccessDeniedException: User: arn:aws:iam::${created.AccountId}:root is not authorized to perform: keyhold:\\w+`));
    assert.equal(stderr.includes(created.SecretAccessKey), false);
  }
  const names = (JSON.parse((await keyhold('accounts list')).stdout) as { Name: string }[]).map((a) => a.Name);
  assert.equal(names.includes('sneaky'), false);
});

test('disable: the account\'s next KMS request is refused as UnrecognizedClientException; enable restores it', async () => {
  const created = await createAccount('tenant-disabled');
  const tenant = clientFor(created);
  try {
    const key = (await tenant.send(new CreateKeyCommand({}))).KeyMetadata;
    const disabled = await keyhold(`accounts disable --account-id ${created.AccountId}`);
    assert.deepEqual(disabled, { code: 0, stdout: '', stderr: '' });
    // Several requests, so that both workers answer at least one.
    for (let i = 0; i < 4; i++) await failsWith(tenant.send(new DescribeKeyCommand({ KeyId: key?.KeyId })), 'UnrecognizedClientException');
    const rows = JSON.parse((await keyhold('accounts list')).stdout) as { AccountId: string; Status: string }[];
    assert.equal(rows.find((r) => r.AccountId === created.AccountId)?.Status, 'Disabled');

    const enabled = await keyhold(`accounts enable --account-id ${created.AccountId}`);
    assert.equal(enabled.code, 0, enabled.stderr);
    for (let i = 0; i < 4; i++) assert.equal((await tenant.send(new DescribeKeyCommand({ KeyId: key?.KeyId }))).KeyMetadata?.Arn, key?.Arn);
  } finally {
    tenant.destroy();
  }
});

test("the administrator's own account cannot be disabled, and an unknown account is not found", async () => {
  const own = await keyhold('accounts disable --account-id 000000000000');
  assert.equal(own.code, 1);
  assert.match(own.stderr, /^keyhold: ValidationException: The administrator's own account cannot be disabled\.\n$/);
  const unknown = await keyhold('accounts disable --account-id 999999999999');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^keyhold: NotFoundException: /);
  await admin.send(new ListKeysCommand({})); // the administrator still works
});

test('a duplicate name is refused with an error exit', async () => {
  await createAccount('tenant-dup');
  const again = await keyhold('accounts create --name TENANT-DUP');
  assert.equal(again.code, 1);
  assert.equal(again.stdout, '');
  assert.match(again.stderr, /^keyhold: AlreadyExistsException: An account named 'TENANT-DUP' already exists/);
  const bad = await keyhold('accounts create --name');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^keyhold: /);
});

test('the administrator API answers malformed requests with 4xx AWS JSON errors, never 500', async () => {
  const send = async (target: string, body: string, over: { contentType?: string; service?: string } = {}): Promise<{ status: number; type: string | undefined }> => {
    const headers = { 'content-type': over.contentType ?? 'application/x-amz-json-1.1', 'x-amz-target': target };
    const signed = await signHeaders(server.port, { headers, body }, { service: over.service ?? 'keyhold' });
    const res = await rawHttp({ port: server.port, headers: signed, body });
    return { status: res.status, type: (JSON.parse(res.text) as { __type?: string }).__type };
  };
  assert.deepEqual(await send('KeyholdAdmin.DeleteEverything', '{}'), { status: 400, type: 'UnknownOperationException' });
  assert.deepEqual(await send('TrentService.ListKeys', '{}'), { status: 400, type: 'UnknownOperationException' });
  assert.deepEqual(await send('KeyholdAdmin.CreateAccount', '{"Name":'), { status: 400, type: 'SerializationException' });
  assert.deepEqual(await send('KeyholdAdmin.CreateAccount', '[]'), { status: 400, type: 'SerializationException' });
  assert.deepEqual(await send('KeyholdAdmin.CreateAccount', '{"Name":1}'), { status: 400, type: 'SerializationException' });
  assert.deepEqual(await send('KeyholdAdmin.CreateAccount', '{"Name":"","__proto__":{}}'), { status: 400, type: 'ValidationException' });
  assert.deepEqual(await send('KeyholdAdmin.CreateAccount', '{"Name":"x"}', { contentType: 'text/plain' }), { status: 400, type: 'SerializationException' });
  assert.deepEqual(await send('KeyholdAdmin.ListAccounts', '{"Marker":"nope"}'), { status: 400, type: 'InvalidMarkerException' });
  assert.deepEqual(await send('KeyholdAdmin.DisableAccount', '{"AccountId":"12"}'), { status: 400, type: 'ValidationException' });
  // Signed for KMS, the administrator's targets are not KMS operations.
  assert.deepEqual(await send('KeyholdAdmin.ListAccounts', '{}', { service: 'kms' }), { status: 400, type: 'UnknownOperationException' });
  // An empty body is an empty request, as for KMS.
  assert.deepEqual(await send('KeyholdAdmin.ListAccounts', ''), { status: 200, type: undefined });
});

test('without KEYHOLD_ADMIN_* the CLI uses the credentials file the server wrote in its data dir', async () => {
  const dataDir = tempDir();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const serve = spawnKeyhold(['serve', '--port', String(port), '--data-dir', dataDir, '--workers', '1'], cleanEnv({ KEYHOLD_LOG_LEVEL: 'warn' }));
  try {
    await waitHealthy(serve, url);
    const env = cleanEnv({ KEYHOLD_ENDPOINT: url });
    const created = await runToExit(['accounts', 'create', '--name', 'from-file', '--data-dir', dataDir], env);
    assert.equal(created.code, 0, created.stderr);
    const { AccountId } = JSON.parse(created.stdout) as Created;
    const listed = await runToExit(['accounts', 'list'], cleanEnv({ KEYHOLD_ENDPOINT: url, KEYHOLD_DATA_DIR: dataDir }));
    assert.ok((JSON.parse(listed.stdout) as { AccountId: string }[]).some((a) => a.AccountId === AccountId), listed.stdout);

    // No credentials at all: a clear refusal, before any request.
    const none = await runToExit(['accounts', 'list', '--data-dir', tempDir()], env);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^keyhold: no administrator credentials: set KEYHOLD_ADMIN_ACCESS_KEY_ID and KEYHOLD_ADMIN_SECRET_ACCESS_KEY/);
  } finally {
    assert.equal(await serve.stop(), 0);
    removeDir(dataDir);
  }
});

test('an unreachable endpoint is an error exit naming it', async () => {
  const port = await freePort();
  const { code, stdout, stderr } = await keyhold('accounts list', asAdmin({ KEYHOLD_ENDPOINT: `http://127.0.0.1:${port}` }));
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.match(stderr, new RegExp(`^keyhold: cannot reach http://127.0.0.1:${port}: ECONNREFUSED`));
});
