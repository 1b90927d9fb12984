// Fallback load generator when wrk is absent: N keep-alive request loops in this process.
// It costs far more CPU per request than wrk, which competes with the server on a small machine.
import { Agent, request } from 'node:http';
import type { LoadResult, LoadSpec } from './result.js';

/** Hard cap on requests per run, in addition to the time bound. */
const MAX_REQUESTS = 5_000_000;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function send(agent: Agent, port: number, r: LoadSpec['requests'][number]): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { agent, host: '127.0.0.1', port, method: 'POST', path: '/', headers: r.headers, timeout: 5000 },
      (res) => {
        res.resume(); // drain: the figures are about the server, not about parsing its answer
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end(r.body);
  });
}

export async function runNodeLoad(spec: LoadSpec): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const start = performance.now();
  const deadline = start + spec.seconds * 1000;

  const loop = async (offset: number): Promise<void> => {
    let i = offset;
    while (performance.now() < deadline && next < MAX_REQUESTS) {
      next++;
      const r = spec.requests[i++ % spec.requests.length];
      if (r === undefined) return;
      const t0 = performance.now();
      const status = await send(agent, spec.port, r);
      latencies.push(performance.now() - t0);
      if (status < 200 || status > 299) errors++;
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, (_, c) => loop(c * 97)));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();

  const sorted = Float64Array.from(latencies).sort();
  return {
    generator: 'node',
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    errors,
  };
}
