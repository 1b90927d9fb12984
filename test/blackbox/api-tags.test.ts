// Tags through the official AWS SDK against the real server: TagResource, UntagResource and
// ListResourceTags, with AWS's tag rules (aws: prefix reserved, 50 tags per key), errors and statuses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type KMSClient,
  type Tag,
} from '@aws-sdk/client-kms';
import { serverForFile } from '../harness/server.js';
import { UNKNOWN_KEY_ID, accountOf, createKey, expectError, uniqueAlias } from './api-helpers.js';

let kms: KMSClient;
serverForFile((s) => void (kms = s.client()));

const tags = (n: number, prefix = 't'): Tag[] =>
  Array.from({ length: n }, (_, i) => ({ TagKey: `${prefix}${String(i).padStart(2, '0')}`, TagValue: `v${i}` }));

/** All of a key's tags, walking every page. */
async function allTags(keyId: string, limit?: number): Promise<{ tags: Tag[]; pages: number }> {
  const out: Tag[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const page = await kms.send(new ListResourceTagsCommand({ KeyId: keyId, ...(limit ? { Limit: limit } : {}), ...(marker ? { Marker: marker } : {}) }));
    pages++;
    out.push(...(page.Tags ?? []));
    assert.equal(page.Truncated, page.NextMarker !== undefined, 'Truncated is true exactly when NextMarker is present');
    marker = page.NextMarker;
  } while (marker);
  return { tags: out, pages };
}
const byKey = (a: Tag, b: Tag): number => ((a.TagKey ?? '') < (b.TagKey ?? '') ? -1 : 1);
const sorted = (t: readonly Tag[]): Tag[] => [...t].sort(byKey);

test('a new key without tags has an empty, untruncated tag list', async () => {
  const md = await createKey(kms);
  const res = await kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId }));
  assert.deepEqual(res.Tags, []);
  assert.equal(res.Truncated, false);
  assert.equal(res.NextMarker, undefined);
});

test('TagResource adds tags that ListResourceTags returns, by key id or key ARN', async () => {
  const md = await createKey(kms);
  await kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'owner', TagValue: 'alice' }] }));
  await kms.send(new TagResourceCommand({ KeyId: md.Arn, Tags: [{ TagKey: 'cost-center', TagValue: '42' }] }));
  for (const id of [md.KeyId, md.Arn]) {
    const { tags: got } = await allTags(id);
    assert.deepEqual(sorted(got), [{ TagKey: 'cost-center', TagValue: '42' }, { TagKey: 'owner', TagValue: 'alice' }]);
  }
});

test('TagResource with an existing tag key overwrites its value and adds no tag', async () => {
  const md = await createKey(kms, { Tags: [{ TagKey: 'env', TagValue: 'dev' }] });
  await kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'env', TagValue: 'prod' }] }));
  assert.deepEqual((await allTags(md.KeyId)).tags, [{ TagKey: 'env', TagValue: 'prod' }]);
});

test('tag keys are case-sensitive: Env and env are two tags', async () => {
  const md = await createKey(kms);
  await kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'env', TagValue: 'a' }, { TagKey: 'Env', TagValue: 'b' }] }));
  assert.equal((await allTags(md.KeyId)).tags.length, 2);
});

test('TagResource accepts an empty tag value', async () => {
  const md = await createKey(kms);
  await kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'flag', TagValue: '' }] }));
  assert.deepEqual((await allTags(md.KeyId)).tags, [{ TagKey: 'flag', TagValue: '' }]);
});

test('TagResource works on a disabled key', async () => {
  const md = await createKey(kms);
  await kms.send(new DisableKeyCommand({ KeyId: md.KeyId }));
  await kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'k', TagValue: 'v' }] }));
  assert.deepEqual((await allTags(md.KeyId)).tags, [{ TagKey: 'k', TagValue: 'v' }]);
});

test('UntagResource removes the named tags and leaves the others', async () => {
  const md = await createKey(kms, { Tags: [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'b', TagValue: '2' }, { TagKey: 'c', TagValue: '3' }] });
  await kms.send(new UntagResourceCommand({ KeyId: md.KeyId, TagKeys: ['a', 'c'] }));
  assert.deepEqual((await allTags(md.KeyId)).tags, [{ TagKey: 'b', TagValue: '2' }]);
});

test('UntagResource of a tag key the key does not have succeeds and changes nothing', async () => {
  const md = await createKey(kms, { Tags: [{ TagKey: 'keep', TagValue: 'me' }] });
  await kms.send(new UntagResourceCommand({ KeyId: md.Arn, TagKeys: ['absent'] }));
  assert.deepEqual((await allTags(md.KeyId)).tags, [{ TagKey: 'keep', TagValue: 'me' }]);
});

test('TagResource with a tag key beginning aws: is TagException (400) and adds nothing', async () => {
  const md = await createKey(kms);
  await expectError(kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'aws:createdBy', TagValue: 'me' }] })), 'TagException', 400);
  await expectError(
    kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'fine', TagValue: 'x' }, { TagKey: 'aws:x', TagValue: 'y' }] })),
    'TagException',
    400,
  );
  assert.deepEqual((await allTags(md.KeyId)).tags, []);
});

test('CreateKey with a tag key beginning aws: is TagException (400) and creates no key', async () => {
  const before = (await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys?.length;
  await expectError(kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'aws:reserved', TagValue: 'x' }] })), 'TagException', 400);
  const after = (await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys?.length;
  assert.equal(after, before);
});

test('TagResource with more than 50 tags in one request is TagException (400) and adds none', async () => {
  const md = await createKey(kms);
  await expectError(kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: tags(51) })), 'TagException', 400);
  assert.deepEqual((await allTags(md.KeyId)).tags, []);
});

test('CreateKey with more than 50 tags is TagException (400)', async () => {
  await expectError(kms.send(new CreateKeyCommand({ Tags: tags(51) })), 'TagException', 400);
});

test('a key holds exactly 50 tags: overwriting one is fine, a 51st is TagException (400) and changes nothing', async () => {
  const md = await createKey(kms, { Tags: tags(50) });
  await kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 't00', TagValue: 'changed' }] }));
  await expectError(
    kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 't01', TagValue: 'lost' }, { TagKey: 'one-too-many', TagValue: 'x' }] })),
    'TagException',
    400,
  );
  const { tags: got } = await allTags(md.KeyId);
  assert.equal(got.length, 50);
  assert.equal(got.find((t) => t.TagKey === 't00')?.TagValue, 'changed');
  assert.equal(got.find((t) => t.TagKey === 't01')?.TagValue, 'v1', 'the refused request changed nothing');
  assert.equal(got.find((t) => t.TagKey === 'one-too-many'), undefined);
});

test('TagResource with the same tag key twice in one request is TagException (400)', async () => {
  const md = await createKey(kms);
  await expectError(
    kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'dup', TagValue: '1' }, { TagKey: 'dup', TagValue: '2' }] })),
    'TagException',
    400,
  );
});

test('TagResource with a tag key over 128 characters or a value over 256 is ValidationException (400)', async () => {
  const md = await createKey(kms);
  await expectError(kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'k'.repeat(129), TagValue: 'v' }] })), 'ValidationException', 400);
  await expectError(kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'k', TagValue: 'v'.repeat(257) }] })), 'ValidationException', 400);
});

test('TagResource, UntagResource and ListResourceTags refuse an alias name or alias ARN (NotFoundException 404): they take a key id or key ARN', async () => {
  const md = await createKey(kms);
  const alias = uniqueAlias('tags');
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: md.KeyId }));
  const aliasArn = `arn:aws:kms:us-east-1:${accountOf(md.Arn)}:${alias}`;
  for (const id of [alias, aliasArn]) {
    await expectError(kms.send(new TagResourceCommand({ KeyId: id, Tags: [{ TagKey: 'k', TagValue: 'v' }] })), 'NotFoundException', 404);
    await expectError(kms.send(new UntagResourceCommand({ KeyId: id, TagKeys: ['k'] })), 'NotFoundException', 404);
    await expectError(kms.send(new ListResourceTagsCommand({ KeyId: id })), 'NotFoundException', 404);
  }
  assert.deepEqual((await allTags(md.KeyId)).tags, []);
});

test('TagResource, UntagResource and ListResourceTags of an unknown key are NotFoundException (404)', async () => {
  await expectError(kms.send(new TagResourceCommand({ KeyId: UNKNOWN_KEY_ID, Tags: [{ TagKey: 'k', TagValue: 'v' }] })), 'NotFoundException', 404);
  await expectError(kms.send(new UntagResourceCommand({ KeyId: UNKNOWN_KEY_ID, TagKeys: ['k'] })), 'NotFoundException', 404);
  await expectError(kms.send(new ListResourceTagsCommand({ KeyId: UNKNOWN_KEY_ID })), 'NotFoundException', 404);
  await expectError(kms.send(new ListResourceTagsCommand({ KeyId: 'not-a-key' })), 'NotFoundException', 404);
});

test('ListResourceTags with Limit pages through every tag exactly once via NextMarker', async () => {
  const md = await createKey(kms, { Tags: tags(12) });
  const first = await kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId, Limit: 5 }));
  assert.equal(first.Tags?.length, 5);
  assert.equal(first.Truncated, true);
  assert.ok(first.NextMarker);
  const { tags: got, pages } = await allTags(md.KeyId, 5);
  assert.equal(pages, 3);
  assert.deepEqual(sorted(got), sorted(tags(12)));
  assert.equal(new Set(got.map((t) => t.TagKey)).size, 12, 'no tag returned twice');
});

test('ListResourceTags with Limit 1 returns one tag per page', async () => {
  const md = await createKey(kms, { Tags: tags(3) });
  const { tags: got, pages } = await allTags(md.KeyId, 1);
  assert.equal(pages, 3);
  assert.deepEqual(sorted(got), tags(3));
});

test('ListResourceTags without Limit returns all 50 tags of a full key in one page', async () => {
  const md = await createKey(kms, { Tags: tags(50) });
  const res = await kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId }));
  assert.equal(res.Tags?.length, 50);
  assert.equal(res.Truncated, false);
});

test('ListResourceTags with a Marker it did not issue is InvalidMarkerException (400)', async () => {
  const md = await createKey(kms, { Tags: tags(2) });
  await expectError(kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId, Marker: 'bogus-marker' })), 'InvalidMarkerException', 400);
});

test('ListResourceTags with Limit 0 is ValidationException (400)', async () => {
  const md = await createKey(kms);
  await expectError(kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId, Limit: 0 })), 'ValidationException', 400);
});
