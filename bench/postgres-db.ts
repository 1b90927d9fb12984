// A throwaway PostgreSQL database for one bench run: created with a unique name on
// config.postgresAdminUrl, dropped afterwards (also when the bench fails halfway).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { config } from './config.js';

export interface BenchDatabase {
  /** postgres:// URL of the fresh database. */
  readonly url: string;
  drop(): Promise<void>;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: config.postgresAdminUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates `keyhold_bench_<time>_<random>`; the name is generated here, never taken from input. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `keyhold_bench_${Date.now()}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(config.postgresAdminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.href,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      // FORCE: a node that did not stop cleanly must not keep the database alive.
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** The pids of the PostgreSQL backends connected to `url`'s database, other than this query's
 *  own: the server processes doing the keyhold nodes' work, when PostgreSQL runs on this machine. */
export async function databaseBackendPids(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const r = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    return r.rows.map((row) => row.pid);
  } finally {
    await client.end().catch(() => undefined);
  }
}
