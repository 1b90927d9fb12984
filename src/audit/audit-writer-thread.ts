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
    db ??= openAuditDb(options.path, { busyTimeoutMs: options.busyTimeoutMs });
    appendEvents(db, events);
    reply = { batch, ok: true };
  } catch (err) {
    reply = { batch, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});
port.postMessage('ready');
