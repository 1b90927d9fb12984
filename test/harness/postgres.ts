// A throwaway PostgreSQL database for tests: KEYHOLD_TEST_POSTGRES_URL when set (an unreachable
// server then fails the test), otherwise the local server on 127.0.0.1:5432 when it answers.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type TestPostgres =
  | { readonly kind: 'ready'; readonly url: string; readonly drop: () => Promise<void> }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'fail'; readonly reason: string };

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates a fresh database with a unique name; `drop()` removes it (closing what is still connected). */
export async function testPostgres(): Promise<TestPostgres> {
  const explicit = process.env.KEYHOLD_TEST_POSTGRES_URL;
  const adminUrl = explicit ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `keyhold_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  try {
    await adminQuery(adminUrl, `CREATE DATABASE ${database}`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return explicit === undefined
      ? { kind: 'skip', reason: `no PostgreSQL at 127.0.0.1:5432 (${message}); set KEYHOLD_TEST_POSTGRES_URL to run it` }
      : { kind: 'fail', reason: `KEYHOLD_TEST_POSTGRES_URL is set but creating a database there failed: ${message}` };
  }
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return { kind: 'ready', url: url.href, drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`) };
}
