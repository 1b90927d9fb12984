// Runs the storage conformance suite on PostgreSQL: KEYHOLD_TEST_POSTGRES_URL when set (then an
// unreachable server fails the run), otherwise the local server on 127.0.0.1:5432 when it answers
// (skipped, saying so, when it does not). One fresh database per run, dropped at the end; one
// fresh schema per store the suite creates.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import pg from 'pg';
import { identityConformance } from '../conformance-identities.js';
import { leasesConformance } from '../conformance-leases.js';
import { servicesConformance } from '../conformance-services.js';
import { storeConformance, type StoreFactory } from '../conformance.js';
import { sqliteMigrations } from '../sqlite/migrations.js';
import { postgresMigrations } from './migrations.js';
import { PostgresStore, type PostgresStoreOptions } from './postgres-store.js';

const explicit = process.env.KEYHOLD_TEST_POSTGRES_URL;
const adminUrl = explicit ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

test('the PostgreSQL schema history has the same versions and names as SQLite\'s', () => {
  assert.deepEqual(postgresMigrations.map((m) => [m.version, m.name]), sqliteMigrations.map((m) => [m.version, m.name]));
});

const unreachable = await reachable(adminUrl);
if (unreachable !== undefined && explicit === undefined) {
  test('postgres: storage conformance', { skip: `no PostgreSQL at 127.0.0.1:5432 (${unreachable}); set KEYHOLD_TEST_POSTGRES_URL to run it` }, () => {});
} else if (unreachable !== undefined) {
  test('postgres: storage conformance', () => assert.fail(`KEYHOLD_TEST_POSTGRES_URL is set but PostgreSQL does not answer: ${unreachable}`));
} else {
  const database = `keyhold_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  await admin(`CREATE DATABASE ${database}`);
  after(() => admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));

  let schemas = 0;
  let schema = '';
  const open = (): Promise<PostgresStore> => PostgresStore.open({ url: url.href, schema, poolSize: 4 });
  const factory: StoreFactory = {
    async create() {
      schema = `s${++schemas}`;
      return open();
    },
    connectAgain: open,
  };
  storeConformance('postgres', factory);
  identityConformance('postgres', factory);
  servicesConformance('postgres', factory);
  leasesConformance('postgres', factory);

  test('postgres: nodes starting at once on an empty schema migrate it once', async () => {
    schema = 'concurrent_start';
    const stores = await Promise.all([open(), open(), open()]);
    await Promise.all(stores.map((s) => s.close()));
    const client = new pg.Client({ connectionString: url.href });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: number }>('SELECT version FROM concurrent_start.schema_migrations ORDER BY version');
      assert.deepEqual(rows.map((r) => r.version), postgresMigrations.map((m) => m.version));
    } finally {
      await client.end();
    }
  });

  test('postgres: writers on two nodes are serialised, and each sees the other\'s commits', async () => {
    schema = 'two_nodes';
    const [a, b] = await Promise.all([open(), open()]);
    try {
      await a.transaction((tx) => tx.setMeta('n', '0'));
      const increment = (store: PostgresStore) => store.transaction(async (tx) => {
        const n = Number(await tx.getMeta('n'));
        await new Promise((r) => setImmediate(r));
        await tx.setMeta('n', String(n + 1));
      });
      await Promise.all(Array.from({ length: 20 }, (_, i) => increment(i % 2 === 0 ? a : b)));
      assert.equal(await b.read((tx) => tx.getMeta('n')), '20');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  /** Waits until the store's token differs from `before`, without touching the store; returns the ms taken. */
  const tokenMoves = async (store: PostgresStore, before: string, limitMs: number): Promise<number> => {
    const start = performance.now();
    while (store.changeToken() === before) {
      if (performance.now() - start > limitMs) assert.fail(`the change token stayed ${before} for ${limitMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return performance.now() - start;
  };
  const openWith = (options: Partial<PostgresStoreOptions>): Promise<PostgresStore> => PostgresStore.open({ url: url.href, schema, poolSize: 2, ...options });

  test('postgres: another node\'s commit moves the change token through NOTIFY, without waiting for the poll', async () => {
    schema = 'notify';
    const [a, b] = await Promise.all([openWith({ generationPollMs: 60_000 }), openWith({ generationPollMs: 60_000 })]);
    try {
      for (let i = 0; i < 3; i++) {
        const before = b.changeToken();
        await a.transaction((tx) => tx.setMeta('n', String(i)));
        assert.ok(await tokenMoves(b, before, 200) < 200);
      }
      // Stores in other schemas of the same database are not disturbed by this schema's notifications.
      assert.equal(b.changeToken().split('.')[0], a.changeToken().split('.')[0]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('postgres: with the LISTEN connection killed, the poll bounds the delay, and notifications resume after reconnecting', async () => {
    schema = 'listen_killed';
    const errors: Error[] = [];
    const onError = (err: Error): void => void errors.push(err);
    const writer = await openWith({ generationPollMs: 60_000, onError });
    // polled: short poll, reconnects late; notified: no poll to speak of, reconnects early.
    const polled = await openWith({ generationPollMs: 200, listenRetryMs: 10_000, onError });
    const notified = await openWith({ generationPollMs: 60_000, listenRetryMs: 100, onError });
    try {
      const listeners = `SELECT pid FROM pg_stat_activity WHERE datname = '${database}' AND application_name = 'keyhold-listener'`;
      const killed = new pg.Client({ connectionString: url.href });
      await killed.connect();
      try {
        const { rows } = await killed.query<{ pid: number }>(listeners);
        assert.equal(rows.length, 3);
        await killed.query(`SELECT pg_terminate_backend(pid) FROM (${listeners}) l`);
        const pids = rows.map((r) => r.pid);
        while ((await killed.query('SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1)', [pids])).rowCount !== 0) await new Promise((r) => setTimeout(r, 10));
      } finally {
        await killed.end();
      }
      const [polledBefore, notifiedBefore] = [polled.changeToken(), notified.changeToken()];
      await writer.transaction((tx) => tx.setMeta('n', '1'));
      // The poll (200 ms) catches up long before the listener reconnects (at least 5 s).
      assert.ok(await tokenMoves(polled, polledBefore, 1000) < 1000);
      // The early listener catches up once reconnected (its poll is a minute away), then is notified again.
      await tokenMoves(notified, notifiedBefore, 5000);
      const before = notified.changeToken();
      await writer.transaction((tx) => tx.setMeta('n', '2'));
      assert.ok(await tokenMoves(notified, before, 200) < 200);
      assert.ok(errors.length >= 3, 'each lost LISTEN connection is reported through onError');
    } finally {
      await Promise.all([writer.close(), polled.close(), notified.close()]);
    }
  });
}
