// Key policies are evaluated on every request, with AWS's semantics: explicit deny wins, conditions
// on the encryption context hold, and CreateKey refuses a policy that would lock its caller out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, GenerateDataKeyCommand, GetKeyPolicyCommand,
  ListKeyPoliciesCommand, PutKeyPolicyCommand, type KMSClient,
} from '@aws-sdk/client-kms';
import { serverForFile } from '../harness/server.js';

const ROOT = 'arn:aws:iam::000000000000:root';
let kms: KMSClient;
serverForFile((s) => void (kms = s.client()));

const policy = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allowRoot = (over: object = {}): object => ({ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*', ...over });

async function denied(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    assert.equal((err as Error).name, 'AccessDeniedException');
    return (err as Error).message;
  }
  return assert.fail('the call was allowed');
}

test('an explicit Deny in the key policy refuses that action and names principal, action and key', async () => {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({
    Policy: policy(allowRoot(), { Effect: 'Deny', Principal: { AWS: ROOT }, Action: 'kms:Encrypt', Resource: '*' }),
  }));
  const message = await denied(kms.send(new EncryptCommand({ KeyId: KeyMetadata?.KeyId, Plaintext: Buffer.from('x') })));
  assert.equal(message, `User: ${ROOT} is not authorized to perform: kms:Encrypt on resource: ${KeyMetadata?.Arn} with an explicit deny in a resource-based policy`);
  // Everything the Deny does not name still works.
  const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: KeyMetadata?.KeyId, KeySpec: 'AES_256' }));
  const plain = await kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }));
  assert.deepEqual(Buffer.from(plain.Plaintext ?? []), Buffer.from(dataKey.Plaintext ?? []));
});

test('a condition on kms:EncryptionContext allows only requests that carry that context', async () => {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({
    Policy: policy(
      allowRoot({ NotAction: 'kms:Decrypt', Action: undefined }),
      allowRoot({ Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'acme' } } }),
    ),
  }));
  const encrypt = (tenant: string) => kms.send(new EncryptCommand({ KeyId: KeyMetadata?.KeyId, Plaintext: Buffer.from('x'), EncryptionContext: { tenant } }));
  const forAcme = await encrypt('acme');
  const forOther = await encrypt('other');
  await kms.send(new DecryptCommand({ CiphertextBlob: forAcme.CiphertextBlob, EncryptionContext: { tenant: 'acme' } }));
  const message = await denied(kms.send(new DecryptCommand({ CiphertextBlob: forOther.CiphertextBlob, EncryptionContext: { tenant: 'other' } })));
  assert.match(message, /because no resource-based policy allows the kms:Decrypt action$/);
});

test('CreateKey refuses a policy that would lock the caller out of the key', async () => {
  const foreign = policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' });
  await assert.rejects(kms.send(new CreateKeyCommand({ Policy: foreign })), (err: Error) => {
    assert.equal(err.name, 'MalformedPolicyDocumentException');
    assert.equal(err.message, 'The new key policy will not allow you to update the key policy in the future.');
    return true;
  });
  const withoutPutKeyPolicy = policy(allowRoot({ Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'] }));
  await assert.rejects(kms.send(new CreateKeyCommand({ Policy: withoutPutKeyPolicy })), { name: 'MalformedPolicyDocumentException' });
});

test('with BypassPolicyLockoutSafetyCheck the key is created, and its policy then refuses the caller', async () => {
  const foreign = policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' });
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Policy: foreign, BypassPolicyLockoutSafetyCheck: true }));
  const message = await denied(kms.send(new DescribeKeyCommand({ KeyId: KeyMetadata?.KeyId })));
  assert.equal(message, `User: ${ROOT} is not authorized to perform: kms:DescribeKey on resource: ${KeyMetadata?.Arn} because no resource-based policy allows the kms:DescribeKey action`);
});

test('a key policy with an unknown condition operator is MalformedPolicyDocumentException', async () => {
  const bad = policy(allowRoot({ Condition: { StringEqualz: { 'kms:CallerAccount': '000000000000' } } }));
  await assert.rejects(kms.send(new CreateKeyCommand({ Policy: bad })), { name: 'MalformedPolicyDocumentException' });
});

test('GetKeyPolicy returns AWS\'s default policy for a key created without one, and ListKeyPolicies names it', async () => {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  const { Policy, PolicyName } = await kms.send(new GetKeyPolicyCommand({ KeyId: KeyMetadata?.KeyId }));
  assert.equal(PolicyName, 'default');
  const document = JSON.parse(Policy ?? '{}') as { Statement: { Effect: string; Principal: { AWS: string }; Action: string }[] };
  assert.deepEqual(document.Statement.map((s) => [s.Effect, s.Principal.AWS, s.Action]), [['Allow', ROOT, 'kms:*']]);
  assert.deepEqual((await kms.send(new ListKeyPoliciesCommand({ KeyId: KeyMetadata?.KeyId }))).PolicyNames, ['default']);
  await assert.rejects(kms.send(new GetKeyPolicyCommand({ KeyId: KeyMetadata?.KeyId, PolicyName: 'other' })), { name: 'NotFoundException' });
});

test('PutKeyPolicy takes effect on the next request, and putting the old policy back restores access', async () => {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  const keyId = KeyMetadata?.KeyId;
  const original = (await kms.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy;
  await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('before') }));
  await kms.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: policy(allowRoot(), { Effect: 'Deny', Principal: { AWS: ROOT }, Action: 'kms:Encrypt', Resource: '*' }) }));
  await denied(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('revoked') })));
  await kms.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: original }));
  await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('restored') }));
});

test('PutKeyPolicy refuses a lockout or a malformed policy and leaves the policy as it was', async () => {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  const keyId = KeyMetadata?.KeyId;
  const original = (await kms.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy;
  const foreign = policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' });
  await assert.rejects(kms.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: foreign })), { name: 'MalformedPolicyDocumentException' });
  await assert.rejects(kms.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: '{"Statement": "nope"}' })), { name: 'MalformedPolicyDocumentException' });
  await assert.rejects(kms.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: original, PolicyName: 'other' })), { name: 'NotFoundException' });
  assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy, original);
});
