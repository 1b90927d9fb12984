// The audit writer thread: appends each batch the event loop sends to audit.db and answers when it
// is durable. Its own thread, because a commit waits for fsync (about half a millisecond here) and
// the event loop must go on serving meanwhile. Nothing here logs: events are answered, not printed.
import { parentPort, workerData } from 'node:worker_threads';
import { appendEvents, openAuditDb, type PendingEvent } from './audit-db.js';

export interface WriterOptions {
  readonly path: string;
  readonly busyTimeoutMs: number;
}
export type WriterReply = { readonly batch: number; readonly ok: true } | { readonly batch: number; readonly ok: false; readonly message: string };

if (parentPort === null) throw new Error('audit-writer-thread.js runs only as a worker thread');
const port = parentPort;
const options = workerData as WriterOptions;
let db: ReturnType<typeof openAuditDb> | undefined;

port.on('message', ({ batch, events }: { batch: number; events: readonly PendingEvent[] }) => {
  let reply: WriterReply;
  try {
    // busy_timeout 0: this thread waits for another process's lock itself, in 0.2 ms steps,
    // instead of SQLite's busy handler, which sleeps whole milliseconds (1, 2, 5, 10…).
    db ??= openAuditDb(options.path, { busyTimeoutMs: 0 });
    appendWhenFree(db, events);
    reply = { batch, ok: true };
  } catch (err) {
    reply = { batch, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});
port.postMessage('ready');

const pause = new Int32Array(new SharedArrayBuffer(4));
const LOCK_POLL_MS = 0.2;

function appendWhenFree(db: ReturnType<typeof openAuditDb>, events: readonly PendingEvent[]): void {
  const deadline = performance.now() + options.busyTimeoutMs;
  for (;;) {
    try {
      return appendEvents(db, events);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'SQLITE_BUSY' || performance.now() >= deadline) throw err;
      Atomics.wait(pause, 0, 0, LOCK_POLL_MS);
    }
  }
}
