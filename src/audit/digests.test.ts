// Digests: one per new chain head, each naming the one before, signed over its canonical body;
// the scheduler signs at start and on demand, and logs rather than throws when it cannot.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pino } from 'pino';
import { TestClock } from '../core/clock.js';
import { appendEvents, openAuditDb } from './audit-db.js';
import { digestBodyText, digestHash, parseDigestBody } from './digest-body.js';
import { createDigest, startDigestScheduler } from './digests.js';
import type { DigestSigner } from './signing-key.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function freshAuditDb(): ReturnType<typeof openAuditDb> {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-digests-'));
  dirs.push(dir);
  return openAuditDb(join(dir, 'audit.db'));
}

function testSigner(): DigestSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), sign: (m) => sign(null, m, privateKey) };
}

const index = { eventTime: 0, eventName: 'Encrypt', eventSource: 'kms.amazonaws.com', callerAccount: null, keyAccount: null, principalArn: null, errorCode: null, requestId: 'r', keyArns: [] };
const append = (db: ReturnType<typeof openAuditDb>, n: number): void =>
  appendEvents(db, Array.from({ length: n }, (_, i) => ({ eventId: `e${i}`, record: `{"n":${i}}`, index })));

interface DigestRow { seq: number; created_at: number; head_seq: number; body: string; signature: Buffer }
const digestRows = (db: ReturnType<typeof openAuditDb>): DigestRow[] => db.prepare('SELECT * FROM audit_digests ORDER BY seq').all() as DigestRow[];

test('no digest for an empty trail, nor when no event was appended since the last one', () => {
  const db = freshAuditDb();
  const signer = testSigner();
  assert.equal(createDigest(db, signer, new Date()), undefined);
  append(db, 3);
  assert.equal(createDigest(db, signer, new Date())?.digestSeq, 1);
  assert.equal(createDigest(db, signer, new Date()), undefined);
  assert.equal(digestRows(db).length, 1);
  db.close();
});

test('each digest signs the head and names the previous digest by the hash of its body', () => {
  const db = freshAuditDb();
  const signer = testSigner();
  append(db, 5);
  const first = createDigest(db, signer, new Date('2025-03-01T12:00:00Z'));
  append(db, 2);
  const second = createDigest(db, signer, new Date('2025-03-01T12:05:00Z'));
  const head = db.prepare('SELECT hash FROM audit_events WHERE seq = 7').pluck().get() as Buffer;
  const [row1, row2] = digestRows(db);
  assert.ok(row1 && row2);
  assert.deepEqual(first, { version: 1, digestSeq: 1, createdAt: '2025-03-01T12:00:00.000Z', headSeq: 5, headHash: first?.headHash, previousDigestHash: null });
  assert.deepEqual(second, { version: 1, digestSeq: 2, createdAt: '2025-03-01T12:05:00.000Z', headSeq: 7, headHash: head.toString('hex'), previousDigestHash: digestHash(row1.body) });
  // The stored body is the canonical text, the columns copy it, and the signature covers its bytes.
  assert.equal(row2.body, '{"version":1,"digestSeq":2,"createdAt":"2025-03-01T12:05:00.000Z","headSeq":7,' + `"headHash":"${head.toString('hex')}","previousDigestHash":"${digestHash(row1.body)}"}`);
  assert.deepEqual([row2.seq, row2.head_seq, row2.created_at], [2, 7, Date.parse('2025-03-01T12:05:00Z')]);
  assert.equal(verify(null, Buffer.from(row2.body, 'utf8'), signer.publicKeyPem, row2.signature), true);
  db.close();
});

test('a second connection (another process) finds the digest already written and writes none', () => {
  const db = freshAuditDb();
  const other = openAuditDb(db.name);
  const signer = testSigner();
  append(db, 4);
  assert.equal(createDigest(db, signer, new Date())?.headSeq, 4);
  assert.equal(createDigest(other, signer, new Date()), undefined);
  append(other, 1);
  assert.equal(createDigest(other, signer, new Date())?.digestSeq, 2);
  other.close();
  db.close();
});

test('digest bodies parse only in canonical form', () => {
  const body = { version: 1, digestSeq: 3, createdAt: '2025-03-01T12:00:00.000Z', headSeq: 9, headHash: 'ab'.repeat(32), previousDigestHash: null } as const;
  const text = digestBodyText(body);
  assert.deepEqual(parseDigestBody(text), body);
  for (const other of [
    text.replace('{', '{ '), // whitespace
    text.replace('"version":1,', '').replace('{', '{"version":1,"extra":0,'), // an extra member
    JSON.stringify({ ...body, digestSeq: 3.5 }), JSON.stringify({ ...body, headHash: 'AB'.repeat(32) }), JSON.stringify({ ...body, version: 2 }),
    JSON.stringify({ digestSeq: 3, version: 1, createdAt: body.createdAt, headSeq: 9, headHash: body.headHash, previousDigestHash: null }), // order
    'not json', 'null',
  ]) assert.equal(parseDigestBody(other), undefined, other);
});

test('the scheduler signs at start and on demand, and logs a failure instead of throwing', async () => {
  const db = freshAuditDb();
  append(db, 2);
  const clock = new TestClock(new Date('2025-03-01T00:00:00Z'));
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  let failing = false;
  const signer = testSigner();
  const scheduler = startDigestScheduler({ auditDb: db, signingKey: { signer: async () => (failing ? Promise.reject(new Error('no root key')) : signer) }, clock, logger }, 60_000);
  try {
    await scheduler.runNow(); // after the start-up run, which already signed seq 2
    assert.deepEqual(digestRows(db).map((d) => d.head_seq), [2]);
    append(db, 1);
    clock.advance(60_000);
    await scheduler.runNow();
    assert.deepEqual(digestRows(db).map((d) => [d.head_seq, d.created_at]), [[2, Date.parse('2025-03-01T00:00:00Z')], [3, Date.parse('2025-03-01T00:01:00Z')]]);
    failing = true;
    append(db, 1);
    await scheduler.runNow();
    assert.equal(digestRows(db).length, 2);
    assert.ok(lines.some((l) => l.includes('audit digest failed; will retry')));
    assert.ok(lines.some((l) => l.includes('"msg":"audit digest signed"') && l.includes('"headSeq":3')));
  } finally {
    scheduler.stop();
    db.close();
  }
});
