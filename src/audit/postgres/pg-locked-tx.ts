// One READ COMMITTED transaction of the audit trail's upkeep (digests, retention) on PostgreSQL,
// serialised across every node by a transaction-scoped advisory lock — the PostgreSQL form of
// SQLite's BEGIN IMMEDIATE, for one job at a time.
import type pg from 'pg';
import { AUDIT_LOCK } from './pg-audit-schema.js';

/**
 * Runs `fn` in a transaction that first takes the advisory lock (AUDIT_LOCK.namespace, `lockKey`);
 * the lock is released by the commit or rollback, so a node dying mid-job frees it with its session.
 * READ COMMITTED on purpose: each statement after the lock sees what the previous holder committed
 * (REPEATABLE READ would keep the snapshot taken before the wait, and two nodes would both sign).
 */
export async function lockedTransaction<T>(pool: pg.Pool, lockKey: number, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [AUDIT_LOCK.namespace, lockKey]);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      // A connection that cannot roll back is discarded, which ends its transaction and lock.
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw err;
    }
  } finally {
    client.release(broken);
  }
}

/** node-postgres returns BIGINT as text (it may exceed 2^53); the trail's seqs and times do not. */
export function bigintColumn(value: string | number, column: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`audit column ${column} holds ${String(value)}, not a safe integer`);
  return n;
}
