// Runs the storage conformance suite on PostgreSQL: KEYHOLD_TEST_POSTGRES_URL when set (then an
// unreachable server fails the run), otherwise the local server on 127.0.0.1:5432 when it answers
// (skipped, saying so, when it does not). One fresh database per run, dropped at the end; one
// fresh schema per store the suite creates.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import pg from 'pg';
import { identityConformance } from '../conformance-identities.js';
import { servicesConformance } from '../conformance-services.js';
import { storeConformance, type StoreFactory } from '../conformance.js';
import { sqliteMigrations } from '../sqlite/migrations.js';
import { postgresMigrations } from './migrations.js';
import { PostgresStore } from './postgres-store.js';

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
}
