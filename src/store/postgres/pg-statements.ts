// The statement plumbing shared by the PostgreSQL transaction classes: one pooled client for the
// transaction's lifetime, statements prepared once per connection (by a name derived from their
// text), and a flag recording whether anything was written.
import type { PoolClient } from 'pg';
import type { Row } from '../sqlite/rows.js';

const names = new Map<string, string>();
/** node-postgres prepares a named statement once per connection and reuses it after. */
const nameOf = (sql: string): string => {
  let name = names.get(sql);
  if (name === undefined) names.set(sql, (name = `keyhold_${names.size}`));
  return name;
};

export class PgStatements {
  readonly #client: PoolClient;
  #wrote = false;

  constructor(client: PoolClient) {
    this.#client = client;
  }

  /** Whether the transaction wrote anything (or tried to). */
  get wrote(): boolean {
    return this.#wrote;
  }

  protected async all(sql: string, ...values: unknown[]): Promise<Row[]> {
    return (await this.#client.query<Row>({ name: nameOf(sql), text: sql, values })).rows;
  }
  protected async get(sql: string, ...values: unknown[]): Promise<Row | undefined> {
    return (await this.all(sql, ...values))[0];
  }
  /** Runs a write; returns the number of rows changed. */
  protected async run(sql: string, ...values: unknown[]): Promise<number> {
    this.#wrote = true;
    return (await this.#client.query({ name: nameOf(sql), text: sql, values })).rowCount ?? 0;
  }
}
