// The grant quota, in process: "Grants per KMS key: 50,000". The first 49,999 grants are written
// straight to the store (50,000 CreateGrant calls would take minutes); the 50,000th comes through
// the API, is in force at once, and the next one is LimitExceededException.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateGrantCommand, CreateKeyCommand, ListGrantsCommand } from '@aws-sdk/client-kms';
import { startInProcess } from '../harness/in-process.js';
import { removeDir, tempDir } from '../harness/server.js';

test('a key has at most 50,000 grants: the next CreateGrant is LimitExceededException', async (t) => {
  const dir = tempDir();
  const server = await startInProcess(dir);
  t.after(async () => {
    await server.close();
    removeDir(dir);
  });
  const kms = server.client();
  const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId ?? '';
  const grantee = 'arn:aws:iam::000000000000:user/app';
  const now = server.clock.now();
  await server.app.deps.store.transaction(async (tx) => {
    for (let i = 0; i < 49_999; i++) {
      await tx.insertGrant({
        grantId: i.toString(16).padStart(64, '0'), keyId, name: null, granteePrincipal: grantee, retiringPrincipal: null,
        operations: ['Decrypt'], constraints: null, issuingAccount: '000000000000', createdAt: now,
      });
    }
  });
  const input = { KeyId: keyId, GranteePrincipal: grantee, Operations: ['Encrypt' as const] };
  const { GrantId } = await kms.send(new CreateGrantCommand(input));
  assert.deepEqual((await kms.send(new ListGrantsCommand({ KeyId: keyId, GrantId }))).Grants?.map((g) => g.Operations), [['Encrypt']]);
  await assert.rejects(kms.send(new CreateGrantCommand(input)), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(err.name, 'LimitExceededException');
    assert.equal(err.$metadata?.httpStatusCode, 400);
    return true;
  });
});
