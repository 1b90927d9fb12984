// One READ COMMITTED transaction of the audit trail on PostgreSQL (schema, chaining, digests,
// retention), serialised across every node by a transaction-scoped advisory lock — the PostgreSQL
// form of SQLite's BEGIN IMMEDIATE, for one job at a time.
import type pg from 'pg';

/** Advisory lock keys, beside the store's ('khld', 1: writers, 2: migrations). */
export const AUDIT_LOCK = { namespace: 0x6b686c64, schema: 3, chain: 4, digest: 5, retention: 6 } as const;

/**
 * Runs `fn` in a transaction that first takes the advisory lock (AUDIT_LOCK.namespace, `lockKey`);
 * the lock is released by the commit or rollback, so a node dying mid-job frees it with its session.
 * READ COMMITTED on purpose: each statement after the lock sees what the previous holder committed
 * (REPEATABLE READ would keep the snapshot taken before the wait, and two nodes would both sign).
 */
export async function lockedTransaction<T>(pool: pg.Pool, lockKey: number, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A checked-out client has no listener for its connection dropping (PostgreSQL restarted):
  // without one, the 'error' event would be unhandled and end the process.
  let lost: Error | undefined;
  const onError = (err: Error): void => void (lost ??= err);
  client.on('error', onError);
  // A server that stops answering (frozen, partitioned) would hold the job, and the requests
  // waiting on it, for ever: past the deadline the connection is cut, which fails its statements.
  const deadline = setTimeout(() => {
    lost ??= new Error(`PostgreSQL did not complete an audit transaction within ${TRANSACTION_DEADLINE_MS} ms`);
    client.connection.stream.destroy();
  }, TRANSACTION_DEADLINE_MS);
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
    clearTimeout(deadline);
    client.off('error', onError);
    client.release(lost ?? broken);
  }
}

/** How long one audit transaction may take, lock wait included, before its connection is cut. */
export const TRANSACTION_DEADLINE_MS = 5000;

/** node-postgres returns BIGINT as text (it may exceed 2^53); the trail's seqs and times do not. */
export function bigintColumn(value: string | number, column: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`audit column ${column} holds ${String(value)}, not a safe integer`);
  return n;
}
