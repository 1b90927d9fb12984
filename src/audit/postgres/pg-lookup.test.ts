// pgLookupEvents against a real PostgreSQL, as a conformance test: the same events appended to a
// SQLite audit.db and to PostgreSQL, and every filter, scope and page size must give exactly what
// lookupEvents gives — plus lookup.test.ts's own cases, and that the key filters use their indexes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { trailEvent, trailKeyArn, TRAIL_ACCOUNTS, TRAIL_PRINCIPALS, TRAIL_T0, twinTrail, withPgAuditDb, type Twin } from '../../../test/harness/pg-audit.js';
import type { PendingEvent } from '../audit-db.js';
import { lookupEvents, type EventFilter, type EventPage, type LookupScope, type PageRequest, type ScanLimits } from '../lookup.js';
import { pgLookupEvents } from './pg-lookup.js';

const everything: LookupScope = { everything: true };

await withPgAuditDb('pgLookupEvents on PostgreSQL', ({ pool, reset }) => {
  let twin: Twin;
  before(async () => {
    await reset();
    twin = twinTrail(pool);
  });
  after(() => twin.remove());

  /** Pages through both trails; every page must be the same. Returns the pages. */
  async function sameAsSqlite(trail: Twin, filter: EventFilter, scope: LookupScope, maxResults: number, limits?: ScanLimits, from?: number): Promise<EventPage[]> {
    const pages: EventPage[] = [];
    let beforeSeq: number | undefined = from;
    do {
      const request: PageRequest = { maxResults, beforeSeq };
      const expected = lookupEvents(trail.sqlite, filter, scope, request, limits);
      const actual = await pgLookupEvents(pool, filter, scope, request, limits);
      assert.deepEqual(actual, expected, `${JSON.stringify({ filter, scope, request })}`);
      pages.push(actual);
      beforeSeq = actual.nextBeforeSeq;
    } while (beforeSeq !== undefined);
    return pages;
  }

  test('lookup.test.ts\'s cases: order, filters, time range, scope, paging', async () => {
    const A = '111111111111';
    const B = '222222222222';
    const C = '333333333333';
    const keyA = `arn:aws:kms:us-east-1:${A}:key/aaaaaaaa-0000-4000-8000-000000000001`;
    const keyB = `arn:aws:kms:eu-west-1:${B}:key/bbbbbbbb-0000-4000-8000-000000000002`;
    const T0 = Date.parse('2025-01-01T00:00:00Z');
    const specs = [
      { caller: A, name: 'CreateKey', keys: [keyA], second: 0 }, { caller: A, name: 'Encrypt', keys: [keyA], second: 1 },
      { caller: B, name: 'Decrypt', keys: [keyA], second: 2 }, { caller: B, name: 'ListKeys', second: 3 },
      { caller: C, name: 'ReEncrypt', keys: [keyB, keyA], second: 4 }, { caller: C, name: 'Encrypt', keys: [keyB], error: 'AccessDeniedException', second: 5 },
      { caller: A, name: 'ListAliases', second: 6 }, { caller: B, name: 'Encrypt', keys: [keyB], second: 7 },
    ];
    const small = twinTrail(pool);
    await reset();
    try {
      await small.append(specs.map((s, i): PendingEvent => ({
        eventId: `event-${i + 1}`, record: JSON.stringify({ n: i + 1 }),
        index: {
          eventTime: T0 + s.second * 1000, eventName: s.name, eventSource: 'kms.amazonaws.com', callerAccount: s.caller,
          keyAccount: s.keys?.[0]?.split(':')[4] ?? null, principalArn: `arn:aws:iam::${s.caller}:root`, errorCode: s.error ?? null,
          requestId: `request-${i + 1}`, keyArns: s.keys ?? [],
        },
      })));
      const seqs = async (filter: EventFilter, scope: LookupScope = everything): Promise<number[]> =>
        (await pgLookupEvents(pool, filter, scope, { maxResults: 100 })).records.map((r) => (JSON.parse(r) as { n: number }).n);
      assert.deepEqual(await seqs({}), [8, 7, 6, 5, 4, 3, 2, 1]);
      assert.deepEqual(await seqs({ key: { arn: keyA } }), [5, 3, 2, 1]);
      assert.deepEqual(await seqs({ key: { id: 'bbbbbbbb-0000-4000-8000-000000000002' } }), [8, 6, 5]);
      assert.deepEqual(await seqs({ principalArn: `arn:aws:iam::${C}:root` }), [6, 5]);
      assert.deepEqual(await seqs({ accountId: B }), [8, 4, 3]);
      assert.deepEqual(await seqs({ eventName: 'Encrypt' }), [8, 6, 2]);
      assert.deepEqual(await seqs({ errorCode: 'AccessDeniedException' }), [6]);
      assert.deepEqual(await seqs({ requestId: 'request-4' }), [4]);
      assert.deepEqual(await seqs({ eventName: 'Encrypt', accountId: A }), [2]);
      assert.deepEqual(await seqs({ key: { arn: keyA.replace(A, B) } }), []);
      assert.deepEqual(await seqs({ startTime: T0 + 2000, endTime: T0 + 4000 }), [5, 4, 3]);
      assert.deepEqual(await seqs({ startTime: T0 + 6500 }), [8]);
      assert.deepEqual(await seqs({ endTime: T0 }), [1]);
      assert.deepEqual(await seqs({}, { account: A }), [7, 5, 3, 2, 1]);
      assert.deepEqual(await seqs({}, { account: B }), [8, 6, 5, 4, 3]);
      assert.deepEqual(await seqs({}, { account: C }), [6, 5]);
      assert.deepEqual(await seqs({}, { account: '444444444444' }), []);
      assert.deepEqual(await seqs({ accountId: C }, { account: A }), [5]);
      assert.deepEqual(await seqs({ key: { arn: keyB } }, { account: A }), [5]);
      assert.deepEqual(await seqs({ requestId: 'request-8' }, { account: A }), []);
      const pages = await sameAsSqlite(small, {}, { account: B }, 2);
      assert.deepEqual(pages.map((p) => p.records.map((r) => (JSON.parse(r) as { n: number }).n)), [[8, 6], [5, 4], [3]]);
      assert.deepEqual(await pgLookupEvents(pool, {}, everything, { maxResults: 5, beforeSeq: 1 }), { records: [] });
      // Under a spent budget: one window of three seqs per call, short and empty pages included.
      const budgeted = await sameAsSqlite(small, { eventName: 'Encrypt' }, everything, 10, { windowSeqs: 3, budgetMs: 0 });
      assert.deepEqual(budgeted.map((p) => p.records.map((r) => (JSON.parse(r) as { n: number }).n)), [[8, 6], [], [2]]);
    } finally {
      small.remove();
      await reset();
    }
  });

  test('an empty trail: no events and no NextToken, as SQLite', async () => {
    const empty = twinTrail(pool);
    try {
      assert.deepEqual(await pgLookupEvents(pool, {}, everything, { maxResults: 5 }), lookupEvents(empty.sqlite, {}, everything, { maxResults: 5 }));
      assert.deepEqual(await pgLookupEvents(pool, {}, everything, { maxResults: 5 }), { records: [] });
    } finally {
      empty.remove();
    }
  });

  test('every filter × scope × page size pages exactly as lookupEvents does', async () => {
    await twin.append(Array.from({ length: 90 }, (_, i) => trailEvent(i + 1)));
    await twin.append(Array.from({ length: 90 }, (_, i) => trailEvent(i + 91)));
    const [A, B, C] = TRAIL_ACCOUNTS;
    const someRequest = (JSON.parse(trailEvent(1).record) as { requestID: string }).requestID; // not in the trail (fresh id)
    const stored = twin.sqlite.prepare('SELECT request_id FROM audit_events WHERE seq = 77').pluck().get() as string;
    const filters: EventFilter[] = [
      {}, { key: { arn: trailKeyArn(1, A) } }, { key: { arn: trailKeyArn(2, C) } }, { key: { id: trailKeyArn(3, B).split('/')[1] ?? '' } },
      { principalArn: TRAIL_PRINCIPALS[3].arn }, { accountId: B }, { eventName: 'ReEncrypt' }, { errorCode: 'AccessDeniedException' },
      { requestId: stored }, { requestId: someRequest }, { startTime: TRAIL_T0 + 10_000, endTime: TRAIL_T0 + 40_000 }, { endTime: TRAIL_T0 },
      { startTime: TRAIL_T0 + 9999.5, endTime: TRAIL_T0 + 20_000.25 }, { startTime: TRAIL_T0 + 10_000.001, endTime: TRAIL_T0 + 19_999.999 },
      { eventName: 'Encrypt', accountId: A, key: { id: trailKeyArn(1, A).split('/')[1] ?? '' } }, { errorCode: 'DisabledException', startTime: TRAIL_T0 + 30_000 },
    ];
    const scopes: LookupScope[] = [everything, { account: A }, { account: B }, { account: C }, { account: '000000000000' }];
    let compared = 0;
    for (const filter of filters) {
      for (const scope of scopes) {
        for (const maxResults of [7, 1000]) compared += (await sameAsSqlite(twin, filter, scope, maxResults)).length;
      }
      // Windows smaller than the trail, with the budget spent after each: short pages, same tokens.
      compared += (await sameAsSqlite(twin, filter, { account: B }, 5, { windowSeqs: 17, budgetMs: 0 })).length;
      // A token from anywhere (even past the head) is only a place to continue from.
      for (const from of [1, 2, 100, 181, 500]) compared += (await sameAsSqlite(twin, filter, { account: C }, 9, undefined, from)).length;
    }
    assert.ok(compared > 400, `${compared} pages compared`);
  });

  test('the key and scope filters read their expression indexes', async () => {
    const client = await pool.connect();
    try {
      await client.query('SET enable_seqscan = off'); // the table is small: make the planner show what it can use
      const keyId = trailKeyArn(1, TRAIL_ACCOUNTS[0]).split('/')[1] ?? '';
      const plans: string[] = [];
      const explaining = {
        query: async (sql: string, params?: unknown[]) => {
          if (sql.includes('LIMIT $3')) plans.push((await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n'));
          return client.query(sql, params);
        },
      } as unknown as Pick<typeof client, 'query'>;
      await pgLookupEvents(explaining, { key: { id: keyId } }, { account: TRAIL_ACCOUNTS[1] }, { maxResults: 5 });
      await pgLookupEvents(explaining, { key: { arn: trailKeyArn(1, TRAIL_ACCOUNTS[0]) } }, everything, { maxResults: 5 });
      assert.match(plans[0] ?? '', /audit_event_keys_by_key_id/);
      assert.match(plans[0] ?? '', /audit_event_keys_by_account/);
      assert.match(plans[1] ?? '', /audit_event_keys_pkey/);
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
  });
});
