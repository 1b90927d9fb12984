// Where the endpoints record events. record() resolves once the event is durable in audit.db, and
// the response is sent only then. Group commit: while one batch is being written, new events queue,
// and the next write takes them all, so the fsync is shared by every request in flight.
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { PendingEvent } from './audit-db.js';
import type { WriterOptions, WriterReply } from './audit-writer-thread.js';
import { indexOf, type AuditEvent } from './event.js';

export interface AuditSink {
  /** Resolves when the event is durable; rejects when it cannot be recorded (the request then fails). */
  record(event: AuditEvent): Promise<void>;
  close(): Promise<void>;
}

/** Records nothing: for `npm run bench`'s comparison only (KEYHOLD_AUDIT=off). */
export const nullAuditSink: AuditSink = { record: () => Promise.resolve(), close: () => Promise.resolve() };

/** An event as the writer stores it: its exact text (what the chain hashes) and its index columns. */
export const pendingOf = (event: AuditEvent): PendingEvent => ({ eventId: event.eventID, record: JSON.stringify(event), index: indexOf(event) });

/** A new eventID (CloudTrail uses a UUID). */
export const newEventId = (): string => randomUUID();

interface Waiting {
  readonly event: PendingEvent;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

export class AuditWriteError extends Error {}

export class AuditLog implements AuditSink {
  readonly #worker: Worker;
  #queue: Waiting[] = [];
  #inFlight: Waiting[] | undefined;
  #batch = 0;
  #failure: Error | undefined;

  constructor(options: WriterOptions) {
    this.#worker = new Worker(new URL('./audit-writer-thread.js', import.meta.url), { workerData: options });
    this.#worker.unref();
    this.#worker.on('message', (reply: WriterReply | 'ready') => {
      if (reply !== 'ready') this.#settle(reply);
    });
    this.#worker.on('error', (err) => (this.#failure = new AuditWriteError(`the audit writer thread failed: ${err.message}`)));
    this.#worker.on('exit', () => {
      this.#failure ??= new AuditWriteError('the audit writer thread exited');
      this.#fail([...(this.#inFlight ?? []), ...this.#queue.splice(0)], this.#failure);
      this.#inFlight = undefined;
    });
  }

  record(event: AuditEvent): Promise<void> {
    return this.recordPending(pendingOf(event));
  }

  /** An event already in its stored form (from a cluster worker: see audit-ipc.ts). */
  recordPending(pending: PendingEvent): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      // Written at the end of this turn, not at once: events recorded in the same turn (a cluster
      // worker's message holds several) then share one commit instead of the first going alone.
      if (this.#queue.length === 0) queueMicrotask(() => this.#write());
      this.#queue.push({ event: pending, resolve, reject });
    });
  }

  /** Waits for what is queued, then ends the thread. */
  async close(): Promise<void> {
    while ((this.#inFlight !== undefined || this.#queue.length > 0) && !this.#failure) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await this.#worker.terminate();
  }

  #write(): void {
    if (this.#inFlight !== undefined || this.#queue.length === 0) return;
    this.#inFlight = this.#queue;
    this.#queue = [];
    this.#worker.ref(); // unwritten events keep the process alive
    this.#worker.postMessage({ batch: ++this.#batch, events: this.#inFlight.map((w) => w.event) });
  }

  #settle(reply: WriterReply): void {
    const done = this.#inFlight ?? [];
    this.#inFlight = undefined;
    this.#worker.unref();
    if (reply.ok) for (const w of done) w.resolve();
    else this.#fail(done, new AuditWriteError(`the audit trail could not be written: ${reply.message}`));
    this.#write();
  }

  #fail(waiting: readonly Waiting[], err: Error): void {
    for (const w of waiting) w.reject(err);
  }
}
