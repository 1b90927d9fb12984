// The shortest path through the real server: create a key, encrypt, decrypt.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateKeyCommand, DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { removeDir, startServer, type RunningServer } from '../harness/server.js';

let server: RunningServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

test('a key created through the AWS SDK encrypts and decrypts a message', async () => {
  const kms = server.client();
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  const encrypted = await kms.send(new EncryptCommand({ KeyId: KeyMetadata?.KeyId, Plaintext: Buffer.from('hello') }));
  const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
  assert.equal(Buffer.from(decrypted.Plaintext ?? []).toString(), 'hello');
  assert.equal(decrypted.KeyId, KeyMetadata?.Arn);
});
