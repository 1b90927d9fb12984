// One measurement = warm-up then a timed run, with wrk when installed, else the Node generator.
import { config } from './config.js';
import { runNodeLoad } from './node-load.js';
import { watchGroupCpu, watchOthers } from './interference.js';
import type { DatabaseProbe } from './postgres-db.js';
import type { LoadResult, LoadSpec, Measurement } from './result.js';
import { wrkAvailable, runWrk } from './wrk.js';

export const generator: 'wrk' | 'node' = config.loadgen === 'node' || !wrkAvailable() ? 'node' : 'wrk';

const run = (spec: LoadSpec): Promise<LoadResult> => (generator === 'wrk' ? runWrk(spec) : runNodeLoad(spec));

/** Warms up for config.warmupSeconds (result discarded), then measures config.durationSeconds
 *  against the server whose process group is `serverGroup`. */
export async function measure(port: number, serverGroup: number, requests: LoadSpec['requests']): Promise<Measurement> {
  return measureSpread([{ port, group: serverGroup, requests }]);
}

/** One server of several measured together: its port, process group and its own signed requests. */
export interface SpreadTarget {
  readonly port: number;
  readonly group: number;
  readonly requests: LoadSpec['requests'];
  /** The database this server uses: its backends (read after warm-up, when the pool is open)
   *  count as the server's CPU, not as others', and its transactions are counted. */
  readonly database?: DatabaseProbe;
}

/** As measure(), with config.connections split evenly over the targets, one generator each, all
 *  running at once for the same bounded time. Requests, errors and req/s add up; p50 is the
 *  request-weighted mean of the generators' p50s and p99 the worst of their p99s (each generator
 *  has its own histogram); server CPU counts every target's processes and database backends. */
export async function measureSpread(targets: readonly SpreadTarget[]): Promise<Measurement> {
  const share = (i: number): number => Math.floor(config.connections / targets.length) + (i < config.connections % targets.length ? 1 : 0);
  const runAll = (seconds: number): Promise<LoadResult[]> =>
    Promise.all(targets.map((t, i) => run({ port: t.port, requests: t.requests, connections: Math.max(1, share(i)), seconds })));
  await runAll(config.warmupSeconds);
  const databases = [...new Set(targets.flatMap((t) => (t.database === undefined ? [] : [t.database])))];
  const dbPids = [...new Set((await Promise.all(databases.map((d) => d.backendPids()))).flat())];
  const transactions = (): Promise<number> => Promise.all(databases.map((d) => d.transactions())).then((ns) => ns.reduce((a, n) => a + n, 0));
  const xactsBefore = await transactions();
  const groups = targets.map((t) => t.group);
  const others = watchOthers(groups, dbPids);
  const serverCpu = watchGroupCpu(groups, dbPids);
  const dbCpu = dbPids.length === 0 ? undefined : watchGroupCpu([], dbPids);
  const results = await runAll(config.durationSeconds);
  const serverCpuMs = serverCpu();
  const dbCpuMs = dbCpu?.();
  const xacts = databases.length === 0 ? undefined : (await transactions()) - xactsBefore - databases.length; // less the probe's own
  const requests = results.reduce((a, r) => a + r.requests, 0);
  const first = results[0];
  if (first === undefined) throw new Error('measureSpread: no targets');
  const result: LoadResult = results.length === 1 ? first : {
    generator: first.generator,
    requests,
    seconds: Math.max(...results.map((r) => r.seconds)),
    rps: results.reduce((a, r) => a + r.rps, 0),
    p50Ms: requests === 0 ? NaN : results.reduce((a, r) => a + r.p50Ms * r.requests, 0) / requests,
    p99Ms: Math.max(...results.map((r) => r.p99Ms)),
    errors: results.reduce((a, r) => a + r.errors, 0),
  };
  const perRequest = (ms: number | undefined): number | undefined => (ms === undefined || requests === 0 ? undefined : (ms * 1000) / requests);
  return { ...result, othersCpu: others(), serverCpuUsPerRequest: perRequest(serverCpuMs), ...(dbCpu !== undefined && { databaseCpuUsPerRequest: perRequest(dbCpuMs) }),
    ...(xacts !== undefined && { databaseTransactionsPerRequest: requests === 0 ? undefined : xacts / requests }) };
}
