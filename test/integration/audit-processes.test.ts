// Several keyhold processes starting at once on one data dir: they create one audit signing key
// between them, and sign one digest of a head however many of them try.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { pino } from 'pino';
import { appendEvents, AUDIT_DB_FILE, openAuditDb } from '../../src/audit/audit-db.js';
import { storedPublicKey } from '../../src/audit/signing-key.js';
import { verifyTrail } from '../../src/audit/verify.js';
import { systemClock, systemRandom } from '../../src/core/clock.js';
import { openStore } from '../../src/server/app.js';
import { removeDir, tempDir } from '../harness/server.js';
import type { SignOnceMessage } from './fixtures/sign-audit-once.js';

const fixture = fileURLToPath(new URL('./fixtures/sign-audit-once.js', import.meta.url));
const PROCESSES = 4;

test('processes racing on a new data dir share one audit signing key and write one digest', { timeout: 60_000 }, async (t) => {
  const dataDir = tempDir();
  t.after(() => removeDir(dataDir));
  // The store and its root key exist, as after the primary's start-up; the audit key does not yet.
  const config = { dataDir, region: 'us-east-1', accountId: '000000000000', rootPassphrase: undefined, admin: undefined, tls: undefined };
  const opened = await openStore(config, { clock: systemClock, random: systemRandom, logger: pino({ level: 'silent' }) });
  const auditDb = openAuditDb(join(dataDir, AUDIT_DB_FILE));
  const index = { eventTime: 0, eventName: 'Encrypt', eventSource: 'kms.amazonaws.com', callerAccount: null, keyAccount: null, principalArn: null, errorCode: null, requestId: 'r', keyArns: [] };
  appendEvents(auditDb, Array.from({ length: 10 }, (_, i) => ({ eventId: `e${i}`, record: `{"n":${i}}`, index })));

  const children = Array.from({ length: PROCESSES }, () => fork(fixture, [dataDir], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] }));
  t.after(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));
  const reports = children.map((child) => {
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const ready = new Promise<void>((resolve, reject) => {
      child.on('message', (m: SignOnceMessage) => 'ready' in m && resolve());
      child.once('exit', (code) => reject(new Error(`exited (${code}) before it was ready:\n${stderr}`)));
    });
    const report = new Promise<SignOnceMessage>((resolve) => child.on('message', (m: SignOnceMessage) => !('ready' in m) && resolve(m)));
    return { child, ready, report };
  });
  await Promise.all(reports.map((r) => r.ready));
  for (const r of reports) r.child.send('go'); // the barrier: all have opened the store before any asks
  const results = await Promise.all(reports.map((r) => r.report));

  const errors = results.filter((m) => 'error' in m);
  assert.deepEqual(errors, []);
  const signed = results.filter((m): m is Extract<SignOnceMessage, { publicKeyPem: string }> => 'publicKeyPem' in m);
  const stored = await storedPublicKey(opened.store);
  assert.deepEqual(new Set(signed.map((m) => m.publicKeyPem)), new Set([stored]));
  assert.deepEqual(signed.map((m) => m.digestSeq).filter((s) => s !== null), [1]);
  // The records here are stand-ins, not events: only the digest matters.
  const report = verifyTrail(auditDb, stored ?? '');
  assert.deepEqual(report.problems.filter((p) => p.kind !== 'index-mismatch'), []);
  assert.equal(report.signedThrough, 10);
  assert.equal(auditDb.prepare('SELECT count(*) FROM audit_digests').pluck().get(), 1);
  auditDb.close();
  await opened.store.close();
});
