// The scale-out store: PostgreSQL shared by any number of keyhold nodes, through a pool per node.
//
// Semantics are SQLite's (sqlite-store.ts): one writer at a time, readers on a consistent snapshot.
// - transaction(): writes are queued in this process (one writer per node, like SQLite's one
//   connection), and across nodes take a session advisory lock *before* BEGIN, so each writer's
//   snapshot starts after the previous writer committed, as with BEGIN IMMEDIATE. The transaction
//   itself is SERIALIZABLE, so even a writer that bypasses the lock (an operator's SQL) cannot
//   interleave unnoticed; a serialization failure or deadlock is retried, a bounded number of times.
// - read(): REPEATABLE READ READ ONLY on any pooled connection; takes no lock; a write fails.
// - changeToken(): `<generation>.<local commits>`. Every write transaction bumps the single
//   store_generation row and NOTIFYs the new value before it commits, so both take effect exactly
//   with the commit. This node learns of it from its LISTEN connection (pg-listener.ts), at the
//   start of every transaction and read (in the same snapshot the transaction reads), and every
//   `generationPollMs` in the background. Bound: another node's commit moves this node's token as
//   soon as the notification arrives (a network round trip after the commit); if a notification
//   is missed (the LISTEN connection dropped), within generationPollMs (default 1 s) plus one
//   query, or sooner if this node touches the store or the listener reconnects (it re-reads the
//   generation at once); its own commits move it at once. A node that has not read the generation
//   for `staleAfterMs` (the database unreachable from it) cannot know what others committed: its
//   token then changes on every call, so caches are not used and requests go to the store.
// - Failures (pg-errors.ts): PostgreSQL unreachable, restarting, or a timeout → the client gets
//   DependencyTimeoutException (retryable; the cause goes to onError); anything else is thrown as
//   it is (the edge answers KMSInternalException). A connection that drops while checked out never
//   crashes the process: its 'error' is handled, it is discarded, and the pool opens new ones.
// - Bounds, for a server that stops answering without closing connections (frozen, partitioned):
//   taking a connection waits at most connectTimeoutMs; a transaction that has not finished within
//   twice the statement timeout has its connection cut (the server's own statement_timeout cannot
//   fire if the server is not running); a write waits at most one statement timeout in this
//   process's writer queue. Each then fails as DependencyTimeoutException.
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { Store, StoreTx } from '../store.js';
import { dependencyTimeout, isUnavailable } from './pg-errors.js';
import { BUMP_AND_NOTIFY, GenerationListener } from './pg-listener.js';
import { KEYHOLD_LOCK, migratePostgres } from './pg-migrate.js';
import { PgTx } from './pg-tx.js';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database?… */
  readonly url: string;
  /** Connections in this node's pool (default 10). */
  readonly poolSize?: number;
  /** Server-side statement_timeout in ms (default 10 000); also bounds the wait for the write lock. */
  readonly statementTimeoutMs?: number;
  /** TLS to the server, passed through to node-postgres (`true`, or node:tls options such as ca, cert, key). */
  readonly ssl?: boolean | ConnectionOptions;
  /** The schema keyhold's tables live in, created if missing (default: the server's search_path, normally public). */
  readonly schema?: string;
  /** How often the change generation is re-read, the fallback for a missed notification (default 1000 ms). */
  readonly generationPollMs?: number;
  /** How long taking a connection may wait, whether for a free one or for PostgreSQL to answer (default 5000 ms). */
  readonly connectTimeoutMs?: number;
  /** First delay before the LISTEN connection reconnects; doubles up to 30 s (default 250 ms). */
  readonly listenRetryMs?: number;
  /** Errors of idle pooled connections, of the background poll and of the LISTEN connection (each is replaced). */
  readonly onError?: (err: Error) => void;
}

/** The writers' advisory lock is (KEYHOLD_LOCK, 1); migrations take (KEYHOLD_LOCK, 2). */
const WRITER = 1;
const MAX_ATTEMPTS = 5;
const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected

/** Without a generation read for this many poll intervals, the token stops letting caches be used. */
const STALE_POLLS = 3;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const code = (err: unknown): string => (err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : '');

export class PostgresStore implements Store {
  readonly #pool: pg.Pool;
  readonly #onError: (err: Error) => void;
  readonly #poll: NodeJS.Timeout;
  readonly #listener: GenerationListener;
  readonly #staleAfterMs: number;
  readonly #statementTimeoutMs: number;
  #confirmedAt = performance.now();
  #staleCalls = 0;
  #generation = 0;
  #localCommits = 0;
  #polling = false;
  #writes: Promise<unknown> = Promise.resolve();

  private constructor(pool: pg.Pool, options: PostgresStoreOptions, connection: pg.ClientConfig, statementTimeoutMs: number) {
    this.#pool = pool;
    this.#statementTimeoutMs = statementTimeoutMs;
    this.#onError = options.onError ?? (() => undefined);
    const pollMs = options.generationPollMs ?? 1000;
    this.#staleAfterMs = STALE_POLLS * pollMs;
    this.#poll = setInterval(() => this.#refresh(), pollMs);
    this.#poll.unref();
    this.#listener = new GenerationListener({
      client: () => new pg.Client({ ...connection, application_name: 'keyhold-listener', keepAlive: true, connectionTimeoutMillis: 10_000 }),
      onGeneration: (generation) => this.#see(generation),
      onError: this.#onError,
      retryMs: options.listenRetryMs ?? 250,
      maxRetryMs: 30_000,
    });
  }

  /** Connects, applies pending migrations (safely when several nodes start at once), reads the generation. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const schema = options.schema;
    /* Precondition: a schema name is a plain identifier (it goes into the connection's options). */
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error('the PostgreSQL schema must be a lower-case identifier');
    const statementTimeoutMs = statementTimeoutOf(options);
    const connection: pg.ClientConfig = {
      connectionString: options.url,
      statement_timeout: statementTimeoutMs,
      ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
      ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    };
    const pool = new pg.Pool({
      ...connection, max: options.poolSize ?? 10, application_name: 'keyhold', keepAlive: true,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    });
    // Without a listener, an idle connection's error (server restart) would crash the process.
    pool.on('error', (err) => {
      // pg-pool hangs the whole client on the error; logged, it would print the connection settings.
      delete (err as { client?: unknown }).client;
      options.onError?.(err);
    });
    try {
      await migratePostgres(pool, schema);
      const store = new PostgresStore(pool, options, connection, statementTimeoutMs);
      await store.#refreshNow();
      // A first LISTEN attempt that fails is retried in the background; the poll covers the gap.
      await store.#listener.start();
      return store;
    } catch (err) {
      await pool.end();
      throw err;
    }
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const queuedAt = performance.now();
    const run = async (): Promise<T> => {
      // The writers ahead of this one are stuck (the server stopped answering): do not join them.
      if (performance.now() - queuedAt > this.#statementTimeoutMs) {
        this.#onError(new Error(`a write waited over ${this.#statementTimeoutMs} ms for this process's earlier writes`));
        throw dependencyTimeout();
      }
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.#session(fn, true);
        } catch (err) {
          if (!RETRYABLE.has(code(err)) || attempt >= MAX_ATTEMPTS) throw err;
          await sleep(Math.random() * 2 ** attempt);
        }
      }
    };
    const result = this.#writes.then(run, run);
    this.#writes = result.catch(() => undefined);
    return result;
  }

  read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.#session(fn, false);
  }

  /** One transaction on one pooled connection, its failures classified (see the header). */
  async #session<T>(fn: (tx: StoreTx) => Promise<T>, write: boolean): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (err) {
      throw this.#failure(err, { checkingOut: true, connectionLost: true });
    }
    // A checked-out client has no listener for its connection dropping: without this, the
    // 'error' event would be unhandled and end the process.
    let lost: Error | undefined;
    const onError = (err: Error): void => void (lost ??= err);
    client.on('error', onError);
    // Cutting the connection fails its pending statements at once ("Connection terminated").
    const limitMs = 2 * this.#statementTimeoutMs;
    const deadline = setTimeout(() => {
      lost ??= new Error(`PostgreSQL did not complete a transaction within ${limitMs} ms`);
      client.connection.stream.destroy();
    }, limitMs);
    const state: { broken?: Error } = {};
    try {
      return await (write ? this.#write(client, fn, state) : this.#read(client, fn, state));
    } catch (err) {
      throw this.#failure(err, { checkingOut: false, connectionLost: lost !== undefined || state.broken !== undefined });
    } finally {
      clearTimeout(deadline);
      client.off('error', onError);
      // A connection that could not roll back or unlock is closed, which also frees its lock.
      client.release(lost ?? state.broken);
    }
  }

  async #write<T>(client: pg.PoolClient, fn: (tx: StoreTx) => Promise<T>, state: { broken?: Error }): Promise<T> {
    await client.query('SELECT pg_advisory_lock($1, $2)', [KEYHOLD_LOCK, WRITER]);
    try {
      const tx = new PgTx(client);
      this.#see(await begin(client, 'BEGIN ISOLATION LEVEL SERIALIZABLE'));
      try {
        const result = await fn(tx);
        if (tx.wrote) {
          const bumped = await client.query<{ generation: string }>(BUMP_AND_NOTIFY);
          await client.query('COMMIT');
          this.#localCommits++;
          this.#see(bumped.rows[0]?.generation);
        } else {
          await client.query('COMMIT');
        }
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch((e: Error) => (state.broken = e));
        throw err;
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [KEYHOLD_LOCK, WRITER]).catch((e: Error) => (state.broken = e));
    }
  }

  async #read<T>(client: pg.PoolClient, fn: (tx: StoreTx) => Promise<T>, state: { broken?: Error }): Promise<T> {
    this.#see(await begin(client, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'));
    const tx = new PgTx(client);
    try {
      const result = await fn(tx);
      if (tx.wrote) throw new Error('a read-only store transaction tried to write');
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => (state.broken = e));
      throw err;
    }
  }

  /** PostgreSQL unreachable or too slow becomes DependencyTimeoutException, its cause reported to
   *  onError (the client's message names nothing); any other error is returned as it is. */
  #failure(err: unknown, where: { readonly checkingOut: boolean; readonly connectionLost: boolean }): unknown {
    if (!isUnavailable(err, where)) return err;
    this.#onError(err instanceof Error ? err : new Error(String(err)));
    return dependencyTimeout();
  }

  changeToken(): string {
    // Unconfirmed for too long: another node may have committed anything since.
    if (performance.now() - this.#confirmedAt > this.#staleAfterMs) return `stale.${++this.#staleCalls}`;
    return `${this.#generation}.${this.#localCommits}`;
  }

  /** A no-op: PostgreSQL has no secure_delete. A deleted row stays in its page until VACUUM reuses
   *  the space, and in WAL, replicas and backups until they are recycled. Destroyed key material
   *  was only ever stored wrapped under the root key, so what lingers is ciphertext. */
  async scrub(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.#poll);
    await this.#listener.close();
    await this.#writes;
    await this.#pool.end();
  }

  /** Keeps the highest generation seen: snapshots read in parallel may return older ones. */
  #see(generation: string | undefined): void {
    const g = Number(generation);
    if (Number.isSafeInteger(g)) this.#confirmedAt = performance.now();
    if (Number.isSafeInteger(g) && g > this.#generation) this.#generation = g;
  }

  async #refreshNow(): Promise<void> {
    this.#see((await this.#pool.query<{ generation: string }>('SELECT generation FROM store_generation')).rows[0]?.generation);
  }

  #refresh(): void {
    if (this.#polling) return;
    this.#polling = true;
    this.#refreshNow().catch((err: Error) => this.#onError(err)).finally(() => (this.#polling = false));
  }
}

/** The statement timeout in force: node-postgres lets the URL's `statement_timeout` override the
 *  option, as documented in docs/OPERATIONS.md. */
function statementTimeoutOf(options: PostgresStoreOptions): number {
  let fromUrl: number | undefined;
  try {
    const value = new URL(options.url).searchParams.get('statement_timeout');
    fromUrl = value === null ? undefined : Number(value);
  } catch {
    fromUrl = undefined; // not a URL (a key=value string): pg parses it itself
  }
  return fromUrl !== undefined && Number.isSafeInteger(fromUrl) && fromUrl > 0 ? fromUrl : (options.statementTimeoutMs ?? 10_000);
}

/** Begins a transaction and reads the generation as its first statement, in one round trip: the
 *  generation then belongs to the very snapshot the transaction reads. */
async function begin(client: pg.PoolClient, statement: string): Promise<string | undefined> {
  const results = (await client.query(`${statement}; SELECT generation FROM store_generation`)) as unknown as pg.QueryResult<{ generation: string }>[];
  return results[1]?.rows[0]?.generation;
}
