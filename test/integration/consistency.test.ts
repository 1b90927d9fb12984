// Two server processes on one store (as `keyhold serve` runs with a worker per core): a change made
// through one is in force on the other's very next request, though each caches keys in memory.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { CreateAliasCommand, CreateKeyCommand, DisableKeyCommand, EnableKeyCommand, EncryptCommand, UpdateAliasCommand, type KMSClient } from '@aws-sdk/client-kms';
import { removeDir, tempDir } from '../harness/server.js';
import { startInProcess } from '../harness/in-process.js';

/** Two servers sharing one data dir, stopped and removed after the test. */
async function twoServersOnOneStore(t: TestContext): Promise<[KMSClient, KMSClient]> {
  const dir = tempDir();
  const a = await startInProcess(dir);
  const b = await startInProcess(dir);
  t.after(async () => {
    await Promise.all([a.close(), b.close()]);
    removeDir(dir);
  });
  return [a.client(), b.client()];
}

test('a key disabled through one server is refused by another sharing the store on its next request', async (t) => {
  const [kmsA, kmsB] = await twoServersOnOneStore(t);
  const { KeyMetadata } = await kmsA.send(new CreateKeyCommand({}));
  const keyId = KeyMetadata?.KeyId ?? '';
  // B uses (and caches) the key, then A disables it.
  await kmsB.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
  await kmsA.send(new DisableKeyCommand({ KeyId: keyId }));
  await assert.rejects(kmsB.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })), { name: 'DisabledException' });
  await kmsA.send(new EnableKeyCommand({ KeyId: keyId }));
  await kmsB.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
});

test('an alias moved through one server resolves to the new key on another', async (t) => {
  const [kmsA, kmsB] = await twoServersOnOneStore(t);
  const first = (await kmsA.send(new CreateKeyCommand({}))).KeyMetadata;
  const second = (await kmsA.send(new CreateKeyCommand({}))).KeyMetadata;
  await kmsA.send(new CreateAliasCommand({ AliasName: 'alias/moving', TargetKeyId: first?.KeyId }));
  assert.equal((await kmsB.send(new EncryptCommand({ KeyId: 'alias/moving', Plaintext: Buffer.from('x') }))).KeyId, first?.Arn);
  await kmsA.send(new UpdateAliasCommand({ AliasName: 'alias/moving', TargetKeyId: second?.KeyId }));
  assert.equal((await kmsB.send(new EncryptCommand({ KeyId: 'alias/moving', Plaintext: Buffer.from('x') }))).KeyId, second?.Arn);
});
