// One measured row cell: sign requests for a server (or several sharing the load), warm up, measure, log; a failure becomes a
// string for the table rather than ending the whole bench.
import { config } from './config.js';
import { measureSpread, type SpreadTarget } from './load.js';
import type { Server } from './processes.js';
import type { DatabaseProbe } from './postgres-db.js';
import type { Measurement } from './result.js';
import { signRequests } from './sign.js';

export const log = (msg: string): void => console.error(`[bench] ${msg}`);
export const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));
export const pct = (x: number | undefined): string => (x === undefined ? '?' : `${(x * 100).toFixed(0)}%`);

/** Measures `operation` (e.g. "Sign") on `server` with bodies from `bodyFor`; `name` labels the log. */
export function measureRequests(name: string, server: Server, operation: string, bodyFor: (i: number) => string): Promise<Measurement | string> {
  return measureOnNodes(name, [server], operation, bodyFor);
}

/** As measureRequests, with the load spread over several servers at once (measureSpread);
 *  `database` is the PostgreSQL database they share, if any. */
export async function measureOnNodes(
  name: string, servers: readonly Server[], operation: string, bodyFor: (i: number) => string, database?: DatabaseProbe,
): Promise<Measurement | string> {
  try {
    // Signed now, used within warm-up + duration: well inside SigV4's 5-minute window.
    const targets: SpreadTarget[] = await Promise.all(servers.map(async (s) => ({
      port: s.port, group: s.pid, requests: await signRequests({ host: '127.0.0.1', port: s.port }, operation, config.signedRequests, bodyFor),
    })));
    if (database !== undefined && targets[0] !== undefined) targets[0] = { ...targets[0], database };
    log(`${name}: ${config.warmupSeconds}s warm-up + ${config.durationSeconds}s`);
    const m = await measureSpread(targets);
    log(`${name}: ${m.rps.toFixed(0)} req/s, p50 ${m.p50Ms.toFixed(2)} ms, p99 ${m.p99Ms.toFixed(2)} ms, ${m.errors} errors, server CPU ${m.serverCpuUsPerRequest?.toFixed(0) ?? '?'} µs/request${m.databaseCpuUsPerRequest === undefined ? '' : ` (PostgreSQL backends ${m.databaseCpuUsPerRequest.toFixed(0)})`}${m.databaseTransactionsPerRequest === undefined ? '' : `, PostgreSQL transactions/request ${m.databaseTransactionsPerRequest.toFixed(3)}`}, others' CPU ${pct(m.othersCpu)}`);
    return m;
  } catch (err) {
    log(`${name} failed: ${describe(err)}`);
    return 'failed';
  }
}
