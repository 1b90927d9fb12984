// The audit sink of a process whose store is PostgreSQL. An event is durable once the INSERT into
// audit_inbox holding it has committed (PostgreSQL's own WAL, and its replicas, keep it); the
// response is sent only then, with group commit (group-commit.ts: a commit costs PostgreSQL a WAL
// flush whatever it carries, so under load INSERTs start at most every FLUSH_GAP_MS). Chaining
// (pg-chain.ts) follows 100 ms after a write, on request (lookups and digests must see every
// answered request) and every second (what other nodes left behind). While chaining fails,
// recording refuses, as with SQLite: no request runs while its event could not reach the chain.
import type { Logger } from 'pino';
import type pg from 'pg';
import { AuditWriteError, type AuditSink } from '../audit-sink.js';
import type { AuditEvent } from '../event.js';
import { isUnavailable } from '../../store/postgres/pg-errors.js';
import { GroupCommit } from '../group-commit.js';
import { chainInbox } from './pg-chain.js';

const GATHER_MS = 100;
const FLUSH_GAP_MS = 2;
const RETRY_MS = 100;
const SWEEP_MS = 1000;

export class PgAuditInbox implements AuditSink {
  readonly #pool: pg.Pool;
  readonly #ready: Promise<void>;
  readonly #logger: Logger;
  readonly #sweep: NodeJS.Timeout;
  readonly #commits = new GroupCommit<string>((records) => this.#insert(records), FLUSH_GAP_MS);
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
    return this.#commits.add(JSON.stringify(event));
  }

  /** Resolves once a chaining pass that started after this call has finished. */
  caughtUp(): Promise<void> {
    return this.#chain();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweep);
    clearTimeout(this.#chainSoon);
    await this.#commits.drained();
    await this.#chain().catch(() => undefined); // what is left waits in the inbox for any node
  }

  async #insert(records: readonly string[]): Promise<void> {
    try {
      await this.#ready;
      await this.#pool.query('INSERT INTO audit_inbox (record) SELECT unnest($1::text[])', [records]);
    } catch (err) {
      throw writeError(err);
    }
    this.#chainSoon ??= setTimeout(() => void this.#chain().catch(() => undefined), GATHER_MS);
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
