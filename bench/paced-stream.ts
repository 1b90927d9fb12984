// A light request stream at a fixed rate (open loop): each request leaves at its scheduled time
// whatever happened to the previous ones, and its latency counts from that time, so a server that
// stalls is charged for the whole stall (no coordinated omission). Used to see whether the event
// loop stays responsive while other load saturates the server. The client shares the machine's
// cores with that load too, so its own event-loop delay is reported beside the latencies: a
// latency no longer than the client's own stall may be the client's, not the server's.
import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { SignedRequest } from './sign.js';

export interface StreamResult {
  readonly sent: number;
  /** Responses that were not 2xx, socket errors and timeouts. */
  readonly errors: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** The client's own event-loop delay meanwhile, p99 and max. */
  readonly clientDelayP99Ms: number;
  readonly clientDelayMaxMs: number;
}

const percentile = (sorted: Float64Array, p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

function send(agent: Agent, port: number, r: SignedRequest): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ agent, host: '127.0.0.1', port, method: 'POST', path: '/', headers: r.headers, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end(r.body);
  });
}

/** Sends `ratePerSecond` requests a second for `seconds`, cycling `requests`, over keep-alive
 *  connections (enough that a slow answer never holds up the next request). */
export async function pacedStream(port: number, requests: readonly SignedRequest[], ratePerSecond: number, seconds: number): Promise<StreamResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const clientDelay = monitorEventLoopDelay({ resolution: 1 });
  clientDelay.enable();
  const interval = 1000 / ratePerSecond;
  const count = Math.floor(ratePerSecond * seconds);
  const start = performance.now() + 50;
  const results: Promise<{ ok: boolean; ms: number }>[] = [];
  for (let i = 0; i < count; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const r = requests[i % requests.length];
    if (r === undefined) break;
    results.push(send(agent, port, r).then((ok) => ({ ok, ms: performance.now() - due })));
  }
  const done = await Promise.all(results);
  clientDelay.disable();
  agent.destroy();
  const sorted = Float64Array.from(done.map((d) => d.ms)).sort();
  return {
    sent: done.length,
    errors: done.filter((d) => !d.ok).length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? NaN,
    clientDelayP99Ms: clientDelay.percentile(99) / 1e6,
    clientDelayMaxMs: clientDelay.max / 1e6,
  };
}
