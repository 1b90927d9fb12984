// ListAliases's merge of stored aliases and registered services' reserved aliases: every alias once,
// in name order, at every page size; a reserved alias keyless until its key exists.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { KeyRecord } from '../core/keys.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { aliasesWithReserved, type ListedAlias } from './reserved-aliases.js';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const at = new Date(1_700_000_000_000);
const keyId = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const key = (n: number, accountId = ACCOUNT): KeyRecord => ({
  id: keyId(n), accountId, region: 'us-east-1', arn: `arn:aws:kms:us-east-1:${accountId}:key/${keyId(n)}`, createdAt: at, description: '',
  keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', state: 'Enabled', policy: '{}', deletionDate: null,
  pendingWindowDays: null, currentMaterialId: null, rotationPeriodDays: null, nextRotationDate: null, onDemandRotations: 0, keyManager: 'CUSTOMER', validTo: null,
});

let dir = '';
let store: SqliteStore;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-reserved-'));
  store = SqliteStore.open(join(dir, 'keyhold.db'));
  await store.transaction(async (tx) => {
    for (const name of ['media', 'backup', 'zz']) await tx.insertService({ name, tokenHash: '', createdAt: at });
    await tx.insertKey(key(1));
    await tx.insertKey(key(2, OTHER));
    const alias = (accountId: string, name: string, n: number) => tx.insertAlias({ accountId, region: 'us-east-1', name, targetKeyId: keyId(n), createdAt: at, updatedAt: at });
    // alias/aws/media has its key already; backup and zz do not.
    for (const name of ['alias/app', 'alias/aws/media', 'alias/b', 'alias/aws-like', 'alias/zeta']) await alias(ACCOUNT, name, 1);
    await alias(OTHER, 'alias/aws/backup', 2);
  });
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const listAll = async (accountId: string, limit: number, from?: string): Promise<ListedAlias[]> => {
  const items: ListedAlias[] = [];
  let after = from;
  do {
    const page = await store.read((tx) => aliasesWithReserved(tx, accountId, 'us-east-1', after, limit));
    assert.ok(page.items.length <= limit);
    assert.ok(page.next === undefined || page.items.length > 0, 'a page that promises more is never empty');
    items.push(...page.items);
    after = page.next;
  } while (after !== undefined);
  return items;
};

const expected = [
  ['alias/app', true], ['alias/aws-like', true], ['alias/aws/backup', false], ['alias/aws/media', true],
  ['alias/aws/zz', false], ['alias/b', true], ['alias/zeta', true],
] as const;

test('every alias once, in name order, at every page size; reserved ones keyless until stored', async () => {
  for (let limit = 1; limit <= expected.length + 1; limit++) {
    const listed = await listAll(ACCOUNT, limit);
    assert.deepEqual(listed.map((a) => [a.name, a.stored !== undefined]), expected, `limit ${limit}`);
  }
});

test("another account's stored reserved alias stays its own; this account lists the service's alias keyless", async () => {
  const listed = await listAll(OTHER, 2);
  assert.deepEqual(listed.map((a) => [a.name, a.stored?.targetKeyId]), [
    ['alias/aws/backup', keyId(2)], ['alias/aws/media', undefined], ['alias/aws/zz', undefined],
  ]);
});

test('a marker inside, before or past the reserved names continues from there', async () => {
  assert.deepEqual((await listAll(ACCOUNT, 2, 'alias/aws/backup')).map((a) => a.name), ['alias/aws/media', 'alias/aws/zz', 'alias/b', 'alias/zeta']);
  assert.deepEqual((await listAll(ACCOUNT, 2, 'alias/aws/')).map((a) => a.name), ['alias/aws/backup', 'alias/aws/media', 'alias/aws/zz', 'alias/b', 'alias/zeta']);
  assert.deepEqual((await listAll(ACCOUNT, 2, 'alias/aws')).map((a) => a.name), expected.slice(1).map(([n]) => n));
  assert.deepEqual((await listAll(ACCOUNT, 2, 'alias/b')).map((a) => a.name), ['alias/zeta']);
});
