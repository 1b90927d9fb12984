// `keyhold audit export`: every matching audit event as NDJSON (one CloudTrail record per line,
// newest first) to a file or stdout, a page at a time, waiting for the output to drain before
// fetching the next, so memory stays bounded however long the trail.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { AdminConnection } from './admin-client.js';
import { eventPages } from './audit-pages.js';
import type { LookupFilters } from './audit-query-args.js';
import { CommandError } from './command-error.js';

export async function auditExport(connection: AdminConnection, filters: LookupFilters, file: string | undefined): Promise<void> {
  const out = file === undefined ? process.stdout : await openFile(file);
  // A running count on a terminal, unless the events scroll on that same terminal; a pipe or a
  // log gets nothing but the events.
  const showProgress = process.stderr.isTTY && (file !== undefined || !process.stdout.isTTY);
  const progress = (n: number, done = false): void => void (showProgress && process.stderr.write(`\r\x1b[Kexported ${n} events${done ? '\n' : ''}`));
  let failure: NodeJS.ErrnoException | undefined;
  out.on('error', (err: Error) => (failure ??= err));
  let count = 0;
  try {
    for await (const page of eventPages(connection, filters)) {
      if (page.length > 0 && !out.write(page.map((e) => `${JSON.stringify(e)}\n`).join(''))) await once(out, 'drain').catch(() => undefined);
      if (failure) break;
      count += page.length;
      progress(count);
    }
  } catch (err) {
    progress(count, true);
    if (file !== undefined) out.destroy();
    throw err instanceof CommandError ? new CommandError(`${err.message} (after ${count} events; the export is incomplete)`) : err;
  }
  progress(count, true);
  if (failure) {
    if (file !== undefined) out.destroy();
    // A reader that stopped early (`| head`) is not a failure; any other write error is.
    if (file === undefined && failure.code === 'EPIPE') return;
    throw new CommandError(`cannot write ${file ?? 'stdout'}: ${failure.code ?? failure.message}`);
  }
  if (file !== undefined) await finish(out, file);
}

/** Created or replaced, readable by its owner only: the trail says who did what with which key. */
async function openFile(path: string): Promise<Writable> {
  const stream = createWriteStream(path, { flags: 'w', mode: 0o600 });
  try {
    await once(stream, 'open');
  } catch (err) {
    throw new CommandError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return stream;
}

async function finish(stream: Writable, path: string): Promise<void> {
  stream.end();
  try {
    await once(stream, 'finish');
  } catch (err) {
    throw new CommandError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
