// The audit trail as the server uses it, whichever store holds it: the sink requests record
// through, lookups, signed digests and retention. SQLite keeps it in the data dir's audit.db
// (sqlite-trail.ts); PostgreSQL in the cluster's database (postgres/pg-trail.ts).
import { nullAuditSink, type AuditSink } from './audit-sink.js';
import type { DigestBody } from './digest-body.js';
import type { EventFilter, EventPage, LookupScope, PageRequest } from './lookup.js';
import type { RetentionResult } from './retention.js';
import type { DigestSigner } from './signing-key.js';

export interface AuditTrail {
  readonly sink: AuditSink;
  /** Events newest first, within `scope` (lookup.ts's contract), after every event recorded so far is chained. */
  lookup(filter: EventFilter, scope: LookupScope, page: PageRequest): Promise<EventPage>;
  /** Signs the chain head; undefined when no event was chained since the last digest. */
  digest(signer: DigestSigner, now: Date): Promise<DigestBody | undefined>;
  /** Removes events past `retentionDays`, up to a signed digest (retention.ts). */
  applyRetention(now: Date, retentionDays: number): Promise<RetentionResult>;
  /** Closes the sink (waiting for what it holds), then the trail's connections. */
  close(): Promise<void>;
}

/** Records and keeps nothing: for `npm run bench`'s comparison only (KEYHOLD_AUDIT=off). */
export const nullAuditTrail: AuditTrail = {
  sink: nullAuditSink,
  lookup: () => Promise.resolve({ records: [] }),
  digest: () => Promise.resolve(undefined),
  applyRetention: () => Promise.resolve({ removedEvents: 0 }),
  close: () => Promise.resolve(),
};
