// Every file a server keeps under its data dir, however deep (the audit journal is a subdirectory):
// what tests search for secrets that must not be stored.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Paths of the regular files under `dir`, relative to it. */
export const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name).slice(dir.length + 1));
