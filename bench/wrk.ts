// Drives wrk (C, epoll) with the pre-signed requests: the preferred generator, far cheaper per request than Node.
import { execFile, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { config } from './config.js';
import type { LoadResult, LoadSpec } from './result.js';
import { makeTempDir } from './tempdir.js';

// dist/bench/wrk.js -> bench/wrk-replay.lua (tsc does not copy the Lua file).
const LUA_SCRIPT = fileURLToPath(new URL('../../bench/wrk-replay.lua', import.meta.url));

export function wrkAvailable(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

interface WrkSummary {
  requests: number;
  duration_us: number;
  p50_us: number;
  p99_us: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
}

export async function runWrk(spec: LoadSpec): Promise<LoadResult> {
  const dir = makeTempDir('wrk');
  try {
    const file = join(dir.path, 'requests.bin');
    await writeFile(file, spec.requests.map((r) => `${Buffer.byteLength(r.raw)}\n${r.raw}`).join(''));
    // p50/p99 come from wrk's own latency histogram through the script's done() (in µs), not
    // from parsing the rounded `--latency` text.
    const args = [
      '-t', String(Math.min(config.wrkThreads, spec.connections)),
      '-c', String(spec.connections),
      '-d', `${spec.seconds}s`,
      '--timeout', '5s',
      '-s', LUA_SCRIPT,
      `http://127.0.0.1:${spec.port}/`,
      '--', file,
    ];
    // wrk stops itself after -d; the kill timeout only guards against a hung wrk.
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = execFile('wrk', args, { timeout: (spec.seconds + 30) * 1000 }, (err, out, errOut) => {
        process.off('exit', stop);
        if (err) reject(new Error(`wrk failed: ${err.message}\n${errOut}`));
        else resolve(out);
      });
      // If the bench is interrupted, wrk must not go on loading a server that is gone.
      const stop = (): void => void child.kill();
      process.on('exit', stop);
    });
    const line = stdout.split('\n').find((l) => l.startsWith('WRK_RESULT '));
    if (line === undefined) throw new Error(`wrk printed no summary:\n${stdout}`);
    const s = JSON.parse(line.slice('WRK_RESULT '.length)) as WrkSummary;
    const seconds = s.duration_us / 1e6;
    return {
      generator: 'wrk',
      requests: s.requests,
      seconds,
      rps: s.requests / seconds,
      p50Ms: s.p50_us / 1000,
      p99Ms: s.p99_us / 1000,
      errors: s.connect + s.read + s.write + s.status + s.timeout,
    };
  } finally {
    dir.remove();
  }
}
