// Retention on the PostgreSQL trail: retention.ts's applyRetention. Events older than the period
// go up to the head of a signed digest, which stays as the checkpoint; `chain_start` in audit_meta
// is written in the same JSON as SQLite's ({"seq":…,"hash":"<hex>"}), so the chainer continues from
// it and verification (through a SQLite copy, pg-verify-copy.ts) reads it the same way.
import type pg from 'pg';
import { DAY_MS } from '../../core/clock.js';
import { parseDigestBody } from '../digest-body.js';
import type { RetentionResult } from '../retention.js';
import { AUDIT_LOCK } from './pg-audit-schema.js';
import { bigintColumn, lockedTransaction } from './pg-locked-tx.js';

/**
 * Removes events older than `retentionDays` at `now`, in one transaction under the retention lock
 * (two nodes at once: the second finds nothing left to remove). The chainer needs no lock against
 * it: deletion and the new chain_start commit together, and only events at or below a digest's
 * head (already chained) are removed, so a chainer sees either the old head or the checkpoint.
 */
export function pgApplyRetention(pool: pg.Pool, now: Date, retentionDays: number): Promise<RetentionResult> {
  const cutoff = now.getTime() - retentionDays * DAY_MS;
  return lockedTransaction(pool, AUDIT_LOCK.retention, async (client): Promise<RetentionResult> => {
    // The latest digest whose head event is older than the cut-off: everything up to it may go.
    const anchor = (await client.query<{ seq: string; body: string }>(`SELECT d.seq, d.body FROM audit_digests d JOIN audit_events e ON e.seq = d.head_seq
      WHERE e.event_time < $1 ORDER BY d.head_seq DESC LIMIT 1`, [cutoff])).rows[0];
    const body = anchor && parseDigestBody(anchor.body);
    if (!anchor || !body) return { removedEvents: 0 };
    const removed = (await client.query('DELETE FROM audit_events WHERE seq <= $1', [body.headSeq])).rowCount ?? 0;
    if (removed === 0) return { removedEvents: 0 };
    await client.query('DELETE FROM audit_event_keys WHERE seq <= $1', [body.headSeq]);
    await client.query('DELETE FROM audit_digests WHERE seq < $1', [bigintColumn(anchor.seq, 'seq')]);
    await client.query("INSERT INTO audit_meta (name, value) VALUES ('chain_start', $1) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
      [JSON.stringify({ seq: body.headSeq, hash: body.headHash })]);
    return { removedEvents: removed, checkpointSeq: body.headSeq };
  });
}
