// A pool of worker threads for the cryptography too slow for the event loop (RSA-3072/4096
// signing, ML-DSA, the pure-JS curves): while a thread computes, the process keeps serving.
// Threads start on first use, one job at a time each; jobs wait in a bounded queue. A thread that
// dies or overruns its time fails its job (never leaves it hanging) and is replaced on demand.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { KmsError } from '../core/errors.js';
import type { CryptoJob, CryptoResult } from './crypto-jobs.js';

export interface CryptoPoolOptions {
  /** Threads at most; default one per core the process may use. */
  readonly size?: number;
  /** Jobs that may wait for a thread; beyond that a request is refused (ThrottlingException). */
  readonly maxQueue?: number;
  /** A job running longer than this ends its thread and fails. */
  readonly jobTimeoutMs?: number;
  /** The thread's module (tests give one that misbehaves); default the crypto thread. */
  readonly script?: URL;
}

/** A job the pool could not complete. Not a KmsError: the HTTP edge logs it with the request id
 *  and answers KMSInternalException. Its message names no key material. */
export class CryptoPoolError extends Error {
  override readonly name = 'CryptoPoolError';
}

/** What the thread answers (see worker-pool-thread.ts). */
export type ThreadReply = { readonly id: number; readonly ok: true; readonly result: unknown } | { readonly id: number; readonly ok: false; readonly message: string };
/** What a thread sends once its modules are loaded: a job's time runs from then, not from spawn. */
export const THREAD_READY = 'ready';

interface Queued {
  readonly id: number;
  readonly job: CryptoJob;
  readonly resolve: (result: unknown) => void;
  readonly reject: (err: Error) => void;
}

interface Thread {
  readonly worker: Worker;
  job?: Queued | undefined;
  timer?: NodeJS.Timeout | undefined;
  /** Whether the thread has loaded and said so; a new thread's start-up does not count as job time. */
  ready?: boolean;
  /** Why the thread is ending, when the pool ended it. */
  ending?: string;
}

const DEFAULT_SCRIPT = new URL('./worker-pool-thread.js', import.meta.url);

export class CryptoPool {
  readonly size: number;
  readonly #maxQueue: number;
  readonly #jobTimeoutMs: number;
  readonly #script: URL;
  readonly #threads = new Set<Thread>();
  readonly #queue: Queued[] = [];
  #nextId = 1;
  #closed = false;

  constructor(options: CryptoPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? availableParallelism());
    this.#maxQueue = options.maxQueue ?? this.size * 64;
    this.#jobTimeoutMs = options.jobTimeoutMs ?? 30_000;
    this.#script = options.script ?? DEFAULT_SCRIPT;
  }

  /** Threads running now (they start on demand and are replaced when they die). */
  get threads(): number {
    return this.#threads.size;
  }

  /** Runs `job` on a thread. Rejects with CryptoPoolError when the thread fails, and with
   *  ThrottlingException when the queue is full. */
  run<J extends CryptoJob>(job: J): Promise<CryptoResult<J>> {
    if (this.#closed) return Promise.reject(new CryptoPoolError('the crypto pool is closed'));
    if (this.#queue.length >= this.#maxQueue) {
      return Promise.reject(new KmsError('ThrottlingException', 'Too many slow cryptographic operations are waiting; retry later.'));
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, job, resolve: resolve as (result: unknown) => void, reject });
      this.#dispatch();
    });
  }

  /** Fails waiting and running jobs, then ends every thread. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const queued of this.#queue.splice(0)) queued.reject(new CryptoPoolError('the crypto pool is closed'));
    await Promise.all([...this.#threads].map((thread) => this.#end(thread, 'the crypto pool is closing')));
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let thread = [...this.#threads].find((t) => t.job === undefined && t.ending === undefined);
      if (thread === undefined) {
        if (this.#threads.size >= this.size) return;
        thread = this.#spawn();
      }
      const queued = this.#queue.shift();
      if (queued !== undefined) this.#assign(thread, queued);
    }
  }

  #spawn(): Thread {
    const thread: Thread = { worker: new Worker(this.#script) };
    this.#threads.add(thread);
    thread.worker.unref(); // only a thread with a job keeps the process alive (#assign)
    thread.worker.on('message', (reply: ThreadReply | typeof THREAD_READY) => {
      if (reply !== THREAD_READY) return this.#settle(thread, reply);
      thread.ready = true;
      if (thread.job !== undefined) this.#startTimer(thread);
    });
    // An uncaught exception ends the thread; 'exit' follows and fails its job.
    thread.worker.on('error', (err) => (thread.ending ??= `crypto worker thread failed: ${err.message}`));
    thread.worker.on('exit', (code) => {
      this.#threads.delete(thread);
      clearTimeout(thread.timer);
      const job = thread.job;
      thread.job = undefined;
      job?.reject(new CryptoPoolError(thread.ending ?? `crypto worker thread exited with code ${code}`));
      if (!this.#closed) this.#dispatch();
    });
    return thread;
  }

  #assign(thread: Thread, queued: Queued): void {
    try {
      thread.worker.postMessage({ id: queued.id, job: queued.job });
    } catch (err) {
      // A job that cannot be cloned (a bug in the caller) fails alone; the thread stays free.
      queued.reject(new CryptoPoolError(`crypto job could not be sent to a thread: ${(err as Error).message}`));
      return;
    }
    thread.job = queued;
    thread.worker.ref();
    if (thread.ready === true) this.#startTimer(thread);
  }

  #startTimer(thread: Thread): void {
    thread.timer = setTimeout(() => void this.#end(thread, `crypto job took longer than ${this.#jobTimeoutMs} ms`), this.#jobTimeoutMs);
  }

  #settle(thread: Thread, reply: ThreadReply): void {
    const job = thread.job;
    if (job === undefined || reply.id !== job.id) return;
    clearTimeout(thread.timer);
    thread.job = undefined;
    thread.worker.unref();
    if (reply.ok) job.resolve(reply.result);
    else job.reject(new CryptoPoolError(reply.message));
    this.#dispatch();
  }

  async #end(thread: Thread, why: string): Promise<void> {
    thread.ending ??= why;
    await thread.worker.terminate();
  }
}
