// Runs `keyhold` as a child process with an environment the test controls completely (unlike
// startServer, which always adds the test administrator's credentials), for start-up behaviour:
// refusals, generated credentials, root key sources.
import { spawn, type ChildProcess } from 'node:child_process';
import { keyholdBin } from './server.js';

export interface KeyholdProcess {
  readonly process: ChildProcess;
  /** Everything printed so far: stdout, stderr, and both together. */
  stdout(): string;
  stderr(): string;
  output(): string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | string>;
}

/** This process's environment without any KEYHOLD_* variable (so nothing the test did not ask
 *  for, such as administrator credentials, reaches keyhold), plus `add`. */
export function cleanEnv(add: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('KEYHOLD_')) env[name] = value;
  return { ...env, ...add };
}

/** Spawns `node bin/keyhold.js ...args` with exactly `env`. */
export function spawnKeyhold(args: readonly string[], env: NodeJS.ProcessEnv): KeyholdProcess {
  const child = spawn(process.execPath, [keyholdBin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let all = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    all += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    all += d.toString();
  });
  // 'close' (not 'exit') so that everything the process printed has been read.
  const exited = new Promise<number | string>((resolve) => child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return {
    process: child,
    stdout: () => out,
    stderr: () => err,
    output: () => all,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs keyhold expecting it to exit by itself; kills it and throws after `timeoutMs`. */
export async function runToExit(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const p = spawnKeyhold(args, env);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      p.process.kill('SIGKILL');
      reject(new Error(`keyhold ${args.join(' ')} did not exit within ${timeoutMs} ms:\n${p.output()}`));
    }, timeoutMs);
  });
  try {
    const code = await Promise.race([p.exited, timeout]);
    return { code, stdout: p.stdout(), stderr: p.stderr() };
  } finally {
    clearTimeout(timer);
  }
}

/** Polls GET `url`/health until 200, or fails when the process exits first or time runs out. */
export async function waitHealthy(p: KeyholdProcess, url: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (p.process.exitCode !== null || p.process.signalCode !== null) throw new Error(`keyhold exited before it was ready:\n${p.output()}`);
    try {
      if ((await fetch(`${url}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`keyhold was not healthy within ${timeoutMs} ms:\n${p.output()}`);
}
