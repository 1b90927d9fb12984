// Chains the events waiting in audit_inbox into audit_events: one chain for the whole cluster.
// Any process of any node may run a pass at any time. Each pass holds a transaction-scoped advisory
// lock, so passes run one at a time, and each reads the head inside that lock. Each moves the
// rows it read, and only those, in one transaction: a row committed to the inbox meanwhile waits
// for the next pass, and no row is chained twice or lost. Rows that a killed node left behind are
// chained by the next pass on any node.
import type pg from 'pg';
import { chainHash, GENESIS_HASH } from '../chain.js';
import { indexOf, type AuditEvent } from '../event.js';
import { AUDIT_LOCK } from './pg-audit-schema.js';
import { lockedTransaction } from './pg-locked-tx.js';

/** Rows moved per transaction: a long backlog goes in several passes, each of bounded size. */
const BATCH_ROWS = 2000;

/** Chains everything in the inbox now; returns how many events it chained. */
export async function chainInbox(pool: pg.Pool): Promise<number> {
  let chained = 0;
  for (;;) {
    const moved = await chainBatch(pool);
    chained += moved;
    if (moved < BATCH_ROWS) return chained;
  }
}

const chainBatch = (pool: pg.Pool): Promise<number> => lockedTransaction(pool, AUDIT_LOCK.chain, chainLocked);

async function chainLocked(client: pg.PoolClient): Promise<number> {
  const waiting = (await client.query<{ id: string; record: string }>('SELECT id, record FROM audit_inbox ORDER BY id LIMIT $1', [BATCH_ROWS])).rows;
  if (waiting.length === 0) return 0;
  let { seq, hash } = await headOf(client);
  const events = { seq: [] as number[], eventId: [] as string[], time: [] as number[], name: [] as string[], source: [] as string[], caller: [] as (string | null)[],
    keyAccount: [] as (string | null)[], principal: [] as (string | null)[], error: [] as (string | null)[], request: [] as string[], record: [] as string[], hash: [] as Buffer[] };
  const keys = { arn: [] as string[], seq: [] as number[] };
  for (const { record } of waiting) {
    const event = JSON.parse(record) as AuditEvent;
    const i = indexOf(event);
    seq += 1;
    hash = chainHash(hash, seq, record);
    events.seq.push(seq); events.eventId.push(event.eventID); events.time.push(i.eventTime); events.name.push(i.eventName); events.source.push(i.eventSource);
    events.caller.push(i.callerAccount); events.keyAccount.push(i.keyAccount); events.principal.push(i.principalArn); events.error.push(i.errorCode);
    events.request.push(i.requestId); events.record.push(record); events.hash.push(hash);
    for (const arn of new Set(i.keyArns)) {
      keys.arn.push(arn);
      keys.seq.push(seq);
    }
  }
  await client.query(
    `INSERT INTO audit_events (seq, event_id, event_time, event_name, event_source, caller_account, key_account, principal_arn, error_code, request_id, record, hash)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::bytea[])`,
    [events.seq, events.eventId, events.time, events.name, events.source, events.caller, events.keyAccount, events.principal, events.error, events.request, events.record, events.hash],
  );
  if (keys.arn.length > 0) await client.query('INSERT INTO audit_event_keys (key_arn, seq) SELECT * FROM unnest($1::text[], $2::bigint[])', [keys.arn, keys.seq]);
  // Exactly the rows read: one committed since, with a lower id, is still waiting, not deleted.
  await client.query('DELETE FROM audit_inbox WHERE id = ANY($1::bigint[])', [waiting.map((w) => w.id)]);
  return waiting.length;
}

/** The chain's head, or where retention left its start, or the genesis (audit-db.ts's chainStart). */
async function headOf(client: pg.PoolClient): Promise<{ seq: number; hash: Buffer }> {
  const head = (await client.query<{ seq: string; hash: Buffer }>('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1')).rows[0];
  if (head !== undefined) return { seq: Number(head.seq), hash: head.hash };
  const start = (await client.query<{ value: string }>("SELECT value FROM audit_meta WHERE name = 'chain_start'")).rows[0];
  if (start === undefined) return { seq: 0, hash: GENESIS_HASH };
  const { seq, hash } = JSON.parse(start.value) as { seq: number; hash: string };
  return { seq, hash: Buffer.from(hash, 'hex') };
}
