// The event loop's side of the ingester thread (ingester-thread.ts): tells it when the journal has
// grown, asks it to catch up, and keeps its last verdict, which the journal checks before every
// event: while chaining fails, the trail refuses new events.
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { AuditWriteError } from './audit-sink.js';
import type { IngesterOptions, IngesterReply, IngesterRequest } from './ingester-thread.js';

export class IngesterThread {
  readonly #worker: Worker;
  readonly #logger: Logger;
  readonly #waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  #next = 0;
  #failure: AuditWriteError | undefined;
  #exited = false;
  #noticed = false;

  constructor(options: IngesterOptions, logger: Logger) {
    this.#logger = logger;
    this.#worker = new Worker(new URL('./ingester-thread.js', import.meta.url), { workerData: options });
    this.#worker.unref();
    this.#worker.on('message', (reply: IngesterReply) => this.#onReply(reply));
    this.#worker.on('error', (err) => this.#fail(`the audit ingester thread failed: ${err.message}`));
    this.#worker.on('exit', () => {
      this.#exited = true;
      this.#fail('the audit ingester thread exited');
    });
  }

  /** Set while events cannot be chained into audit.db. */
  get failure(): AuditWriteError | undefined {
    return this.#failure;
  }

  /** The journal grew. One notice until the thread answers, since its pass chains everything there
   *  is by then (a write racing that pass waits for the next notice or the thread's 1 s sweep). */
  written(): void {
    if (this.#noticed) return;
    this.#noticed = true;
    this.#send({ kind: 'written' });
  }

  catchUp(): Promise<void> {
    return this.#ask({ kind: 'catch-up', id: ++this.#next });
  }

  /** Chains what is left (with `writer`'s segments sealed: it writes no more), then ends the thread. */
  async close(writer: string): Promise<void> {
    try {
      await this.#ask({ kind: 'close', id: ++this.#next, closedWriter: writer });
    } finally {
      await this.#worker.terminate();
    }
  }

  #ask(request: Extract<IngesterRequest, { id: number }>): Promise<void> {
    if (this.#exited) return Promise.reject(this.#failure ?? new AuditWriteError('the audit ingester thread exited'));
    return new Promise((resolve, reject) => {
      this.#waiting.set(request.id, { resolve, reject });
      this.#worker.ref(); // an answer is awaited: keep the process alive for it
      this.#send(request);
    });
  }

  #send(request: IngesterRequest): void {
    if (!this.#exited) this.#worker.postMessage(request);
  }

  #onReply(reply: IngesterReply): void {
    this.#noticed = false;
    if (reply.ok) {
      if (this.#failure !== undefined) this.#logger.info('the audit trail is being chained again; events are accepted');
      this.#failure = undefined;
    } else {
      if (this.#failure === undefined) this.#logger.error({ reason: reply.message }, 'the audit trail cannot be chained; requests are refused until it can');
      this.#failure = new AuditWriteError(`the audit trail could not be written: ${reply.message}`);
    }
    for (const torn of reply.tornTails) this.#logger.warn(torn, 'skipped the torn end of a dead process\'s audit journal (an event it never acknowledged)');
    for (const id of reply.answers) {
      const waiting = this.#waiting.get(id);
      this.#waiting.delete(id);
      if (reply.ok) waiting?.resolve();
      else waiting?.reject(this.#failure ?? new AuditWriteError('the audit trail could not be written'));
    }
    if (this.#waiting.size === 0) this.#worker.unref();
  }

  #fail(message: string): void {
    this.#failure ??= new AuditWriteError(message);
    for (const waiting of this.#waiting.values()) waiting.reject(this.#failure);
    this.#waiting.clear();
  }
}
