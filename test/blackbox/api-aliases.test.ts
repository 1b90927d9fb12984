// Aliases through the official AWS SDK against the real server: CreateAlias, UpdateAlias,
// DeleteAlias and ListAliases, with AWS's naming rules, errors and HTTP statuses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateAliasCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  ListAliasesCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
  type AliasListEntry,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { serverForFile } from '../harness/server.js';
import { UNKNOWN_KEY_ID, accountOf, createKey, expectError, text, uniqueAlias } from './api-helpers.js';

let kms: KMSClient;
serverForFile((s) => void (kms = s.client()));

/** Every alias of the account (walking all pages), or those of one key. */
async function allAliases(keyId?: string): Promise<AliasListEntry[]> {
  const out: AliasListEntry[] = [];
  let marker: string | undefined;
  do {
    const page = await kms.send(new ListAliasesCommand({ ...(keyId ? { KeyId: keyId } : {}), ...(marker ? { Marker: marker } : {}) }));
    out.push(...(page.Aliases ?? []));
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return out;
}
const findAlias = async (name: string): Promise<AliasListEntry | undefined> => (await allAliases()).find((a) => a.AliasName === name);
const targetOf = async (alias: string): Promise<string | undefined> =>
  (await kms.send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata?.KeyId;

test('CreateAlias makes an alias that ListAliases shows with its ARN, target key id and dates', async () => {
  const md = await createKey(kms);
  const alias = uniqueAlias('create');
  const res = await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: md.KeyId }));
  assert.equal(res.$metadata.httpStatusCode, 200);
  const entry = await findAlias(alias);
  assert.ok(entry, 'alias listed');
  assert.equal(entry.AliasArn, `arn:aws:kms:us-east-1:${accountOf(md.Arn)}:${alias}`);
  assert.equal(entry.TargetKeyId, md.KeyId);
  assert.ok(entry.CreationDate instanceof Date);
  assert.ok(entry.LastUpdatedDate instanceof Date);
  assert.equal(await targetOf(alias), md.KeyId);
});

test('CreateAlias accepts the target key ARN', async () => {
  const md = await createKey(kms);
  const alias = uniqueAlias('by-arn');
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: md.Arn }));
  assert.equal(await targetOf(alias), md.KeyId);
});

test('CreateAlias accepts a name with slashes, underscores, dashes and digits', async () => {
  const md = await createKey(kms);
  const alias = `alias/team_A/app-1/${process.pid}`;
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: md.KeyId }));
  assert.equal(await targetOf(alias), md.KeyId);
});

test('a key may have several aliases, all of which resolve to it', async () => {
  const md = await createKey(kms);
  const names = [uniqueAlias('multi'), uniqueAlias('multi'), uniqueAlias('multi')];
  for (const n of names) await kms.send(new CreateAliasCommand({ AliasName: n, TargetKeyId: md.KeyId }));
  for (const n of names) assert.equal(await targetOf(n), md.KeyId);
  assert.deepEqual((await allAliases(md.KeyId)).map((a) => a.AliasName).sort(), [...names].sort());
});

test('CreateAlias with a name already in use is AlreadyExistsException (409), even for another key, and the alias keeps its target', async () => {
  const a = await createKey(kms);
  const b = await createKey(kms);
  const alias = uniqueAlias('dup');
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: a.KeyId }));
  await expectError(kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: a.KeyId })), 'AlreadyExistsException', 409);
  await expectError(kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: b.KeyId })), 'AlreadyExistsException', 409);
  assert.equal(await targetOf(alias), a.KeyId);
});

test('CreateAlias with a name beginning alias/aws/ is InvalidAliasNameException (400): reserved for AWS managed keys', async () => {
  const md = await createKey(kms);
  await expectError(kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/x', TargetKeyId: md.KeyId })), 'InvalidAliasNameException', 400);
  await expectError(kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/s3', TargetKeyId: md.KeyId })), 'InvalidAliasNameException', 400);
});

test('CreateAlias with a name that lacks the alias/ prefix is ValidationException (400)', async () => {
  const md = await createKey(kms);
  await expectError(kms.send(new CreateAliasCommand({ AliasName: 'my-key', TargetKeyId: md.KeyId })), 'ValidationException', 400);
  await expectError(kms.send(new CreateAliasCommand({ AliasName: 'Alias/my-key', TargetKeyId: md.KeyId })), 'ValidationException', 400);
});

test('CreateAlias with characters outside the alias pattern is refused with a 400', async () => {
  const md = await createKey(kms);
  // Space and '!' break the model's pattern (ValidationException); ':' passes the model but not the alias rules.
  await expectError(kms.send(new CreateAliasCommand({ AliasName: 'alias/has space', TargetKeyId: md.KeyId })), 'ValidationException', 400);
  await expectError(kms.send(new CreateAliasCommand({ AliasName: 'alias/bang!', TargetKeyId: md.KeyId })), 'ValidationException', 400);
  await expectError(kms.send(new CreateAliasCommand({ AliasName: 'alias/a:b', TargetKeyId: md.KeyId })), 'InvalidAliasNameException', 400);
  await expectError(kms.send(new CreateAliasCommand({ AliasName: 'alias/', TargetKeyId: md.KeyId })), 'InvalidAliasNameException', 400);
});

test('CreateAlias for an unknown key is NotFoundException (404)', async () => {
  await expectError(kms.send(new CreateAliasCommand({ AliasName: uniqueAlias('orphan'), TargetKeyId: UNKNOWN_KEY_ID })), 'NotFoundException', 404);
});

test('CreateAlias refuses an alias as TargetKeyId (NotFoundException 404): it takes a key id or key ARN', async () => {
  const md = await createKey(kms);
  const first = uniqueAlias('first');
  await kms.send(new CreateAliasCommand({ AliasName: first, TargetKeyId: md.KeyId }));
  const second = uniqueAlias('second');
  await expectError(kms.send(new CreateAliasCommand({ AliasName: second, TargetKeyId: first })), 'NotFoundException', 404);
  assert.equal(await findAlias(second), undefined);
});

test('CreateAlias for a disabled key succeeds', async () => {
  const md = await createKey(kms);
  await kms.send(new DisableKeyCommand({ KeyId: md.KeyId }));
  const alias = uniqueAlias('disabled');
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: md.KeyId }));
  assert.equal(await targetOf(alias), md.KeyId);
});

test('UpdateAlias points the alias at another key: Encrypt by alias then uses it, and old ciphertexts still decrypt', async () => {
  const a = await createKey(kms);
  const b = await createKey(kms);
  const alias = uniqueAlias('update');
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: a.KeyId }));
  const before = (await findAlias(alias))?.LastUpdatedDate;
  const old = await kms.send(new EncryptCommand({ KeyId: alias, Plaintext: Buffer.from('under a') }));
  assert.equal(old.KeyId, a.Arn);
  await kms.send(new UpdateAliasCommand({ AliasName: alias, TargetKeyId: b.Arn }));
  const entry = await findAlias(alias);
  assert.equal(entry?.TargetKeyId, b.KeyId);
  assert.ok(entry?.LastUpdatedDate && before && entry.LastUpdatedDate.getTime() >= before.getTime());
  const fresh = await kms.send(new EncryptCommand({ KeyId: alias, Plaintext: Buffer.from('under b') }));
  assert.equal(fresh.KeyId, b.Arn);
  const dec = await kms.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob }));
  assert.equal(text(dec.Plaintext), 'under a');
  assert.equal(dec.KeyId, a.Arn);
  // Decrypting the old ciphertext "by alias" now names the wrong key.
  await expectError(kms.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob, KeyId: alias })), 'IncorrectKeyException', 400);
});

test('UpdateAlias of an alias that does not exist is NotFoundException (404) and creates nothing', async () => {
  const md = await createKey(kms);
  const alias = uniqueAlias('never');
  await expectError(kms.send(new UpdateAliasCommand({ AliasName: alias, TargetKeyId: md.KeyId })), 'NotFoundException', 404);
  assert.equal(await findAlias(alias), undefined);
});

test('UpdateAlias to an unknown key is NotFoundException (404) and the alias keeps its target', async () => {
  const md = await createKey(kms);
  const alias = uniqueAlias('upd-unknown');
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: md.KeyId }));
  await expectError(kms.send(new UpdateAliasCommand({ AliasName: alias, TargetKeyId: UNKNOWN_KEY_ID })), 'NotFoundException', 404);
  assert.equal(await targetOf(alias), md.KeyId);
});

test('UpdateAlias of a reserved alias/aws/ name is InvalidAliasNameException (400)', async () => {
  const md = await createKey(kms);
  await expectError(kms.send(new UpdateAliasCommand({ AliasName: 'alias/aws/ebs', TargetKeyId: md.KeyId })), 'InvalidAliasNameException', 400);
});

test('UpdateAlias to a key pending deletion is KMSInvalidStateException (409)', async () => {
  const a = await createKey(kms);
  const b = await createKey(kms);
  const alias = uniqueAlias('upd-pending');
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: a.KeyId }));
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: b.KeyId, PendingWindowInDays: 7 }));
  await expectError(kms.send(new UpdateAliasCommand({ AliasName: alias, TargetKeyId: b.KeyId })), 'KMSInvalidStateException', 409);
  assert.equal(await targetOf(alias), a.KeyId);
});

test('DeleteAlias removes the alias: using it is then NotFoundException (404) and the key is untouched', async () => {
  const md = await createKey(kms);
  const alias = uniqueAlias('delete');
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: md.KeyId }));
  const blob = await kms.send(new EncryptCommand({ KeyId: alias, Plaintext: Buffer.from('kept') }));
  await kms.send(new DeleteAliasCommand({ AliasName: alias }));
  assert.equal(await findAlias(alias), undefined);
  await expectError(kms.send(new EncryptCommand({ KeyId: alias, Plaintext: Buffer.from('x') })), 'NotFoundException', 404);
  await expectError(kms.send(new DescribeKeyCommand({ KeyId: alias })), 'NotFoundException', 404);
  const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: md.KeyId }));
  assert.equal(KeyMetadata?.KeyState, 'Enabled');
  assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob: blob.CiphertextBlob }))).Plaintext), 'kept');
});

test('a deleted alias name can be created again, for another key', async () => {
  const a = await createKey(kms);
  const b = await createKey(kms);
  const alias = uniqueAlias('reuse');
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: a.KeyId }));
  await kms.send(new DeleteAliasCommand({ AliasName: alias }));
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: b.KeyId }));
  assert.equal(await targetOf(alias), b.KeyId);
});

test('DeleteAlias of an alias that does not exist is NotFoundException (404)', async () => {
  await expectError(kms.send(new DeleteAliasCommand({ AliasName: uniqueAlias('ghost') })), 'NotFoundException', 404);
});

test('DeleteAlias of a name without the alias/ prefix is ValidationException (400)', async () => {
  await expectError(kms.send(new DeleteAliasCommand({ AliasName: 'no-prefix' })), 'ValidationException', 400);
});

test('DeleteAlias of an alias whose key is pending deletion succeeds', async () => {
  const md = await createKey(kms);
  const alias = uniqueAlias('del-pending');
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: md.KeyId }));
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }));
  await kms.send(new DeleteAliasCommand({ AliasName: alias }));
  assert.equal(await findAlias(alias), undefined);
});

test('ListAliases with KeyId (key id or key ARN) lists only that key\'s aliases', async () => {
  const a = await createKey(kms);
  const b = await createKey(kms);
  const aliasesA = [uniqueAlias('filter-a'), uniqueAlias('filter-a')];
  const aliasB = uniqueAlias('filter-b');
  for (const n of aliasesA) await kms.send(new CreateAliasCommand({ AliasName: n, TargetKeyId: a.KeyId }));
  await kms.send(new CreateAliasCommand({ AliasName: aliasB, TargetKeyId: b.KeyId }));
  const byId = await allAliases(a.KeyId);
  assert.deepEqual(byId.map((x) => x.AliasName).sort(), [...aliasesA].sort());
  assert.ok(byId.every((x) => x.TargetKeyId === a.KeyId));
  const byArn = await allAliases(a.Arn);
  assert.deepEqual(byArn.map((x) => x.AliasName).sort(), [...aliasesA].sort());
  assert.deepEqual((await allAliases(b.KeyId)).map((x) => x.AliasName), [aliasB]);
});

test('ListAliases with the KeyId of a key without aliases returns an empty, untruncated list', async () => {
  const md = await createKey(kms);
  const res = await kms.send(new ListAliasesCommand({ KeyId: md.KeyId }));
  assert.deepEqual(res.Aliases, []);
  assert.equal(res.Truncated, false);
  assert.equal(res.NextMarker, undefined);
});

test('ListAliases with the KeyId of an unknown key is NotFoundException (404)', async () => {
  await expectError(kms.send(new ListAliasesCommand({ KeyId: UNKNOWN_KEY_ID })), 'NotFoundException', 404);
});

