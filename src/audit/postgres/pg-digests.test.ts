// pgCreateDigest against a real PostgreSQL: digests.test.ts's behaviour (one digest per new head,
// each naming the previous), the very rows createDigest writes to audit.db for the same trail, and
// one digest per head when several nodes sign at once.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { trailEvent, twinTrail, withPgAuditDb, type Twin } from '../../../test/harness/pg-audit.js';
import { createDigest } from '../digests.js';
import type { DigestSigner } from '../signing-key.js';
import { pgCreateDigest } from './pg-digests.js';

function testSigner(): DigestSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), sign: (m) => sign(null, m, privateKey) };
}

interface DigestRow { seq: number; created_at: number; head_seq: number; body: string; signature: Buffer }
const pgDigests = async (pool: pg.Pool): Promise<DigestRow[]> =>
  (await pool.query<{ seq: string; created_at: string; head_seq: string; body: string; signature: Buffer }>('SELECT * FROM audit_digests ORDER BY seq')).rows
    .map((r) => ({ seq: Number(r.seq), created_at: Number(r.created_at), head_seq: Number(r.head_seq), body: r.body, signature: r.signature }));

let next = 1;
const append = (twin: Twin, n: number): Promise<void> => twin.append(Array.from({ length: n }, () => trailEvent(next++)));

await withPgAuditDb('pgCreateDigest on PostgreSQL', ({ url, pool, reset }) => {
  test('no digest for an empty trail, nor when no event was appended since the last one', async () => {
    await reset();
    const twin = twinTrail(pool);
    try {
      const signer = testSigner();
      assert.equal(await pgCreateDigest(pool, signer, new Date()), undefined);
      await append(twin, 3);
      assert.equal((await pgCreateDigest(pool, signer, new Date()))?.digestSeq, 1);
      assert.equal(await pgCreateDigest(pool, signer, new Date()), undefined);
      assert.equal((await pgDigests(pool)).length, 1);
    } finally {
      twin.remove();
    }
  });

  test('the same bodies, columns and signatures as createDigest writes to audit.db', async () => {
    await reset();
    const twin = twinTrail(pool);
    try {
      const signer = testSigner(); // Ed25519 signatures are deterministic: equal bytes, equal signatures
      for (const [events, at] of [[5, '2025-03-01T12:00:00Z'], [2, '2025-03-01T12:05:00Z'], [9, '2025-03-01T12:10:00Z']] as const) {
        await append(twin, events);
        const expected = createDigest(twin.sqlite, signer, new Date(at));
        assert.deepEqual(await pgCreateDigest(pool, signer, new Date(at)), expected);
      }
      const rows = await pgDigests(pool);
      assert.deepEqual(rows, twin.sqlite.prepare('SELECT * FROM audit_digests ORDER BY seq').all());
      assert.deepEqual(rows.map((r) => r.head_seq), [5, 7, 16]);
      for (const r of rows) assert.equal(verify(null, Buffer.from(r.body, 'utf8'), signer.publicKeyPem, r.signature), true);
    } finally {
      twin.remove();
    }
  });

  test('nodes signing at once write one digest per new head', async () => {
    await reset();
    const twin = twinTrail(pool);
    // One pool per "node", each its own connection.
    const nodes = Array.from({ length: 5 }, () => new pg.Pool({ connectionString: url, max: 1 }));
    try {
      const signer = testSigner();
      for (let round = 1; round <= 4; round++) {
        await append(twin, round);
        const results = await Promise.all(nodes.map((node) => pgCreateDigest(node, signer, new Date(Date.UTC(2025, 2, 1, 0, round)))));
        const written = results.filter((r) => r !== undefined);
        assert.equal(written.length, 1, `round ${round}: ${written.length} digests`);
        assert.equal(written[0]?.digestSeq, round);
      }
      const rows = await pgDigests(pool);
      assert.deepEqual(rows.map((r) => [r.seq, r.head_seq]), [[1, 1], [2, 3], [3, 6], [4, 10]]);
    } finally {
      await Promise.all(nodes.map((n) => n.end()));
      twin.remove();
    }
  });
});
