// pgApplyRetention against a real PostgreSQL: retention.test.ts's scenario run on audit.db and on
// PostgreSQL side by side — the same removals, the same chain_start checkpoint text, the rest
// verifying and growing from it — and two nodes applying it at once.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { appendPgEvents, twinTrail, withPgAuditDb, type Twin } from '../../../test/harness/pg-audit.js';
import { DAY_MS } from '../../core/clock.js';
import type { PendingEvent } from '../audit-db.js';
import { createDigest } from '../digests.js';
import { eventTime, indexOf, type AuditEvent } from '../event.js';
import { applyRetention } from '../retention.js';
import type { DigestSigner } from '../signing-key.js';
import { verifyTrail } from '../verify.js';
import { pgCreateDigest } from './pg-digests.js';
import { pgApplyRetention } from './pg-retention.js';
import { snapshotPgTrail } from './pg-verify-copy.js';

function testSigner(): DigestSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), sign: (m) => sign(null, m, privateKey) };
}

let n = 0;
function eventsAt(at: Date, count: number): PendingEvent[] {
  return Array.from({ length: count }, () => {
    const event = {
      eventVersion: '1.08', userIdentity: { type: 'Unknown' }, eventTime: eventTime(at), eventSource: 'kms.amazonaws.com', eventName: 'Encrypt',
      awsRegion: 'us-east-1', sourceIPAddress: '127.0.0.1', userAgent: 't', requestParameters: null, responseElements: null,
      requestID: `r${++n}`, eventID: `e${n}`, readOnly: true, eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: '',
      resources: [{ accountId: '111122223333', type: 'AWS::KMS::Key', ARN: `arn:aws:kms:us-east-1:111122223333:key/k${n % 3}` }],
    } satisfies AuditEvent;
    return { eventId: event.eventID, record: JSON.stringify(event), index: indexOf(event) };
  });
}

async function pgVerify(pool: pg.Pool, pem: string): Promise<ReturnType<typeof verifyTrail>> {
  const client = await pool.connect();
  try {
    const snapshot = await snapshotPgTrail(client);
    try {
      return verifyTrail(snapshot.auditDb, pem);
    } finally {
      snapshot.close();
    }
  } finally {
    client.release();
  }
}

const column = async (pool: pg.Pool, sql: string): Promise<unknown[]> => (await pool.query(sql)).rows.map((r: Record<string, unknown>) => Object.values(r)[0]);

await withPgAuditDb('pgApplyRetention on PostgreSQL', ({ url, pool, reset }) => {
  const now = new Date('2026-06-01T00:00:00Z');
  const daysAgo = (d: number): Date => new Date(now.getTime() - d * DAY_MS);
  const signer = testSigner();

  /** Appends and signs on both sides; the digests are equal (retention anchors on them). */
  async function appendAndSign(twin: Twin, at: Date, count: number, signAt?: Date): Promise<void> {
    await twin.append(eventsAt(at, count));
    if (signAt) assert.deepEqual(await pgCreateDigest(pool, signer, signAt), createDigest(twin.sqlite, signer, signAt));
  }

  test('removes what applyRetention removes, writes the same checkpoint, and the rest verifies and grows', async () => {
    await reset();
    const twin = twinTrail(pool);
    try {
      await appendAndSign(twin, daysAgo(100), 10, daysAgo(100)); // head 10
      await appendAndSign(twin, daysAgo(95), 5, daysAgo(95)); // head 15
      await appendAndSign(twin, daysAgo(80), 5, daysAgo(80)); // 16–20: within 90 days, kept
      await appendAndSign(twin, daysAgo(1), 3);

      for (const days of [365, 90, 90]) {
        const expected = applyRetention(twin.sqlite, now, days);
        assert.deepEqual(await pgApplyRetention(pool, now, days), expected, `${days} days`);
      }
      assert.deepEqual(await column(pool, 'SELECT seq::int FROM audit_events ORDER BY seq'), [16, 17, 18, 19, 20, 21, 22, 23]);
      assert.deepEqual(await column(pool, 'SELECT COUNT(*)::int FROM audit_event_keys WHERE seq <= 15'), [0]);
      assert.deepEqual(await column(pool, 'SELECT seq::int FROM audit_digests ORDER BY seq'), [2, 3]);
      // The checkpoint is the same text as SQLite's, so the chainer and the verifier read it alike.
      const start = twin.sqlite.prepare("SELECT value FROM audit_meta WHERE name = 'chain_start'").pluck().get() as string;
      assert.deepEqual(await column(pool, "SELECT value FROM audit_meta WHERE name = 'chain_start'"), [start]);
      assert.match(start, /^\{"seq":15,"hash":"[0-9a-f]{64}"\}$/);
      let report = await pgVerify(pool, signer.publicKeyPem);
      assert.deepEqual(report, verifyTrail(twin.sqlite, signer.publicKeyPem));
      assert.equal(report.ok, true, JSON.stringify(report.problems));

      // Appending (from the checkpoint, once every event is gone) and signing go on.
      for (const days of [0.5]) {
        await appendAndSign(twin, now, 4, now);
        assert.deepEqual(await pgApplyRetention(pool, new Date(now.getTime() + DAY_MS), days), applyRetention(twin.sqlite, new Date(now.getTime() + DAY_MS), days));
      }
      assert.deepEqual(await column(pool, 'SELECT COUNT(*)::int FROM audit_events'), [0]); // all removed: the chain continues from chain_start
      await appendAndSign(twin, now, 2, now);
      assert.deepEqual(await column(pool, 'SELECT hash FROM audit_events ORDER BY seq'), twin.sqlite.prepare('SELECT hash FROM audit_events ORDER BY seq').pluck().all());
      report = await pgVerify(pool, signer.publicKeyPem);
      assert.equal(report.ok, true, JSON.stringify(report.problems));
      assert.equal(report.lastSeq, 29);

      // Removing one more old event by hand is not retention: the chain no longer meets its checkpoint.
      await pool.query('DELETE FROM audit_events WHERE seq = 28');
      assert.equal((await pgVerify(pool, signer.publicKeyPem)).ok, false);
    } finally {
      twin.remove();
    }
  });

  test('two nodes applying retention at once remove the events once', async () => {
    await reset();
    await appendPgEvents(pool, eventsAt(daysAgo(100), 30));
    await pgCreateDigest(pool, signer, daysAgo(100));
    await appendPgEvents(pool, eventsAt(daysAgo(1), 3));
    const nodes = [new pg.Pool({ connectionString: url, max: 1 }), new pg.Pool({ connectionString: url, max: 1 })];
    try {
      const results = await Promise.all(nodes.map((node) => pgApplyRetention(node, now, 30)));
      assert.deepEqual(results.map((r) => r.removedEvents).sort((a, b) => a - b), [0, 30]);
      assert.equal((await pgVerify(pool, signer.publicKeyPem)).ok, true);
    } finally {
      await Promise.all(nodes.map((node) => node.end()));
    }
  });
});
