// The audit trail's tables when the store is PostgreSQL: the same shape as audit.db (audit-db.ts),
// in the cluster's database, so every node appends to one chain and reads the whole trail. Like
// audit.db's, the schema sits outside the store's migration history: it is created if missing,
// under its own advisory lock, whenever a node opens the trail.
// One addition: audit_inbox, where each process's events are durable (committed) before their
// responses; chaining moves them into audit_events behind the responses (pg-chain.ts).
import type pg from 'pg';
import { AUDIT_LOCK, lockedTransaction } from './pg-locked-tx.js';

export { AUDIT_LOCK } from './pg-locked-tx.js';

// Key ids and owning accounts of the ARNs in audit_event_keys, as in audit-db.ts; a query must
// spell the expression exactly so for PostgreSQL to use its index.
export const PG_KEY_ID_OF_ARN = "substr(key_arn, strpos(key_arn, ':key/') + 5)";
export const PG_KEY_ACCOUNT_OF_ARN = "substr(key_arn, strpos(key_arn, ':key/') - 12, 12)";

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS audit_inbox (id BIGSERIAL PRIMARY KEY, record TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS audit_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS audit_events (
    seq BIGINT PRIMARY KEY, event_id TEXT NOT NULL, event_time BIGINT NOT NULL, event_name TEXT NOT NULL,
    event_source TEXT NOT NULL, caller_account TEXT, key_account TEXT, principal_arn TEXT, error_code TEXT,
    request_id TEXT NOT NULL, record TEXT NOT NULL, hash BYTEA NOT NULL);
  CREATE INDEX IF NOT EXISTS audit_events_by_time ON audit_events(event_time);
  CREATE INDEX IF NOT EXISTS audit_events_by_request ON audit_events(request_id);
  CREATE INDEX IF NOT EXISTS audit_events_by_caller ON audit_events(caller_account, seq);
  CREATE INDEX IF NOT EXISTS audit_events_by_key_account ON audit_events(key_account, seq);
  CREATE INDEX IF NOT EXISTS audit_events_by_principal ON audit_events(principal_arn, seq);
  CREATE TABLE IF NOT EXISTS audit_event_keys (key_arn TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (key_arn, seq));
  CREATE INDEX IF NOT EXISTS audit_event_keys_by_key_id ON audit_event_keys((${PG_KEY_ID_OF_ARN}), seq);
  CREATE INDEX IF NOT EXISTS audit_event_keys_by_account ON audit_event_keys((${PG_KEY_ACCOUNT_OF_ARN}), seq);
  CREATE TABLE IF NOT EXISTS audit_digests (
    seq BIGINT PRIMARY KEY, created_at BIGINT NOT NULL, head_seq BIGINT NOT NULL, body TEXT NOT NULL,
    signature BYTEA NOT NULL);
`;

/** Creates the trail's tables if missing; nodes starting at once serialise on the lock. */
export async function createAuditSchema(pool: pg.Pool): Promise<void> {
  await lockedTransaction(pool, AUDIT_LOCK.schema, (client) => client.query(SCHEMA));
}
