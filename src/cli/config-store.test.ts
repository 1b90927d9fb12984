// `keyhold serve --store`: SQLite unless told otherwise; PostgreSQL needs its URL, and an error
// about the URL never repeats it (it may hold a password).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseServeConfig } from './config.js';

const url = 'postgres://keyhold:s3cret@db.internal:5432/keyhold';

test('the store is SQLite by default', () => {
  assert.deepEqual(parseServeConfig([], {}).store, { kind: 'sqlite' });
});

test('--store postgres with --postgres-url, or the same from the environment', () => {
  const defaults = { kind: 'postgres', url }; // the store's own defaults apply
  assert.deepEqual(parseServeConfig(['--store', 'postgres', '--postgres-url', url], {}).store, defaults);
  assert.deepEqual(parseServeConfig([], { KEYHOLD_STORE: 'postgres', KEYHOLD_POSTGRES_URL: url }).store, defaults);
});

test('the pool size and statement timeout come from flags or the environment, within bounds, and only for postgres', () => {
  const postgres = ['--store', 'postgres', '--postgres-url', url];
  assert.deepEqual(parseServeConfig([...postgres, '--postgres-pool-size', '4', '--postgres-statement-timeout-ms', '2500'], {}).store,
    { kind: 'postgres', url, poolSize: 4, statementTimeoutMs: 2500 });
  assert.deepEqual(parseServeConfig(postgres, { KEYHOLD_POSTGRES_POOL_SIZE: '20', KEYHOLD_POSTGRES_STATEMENT_TIMEOUT_MS: '30000' }).store,
    { kind: 'postgres', url, poolSize: 20, statementTimeoutMs: 30_000 });
  assert.throws(() => parseServeConfig([...postgres, '--postgres-pool-size', '0'], {}), ConfigError);
  assert.throws(() => parseServeConfig([...postgres, '--postgres-statement-timeout-ms', 'soon'], {}), ConfigError);
  assert.throws(() => parseServeConfig(['--postgres-pool-size', '4'], {}), /need --store postgres/);
});

test('--store postgres without a URL, a URL without --store postgres, an unknown store and a non-postgres URL are refused', () => {
  assert.throws(() => parseServeConfig(['--store', 'postgres'], {}), ConfigError);
  assert.throws(() => parseServeConfig(['--postgres-url', url], {}), ConfigError);
  assert.throws(() => parseServeConfig(['--store', 'mysql'], {}), ConfigError);
  assert.throws(() => parseServeConfig(['--store', 'postgres', '--postgres-url', 'mysql://u:s3cret@h/d'], {}),
    (err: Error) => err instanceof ConfigError && !err.message.includes('s3cret'));
});
