// Tamper evidence: a real signed trail verifies, and each way of tampering with a copy of it is
// detected and located — the event (seq and eventID) or digest, and how it was changed.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { after, before, test } from 'node:test';
import type Database from 'better-sqlite3';
import { buildSignedTrail, copyOfTrail, type SignedTrail } from '../../test/harness/signed-audit-trail.js';
import { chainHash } from './chain.js';
import { digestBodyText, parseDigestBody } from './digest-body.js';
import { verifyTrail, type TrailReport } from './verify.js';

let trail: SignedTrail;
// 310 events, a digest after every 50: digests 1–6 sign seq 50, 100, … 300; 301–310 are unsigned.
before(async () => (trail = await buildSignedTrail(310, 50)));
after(() => trail.remove());

function tampered(change: (db: Database.Database) => void): TrailReport {
  const copy = copyOfTrail(trail);
  try {
    change(copy.db);
    return verifyTrail(copy.db, trail.publicKeyPem);
  } finally {
    copy.remove();
  }
}

interface EventRow { seq: number; event_id: string; record: string; hash: Buffer }
const eventAt = (db: Database.Database, seq: number): EventRow => db.prepare('SELECT seq, event_id, record, hash FROM audit_events WHERE seq = ?').get(seq) as EventRow;
/** Problems as `kind@seq` (or `kind#digest`), for exact comparisons. */
const found = (report: TrailReport): string[] => report.problems.map((p) => (p.digestSeq === undefined ? `${p.kind}@${p.seq}` : `${p.kind}#${p.digestSeq}`));
const problem = (report: TrailReport, kind: string): TrailReport['problems'][number] => {
  const p = report.problems.find((q) => q.kind === kind);
  assert.ok(p, `no ${kind} problem in ${JSON.stringify(report.problems, null, 1)}`);
  return p;
};

/** Moves events from `from` on (and their key rows) by `by` seqs, as an attacker renumbering would. */
function renumber(db: Database.Database, from: number, by: number): void {
  for (const table of ['audit_events', 'audit_event_keys']) {
    db.prepare(`UPDATE ${table} SET seq = -seq WHERE seq >= ?`).run(from);
    db.prepare(`UPDATE ${table} SET seq = -seq + ? WHERE seq < 0`).run(by);
  }
}

test('a clean trail of 310 events and 6 digests verifies', () => {
  const report = tampered(() => undefined);
  assert.deepEqual(report.problems, []);
  assert.equal(report.ok, true);
  assert.deepEqual([report.events, report.digests, report.firstSeq, report.lastSeq, report.signedThrough], [310, 6, 1, 310, 300]);
});

test('a changed field of one record is located: that event, changed, and its index now disagrees', () => {
  let eventId = '';
  const report = tampered((db) => {
    const row = eventAt(db, 120);
    eventId = row.event_id;
    const record = JSON.parse(row.record) as { eventName: string };
    record.eventName = record.eventName === 'Decrypt' ? 'Encrypt' : 'Decrypt';
    db.prepare('UPDATE audit_events SET record = ? WHERE seq = 120').run(JSON.stringify(record));
  });
  assert.equal(report.ok, false);
  assert.deepEqual(found(report), ['index-mismatch@120', 'changed@120']);
  const changed = problem(report, 'changed');
  assert.equal(changed.eventId, eventId);
  assert.match(changed.message, new RegExp(`^event seq 120 \\(eventID ${eventId}\\) was changed`));
  assert.match(problem(report, 'index-mismatch').message, /event_name says/);
});

test('a changed index column or key row is located, though the chain is intact', () => {
  const report = tampered((db) => {
    db.prepare("UPDATE audit_events SET principal_arn = 'arn:aws:iam::111122223333:user/someone-else' WHERE seq = 77").run();
    db.prepare('DELETE FROM audit_event_keys WHERE seq = 78').run();
    db.prepare("INSERT INTO audit_event_keys (key_arn, seq) VALUES ('arn:aws:kms:us-east-1:111122223333:key/stray', 9999)").run();
  });
  assert.deepEqual(found(report), ['index-mismatch@77', 'index-mismatch@78', 'index-mismatch@9999']);
  assert.match(report.problems[0]?.message ?? '', /principal_arn says arn:aws:iam::111122223333:user\/someone-else/);
  assert.match(report.problems[1]?.message ?? '', /key rows say \[\], the record \["arn:aws:kms:/);
  assert.match(report.problems[2]?.message ?? '', /seq 9999, which holds no event/);
});

test('an event deleted from the middle is located as missing', () => {
  const report = tampered((db) => {
    db.prepare('DELETE FROM audit_events WHERE seq = 151').run();
    db.prepare('DELETE FROM audit_event_keys WHERE seq = 151').run();
  });
  assert.deepEqual(found(report), ['missing@151']);
  assert.match(report.problems[0]?.message ?? '', /^event seq 151 is missing \(removed\): event seq 152 \(eventID [0-9a-f-]{36}\) follows seq 150$/);
});

test('an event deleted and the rest renumbered to close the gap is located as missing', () => {
  let nextId = '';
  const report = tampered((db) => {
    nextId = eventAt(db, 152).event_id;
    db.prepare('DELETE FROM audit_events WHERE seq = 151').run();
    db.prepare('DELETE FROM audit_event_keys WHERE seq = 151').run();
    renumber(db, 152, -1);
  });
  // The later digests' heads moved too: each says its span was tampered with.
  assert.deepEqual(found(report), ['missing@151', 'digest-head#4', 'digest-head#5', 'digest-head#6']);
  assert.equal(report.problems[0]?.eventId, nextId);
  assert.match(report.problems[0]?.message ?? '', /an event was removed before event seq 151 .*renumbered down \(recorded as seq 152–310\)/);
});

test('two events swapped (reordered) are each located as out of order', () => {
  const report = tampered((db) => {
    renumber(db, 64, 1000); // 64 → 1064 and on, out of the way
    db.prepare('UPDATE audit_events SET seq = 64 WHERE seq = 60').run();
    db.prepare('UPDATE audit_event_keys SET seq = 64 WHERE seq = 60').run();
    db.prepare('UPDATE audit_events SET seq = 60 WHERE seq = 1064').run();
    db.prepare('UPDATE audit_event_keys SET seq = 60 WHERE seq = 1064').run();
    renumber(db, 1065, -1000);
  });
  assert.deepEqual(found(report), ['out-of-order@60', 'out-of-order@64']);
  assert.match(report.problems[0]?.message ?? '', /^event seq 60 \(eventID .*\) is out of order: it was recorded as seq 64$/);
  assert.match(report.problems[1]?.message ?? '', /it was recorded as seq 60$/);
});

test('two adjacent events swapped are each located as out of order', () => {
  const report = tampered((db) => {
    for (const [from, to] of [[90, -90], [91, 90], [-90, 91]] as const) {
      db.prepare('UPDATE audit_events SET seq = ? WHERE seq = ?').run(to, from);
      db.prepare('UPDATE audit_event_keys SET seq = ? WHERE seq = ?').run(to, from);
    }
  });
  assert.deepEqual(found(report), ['out-of-order@90', 'out-of-order@91']);
});

test('records swapped between two rows (seq and hash left in place) are located', () => {
  const report = tampered((db) => {
    const [a, b] = [eventAt(db, 30), eventAt(db, 40)];
    db.prepare('UPDATE audit_events SET record = ? WHERE seq = 30').run(b.record);
    db.prepare('UPDATE audit_events SET record = ? WHERE seq = 40').run(a.record);
  });
  const chain = report.problems.filter((p) => p.kind !== 'index-mismatch');
  assert.deepEqual(chain.map((p) => `${p.kind}@${p.seq}`), ['out-of-order@30', 'out-of-order@40']);
  assert.match(chain[0]?.message ?? '', /its record is the one recorded at seq 40/);
});

test('an event inserted, the later ones renumbered, is located as inserted', () => {
  const forgedId = '00000000-0000-4000-8000-000000000bad';
  const report = tampered((db) => {
    const before = eventAt(db, 199);
    const record = JSON.parse(eventAt(db, 200).record) as Record<string, unknown>;
    const forged = JSON.stringify({ ...record, eventID: forgedId, eventName: 'Decrypt' });
    renumber(db, 200, 1);
    // A careful forger even chains it correctly after seq 199.
    db.prepare(`INSERT INTO audit_events (seq, event_id, event_time, event_name, event_source, caller_account, key_account, principal_arn, error_code, request_id, record, hash)
      SELECT 200, ?, event_time, 'Decrypt', event_source, caller_account, key_account, principal_arn, error_code, request_id, ?, ? FROM audit_events WHERE seq = 201`)
      .run(forgedId, forged, chainHash(before.hash, 200, forged));
    db.prepare('INSERT INTO audit_event_keys (key_arn, seq) SELECT key_arn, 200 FROM audit_event_keys WHERE seq = 201').run();
  });
  assert.deepEqual(found(report), ['inserted@200', 'renumbered@201', 'digest-head#4', 'digest-head#5', 'digest-head#6']);
  assert.equal(report.problems[0]?.eventId, forgedId);
  assert.match(report.problems[0]?.message ?? '', /^event seq 200 \(eventID 00000000-0000-4000-8000-000000000bad\) was inserted/);
  assert.match(report.problems[1]?.message ?? '', /^events seq 201–311 .* were renumbered: recorded as seq 200–310 \(an event inserted before them\)$/);
});

test('a chain rewritten from a changed event on is caught by the next signed digest', () => {
  const report = tampered((db) => {
    let previous = eventAt(db, 119).hash;
    const rows = db.prepare('SELECT seq, record FROM audit_events WHERE seq >= 120 ORDER BY seq').all() as EventRow[];
    const update = db.prepare('UPDATE audit_events SET record = ?, hash = ? WHERE seq = ?');
    for (const row of rows) {
      const record = row.seq === 120 ? row.record.replace('"sourceIPAddress":"127.0.0.1"', '"sourceIPAddress":"10.9.9.9"') : row.record;
      previous = chainHash(previous, row.seq, record);
      update.run(record, previous, row.seq);
    }
  });
  assert.deepEqual(found(report), ['digest-head#3', 'digest-head#4', 'digest-head#5', 'digest-head#6']);
  assert.match(report.problems[0]?.message ?? '', /^digest 3 signed another chain hash for seq 150 than event seq 150 \(eventID .*\) now has: events in seq 101–150 were changed/);
});

test('the tail truncated after a digest is located: the events that digest covers are gone', () => {
  const report = tampered((db) => {
    db.prepare('DELETE FROM audit_events WHERE seq > 280').run();
    db.prepare('DELETE FROM audit_event_keys WHERE seq > 280').run();
  });
  assert.deepEqual(found(report), ['tail-truncated@281']);
  assert.match(problem(report, 'tail-truncated').message, /^the trail ends at seq 280, but digest 6 \(signed .*\) covers events up to seq 300: events seq 281–300 were removed \(tail truncated\)$/);
});

test('an altered digest body is located: the next digest names the original body', () => {
  const report = tampered((db) => {
    const body = parseDigestBody(db.prepare('SELECT body FROM audit_digests WHERE seq = 3').pluck().get() as string);
    assert.ok(body);
    const altered = digestBodyText({ ...body, headHash: eventAt(db, 149).hash.toString('hex'), headSeq: 149 });
    db.prepare('UPDATE audit_digests SET body = ?, head_seq = 149 WHERE seq = 3').run(altered);
  });
  assert.deepEqual(found(report), ['digest-changed#3']);
  assert.match(report.problems[0]?.message ?? '', /^digest 3: its signature does not verify .* its body was changed$/);
});

test('the last digest altered is located (no later digest to say how)', () => {
  const report = tampered((db) => db.prepare("UPDATE audit_digests SET body = replace(body, '\"headSeq\":300', '\"headSeq\":299') WHERE seq = 6").run());
  assert.deepEqual(found(report), ['digest-signature#6']);
});

test('a forged digest signature is located: the body is intact, the signature is not ours', () => {
  const report = tampered((db) => {
    const other = generateKeyPairSync('ed25519').privateKey;
    const body = db.prepare('SELECT body FROM audit_digests WHERE seq = 2').pluck().get() as string;
    db.prepare('UPDATE audit_digests SET signature = ? WHERE seq = 2').run(sign(null, Buffer.from(body), other));
  });
  assert.deepEqual(found(report), ['digest-signature#2']);
  assert.match(report.problems[0]?.message ?? '', /its signature was replaced \(forged\)$/);
});

test('a removed digest is located, and the digests after it still verify', () => {
  const report = tampered((db) => db.prepare('DELETE FROM audit_digests WHERE seq = 4').run());
  assert.deepEqual(found(report), ['digest-missing#4']);
});

test('a trail that starts after seq 1 verifies only from a signed checkpoint at the seq before it', () => {
  const retained = tampered((db) => {
    db.prepare('DELETE FROM audit_events WHERE seq <= 100').run();
    db.prepare('DELETE FROM audit_event_keys WHERE seq <= 100').run();
    db.prepare('DELETE FROM audit_digests WHERE seq < 2').run(); // digest 2 (seq 100) is the checkpoint
  });
  assert.deepEqual(retained.problems, []);
  assert.equal(retained.firstSeq, 101);
  const headCut = tampered((db) => {
    db.prepare('DELETE FROM audit_events WHERE seq <= 90').run();
    db.prepare('DELETE FROM audit_event_keys WHERE seq <= 90').run();
    db.prepare('DELETE FROM audit_digests WHERE seq < 2').run();
  });
  assert.deepEqual(found(headCut), ['missing@1']);
  assert.match(headCut.problems[0]?.message ?? '', /^events seq 1–90 are missing \(removed\): the trail starts at seq 91/);
});

test('verification refuses a public key that is not Ed25519', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const copy = copyOfTrail(trail);
  try {
    assert.throws(() => verifyTrail(copy.db, rsa), /not Ed25519/);
    assert.throws(() => verifyTrail(copy.db, 'not a key'), /not a PEM public key/);
  } finally {
    copy.remove();
  }
});
