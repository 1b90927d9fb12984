// Where the endpoints record events. record() resolves once the event is durable, and the response
// is sent only then; a rejection fails the request instead (the trail fails closed).
import { randomUUID } from 'node:crypto';
import type { AuditEvent } from './event.js';

export interface AuditSink {
  /** Resolves when the event is durable; rejects when it cannot be recorded (the request then fails). */
  record(event: AuditEvent): Promise<void>;
  /** Resolves when every event recorded so far, by any process on this data dir, is in audit.db:
   *  lookups and digests wait for it, so they see every request answered before them. */
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

/** Records nothing: for `npm run bench`'s comparison only (KEYHOLD_AUDIT=off). */
export const nullAuditSink: AuditSink = { record: () => Promise.resolve(), caughtUp: () => Promise.resolve(), close: () => Promise.resolve() };

/** A new eventID (CloudTrail uses a UUID). */
export const newEventId = (): string => randomUUID();

/** Why an event could not be recorded. `unavailable`: the trail's database could not be reached or
 *  did not answer in time (the client may retry: DependencyTimeoutException, not KMSInternalException). */
export class AuditWriteError extends Error {
  override name = 'AuditWriteError';
  constructor(message: string, readonly unavailable = false) {
    super(message);
  }
}
