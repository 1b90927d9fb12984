// lookupEvents against a real audit.db: order, each filter, the account scope, paging and short
// pages under a scan budget, and that the key filters use their indexes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type Database from 'better-sqlite3';
import { appendEvents, openAuditDb, type PendingEvent } from './audit-db.js';
import { lookupEvents, type EventFilter, type LookupScope, type Queryable } from './lookup.js';

const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const keyA = `arn:aws:kms:us-east-1:${A}:key/aaaaaaaa-0000-4000-8000-000000000001`;
const keyB = `arn:aws:kms:eu-west-1:${B}:key/bbbbbbbb-0000-4000-8000-000000000002`;
const T0 = Date.parse('2025-01-01T00:00:00Z');

interface Spec { caller: string; name: string; keys?: string[]; error?: string; second: number }
// seq 1…8, one second apart.
const SPECS: Spec[] = [
  { caller: A, name: 'CreateKey', keys: [keyA], second: 0 },
  { caller: A, name: 'Encrypt', keys: [keyA], second: 1 },
  { caller: B, name: 'Decrypt', keys: [keyA], second: 2 }, // B uses A's key
  { caller: B, name: 'ListKeys', second: 3 },
  { caller: C, name: 'ReEncrypt', keys: [keyB, keyA], second: 4 }, // A's key second: only in audit_event_keys
  { caller: C, name: 'Encrypt', keys: [keyB], error: 'AccessDeniedException', second: 5 },
  { caller: A, name: 'ListAliases', second: 6 },
  { caller: B, name: 'Encrypt', keys: [keyB], second: 7 },
];

let dir = '';
let db: Database.Database;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-lookup-'));
  db = openAuditDb(join(dir, 'audit.db'));
  appendEvents(db, SPECS.map((s, i): PendingEvent => ({
    eventId: `event-${i + 1}`,
    record: JSON.stringify({ n: i + 1 }),
    index: {
      eventTime: T0 + s.second * 1000, eventName: s.name, eventSource: 'kms.amazonaws.com', callerAccount: s.caller,
      keyAccount: s.keys?.[0]?.split(':')[4] ?? null, principalArn: `arn:aws:iam::${s.caller}:root`, errorCode: s.error ?? null,
      requestId: `request-${i + 1}`, keyArns: s.keys ?? [],
    },
  })));
});
after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const everything: LookupScope = { everything: true };
const seqs = (filter: EventFilter, scope: LookupScope = everything, maxResults = 100): number[] =>
  lookupEvents(db, filter, scope, { maxResults }).records.map((r) => (JSON.parse(r) as { n: number }).n);

test('the administrator sees every event, newest first', () => {
  assert.deepEqual(seqs({}), [8, 7, 6, 5, 4, 3, 2, 1]);
});

test('each filter narrows to the events it names', () => {
  assert.deepEqual(seqs({ key: { arn: keyA } }), [5, 3, 2, 1]);
  assert.deepEqual(seqs({ key: { id: 'bbbbbbbb-0000-4000-8000-000000000002' } }), [8, 6, 5]);
  assert.deepEqual(seqs({ principalArn: `arn:aws:iam::${C}:root` }), [6, 5]);
  assert.deepEqual(seqs({ accountId: B }), [8, 4, 3]);
  assert.deepEqual(seqs({ eventName: 'Encrypt' }), [8, 6, 2]);
  assert.deepEqual(seqs({ errorCode: 'AccessDeniedException' }), [6]);
  assert.deepEqual(seqs({ requestId: 'request-4' }), [4]);
  assert.deepEqual(seqs({ eventName: 'Encrypt', accountId: A }), [2]);
  assert.deepEqual(seqs({ key: { arn: keyA.replace(A, B) } }), []);
});

test('the time range includes both its ends, as CloudTrail LookupEvents does', () => {
  assert.deepEqual(seqs({ startTime: T0 + 2000, endTime: T0 + 4000 }), [5, 4, 3]);
  assert.deepEqual(seqs({ startTime: T0 + 6500 }), [8]);
  assert.deepEqual(seqs({ endTime: T0 }), [1]);
});

test("an account sees its own calls and everyone's calls on its keys, and nothing else", () => {
  assert.deepEqual(seqs({}, { account: A }), [7, 5, 3, 2, 1]);
  assert.deepEqual(seqs({}, { account: B }), [8, 6, 5, 4, 3]);
  assert.deepEqual(seqs({}, { account: C }), [6, 5]);
  assert.deepEqual(seqs({}, { account: '444444444444' }), []);
  // Filters narrow the scope; they never widen it.
  assert.deepEqual(seqs({ accountId: C }, { account: A }), [5]);
  assert.deepEqual(seqs({ key: { arn: keyB } }, { account: A }), [5]);
  assert.deepEqual(seqs({ requestId: 'request-8' }, { account: A }), []);
});

test('paging visits every event once, in order, and says when there is no more', () => {
  const seen: number[] = [];
  let beforeSeq: number | undefined;
  let pages = 0;
  do {
    const page = lookupEvents(db, {}, { account: B }, { maxResults: 2, beforeSeq });
    seen.push(...page.records.map((r) => (JSON.parse(r) as { n: number }).n));
    beforeSeq = page.nextBeforeSeq;
    pages += 1;
  } while (beforeSeq !== undefined);
  assert.deepEqual(seen, [8, 6, 5, 4, 3]);
  assert.equal(pages, 3);
  assert.equal(lookupEvents(db, {}, everything, { maxResults: 8 }).nextBeforeSeq, undefined);
  assert.deepEqual(lookupEvents(db, {}, everything, { maxResults: 5, beforeSeq: 1 }), { records: [] });
});

test('under a spent scan budget a page may be short or empty, and paging still visits every event once', () => {
  const limits = { windowSeqs: 3, budgetMs: 0 }; // one window of three seqs per call
  const pages: number[][] = [];
  let beforeSeq: number | undefined;
  do {
    const page = lookupEvents(db, { eventName: 'Encrypt' }, everything, { maxResults: 10, beforeSeq }, limits);
    pages.push(page.records.map((r) => (JSON.parse(r) as { n: number }).n));
    beforeSeq = page.nextBeforeSeq;
  } while (beforeSeq !== undefined);
  assert.deepEqual(pages, [[8, 6], [], [2]]); // windows [6,9), [3,6), [1,3)
});

test('the key and scope filters read their indexes rather than every key row', () => {
  const plans: string[] = [];
  const explaining: Queryable = {
    prepare(sql) {
      const statement = db.prepare(sql);
      return {
        get: (...args: unknown[]) => statement.get(...args),
        all: (params: Record<string, unknown>) => {
          if (sql.includes('@limit')) plans.push((db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('\n'));
          return statement.all(params);
        },
      } as unknown as Database.Statement;
    },
  };
  lookupEvents(explaining, { key: { id: 'aaaaaaaa-0000-4000-8000-000000000001' } }, { account: B }, { maxResults: 5 });
  lookupEvents(explaining, { key: { arn: keyA } }, everything, { maxResults: 5 });
  assert.match(plans[0] ?? '', /USING COVERING INDEX audit_event_keys_by_key_id/);
  assert.match(plans[0] ?? '', /USING COVERING INDEX audit_event_keys_by_account/);
  assert.match(plans[1] ?? '', /USING COVERING INDEX sqlite_autoindex_audit_event_keys_1 \(key_arn=\?/);
});
