// `npm run bench`: Encrypt, Decrypt and GenerateDataKey against keyhold and against the ceiling, then a table.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { config } from './config.js';
import { watchOthers } from './interference.js';
import { startKeyhold, keyholdMissing } from './keyhold.js';
import { generator, measure } from './load.js';
import { bodyFor, OPERATIONS, PLAINTEXT_BYTES, type Fixture } from './payloads.js';
import { freePort, startServer, type Server } from './processes.js';
import type { Measurement } from './result.js';
import { signRequests } from './sign.js';
import { authorizationLine, renderTable, type Row } from './table.js';

const CEILING = fileURLToPath(new URL('./ceiling.js', import.meta.url));
// Same size as a keyhold blob of a 512-byte plaintext: 62-byte header + ciphertext + 16-byte tag.
const CEILING_FIXTURE: Fixture = {
  keyId: 'arn:aws:kms:us-east-1:000000000000:key/ceiling',
  blob: randomBytes(62 + PLAINTEXT_BYTES + 16).toString('base64'),
};

const log = (msg: string): void => console.error(`[bench] ${msg}`);
const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const pct = (x: number | undefined): string => (x === undefined ? '?' : `${(x * 100).toFixed(0)}%`);

interface Target {
  readonly name: 'keyhold' | 'ceiling';
  readonly server: Server;
  readonly fixture: Fixture;
  readonly guardedKeyId?: string;
}

async function startTargets(): Promise<{ targets: Target[]; notes: string[] }> {
  const targets: Target[] = [];
  const notes: string[] = [];
  const missing = keyholdMissing();
  if (missing !== undefined) notes.push(`keyhold not run: ${missing}`);
  else {
    try {
      const keyhold = await startKeyhold();
      targets.push({ name: 'keyhold', server: keyhold, fixture: keyhold.fixture, guardedKeyId: keyhold.guardedKeyId });
    } catch (err) {
      notes.push(`keyhold not run: ${describe(err)}`);
    }
  }
  try {
    const port = await freePort();
    const ceiling = await startServer('ceiling', [CEILING, '--port', String(port), '--workers', String(config.workers)], port);
    targets.push({ name: 'ceiling', server: ceiling, fixture: CEILING_FIXTURE });
  } catch (err) {
    notes.push(`ceiling not run: ${describe(err)}`);
  }
  return { targets, notes };
}

async function measureOne(target: Target, op: (typeof OPERATIONS)[number]): Promise<Measurement | string> {
  const { name, server, fixture } = target;
  try {
    // Signed now, used within warm-up + duration: well inside SigV4's 5-minute window.
    const requests = await signRequests({ host: '127.0.0.1', port: server.port }, op, config.signedRequests, bodyFor(op, fixture));
    log(`${name} ${op}: ${config.warmupSeconds}s warm-up + ${config.durationSeconds}s`);
    const m = await measure(server.port, server.pid, requests);
    log(`${name} ${op}: ${m.rps.toFixed(0)} req/s, p50 ${m.p50Ms.toFixed(2)} ms, p99 ${m.p99Ms.toFixed(2)} ms, ${m.errors} errors, others' CPU ${pct(m.othersCpu)}`);
    return m;
  } catch (err) {
    log(`${name} ${op} failed: ${describe(err)}`);
    return 'failed';
  }
}

/** Encrypt on the default-policy key and on the guarded key, in the order A B B A so that drift
 *  in the machine's speed weighs on both alike; each side is the mean of its two runs. */
async function measureAuthorization(target: Target): Promise<{ plain: Measurement | string; guarded: Measurement | string }> {
  const guarded: Target = { ...target, fixture: { ...target.fixture, keyId: target.guardedKeyId ?? '' } };
  log('authorization: Encrypt under the default policy and under a 10-statement policy with 50 grants, A B B A');
  const a1 = await measureOne(target, 'Encrypt');
  const b1 = await measureOne(guarded, 'Encrypt');
  const b2 = await measureOne(guarded, 'Encrypt');
  const a2 = await measureOne(target, 'Encrypt');
  return { plain: meanOf(a1, a2), guarded: meanOf(b1, b2) };
}

function meanOf(x: Measurement | string, y: Measurement | string): Measurement | string {
  if (typeof x === 'string') return x;
  if (typeof y === 'string') return y;
  const mean = (f: (m: Measurement) => number): number => (f(x) + f(y)) / 2;
  return { ...x, requests: x.requests + y.requests, seconds: x.seconds + y.seconds, rps: mean((m) => m.rps), p50Ms: mean((m) => m.p50Ms), p99Ms: mean((m) => m.p99Ms), errors: x.errors + y.errors };
}

log(`load generator: ${generator}; server workers: ${config.workers}; connections: ${config.connections}`);
// Both servers and the generator share this machine's cores: anything else running skews the figures.
const idle = watchOthers([]);
await new Promise((r) => setTimeout(r, 1000));
const before = idle();
if (before !== undefined && before > 0.15) log(`warning: other processes are using ${pct(before)} of the CPUs; figures will be noisy`);

const { targets, notes } = await startTargets();
const rows: Row[] = [];
let authorization: { plain: Measurement | string; guarded: Measurement | string } | undefined;
try {
  // Both servers stay up (idle costs nothing) and take turns per operation, so a burst of
  // outside load hits a keyhold figure and its ceiling alike rather than one whole column.
  for (const op of OPERATIONS) {
    const result = async (name: Target['name']): Promise<Measurement | string> => {
      const target = targets.find((t) => t.name === name);
      return target === undefined ? 'not run' : measureOne(target, op);
    };
    const keyhold = await result('keyhold');
    const ceiling = await result('ceiling');
    rows.push({ op, keyhold, ceiling });
  }
  const keyhold = targets.find((t) => t.guardedKeyId !== undefined);
  if (keyhold !== undefined) authorization = await measureAuthorization(keyhold);
} finally {
  await Promise.all(targets.map((t) => t.server.stop()));
}

const why = generator === 'wrk' ? '' : config.loadgen === 'node' ? ' (BENCH_LOADGEN=node)' : ' (wrk not on PATH)';
console.log(`\nkeyhold vs ceiling: ${config.connections} connections, ${config.durationSeconds}s each, ${config.workers} workers, load generator ${generator}${why}`);
console.log(renderTable(rows));
console.log(`\n"others' CPU": share of all CPU time used by processes outside the bench during the keyhold / ceiling measurement; high means noisy.`);
if (authorization !== undefined) console.log(`\n${authorizationLine(authorization.plain, authorization.guarded)}`);
for (const note of notes) console.log(`\n${note}`);
