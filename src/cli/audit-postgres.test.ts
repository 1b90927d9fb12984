// `keyhold audit verify|public-key --store postgres`: the real command, spawned, on a PostgreSQL trail
// signed with a real PostgresStore's audit key, against its SQLite twin (the same events and
// digests in a data dir) — the same output and exit codes, intact and tampered; clear one-line
// errors that never show the URL's password.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { pgStoreSigner, trailEvent, twinTrail, withPgAuditDb, type Twin } from '../../test/harness/pg-audit.js';
import { testPostgres } from '../../test/harness/postgres.js';
import { createDigest } from '../audit/digests.js';
import { pgCreateDigest } from '../audit/postgres/pg-digests.js';
import { PUBLIC_KEY_META, type DigestSigner } from '../audit/signing-key.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';

const bin = fileURLToPath(new URL('../../../bin/keyhold.js', import.meta.url));
interface Run { status: number | null; stdout: string; stderr: string }
/** Runs the command (asynchronously: independent runs go side by side, each a second of start-up). */
function keyhold(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const base = { ...process.env };
  for (const name of ['KEYHOLD_DATA_DIR', 'KEYHOLD_STORE', 'KEYHOLD_POSTGRES_URL']) delete base[name];
  return new Promise((done) => {
    const child = execFile(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...base, ...env } }, (_err, stdout, stderr) => {
      done({ status: child.exitCode, stdout, stderr });
    });
  });
}

await withPgAuditDb('keyhold audit --store postgres', ({ url, pool, reset }) => {
  let twin: Twin;
  let signer: DigestSigner;
  const onPostgres = (...args: string[]): Promise<Run> => keyhold([...args, '--store', 'postgres', '--postgres-url', url]);
  const onSqlite = (...args: string[]): Promise<Run> => keyhold([...args, '--data-dir', twin.dir]);

  before(async () => {
    await reset();
    signer = await pgStoreSigner(url); // a real store in the same database: its meta holds the public key
    twin = twinTrail(pool);
    const store = SqliteStore.open(join(twin.dir, 'keyhold.db'));
    await store.transaction((tx) => tx.setMeta(PUBLIC_KEY_META, signer.publicKeyPem));
    await store.close();
    for (let i = 0; i < 120; i += 10) {
      await twin.append(Array.from({ length: 10 }, (_, j) => trailEvent(i + j + 1)));
      if ((i + 10) % 50 === 0) {
        const at = new Date(Date.UTC(2025, 0, 1) + i * 1000);
        assert.deepEqual(await pgCreateDigest(pool, signer, at), createDigest(twin.sqlite, signer, at));
      }
    }
  });
  after(() => twin.remove());

  test('an intact trail: exit 0 and the same summary line as for SQLite, from flags or from the environment', async () => {
    const [run, sqlite, fromEnv] = await Promise.all([
      onPostgres('audit', 'verify'), onSqlite('audit', 'verify'), keyhold(['audit', 'verify'], { KEYHOLD_STORE: 'postgres', KEYHOLD_POSTGRES_URL: url }),
    ]);
    assert.deepEqual(run, { status: 0, stdout: 'audit trail intact: 120 events (seq 1–120), 2 digests, signed through seq 100 (20 newer events not yet signed)\n', stderr: '' });
    assert.deepEqual(sqlite, run);
    assert.deepEqual(fromEnv, run);
  });

  test('public-key prints the PEM from the store\'s meta; verify --public-key checks with an auditor\'s copy', async () => {
    const printed = await onPostgres('audit', 'public-key');
    assert.deepEqual(printed, { status: 0, stdout: signer.publicKeyPem, stderr: '' });
    const auditorsKey = join(twin.dir, 'audit.pem');
    const otherKey = join(twin.dir, 'other.pem');
    writeFileSync(auditorsKey, printed.stdout);
    writeFileSync(otherKey, '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n');
    const [right, wrongKey, wrongOnSqlite] = await Promise.all([
      onPostgres('audit', 'verify', '--public-key', auditorsKey), onPostgres('audit', 'verify', '--public-key', otherKey), onSqlite('audit', 'verify', '--public-key', otherKey),
    ]);
    assert.equal(right.status, 0);
    assert.equal(wrongKey.status, 1);
    assert.match(wrongKey.stdout, /^digest-signature: digest 1: its signature does not verify/);
    assert.deepEqual(wrongOnSqlite, wrongKey);
  });

  test('a tampered trail: exit 1 and the same lines as for SQLite, naming the event', async () => {
    const forge = `UPDATE audit_events SET record = replace(record, '"userAgent":"test/42"', '"userAgent":"test/forged"') WHERE seq = 42`;
    twin.sqlite.prepare(forge).run();
    twin.sqlite.prepare('DELETE FROM audit_events WHERE seq = 61').run();
    await pool.query(forge);
    await pool.query('DELETE FROM audit_events WHERE seq = 61');
    const [run, sqlite] = await Promise.all([onPostgres('audit', 'verify'), onSqlite('audit', 'verify')]);
    assert.equal(run.status, 1);
    assert.deepEqual(run.stdout.trimEnd().split('\n').map((l) => l.replace(/eventID [0-9a-f-]{36}/g, 'eventID …')), [
      'changed: event seq 42 (eventID …) was changed: its record no longer matches its hash, or event seq 41 (eventID …) before it was replaced with a recomputed hash',
      'missing: event seq 61 is missing (removed): event seq 62 (eventID …) follows seq 60',
      'index-mismatch: key rows (audit_event_keys) name seq 61, which holds no event',
    ]);
    assert.equal(run.stderr, 'keyhold: the audit trail is not intact: 3 problems\n');
    assert.deepEqual(sqlite, run);
  });
});

test('PostgreSQL unreachable, or a database without a trail or store: one clear line, exit 1, no password', async (t) => {
  const secret = 'hunter2-5ecret';
  const [unreachable, unparsable, empty] = await Promise.all([
    keyhold(['audit', 'verify', '--store', 'postgres', '--postgres-url', `postgres://keyhold:${secret}@127.0.0.1:1/keyhold`]),
    keyhold(['audit', 'public-key', '--store', 'postgres', '--postgres-url', `postgres://keyhold:${secret}@127.0.0.1:notaport/keyhold`]),
    testPostgres(),
  ]);
  assert.deepEqual(unparsable, { status: 1, stdout: '', stderr: 'keyhold: cannot read the audit trail from PostgreSQL at the --postgres-url given: Invalid URL\n' });
  assert.equal(unreachable.status, 1);
  assert.match(unreachable.stderr, /^keyhold: cannot read the audit trail from PostgreSQL at 127\.0\.0\.1:1\/keyhold: .*ECONNREFUSED.*\n$/);
  assert.equal(unreachable.stdout, '');
  assert.ok(!unreachable.stderr.includes(secret));
  if (empty.kind === 'skip') return void t.skip(empty.reason);
  if (empty.kind === 'fail') assert.fail(empty.reason);
  try {
    const where = new URL(empty.url);
    const place = `${where.host}${where.pathname}`.replace(/\./g, '\\.');
    const [verify, publicKey] = await Promise.all([
      keyhold(['audit', 'verify', '--store', 'postgres', '--postgres-url', empty.url]),
      keyhold(['audit', 'public-key'], { KEYHOLD_STORE: 'postgres', KEYHOLD_POSTGRES_URL: empty.url }),
    ]);
    assert.equal(verify.status, 1);
    assert.match(verify.stderr, new RegExp(`^keyhold: the PostgreSQL database holds no audit trail \\(no audit_events table\\) at ${place}\\n$`));
    assert.equal(publicKey.status, 1);
    assert.match(publicKey.stderr, new RegExp(`^keyhold: the PostgreSQL database holds no keyhold store \\(no meta table\\) at ${place}\\n$`));
  } finally {
    await empty.drop();
  }
});
