// Ciphertext integrity through the real server: every changed byte, every truncation, a changed
// context and a blob re-pointed at another key are all InvalidCiphertextException.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { removeDir, startServer, type RunningServer } from '../harness/server.js';

let server: RunningServer;
let kms: KMSClient;
let blob: Buffer;
let otherKeyId: string;
const context = { tenant: 'acme', purpose: 'tamper-test' };

before(async () => {
  server = await startServer();
  kms = server.client();
  const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId;
  otherKeyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId ?? '';
  blob = Buffer.from((await kms.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from('integrity matters'), EncryptionContext: context }))).CiphertextBlob ?? []);
});
after(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

async function decryptError(ciphertext: Buffer, ctx: Record<string, string> = context): Promise<string> {
  try {
    await kms.send(new DecryptCommand({ CiphertextBlob: ciphertext, EncryptionContext: ctx }));
    return 'decrypted';
  } catch (err) {
    return (err as Error).name;
  }
}

test('the untampered ciphertext decrypts (the control for the cases below)', async () => {
  assert.equal(await decryptError(blob), 'decrypted');
});

test('flipping one bit at every byte position is InvalidCiphertextException', async () => {
  const outcomes = new Map<string, number[]>();
  for (let i = 0; i < blob.length; i++) {
    const tampered = Buffer.from(blob);
    tampered[i] = (tampered[i] ?? 0) ^ 0x01;
    const name = await decryptError(tampered);
    outcomes.set(name, [...(outcomes.get(name) ?? []), i]);
  }
  assert.deepEqual([...outcomes.keys()], ['InvalidCiphertextException'], `positions by outcome: ${JSON.stringify(Object.fromEntries(outcomes))}`);
});

test('every truncation of the ciphertext, and one extra byte, is InvalidCiphertextException', async () => {
  for (let length = 1; length < blob.length; length++) {
    assert.equal(await decryptError(blob.subarray(0, length)), 'InvalidCiphertextException', `truncated to ${length} bytes`);
  }
  assert.equal(await decryptError(Buffer.concat([blob, Buffer.from([0])])), 'InvalidCiphertextException');
});

test('a missing, changed or extra encryption context pair is InvalidCiphertextException', async () => {
  assert.equal(await decryptError(blob, {}), 'InvalidCiphertextException');
  assert.equal(await decryptError(blob, { tenant: 'acme' }), 'InvalidCiphertextException');
  assert.equal(await decryptError(blob, { ...context, tenant: 'acmf' }), 'InvalidCiphertextException');
  assert.equal(await decryptError(blob, { ...context, extra: '' }), 'InvalidCiphertextException');
});

test('a ciphertext re-pointed at another existing key is InvalidCiphertextException', async () => {
  const repointed = Buffer.from(blob);
  Buffer.from(otherKeyId.replaceAll('-', ''), 'hex').copy(repointed, 2);
  assert.equal(await decryptError(repointed), 'InvalidCiphertextException');
});
