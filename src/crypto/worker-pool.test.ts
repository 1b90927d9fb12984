// CryptoPool: slow signing really leaves the event loop, a thread that dies or hangs fails only
// its own job and is replaced, the queue is bounded, and close() leaves nothing waiting.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import type { MlDsaMaterial } from '../backends/key-backend.js';
import { KmsError } from '../core/errors.js';
import type { CryptoJob } from './crypto-jobs.js';
import { mlDsaPublicKeys, runCrypto, runsOffLoop } from './crypto-offload.js';
import { verifySignature } from './signatures.js';
import { CryptoPool, CryptoPoolError } from './worker-pool.js';

const rsa4096 = generateKeyPairSync('rsa', { modulusLength: 4096 });
const signJob = (message: Buffer): CryptoJob => ({
  op: 'sign', key: { kind: 'key-pair', ...rsa4096 }, input: { algorithm: 'RSASSA_PSS_SHA_256', messageType: 'RAW', message },
});

/** Runs `work` while a 2 ms timer ticks; how often it ticked and its longest gap. */
async function eventLoopDuring(work: () => Promise<unknown>): Promise<{ ticks: number; longestGapMs: number; durationMs: number }> {
  let ticks = 0;
  let last = performance.now();
  let longestGapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestGapMs = Math.max(longestGapMs, now - last);
    last = now;
    ticks++;
  }, 2);
  const started = performance.now();
  await work();
  const durationMs = performance.now() - started;
  clearInterval(timer);
  longestGapMs = Math.max(longestGapMs, performance.now() - last);
  return { ticks, longestGapMs, durationMs };
}

test('20 RSA-4096 signatures run on pool threads while the event loop keeps ticking', async () => {
  const pool = new CryptoPool({ size: 1 });
  try {
    const jobs = Array.from({ length: 20 }, (_, i) => signJob(Buffer.from(`message ${i}`)));
    assert.ok(jobs.every(runsOffLoop), 'RSA-4096 signing is off-loop work');
    let signatures: Uint8Array[] = [];
    const seen = await eventLoopDuring(async () => {
      signatures = (await Promise.all(jobs.map((job) => runCrypto(pool, job)))) as Uint8Array[];
    });
    // On the event loop the 20 signatures would be one synchronous block: no tick at all, and a
    // gap as long as the whole run. Off it, the timer keeps firing throughout.
    assert.ok(seen.ticks >= 5, `the timer ticked ${seen.ticks} times in ${seen.durationMs.toFixed(0)} ms`);
    assert.ok(seen.longestGapMs < seen.durationMs / 2, `longest gap ${seen.longestGapMs.toFixed(1)} ms of ${seen.durationMs.toFixed(0)} ms`);
    signatures.forEach((signature, i) => {
      const job = jobs[i];
      assert.ok(job?.op === 'sign');
      assert.equal(verifySignature({ kind: 'key-pair', publicKey: rsa4096.publicKey }, job.input, signature), true);
    });
  } finally {
    await pool.close();
  }
});

test('fast work stays on the event loop: ECDSA P-256, Ed25519, RSA-2048 signing and RSA verification', () => {
  const message = Buffer.from('m');
  const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ed = generateKeyPairSync('ed25519');
  const rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 });
  assert.equal(runsOffLoop({ op: 'sign', key: { kind: 'key-pair', ...p256 }, input: { algorithm: 'ECDSA_SHA_256', messageType: 'RAW', message } }), false);
  assert.equal(runsOffLoop({ op: 'sign', key: { kind: 'key-pair', ...ed }, input: { algorithm: 'ED25519_SHA_512', messageType: 'RAW', message } }), false);
  assert.equal(runsOffLoop({ op: 'sign', key: { kind: 'key-pair', ...rsa2048 }, input: { algorithm: 'RSASSA_PSS_SHA_256', messageType: 'RAW', message } }), false);
  assert.equal(runsOffLoop({ op: 'verify', key: { kind: 'key-pair', publicKey: rsa4096.publicKey }, input: { algorithm: 'RSASSA_PSS_SHA_256', messageType: 'RAW', message }, signature: Buffer.alloc(512) }), false);
  // …while the pure-JS paths go to the pool even on P-256.
  assert.equal(runsOffLoop({ op: 'sign', key: { kind: 'key-pair', ...p256 }, input: { algorithm: 'ECDSA_SHA_256', messageType: 'DIGEST', message: Buffer.alloc(32) } }), true);
});

test('ML-DSA signs on a pool thread, and its public key is expanded once per material', async () => {
  const pool = new CryptoPool({ size: 1 });
  try {
    const material: MlDsaMaterial = { kind: 'ml-dsa', materialId: 'pool-test', keySpec: 'ML_DSA_44', seed: randomBytes(32) };
    const input = { algorithm: 'ML_DSA_SHAKE_256', messageType: 'RAW', message: Buffer.from('pq') } as const;
    assert.equal(runsOffLoop({ op: 'sign', key: { kind: 'ml-dsa', material }, input }), true);
    const signature = await runCrypto(pool, { op: 'sign', key: { kind: 'ml-dsa', material }, input });
    const keys = mlDsaPublicKeys(pool, material);
    assert.equal(mlDsaPublicKeys(pool, material), keys, 'one expansion per material object');
    const { raw } = await keys;
    assert.equal(await runCrypto(pool, { op: 'verify', key: { kind: 'ml-dsa', keySpec: 'ML_DSA_44', publicKey: raw }, input, signature }), true);
  } finally {
    await pool.close();
  }
});

// A stand-in thread that misbehaves on request, to test the pool's own guarantees.
const dir = mkdtempSync(join(tmpdir(), 'keyhold-pool-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const unruly = join(dir, 'unruly-thread.mjs');
writeFileSync(unruly, `
import { parentPort } from 'node:worker_threads';
parentPort.on('message', ({ id, job }) => {
  if (job.op === 'exit') process.exit(3);
  if (job.op === 'throw') throw new Error('uncaught in the thread');
  if (job.op === 'hang') for (;;);
  const until = Date.now() + (job.ms ?? 0);
  while (Date.now() < until);
  parentPort.postMessage(job.op === 'fail' ? { id, ok: false, message: 'job failed' } : { id, ok: true, result: job.value });
});
parentPort.postMessage('ready');
`);
const unrulyPool = (options: { size?: number; maxQueue?: number; jobTimeoutMs?: number } = {}): CryptoPool => new CryptoPool({ script: pathToFileURL(unruly), ...options });
/** A job only the stand-in thread understands. */
const job = (op: string, extra: object = {}): CryptoJob => ({ op, ...extra }) as unknown as CryptoJob;

/** Asserts `promise` rejects with a CryptoPoolError: not a KmsError, so the HTTP edge logs it and
 *  answers KMSInternalException. */
async function rejectsInternally(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof CryptoPoolError && !(err instanceof KmsError), String(err));
    assert.match(err.message, message);
    return true;
  });
}

test('a thread that exits mid-job fails that job only; the pool replaces it and goes on', async () => {
  const pool = unrulyPool({ size: 2 });
  try {
    const survivor = pool.run(job('echo', { value: 'still here', ms: 50 }));
    await rejectsInternally(pool.run(job('exit')), /exited with code 3/);
    assert.equal(await survivor, 'still here');
    assert.equal(await pool.run(job('echo', { value: 'after' })), 'after');
    assert.ok(pool.threads <= 2);
  } finally {
    await pool.close();
  }
});

test('an uncaught exception in a thread and a failed job both reject, and the pool keeps serving', async () => {
  const pool = unrulyPool({ size: 1 });
  try {
    await rejectsInternally(pool.run(job('throw')), /uncaught in the thread/);
    await rejectsInternally(pool.run(job('fail')), /job failed/);
    assert.equal(await pool.run(job('echo', { value: 1 })), 1);
  } finally {
    await pool.close();
  }
});

test('a job that overruns its time ends its thread and fails, and the next job runs', async () => {
  const pool = unrulyPool({ size: 1, jobTimeoutMs: 200 });
  try {
    const hanging = pool.run(job('hang'));
    const waiting = pool.run(job('echo', { value: 'queued behind the hang' }));
    await rejectsInternally(hanging, /longer than 200 ms/);
    assert.equal(await waiting, 'queued behind the hang');
  } finally {
    await pool.close();
  }
});

test("a new thread's start-up does not count against its first job's time", async () => {
  const slowStart = join(dir, 'slow-start-thread.mjs');
  writeFileSync(slowStart, `
import { parentPort } from 'node:worker_threads';
const until = Date.now() + 400; // loading modules on a busy machine
while (Date.now() < until);
parentPort.on('message', ({ id, job }) => parentPort.postMessage({ id, ok: true, result: job.value }));
parentPort.postMessage('ready');
`);
  const pool = new CryptoPool({ script: pathToFileURL(slowStart), size: 1, jobTimeoutMs: 200 });
  try {
    assert.equal(await pool.run(job('echo', { value: 'ran' })), 'ran');
  } finally {
    await pool.close();
  }
});

test('a full queue refuses with ThrottlingException; close() fails what waits and what runs', async () => {
  const pool = unrulyPool({ size: 1, maxQueue: 1 });
  const running = pool.run(job('echo', { ms: 300 }));
  const queued = pool.run(job('echo', { value: 'never' }));
  await assert.rejects(pool.run(job('echo')), (err: unknown) => err instanceof KmsError && err.type === 'ThrottlingException');
  const outcomes = [rejectsInternally(queued, /closed/), rejectsInternally(running, /closing/)];
  await pool.close();
  await Promise.all(outcomes);
  await rejectsInternally(pool.run(job('echo')), /closed/);
  assert.equal(pool.threads, 0);
});
