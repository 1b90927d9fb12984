// Grant tokens: issued tokens open to their grant id, each issue is a new token, and nothing else
// opens — not a tampered token, not another store's, not a token of the right shape made up.
import assert from 'node:assert/strict';
import { createSecretKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RootKey } from '../../backends/software/root-key.js';
import { SoftwareBackend } from '../../backends/software/software-backend.js';
import { systemRandom } from '../../core/clock.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { GrantTokens } from './grant-token.js';

const dirs: string[] = [];
const stores: SqliteStore[] = [];
after(async () => {
  await Promise.all(stores.map((s) => s.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Token services on one fresh store; `count` of them model the worker processes sharing it. */
function tokensOnFreshStore(count = 1): GrantTokens[] {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-grant-token-'));
  dirs.push(dir);
  const backend = new SoftwareBackend(new RootKey(createSecretKey(systemRandom.bytes(32)), systemRandom), systemRandom);
  return Array.from({ length: count }, () => {
    const store = SqliteStore.open(join(dir, 'keyhold.db'));
    stores.push(store);
    return new GrantTokens(store, backend, systemRandom);
  });
}

const GRANT_ID = '0123456789abcdef'.repeat(4);

async function invalid(call: Promise<unknown>): Promise<void> {
  await assert.rejects(call, { name: 'KmsError', type: 'InvalidGrantTokenException' });
}

test('an issued token opens to its grant id, and every issue is a new token', async () => {
  const [tokens] = tokensOnFreshStore();
  assert.ok(tokens);
  const first = await tokens.issue(GRANT_ID);
  const second = await tokens.issue(GRANT_ID);
  assert.notEqual(first, second);
  assert.equal(await tokens.grantIdOf(first), GRANT_ID);
  assert.equal(await tokens.grantIdOf(second), GRANT_ID);
  await tokens.requireIssued([first, second]);
});

test('a token issued by one process opens in another sharing the store', async () => {
  const [a, b] = tokensOnFreshStore(2);
  assert.ok(a && b);
  const token = await a.issue(GRANT_ID);
  assert.equal(await b.grantIdOf(token), GRANT_ID);
  // Both go on using the one token key that was created first.
  assert.equal(await a.grantIdOf(await b.issue(GRANT_ID)), GRANT_ID);
});

test('no token is valid before any was issued', async () => {
  const [tokens] = tokensOnFreshStore();
  assert.ok(tokens);
  const [other] = tokensOnFreshStore();
  assert.ok(other);
  await invalid(tokens.grantIdOf(await other.issue(GRANT_ID)));
});

test('a token from another store, a tampered token and made-up strings are InvalidGrantTokenException', async () => {
  const [tokens] = tokensOnFreshStore();
  const [other] = tokensOnFreshStore();
  assert.ok(tokens && other);
  const token = await tokens.issue(GRANT_ID);
  await invalid(tokens.grantIdOf(await other.issue(GRANT_ID)));
  for (let i = 0; i < token.length; i += 7) {
    const flipped = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
    await invalid(tokens.grantIdOf(flipped));
  }
  for (const made of ['x', GRANT_ID, token + 'A', token.slice(1), `${token.slice(0, -1)}=`, Buffer.alloc(61, 1).toString('base64url'), '💥'.repeat(50)]) {
    await invalid(tokens.grantIdOf(made));
  }
  await invalid(tokens.requireIssued([token, 'x']));
});

test('the GrantTokens parameter may be absent or empty', async () => {
  const [tokens] = tokensOnFreshStore();
  assert.ok(tokens);
  await tokens.requireIssued(undefined);
  await tokens.requireIssued([]);
});

test('only a grant id is sealed into a token', async () => {
  const [tokens] = tokensOnFreshStore();
  assert.ok(tokens);
  await assert.rejects(tokens.issue('not-a-grant-id'), RangeError);
});
