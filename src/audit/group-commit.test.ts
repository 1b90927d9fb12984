// Group commit: one write per turn's items, everything queued meanwhile in the next write, writes
// at most every gapMs, and a failed write rejects exactly its own items.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroupCommit } from './group-commit.js';

test('items of one turn share a write; items added during it share the next, which starts no sooner than the gap', async () => {
  const writes: { items: readonly number[]; at: number }[] = [];
  let release: () => void = () => undefined;
  const commits = new GroupCommit<number>(async (items) => {
    writes.push({ items, at: performance.now() });
    if (writes.length === 1) await new Promise<void>((resolve) => (release = resolve));
  }, 20);
  const first = [1, 2, 3].map((n) => commits.add(n));
  await new Promise((resolve) => setImmediate(resolve));
  const second = [4, 5].map((n) => commits.add(n)); // while the first write is in flight
  release();
  await Promise.all([...first, ...second]);
  assert.deepEqual(writes.map((w) => w.items), [[1, 2, 3], [4, 5]]);
  assert.ok((writes[1]?.at ?? 0) - (writes[0]?.at ?? 0) >= 19, 'the second write waited for the gap');
  await commits.drained();
});

test('a failed write rejects its own items with its error, and the next write goes on', async () => {
  let fail = true;
  const commits = new GroupCommit<string>(async () => {
    if (fail) throw new Error('disk full');
  }, 0);
  const refused = [commits.add('a'), commits.add('b')];
  for (const r of refused) await assert.rejects(r, /disk full/);
  fail = false;
  await commits.add('c');
});
