// The sink every serving process records through: durable in its journal segment when record()
// resolves, chained into audit.db by its ingester thread, refused when the journal cannot be written.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pino } from 'pino';
import { openAuditDb } from './audit-db.js';
import { AuditJournal } from './audit-journal.js';
import { eventTime, type AuditEvent } from './event.js';
import { JOURNAL_DIR, readFrames } from './journal-format.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const logger = pino({ level: 'silent' });

function journalIn(): { dir: string; journal: AuditJournal } {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-audit-journal-'));
  dirs.push(dir);
  return { dir, journal: new AuditJournal({ dataDir: dir, auditDbPath: join(dir, 'audit.db'), busyTimeoutMs: 1000, logger }) };
}

let n = 0;
const event = (): AuditEvent => ({
  eventVersion: '1.08', userIdentity: { type: 'Unknown' }, eventTime: eventTime(new Date()), eventSource: 'kms.amazonaws.com', eventName: 'Encrypt',
  awsRegion: 'us-east-1', sourceIPAddress: '127.0.0.1', userAgent: 't', requestParameters: null, responseElements: null,
  requestID: `request-${++n}`, eventID: `event-${n}`, readOnly: true, eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: '',
});

const journaled = (dir: string): string[] =>
  readdirSync(join(dir, JOURNAL_DIR)).flatMap((name) => readFrames(readFileSync(join(dir, JOURNAL_DIR, name))).records.map((r) => (JSON.parse(r) as AuditEvent).requestID));

const chained = (dir: string): string[] => {
  const db = openAuditDb(join(dir, 'audit.db'), { readonly: true });
  try {
    return db.prepare('SELECT request_id FROM audit_events ORDER BY seq').pluck().all() as string[];
  } finally {
    db.close();
  }
};

test('an event is in the journal when record() resolves, in audit.db after caughtUp(), and its segment is gone after close()', async () => {
  const { dir, journal } = journalIn();
  const events = Array.from({ length: 25 }, event);
  await Promise.all(events.map((e) => journal.record(e))); // one turn: they share writes
  assert.deepEqual(journaled(dir).sort(), events.map((e) => e.requestID).sort());
  await journal.caughtUp();
  assert.deepEqual(chained(dir).sort(), events.map((e) => e.requestID).sort());
  await journal.close();
  assert.deepEqual(readdirSync(join(dir, JOURNAL_DIR)), []);
  assert.equal(chained(dir).length, 25);
  await assert.rejects(journal.record(event()), /the audit trail is closed/);
});

test('an unwritable journal refuses the event with a clear error; once writable, the next event goes to a new segment', async () => {
  const { dir, journal } = journalIn();
  // The journal directory replaced by a file: no segment can be opened in it.
  const journalDir = join(dir, JOURNAL_DIR);
  rmSync(journalDir, { recursive: true });
  writeFileSync(journalDir, 'not a directory');
  await assert.rejects(journal.record(event()), /^AuditWriteError: the audit journal could not be written: ENOTDIR/);
  rmSync(journalDir);
  mkdirSync(journalDir);
  const later = event();
  await journal.record(later);
  assert.deepEqual(journaled(dir), [later.requestID]);
  await journal.close();
  assert.deepEqual(chained(dir), [later.requestID]);
});
