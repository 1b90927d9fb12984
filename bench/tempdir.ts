// Temporary directories that are removed even when the bench dies halfway (crash, Ctrl-C, EPIPE).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const pending = new Set<string>();
// 'exit' handlers must be synchronous, hence the *Sync calls throughout.
process.once('exit', () => {
  for (const dir of pending) rmSync(dir, { recursive: true, force: true });
});

export interface TempDir {
  readonly path: string;
  remove(): void;
}

export function makeTempDir(label: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `keyhold-bench-${label}-`));
  pending.add(path);
  return {
    path,
    remove: () => {
      pending.delete(path);
      rmSync(path, { recursive: true, force: true });
    },
  };
}
