// The audit trail when the store is PostgreSQL: in the cluster's database, one chain for every
// node (pg-audit-schema.ts). Events are committed to audit_inbox before their responses
// (pg-inbox.ts) and chained behind them (pg-chain.ts); lookups, digests and retention read and
// write the same tables from any node.
import pg from 'pg';
import type { Logger } from 'pino';
import type { AuditTrail } from '../trail.js';
import { createAuditSchema } from './pg-audit-schema.js';
import { pgCreateDigest } from './pg-digests.js';
import { PgAuditInbox } from './pg-inbox.js';
import { TRANSACTION_DEADLINE_MS } from './pg-locked-tx.js';
import { pgLookupEvents } from './pg-lookup.js';
import { pgApplyRetention } from './pg-retention.js';

export interface PgTrailOptions {
  readonly url: string;
  /** Connections for the trail, beside the store's pool (default 4). */
  readonly poolSize?: number;
  readonly logger: Logger;
}

export function openPgTrail(options: PgTrailOptions): AuditTrail {
  // Bounded waits: for a connection, and (client-side) for a statement's answer, so a server that
  // stops answering fails requests in seconds instead of holding them.
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 4, connectionTimeoutMillis: 5000, query_timeout: TRANSACTION_DEADLINE_MS, keepAlive: true });
  // An idle connection that drops (PostgreSQL restarted) is replaced by the pool; without this
  // handler its error would end the process.
  pool.on('error', (err) => options.logger.warn({ reason: err.message }, 'PostgreSQL connection of the audit trail dropped'));
  const ready = createAuditSchema(pool);
  ready.catch(() => undefined); // each use awaits it and reports the failure there
  const sink = new PgAuditInbox(pool, ready, options.logger);
  return {
    sink,
    async lookup(filter, scope, page) {
      await sink.caughtUp().catch(() => undefined);
      return pgLookupEvents(pool, filter, scope, page);
    },
    async digest(signer, now) {
      await sink.caughtUp();
      return pgCreateDigest(pool, signer, now);
    },
    async applyRetention(now, retentionDays) {
      await ready;
      return pgApplyRetention(pool, now, retentionDays);
    },
    async close() {
      await sink.close();
      await pool.end();
    },
  };
}
