// `keyhold audit` end to end: the real command, spawned, on a real signed trail — exit 0 and one
// summary line when intact, exit 1 and one line per problem when tampered with.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { buildSignedTrail, copyOfTrail, type SignedTrail } from '../../test/harness/signed-audit-trail.js';

const bin = fileURLToPath(new URL('../../../bin/keyhold.js', import.meta.url));
const keyhold = (...args: string[]): { status: number | null; stdout: string; stderr: string } => {
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, KEYHOLD_DATA_DIR: '' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
};

let trail: SignedTrail;
before(async () => (trail = await buildSignedTrail(120, 50)));
after(() => trail.remove());

test('an intact trail: exit 0 and one summary line', () => {
  const run = keyhold('audit', 'verify', '--data-dir', trail.dataDir);
  assert.equal(run.stderr, '');
  assert.equal(run.stdout, 'audit trail intact: 120 events (seq 1–120), 2 digests, signed through seq 100 (20 newer events not yet signed)\n');
  assert.equal(run.status, 0);
});

test('a tampered trail: exit 1 and one line per problem, naming the event', () => {
  const copy = copyOfTrail(trail);
  try {
    const eventId = copy.db.prepare('SELECT event_id FROM audit_events WHERE seq = 42').pluck().get() as string;
    copy.db.prepare(`UPDATE audit_events SET record = replace(record, '"userAgent":"test/42"', '"userAgent":"test/forged"') WHERE seq = 42`).run();
    copy.db.prepare('DELETE FROM audit_events WHERE seq = 60').run();
    copy.db.close();
    const run = keyhold('audit', 'verify', '--data-dir', copy.dir);
    assert.equal(run.status, 1);
    assert.deepEqual(run.stdout.trimEnd().split('\n').map((l) => l.replace(/eventID [0-9a-f-]{36}/g, 'eventID …')), [
      'changed: event seq 42 (eventID …) was changed: its record no longer matches its hash, or event seq 41 (eventID …) before it was replaced with a recomputed hash',
      'missing: event seq 60 is missing (removed): event seq 61 (eventID …) follows seq 59',
      'index-mismatch: key rows (audit_event_keys) name seq 60, which holds no event',
    ]);
    assert.ok(run.stdout.includes(`event seq 42 (eventID ${eventId})`));
    assert.equal(run.stderr, 'keyhold: the audit trail is not intact: 3 problems\n');
  } finally {
    copy.remove();
  }
});

test('public-key prints the stored PEM; verify --public-key checks the digests with an auditor\'s copy', () => {
  const printed = keyhold('audit', 'public-key', '--data-dir', trail.dataDir);
  assert.equal(printed.status, 0);
  assert.equal(printed.stdout, trail.publicKeyPem);
  const copy = copyOfTrail(trail);
  try {
    const auditorsKey = join(copy.dir, 'audit.pem');
    writeFileSync(auditorsKey, printed.stdout);
    assert.equal(keyhold('audit', 'verify', '--data-dir', trail.dataDir, '--public-key', auditorsKey).status, 0);
    // Another key (say, one an attacker put in the store) makes every digest fail.
    writeFileSync(auditorsKey, '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n');
    const wrongKey = keyhold('audit', 'verify', '--data-dir', trail.dataDir, '--public-key', auditorsKey);
    assert.equal(wrongKey.status, 1);
    assert.match(wrongKey.stdout, /^digest-signature: digest 1: its signature does not verify/);
  } finally {
    copy.remove();
  }
});

test('a data dir without a trail or key is refused with one clear line', () => {
  const copy = copyOfTrail(trail);
  try {
    const run = keyhold('audit', 'verify', '--data-dir', join(copy.dir, 'nowhere'));
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^keyhold: no keyhold store at .*nowhere\/keyhold\.db\n$/);
    const badKey = keyhold('audit', 'verify', '--data-dir', copy.dir, '--public-key', join(copy.dir, 'missing.pem'));
    assert.match(badKey.stderr, /^keyhold: cannot read the public key file .*missing\.pem: ENOENT\n$/);
  } finally {
    copy.remove();
  }
});
