// Retention: events older than the retention period are removed from the head of the chain, up to
// a signed digest, which stays as the checkpoint the remaining chain continues from (verify.ts
// starts from it). Cutting only at a digest's head keeps every remaining event verifiable; the cost
// is that removal waits for the next digest past the cut-off (at most DIGEST_INTERVAL_MS).
import type Database from 'better-sqlite3';
import { DAY_MS } from '../core/clock.js';
import { pin } from '../store/sqlite/pin.js';
import { parseDigestBody } from './digest-body.js';

export interface RetentionResult {
  readonly removedEvents: number;
  /** The checkpoint the chain now starts after (the anchor digest's head), when anything was removed. */
  readonly checkpointSeq?: number;
}

/** Removes events older than `retentionDays` at `now`, in one IMMEDIATE transaction. */
export function applyRetention(db: Database.Database, now: Date, retentionDays: number): RetentionResult {
  const cutoff = now.getTime() - retentionDays * DAY_MS;
  return retentionOf(db)(cutoff);
}

const prepared = new WeakMap<Database.Database, (cutoff: number) => RetentionResult>();

/** The retention transaction of one connection, its statements prepared (and pinned) once. */
function retentionOf(db: Database.Database): (cutoff: number) => RetentionResult {
  const known = prepared.get(db);
  if (known) return known;
  // The latest digest whose head event is older than the cut-off: everything up to it may go.
  const anchorOf = pin(db.prepare(`SELECT d.seq, d.body FROM audit_digests d JOIN audit_events e ON e.seq = d.head_seq
    WHERE e.event_time < ? ORDER BY d.head_seq DESC LIMIT 1`));
  const deleteEvents = pin(db.prepare('DELETE FROM audit_events WHERE seq <= ?'));
  const deleteKeys = pin(db.prepare('DELETE FROM audit_event_keys WHERE seq <= ?'));
  const deleteDigests = pin(db.prepare('DELETE FROM audit_digests WHERE seq < ?'));
  const setStart = pin(db.prepare("INSERT INTO audit_meta (name, value) VALUES ('chain_start', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value"));
  const run = db.transaction((cutoff: number): RetentionResult => {
    const anchor = anchorOf.get(cutoff) as { seq: number; body: string } | undefined;
    const body = anchor && parseDigestBody(anchor.body);
    if (!anchor || !body) return { removedEvents: 0 };
    const removed = deleteEvents.run(body.headSeq).changes;
    if (removed === 0) return { removedEvents: 0 };
    deleteKeys.run(body.headSeq);
    deleteDigests.run(anchor.seq);
    setStart.run(JSON.stringify({ seq: body.headSeq, hash: body.headHash }));
    return { removedEvents: removed, checkpointSeq: body.headSeq };
  });
  const retention = (cutoff: number): RetentionResult => run.immediate(cutoff);
  prepared.set(db, retention);
  return retention;
}
