// KeyholdAudit.LookupEvents against the real server: newest first, each filter, paging, what a
// customer account may see (its own calls and others' calls on its keys, nothing else), who may
// call it, and refusals of bad input as ValidationException rather than a 500.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { EncryptCommand, ListKeysCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { AuditEvent } from '../../src/audit/event.js';
import { clientsFor, createAccount, type Account, type Clients, type Credentials } from '../harness/accounts.js';
import { auditApi, lookup, lookupAll } from '../harness/audit-api.js';
import { eventsOfRequest } from '../harness/audit-trail.js';
import { serverForFile, type RunningServer } from '../harness/server.js';
import { UNKNOWN_KEY_ID, createKey, expectError } from './api-helpers.js';

let server: RunningServer;
serverForFile(async (s) => {
  server = s;
  await setUp();
});

let a: Account;
let b: Account;
let clientsA: Clients;
let keyA: { KeyId: string; Arn: string };
/** Request ids of what the setup did, in order. */
const r = { create: '', encryptA: '', encryptB: '', listB: '', failA: '' };

const requestIdOf = (response: { $metadata: { requestId?: string } }): string => response.$metadata.requestId ?? assert.fail('no request id');

async function setUp(): Promise<void> {
  a = await createAccount(server, 'lookup-a');
  b = await createAccount(server, 'lookup-b');
  clientsA = clientsFor(server, a.credentials);
  const kmsB = clientsFor(server, b.credentials).kms;
  const statement = (account: string, action: string): object => ({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: action, Resource: '*' });
  const key = await createKey(clientsA.kms, { Policy: JSON.stringify({ Version: '2012-10-17', Statement: [statement(a.accountId, 'kms:*'), statement(b.accountId, 'kms:Encrypt')] }) });
  keyA = key;
  r.create = (await lookup(server, { KeyId: key.KeyId, EventName: 'CreateKey' })).events[0]?.requestID ?? assert.fail('CreateKey recorded');
  const encrypt = (kms: KMSClient): Promise<{ $metadata: { requestId?: string } }> => kms.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('x') }));
  r.encryptA = requestIdOf(await encrypt(clientsA.kms));
  r.encryptB = requestIdOf(await encrypt(kmsB)); // B uses A's key
  r.listB = requestIdOf(await kmsB.send(new ListKeysCommand({})));
  r.failA = (await expectError(clientsA.kms.send(new EncryptCommand({ KeyId: UNKNOWN_KEY_ID, Plaintext: Buffer.from('x') })), 'NotFoundException', 404)).requestId ?? '';
}

const ids = (events: readonly AuditEvent[]): string[] => events.map((e) => e.requestID);
const ours = (events: readonly AuditEvent[]): string[] => ids(events).filter((id) => Object.values(r).includes(id));

test('events come newest first', async () => {
  const { events } = await lookup(server, { AccountId: a.accountId, MaxResults: 1000 });
  assert.deepEqual(ours(events), [r.failA, r.encryptA, r.create]);
  const times = events.map((e) => Date.parse(e.eventTime));
  assert.deepEqual(times, [...times].sort((x, y) => y - x));
});

test('each filter narrows to the events it names', async () => {
  const byKeyId = await lookupAll(server, { KeyId: keyA.KeyId });
  assert.deepEqual(ours(byKeyId), [r.encryptB, r.encryptA, r.create]);
  assert.ok(byKeyId.every((e) => e.resources?.some((k) => k.ARN === keyA.Arn)));
  assert.deepEqual(ids(await lookupAll(server, { KeyId: keyA.Arn })), ids(byKeyId));

  const byPrincipal = await lookupAll(server, { PrincipalArn: `arn:aws:iam::${b.accountId}:root` });
  assert.deepEqual(ours(byPrincipal), [r.listB, r.encryptB]);
  assert.ok(byPrincipal.every((e) => e.userIdentity.arn === `arn:aws:iam::${b.accountId}:root`));

  const byAccount = await lookupAll(server, { AccountId: b.accountId });
  assert.deepEqual(ours(byAccount), [r.listB, r.encryptB]);
  assert.ok(byAccount.every((e) => e.userIdentity.accountId === b.accountId));

  const byName = await lookupAll(server, { EventName: 'ListKeys' });
  assert.ok(ids(byName).includes(r.listB) && byName.every((e) => e.eventName === 'ListKeys'));

  const byError = await lookupAll(server, { ErrorCode: 'NotFoundException' });
  assert.ok(ids(byError).includes(r.failA) && byError.every((e) => e.errorCode === 'NotFoundException'));

  assert.deepEqual(ids((await lookup(server, { RequestId: r.encryptB })).events), [r.encryptB]);
  assert.deepEqual((await lookup(server, { RequestId: r.encryptB, AccountId: a.accountId })).events, []);
});

test('the time range includes both its ends, in epoch seconds', async () => {
  const [event] = (await lookup(server, { RequestId: r.encryptA })).events;
  const second = Date.parse(event?.eventTime ?? '') / 1000;
  const within = await lookupAll(server, { StartTime: second, EndTime: second });
  assert.ok(ids(within).includes(r.encryptA));
  assert.ok(within.every((e) => e.eventTime === event?.eventTime));
  assert.ok(!ids(await lookupAll(server, { StartTime: second + 1, RequestId: r.encryptA })).includes(r.encryptA));
  assert.ok(!ids(await lookupAll(server, { EndTime: second - 0.001, RequestId: r.encryptA })).includes(r.encryptA));
});

test('paging with NextToken visits every event once', async () => {
  const whole = (await lookup(server, { AccountId: a.accountId, MaxResults: 1000 })).events;
  const first = await lookup(server, { AccountId: a.accountId, MaxResults: 2 });
  assert.equal(first.events.length, 2);
  assert.ok(first.nextToken !== undefined);
  const paged = await lookupAll(server, { AccountId: a.accountId, MaxResults: 2 });
  assert.equal(new Set(paged.map((e) => e.eventID)).size, paged.length);
  // These lookups are the administrator's events, not A's: A's events are the same throughout.
  assert.deepEqual(paged.map((e) => e.eventID), whole.map((e) => e.eventID));
});

test("a customer account sees its own calls and other accounts' calls on its keys, and no one else's", async () => {
  const seenByA = await lookupAll(server, {}, a.credentials);
  assert.deepEqual(ours(seenByA), [r.failA, r.encryptB, r.encryptA, r.create]);
  assert.ok(seenByA.every((e) => e.userIdentity.accountId === a.accountId || e.resources?.some((k) => k.accountId === a.accountId)));
  const seenByB = await lookupAll(server, {}, b.credentials);
  assert.deepEqual(ours(seenByB), [r.listB, r.encryptB]);
  assert.ok(seenByB.every((e) => e.userIdentity.accountId === b.accountId || e.resources?.some((k) => k.accountId === b.accountId)));
  // Filters narrow what an account may see; they never widen it.
  assert.deepEqual(ours(await lookupAll(server, { AccountId: b.accountId }, a.credentials)), [r.encryptB]);
  assert.deepEqual((await lookup(server, { RequestId: r.listB }, a.credentials)).events, []);
  assert.ok(!(await lookupAll(server, {}, a.credentials)).some((e) => e.eventName === 'CreateAccount'));
});

test('an IAM user needs keyhold:LookupEvents in its identity policy', async () => {
  const userCredentials = async (name: string, statements?: object[]): Promise<Credentials> => {
    await clientsA.iam.send(new CreateUserCommand({ UserName: name }));
    if (statements) await clientsA.iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'audit', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }));
    const { AccessKey } = await clientsA.iam.send(new CreateAccessKeyCommand({ UserName: name }));
    return { accessKeyId: AccessKey?.AccessKeyId ?? '', secretAccessKey: AccessKey?.SecretAccessKey ?? '' };
  };
  const refused = await auditApi(server, 'LookupEvents', {}, await userCredentials('no-audit'));
  assert.equal(refused.status, 400);
  assert.equal(refused.body.__type, 'AccessDeniedException');
  assert.match(refused.body.message ?? '', /not authorized to perform: keyhold:LookupEvents/);
  const kmsOnly = await auditApi(server, 'LookupEvents', {}, await userCredentials('kms-only', [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }]));
  assert.equal(kmsOnly.body.__type, 'AccessDeniedException');

  const auditor = await userCredentials('auditor', [{ Effect: 'Allow', Action: 'keyhold:LookupEvents', Resource: '*' }]);
  const seen = await lookupAll(server, {}, auditor);
  assert.ok(ids(seen).includes(r.encryptB) && !ids(seen).includes(r.listB));
});

test('bad input is refused as ValidationException or SerializationException, never a 500', async () => {
  const token = (text: string): string => Buffer.from(text).toString('base64url');
  const cases: [object | string, string, RegExp?][] = [
    [{ NextToken: 'not a token!' }, 'ValidationException', /NextToken/],
    [{ NextToken: token('0') }, 'ValidationException', /NextToken/],
    [{ NextToken: token('12abc') }, 'ValidationException', /NextToken/],
    [{ NextToken: token('012') }, 'ValidationException', /NextToken/],
    [{ NextToken: token('99999999999999999999') }, 'ValidationException', /NextToken/],
    [{ NextToken: '' }, 'ValidationException'],
    [{ MaxResults: 0 }, 'ValidationException', /greater than or equal to 1/],
    [{ MaxResults: 1001 }, 'ValidationException', /less than or equal to 1000/],
    [{ MaxResults: '5' }, 'SerializationException'],
    [{ MaxResults: 2.5 }, 'SerializationException'],
    [{ StartTime: 1_700_000_100, EndTime: 1_700_000_000 }, 'ValidationException', /StartTime must not be later than EndTime/],
    [{ StartTime: '2025-01-01' }, 'SerializationException'],
    [{ StartTime: 1e300 }, 'ValidationException'],
    [{ KeyId: 'alias/my-key' }, 'ValidationException', /aliases/],
    [{ KeyId: 'arn:aws:kms:us-east-1:111111111111:alias/x' }, 'ValidationException'],
    [{ AccountId: '12345' }, 'ValidationException'],
    [{ EventName: 'Encrypt; DROP' }, 'ValidationException'],
    [{ Unknown: 1 }, 'ValidationException', /Unknown field/],
    [[], 'SerializationException'],
    ['{not json', 'SerializationException'],
  ];
  for (const [input, type, message] of cases) {
    const res = await auditApi(server, 'LookupEvents', input);
    assert.deepEqual({ status: res.status, type: res.body.__type }, { status: 400, type }, `${JSON.stringify(input)}: ${res.body.message ?? ''}`);
    if (message) assert.match(res.body.message ?? '', message);
  }
  const unknown = await auditApi(server, 'ForgetEvents', {});
  assert.deepEqual({ status: unknown.status, type: unknown.body.__type }, { status: 400, type: 'UnknownOperationException' });
});

test('a lookup is itself recorded, with its filters and without the events it returned', async () => {
  const res = await auditApi(server, 'LookupEvents', { KeyId: keyA.KeyId, MaxResults: 5 }, a.credentials);
  assert.equal(res.status, 200);
  const [event, ...more] = eventsOfRequest(server.dataDir, res.requestId);
  assert.equal(more.length, 0);
  assert.equal(event?.eventName, 'LookupEvents');
  assert.equal(event?.eventSource, 'keyhold.amazonaws.com');
  assert.equal(event?.userIdentity.accountId, a.accountId);
  assert.deepEqual(event?.requestParameters, { keyId: keyA.KeyId, maxResults: 5 });
  assert.equal(event?.responseElements, null);
  assert.equal(event?.readOnly, true); // as CloudTrail marks its own LookupEvents
});
