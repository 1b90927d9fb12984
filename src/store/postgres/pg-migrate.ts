// Applies the PostgreSQL schema history. Several nodes may start at once on an empty database:
// each takes the same transaction-scoped advisory lock first, so one applies the migrations and
// the others, once it commits, find them applied. DDL is transactional in PostgreSQL, so a failed
// migration leaves nothing behind.
import type pg from 'pg';
import { postgresMigrations } from './migrations.js';

/** Advisory lock keys are two int4s: 'khld', then the lock's purpose (1: writers, 2: migrations). */
export const KEYHOLD_LOCK = 0x6b686c64;
const MIGRATIONS = 2;

/** Brings the schema up to date; refuses a schema newer than this keyhold knows. */
export async function migratePostgres(pool: pg.Pool, schema: string | undefined): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [KEYHOLD_LOCK, MIGRATIONS]);
      // The name was checked to be a plain identifier when the store was opened.
      if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      const latest = Math.max(0, ...applied);
      const known = Math.max(...postgresMigrations.map((m) => m.version));
      if (latest > known) throw new Error(`the store is at schema version ${latest}, newer than this keyhold (${known}); upgrade keyhold`);
      for (const m of postgresMigrations) {
        if (applied.has(m.version)) continue;
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw err;
    }
  } finally {
    client.release(broken);
  }
}
