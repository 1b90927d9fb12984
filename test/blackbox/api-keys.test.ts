// Key lifecycle through the official AWS SDK against the real server: CreateKey, DescribeKey,
// EnableKey, DisableKey, UpdateKeyDescription, ScheduleKeyDeletion, CancelKeyDeletion, and the
// KeyId forms and errors AWS KMS defines for them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateKeyDescriptionCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { serverForFile } from '../harness/server.js';
import { UNKNOWN_KEY_ID, accountOf, createKey, expectError, uniqueAlias } from './api-helpers.js';

let kms: KMSClient;
serverForFile((s) => void (kms = s.client()));

const describe = async (keyId: string) => {
  const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
  assert.ok(KeyMetadata);
  return KeyMetadata;
};

const DAY_MS = 86_400_000;

// --- CreateKey -----------------------------------------------------------------------------

test('CreateKey with no input makes an enabled symmetric ENCRYPT_DECRYPT key with AWS-shaped metadata', async () => {
  const md = await createKey(kms);
  assert.match(md.KeyId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.match(md.Arn, /^arn:aws:kms:us-east-1:\d{12}:key\/[0-9a-f-]{36}$/);
  assert.equal(md.Arn, `arn:aws:kms:us-east-1:${md.AWSAccountId}:key/${md.KeyId}`);
  assert.equal(md.KeyState, 'Enabled');
  assert.equal(md.Enabled, true);
  assert.equal(md.KeySpec, 'SYMMETRIC_DEFAULT');
  assert.equal(md.CustomerMasterKeySpec, 'SYMMETRIC_DEFAULT');
  assert.equal(md.KeyUsage, 'ENCRYPT_DECRYPT');
  assert.equal(md.Origin, 'AWS_KMS');
  assert.equal(md.KeyManager, 'CUSTOMER');
  assert.deepEqual(md.EncryptionAlgorithms, ['SYMMETRIC_DEFAULT']);
  assert.equal(md.MultiRegion, false);
  assert.equal(md.Description, '');
  assert.ok(md.CreationDate instanceof Date && !Number.isNaN(md.CreationDate.getTime()));
  assert.match(md.CurrentKeyMaterialId ?? '', /^[0-9a-f]{64}$/);
  assert.equal(md.DeletionDate, undefined);
  assert.equal(md.PendingDeletionWindowInDays, undefined);
});

test('CreateKey gives every key a distinct key id and key material id', async () => {
  const a = await createKey(kms);
  const b = await createKey(kms);
  assert.notEqual(a.KeyId, b.KeyId);
  assert.notEqual(a.CurrentKeyMaterialId, b.CurrentKeyMaterialId);
});

test('CreateKey stores the Description, which DescribeKey returns', async () => {
  const md = await createKey(kms, { Description: 'payments key' });
  assert.equal(md.Description, 'payments key');
  assert.equal((await describe(md.KeyId)).Description, 'payments key');
});

test('CreateKey with Tags makes them visible in ListResourceTags', async () => {
  const md = await createKey(kms, { Tags: [{ TagKey: 'team', TagValue: 'payments' }, { TagKey: 'env', TagValue: 'prod' }] });
  const { Tags, Truncated } = await kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId }));
  assert.deepEqual(Tags, [{ TagKey: 'env', TagValue: 'prod' }, { TagKey: 'team', TagValue: 'payments' }]);
  assert.equal(Truncated, false);
});

test('CreateKey accepts CustomerMasterKeySpec SYMMETRIC_DEFAULT and KeyUsage ENCRYPT_DECRYPT given explicitly', async () => {
  const md = await createKey(kms, { CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' });
  assert.equal(md.KeySpec, 'SYMMETRIC_DEFAULT');
  const md2 = await createKey(kms, { KeySpec: 'SYMMETRIC_DEFAULT' });
  assert.equal(md2.KeyUsage, 'ENCRYPT_DECRYPT');
});

test('CreateKey accepts a JSON key policy document', async () => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'kms:*', Resource: '*' }],
  });
  const md = await createKey(kms, { Policy: policy });
  assert.equal(md.KeyState, 'Enabled');
});

test('CreateKey with a Policy that is not JSON is MalformedPolicyDocumentException (400)', async () => {
  await expectError(kms.send(new CreateKeyCommand({ Policy: 'this is { not json' })), 'MalformedPolicyDocumentException', 400);
});

test('CreateKey with a JSON Policy that has no Statement is MalformedPolicyDocumentException (400)', async () => {
  await expectError(kms.send(new CreateKeyCommand({ Policy: JSON.stringify({ Version: '2012-10-17' }) })), 'MalformedPolicyDocumentException', 400);
  await expectError(kms.send(new CreateKeyCommand({ Policy: '[]' })), 'MalformedPolicyDocumentException', 400);
});

test('CreateKey with KeySpec ECC_NIST_P256 and the default KeyUsage ENCRYPT_DECRYPT is ValidationException (400)', async () => {
  await expectError(kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256' })), 'ValidationException', 400);
  await expectError(kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'SIGN_VERIFY' })), 'ValidationException', 400);
});

test('CreateKey with KeyUsage SIGN_VERIFY for a SYMMETRIC_DEFAULT key is ValidationException (400)', async () => {
  await expectError(kms.send(new CreateKeyCommand({ KeyUsage: 'SIGN_VERIFY' })), 'ValidationException', 400);
  await expectError(kms.send(new CreateKeyCommand({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'SIGN_VERIFY' })), 'ValidationException', 400);
});

test('CreateKey with both KeySpec and CustomerMasterKeySpec is ValidationException (400)', async () => {
  await expectError(
    kms.send(new CreateKeyCommand({ KeySpec: 'SYMMETRIC_DEFAULT', CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT' })),
    'ValidationException',
    400,
  );
});

test('CreateKey with a Description over 8192 characters is ValidationException (400)', async () => {
  await expectError(kms.send(new CreateKeyCommand({ Description: 'x'.repeat(8193) })), 'ValidationException', 400);
});

test('CreateKey with MultiRegion true is UnsupportedOperationException (400)', async () => {
  await expectError(kms.send(new CreateKeyCommand({ MultiRegion: true })), 'UnsupportedOperationException', 400);
});

// --- DescribeKey and KeyId forms ----------------------------------------------------------

test('DescribeKey accepts the key id, key ARN, alias name and alias ARN, all naming the same key', async () => {
  const md = await createKey(kms);
  const alias = uniqueAlias('describe');
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: md.KeyId }));
  const aliasArn = `arn:aws:kms:us-east-1:${accountOf(md.Arn)}:${alias}`;
  for (const form of [md.KeyId, md.Arn, alias, aliasArn]) {
    const got = await describe(form);
    assert.equal(got.KeyId, md.KeyId, `DescribeKey(${form})`);
    assert.equal(got.Arn, md.Arn, `DescribeKey(${form})`);
  }
});

test('DescribeKey of a well-formed but unknown key id is NotFoundException (404)', async () => {
  await expectError(kms.send(new DescribeKeyCommand({ KeyId: UNKNOWN_KEY_ID })), 'NotFoundException', 404);
});

test('DescribeKey of an unknown key ARN is NotFoundException (404)', async () => {
  const md = await createKey(kms);
  const arn = `arn:aws:kms:us-east-1:${accountOf(md.Arn)}:key/${UNKNOWN_KEY_ID}`;
  await expectError(kms.send(new DescribeKeyCommand({ KeyId: arn })), 'NotFoundException', 404);
});

test('DescribeKey of a malformed key id is NotFoundException (404)', async () => {
  await expectError(kms.send(new DescribeKeyCommand({ KeyId: 'not-a-key-id' })), 'NotFoundException', 404);
  await expectError(kms.send(new DescribeKeyCommand({ KeyId: '1234' })), 'NotFoundException', 404);
});

test('DescribeKey of an alias that does not exist is NotFoundException (404)', async () => {
  await expectError(kms.send(new DescribeKeyCommand({ KeyId: uniqueAlias('missing') })), 'NotFoundException', 404);
});

test('DescribeKey of a real key id under a key ARN for another region is NotFoundException (404)', async () => {
  const md = await createKey(kms);
  const otherRegion = `arn:aws:kms:eu-west-1:${accountOf(md.Arn)}:key/${md.KeyId}`;
  await expectError(kms.send(new DescribeKeyCommand({ KeyId: otherRegion })), 'NotFoundException', 404);
});

test(
  'DescribeKey of a real key id under a key ARN naming another account is NotFoundException (404)',
  async () => {
    const md = await createKey(kms);
    const otherAccount = accountOf(md.Arn) === '999999999999' ? '888888888888' : '999999999999';
    const foreign = `arn:aws:kms:us-east-1:${otherAccount}:key/${md.KeyId}`;
    await expectError(kms.send(new DescribeKeyCommand({ KeyId: foreign })), 'NotFoundException', 404);
  },
);

test('DescribeKey with an empty KeyId is ValidationException (400)', async () => {
  await expectError(kms.send(new DescribeKeyCommand({ KeyId: '' })), 'ValidationException', 400);
});

// --- UpdateKeyDescription ----------------------------------------------------------------------

test('UpdateKeyDescription replaces the description, by key id or key ARN', async () => {
  const md = await createKey(kms, { Description: 'before' });
  await kms.send(new UpdateKeyDescriptionCommand({ KeyId: md.KeyId, Description: 'after' }));
  assert.equal((await describe(md.KeyId)).Description, 'after');
  await kms.send(new UpdateKeyDescriptionCommand({ KeyId: md.Arn, Description: '' }));
  assert.equal((await describe(md.KeyId)).Description, '');
});

test('UpdateKeyDescription works on a disabled key', async () => {
  const md = await createKey(kms);
  await kms.send(new DisableKeyCommand({ KeyId: md.KeyId }));
  await kms.send(new UpdateKeyDescriptionCommand({ KeyId: md.KeyId, Description: 'disabled but described' }));
  assert.equal((await describe(md.KeyId)).Description, 'disabled but described');
});

test('UpdateKeyDescription of an unknown key is NotFoundException (404)', async () => {
  await expectError(kms.send(new UpdateKeyDescriptionCommand({ KeyId: UNKNOWN_KEY_ID, Description: 'x' })), 'NotFoundException', 404);
});

test('UpdateKeyDescription refuses an alias: it takes a key id or key ARN only (NotFoundException 404)', async () => {
  const md = await createKey(kms);
  const alias = uniqueAlias('describe-upd');
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: md.KeyId }));
  await expectError(kms.send(new UpdateKeyDescriptionCommand({ KeyId: alias, Description: 'x' })), 'NotFoundException', 404);
});

// --- EnableKey / DisableKey ------------------------------------------------------------------

test('DisableKey makes the key Disabled and EnableKey makes it Enabled again', async () => {
  const md = await createKey(kms);
  await kms.send(new DisableKeyCommand({ KeyId: md.KeyId }));
  let got = await describe(md.KeyId);
  assert.equal(got.KeyState, 'Disabled');
  assert.equal(got.Enabled, false);
  await kms.send(new EnableKeyCommand({ KeyId: md.Arn }));
  got = await describe(md.KeyId);
  assert.equal(got.KeyState, 'Enabled');
  assert.equal(got.Enabled, true);
});

test('DisableKey of a disabled key and EnableKey of an enabled key succeed and change nothing', async () => {
  const md = await createKey(kms);
  await kms.send(new EnableKeyCommand({ KeyId: md.KeyId }));
  assert.equal((await describe(md.KeyId)).KeyState, 'Enabled');
  await kms.send(new DisableKeyCommand({ KeyId: md.KeyId }));
  await kms.send(new DisableKeyCommand({ KeyId: md.KeyId }));
  assert.equal((await describe(md.KeyId)).KeyState, 'Disabled');
});

test('EnableKey and DisableKey of an unknown key are NotFoundException (404)', async () => {
  await expectError(kms.send(new EnableKeyCommand({ KeyId: UNKNOWN_KEY_ID })), 'NotFoundException', 404);
  await expectError(kms.send(new DisableKeyCommand({ KeyId: UNKNOWN_KEY_ID })), 'NotFoundException', 404);
  await expectError(kms.send(new DisableKeyCommand({ KeyId: 'garbage' })), 'NotFoundException', 404);
});

test('EnableKey and DisableKey refuse an alias name or alias ARN (NotFoundException 404) and leave the key as it was', async () => {
  const md = await createKey(kms);
  const alias = uniqueAlias('endis');
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: md.KeyId }));
  await expectError(kms.send(new DisableKeyCommand({ KeyId: alias })), 'NotFoundException', 404);
  await expectError(kms.send(new DisableKeyCommand({ KeyId: `arn:aws:kms:us-east-1:${accountOf(md.Arn)}:${alias}` })), 'NotFoundException', 404);
  await expectError(kms.send(new EnableKeyCommand({ KeyId: alias })), 'NotFoundException', 404);
  assert.equal((await describe(md.KeyId)).KeyState, 'Enabled');
});

// --- ScheduleKeyDeletion / CancelKeyDeletion ------------------------------------------------

test('ScheduleKeyDeletion without PendingWindowInDays waits 30 days and DescribeKey shows PendingDeletion', async () => {
  const md = await createKey(kms);
  const res = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId }));
  assert.equal(res.KeyId, md.Arn);
  assert.equal(res.KeyState, 'PendingDeletion');
  assert.equal(res.PendingWindowInDays, 30);
  assert.ok(res.DeletionDate instanceof Date);
  const got = await describe(md.KeyId);
  assert.equal(got.KeyState, 'PendingDeletion');
  assert.equal(got.Enabled, false);
  assert.equal(got.PendingDeletionWindowInDays, 30);
  assert.ok(got.DeletionDate instanceof Date);
  assert.equal(got.DeletionDate.getTime(), res.DeletionDate.getTime());
  // The deletion date is the window after the request: compare with the key's creation date, whole days only.
  const days = (got.DeletionDate.getTime() - (md.CreationDate?.getTime() ?? 0)) / DAY_MS;
  assert.ok(days > 29.9 && days < 30.1, `deletion ${days} days after creation`);
});

test('ScheduleKeyDeletion accepts PendingWindowInDays 7 and 30, the bounds of the window', async () => {
  for (const days of [7, 30]) {
    const md = await createKey(kms);
    const res = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.Arn, PendingWindowInDays: days }));
    assert.equal(res.PendingWindowInDays, days);
    const got = await describe(md.KeyId);
    assert.equal(got.PendingDeletionWindowInDays, days);
    const delta = ((got.DeletionDate?.getTime() ?? 0) - (md.CreationDate?.getTime() ?? 0)) / DAY_MS;
    assert.ok(delta > days - 0.1 && delta < days + 0.1, `deletion ${delta} days after creation, wanted ${days}`);
  }
});

test('ScheduleKeyDeletion with PendingWindowInDays 6 or 31 is ValidationException (400) and the key stays Enabled', async () => {
  const md = await createKey(kms);
  await expectError(kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 6 })), 'ValidationException', 400);
  await expectError(kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 31 })), 'ValidationException', 400);
  await expectError(kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 0 })), 'ValidationException', 400);
  const got = await describe(md.KeyId);
  assert.equal(got.KeyState, 'Enabled');
  assert.equal(got.DeletionDate, undefined);
});

test('ScheduleKeyDeletion of a disabled key is allowed', async () => {
  const md = await createKey(kms);
  await kms.send(new DisableKeyCommand({ KeyId: md.KeyId }));
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }));
  assert.equal((await describe(md.KeyId)).KeyState, 'PendingDeletion');
});

test('ScheduleKeyDeletion of an unknown key is NotFoundException (404), and an alias is refused', async () => {
  await expectError(kms.send(new ScheduleKeyDeletionCommand({ KeyId: UNKNOWN_KEY_ID })), 'NotFoundException', 404);
  const md = await createKey(kms);
  const alias = uniqueAlias('sched');
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: md.KeyId }));
  await expectError(kms.send(new ScheduleKeyDeletionCommand({ KeyId: alias })), 'NotFoundException', 404);
  assert.equal((await describe(md.KeyId)).KeyState, 'Enabled');
});

test('a key pending deletion refuses EnableKey, DisableKey, TagResource, UntagResource, UpdateKeyDescription, CreateAlias and a second ScheduleKeyDeletion with KMSInvalidStateException (409)', async () => {
  const md = await createKey(kms, { Description: 'doomed', Tags: [{ TagKey: 'k', TagValue: 'v' }] });
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }));
  const invalid = 'KMSInvalidStateException';
  await expectError(kms.send(new EnableKeyCommand({ KeyId: md.KeyId })), invalid, 409);
  await expectError(kms.send(new DisableKeyCommand({ KeyId: md.KeyId })), invalid, 409);
  await expectError(kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'a', TagValue: 'b' }] })), invalid, 409);
  await expectError(kms.send(new UntagResourceCommand({ KeyId: md.KeyId, TagKeys: ['k'] })), invalid, 409);
  await expectError(kms.send(new UpdateKeyDescriptionCommand({ KeyId: md.KeyId, Description: 'x' })), invalid, 409);
  await expectError(kms.send(new CreateAliasCommand({ AliasName: uniqueAlias('pending'), TargetKeyId: md.KeyId })), invalid, 409);
  await expectError(kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 30 })), invalid, 409);
  // Nothing changed, and read-only operations still work.
  const got = await describe(md.KeyId);
  assert.equal(got.KeyState, 'PendingDeletion');
  assert.equal(got.Description, 'doomed');
  assert.equal(got.PendingDeletionWindowInDays, 7);
  const { Tags } = await kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId }));
  assert.deepEqual(Tags, [{ TagKey: 'k', TagValue: 'v' }]);
});

test('CancelKeyDeletion returns a pending-deletion key to Disabled (not Enabled) and clears the deletion date', async () => {
  const md = await createKey(kms);
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }));
  const res = await kms.send(new CancelKeyDeletionCommand({ KeyId: md.Arn }));
  assert.equal(res.KeyId, md.Arn);
  const got = await describe(md.KeyId);
  assert.equal(got.KeyState, 'Disabled');
  assert.equal(got.Enabled, false);
  assert.equal(got.DeletionDate, undefined);
  assert.equal(got.PendingDeletionWindowInDays, undefined);
  await kms.send(new EnableKeyCommand({ KeyId: md.KeyId }));
  assert.equal((await describe(md.KeyId)).KeyState, 'Enabled');
});

test('CancelKeyDeletion of an Enabled or Disabled key is KMSInvalidStateException (409)', async () => {
  const md = await createKey(kms);
  await expectError(kms.send(new CancelKeyDeletionCommand({ KeyId: md.KeyId })), 'KMSInvalidStateException', 409);
  await kms.send(new DisableKeyCommand({ KeyId: md.KeyId }));
  await expectError(kms.send(new CancelKeyDeletionCommand({ KeyId: md.KeyId })), 'KMSInvalidStateException', 409);
  assert.equal((await describe(md.KeyId)).KeyState, 'Disabled');
});

test('CancelKeyDeletion of an unknown key is NotFoundException (404)', async () => {
  await expectError(kms.send(new CancelKeyDeletionCommand({ KeyId: UNKNOWN_KEY_ID })), 'NotFoundException', 404);
});

test('a key can be scheduled for deletion again after a cancellation', async () => {
  const md = await createKey(kms);
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }));
  await kms.send(new CancelKeyDeletionCommand({ KeyId: md.KeyId }));
  const res = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 10 }));
  assert.equal(res.PendingWindowInDays, 10);
  assert.equal((await describe(md.KeyId)).PendingDeletionWindowInDays, 10);
});

// --- Unimplemented operations -----------------------------------------------------------------

test('an unimplemented operation (DeleteImportedKeyMaterial) is UnsupportedOperationException (400)', async () => {
  const md = await createKey(kms);
  await expectError(kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: md.KeyId })), 'UnsupportedOperationException', 400);
});
