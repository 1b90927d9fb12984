import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newRequestId } from './request-id.js';

test('request ids are version-7 UUIDs that sort by time and never repeat', () => {
  const ids = Array.from({ length: 1000 }, (_, i) => newRequestId(1_800_000_000_000 + i));
  for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(parseInt(ids[0]?.replaceAll('-', '').slice(0, 12) ?? '', 16), 1_800_000_000_000);
});
