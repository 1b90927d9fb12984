// The shortest path through the real server: create a key, encrypt, decrypt.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateKeyCommand, DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { serverForFile, type RunningServer } from '../harness/server.js';

let server: RunningServer;
serverForFile((s) => void (server = s));

test('a key created through the AWS SDK encrypts and decrypts a message', async () => {
  const kms = server.client();
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  const encrypted = await kms.send(new EncryptCommand({ KeyId: KeyMetadata?.KeyId, Plaintext: Buffer.from('hello') }));
  const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
  assert.equal(Buffer.from(decrypted.Plaintext ?? []).toString(), 'hello');
  assert.equal(decrypted.KeyId, KeyMetadata?.Arn);
});
