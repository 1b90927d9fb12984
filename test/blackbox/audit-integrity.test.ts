// What the audit trail promises beyond its shape: no secret ever reaches it (or the store, or the
// log); a request whose event cannot be written fails rather than run unrecorded; and after
// kill -9 every response a client received has its event.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { CreateGrantCommand, EncryptCommand, type EncryptCommandOutput, GenerateDataKeyCommand, GenerateMacCommand, SignCommand } from '@aws-sdk/client-kms';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { clientsFor, createAccount } from '../harness/accounts.js';
import { auditEvents, chainedEvents, eventsOfRequest } from '../harness/audit-trail.js';
import { removeDir, startServer, tempDir, testCredentials } from '../harness/server.js';
import { createKey, expectError } from './api-helpers.js';
import { importMaterial } from './import-helpers.js';
import { pinnedDatabase } from '../../src/store/sqlite/pin.js';
import { filesUnder } from '../harness/files.js';

/** Every byte the server keeps: its data dir's files (store, WAL, audit trail) and its log. */
function everyStoredByte(dataDir: string, log: string): Buffer {
  return Buffer.concat([Buffer.from(log, 'utf8'), ...filesUnder(dataDir).map((file) => readFileSync(join(dataDir, file)))]);
}

/** The forms a secret could be written in: as text, base64 and hex of its bytes. */
const formsOf = (secret: Buffer): Buffer[] => [secret, Buffer.from(secret.toString('base64')), Buffer.from(secret.toString('hex'))];

test('secrets the test injects appear nowhere in the audit trail, the store files or the log', async (t) => {
  const server = await startServer({ env: { KEYHOLD_LOG_LEVEL: 'debug' } });
  t.after(async () => {
    await server.stop();
    removeDir(server.dataDir);
  });
  const { kms, iam, sts } = clientsFor(server, testCredentials);
  const secrets: Record<string, Buffer> = {};
  const marker = (name: string): Buffer => (secrets[name] = Buffer.from(`${name}-${randomBytes(12).toString('hex')}`));

  const key = await createKey(kms);
  await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: marker('plaintext') }));
  const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_256' }));
  secrets.dataKey = Buffer.from(dataKey.Plaintext ?? []);
  const signing = await createKey(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  await kms.send(new SignCommand({ KeyId: signing.KeyId, Message: marker('message'), SigningAlgorithm: 'ECDSA_SHA_256' }));
  const mac = await createKey(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
  await kms.send(new GenerateMacCommand({ KeyId: mac.KeyId, Message: marker('mac-message'), MacAlgorithm: 'HMAC_SHA_256' }));
  const grant = await kms.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: 'arn:aws:iam::000000000000:root', Operations: ['Encrypt'] }));
  secrets.grantToken = Buffer.from(grant.GrantToken ?? '');
  const external = await createKey(kms, { Origin: 'EXTERNAL' });
  secrets.importedMaterial = randomBytes(32);
  await importMaterial(kms, external.KeyId, secrets.importedMaterial);

  await iam.send(new CreateUserCommand({ UserName: 'audited-user' }));
  const accessKey = await iam.send(new CreateAccessKeyCommand({ UserName: 'audited-user' }));
  secrets.userSecret = Buffer.from(accessKey.AccessKey?.SecretAccessKey ?? '');
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }] });
  const role = await iam.send(new CreateRoleCommand({ RoleName: 'audited-role', AssumeRolePolicyDocument: trust }));
  const session = await sts.send(new AssumeRoleCommand({ RoleArn: role.Role?.Arn, RoleSessionName: 'audited', ExternalId: marker('external-id').toString() }));
  secrets.sessionSecret = Buffer.from(session.Credentials?.SecretAccessKey ?? '');
  secrets.sessionToken = Buffer.from(session.Credentials?.SessionToken ?? '');
  const account = await createAccount(server, 'audited-account');
  secrets.accountSecret = Buffer.from(account.credentials.secretAccessKey);
  secrets.adminSecret = Buffer.from(testCredentials.secretAccessKey);

  // The requests above are all in the trail (so the search below covers their events)…
  assert.ok(auditEvents(server.dataDir).length >= 15);
  // …and none of their secrets is anywhere.
  const stored = everyStoredByte(server.dataDir, server.output());
  for (const [name, secret] of Object.entries(secrets)) {
    assert.ok(secret.length >= 16, `${name} was captured`);
    for (const form of formsOf(secret)) assert.equal(stored.indexOf(form), -1, `${name} found in what the server stored`);
  }
});

for (const workers of [1, 2]) test(`with audit.db unwritable, Encrypt fails closed once its busy timeout has passed and hands out nothing unrecorded; it works again once writable (${workers} worker${workers > 1 ? 's' : ''})`, async (t) => {
  const server = await startServer({ workers, env: { KEYHOLD_AUDIT_BUSY_TIMEOUT_MS: '200', KEYHOLD_LOG_LEVEL: 'error' } });
  t.after(async () => {
    await server.stop();
    removeDir(server.dataDir);
  });
  const kms = server.client();
  const key = await createKey(kms);
  // Another process holding the trail's write lock: events are journaled but cannot be chained.
  const holder = pinnedDatabase(new Database(join(server.dataDir, 'audit.db')));
  holder.exec('PRAGMA busy_timeout = 5000; BEGIN EXCLUSIVE');
  let released = false;
  const release = (): void => {
    if (!released) holder.exec('ROLLBACK');
    released = true;
    holder.close();
  };
  t.after(release);
  // Requests answered in the moment before the ingester gives up were journaled (durable); once it
  // has given up (after 200 ms), every request is refused.
  const answered: string[] = [];
  const started = Date.now();
  let failure: Awaited<ReturnType<typeof expectError>> | undefined;
  while (failure === undefined) {
    assert.ok(Date.now() - started < 5000, 'Encrypt still succeeds 5 s after audit.db became unwritable');
    const attempt = kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('must not be returned') }));
    const out = await attempt.catch(() => undefined);
    if (out?.$metadata.requestId !== undefined) answered.push(out.$metadata.requestId);
    else failure = await expectError(attempt, 'KMSInternalException', 500);
  }
  assert.match(failure.message, /audit trail/);
  const second = await expectError(kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('refused too') })), 'KMSInternalException', 500);
  release();
  assert.deepEqual(eventsOfRequest(server.dataDir, failure.requestId), [], 'the refused request has no event: it was never answered with a result');
  assert.deepEqual(eventsOfRequest(server.dataDir, second.requestId), []);
  for (const id of answered) assert.equal(eventsOfRequest(server.dataDir, id).length, 1, `answered request ${id} has its event`);
  // The ingester retries every 100 ms: requests are accepted again soon after the lock is gone.
  let ok: EncryptCommandOutput | undefined;
  for (let tries = 0; ok === undefined; tries++) {
    ok = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('recorded') })).catch((err: unknown) => {
      if (tries >= 40) throw err;
      return new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 50));
    });
  }
  assert.equal(eventsOfRequest(server.dataDir, ok.$metadata.requestId).length, 1);
});

test('kill -9 under load: every response a client received has its event after restart', async (t) => {
  const dataDir = tempDir();
  t.after(() => removeDir(dataDir));
  let server = await startServer({ dataDir, workers: 2, env: { KEYHOLD_LOG_LEVEL: 'error' } });
  const kms = server.client();
  const key = await createKey(kms);
  const answered: string[] = [];
  let stop = false;
  const clients = Array.from({ length: 16 }, async () => {
    while (!stop) {
      try {
        const out = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('under load') }));
        if (out.$metadata.requestId !== undefined) answered.push(out.$metadata.requestId);
      } catch {
        return; // the server is gone
      }
    }
  });
  while (answered.length < 300) await new Promise((resolve) => setTimeout(resolve, 10));
  await server.kill();
  stop = true;
  await Promise.all(clients);

  server = await startServer({ dataDir, port: server.port, env: { KEYHOLD_LOG_LEVEL: 'error' } });
  t.after(() => server.stop());
  // The restarted server chains what the killed processes journaled, on its own, within its sweep.
  let missing = answered;
  for (const deadline = Date.now() + 5000; missing.length > 0 && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const recorded = new Set(chainedEvents(dataDir, "event_name = 'Encrypt'").map((e) => e.requestID));
    missing = answered.filter((id) => !recorded.has(id));
  }
  assert.deepEqual(missing, [], `${missing.length} of ${answered.length} answered requests have no event`);
  const requestIds = chainedEvents(dataDir, "event_name = 'Encrypt'").map((e) => e.requestID);
  assert.equal(new Set(requestIds).size, requestIds.length, 'no event is chained twice');
});
