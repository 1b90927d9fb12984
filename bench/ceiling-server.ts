// What both ceiling servers share: JSON replies, body reading, keyhold's own SigV4 verifier on the
// bench credentials, and cluster supervision that exits cleanly so --cpu-prof profiles get written.
import cluster from 'node:cluster';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SigV4Verifier } from '../src/auth/sigv4.js';
import { systemClock } from '../src/core/clock.js';
import { SecretBytes } from '../src/core/secret.js';
import { benchCredentials, config } from './config.js';

const JSON_TYPE = 'application/x-amz-json-1.1';

export function reply(res: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A verifier for the bench credentials. One long-lived secret, as a credential store holds: the
 *  verifier caches the derived signing key per SecretBytes identity, and a fresh copy per request
 *  would defeat that. */
export function benchVerifier(): SigV4Verifier {
  const secret = SecretBytes.adopt(Buffer.from(benchCredentials.secretAccessKey, 'utf8'));
  return new SigV4Verifier({
    region: config.region,
    services: ['kms'],
    clock: systemClock,
    lookupSecret: (akid: string) => (akid === benchCredentials.accessKeyId ? secret : undefined),
  });
}

/** Runs `serveWorker` on `workers` cluster workers, or in this process when `inProcess` (as
 *  `keyhold serve --workers 1` does). Shutdown is a clean exit rather than death by signal. */
export async function superviseWorkers(label: string, workers: number, inProcess: boolean, serveWorker: () => void | Promise<void>): Promise<void> {
  if (cluster.isPrimary && !inProcess) {
    for (let i = 0; i < workers; i++) cluster.fork();
    let stopping = false;
    cluster.on('exit', (worker, code, signal) => {
      if (!stopping) console.error(`${label} worker ${worker.process.pid} exited (${signal ?? code})`);
      if (stopping && Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
    process.on('SIGTERM', () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    });
    return;
  }
  process.on('SIGTERM', () => process.exit(0));
  await serveWorker();
}
