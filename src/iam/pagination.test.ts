// IAM list pagination: MaxItems, IsTruncated and a Marker that continues after the last item,
// also when a filter (PathPrefix) skips whole store pages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from '../store/store.js';
import { listFromStore, listInMemory, listXml } from './pagination.js';

const names = Array.from({ length: 25 }, (_, i) => `n${String(i).padStart(2, '0')}`);

/** A store that pages `names` in order, counting its calls. */
function pagedStore(): { fetch: (after: string | undefined, limit: number) => Promise<Page<string>>; calls: () => number } {
  let calls = 0;
  return {
    fetch: async (after, limit) => {
      calls++;
      const rest = names.filter((n) => after === undefined || n > after);
      const items = rest.slice(0, limit);
      return { items, next: rest.length > limit ? items[items.length - 1] : undefined };
    },
    calls: () => calls,
  };
}

test('a list longer than MaxItems is truncated, and the marker continues after its last item', async () => {
  const store = pagedStore();
  const first = await listFromStore(store.fetch, (n) => n, () => true, undefined, 10);
  assert.deepEqual([first.items.length, first.items[9], first.marker], [10, 'n09', 'n09']);
  const last = await listFromStore(store.fetch, (n) => n, () => true, 'n19', 10);
  assert.deepEqual([last.items, last.marker], [['n20', 'n21', 'n22', 'n23', 'n24'], undefined]);
});

test('a list of exactly MaxItems is not truncated', async () => {
  const exact = await listFromStore(pagedStore().fetch, (n) => n, () => true, 'n14', 10);
  assert.deepEqual([exact.items.length, exact.marker], [10, undefined]);
});

test('a filter that skips most items reads on through the store\'s pages', async () => {
  const store = pagedStore();
  const listed = await listFromStore(store.fetch, (n) => n, (n) => n.endsWith('7'), undefined, 1);
  assert.deepEqual([listed.items, listed.marker], [['n07'], 'n07']);
  const next = await listFromStore(store.fetch, (n) => n, (n) => n.endsWith('7'), listed.marker, 1);
  assert.deepEqual([next.items, next.marker], [['n17'], undefined]);
  assert.ok(store.calls() > 2);
});

test('in-memory lists are sorted by their key and paged the same way', () => {
  const page = listInMemory(['c', 'a', 'b'], (n) => n, undefined, 2);
  assert.deepEqual([page.items, page.marker], [['a', 'b'], 'b']);
  assert.deepEqual(listInMemory(['c', 'a', 'b'], (n) => n, 'b', 2), { items: ['c'], marker: undefined });
});

test('the XML has the list, IsTruncated, and Marker only when truncated', () => {
  assert.deepEqual(listXml('PolicyNames', { items: ['a'], marker: 'a' }, (n) => n), { PolicyNames: ['a'], IsTruncated: true, Marker: 'a' });
  assert.deepEqual(listXml('PolicyNames', { items: [], marker: undefined }, (n) => n), { PolicyNames: [], IsTruncated: false, Marker: undefined });
});
