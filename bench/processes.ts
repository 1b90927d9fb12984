// Starting and stopping the servers under test: free loopback port, child process, /health wait, clean stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { config } from './config.js';
import { makeTempDir } from './tempdir.js';

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
  /** The primary's pid, which is also the process group id of the primary and its workers. */
  readonly pid: number;
  stop(): Promise<void>;
}

// Servers run in their own process group, so Ctrl-C on the bench does not reach them: stop them
// here, gracefully on a signal, and by force if the bench dies some other way (a crash, EPIPE).
const live = new Map<Server, number>(); // server -> process group id
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    void Promise.all([...live.keys()].map((s) => s.stop())).finally(() => process.exit(130));
  });
}
// Prepended: before tempdir.ts removes their directories.
process.prependOnceListener('exit', () => {
  for (const pgid of live.values()) kill(-pgid, 'SIGKILL');
});

function kill(target: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(target, sig);
    return true;
  } catch {
    return false; // already gone
  }
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
  // Output goes to a file, not through this process: keyhold logs every request, and reading
  // that here would take CPU from the server on a 2-core machine. The tail explains failures.
  const logDir = makeTempDir(`${name}-log`);
  const logFile = join(logDir.path, 'output.log');
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...profilingFlags(name), ...args], { env, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const tail = (): string => readFileSync(logFile, 'utf8').slice(-4000);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const server: Server = {
    port,
    pid: child.pid ?? -1,
    stop: async () => {
      live.delete(server);
      await stopChild(child);
      logDir.remove();
    },
  };
  if (child.pid !== undefined) live.set(server, child.pid);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited) {
    if ((await healthStatus(port)) === 200) return server;
    await new Promise((r) => setTimeout(r, 200));
  }
  const output = tail();
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
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    kill(pid, 'SIGTERM');
    const timer = setTimeout(() => kill(-pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  // Workers that outlive their primary get a moment to finish, then are killed.
  for (let i = 0; i < 30 && kill(-pid, 0); i++) await new Promise((r) => setTimeout(r, 100));
  kill(-pid, 'SIGKILL');
}
