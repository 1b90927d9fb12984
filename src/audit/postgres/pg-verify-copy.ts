// `keyhold audit verify` for a PostgreSQL trail: one REPEATABLE READ READ ONLY snapshot of the
// cluster's trail (and of the store's audit public key) is copied into a temporary audit.db, which
// verify.ts's verifyTrail then checks — so a PostgreSQL trail is verified by exactly the code that
// verifies a SQLite one. Rows are copied as stored (integers exact, text and bytes unchanged), a
// page at a time in seq order, so memory stays bounded; the copy is removed by close().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { AUDIT_DB_FILE, openAuditDb } from '../audit-db.js';
import { PUBLIC_KEY_META } from '../signing-key.js';

/** The database has no audit trail (or no keyhold store) to read. */
export class PgTrailAbsent extends Error {
  override readonly name = 'PgTrailAbsent';
}

export interface PgTrailSnapshot {
  /** The copy: a throwaway audit.db in a private temp dir, for verifyTrail. */
  readonly auditDb: Database.Database;
  /** Whether the database holds a keyhold store (its meta table), or only a trail. */
  readonly hasStore: boolean;
  /** The store's audit public key (SPKI PEM) in the same snapshot; undefined before the first digest. */
  readonly storedPublicKey: string | undefined;
  /** Closes and deletes the copy. */
  close(): void;
}

const PAGE_ROWS = 5000;
const MIN_BIGINT = '-9223372036854775808';

/** The store's audit public key from its meta table (in the connection's search_path, where
 *  PostgresStore keeps it): undefined before the first digest; PgTrailAbsent without a store. */
export async function readPgPublicKey(client: pg.ClientBase): Promise<string | undefined> {
  const stored = await storedKey(client);
  if (!stored.hasStore) throw new PgTrailAbsent(NO_STORE);
  return stored.storedPublicKey;
}

const NO_STORE = 'the PostgreSQL database holds no keyhold store (no meta table)';

async function storedKey(client: pg.ClientBase): Promise<{ hasStore: boolean; storedPublicKey: string | undefined }> {
  const exists = (await client.query<{ t: string | null }>("SELECT to_regclass('meta')::text AS t")).rows[0]?.t;
  if (exists == null) return { hasStore: false, storedPublicKey: undefined };
  const row = (await client.query<{ value: string }>('SELECT value FROM meta WHERE name = $1', [PUBLIC_KEY_META])).rows[0];
  return { hasStore: true, storedPublicKey: row?.value };
}

/** The snapshot's stored key, or PgTrailAbsent when there is no store to hold one. */
export function storedKeyOf(snapshot: PgTrailSnapshot): string | undefined {
  if (!snapshot.hasStore) throw new PgTrailAbsent(NO_STORE);
  return snapshot.storedPublicKey;
}

/** Copies the trail as one snapshot, `pageRows` rows a query; `client` must not be in a transaction. */
export async function snapshotPgTrail(client: pg.ClientBase, pageRows = PAGE_ROWS): Promise<PgTrailSnapshot> {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-pg-verify-'));
  let db: Database.Database | undefined;
  try {
    db = openAuditDb(join(dir, AUDIT_DB_FILE), { synchronous: 'NORMAL' });
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const present = (await client.query<{ t: string | null }>("SELECT to_regclass('audit_events')::text AS t")).rows[0]?.t;
      if (present == null) throw new PgTrailAbsent('the PostgreSQL database holds no audit trail (no audit_events table)');
      const stored = await storedKey(client);
      await copyTables(client, db, pageRows);
      await client.query('COMMIT');
      const copy = db;
      return { auditDb: copy, ...stored, close: () => { copy.close(); rmSync(dir, { recursive: true, force: true }); } };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } catch (err) {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

// BIGINT arrives as text: BigInt keeps every value exact, as SQLite's 64-bit INTEGER holds it.
const int = (value: string): bigint => BigInt(value);

async function copyTables(client: pg.ClientBase, db: Database.Database, pageRows: number): Promise<void> {
  const page = <R>(query: (after: R | undefined) => [string, unknown[]], insert: (row: R) => void): Promise<void> => copyPages(client, db, pageRows, query, insert);
  const insertEvent = db.prepare(`INSERT INTO audit_events (seq, event_id, event_time, event_name, event_source, caller_account,
    key_account, principal_arn, error_code, request_id, record, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  await page<{ seq: string; event_id: string; event_time: string; event_name: string; event_source: string; caller_account: string | null; key_account: string | null; principal_arn: string | null; error_code: string | null; request_id: string; record: string; hash: Buffer }>(
    (after) => [`SELECT seq, event_id, event_time, event_name, event_source, caller_account, key_account, principal_arn, error_code,
      request_id, record, hash FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2`, [after?.seq ?? MIN_BIGINT, pageRows]],
    (r) => insertEvent.run(int(r.seq), r.event_id, int(r.event_time), r.event_name, r.event_source, r.caller_account, r.key_account, r.principal_arn, r.error_code, r.request_id, r.record, r.hash));
  const insertKey = db.prepare('INSERT INTO audit_event_keys (key_arn, seq) VALUES (?, ?)');
  await page<{ key_arn: string; seq: string }>(
    (after) => after === undefined
      ? ['SELECT key_arn, seq FROM audit_event_keys ORDER BY key_arn, seq LIMIT $1', [pageRows]]
      : [`SELECT key_arn, seq FROM audit_event_keys WHERE (key_arn, seq) > ($1, $2) ORDER BY key_arn, seq LIMIT $3`, [after.key_arn, after.seq, pageRows]],
    (r) => insertKey.run(r.key_arn, int(r.seq)));
  const insertDigest = db.prepare('INSERT INTO audit_digests (seq, created_at, head_seq, body, signature) VALUES (?, ?, ?, ?, ?)');
  await page<{ seq: string; created_at: string; head_seq: string; body: string; signature: Buffer }>(
    (after) => [`SELECT seq, created_at, head_seq, body, signature FROM audit_digests WHERE seq > $1 ORDER BY seq LIMIT $2`, [after?.seq ?? MIN_BIGINT, pageRows]],
    (r) => insertDigest.run(int(r.seq), int(r.created_at), int(r.head_seq), r.body, r.signature));
  const insertMeta = db.prepare('INSERT INTO audit_meta (name, value) VALUES (?, ?)');
  const meta = await client.query<{ name: string; value: string }>('SELECT name, value FROM audit_meta');
  db.transaction(() => meta.rows.forEach((r) => insertMeta.run(r.name, r.value)))();
}

/** Reads `query(after last row)` until a short page, inserting each page in one SQLite transaction. */
async function copyPages<R>(client: pg.ClientBase, db: Database.Database, pageRows: number, query: (after: R | undefined) => [string, unknown[]], insert: (row: R) => void): Promise<void> {
  let after: R | undefined;
  for (;;) {
    const [sql, params] = query(after);
    const { rows } = await client.query<R & pg.QueryResultRow>(sql, params);
    db.transaction(() => rows.forEach(insert))();
    if (rows.length < pageRows) return;
    after = rows.at(-1);
  }
}
