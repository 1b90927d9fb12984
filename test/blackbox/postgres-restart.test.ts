// PostgreSQL restarted, or frozen, under load, on a private server (test/harness/private-postgres.ts):
// while it is down or hung, keyhold answers retryable AWS errors within a bound and keeps running;
// once it is back, the same keyhold process serves again, and nothing it acknowledged is lost.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { startLoad, sleep, waitFor, type Outcome } from '../harness/kms-load.js';
import { postgresBinDir, privatePostgres, type PrivatePostgres } from '../harness/private-postgres.js';
import { removeDir, startServer, tempDir, type RunningServer } from '../harness/server.js';

const RETRYABLE = new Set(['DependencyTimeoutException', 'KMSInternalException']);
/** No call may take longer than this while the database is down (the pool's connect timeout is 5 s). */
const CALL_BOUND_MS = 8000;
/** After PostgreSQL is back, keyhold must serve writes again within this. */
const RECOVERY_BOUND_MS = 10_000;
/** Down for longer than the store's staleness bound (3 generation polls = 3 s), so cached keys go unused too. */
const DOWN_MS = 5000;
const STALE_BOUND_MS = 3000;
const PASSWORD = 'never-print-this-password';
/** Frozen for longer than every bound, so each is reached. */
const FROZEN_MS = 10_000;
/** The longest wait while frozen: a connection attempt (5 s) after up to 1 s in the writer queue, plus slack. */
const FROZEN_CALL_BOUND_MS = 9000;

const skip = postgresBinDir() === undefined ? 'no PostgreSQL binaries under /usr/lib/postgresql/*/bin to run a private server with' : false;

/** A private server for one test, destroyed (after keyhold has stopped) when the test ends. */
async function ownPostgres(t: TestContext, started: { server?: RunningServer }, dataDir: string): Promise<PrivatePostgres> {
  const created = await privatePostgres();
  assert.equal(created.kind, 'ready');
  const { pg } = created as { pg: PrivatePostgres };
  t.after(async () => {
    await started.server?.stop();
    removeDir(dataDir);
    await pg.destroy();
  });
  return pg;
}

{
  test('PostgreSQL restart under load: retryable errors while down, the same process serves after, nothing acknowledged lost', { skip, timeout: 60_000 }, async (t) => {
    const dataDir = tempDir();
    const started: { server?: RunningServer } = {};
    const pg = await ownPostgres(t, started, dataDir);
    // Trust authentication ignores the password; it is there to prove it is never printed.
    const url = new URL(pg.url);
    url.password = PASSWORD;
    const server = await startServer({
      dataDir, workers: 1,
      env: { KEYHOLD_ROOT_PASSPHRASE: 'restart me, postgres' },
      args: ['--store', 'postgres', '--postgres-url', url.href],
    });
    started.server = server;
    const client = (): KMSClient => server.client({ requestHandler: { requestTimeout: 20_000 } });
    const seed = (await client().send(new CreateKeyCommand({}))).KeyMetadata?.KeyId ?? '';

    const load = startLoad([client(), client(), client(), client()], 4, [seed]);
    await sleep(1000);
    await pg.stop();
    const stoppedAt = performance.now();
    await sleep(DOWN_MS);
    const restartingAt = performance.now();
    await pg.start();
    const startedAt = performance.now();
    const recovered = await waitFor(() => load.outcomes.some((o) => o.op === 'CreateKey' && o.error === undefined && o.startedAt >= startedAt), RECOVERY_BOUND_MS);
    await sleep(500);
    await load.stop();
    const outcomes = load.outcomes;

    assert.equal(server.process.exitCode, null, `keyhold exited:\n${server.output()}`);
    assert.equal(server.process.signalCode, null);

    const failures = outcomes.filter((o) => o.error !== undefined);
    const unexpected = failures.filter((o) => !RETRYABLE.has(o.error ?? ''));
    assert.deepEqual(unexpected.slice(0, 5), [], 'every failure is DependencyTimeoutException or KMSInternalException');
    for (const f of failures) assert.equal(f.status, f.error === 'DependencyTimeoutException' ? 503 : 500);
    assert.ok(failures.some((o) => o.error === 'DependencyTimeoutException'), 'the database being down is reported as DependencyTimeoutException');
    for (const f of failures) assert.doesNotMatch(f.message ?? '', new RegExp(PASSWORD));

    const whileDown = (o: Outcome, from: number): boolean => o.startedAt >= from && o.endedAt <= restartingAt;
    const writesDown = outcomes.filter((o) => o.op === 'CreateKey' && whileDown(o, stoppedAt));
    assert.ok(writesDown.length > 0, 'CreateKey was called while the database was down');
    assert.ok(writesDown.every((o) => o.error !== undefined), 'no CreateKey succeeded while the database was down');
    // Past the staleness bound, even keys in this node's cache are not used: it cannot know whether
    // another node disabled them.
    const encryptsStale = outcomes.filter((o) => o.op === 'Encrypt' && whileDown(o, stoppedAt + STALE_BOUND_MS + 200));
    assert.ok(encryptsStale.length > 0 && encryptsStale.every((o) => o.error !== undefined), 'Encrypt fails once the node cannot confirm its caches');

    const slowest = Math.max(...outcomes.map((o) => o.endedAt - o.startedAt));
    assert.ok(slowest < CALL_BOUND_MS, `the slowest call took ${Math.round(slowest)} ms`);
    assert.ok(recovered, `no CreateKey succeeded within ${RECOVERY_BOUND_MS} ms of PostgreSQL being back`);

    // Every acknowledged key exists, and every acknowledged ciphertext decrypts, on the same process.
    const after = client();
    for (const { keyId } of load.acknowledged.keys) {
      const { KeyMetadata } = await after.send(new DescribeKeyCommand({ KeyId: keyId }));
      assert.equal(KeyMetadata?.KeyId, keyId);
    }
    for (const c of load.acknowledged.ciphertexts) {
      const { Plaintext } = await after.send(new DecryptCommand({ CiphertextBlob: c.blob }));
      assert.deepEqual(Buffer.from(Plaintext ?? []), c.plaintext);
    }
    assert.doesNotMatch(server.output(), new RegExp(PASSWORD), 'the log never shows the database password');

    // Quiet, one key hot in the cache: served from memory while the database is down, but only
    // until the node has gone STALE_BOUND_MS without reading the generation (another node might
    // have disabled it meanwhile). (A last-usage write just before the stop can empty the cache
    // first; then no probe succeeds at all, which is within the bound too.)
    await after.send(new EncryptCommand({ KeyId: seed, Plaintext: Buffer.from('warm') }));
    await pg.stop();
    const quietStop = performance.now();
    const probes: { startedAt: number; ok: boolean }[] = [];
    while (performance.now() < quietStop + STALE_BOUND_MS + 1500) {
      const probeAt = performance.now();
      const ok = await after.send(new EncryptCommand({ KeyId: seed, Plaintext: Buffer.from('probe') })).then(() => true, () => false);
      probes.push({ startedAt: probeAt, ok });
      await sleep(50);
    }
    const lastCachedOk = Math.max(quietStop, ...probes.filter((p) => p.ok).map((p) => p.startedAt)) - quietStop;
    assert.ok(lastCachedOk < STALE_BOUND_MS + 300, `a cached key was still used ${Math.round(lastCachedOk)} ms after the database went away`);
    assert.ok(probes.some((p) => p.startedAt > quietStop + STALE_BOUND_MS + 300));

    const firstFailure = Math.min(...failures.map((o) => o.startedAt));
    const lastFailure = Math.max(...failures.map((o) => o.endedAt));
    const firstRecovered = Math.min(...outcomes.filter((o) => o.error === undefined && o.op === 'CreateKey' && o.startedAt >= startedAt).map((o) => o.endedAt));
    t.diagnostic(`calls ${outcomes.length}, failed ${failures.length} (${[...new Set(failures.map((f) => f.error))].join(', ')}); ` +
      `failures from ${Math.round(firstFailure - stoppedAt)} ms to ${Math.round(lastFailure - stoppedAt)} ms after the stop; ` +
      `database down ${Math.round(startedAt - stoppedAt)} ms; first CreateKey ok ${Math.round(firstRecovered - startedAt)} ms after it was back; ` +
      `slowest call ${Math.round(slowest)} ms; acknowledged keys ${load.acknowledged.keys.length}, ciphertexts ${load.acknowledged.ciphertexts.length}, all present; ` +
      `quiet: a cached key served until ${Math.round(lastCachedOk)} ms after the stop, refused after`);
  });

  test('PostgreSQL frozen (SIGSTOP) under load: calls fail within a bound instead of hanging; the same process serves after SIGCONT', { skip, timeout: 60_000 }, async (t) => {
    const dataDir = tempDir();
    const started: { server?: RunningServer } = {};
    const pg = await ownPostgres(t, started, dataDir);
    // A short statement timeout (through the URL, as an operator would set it) keeps the test short:
    // a transaction is cut after 2 × 1 s, a queued write gives up after 1 s, a connection attempt after 5 s.
    const url = `${pg.url}?statement_timeout=1000`;
    // The audit trail is off here: this test bounds the key store's waits. The audit trail's own
    // writes to a frozen server have their own bounds (its tests, test/blackbox/postgres-audit*).
    const server = await startServer({
      dataDir, workers: 1, env: { KEYHOLD_ROOT_PASSPHRASE: 'freeze me, postgres', KEYHOLD_AUDIT: 'off' },
      args: ['--store', 'postgres', '--postgres-url', url],
    });
    started.server = server;
    const client = (): KMSClient => server.client({ requestHandler: { requestTimeout: 30_000 } });
    const seed = (await client().send(new CreateKeyCommand({}))).KeyMetadata?.KeyId ?? '';

    const load = startLoad([client(), client(), client(), client()], 4, [seed]);
    await sleep(1000);
    await pg.freeze();
    const frozenAt = performance.now();
    await sleep(FROZEN_MS);
    const thawingAt = performance.now();
    await pg.thaw();
    const thawedAt = performance.now();
    const recovered = await waitFor(() => load.outcomes.some((o) => o.op === 'CreateKey' && o.error === undefined && o.startedAt >= thawedAt), RECOVERY_BOUND_MS);
    await sleep(500);
    await load.stop();
    const outcomes = load.outcomes;

    assert.equal(server.process.exitCode, null, `keyhold exited:\n${server.output()}`);
    const failures = outcomes.filter((o) => o.error !== undefined);
    assert.deepEqual(failures.filter((o) => !RETRYABLE.has(o.error ?? '')).slice(0, 5), [], 'every failure is retryable');
    assert.ok(failures.some((o) => o.error === 'DependencyTimeoutException'));
    // No write is acknowledged while the server is frozen; calls then fail (a call may span the thaw).
    const okWhileFrozen = outcomes.filter((o) => o.op === 'CreateKey' && o.error === undefined && o.endedAt > frozenAt + 100 && o.endedAt < thawingAt);
    assert.deepEqual(okWhileFrozen, [], 'no CreateKey succeeded while the database was frozen');
    assert.ok(failures.some((o) => o.op === 'CreateKey' && o.startedAt >= frozenAt), 'CreateKey calls made during the freeze failed');
    // Nothing waits for the frozen server longer than the bounds above (plus scheduling slack).
    const slowest = Math.max(...outcomes.map((o) => o.endedAt - o.startedAt));
    assert.ok(slowest < FROZEN_CALL_BOUND_MS, `the slowest call took ${Math.round(slowest)} ms`);
    assert.ok(recovered, `no CreateKey succeeded within ${RECOVERY_BOUND_MS} ms of SIGCONT`);

    const after = client();
    for (const { keyId } of load.acknowledged.keys) assert.equal((await after.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyId, keyId);
    for (const c of load.acknowledged.ciphertexts) {
      assert.deepEqual(Buffer.from((await after.send(new DecryptCommand({ CiphertextBlob: c.blob }))).Plaintext ?? []), c.plaintext);
    }
    const firstRecovered = Math.min(...outcomes.filter((o) => o.error === undefined && o.op === 'CreateKey' && o.startedAt >= thawedAt).map((o) => o.endedAt));
    t.diagnostic(`calls ${outcomes.length}, failed ${failures.length} (${[...new Set(failures.map((f) => f.error))].join(', ')}); frozen ${Math.round(thawedAt - frozenAt)} ms; ` +
      `slowest call ${Math.round(slowest)} ms; first CreateKey ok ${Math.round(firstRecovered - thawedAt)} ms after SIGCONT; ` +
      `acknowledged keys ${load.acknowledged.keys.length}, ciphertexts ${load.acknowledged.ciphertexts.length}, all present`);
  });
}
