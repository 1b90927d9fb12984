// The module each crypto pool thread runs: it takes { id, job } messages, runs the job with the
// same code the event loop would (crypto-jobs.ts) and answers { id, ok, result | message }.
// Nothing here logs: jobs carry key material.
import { timingSafeEqual } from 'node:crypto';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { MlDsaMaterial } from '../backends/key-backend.js';
import { runCryptoJob, type CryptoJob } from './crypto-jobs.js';
import { THREAD_READY, type ThreadReply } from './worker-pool.js';

if (parentPort === null) throw new Error('worker-pool-thread.js runs only as a worker thread');
const port = parentPort;

/* Slow crypto must not starve the event loops that answer everything else: on Linux,
 * setpriority(0) names the calling thread only, so this lowers this pool thread's priority and
 * leaves the process's event loop at its own. Where the OS refuses, the thread runs as it is. */
const POOL_THREAD_NICENESS = 10;
try {
  setPriority(POOL_THREAD_NICENESS);
} catch {
  // Not permitted or not supported: correctness does not depend on it.
}

/* ml-dsa.ts expands each seed once per material object, but every job arrives as a fresh copy.
 * The thread therefore keeps its own object per material id (the newest MAX_MATERIALS), so
 * repeated ML-DSA work on a key expands its seed once per thread. */
const MAX_MATERIALS = 64;
const materials = new Map<string, MlDsaMaterial>();

function kept(arrived: MlDsaMaterial): MlDsaMaterial {
  const seed = Buffer.from(arrived.seed.buffer, arrived.seed.byteOffset, arrived.seed.length);
  const known = materials.get(arrived.materialId);
  materials.delete(arrived.materialId);
  const material = known !== undefined && known.seed.length === seed.length && timingSafeEqual(known.seed, seed) ? known : { ...arrived, seed };
  materials.set(arrived.materialId, material);
  for (const oldest of materials.keys()) {
    if (materials.size <= MAX_MATERIALS) break;
    materials.delete(oldest);
  }
  return material;
}

function withKeptMaterial(job: CryptoJob): CryptoJob {
  if (job.op === 'ml-dsa-public-key') return { ...job, material: kept(job.material) };
  if (job.op === 'sign' && job.key.kind === 'ml-dsa') return { ...job, key: { ...job.key, material: kept(job.key.material) } };
  return job;
}

port.on('message', ({ id, job }: { id: number; job: CryptoJob }) => {
  let reply: ThreadReply;
  try {
    reply = { id, ok: true, result: runCryptoJob(withKeptMaterial(job)) };
  } catch (err) {
    reply = { id, ok: false, message: err instanceof Error ? `${err.name}: ${err.message}` : 'crypto job failed' };
  }
  port.postMessage(reply);
});

// Every module is loaded by now: the pool starts timing jobs from this message.
port.postMessage(THREAD_READY);
