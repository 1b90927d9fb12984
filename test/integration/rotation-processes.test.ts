// Two scheduler processes on one SQLite file, as two keyhold workers (or two nodes on a shared
// store) run them: a due key rotates once in total, and neither process fails on the file lock.
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { CreateKeyCommand, EnableKeyRotationCommand } from '@aws-sdk/client-kms';
import { DAY_MS, TestClock } from '../../src/core/clock.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { removeDir, tempDir } from '../harness/server.js';
import { startInProcess } from '../harness/in-process.js';
import type { FixtureMessage } from './fixtures/rotate-once.js';

const fixture = fileURLToPath(new URL('./fixtures/rotate-once.js', import.meta.url));
/** Passes per process; after the first, each must find nothing due. */
const RUNS = 20;

interface Scheduler {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  /** What the process reported after "go", once it has exited. */
  readonly done: Promise<{ report: FixtureMessage | undefined; exitCode: number | null; stderr: string }>;
}

function startScheduler(dataDir: string, nowMs: number): Scheduler {
  // execArgv: [] so the child does not inherit the test runner's flags.
  const child = fork(fixture, [dataDir, String(nowMs), String(RUNS)], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  let report: FixtureMessage | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m: FixtureMessage) => (('ready' in m) ? resolve() : (report = m)));
    child.once('exit', (code) => reject(new Error(`scheduler exited (${code}) before it was ready:\n${stderr}`)));
  });
  const done = new Promise<{ report: FixtureMessage | undefined; exitCode: number | null; stderr: string }>((resolve) =>
    child.once('exit', (exitCode) => resolve({ report, exitCode, stderr })),
  );
  return { child, ready, done };
}

test('two scheduler processes on one store rotate a due key once, without SQLITE_BUSY', { timeout: 60_000 }, async (t) => {
  const dir = tempDir();
  const schedulers: Scheduler[] = [];
  t.after(() => {
    for (const s of schedulers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    removeDir(dir);
  });

  // The key is made through the API, then the server is closed: the two processes are then the
  // only ones on the file.
  const clock = new TestClock();
  const server = await startInProcess(dir, clock);
  const keyId = (await server.client().send(new CreateKeyCommand({}))).KeyMetadata?.KeyId ?? '';
  await server.client().send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
  await server.close();
  clock.advance(90 * DAY_MS);

  schedulers.push(startScheduler(dir, clock.now().getTime()), startScheduler(dir, clock.now().getTime()));
  await Promise.all(schedulers.map((s) => s.ready));
  // Both have opened the store; "go" to both at once, so both first passes read the key as due
  // and race for the write lock. The loser must wait on the busy timeout, then see it rotated.
  for (const s of schedulers) s.child.send('go');
  const results = await Promise.all(schedulers.map((s) => s.done));

  const rotated: string[] = [];
  for (const { report, exitCode, stderr } of results) {
    assert.ok(report && !('error' in report), `a scheduler process failed: ${JSON.stringify(report)}\n${stderr}`);
    assert.equal(exitCode, 0, stderr);
    if ('rotated' in report) rotated.push(...report.rotated);
  }
  assert.equal(rotated.length, 1, `rotations reported across both processes: ${JSON.stringify(rotated)}`);

  // The store agrees: the original material plus one AUTOMATIC one.
  const store = SqliteStore.open(join(dir, 'keyhold.db'));
  try {
    const materials = await store.read((tx) => tx.listMaterials(keyId));
    assert.deepEqual(materials.map((m) => m.rotationType), [null, 'AUTOMATIC']);
  } finally {
    await store.close();
  }
});
