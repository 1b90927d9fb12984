// The audit sink of a process whose store is PostgreSQL. An event is durable once the INSERT into
// audit_inbox holding it has committed (PostgreSQL's own WAL, and its replicas, keep it); the
// response is sent only then. Group commit: while one INSERT is in flight, new events queue and
// the next takes them all. Chaining (pg-chain.ts) follows 100 ms after a write, on request (lookups
// and digests must see every answered request) and every second (what other nodes left behind).
// While chaining fails, recording refuses, as with SQLite: no request runs while its event could
// not reach the chain.
import type { Logger } from 'pino';
import type pg from 'pg';
import { AuditWriteError, type AuditSink } from '../audit-sink.js';
import type { AuditEvent } from '../event.js';
import { isUnavailable } from '../../store/postgres/pg-errors.js';
import { chainInbox } from './pg-chain.js';

const GATHER_MS = 100;
const FLUSH_GAP_MS = 2;
const RETRY_MS = 100;
const SWEEP_MS = 1000;

interface Waiting {
  readonly record: string;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

export class PgAuditInbox implements AuditSink {
  readonly #pool: pg.Pool;
  readonly #ready: Promise<void>;
  readonly #logger: Logger;
  readonly #sweep: NodeJS.Timeout;
  #queue: Waiting[] = [];
  #writing = false;
  #lastFlush = 0;
  #closed = false;
  #failure: AuditWriteError | undefined;
  #chaining: Promise<void> = Promise.resolve();
  #chainSoon: NodeJS.Timeout | undefined;

  /** `ready` settles once the trail's tables exist. */
  constructor(pool: pg.Pool, ready: Promise<void>, logger: Logger) {
    this.#pool = pool;
    this.#ready = ready;
    this.#logger = logger;
    this.#sweep = setInterval(() => void this.#chain().catch(() => undefined), SWEEP_MS);
    this.#sweep.unref();
  }

  record(event: AuditEvent): Promise<void> {
    if (this.#closed) return Promise.reject(new AuditWriteError('the audit trail is closed'));
    /* Precondition: the trail is keeping up; otherwise the request fails rather than run unchained. */
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      if (this.#queue.length === 0 && !this.#writing) queueMicrotask(() => void this.#flush());
      this.#queue.push({ record: JSON.stringify(event), resolve, reject });
    });
  }

  /** Resolves once a chaining pass that started after this call has finished. */
  caughtUp(): Promise<void> {
    return this.#chain();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweep);
    clearTimeout(this.#chainSoon);
    while (this.#writing || this.#queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await this.#chain().catch(() => undefined); // what is left waits in the inbox for any node
  }

  async #flush(): Promise<void> {
    this.#writing = true;
    while (this.#queue.length > 0) {
      // As the journal does (audit-journal.ts): a commit costs PostgreSQL a WAL flush whatever it
      // carries, so under load inserts start at most every FLUSH_GAP_MS and each carries many.
      const wait = this.#lastFlush + FLUSH_GAP_MS - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.#lastFlush = performance.now();
      const batch = this.#queue;
      this.#queue = [];
      try {
        await this.#ready;
        await this.#pool.query('INSERT INTO audit_inbox (record) SELECT unnest($1::text[])', [batch.map((w) => w.record)]);
        for (const w of batch) w.resolve();
        this.#chainSoon ??= setTimeout(() => void this.#chain().catch(() => undefined), GATHER_MS);
      } catch (err) {
        const why = writeError(err);
        for (const w of batch) w.reject(why);
      }
    }
    this.#writing = false;
  }

  /** Runs a pass after the one in progress (a row committed during it may have been missed). */
  #chain(): Promise<void> {
    clearTimeout(this.#chainSoon);
    this.#chainSoon = undefined;
    const pass = this.#chaining.catch(() => undefined).then(() => this.#pass());
    this.#chaining = pass;
    return pass;
  }

  async #pass(): Promise<void> {
    try {
      await this.#ready;
      await chainInbox(this.#pool);
      if (this.#failure !== undefined) this.#logger.info('the audit trail is being chained again; events are accepted');
      this.#failure = undefined;
    } catch (err) {
      if (this.#failure === undefined) this.#logger.error({ reason: err instanceof Error ? err.message : String(err) }, 'the audit trail cannot be chained; requests are refused until it can');
      this.#failure = writeError(err);
      if (!this.#closed) this.#chainSoon ??= setTimeout(() => void this.#chain().catch(() => undefined), RETRY_MS);
      throw this.#failure;
    }
  }
}

/** Every statement here runs on a pooled connection or a checked-out one whose loss is its failure,
 *  so an error without an SQLSTATE is the connection failing: the database was out of reach. */
const writeError = (err: unknown): AuditWriteError =>
  new AuditWriteError(`the audit trail could not be written: ${err instanceof Error ? err.message : String(err)}`, isUnavailable(err, { checkingOut: true, connectionLost: true }));
