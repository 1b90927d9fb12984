// One measurement = warm-up then a timed run, with wrk when installed, else the Node generator.
import { config } from './config.js';
import { runNodeLoad } from './node-load.js';
import type { LoadResult, LoadSpec } from './result.js';
import { wrkAvailable, runWrk } from './wrk.js';

export const generator: 'wrk' | 'node' = config.loadgen === 'node' || !wrkAvailable() ? 'node' : 'wrk';

const run = (spec: LoadSpec): Promise<LoadResult> => (generator === 'wrk' ? runWrk(spec) : runNodeLoad(spec));

/** Warms up for config.warmupSeconds (result discarded), then measures config.durationSeconds. */
export async function measure(port: number, requests: LoadSpec['requests']): Promise<LoadResult> {
  const base = { port, requests, connections: config.connections };
  await run({ ...base, seconds: config.warmupSeconds });
  return run({ ...base, seconds: config.durationSeconds });
}
