// Per-application least privilege on one key: app A may only Encrypt, app B may only Decrypt.
// Every other combination of application and operation is refused, through the official SDKs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateGrantCommand, CreateKeyCommand, DecryptCommand, DescribeKeyCommand, DisableKeyCommand, EncryptCommand,
  GenerateDataKeyCommand, GenerateDataKeyWithoutPlaintextCommand, GetKeyPolicyCommand, ListKeysCommand,
  PutKeyPolicyCommand, ReEncryptCommand, ScheduleKeyDeletionCommand, TagResourceCommand, type KMSClient,
} from '@aws-sdk/client-kms';
import { clientsFor } from '../harness/accounts.js';
import { serverForFile, testCredentials, type RunningServer } from '../harness/server.js';

const ACCOUNT = '000000000000';
let server: RunningServer;
let admin: KMSClient;
serverForFile(async (s) => {
  server = s;
  admin = s.client();
  await setUp();
});

let keyId = '';
let blob: Uint8Array | undefined;
const apps: Record<'A' | 'B', KMSClient> = {} as Record<'A' | 'B', KMSClient>;

async function appUser(iam: IAMClient, name: string): Promise<KMSClient> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  assert.ok(AccessKey?.AccessKeyId && AccessKey.SecretAccessKey);
  return clientsFor(server, { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey }).kms;
}

async function setUp(): Promise<void> {
  const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
  apps.A = await appUser(iam, 'app-a');
  apps.B = await appUser(iam, 'app-b');
  const only = (user: string, action: string): object => ({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/${user}` }, Action: action, Resource: '*' });
  const { KeyMetadata } = await admin.send(new CreateKeyCommand({
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
        only('app-a', 'kms:Encrypt'),
        only('app-b', 'kms:Decrypt'),
      ],
    }),
  }));
  keyId = KeyMetadata?.KeyId ?? '';
  blob = (await admin.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('seed') }))).CiphertextBlob;
}

const operations: Record<string, (kms: KMSClient) => Promise<unknown>> = {
  Encrypt: (kms) => kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('order 66') })),
  Decrypt: (kms) => kms.send(new DecryptCommand({ CiphertextBlob: blob })),
  GenerateDataKey: (kms) => kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' })),
  GenerateDataKeyWithoutPlaintext: (kms) => kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, KeySpec: 'AES_256' })),
  ReEncrypt: (kms) => kms.send(new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: keyId })),
  DescribeKey: (kms) => kms.send(new DescribeKeyCommand({ KeyId: keyId })),
  GetKeyPolicy: (kms) => kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' })),
  PutKeyPolicy: (kms) => kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }] }) })),
  CreateGrant: (kms) => kms.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: `arn:aws:iam::${ACCOUNT}:user/app-a`, Operations: ['Decrypt'] })),
  TagResource: (kms) => kms.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'owner', TagValue: 'me' }] })),
  DisableKey: (kms) => kms.send(new DisableKeyCommand({ KeyId: keyId })),
  ScheduleKeyDeletion: (kms) => kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 })),
  ListKeys: (kms) => kms.send(new ListKeysCommand({})),
  CreateKey: (kms) => kms.send(new CreateKeyCommand({})),
};

const allowed = new Set(['A:Encrypt', 'B:Decrypt']);

for (const app of ['A', 'B'] as const) {
  for (const [name, call] of Object.entries(operations)) {
    const expected = allowed.has(`${app}:${name}`);
    test(`app ${app} ${expected ? 'may' : 'may not'} ${name}`, async () => {
      try {
        await call(apps[app]);
        assert.ok(expected, `app ${app} was allowed ${name}`);
      } catch (err) {
        if (expected) throw err;
        assert.equal((err as Error).name, 'AccessDeniedException', `${(err as Error).name}: ${(err as Error).message}`);
        assert.match((err as Error).message, new RegExp(`^User: arn:aws:iam::${ACCOUNT}:user/app-${app.toLowerCase()} is not authorized to perform: kms:`));
      }
    });
  }
}

test("the key is untouched by the refused calls: enabled, the same policy, A's ciphertext decrypts for B", async () => {
  const { KeyMetadata } = await admin.send(new DescribeKeyCommand({ KeyId: keyId }));
  assert.equal(KeyMetadata?.KeyState, 'Enabled');
  const fromA = await apps.A.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('handoff') }));
  const atB = await apps.B.send(new DecryptCommand({ CiphertextBlob: fromA.CiphertextBlob }));
  assert.equal(Buffer.from(atB.Plaintext ?? []).toString(), 'handoff');
});
