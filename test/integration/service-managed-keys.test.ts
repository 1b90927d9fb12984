// Service-managed keys over time and under a wrong policy, in-process with a test clock: the key
// rotates on its first anniversary and not before; and should its stored policy ever allow
// management, the pipeline still refuses it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateAliasCommand, DescribeKeyCommand, DisableKeyCommand, EnableKeyRotationCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand,
  PutKeyPolicyCommand, RotateKeyOnDemandCommand, ScheduleKeyDeletionCommand, TagResourceCommand, UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import { DAY_MS, TestClock } from '../../src/core/clock.js';
import { startInProcess, type InProcessServer } from '../harness/in-process.js';
import { removeDir, tempDir } from '../harness/server.js';
import { expectError } from '../blackbox/api-helpers.js';

async function withManagedKey(t: test.TestContext, clock = new TestClock()): Promise<{ server: InProcessServer; keyId: string }> {
  const dir = tempDir();
  const server = await startInProcess(dir, clock);
  t.after(async () => {
    await server.close();
    removeDir(dir);
  });
  await server.app.deps.store.transaction((tx) => tx.insertService({ name: 'media', tokenHash: '', createdAt: clock.now() }));
  // Any request in the account that names the reserved alias creates the key (DescribeKey, as on AWS).
  const { KeyMetadata } = await server.client().send(new DescribeKeyCommand({ KeyId: 'alias/aws/media' }));
  assert.equal(KeyMetadata?.KeyManager, 'AWS');
  return { server, keyId: KeyMetadata?.KeyId ?? '' };
}

test('a service-managed key rotates one year after its creation, then every year, by the scheduler', async (t) => {
  const clock = new TestClock(new Date('2026-01-01T00:00:00Z'));
  const { server, keyId } = await withManagedKey(t, clock);
  // A new client after each move of the clock: the SDK keeps the clock offset it was built with.
  const material = async (): Promise<string | undefined> => (await server.client().send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.CurrentKeyMaterialId;
  const first = await material();

  clock.advance(365 * DAY_MS - 60_000);
  await server.app.rotation.runNow();
  assert.equal(await material(), first, 'rotated before its anniversary');

  clock.advance(60_000);
  await server.app.rotation.runNow();
  const second = await material();
  assert.notEqual(second, first);
  const status = await server.client().send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
  assert.deepEqual([status.KeyRotationEnabled, status.RotationPeriodInDays, status.NextRotationDate?.toISOString()], [true, 365, '2028-01-01T00:00:00.000Z']);
});

test('should its policy ever allow management, the pipeline still refuses to manage a service-managed key', async (t) => {
  const { server, keyId } = await withManagedKey(t);
  const everything = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'kms:*', Resource: '*' }] });
  await server.app.deps.store.transaction((tx) => tx.updateKey(keyId, { policy: everything }));
  const kms = server.client();
  assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy, everything, 'the wrong policy is in force');

  const calls = [
    kms.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: everything })),
    kms.send(new DisableKeyCommand({ KeyId: keyId })),
    kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 })),
    kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 })),
    kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })),
    kms.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: 'mine' })),
    kms.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'a', TagValue: 'b' }] })),
    kms.send(new CreateAliasCommand({ AliasName: 'alias/mine', TargetKeyId: keyId })),
  ];
  for (const call of calls) {
    const failure = await expectError(call, 'UnsupportedOperationException', 400);
    assert.match(failure.message, /is an AWS managed key: you cannot perform \w+ on it/);
  }
  const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
  assert.deepEqual([KeyMetadata?.KeyState, KeyMetadata?.Description], ['Enabled', 'Default key that protects my media data when no other key is defined']);
  assert.equal((await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).RotationPeriodInDays, 365);
});
