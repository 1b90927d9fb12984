// A PostgreSQL server of the test's own (initdb into a temp dir, pg_ctl on a free port on
// 127.0.0.1), for tests that stop and start the database: the shared server on 5432 is used by
// other tests at the same time and must never be restarted.
//
// The binaries are found under /usr/lib/postgresql/<major>/bin (the newest major wins). initdb
// refuses to run as root, so as root every command runs as the `postgres` user (runuser) and the
// temp dir is given to it.
import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, removeDir, tempDir } from './server.js';

const run = promisify(execFile);
const POSTGRESQL_ROOT = '/usr/lib/postgresql';

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication). */
  readonly url: string;
  readonly port: number;
  /** pg_ctl stop -m fast: sessions are terminated (57P01), then the server shuts down cleanly. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP to the postmaster and its children: connections stay open but nothing answers, as
   *  with a hung server or a network partition. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** Stops the server if it runs and removes its files. Never throws. */
  destroy(): Promise<void>;
}

export type PrivatePostgresResult = { readonly kind: 'ready'; readonly pg: PrivatePostgres } | { readonly kind: 'skip'; readonly reason: string };

/** The bin directory of the newest PostgreSQL installed, if any has initdb and pg_ctl. */
export function postgresBinDir(): string | undefined {
  if (!existsSync(POSTGRESQL_ROOT)) return undefined;
  const majors = readdirSync(POSTGRESQL_ROOT).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a));
  return majors.map((v) => join(POSTGRESQL_ROOT, v, 'bin')).find((bin) => existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl')));
}

/** Creates and starts a fresh server; `destroy()` in t.after. Skips (with the reason) without binaries. */
export async function privatePostgres(): Promise<PrivatePostgresResult> {
  const bin = postgresBinDir();
  if (bin === undefined) return { kind: 'skip', reason: `no PostgreSQL binaries (initdb, pg_ctl) under ${POSTGRESQL_ROOT}/*/bin` };
  const asRoot = userInfo().uid === 0;
  const dir = tempDir('keyhold-pg-');
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const pgCommand = async (tool: string, args: readonly string[], timeoutMs: number): Promise<void> => {
    const file = join(bin, tool);
    await (asRoot ? run('runuser', ['-u', 'postgres', '--', file, ...args], { timeout: timeoutMs }) : run(file, [...args], { timeout: timeoutMs }));
  };
  if (asRoot) {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    chownSync(dir, Number(uid.stdout.trim()), Number(gid.stdout.trim()));
  }
  const port = await freePort();
  let running = false;
  let frozen: number[] = [];
  const processes = async (): Promise<number[]> => {
    const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = await run('ps', ['-o', 'pid=', '--ppid', String(postmaster)]).then((r) => r.stdout, () => '');
    return [postmaster, ...children.split('\n').map((l) => Number(l.trim())).filter((pid) => pid > 0)];
  };
  const thaw = (): void => {
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone already
      }
    }
    frozen = [];
  };
  const pg: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start: async () => {
      await pgCommand('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '30', 'start'], 40_000);
      running = true;
    },
    stop: async () => {
      running = false;
      await pgCommand('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop'], 40_000);
    },
    freeze: async () => {
      frozen = await processes();
      for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    },
    thaw: async () => thaw(),
    destroy: async () => {
      thaw();
      if (running) await pgCommand('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], 20_000).catch(() => undefined);
      running = false;
      removeDir(dir);
    },
  };
  try {
    // --no-sync: a throwaway cluster need not survive a power cut, only clean restarts.
    await pgCommand('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'], 60_000);
    // TCP on 127.0.0.1 only; no Unix socket, so nothing clashes with the system's server.
    appendFileSync(data + '/postgresql.conf', `\nport = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\nfsync = off\n`);
    await pg.start();
    return { kind: 'ready', pg };
  } catch (err) {
    await pg.destroy();
    throw err;
  }
}
