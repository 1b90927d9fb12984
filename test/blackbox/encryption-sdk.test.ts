// The AWS Encryption SDK for JavaScript with a KMS keyring whose keys live in keyhold: envelope
// encryption of a file end to end, and the failures a real application relies on.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, before, test } from 'node:test';
import { CreateKeyCommand, DecryptCommand, DisableKeyCommand, EnableKeyCommand, KMS } from '@aws-sdk/client-kms';
import { buildClient, CommitmentPolicy, getClient, KmsKeyringNode } from '@aws-crypto/client-node';
import { removeDir, startServer, tempDir, testCredentials, type RunningServer } from '../harness/server.js';

const { encryptStream, decrypt, decryptStream } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
const context = { purpose: 'encryption-sdk test', tenant: 'keyhold' };

let server: RunningServer;
let workDir: string;
let keyA: string;
let keyB: string;
let plainFile: string;
let encryptedFile: string;

/** A keyring for keyhold keys: the SDK asks the supplier for a client per region (from the ARN).
 *  (The cast: the SDK's KMS class fits the keyring's client interface, but not under this repo's
 *  exactOptionalPropertyTypes, as its responses declare `KeyId?: string | undefined`.) */
function keyring(options: { generatorKeyId?: string; discovery?: true }): KmsKeyringNode {
  const clientProvider = getClient(KMS as unknown as Parameters<typeof getClient>[0], { endpoint: server.url, credentials: testCredentials, maxAttempts: 1 });
  return options.discovery === true
    ? new KmsKeyringNode({ clientProvider, discovery: true })
    : new KmsKeyringNode({ clientProvider, generatorKeyId: options.generatorKeyId ?? '' });
}

before(async () => {
  server = await startServer();
  workDir = tempDir('keyhold-esdk-');
  const kms = server.client();
  keyA = (await kms.send(new CreateKeyCommand({ Description: 'esdk generator' }))).KeyMetadata?.Arn ?? '';
  keyB = (await kms.send(new CreateKeyCommand({ Description: 'esdk other key' }))).KeyMetadata?.Arn ?? '';
  plainFile = join(workDir, 'plain.bin');
  encryptedFile = join(workDir, 'plain.bin.encrypted');
  writeFileSync(plainFile, randomBytes(1024 * 1024 + 17));
  await pipeline(createReadStream(plainFile), encryptStream(keyring({ generatorKeyId: keyA }), { encryptionContext: context }), createWriteStream(encryptedFile));
});
after(async () => {
  await server.stop();
  removeDir(server.dataDir);
  removeDir(workDir);
});

test('a 1 MiB file encrypted by the Encryption SDK under a keyhold key decrypts to the same bytes with its context', async () => {
  const original = readFileSync(plainFile);
  const encrypted = readFileSync(encryptedFile);
  assert.ok(encrypted.length > original.length, 'the message is larger than the plaintext');
  assert.equal(encrypted.indexOf(original.subarray(0, 64)), -1, 'the plaintext shows through');

  const { plaintext, messageHeader } = await decrypt(keyring({ generatorKeyId: keyA }), encrypted);
  assert.ok(plaintext.equals(original), 'decrypted bytes differ');
  for (const [k, v] of Object.entries(context)) assert.equal(messageHeader.encryptionContext[k], v);
  assert.equal(messageHeader.encryptedDataKeys.length, 1);
  assert.equal(messageHeader.encryptedDataKeys[0]?.providerId, 'aws-kms');
  assert.equal(messageHeader.encryptedDataKeys[0]?.providerInfo, keyA, 'the data key is wrapped under the generator key');

  // Streaming decryption of the file gives the same bytes.
  const roundTrip = join(workDir, 'plain.bin.decrypted');
  await pipeline(createReadStream(encryptedFile), decryptStream(keyring({ generatorKeyId: keyA })), createWriteStream(roundTrip));
  assert.ok(readFileSync(roundTrip).equals(original), 'stream-decrypted bytes differ');

  // A discovery keyring asks keyhold to decrypt whatever key the message names.
  const discovered = await decrypt(keyring({ discovery: true }), encrypted);
  assert.ok(discovered.plaintext.equals(original));
});

test('a keyring for a different keyhold key cannot decrypt the file, nor can keyhold with that key', async () => {
  const encrypted = readFileSync(encryptedFile);
  // The SDK's own failure when no keyring produced the data key.
  await assert.rejects(decrypt(keyring({ generatorKeyId: keyB }), encrypted), /unencryptedDataKey has not been set|unable to decrypt/i);

  // Asked directly, keyhold refuses to unwrap the message's data key under the other key.
  const { messageHeader } = await decrypt(keyring({ generatorKeyId: keyA }), encrypted);
  const edk = messageHeader.encryptedDataKeys[0]?.encryptedDataKey;
  const fullContext = { ...messageHeader.encryptionContext }; // ours plus the SDK's signing key
  assert.ok(edk);
  const kms = server.client();
  await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob: edk, KeyId: keyB, EncryptionContext: fullContext })), { name: 'IncorrectKeyException' });
  // Under the right key it unwraps, but only with the message's full encryption context.
  await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob: edk, KeyId: keyA, EncryptionContext: context })), { name: 'InvalidCiphertextException' });
  const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob: edk, KeyId: keyA, EncryptionContext: fullContext }));
  assert.equal(Plaintext?.length, 32, 'a 256-bit data key');
});

test('after DisableKey the file no longer decrypts, and after EnableKey it does again', async () => {
  const kms = server.client();
  await kms.send(new DisableKeyCommand({ KeyId: keyA }));
  try {
    const encrypted = readFileSync(encryptedFile);
    for (const ring of [keyring({ generatorKeyId: keyA }), keyring({ discovery: true })]) {
      // The keyring reports the KMS errors it met: keyhold's DisabledException for the key.
      await assert.rejects(decrypt(ring, encrypted), /Unable to decrypt data key[\s\S]*DisabledException[\s\S]*is disabled/);
    }
    // Encrypting under the disabled key fails too.
    await assert.rejects(
      pipeline(createReadStream(plainFile), encryptStream(keyring({ generatorKeyId: keyA }), { encryptionContext: context }), createWriteStream(join(workDir, 'never.encrypted'))),
      /disabled/i,
    );
  } finally {
    await kms.send(new EnableKeyCommand({ KeyId: keyA }));
  }
  const { plaintext } = await decrypt(keyring({ generatorKeyId: keyA }), readFileSync(encryptedFile));
  assert.ok(plaintext.equals(readFileSync(plainFile)));
});
