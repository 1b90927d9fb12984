// Pagination of ListKeys and ListAliases through the official AWS SDK against the real server:
// Limit, Marker, Truncated and NextMarker, the SDK's paginators, and AWS's errors for bad values.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateAliasCommand,
  ListAliasesCommand,
  ListKeysCommand,
  paginateListAliases,
  paginateListKeys,
  type AliasListEntry,
  type KMSClient,
  type KeyListEntry,
} from '@aws-sdk/client-kms';
import { removeDir, startServer, type RunningServer } from '../harness/server.js';
import { createKey, expectError } from './api-helpers.js';

const KEYS = 25;

let server: RunningServer;
let kms: KMSClient;
/** The keys this (fresh) server holds, in creation order. */
const created: { KeyId: string; Arn: string }[] = [];
/** The aliases it holds: one per key. */
const aliases: string[] = [];

before(async () => {
  server = await startServer();
  kms = server.client();
  const made = await Promise.all(
    Array.from({ length: KEYS }, async (_, i) => {
      const md = await createKey(kms);
      const alias = `alias/page-${String(i).padStart(2, '0')}`;
      await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: md.KeyId }));
      return { key: { KeyId: md.KeyId, Arn: md.Arn }, alias };
    }),
  );
  for (const m of made) {
    created.push(m.key);
    aliases.push(m.alias);
  }
});
after(async () => {
  kms?.destroy();
  await server?.stop();
  if (server) removeDir(server.dataDir);
});

interface Page<T> {
  readonly items: T[];
  readonly truncated: boolean | undefined;
  readonly nextMarker: string | undefined;
}

async function walkKeys(limit?: number): Promise<Page<KeyListEntry>[]> {
  const pages: Page<KeyListEntry>[] = [];
  let marker: string | undefined;
  do {
    const res = await kms.send(new ListKeysCommand({ ...(limit !== undefined ? { Limit: limit } : {}), ...(marker ? { Marker: marker } : {}) }));
    pages.push({ items: res.Keys ?? [], truncated: res.Truncated, nextMarker: res.NextMarker });
    marker = res.NextMarker;
    assert.ok(pages.length <= KEYS + 1, 'pagination terminates');
  } while (marker);
  return pages;
}

async function walkAliases(limit?: number, keyId?: string): Promise<Page<AliasListEntry>[]> {
  const pages: Page<AliasListEntry>[] = [];
  let marker: string | undefined;
  do {
    const res = await kms.send(new ListAliasesCommand({
      ...(limit !== undefined ? { Limit: limit } : {}),
      ...(marker ? { Marker: marker } : {}),
      ...(keyId ? { KeyId: keyId } : {}),
    }));
    pages.push({ items: res.Aliases ?? [], truncated: res.Truncated, nextMarker: res.NextMarker });
    marker = res.NextMarker;
    assert.ok(pages.length <= KEYS + 1, 'pagination terminates');
  } while (marker);
  return pages;
}

// --- ListKeys ---------------------------------------------------------------------------------

test('ListKeys with Limit 10 walks 25 keys in 3 pages (10, 10, 5) with Truncated and NextMarker, each key once', async () => {
  const pages = await walkKeys(10);
  assert.deepEqual(pages.map((p) => p.items.length), [10, 10, 5]);
  assert.deepEqual(pages.map((p) => p.truncated), [true, true, false]);
  assert.ok(pages[0]?.nextMarker && pages[1]?.nextMarker);
  assert.equal(pages[2]?.nextMarker, undefined);
  const ids = pages.flatMap((p) => p.items.map((k) => k.KeyId));
  assert.equal(new Set(ids).size, ids.length, 'no key is listed twice');
  assert.deepEqual([...ids].sort(), created.map((k) => k.KeyId).sort(), 'every key is listed');
});

test('ListKeys entries pair each KeyId with its KeyArn', async () => {
  const { Keys } = await kms.send(new ListKeysCommand({}));
  const arnById = new Map(created.map((k) => [k.KeyId, k.Arn]));
  for (const k of Keys ?? []) assert.equal(k.KeyArn, arnById.get(k.KeyId ?? ''));
});

test('ListKeys without Limit returns all 25 keys in one untruncated page', async () => {
  const res = await kms.send(new ListKeysCommand({}));
  assert.equal(res.Keys?.length, KEYS);
  assert.equal(res.Truncated, false);
  assert.equal(res.NextMarker, undefined);
});

test('ListKeys with Limit 1000 (the maximum) returns everything', async () => {
  const res = await kms.send(new ListKeysCommand({ Limit: 1000 }));
  assert.equal(res.Keys?.length, KEYS);
  assert.equal(res.Truncated, false);
});

test('ListKeys with Limit equal to the number of keys is not truncated', async () => {
  const pages = await walkKeys(KEYS);
  assert.equal(pages.length, 1);
  assert.equal(pages[0]?.truncated, false);
});

test('ListKeys with Limit 1 returns one key per page, 25 pages, each key once', async () => {
  const pages = await walkKeys(1);
  assert.equal(pages.length, KEYS);
  assert.ok(pages.every((p) => p.items.length === 1));
  assert.equal(new Set(pages.map((p) => p.items[0]?.KeyId)).size, KEYS);
});

test('the SDK paginator paginateListKeys collects every key', async () => {
  const ids: string[] = [];
  let pages = 0;
  for await (const page of paginateListKeys({ client: kms, pageSize: 7 }, {})) {
    pages++;
    ids.push(...(page.Keys ?? []).map((k) => k.KeyId ?? ''));
  }
  assert.equal(pages, 4);
  assert.deepEqual(ids.sort(), created.map((k) => k.KeyId).sort());
});

test('a NextMarker can be replayed: the same marker returns the same page', async () => {
  const first = await kms.send(new ListKeysCommand({ Limit: 10 }));
  assert.ok(first.NextMarker);
  const a = await kms.send(new ListKeysCommand({ Limit: 10, Marker: first.NextMarker }));
  const b = await kms.send(new ListKeysCommand({ Limit: 10, Marker: first.NextMarker }));
  assert.deepEqual(a.Keys, b.Keys);
});

test('ListKeys with a Marker it did not issue is InvalidMarkerException (400)', async () => {
  await expectError(kms.send(new ListKeysCommand({ Marker: 'bogus' })), 'InvalidMarkerException', 400);
  await expectError(kms.send(new ListKeysCommand({ Limit: 10, Marker: '!!!not a marker!!!' })), 'InvalidMarkerException', 400);
});

test('ListKeys with Limit 0 or 1001 is ValidationException (400)', async () => {
  await expectError(kms.send(new ListKeysCommand({ Limit: 0 })), 'ValidationException', 400);
  await expectError(kms.send(new ListKeysCommand({ Limit: 1001 })), 'ValidationException', 400);
  await expectError(kms.send(new ListKeysCommand({ Limit: -1 })), 'ValidationException', 400);
});

// --- ListAliases ------------------------------------------------------------------------------------

test('ListAliases with Limit 10 walks 25 aliases in 3 pages (10, 10, 5) with Truncated and NextMarker, each alias once', async () => {
  const pages = await walkAliases(10);
  assert.deepEqual(pages.map((p) => p.items.length), [10, 10, 5]);
  assert.deepEqual(pages.map((p) => p.truncated), [true, true, false]);
  assert.ok(pages[0]?.nextMarker && pages[1]?.nextMarker);
  assert.equal(pages[2]?.nextMarker, undefined);
  const names = pages.flatMap((p) => p.items.map((a) => a.AliasName));
  assert.equal(new Set(names).size, names.length, 'no alias is listed twice');
  assert.deepEqual([...names].sort(), [...aliases].sort(), 'every alias is listed');
});

test('ListAliases entries name the key each alias targets', async () => {
  const pages = await walkAliases();
  const entries = pages.flatMap((p) => p.items);
  assert.equal(entries.length, KEYS);
  for (const [i, name] of aliases.entries()) {
    assert.equal(entries.find((a) => a.AliasName === name)?.TargetKeyId, created[i]?.KeyId, name);
  }
});

test('the SDK paginator paginateListAliases collects every alias', async () => {
  const names: string[] = [];
  for await (const page of paginateListAliases({ client: kms, pageSize: 4 }, {})) names.push(...(page.Aliases ?? []).map((a) => a.AliasName ?? ''));
  assert.deepEqual(names.sort(), [...aliases].sort());
});

test('ListAliases with KeyId and Limit pages through only that key\'s aliases', async () => {
  const target = created[3];
  assert.ok(target);
  for (const extra of ['alias/page-extra-a', 'alias/page-extra-b']) await kms.send(new CreateAliasCommand({ AliasName: extra, TargetKeyId: target.KeyId }));
  const pages = await walkAliases(1, target.KeyId);
  assert.equal(pages.length, 3);
  assert.deepEqual(pages.flatMap((p) => p.items.map((a) => a.AliasName)).sort(), ['alias/page-03', 'alias/page-extra-a', 'alias/page-extra-b']);
  assert.ok(pages.flatMap((p) => p.items).every((a) => a.TargetKeyId === target.KeyId));
  aliases.push('alias/page-extra-a', 'alias/page-extra-b');
});

test('ListAliases with a Marker it did not issue is InvalidMarkerException (400)', async () => {
  await expectError(kms.send(new ListAliasesCommand({ Marker: 'bogus' })), 'InvalidMarkerException', 400);
});

test('ListAliases with Limit 0 or 1001 is ValidationException (400)', async () => {
  await expectError(kms.send(new ListAliasesCommand({ Limit: 0 })), 'ValidationException', 400);
  await expectError(kms.send(new ListAliasesCommand({ Limit: 1001 })), 'ValidationException', 400);
});
