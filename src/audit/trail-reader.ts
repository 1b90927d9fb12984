// The server's read-only connection to audit.db, for lookups. Opened on first use: the file exists
// once the first event has been chained. Reads never wait on the ingester (WAL).
import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { pin } from '../store/sqlite/pin.js';
import { openAuditDb } from './audit-db.js';
import type { Queryable } from './lookup.js';

export class AuditTrailReader implements Queryable {
  readonly #path: string;
  #db: Database.Database | undefined;
  // A lookup's SQL depends only on which filters it has, so this holds a few hundred at most;
  // pinned, since a collected statement can crash the process (store/sqlite/pin.ts).
  readonly #statements = new Map<string, Database.Statement>();

  constructor(path: string) {
    this.#path = path;
  }

  /** The connection, or undefined while audit.db does not exist yet (no event has been written). */
  connection(): Queryable | undefined {
    if (this.#db === undefined) {
      if (!existsSync(this.#path)) return undefined;
      this.#db = pin(openAuditDb(this.#path, { readonly: true }));
    }
    return this;
  }

  prepare(sql: string): Database.Statement {
    if (this.#db === undefined) throw new Error('the audit trail is not open');
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = pin(this.#db.prepare(sql));
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  close(): void {
    this.#db?.close();
    this.#db = undefined;
    this.#statements.clear();
  }
}
