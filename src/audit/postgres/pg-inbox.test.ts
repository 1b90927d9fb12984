// The PostgreSQL audit sink against a real PostgreSQL: an event is committed before record()
// resolves; sinks of several nodes feed one chain, each event exactly once; a node's leftovers are
// chained by another; an unreachable database refuses the event.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pg from 'pg';
import { pino } from 'pino';
import { testPostgres } from '../../../test/harness/postgres.js';
import type { AuditWriteError } from '../audit-sink.js';
import { chainHash, GENESIS_HASH } from '../chain.js';
import { eventTime, type AuditEvent } from '../event.js';
import { createAuditSchema } from './pg-audit-schema.js';
import { chainInbox } from './pg-chain.js';
import { PgAuditInbox } from './pg-inbox.js';

const db = await testPostgres();
const logger = pino({ level: 'silent' });

let n = 0;
const event = (keyArns: readonly string[] = []): AuditEvent => ({
  eventVersion: '1.08', userIdentity: { type: 'Unknown' }, eventTime: eventTime(new Date()), eventSource: 'kms.amazonaws.com', eventName: 'Encrypt',
  awsRegion: 'us-east-1', sourceIPAddress: '127.0.0.1', userAgent: 't', requestParameters: null, responseElements: null,
  requestID: `request-${++n}`, eventID: `event-${n}`, readOnly: true, eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: '',
  resources: keyArns.map((ARN) => ({ accountId: '111122223333', type: 'AWS::KMS::Key', ARN })),
});

if (db.kind !== 'ready') {
  test('the PostgreSQL audit sink', { skip: db.kind === 'skip' ? db.reason : false }, () => assert.fail(db.kind === 'fail' ? db.reason : ''));
} else {
  const pools: pg.Pool[] = [];
  const poolFor = (): pg.Pool => {
    const pool = new pg.Pool({ connectionString: db.url, max: 3 });
    pools.push(pool);
    return pool;
  };
  after(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await db.drop();
  });
  const admin = poolFor();
  const ready = createAuditSchema(admin);
  const chained = async (): Promise<{ seq: number; request_id: string; record: string; hash: Buffer }[]> =>
    (await admin.query<{ seq: string; request_id: string; record: string; hash: Buffer }>('SELECT seq, request_id, record, hash FROM audit_events ORDER BY seq')).rows.map((r) => ({ ...r, seq: Number(r.seq) }));

  const count = async (table: string): Promise<number | undefined> => (await admin.query<{ c: number }>(`SELECT count(*)::int AS c FROM ${table}`)).rows[0]?.c;

  test('an event is committed when record() resolves; three nodes\' sinks feed one chain, each event once, hashes as SQLite makes them', async () => {
    const sinks = [0, 1, 2].map(() => new PgAuditInbox(poolFor(), ready, logger));
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const events = Array.from({ length: 90 }, (_, i) => event(i % 3 === 0 ? [arn, arn] : []));
    await Promise.all(events.map(async (e, i) => {
      await sinks[i % 3]?.record(e);
      // Durable now: in the inbox, or already chained.
      const found = await admin.query('SELECT 1 FROM audit_inbox WHERE record = $1 UNION ALL SELECT 1 FROM audit_events WHERE request_id = $2', [JSON.stringify(e), e.requestID]);
      assert.equal(found.rowCount, 1, `${e.requestID} is durable once recorded`);
    }));
    await Promise.all(sinks.map((s) => s.caughtUp()));
    const rows = await chained();
    assert.deepEqual(rows.map((r) => r.request_id).sort(), events.map((e) => e.requestID).sort());
    let previous: Buffer = GENESIS_HASH;
    for (const [i, row] of rows.entries()) {
      assert.equal(row.seq, i + 1);
      previous = chainHash(previous, row.seq, row.record);
      assert.deepEqual(row.hash, previous, `seq ${row.seq} chains`);
    }
    assert.equal(await count('audit_event_keys'), 30, 'one key row per event naming the key');
    assert.equal(await count('audit_inbox'), 0);
    await Promise.all(sinks.map((s) => s.close()));
  });

  test('what a dead node left in the inbox is chained by the next pass on any node, after what was chained before', async () => {
    const before = (await chained()).length;
    const leftover = event();
    await ready;
    await admin.query('INSERT INTO audit_inbox (record) VALUES ($1)', [JSON.stringify(leftover)]);
    const survivor = new PgAuditInbox(poolFor(), ready, logger);
    await survivor.caughtUp();
    const rows = await chained();
    assert.equal(rows.length, before + 1);
    assert.equal(rows.at(-1)?.request_id, leftover.requestID);
    assert.equal(await chainInbox(admin), 0, 'nothing is chained twice');
    await survivor.close();
  });

  test('with the database unreachable, record() refuses the event with AuditWriteError', async () => {
    const unreachable = new pg.Pool({ connectionString: 'postgres://postgres:not-this-password@127.0.0.1:1/nowhere', connectionTimeoutMillis: 500 });
    pools.push(unreachable);
    const sink = new PgAuditInbox(unreachable, Promise.resolve(), logger);
    await assert.rejects(sink.record(event()), (err: AuditWriteError) => err.name === 'AuditWriteError' && err.unavailable && /could not be written: .*ECONNREFUSED/.test(err.message) && !err.message.includes('not-this-password'));
    await sink.close();
  });
}
