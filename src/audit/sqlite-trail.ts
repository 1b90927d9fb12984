// The audit trail in the data dir: events journaled by this process (audit-journal.ts), chained
// into audit.db; lookups through a read-only connection (trail-reader.ts); digests and retention
// through this process's own read-write connection, on the event loop (a few milliseconds every
// few minutes).
import { join } from 'node:path';
import type { Logger } from 'pino';
import { pin } from '../store/sqlite/pin.js';
import { AUDIT_DB_FILE, openAuditDb } from './audit-db.js';
import { AuditJournal } from './audit-journal.js';
import { createDigest } from './digests.js';
import { lookupEvents } from './lookup.js';
import { applyRetention } from './retention.js';
import type { AuditTrail } from './trail.js';
import { AuditTrailReader } from './trail-reader.js';

export interface SqliteTrailOptions {
  readonly dataDir: string;
  /** How long chaining waits for another process's lock on audit.db before the trail refuses. */
  readonly busyTimeoutMs: number;
  readonly logger: Logger;
}

export function openSqliteTrail(options: SqliteTrailOptions): AuditTrail {
  const path = join(options.dataDir, AUDIT_DB_FILE);
  const sink = new AuditJournal({ dataDir: options.dataDir, auditDbPath: path, busyTimeoutMs: options.busyTimeoutMs, logger: options.logger });
  const reader = new AuditTrailReader(path);
  const db = pin(openAuditDb(path, { busyTimeoutMs: options.busyTimeoutMs }));
  return {
    sink,
    async lookup(filter, scope, page) {
      // If chaining fails, what is chained is still read (the lookup's own event is then refused).
      await sink.caughtUp().catch(() => undefined);
      const connection = reader.connection();
      return connection === undefined ? { records: [] } : lookupEvents(connection, filter, scope, page);
    },
    async digest(signer, now) {
      await sink.caughtUp();
      return createDigest(db, signer, now);
    },
    applyRetention: (now, retentionDays) => Promise.resolve(applyRetention(db, now, retentionDays)),
    async close() {
      await sink.close();
      db.close();
      reader.close();
    },
  };
}
