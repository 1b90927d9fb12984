// The embedded store: one SQLite file (WAL, synchronous=FULL so every commit survives kill -9).
import { closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Store, StoreTx } from '../store.js';
import { sqliteMigrations } from './migrations.js';
import { pin } from './pin.js';
import { SqliteTx } from './sqlite-tx.js';

export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #tx: SqliteTx;
  readonly #dataVersion: Database.Statement;
  #localWrites = 0;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(db: Database.Database) {
    this.#db = db;
    this.#tx = new SqliteTx(db);
    this.#dataVersion = pin(db.prepare('PRAGMA data_version').pluck());
  }

  /** Opens (creating if needed) the database and applies pending migrations. */
  static open(path: string): SqliteStore {
    // Owner-only, like the data dir: the file holds no key unwrapped, but nobody else needs it.
    if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
    const db = pin(new Database(path));
    // exec, not db.pragma(): pragma() prepares a throwaway Statement (see pin.ts).
    // secure_delete: deleted rows (destroyed key material) are overwritten, not left in free pages.
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA secure_delete = ON;');
    migrate(db);
    return new SqliteStore(db);
  }

  /** Transactions are serialised on this connection: `fn` may await, and nothing else may run
   *  statements on the connection until it commits or rolls back. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    // IMMEDIATE takes the write lock up front: a deferred transaction that reads and then
    // writes would fail with SQLITE_BUSY when another process wrote in between.
    return this.#serialised('BEGIN IMMEDIATE', fn);
  }

  read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.#serialised('BEGIN DEFERRED', fn, true);
  }

  #serialised<T>(begin: string, fn: (tx: StoreTx) => Promise<T>, readOnly = false): Promise<T> {
    const run = async (): Promise<T> => {
      this.#db.exec(begin);
      try {
        const result = await fn(this.#tx);
        const wrote = this.#tx.takeWrote();
        if (readOnly && wrote) throw new Error('a read-only store transaction tried to write');
        this.#db.exec('COMMIT');
        if (wrote) this.#localWrites++;
        return result;
      } catch (err) {
        this.#tx.takeWrote();
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw err;
      }
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** data_version moves when another connection commits; #localWrites when this one does. */
  changeToken(): string {
    return `${String(this.#dataVersion.get())}.${this.#localWrites}`;
  }

  /** secure_delete zeroes freed pages in the database file; a checkpoint also rewrites the WAL. */
  async scrub(): Promise<void> {
    await this.#queue;
    this.#db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  }

  async close(): Promise<void> {
    await this.#queue;
    this.#db.close();
  }
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied = new Set(pin(db.prepare('SELECT version FROM schema_migrations').pluck()).all() as number[]);
  const latest = Math.max(0, ...applied);
  const known = Math.max(...sqliteMigrations.map((m) => m.version));
  if (latest > known) throw new Error(`the store is at schema version ${latest}, newer than this keyhold (${known}); upgrade keyhold`);
  for (const m of sqliteMigrations) {
    if (applied.has(m.version)) continue;
    const record = pin(db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)'));
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  }
}
