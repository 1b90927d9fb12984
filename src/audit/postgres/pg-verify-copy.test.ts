// Verifying a PostgreSQL trail through a SQLite copy of one snapshot: the copy holds exactly the
// rows PostgreSQL holds (in pages of any size), so verifyTrail reports on it exactly what it reports
// on an audit.db fed the same events — intact, and after each kind of tampering done in both.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { after, before, test } from 'node:test';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { trailEvent, twinTrail, withPgAuditDb, type Twin } from '../../../test/harness/pg-audit.js';
import { createDigest } from '../digests.js';
import type { DigestSigner } from '../signing-key.js';
import { verifyTrail, type TrailReport } from '../verify.js';
import { pgCreateDigest } from './pg-digests.js';
import { PgTrailAbsent, snapshotPgTrail, type PgTrailSnapshot } from './pg-verify-copy.js';

function testSigner(): DigestSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), sign: (m) => sign(null, m, privateKey) };
}

const TABLES = ['audit_events ORDER BY seq', 'audit_event_keys ORDER BY key_arn, seq', 'audit_digests ORDER BY seq', 'audit_meta ORDER BY name'];
const dump = (db: Database.Database): unknown[][] => TABLES.map((t) => db.prepare(`SELECT * FROM ${t}`).all());

async function withSnapshot<T>(pool: pg.Pool, fn: (snapshot: PgTrailSnapshot) => T, pageRows?: number): Promise<T> {
  const client = await pool.connect();
  try {
    const snapshot = await snapshotPgTrail(client, pageRows);
    try {
      return fn(snapshot);
    } finally {
      snapshot.close();
    }
  } finally {
    client.release();
  }
}

await withPgAuditDb('verifying a PostgreSQL trail', ({ pool, reset }) => {
  const signer = testSigner();
  let twin: Twin;
  /** Both reports must be equal; returns the PostgreSQL one. */
  const sameReport = async (): Promise<TrailReport> => {
    const actual = await withSnapshot(pool, (s) => verifyTrail(s.auditDb, signer.publicKeyPem));
    assert.deepEqual(actual, verifyTrail(twin.sqlite, signer.publicKeyPem));
    return actual;
  };

  before(async () => {
    await reset();
    twin = twinTrail(pool);
    let appended = 0;
    while (appended < 120) {
      // Batches of 1–9, as group commits make them, never across a digest boundary (signed-audit-trail.ts).
      const size = Math.min(1 + (appended % 9), 120 - appended, 50 - (appended % 50));
      await twin.append(Array.from({ length: size }, (_, j) => trailEvent(appended + j + 1)));
      appended += size;
      if (appended % 50 === 0) {
        const at = new Date(Date.UTC(2025, 0, 1) + appended * 1000);
        assert.deepEqual(await pgCreateDigest(pool, signer, at), createDigest(twin.sqlite, signer, at));
      }
    }
    twin.sqlite.prepare("INSERT INTO audit_meta (name, value) VALUES ('note', 'copied too')").run();
    await pool.query("INSERT INTO audit_meta (name, value) VALUES ('note', 'copied too')");
  });
  after(() => twin.remove());

  test('the copy holds exactly the rows PostgreSQL holds, whatever the page size', async () => {
    for (const pageRows of [5000, 7, 1]) {
      assert.deepEqual(await withSnapshot(pool, (s) => dump(s.auditDb), pageRows), dump(twin.sqlite), `pages of ${pageRows}`);
    }
    assert.equal(await withSnapshot(pool, (s) => s.hasStore), false); // this database holds only a trail
  });

  test('an intact trail reports what the SQLite trail reports', async () => {
    const report = await sameReport();
    assert.equal(report.ok, true);
    assert.deepEqual([report.events, report.digests, report.signedThrough], [120, 2, 100]);
  });

  test('each kind of tampering is reported exactly as on SQLite', async () => {
    const tamper = async (sqliteSql: string, pgSql: string): Promise<TrailReport> => {
      twin.sqlite.prepare(sqliteSql).run();
      await pool.query(pgSql);
      return sameReport();
    };
    const changed = await tamper(`UPDATE audit_events SET record = replace(record, '"userAgent":"test/42"', '"userAgent":"test/forged"') WHERE seq = 42`,
      `UPDATE audit_events SET record = replace(record, '"userAgent":"test/42"', '"userAgent":"test/forged"') WHERE seq = 42`);
    assert.deepEqual(changed.problems.map((p) => [p.kind, p.seq]), [['changed', 42]]);
    await tamper('DELETE FROM audit_events WHERE seq = 60', 'DELETE FROM audit_events WHERE seq = 60');
    // Reorder: two records swapped (read first: SQLite's UPDATE would see its own earlier row).
    const record = (seq: number): string => twin.sqlite.prepare('SELECT record FROM audit_events WHERE seq = ?').pluck().get(seq) as string;
    const [r80, r81] = [record(80), record(81)];
    for (const [seq, text] of [[80, r81], [81, r80]] as const) {
      twin.sqlite.prepare('UPDATE audit_events SET record = ? WHERE seq = ?').run(text, seq);
      await pool.query('UPDATE audit_events SET record = $1 WHERE seq = $2', [text, seq]);
    }
    assert.deepEqual((await sameReport()).problems.filter((p) => p.kind === 'out-of-order').map((p) => p.seq), [80, 81]);
    await tamper("UPDATE audit_events SET error_code = 'Forged' WHERE seq = 90", "UPDATE audit_events SET error_code = 'Forged' WHERE seq = 90");
    await tamper('DELETE FROM audit_event_keys WHERE seq = 95', 'DELETE FROM audit_event_keys WHERE seq = 95');
    await tamper("UPDATE audit_digests SET body = replace(body, '\"digestSeq\":2', '\"digestSeq\":3') WHERE seq = 2", "UPDATE audit_digests SET body = replace(body, '\"digestSeq\":2', '\"digestSeq\":3') WHERE seq = 2");
    const last = await tamper('DELETE FROM audit_events WHERE seq > 110', 'DELETE FROM audit_events WHERE seq > 110');
    assert.equal(last.ok, false);
    assert.ok(last.problems.length >= 6, JSON.stringify(last.problems.map((p) => p.kind)));
  });

  test('a database without the trail\'s tables is told apart from a broken trail', async () => {
    const client = await pool.connect();
    try {
      await client.query('SET search_path TO nowhere');
      await assert.rejects(snapshotPgTrail(client), (err: unknown) => err instanceof PgTrailAbsent && /no audit_events table/.test(err.message));
    } finally {
      await client.query('RESET search_path');
      client.release();
    }
  });
});

await withPgAuditDb('a PostgreSQL snapshot under concurrent appends', ({ pool, reset }) => {
  test('each copy is one consistent snapshot while events and digests are appended', async () => {
    await reset();
    const signer = testSigner();
    const twin = twinTrail(pool);
    try {
      let i = 0;
      const writing = (async () => {
        for (let round = 0; round < 40; round++) {
          await twin.append(Array.from({ length: 5 }, () => trailEvent(++i)));
          await pgCreateDigest(pool, signer, new Date());
        }
      })();
      for (let check = 0; check < 8; check++) {
        const report = await withSnapshot(pool, (s) => verifyTrail(s.auditDb, signer.publicKeyPem), 3);
        assert.equal(report.ok, true, JSON.stringify(report.problems));
      }
      await writing;
    } finally {
      twin.remove();
    }
  });
});
