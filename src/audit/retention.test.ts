// Retention removes old events only up to a signed digest, and the trail that remains — and
// everything appended after — still verifies from that checkpoint.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DAY_MS } from '../core/clock.js';
import { appendEvents, openAuditDb } from './audit-db.js';
import { createDigest } from './digests.js';
import { eventTime, type AuditEvent } from './event.js';
import { indexOf } from './event.js';
import { applyRetention } from './retention.js';
import type { DigestSigner } from './signing-key.js';
import { verifyTrail } from './verify.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function testSigner(): DigestSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), sign: (m) => sign(null, m, privateKey) };
}

let n = 0;
function appendAt(db: ReturnType<typeof openAuditDb>, at: Date, count: number): void {
  appendEvents(db, Array.from({ length: count }, () => {
    const event = {
      eventVersion: '1.08', userIdentity: { type: 'Unknown' }, eventTime: eventTime(at), eventSource: 'kms.amazonaws.com', eventName: 'Encrypt',
      awsRegion: 'us-east-1', sourceIPAddress: '127.0.0.1', userAgent: 't', requestParameters: null, responseElements: null,
      requestID: `r${++n}`, eventID: `e${n}`, readOnly: true, eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: '',
    } satisfies AuditEvent;
    return { eventId: event.eventID, record: JSON.stringify(event), index: indexOf(event) };
  }));
}

test('events older than the period go up to the last digest before the cut-off; the rest verifies and grows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-retention-'));
  dirs.push(dir);
  const db = openAuditDb(join(dir, 'audit.db'));
  const signer = testSigner();
  const now = new Date('2026-06-01T00:00:00Z');
  const daysAgo = (d: number): Date => new Date(now.getTime() - d * DAY_MS);

  appendAt(db, daysAgo(100), 10);
  createDigest(db, signer, daysAgo(100)); // head 10
  appendAt(db, daysAgo(95), 5);
  createDigest(db, signer, daysAgo(95)); // head 15
  appendAt(db, daysAgo(80), 5); // 16–20: within 90 days, kept
  createDigest(db, signer, daysAgo(80)); // head 20
  appendAt(db, daysAgo(1), 3);

  assert.deepEqual(applyRetention(db, now, 365), { removedEvents: 0 }, 'nothing is old enough');
  assert.deepEqual(applyRetention(db, now, 90), { removedEvents: 15, checkpointSeq: 15 });
  const seqs = db.prepare('SELECT seq FROM audit_events ORDER BY seq').pluck().all();
  assert.deepEqual(seqs, [16, 17, 18, 19, 20, 21, 22, 23]);
  assert.equal(db.prepare('SELECT COUNT(*) FROM audit_event_keys WHERE seq <= 15').pluck().get(), 0);
  let report = verifyTrail(db, signer.publicKeyPem);
  assert.deepEqual(report.problems, []);
  assert.equal(report.ok, true);

  // Appending and signing go on from the checkpoint, and a second pass removes nothing more.
  appendAt(db, now, 4);
  createDigest(db, signer, now);
  assert.deepEqual(applyRetention(db, now, 90), { removedEvents: 0 });
  report = verifyTrail(db, signer.publicKeyPem);
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  assert.equal(report.lastSeq, 27);

  // Removing one more old event by hand is not retention: the chain no longer meets its checkpoint.
  db.prepare('DELETE FROM audit_events WHERE seq = 16').run();
  assert.equal(verifyTrail(db, signer.publicKeyPem).ok, false);
  db.close();
});
