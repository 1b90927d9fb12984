// With several worker processes, one writer: workers send their events to the cluster primary,
// whose AuditLog appends them all, and answer a request only when the primary says its event is
// durable. One writer means no process waits on another's lock (SQLite's busy handler sleeps in
// steps of milliseconds, which every request would feel) and the group commits are larger.
import cluster, { type Worker } from 'node:cluster';
import { AuditWriteError, pendingOf, type AuditLog, type AuditSink } from './audit-log.js';
import type { PendingEvent } from './audit-db.js';
import type { AuditEvent } from './event.js';

const RECORD = 'keyhold-audit-record';
const ACK = 'keyhold-audit-ack';

interface RecordMessage {
  readonly kind: typeof RECORD;
  readonly events: readonly { readonly id: number; readonly event: PendingEvent }[];
}
interface AckMessage {
  readonly kind: typeof ACK;
  readonly done: readonly number[];
  readonly failed: readonly { readonly id: number; readonly message: string }[];
}

/** A worker's audit sink: events go to the primary in one message per turn of the event loop. */
export class ClusterAuditSink implements AuditSink {
  #next = 0;
  readonly #waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  #outbox: { id: number; event: PendingEvent }[] = [];

  constructor() {
    process.on('message', (message: unknown) => {
      if (isAck(message)) this.#settle(message);
    });
  }

  record(event: AuditEvent): Promise<void> {
    const id = ++this.#next;
    if (this.#outbox.length === 0) setImmediate(() => this.#flush());
    this.#outbox.push({ id, event: pendingOf(event) });
    return new Promise((resolve, reject) => this.#waiting.set(id, { resolve, reject }));
  }

  /** Waits (a bounded time) for the primary to answer what was sent. */
  async close(): Promise<void> {
    for (let waited = 0; this.#waiting.size > 0 && waited < 10_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  }

  #flush(): void {
    const events = this.#outbox;
    this.#outbox = [];
    const message: RecordMessage = { kind: RECORD, events };
    const failAll = (why: string): void => {
      for (const { id } of events) this.#take(id)?.reject(new AuditWriteError(why));
    };
    if (process.send === undefined || !process.connected) return failAll('the audit writer (cluster primary) is not reachable');
    process.send(message, undefined, undefined, (err) => {
      if (err) failAll(`the audit writer (cluster primary) is not reachable: ${err.message}`);
    });
  }

  #settle(ack: AckMessage): void {
    for (const id of ack.done) this.#take(id)?.resolve();
    for (const { id, message } of ack.failed) this.#take(id)?.reject(new AuditWriteError(message));
  }

  #take(id: number): { resolve: () => void; reject: (err: Error) => void } | undefined {
    const waiting = this.#waiting.get(id);
    this.#waiting.delete(id);
    return waiting;
  }
}

/** In the primary: appends every worker's events with `log` and answers each worker per message. */
export function serveClusterAudit(log: AuditLog): void {
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isRecord(message)) return;
    void Promise.allSettled(message.events.map(({ event }) => log.recordPending(event))).then((results) => {
      const done: number[] = [];
      const failed: { id: number; message: string }[] = [];
      results.forEach((result, i) => {
        const id = message.events[i]?.id ?? 0;
        if (result.status === 'fulfilled') done.push(id);
        else failed.push({ id, message: result.reason instanceof Error ? result.reason.message : 'the audit trail could not be written' });
      });
      const ack: AckMessage = { kind: ACK, done, failed };
      if (worker.isConnected()) worker.send(ack);
    });
  });
}

const isRecord = (m: unknown): m is RecordMessage => typeof m === 'object' && m !== null && (m as { kind?: unknown }).kind === RECORD && Array.isArray((m as RecordMessage).events);
const isAck = (m: unknown): m is AckMessage => typeof m === 'object' && m !== null && (m as { kind?: unknown }).kind === ACK;
