// `npm run bench`: Encrypt, Decrypt and GenerateDataKey against keyhold and against the ceiling, then a table.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { config } from './config.js';
import { startKeyhold, keyholdMissing } from './keyhold.js';
import { generator, measure } from './load.js';
import { bodyFor, OPERATIONS, PLAINTEXT_BYTES, type Fixture, type Operation } from './payloads.js';
import { freePort, startServer, type Server } from './processes.js';
import type { LoadResult } from './result.js';
import { signRequests } from './sign.js';
import { renderTable, type Row } from './table.js';

const CEILING = fileURLToPath(new URL('./ceiling.js', import.meta.url));
// Same size as a keyhold blob of a 512-byte plaintext: 62-byte header + ciphertext + 16-byte tag.
const CEILING_FIXTURE: Fixture = {
  keyId: 'arn:aws:kms:us-east-1:000000000000:key/ceiling',
  blob: randomBytes(62 + PLAINTEXT_BYTES + 16).toString('base64'),
};

const log = (msg: string): void => console.error(`[bench] ${msg}`);
const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Measures every operation against one running server; a failure becomes the row's text. */
async function measureAll(name: string, server: Server, fixture: Fixture): Promise<Map<Operation, LoadResult | string>> {
  const out = new Map<Operation, LoadResult | string>();
  for (const op of OPERATIONS) {
    try {
      // Signed now, used within warm-up + duration: well inside SigV4's 5-minute window.
      const requests = await signRequests({ host: '127.0.0.1', port: server.port }, op, config.signedRequests, bodyFor(op, fixture));
      log(`${name} ${op}: ${config.warmupSeconds}s warm-up + ${config.durationSeconds}s with ${generator}, ${config.connections} connections`);
      const result = await measure(server.port, requests);
      log(`${name} ${op}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, ${result.errors} errors`);
      out.set(op, result);
    } catch (err) {
      log(`${name} ${op} failed: ${describe(err)}`);
      out.set(op, 'failed');
    }
  }
  return out;
}

async function benchKeyhold(): Promise<Map<Operation, LoadResult | string> | string> {
  const missing = keyholdMissing();
  if (missing !== undefined) return `keyhold not run: ${missing}`;
  let keyhold;
  try {
    keyhold = await startKeyhold();
  } catch (err) {
    return `keyhold not run: ${describe(err)}`;
  }
  try {
    return await measureAll('keyhold', keyhold, keyhold.fixture);
  } finally {
    await keyhold.stop();
  }
}

async function benchCeiling(): Promise<Map<Operation, LoadResult | string> | string> {
  const port = await freePort();
  let ceiling: Server;
  try {
    ceiling = await startServer('ceiling', [CEILING, '--port', String(port), '--workers', String(config.workers)], port);
  } catch (err) {
    return `ceiling not run: ${describe(err)}`;
  }
  try {
    return await measureAll('ceiling', ceiling, CEILING_FIXTURE);
  } finally {
    await ceiling.stop();
  }
}

// One server at a time, so neither steals the two cores from the other.
log(`load generator: ${generator}; server workers: ${config.workers}; connections: ${config.connections}`);
// Both servers and the generator share this machine's cores: anything else running skews the figures.
const load = loadavg()[0] ?? 0;
if (load > 0.5) log(`warning: 1-minute load average is ${load.toFixed(2)} before starting; figures will be noisy`);
const keyhold = await benchKeyhold();
const ceiling = await benchCeiling();
const pick = (m: Map<Operation, LoadResult | string> | string, op: Operation): LoadResult | string =>
  typeof m === 'string' ? m : (m.get(op) ?? 'missing');
const rows: Row[] = OPERATIONS.map((op) => ({ op, keyhold: pick(keyhold, op), ceiling: pick(ceiling, op) }));

console.log(`\nkeyhold vs ceiling: ${config.connections} connections, ${config.durationSeconds}s each, ${config.workers} workers, load generator ${generator}${generator === 'node' ? ' (wrk not on PATH)' : ''}`);
console.log(renderTable(rows));
for (const m of [keyhold, ceiling]) if (typeof m === 'string') console.log(`\n${m}`);
