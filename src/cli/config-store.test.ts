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
  assert.deepEqual(parseServeConfig(['--store', 'postgres', '--postgres-url', url], {}).store, { kind: 'postgres', url });
  assert.deepEqual(parseServeConfig([], { KEYHOLD_STORE: 'postgres', KEYHOLD_POSTGRES_URL: url }).store, { kind: 'postgres', url });
});

test('--store postgres without a URL, a URL without --store postgres, an unknown store and a non-postgres URL are refused', () => {
  assert.throws(() => parseServeConfig(['--store', 'postgres'], {}), ConfigError);
  assert.throws(() => parseServeConfig(['--postgres-url', url], {}), ConfigError);
  assert.throws(() => parseServeConfig(['--store', 'mysql'], {}), ConfigError);
  assert.throws(() => parseServeConfig(['--store', 'postgres', '--postgres-url', 'mysql://u:s3cret@h/d'], {}),
    (err: Error) => err instanceof ConfigError && !err.message.includes('s3cret'));
});
