// The journal's frames, and the ingester that chains them: each event once however many processes
// ingest, torn tails of dead writers skipped, damage in a live writer's segment reported, chained
// segments deleted only when their writer is done with them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openAuditDb } from './audit-db.js';
import { eventTime, type AuditEvent } from './event.js';
import { encodeFrame, JOURNAL_DIR, readFrames, segmentName } from './journal-format.js';
import { JournalIngester } from './journal-ingest.js';
import { verifyTrail } from './verify.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function dataDir(): { dir: string; journal: string; db: ReturnType<typeof openAuditDb> } {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-journal-'));
  dirs.push(dir);
  const journal = join(dir, JOURNAL_DIR);
  mkdirSync(journal);
  return { dir, journal, db: openAuditDb(join(dir, 'audit.db'), { busyTimeoutMs: 0 }) };
}

let n = 0;
const record = (): string => {
  const id = ++n;
  const event = {
    eventVersion: '1.08', userIdentity: { type: 'Unknown' }, eventTime: eventTime(new Date()), eventSource: 'kms.amazonaws.com', eventName: 'Encrypt',
    awsRegion: 'us-east-1', sourceIPAddress: '127.0.0.1', userAgent: 't', requestParameters: null, responseElements: null,
    requestID: `request-${id}`, eventID: `event-${id}`, readOnly: true, eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: '',
  } satisfies AuditEvent;
  return JSON.stringify(event);
};

const requestIds = (db: ReturnType<typeof openAuditDb>): string[] => db.prepare('SELECT request_id FROM audit_events ORDER BY seq').pluck().all() as string[];
const publicKeyPem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid ?? 0;

test('a frame reads back whole; one still being written is not read; bytes that cannot be a frame are damage', () => {
  const a = encodeFrame('{"n":1}');
  const b = encodeFrame('{"text":"é ✓"}');
  assert.deepEqual(readFrames(Buffer.concat([a, b])), { records: ['{"n":1}', '{"text":"é ✓"}'], consumed: a.length + b.length, damaged: false });
  assert.deepEqual(readFrames(Buffer.concat([a, b.subarray(0, b.length - 1)])), { records: ['{"n":1}'], consumed: a.length, damaged: false });
  assert.deepEqual(readFrames(Buffer.concat([a, b.subarray(0, 5)])), { records: ['{"n":1}'], consumed: a.length, damaged: false });
  const flipped = Buffer.from(b);
  flipped.writeUInt8((flipped.at(-1) ?? 0) ^ 1, flipped.length - 1);
  assert.deepEqual(readFrames(Buffer.concat([a, flipped])), { records: ['{"n":1}'], consumed: a.length, damaged: true });
  assert.deepEqual(readFrames(Buffer.concat([a, Buffer.alloc(12)])), { records: ['{"n":1}'], consumed: a.length, damaged: true });
});

test('two ingesters racing over two writers\' segments chain every event exactly once, in one chain that verifies', () => {
  const { dir, journal, db } = dataDir();
  const other = openAuditDb(join(dir, 'audit.db'), { busyTimeoutMs: 0 });
  const ingesters = [new JournalIngester(db, journal), new JournalIngester(other, journal)];
  const written: string[] = [];
  for (let round = 0; round < 30; round++) {
    for (const writer of ['aaaa', 'bbbb']) {
      const text = record();
      written.push((JSON.parse(text) as AuditEvent).requestID);
      appendFileSync(join(journal, segmentName(process.pid, writer, 1)), encodeFrame(text));
    }
    ingesters[round % 2]?.pass({ busyTimeoutMs: 1000 });
  }
  ingesters[0]?.pass({ busyTimeoutMs: 1000 });
  assert.deepEqual(requestIds(db).sort(), written.sort());
  const report = verifyTrail(db, publicKeyPem);
  assert.deepEqual(report.problems, []);
  assert.equal(report.events, 60);
  other.close();
  db.close();
});

test('a dead writer\'s torn tail is skipped and reported, after its whole events are chained; then its segment is deleted', () => {
  const { journal, db } = dataDir();
  const name = segmentName(deadPid(), 'cccc', 1);
  const whole = [record(), record()];
  appendFileSync(join(journal, name), Buffer.concat([...whole.map(encodeFrame), encodeFrame(record()).subarray(0, 6), Buffer.from([0xff, 0xff])]));
  const pass = new JournalIngester(db, journal).pass({ busyTimeoutMs: 1000 });
  assert.equal(pass.chained, 2);
  assert.deepEqual(pass.tornTails, [{ segment: name, offset: whole.reduce((sum, r) => sum + encodeFrame(r).length, 0) }]);
  assert.deepEqual(requestIds(db), whole.map((r) => (JSON.parse(r) as AuditEvent).requestID));
  assert.deepEqual(readdirSync(journal), [], 'a dead writer\'s segment goes once chained');
  db.close();
});

test('damage in a live writer\'s segment stops chaining after a grace second, with an error naming the segment and offset', async () => {
  const { journal, db } = dataDir();
  const name = segmentName(process.pid, 'dddd', 1);
  const first = encodeFrame(record());
  appendFileSync(join(journal, name), Buffer.concat([first, Buffer.alloc(16, 0xee)]));
  const ingester = new JournalIngester(db, journal);
  assert.equal(ingester.pass({ busyTimeoutMs: 1000 }).chained, 1, 'the whole frame before the damage is chained');
  appendFileSync(join(journal, name), encodeFrame(record())); // the writer goes on: still stuck at the damage
  await new Promise((resolve) => setTimeout(resolve, 1100));
  assert.throws(() => ingester.pass({ busyTimeoutMs: 1000 }), new RegExp(`segment ${name} is damaged at byte ${first.length}$`));
  assert.equal(requestIds(db).length, 1);
  db.close();
});

test('a segment is deleted once chained and sealed (a later one exists, or its writer closed); the offsets go with it', () => {
  const { journal, db } = dataDir();
  const ingester = new JournalIngester(db, journal);
  appendFileSync(join(journal, segmentName(process.pid, 'eeee', 1)), encodeFrame(record()));
  ingester.pass({ busyTimeoutMs: 1000 });
  assert.deepEqual(readdirSync(journal), [segmentName(process.pid, 'eeee', 1)], 'the live writer\'s only segment is kept');
  appendFileSync(join(journal, segmentName(process.pid, 'eeee', 2)), encodeFrame(record()));
  ingester.pass({ busyTimeoutMs: 1000 });
  assert.deepEqual(readdirSync(journal), [segmentName(process.pid, 'eeee', 2)]);
  ingester.pass({ busyTimeoutMs: 1000, closedWriter: 'eeee' });
  assert.equal(existsSync(join(journal, segmentName(process.pid, 'eeee', 2))), false);
  ingester.pass({ busyTimeoutMs: 1000 });
  assert.equal(db.prepare('SELECT count(*) FROM audit_journal_offsets').pluck().get(), 0);
  assert.equal(requestIds(db).length, 2);
  db.close();
});
