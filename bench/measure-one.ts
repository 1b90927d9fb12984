// One measured row cell: sign requests for a server, warm up, measure, log; a failure becomes a
// string for the table rather than ending the whole bench.
import { config } from './config.js';
import { measure } from './load.js';
import type { Server } from './processes.js';
import type { Measurement } from './result.js';
import { signRequests } from './sign.js';

export const log = (msg: string): void => console.error(`[bench] ${msg}`);
export const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));
export const pct = (x: number | undefined): string => (x === undefined ? '?' : `${(x * 100).toFixed(0)}%`);

/** Measures `operation` (e.g. "Sign") on `server` with bodies from `bodyFor`; `name` labels the log. */
export async function measureRequests(name: string, server: Server, operation: string, bodyFor: (i: number) => string): Promise<Measurement | string> {
  try {
    // Signed now, used within warm-up + duration: well inside SigV4's 5-minute window.
    const requests = await signRequests({ host: '127.0.0.1', port: server.port }, operation, config.signedRequests, bodyFor);
    log(`${name}: ${config.warmupSeconds}s warm-up + ${config.durationSeconds}s`);
    const m = await measure(server.port, server.pid, requests);
    log(`${name}: ${m.rps.toFixed(0)} req/s, p50 ${m.p50Ms.toFixed(2)} ms, p99 ${m.p99Ms.toFixed(2)} ms, ${m.errors} errors, server CPU ${m.serverCpuUsPerRequest?.toFixed(0) ?? '?'} µs/request, others' CPU ${pct(m.othersCpu)}`);
    return m;
  } catch (err) {
    log(`${name} failed: ${describe(err)}`);
    return 'failed';
  }
}
