// `npm run bench`: Encrypt, Decrypt and GenerateDataKey against the minimal-KMS ceiling; Sign,
// Verify and GenerateMac against the raw crypto ceiling, on every core and on one process; the
// cost of a realistic policy; the event loop under RSA-4096 signing; with `--store postgres
// --nodes 1,2`, Encrypt and CreateKey on PostgreSQL nodes against SQLite (issue 7). Then the tables.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { makeCeilingKeys } from './ceiling-keys.js';
import { benchArgs } from './args.js';
import { config } from './config.js';
import { watchOthers } from './interference.js';
import { makeKeyholdKeys } from './keyhold-keys.js';
import { keyholdMissing, startKeyhold, type Keyhold } from './keyhold.js';
import { measureKeyedRows, type KeyedTargets } from './keyed-rows.js';
import { WORKLOADS, type Workload } from './key-workloads.js';
import { generator } from './load.js';
import { describe, log, measureRequests, pct } from './measure-one.js';
import { bodyFor, OPERATIONS, PLAINTEXT_BYTES, type Fixture } from './payloads.js';
import { freePort, startServer, type Server } from './processes.js';
import { measureResponsiveness, responsivenessLine, type Responsiveness } from './responsiveness.js';
import type { Measurement } from './result.js';
import { authorizationLine, renderTable, rowNotes, type Row } from './table.js';
import { auditCostLine, meanOf, measureAuditCost, type AuditCost } from './audit-cost.js';
import { makeTempDir } from './tempdir.js';
import { measureScaleOut, type ScaleOutRow } from './scale-out.js';
import { renderScaleOut } from './scale-out-table.js';

const CEILING = fileURLToPath(new URL('./ceiling.js', import.meta.url));
const CRYPTO_CEILING = fileURLToPath(new URL('./crypto-ceiling.js', import.meta.url));
// Same size as a keyhold blob of a 512-byte plaintext: 62-byte header + ciphertext + 16-byte tag.
const CEILING_FIXTURE: Fixture = {
  keyId: 'arn:aws:kms:us-east-1:000000000000:key/ceiling',
  blob: randomBytes(62 + PLAINTEXT_BYTES + 16).toString('base64'),
};
/** The goal for the keyed rows: keyhold ≥ 0.5 of the single-process ceiling for ECC and HMAC. */
const KEYED_GOAL = 0.5;
// Parsed here, not in config.ts: the servers the bench starts (ceiling.ts…) import config.ts too,
// with command lines of their own.
const args = benchArgs();
const suites = config.suitesSetting === undefined && args.store === 'postgres' ? new Set(['postgres']) : config.suites;
const run = (suite: string): boolean => suites.has(suite);

async function attempt<T>(name: string, start: () => Promise<T>): Promise<T | string> {
  try {
    return await start();
  } catch (err) {
    return `${name} not run: ${describe(err)}`;
  }
}
const startKeyholdOn = (workers: number, guarded: boolean, audit = true): Promise<Keyhold | string> => {
  const missing = keyholdMissing();
  return missing !== undefined ? Promise.resolve(`keyhold not run: ${missing}`) : attempt('keyhold', () => startKeyhold({ workers, guarded, audit }));
};
const startCeiling = (script: string, name: string, workers: number, extra: readonly string[] = []): Promise<Server | string> =>
  attempt(name, async () => {
    const port = await freePort();
    return startServer(name, [script, '--port', String(port), '--workers', String(workers), ...extra], port);
  });
const stopAll = async (servers: readonly (Server | string)[]): Promise<void> => {
  await Promise.all(servers.map((s) => (typeof s === 'string' ? Promise.resolve() : s.stop())));
};

/** Encrypt on the default-policy key and on the guarded key, in the order A B B A so that drift
 *  in the machine's speed weighs on both alike; each side is the mean of its two runs. */
async function measureAuthorization(keyhold: Keyhold, guardedKeyId: string): Promise<{ plain: Measurement | string; guarded: Measurement | string }> {
  log('authorization: Encrypt under the default policy and under a 10-statement policy with 50 grants, A B B A');
  const plainBody = bodyFor('Encrypt', keyhold.fixture);
  const guardedBody = bodyFor('Encrypt', { ...keyhold.fixture, keyId: guardedKeyId });
  const a1 = await measureRequests('keyhold Encrypt', keyhold, 'Encrypt', plainBody);
  const b1 = await measureRequests('keyhold Encrypt (guarded key)', keyhold, 'Encrypt', guardedBody);
  const b2 = await measureRequests('keyhold Encrypt (guarded key)', keyhold, 'Encrypt', guardedBody);
  const a2 = await measureRequests('keyhold Encrypt', keyhold, 'Encrypt', plainBody);
  return { plain: meanOf(a1, a2), guarded: meanOf(b1, b2) };
}


/** keyhold and the crypto ceiling, each on `workers` processes, with their keys. */
async function keyedTargets(keyhold: Keyhold | string, ceiling: Server | string, ceilingKeys: Awaited<ReturnType<typeof makeCeilingKeys>>, workloads: readonly Workload[]): Promise<KeyedTargets> {
  const keys = typeof keyhold === 'string' ? keyhold : await attempt('keyhold keys', () => makeKeyholdKeys(keyhold.port, workloads));
  return {
    keyhold: typeof keyhold === 'string' ? keyhold : typeof keys === 'string' ? keys : { server: keyhold, keys },
    ceiling: typeof ceiling === 'string' ? ceiling : { server: ceiling, fixture: ceilingKeys.fixtures },
  };
}

log(`load generator: ${generator}; server workers: ${config.workers}; connections: ${config.connections}; suites: ${[...suites].join(', ')}`);
// Both servers and the generator share this machine's cores: anything else running skews the figures.
const idle = watchOthers([]);
await new Promise((r) => setTimeout(r, 1000));
const before = idle();
if (before !== undefined && before > 0.15) log(`warning: other processes are using ${pct(before)} of the CPUs; figures will be noisy`);

const notes: string[] = [];
const keyDir = makeTempDir('ceiling-keys');
const ceilingKeys = await makeCeilingKeys(WORKLOADS, keyDir);
const symmetricRows: Row[] = [];
let keyedRows: Row[] = [];
let singleRows: Row[] = [];
let authorization: { plain: Measurement | string; guarded: Measurement | string } | undefined;
let responsiveness: Responsiveness | string | undefined;
let auditCost: AuditCost | undefined;
let scaleOut: ScaleOutRow[] | undefined;
const needsMainKeyhold = ['symmetric', 'keyed', 'authorization', 'responsiveness', 'audit'].some(run);

// Every core: all servers stay up (idle costs nothing) and take turns per row, so a burst of
// outside load hits a keyhold figure and its ceiling alike rather than one whole column.
const keyhold = needsMainKeyhold ? await startKeyholdOn(config.workers, run('authorization')) : 'not run';
const ceiling = run('symmetric') ? await startCeiling(CEILING, 'ceiling', config.workers) : 'not run';
const cryptoCeiling = run('keyed') ? await startCeiling(CRYPTO_CEILING, 'crypto-ceiling', config.workers, ['--keys', ceilingKeys.file]) : 'not run';
try {
  for (const s of [keyhold, ceiling, cryptoCeiling]) if (typeof s === 'string' && s !== 'not run') notes.push(s);
  if (run('symmetric')) {
    for (const op of OPERATIONS) {
      const k = typeof keyhold === 'string' ? 'not run' : await measureRequests(`keyhold ${op}`, keyhold, op, bodyFor(op, keyhold.fixture));
      const c = typeof ceiling === 'string' ? 'not run' : await measureRequests(`ceiling ${op}`, ceiling, op, bodyFor(op, CEILING_FIXTURE));
      symmetricRows.push({ label: op, keyhold: k, ceiling: c });
    }
  }
  if (run('keyed')) keyedRows = await measureKeyedRows(await keyedTargets(keyhold, cryptoCeiling, ceilingKeys, WORKLOADS), WORKLOADS, `${config.workers}w`);
  if (run('authorization') && typeof keyhold !== 'string' && keyhold.guardedKeyId !== undefined) authorization = await measureAuthorization(keyhold, keyhold.guardedKeyId);
  if (run('responsiveness') && typeof keyhold !== 'string') responsiveness = await measureResponsiveness(keyhold);
  if (run('audit') && typeof keyhold !== 'string') {
    const unaudited = await startKeyholdOn(config.workers, false, false);
    try {
      auditCost = typeof unaudited === 'string' ? { audited: unaudited, unaudited } : await measureAuditCost(keyhold, unaudited);
    } finally {
      await stopAll([unaudited]);
    }
  }
} finally {
  await stopAll([keyhold, ceiling, cryptoCeiling]);
}

// One process each: the goal for ECC and HMAC is stated against a single-process ceiling,
// and keyhold on one process is the same comparison without the cluster (keyhold/ceiling on every
// core is in the table above).
if (run('single')) {
  const goalWorkloads = WORKLOADS.filter((w) => w.goal);
  const keyhold1 = await startKeyholdOn(1, false);
  const ceiling1 = await startCeiling(CRYPTO_CEILING, 'crypto-ceiling', 1, ['--keys', ceilingKeys.file]);
  try {
    singleRows = await measureKeyedRows(await keyedTargets(keyhold1, ceiling1, ceilingKeys, goalWorkloads), goalWorkloads, '1w', true);
  } finally {
    await stopAll([keyhold1, ceiling1]);
  }
}
keyDir.remove();

// Issue 7: its own servers (SQLite and PostgreSQL deployments), after the others have stopped.
if (run('postgres')) {
  const missing = keyholdMissing();
  if (missing === undefined) scaleOut = await measureScaleOut(args.nodes);
  else notes.push(`postgres suite not run: ${missing}`);
}

const why = generator === 'wrk' ? '' : config.loadgen === 'node' ? ' (BENCH_LOADGEN=node)' : ' (wrk not on PATH)';
console.log(`\nload generator ${generator}${why}, ${config.connections} connections, ${config.warmupSeconds}s warm-up + ${config.durationSeconds}s each`);
if (symmetricRows.length > 0) console.log(`\nkeyhold vs ceiling (SigV4 + one AES-GCM), ${config.workers} workers each\n${renderTable(symmetricRows)}`);
if (keyedRows.length > 0) console.log(`\nkeyhold vs raw node:crypto ceiling (no SigV4; faster of sync/async crypto), ${config.workers} workers each\n${renderTable(keyedRows)}`);
if (singleRows.length > 0) console.log(`\nkeyhold vs raw node:crypto ceiling, one process each (issue 4 goal: ≥ ${KEYED_GOAL * 100}% for ECC and HMAC; +SigV4: the ceiling's crypto behind SigV4 verification)\n${renderTable(singleRows, KEYED_GOAL)}`);
console.log(`\n"others' CPU": share of all CPU time used by processes outside the bench during the keyhold / ceiling measurement; high means noisy.`);
if (authorization !== undefined) console.log(`\n${authorizationLine(authorization.plain, authorization.guarded)}`);
if (responsiveness !== undefined) console.log(`\n${responsivenessLine(responsiveness)}`);
if (auditCost !== undefined) console.log(`\n${auditCostLine(auditCost)}`);
if (scaleOut !== undefined) {
  console.log(`\nPostgreSQL vs SQLite (issue 7): the same number of server processes in every row (SQLite 1 node × ${config.workers} workers; n nodes × max(1, ${config.workers}/n) workers), ` +
    `load split evenly over the nodes; mean of two runs, A B … B A. "server µs/req" counts every node's processes and, in parentheses, the PostgreSQL backends serving them.\n${renderScaleOut(scaleOut)}`);
}
for (const note of [...notes, ...rowNotes([...symmetricRows, ...keyedRows, ...singleRows])]) console.log(`\n${note}`);
