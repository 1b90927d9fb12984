// One measurement = warm-up then a timed run, with wrk when installed, else the Node generator.
import { config } from './config.js';
import { runNodeLoad } from './node-load.js';
import { watchGroupCpu, watchOthers } from './interference.js';
import type { LoadResult, LoadSpec, Measurement } from './result.js';
import { wrkAvailable, runWrk } from './wrk.js';

export const generator: 'wrk' | 'node' = config.loadgen === 'node' || !wrkAvailable() ? 'node' : 'wrk';

const run = (spec: LoadSpec): Promise<LoadResult> => (generator === 'wrk' ? runWrk(spec) : runNodeLoad(spec));

/** Warms up for config.warmupSeconds (result discarded), then measures config.durationSeconds
 *  against the server whose process group is `serverGroup`. */
export async function measure(port: number, serverGroup: number, requests: LoadSpec['requests']): Promise<Measurement> {
  const base = { port, requests, connections: config.connections };
  await run({ ...base, seconds: config.warmupSeconds });
  const others = watchOthers([serverGroup]);
  const serverCpu = watchGroupCpu(serverGroup);
  const result = await run({ ...base, seconds: config.durationSeconds });
  const serverCpuMs = serverCpu();
  return { ...result, othersCpu: others(), serverCpuUsPerRequest: serverCpuMs === undefined || result.requests === 0 ? undefined : (serverCpuMs * 1000) / result.requests };
}
