// A throwaway PostgreSQL database for one bench run: created with a unique name on
// config.postgresAdminUrl, dropped afterwards (also when the bench fails halfway).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';
import { config } from './config.js';

// Databases not dropped yet. If the bench exits without dropping one (Ctrl-C, a crash), the 'exit'
// handler, which must be synchronous, drops it through a short-lived node process.
const pending = new Set<string>();
const PG_MODULE = createRequire(import.meta.url).resolve('pg');
process.once('exit', () => {
  for (const name of pending) {
    const script = `const pg = require(${JSON.stringify(PG_MODULE)}); const c = new pg.Client({ connectionString: ${JSON.stringify(config.postgresAdminUrl)} });` +
      ` c.connect().then(() => c.query('DROP DATABASE IF EXISTS ${name} WITH (FORCE)')).finally(() => c.end());`;
    spawnSync(process.execPath, ['-e', script], { stdio: 'ignore', timeout: 10_000 });
  }
});

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
  pending.add(name);
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
      pending.delete(name);
    },
  };
}

/** What the bench reads from PostgreSQL about the database the nodes use: which backends serve
 *  it (their CPU is the servers'), and how many transactions it has committed or rolled back. */
export interface DatabaseProbe {
  backendPids(): Promise<readonly number[]>;
  /** Cumulative; backends report to the statistics collector at most once a second, so a 10 s
   *  window is right to within a second's worth at each end. */
  transactions(): Promise<number>;
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function databaseProbe(url: string): DatabaseProbe {
  return {
    // Other than this query's own backend.
    backendPids: async () => (await query<{ pid: number }>(url, 'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).map((r) => r.pid),
    // Minus the probe's own transactions, which count too (one each call).
    transactions: async () => Number((await query<{ n: string }>(url, 'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()'))[0]?.n ?? NaN),
  };
}
