// The audit trail's own SQLite file (audit.db beside keyhold.db): kept apart from the key store so
// that its group commits never hold the key store's write lock, and so it can be copied, shipped or
// verified on its own. WAL with synchronous=FULL: a committed event survives kill -9 and power loss.
// Events reach it from the audit journal (journal-ingest.ts), where they were durable first.
import { closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { pin, pinnedDatabase } from '../store/sqlite/pin.js';
import { chainHash, GENESIS_HASH } from './chain.js';
import type { EventIndex } from './event.js';

export const AUDIT_DB_FILE = 'audit.db';

// A key ARN ends `:<12-digit account>:key/<key id>`: lookups by key id (from any account) and by the
// account owning any key an event names read these two parts, through the expression indexes below.
// A query must spell the expression exactly as here for SQLite to use its index.
export const KEY_ID_OF_ARN = "substr(key_arn, instr(key_arn, ':key/') + 5)";
export const KEY_ACCOUNT_OF_ARN = "substr(key_arn, instr(key_arn, ':key/') - 12, 12)";

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS audit_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
  -- seq is the event's place in the chain: 1, 2, 3… with no gaps (after retention, from a checkpoint).
  CREATE TABLE IF NOT EXISTS audit_events (
    seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL, event_time INTEGER NOT NULL, event_name TEXT NOT NULL,
    event_source TEXT NOT NULL, caller_account TEXT, key_account TEXT, principal_arn TEXT, error_code TEXT,
    request_id TEXT NOT NULL, record TEXT NOT NULL, hash BLOB NOT NULL);
  CREATE INDEX IF NOT EXISTS audit_events_by_time ON audit_events(event_time);
  CREATE INDEX IF NOT EXISTS audit_events_by_request ON audit_events(request_id);
  CREATE INDEX IF NOT EXISTS audit_events_by_caller ON audit_events(caller_account, seq);
  CREATE INDEX IF NOT EXISTS audit_events_by_key_account ON audit_events(key_account, seq);
  CREATE TABLE IF NOT EXISTS audit_event_keys (key_arn TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (key_arn, seq));
  -- For LookupEvents (lookup.ts): by principal, by key id, by the account of any key named.
  CREATE INDEX IF NOT EXISTS audit_events_by_principal ON audit_events(principal_arn, seq);
  CREATE INDEX IF NOT EXISTS audit_event_keys_by_key_id ON audit_event_keys(${KEY_ID_OF_ARN}, seq);
  CREATE INDEX IF NOT EXISTS audit_event_keys_by_account ON audit_event_keys(${KEY_ACCOUNT_OF_ARN}, seq);
  -- How far each journal segment has been chained (journal-ingest.ts): advanced in the transaction
  -- that appends its events, so a crash between the two cannot chain an event twice or lose it.
  CREATE TABLE IF NOT EXISTS audit_journal_offsets (segment TEXT PRIMARY KEY, chained INTEGER NOT NULL);
  -- A signed statement of the chain head at head_seq; each digest also names the previous one.
  CREATE TABLE IF NOT EXISTS audit_digests (
    seq INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, head_seq INTEGER NOT NULL, body TEXT NOT NULL,
    signature BLOB NOT NULL);
`;

export interface AuditDbOptions {
  readonly readonly?: boolean;
  /** How long a write waits for another process's lock before failing (fail closed). */
  readonly busyTimeoutMs?: number;
  /** NORMAL for the ingester only: what it chains is durable in the journal already (see
   *  journal-ingest.ts for when the WAL is synced). FULL otherwise. */
  readonly synchronous?: 'FULL' | 'NORMAL';
}

export function openAuditDb(path: string, options: AuditDbOptions = {}): Database.Database {
  if (!options.readonly && !existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  // Every statement pinned: on Node 24 a collected better-sqlite3 Statement can abort the process (pin.ts).
  const db = pinnedDatabase(new Database(path, { readonly: options.readonly === true, fileMustExist: options.readonly === true }));
  db.exec(`PRAGMA busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  if (!options.readonly) {
    db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${options.synchronous ?? 'FULL'};`);
    db.exec(SCHEMA);
  }
  return db;
}

/** One event as the writer receives it: its text (what the hash covers) and its index columns. */
export interface PendingEvent {
  readonly eventId: string;
  readonly record: string;
  readonly index: EventIndex;
}

/**
 * Appends `events` to the chain in one transaction (one fsync for the whole group). IMMEDIATE
 * takes the write lock first, so the head read here is the head every other process appends after:
 * the chain stays one line however many processes write.
 */
export function appendEvents(db: Database.Database, events: readonly PendingEvent[]): void {
  const s = statementsOf(db);
  s.append(events);
}

interface AppendStatements {
  readonly append: (events: readonly PendingEvent[]) => void;
}
const prepared = new WeakMap<Database.Database, AppendStatements>();

/** Prepared once per connection and pinned (see store/sqlite/pin.ts): preparing per batch would
 *  cost more than writing a small batch. */
function statementsOf(db: Database.Database): AppendStatements {
  const known = prepared.get(db);
  if (known) return known;
  const head = pin(db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1'));
  const insert = pin(db.prepare(`INSERT INTO audit_events (seq, event_id, event_time, event_name, event_source, caller_account,
    key_account, principal_arn, error_code, request_id, record, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`));
  const insertKey = pin(db.prepare('INSERT OR IGNORE INTO audit_event_keys (key_arn, seq) VALUES (?, ?)'));
  const append = db.transaction((events: readonly PendingEvent[]) => {
    const last = head.get() as { seq: number; hash: Buffer } | undefined;
    const start = last ? { seq: last.seq, hash: last.hash } : chainStart(db);
    let seq = start.seq;
    let previous = start.hash;
    for (const e of events) {
      seq += 1;
      previous = chainHash(previous, seq, e.record);
      const i = e.index;
      insert.run(seq, e.eventId, i.eventTime, i.eventName, i.eventSource, i.callerAccount, i.keyAccount, i.principalArn, i.errorCode, i.requestId, e.record, previous);
      for (const arn of i.keyArns) insertKey.run(arn, seq);
    }
  });
  const statements = { append: (events: readonly PendingEvent[]) => append.immediate(events) };
  prepared.set(db, statements);
  return statements;
}

/** Where the chain starts: seq 0 and the genesis hash, or the checkpoint retention left behind. */
const chainStartStatements = new WeakMap<Database.Database, Database.Statement>();

export function chainStart(db: Database.Database): { seq: number; hash: Buffer } {
  let statement = chainStartStatements.get(db);
  if (!statement) chainStartStatements.set(db, (statement = pin(db.prepare("SELECT value FROM audit_meta WHERE name = 'chain_start'").pluck())));
  const row = statement.get() as string | undefined;
  if (row === undefined) return { seq: 0, hash: GENESIS_HASH };
  const { seq, hash } = JSON.parse(row) as { seq: number; hash: string };
  return { seq, hash: Buffer.from(hash, 'hex') };
}
