// Caches follow the store: a new change token empties them; a value loaded across a change is dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from './store.js';
import { GenerationCache, StoreFreshness } from './freshness.js';

function fakeStore(): { store: Store; commit: () => void } {
  let token = 0;
  const store = { changeToken: () => String(token) } as unknown as Store;
  return { store, commit: () => void token++ };
}

test('a cached value survives checks while the store is unchanged, and is dropped after a commit', () => {
  const { store, commit } = fakeStore();
  const freshness = new StoreFreshness(store);
  const cache = new GenerationCache<string>(freshness);
  assert.equal(cache.get('k'), undefined);
  cache.set('k', 'v', freshness.generation);
  freshness.check();
  assert.equal(cache.get('k'), 'v');
  commit();
  assert.equal(cache.get('k'), 'v', 'nothing changes until the next request checks');
  freshness.check();
  assert.equal(cache.get('k'), undefined);
});

test('a value loaded while the store moved on is not remembered', () => {
  const { store, commit } = fakeStore();
  const freshness = new StoreFreshness(store);
  const cache = new GenerationCache<string>(freshness);
  assert.equal(cache.get('k'), undefined);
  const loadedDuring = freshness.generation;
  commit();
  freshness.check(); // another request saw the commit while this load was in flight
  cache.set('k', 'stale', loadedDuring);
  assert.equal(cache.get('k'), undefined);
});

test('the cache holds at most its bound, dropping the oldest entry', () => {
  const { store } = fakeStore();
  const freshness = new StoreFreshness(store);
  const cache = new GenerationCache<number>(freshness, 2);
  cache.get('a');
  for (const [k, v] of [['a', 1], ['b', 2], ['c', 3]] as const) cache.set(k, v, freshness.generation);
  assert.deepEqual([cache.get('a'), cache.get('b'), cache.get('c')], [undefined, 2, 3]);
});
