// `keyhold audit lookup` and `keyhold audit export` end to end: the real CLI against the real server,
// as the administrator and as a customer (AWS_ACCESS_KEY_ID), compared with what LookupEvents answers.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { EncryptCommand } from '@aws-sdk/client-kms';
import type { AuditEvent } from '../../src/audit/event.js';
import { clientsFor, createAccount, type Account } from '../harness/accounts.js';
import { lookup, lookupAll } from '../harness/audit-api.js';
import { cleanEnv, runToExit } from '../harness/keyhold-process.js';
import { serverForFile, testCredentials, type RunningServer } from '../harness/server.js';
import { createKey } from './api-helpers.js';

/** More than one 1000-event page, so export follows NextToken. */
const ENCRYPTS = 1005;

let server: RunningServer;
let owner: Account;
let stranger: Account;
let keyId = '';
serverForFile(async (s) => {
  server = s;
  owner = await createAccount(server, 'cli-owner');
  stranger = await createAccount(server, 'cli-stranger');
  const kms = clientsFor(server, owner.credentials).kms;
  keyId = (await createKey(kms)).KeyId;
  for (let i = 0; i < ENCRYPTS; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, ENCRYPTS - i) }, () => kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }))));
  }
});

const asAdmin = (): NodeJS.ProcessEnv => cleanEnv({
  KEYHOLD_ENDPOINT: server.url, KEYHOLD_ADMIN_ACCESS_KEY_ID: testCredentials.accessKeyId, KEYHOLD_ADMIN_SECRET_ACCESS_KEY: testCredentials.secretAccessKey,
  AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '',
});
const as = (account: Account): NodeJS.ProcessEnv => cleanEnv({
  KEYHOLD_ENDPOINT: server.url, AWS_ACCESS_KEY_ID: account.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: account.credentials.secretAccessKey,
});

async function keyhold(args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { code, stdout, stderr } = await runToExit(['audit', ...args], env, 60_000);
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '', 'nothing on stderr when it is not a terminal');
  return stdout;
}

test('lookup prints the newest events as JSON, at most --max-results', async () => {
  const events = JSON.parse(await keyhold(['lookup', '--key-id', keyId, '--max-results', '3'], asAdmin())) as AuditEvent[];
  assert.deepEqual(events.map((e) => e.eventName), ['Encrypt', 'Encrypt', 'Encrypt']);
  const newest = (await lookup(server, { KeyId: keyId, MaxResults: 3 })).events;
  assert.deepEqual(events.map((e) => e.eventID), newest.map((e) => e.eventID));
  const oldest = JSON.parse(await keyhold(['lookup', '--key-id', keyId, '--event-name', 'CreateKey'], asAdmin())) as AuditEvent[];
  assert.deepEqual(oldest.map((e) => e.userIdentity.accountId), [owner.accountId]);
});

test('lookup --output table prints a header and one line per event', async () => {
  const lines = (await keyhold(['lookup', '--key-id', keyId, '--max-results', '4', '--output', 'table'], asAdmin())).trimEnd().split('\n');
  assert.equal(lines.length, 5);
  assert.match(lines[0] ?? '', /^TIME\s+EVENT\s+CALLER\s+KEYS\s+ERROR\s+REQUEST ID$/);
  for (const line of lines.slice(1)) assert.match(line, new RegExp(`kms:Encrypt\\s+arn:aws:iam::${owner.accountId}:root\\s+${keyId}\\s+-\\s+[0-9a-f-]{36}$`));
});

test("with AWS_ACCESS_KEY_ID set, lookup signs as that principal and sees only its account's events", async () => {
  const mine = JSON.parse(await keyhold(['lookup', '--key-id', keyId, '--max-results', '2'], as(owner))) as AuditEvent[];
  assert.equal(mine.length, 2);
  assert.deepEqual(JSON.parse(await keyhold(['lookup', '--key-id', keyId], as(stranger))), []);
});

test('export writes every matching event to a file as NDJSON, newest first, readable by its owner only', async () => {
  const file = join(server.dataDir, 'export.ndjson');
  assert.equal(await keyhold(['export', '--key-id', keyId, '--file', file], asAdmin()), '');
  const lines = readFileSync(file, 'utf8').split('\n');
  assert.equal(lines.pop(), '', 'each line ends with a newline');
  assert.equal(lines.length, ENCRYPTS + 1);
  const exported = lines.map((line) => JSON.parse(line) as AuditEvent);
  assert.deepEqual(exported.map((e) => e.eventID), (await lookupAll(server, { KeyId: keyId, MaxResults: 1000 })).map((e) => e.eventID));
  assert.equal(exported.at(-1)?.eventName, 'CreateKey');
  assert.equal(statSync(file).mode & 0o777, 0o600);
});

test('export writes to stdout when no file is given, as a customer too', async () => {
  const stdout = await keyhold(['export', '--account-id', owner.accountId, '--event-name', 'Encrypt'], as(owner));
  const lines = stdout.trimEnd().split('\n');
  assert.equal(lines.length, ENCRYPTS);
  assert.ok(lines.every((line) => (JSON.parse(line) as AuditEvent).eventName === 'Encrypt'));
  assert.equal(await keyhold(['export', '--key-id', keyId], as(stranger)), '');
});

test('the CLI reports refusals and bad flags as one line and exit 1', async () => {
  const bad = await runToExit(['audit', 'lookup', '--max-results', 'many'], asAdmin());
  assert.deepEqual([bad.code, bad.stdout], [1, '']);
  assert.match(bad.stderr, /^keyhold: --max-results must be a whole number/);
  const unknown = await runToExit(['audit', 'lookup'], cleanEnv({ KEYHOLD_ENDPOINT: server.url, AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNUNKNOWN00', AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) }));
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^keyhold: UnrecognizedClientException: /);
  const unwritable = await runToExit(['audit', 'export', '--file', join(server.dataDir, 'no', 'such', 'dir.ndjson')], asAdmin());
  assert.equal(unwritable.code, 1);
  assert.match(unwritable.stderr, /^keyhold: cannot write .*dir\.ndjson: ENOENT/);
});
