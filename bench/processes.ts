// Starting and stopping the servers under test: free loopback port, child process, /health wait, clean stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { config } from './config.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function healthStatus(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/health', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

export interface Server {
  readonly port: number;
  stop(): Promise<void>;
}

// Servers run in their own process group, so Ctrl-C on the bench does not reach them: stop them here.
const live = new Set<Server>();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    void Promise.all([...live].map((s) => s.stop())).finally(() => process.exit(130));
  });
}

/** Spawns `node <args>` in its own process group (so its cluster workers go with it) and
 *  resolves once GET /health answers 200; rejects with the child's output if it never does. */
export async function startServer(
  name: string,
  args: readonly string[],
  port: number,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 30_000,
): Promise<Server> {
  const child = spawn(process.execPath, [...profilingFlags(name), ...args], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000); // the tail is what explains a failure
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const server: Server = {
    port,
    stop: async () => {
      live.delete(server);
      await stopChild(child);
    },
  };
  live.add(server);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited) {
    if ((await healthStatus(port)) === 200) return server;
    await new Promise((r) => setTimeout(r, 200));
  }
  await server.stop();
  throw new Error(`${name} did not answer GET /health with 200 ${exited ? '(it exited)' : `within ${timeoutMs} ms`}; its output:\n${output}`);
}

/** Node refuses --cpu-prof in NODE_OPTIONS, so it goes on the command line; cluster workers
 *  inherit the primary's execArgv, so every process of the server is profiled. */
function profilingFlags(name: string): string[] {
  return config.profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${join(config.profileDir, name)}`];
}

/** SIGTERM to the primary alone, so it can shut its workers down gracefully (and profiles get
 *  written); whatever of the process group is still there after that is killed. */
async function stopChild(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const kill = (target: number, sig: NodeJS.Signals): void => {
    try {
      process.kill(target, sig);
    } catch {
      /* already gone */
    }
  };
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    kill(pid, 'SIGTERM');
    const timer = setTimeout(() => kill(-pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  // Workers that outlive their primary get a moment to finish, then are killed.
  for (let i = 0; i < 30 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  kill(-pid, 'SIGKILL');
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
