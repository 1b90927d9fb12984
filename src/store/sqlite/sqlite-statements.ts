// The statement plumbing shared by the SQLite transaction classes: a per-connection cache of
// prepared statements (pinned, see pin.ts) and a flag recording whether anything was written.
import type Database from 'better-sqlite3';
import type { Page } from '../store.js';
import { pin } from './pin.js';
import type { Row } from './rows.js';

/** Keeps the first `limit` rows of a `limit + 1` query and reports the sort key to continue after. */
export function page<T>(rows: readonly Row[], limit: number, map: (r: Row) => T, sortKey: (r: Row) => string): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { items: kept.map(map), next: more && last ? sortKey(last) : undefined };
}

export class SqliteStatements {
  readonly #db: Database.Database;
  readonly #stmts = new Map<string, Database.Statement>();
  #wrote = false;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  /** Reports (and resets) whether the transaction wrote anything. */
  takeWrote(): boolean {
    const wrote = this.#wrote;
    this.#wrote = false;
    return wrote;
  }

  #stmt(sql: string): Database.Statement {
    let s = this.#stmts.get(sql);
    if (!s) this.#stmts.set(sql, (s = pin(this.#db.prepare(sql))));
    return s;
  }
  protected get(sql: string, ...p: unknown[]): Row | undefined {
    return this.#stmt(sql).get(...p) as Row | undefined;
  }
  protected all(sql: string, ...p: unknown[]): Row[] {
    return this.#stmt(sql).all(...p) as Row[];
  }
  /** Runs a write; returns the number of rows changed. */
  protected run(sql: string, ...p: unknown[]): number {
    this.#wrote = true;
    return this.#stmt(sql).run(...p).changes;
  }
}
