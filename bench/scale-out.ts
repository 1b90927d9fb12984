// Issue 7's benchmark (`--store postgres --nodes 1,2`): Encrypt and CreateKey on keyhold nodes
// sharing one PostgreSQL database, against keyhold on SQLite in the same run.
//
// Fair on one machine: every configuration gets the same number of server processes, so none is
// credited with CPU another was denied. SQLite: one node × W workers (W = BENCH_WORKERS, one per
// core by default). PostgreSQL with n nodes: n nodes × max(1, floor(W / n)) workers each, so
// 1 × W and, on 2 cores, 2 × 1; where n > W the nodes outnumber the cores and the line says so.
// Each PostgreSQL configuration has its own fresh database. All servers stay up (idle costs
// nothing); each operation is measured over the configurations forward then backward
// (A B C C B A) so that drift in the machine's speed weighs on all alike.
import { config } from './config.js';
import { startKeyhold, type Keyhold } from './keyhold.js';
import { log, measureOnNodes } from './measure-one.js';
import { bodyFor } from './payloads.js';
import { createBenchDatabase, databaseProbe, type BenchDatabase } from './postgres-db.js';
import type { Measurement } from './result.js';
import { meanOf } from './audit-cost.js';

/** The goal: Encrypt on PostgreSQL ≥ 0.8 of Encrypt on SQLite. */
export const POSTGRES_ENCRYPT_GOAL = 0.8;

type Cell = Measurement | string;

export interface Deployment {
  readonly label: string;
  readonly store: 'sqlite' | 'postgres';
  readonly nodes: number;
  readonly workersPerNode: number;
}

export interface ScaleOutRow {
  readonly deployment: Deployment;
  /** Mean of the two runs, and the two runs themselves (for the noise). */
  readonly encrypt: Cell;
  readonly encryptRuns: readonly Cell[];
  readonly createKey: Cell;
  readonly createKeyRuns: readonly Cell[];
}

interface Running {
  readonly deployment: Deployment;
  readonly nodes: Keyhold[];
  readonly database?: BenchDatabase;
}

export function deployments(nodeCounts: readonly number[], workers = config.workers): Deployment[] {
  const label = (store: string, nodes: number, per: number): string => `${store}, ${nodes} node${nodes === 1 ? '' : 's'} × ${per} worker${per === 1 ? '' : 's'}`;
  return [
    { label: label('SQLite', 1, workers), store: 'sqlite', nodes: 1, workersPerNode: workers },
    ...nodeCounts.map((n): Deployment => {
      const per = Math.max(1, Math.floor(workers / n));
      return { label: label('PostgreSQL', n, per), store: 'postgres', nodes: n, workersPerNode: per };
    }),
  ];
}

async function start(d: Deployment): Promise<Running> {
  const database = d.store === 'postgres' ? await createBenchDatabase() : undefined;
  const running: Running = { deployment: d, nodes: [], ...(database !== undefined && { database }) };
  try {
    // The first node creates the schema, the root key check and the bench key; the others join
    // with the same root passphrase and use that key.
    const first = await startKeyhold({ workers: d.workersPerNode, guarded: false, ...(database !== undefined && { postgresUrl: database.url }) });
    running.nodes.push(first);
    for (let i = 1; i < d.nodes; i++) {
      running.nodes.push(await startKeyhold({ workers: d.workersPerNode, guarded: false, fixture: first.fixture, ...(database !== undefined && { postgresUrl: database.url }) }));
    }
    return running;
  } catch (err) {
    await stop(running);
    throw err;
  }
}

async function stop(r: Running): Promise<void> {
  await Promise.all(r.nodes.map((n) => n.stop()));
  await r.database?.drop().catch((err: unknown) => log(`dropping the bench database failed: ${String(err)}`));
}

const createKeyBody = (): string => JSON.stringify({ Description: 'keyhold bench CreateKey', KeyUsage: 'ENCRYPT_DECRYPT', KeySpec: 'SYMMETRIC_DEFAULT' });

function measureOn(r: Running, op: 'Encrypt' | 'CreateKey'): Promise<Cell> {
  const first = r.nodes[0];
  if (first === undefined) return Promise.resolve('not run');
  const body = op === 'Encrypt' ? bodyFor('Encrypt', first.fixture) : createKeyBody;
  const db = r.database;
  return measureOnNodes(`${r.deployment.label}: ${op}`, r.nodes, op, body, db === undefined ? undefined : databaseProbe(db.url));
}

/** Starts every deployment, measures Encrypt then CreateKey on each (A B C C B A), stops them
 *  and drops their databases. A deployment that fails to start gives string cells. */
export async function measureScaleOut(nodeCounts: readonly number[]): Promise<ScaleOutRow[]> {
  const ds = deployments(nodeCounts);
  log(`postgres: Encrypt and CreateKey on ${ds.map((d) => d.label).join('; ')}; each measured twice, A B … B A`);
  const running: (Running | string)[] = [];
  try {
    for (const d of ds) {
      try {
        running.push(await start(d));
      } catch (err) {
        log(`${d.label} not started: ${err instanceof Error ? err.message : String(err)}`);
        running.push(`not started: ${err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)}`);
      }
    }
    const twice = async (op: 'Encrypt' | 'CreateKey'): Promise<Cell[][]> => {
      const runs: Cell[][] = running.map(() => []);
      const order = [...running.keys(), ...[...running.keys()].reverse()];
      for (const i of order) {
        const r = running[i];
        runs[i]?.push(r === undefined || typeof r === 'string' ? (r ?? 'not run') : await measureOn(r, op));
      }
      return runs;
    };
    // Encrypt first: CreateKey leaves thousands of keys behind, which Encrypt should not see.
    const encrypt = await twice('Encrypt');
    const createKey = await twice('CreateKey');
    return ds.map((deployment, i) => {
      const e = encrypt[i] ?? [];
      const c = createKey[i] ?? [];
      return { deployment, encrypt: meanOf(e[0] ?? 'not run', e[1] ?? 'not run'), encryptRuns: e, createKey: meanOf(c[0] ?? 'not run', c[1] ?? 'not run'), createKeyRuns: c };
    });
  } finally {
    await Promise.all(running.map((r) => (typeof r === 'string' ? Promise.resolve() : stop(r))));
  }
}
