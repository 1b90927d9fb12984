// The audit trail through the official SDKs against the real server: exactly one CloudTrail-shaped
// event per request, for successes and for each kind of failure, with the caller, the key and the
// outcome — and never a secret.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
  ListKeysCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { callAdmin } from '../../src/cli/admin-client.js';
import { keyholdBin, serverForFile, testCredentials, type RunningServer } from '../harness/server.js';
import { eventsOfRequest } from '../harness/audit-trail.js';
import { kmsRequest } from '../harness/signed-fetch.js';
import { CreateAccessKeyCommand, CreateUserCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { operations as kmsOperations } from '../../src/service/model/kms-model.js';
import { clientsFor, createAccount } from '../harness/accounts.js';
import { createKey, expectError } from './api-helpers.js';

let server: RunningServer;
serverForFile((s) => void (server = s));

/** The one event of the request behind an SDK response or failure. */
function onlyEvent(requestId: string | undefined) {
  const events = eventsOfRequest(server.dataDir, requestId);
  assert.equal(events.length, 1, `one event for request ${requestId}`);
  return events[0] as NonNullable<(typeof events)[0]>;
}

test('a successful Encrypt is recorded with the caller, the key, the context and no plaintext or ciphertext', async () => {
  const kms = server.client();
  const key = await createKey(kms);
  const response = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('recorded but not kept'), EncryptionContext: { tenant: 'a' } }));
  const event = onlyEvent(response.$metadata.requestId);
  assert.equal(event.eventVersion, '1.08');
  assert.equal(event.eventSource, 'kms.amazonaws.com');
  assert.equal(event.eventName, 'Encrypt');
  assert.equal(event.awsRegion, 'us-east-1');
  assert.equal(event.sourceIPAddress, '127.0.0.1');
  assert.match(event.userAgent, /aws-sdk-js/);
  assert.equal(event.userIdentity.type, 'Root');
  assert.equal(event.userIdentity.accountId, key.AWSAccountId);
  assert.equal(event.userIdentity.accessKeyId, (await kms.config.credentials()).accessKeyId);
  assert.deepEqual(event.requestParameters, { keyId: key.KeyId, encryptionContext: { tenant: 'a' } });
  assert.deepEqual(event.responseElements, { keyId: key.Arn, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
  assert.deepEqual(event.resources, [{ accountId: key.AWSAccountId, type: 'AWS::KMS::Key', ARN: key.Arn }]);
  assert.equal(event.readOnly, true);
  assert.equal(event.recipientAccountId, key.AWSAccountId);
  assert.equal(event.errorCode, undefined);
  assert.match(event.eventID, /^[0-9a-f-]{36}$/);
  assert.ok(Math.abs(Date.parse(event.eventTime) - Date.now()) < 60_000);
  const created = onlyEvent((await kms.send(new CreateKeyCommand({ Description: 'audited' }))).$metadata.requestId);
  assert.equal(created.readOnly, false);
  assert.equal(created.resources?.length, 1);
});

test('each kind of failure is recorded once with its error code: authentication, authorization, validation, state', async () => {
  const kms = server.client();
  const key = await createKey(kms);

  const stranger = new KMSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: 'not-a-real-secret-0000000000' }, maxAttempts: 1 });
  const unauthenticated = await expectError(stranger.send(new ListKeysCommand({})), 'UnrecognizedClientException', 400);
  const refused = onlyEvent(unauthenticated.requestId);
  assert.equal(refused.errorCode, 'UnrecognizedClientException');
  assert.deepEqual(refused.userIdentity, { type: 'Unknown', accessKeyId: 'AKIAUNKNOWNKEY000001' });

  const validation = await expectError(kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 3 })), 'ValidationException', 400);
  assert.equal(onlyEvent(validation.requestId).errorCode, 'ValidationException');

  await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
  const state = await expectError(kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_256' })), 'DisabledException', 409);
  const stateEvent = onlyEvent(state.requestId);
  assert.equal(stateEvent.errorCode, 'DisabledException');
  assert.match(stateEvent.errorMessage ?? '', /disabled/);
  assert.equal(stateEvent.resources?.[0]?.ARN, key.Arn);
  assert.equal(stateEvent.responseElements, null);

  // Authorization, across accounts: the event names the key's owner as recipient and marks the call shared.
  const other = await createAccount(server, 'audit-other');
  const { kms: otherKms } = clientsFor(server, other.credentials);
  const denied = await expectError(otherKms.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('x') })), 'AccessDeniedException', 400);
  const deniedEvent = onlyEvent(denied.requestId);
  assert.equal(deniedEvent.errorCode, 'AccessDeniedException');
  assert.equal(deniedEvent.userIdentity.accountId, other.accountId);
  assert.equal(deniedEvent.recipientAccountId, key.AWSAccountId);
  assert.equal(deniedEvent.sharedEventID, deniedEvent.eventID);

  const garbage = await expectError(kms.send(new DecryptCommand({ CiphertextBlob: Buffer.alloc(80, 7) })), 'InvalidCiphertextException', 400);
  assert.equal(onlyEvent(garbage.requestId).errorCode, 'InvalidCiphertextException');
});

test('on demand, the administrator signs the head (CreateAuditDigest), and keyhold audit verify finds the trail intact and signed', async () => {
  const kms = server.client();
  await createKey(kms);
  const connection = { endpoint: new URL(server.url), region: 'us-east-1', credentials: testCredentials };
  const digest = await callAdmin(connection, 'CreateAuditDigest', {});
  assert.equal(digest.NewEvents, true);
  assert.equal(typeof digest.HeadSeq, 'number');
  const verified = await promisify(execFile)(process.execPath, [keyholdBin, 'audit', 'verify', '--data-dir', server.dataDir]);
  assert.match(verified.stdout, new RegExp(`^audit trail intact: \\d+ events \\(seq 1–\\d+\\), \\d+ digests, signed through seq ${String(digest.HeadSeq)}`));
  const customer = await createAccount(server, 'audit-digest-customer');
  await assert.rejects(callAdmin({ ...connection, credentials: customer.credentials }, 'CreateAuditDigest', {}), /AccessDeniedException/);
});

test('every KMS operation, refused or not, is recorded exactly once under its own name', async () => {
  const names = Object.keys(kmsOperations);
  assert.ok(names.length >= 50);
  for (const name of names) {
    // An empty body: each operation answers (mostly a validation error, a few succeed) and is recorded.
    const response = await kmsRequest(server.url, name, '{}');
    const requestId = response.headers.get('x-amzn-requestid') ?? undefined;
    const event = onlyEvent(requestId);
    assert.equal(event.eventName, name);
    assert.equal(event.eventSource, 'kms.amazonaws.com');
    assert.equal(event.errorCode, response.status === 200 ? undefined : response.json().__type, name);
  }
  const unknown = await kmsRequest(server.url, 'NoSuchOperation', '{}');
  assert.equal(onlyEvent(unknown.headers.get('x-amzn-requestid') ?? undefined).errorCode, 'UnknownOperationException');
});

test('IAM, STS and administrator calls are recorded under their own sources, without their secrets', async () => {
  const { iam, sts } = clientsFor(server, testCredentials);
  const user = await iam.send(new CreateUserCommand({ UserName: 'audited-iam-user' }));
  const userEvent = onlyEvent(user.$metadata.requestId);
  assert.equal(userEvent.eventSource, 'iam.amazonaws.com');
  assert.equal(userEvent.eventName, 'CreateUser');
  assert.deepEqual(userEvent.requestParameters, { userName: 'audited-iam-user' });
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'audited-iam-user' }));
  const keyEvent = onlyEvent(key.$metadata.requestId);
  assert.ok(!JSON.stringify(keyEvent).includes(key.AccessKey?.SecretAccessKey ?? 'missing'));
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(onlyEvent(identity.$metadata.requestId).eventSource, 'sts.amazonaws.com');
  const refused = await expectError(iam.send(new GetUserCommand({ UserName: 'nobody-here' })), 'NoSuchEntityException', 404);
  assert.equal(onlyEvent(refused.requestId).errorCode, 'NoSuchEntity');
});
