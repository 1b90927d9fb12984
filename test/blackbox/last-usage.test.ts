// GetKeyLastUsage: the last cryptographic use of a key, which request made it, and that it survives
// a restart (uses are written in batches and once more at shutdown).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, GetKeyLastUsageCommand, type KMSClient } from '@aws-sdk/client-kms';
import { removeDir, startServer, tempDir } from '../harness/server.js';

test('GetKeyLastUsage reports the last cryptographic operation and its request id, not other calls, across a restart', async (t) => {
  const dataDir = tempDir();
  let server = await startServer({ dataDir });
  t.after(async () => {
    await server.stop();
    removeDir(dataDir);
  });
  let kms: KMSClient = server.client();
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  const keyId = KeyMetadata?.KeyId ?? '';

  const unused = await kms.send(new GetKeyLastUsageCommand({ KeyId: keyId }));
  assert.equal(unused.KeyLastUsage, undefined);
  assert.equal(unused.KeyCreationDate?.getTime(), KeyMetadata?.CreationDate?.getTime());
  assert.equal(unused.TrackingStartDate?.getTime(), KeyMetadata?.CreationDate?.getTime(), 'a key created while tracking is tracked from its creation');

  const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
  let usage = (await kms.send(new GetKeyLastUsageCommand({ KeyId: keyId }))).KeyLastUsage;
  assert.deepEqual([usage?.Operation, usage?.KmsRequestId], ['Encrypt', encrypted.$metadata.requestId]);

  const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
  await kms.send(new DescribeKeyCommand({ KeyId: keyId })); // not a cryptographic use
  usage = (await kms.send(new GetKeyLastUsageCommand({ KeyId: keyId }))).KeyLastUsage;
  assert.deepEqual([usage?.Operation, usage?.KmsRequestId], ['Decrypt', decrypted.$metadata.requestId]);
  assert.ok(usage?.Timestamp instanceof Date);

  await server.stop();
  server = await startServer({ dataDir });
  kms = server.client();
  const afterRestart = (await kms.send(new GetKeyLastUsageCommand({ KeyId: keyId }))).KeyLastUsage;
  assert.deepEqual([afterRestart?.Operation, afterRestart?.KmsRequestId], ['Decrypt', decrypted.$metadata.requestId]);
});
