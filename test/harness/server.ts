// Starts the real keyhold server (bin/keyhold.js) as a child process for black-box tests,
// and builds official AWS SDK clients pointed at it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { KMSClient } from '@aws-sdk/client-kms';

export const projectRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const keyholdBin = join(projectRoot, 'bin', 'keyhold.js');

export const testCredentials = { accessKeyId: 'AKIATESTKEYHOLD00001', secretAccessKey: 'test-secret-access-key-0123456789abcdefgh' };

export interface StartOptions {
  readonly dataDir?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
  readonly workers?: number;
  /** Use the given port (e.g. to restart on the same one); default: a free port. */
  readonly port?: number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly process: ChildProcess;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  client(overrides?: ConstructorParameters<typeof KMSClient>[0]): KMSClient;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export const tempDir = (prefix = 'keyhold-test-'): string => mkdtempSync(join(tmpdir(), prefix));
export const removeDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });

/** Starts `keyhold serve` and waits until GET /health answers 200 (or the process exits). */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? tempDir();
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [keyholdBin, 'serve', '--port', String(port), '--data-dir', dataDir, '--workers', String(options.workers ?? 1), ...(options.args ?? [])], {
    env: {
      ...process.env,
      KEYHOLD_ADMIN_ACCESS_KEY_ID: testCredentials.accessKeyId,
      KEYHOLD_ADMIN_SECRET_ACCESS_KEY: testCredentials.secretAccessKey,
      KEYHOLD_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const scheme = options.args?.includes('--tls-cert') ? 'https' : 'http';
  const url = `${scheme}://127.0.0.1:${port}`;
  const server: RunningServer = {
    url,
    port,
    dataDir,
    process: child,
    output: () => output,
    client: (overrides) =>
      new KMSClient({ endpoint: url, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1, ...overrides }),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`keyhold exited with ${child.exitCode} before it was ready:\n${output}`);
    if (scheme === 'http' && (await healthy(url))) return server;
    if (scheme === 'https' && /keyhold listening/.test(output)) return server;
    await new Promise((r) => setTimeout(r, 50));
  }
  await server.kill();
  throw new Error(`keyhold did not become ready in 30 s:\n${output}`);
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`)).status === 200;
  } catch {
    return false;
  }
}

/** One real server for a whole test file: started before its tests (then `ready` runs, e.g. to
 *  keep the server and a client in the file's variables), stopped and its data removed after. */
export function serverForFile(ready: (server: RunningServer) => void | Promise<void>, options: StartOptions = {}): void {
  let server: RunningServer | undefined;
  before(async () => {
    server = await startServer(options);
    await ready(server);
  });
  after(async () => {
    if (!server) return;
    await server.stop();
    removeDir(server.dataDir);
  });
}
