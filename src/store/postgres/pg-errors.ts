// Which PostgreSQL failures are the database being unreachable or slow (the client should retry:
// DependencyTimeoutException, 503) and which are anything else (left as they are, so the edge logs
// them and answers KMSInternalException, 500).
//
// Classified by structure, never by message text: an SQLSTATE, a socket errno, where the failure
// happened (checking out a connection), or whether the connection survived it. node-postgres
// reports a dropped connection as a plain Error ("Connection terminated unexpectedly") with no
// code; such a transaction's connection is lost, which is what the caller passes as `connectionLost`.
import { KmsError } from '../../core/errors.js';

/** SQLSTATEs meaning "not now": the server is going away, starting, full, or a timeout fired. */
const UNAVAILABLE_STATES = new Set([
  '57P01', // admin_shutdown: the server is stopping (pg_ctl stop -m fast) or the backend was terminated
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, shutting down, or in recovery
  '57P05', // idle_session_timeout
  '57014', // query_canceled: statement_timeout (also bounds the wait for the writers' lock)
  '55P03', // lock_not_available: lock_timeout
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
  '25P03', // idle_in_transaction_session_timeout
  '40003', // statement_completion_unknown
]);

/** Socket errors of a connection attempt or of an established connection. */
const NETWORK_ERRNOS = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN',
  'ENETUNREACH', 'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'ENOENT', // ENOENT: a Unix socket path that is gone
]);

const codeOf = (err: unknown): string | undefined =>
  err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;

/** Whether `err` says PostgreSQL could not be reached or did not answer in time. `checkingOut`:
 *  it came from taking a connection from the pool (including the pool's connection timeout);
 *  `connectionLost`: the transaction's connection died with it. */
export function isUnavailable(err: unknown, where: { readonly checkingOut: boolean; readonly connectionLost: boolean }): boolean {
  if (err instanceof KmsError) return false;
  const code = codeOf(err);
  if (code !== undefined && (UNAVAILABLE_STATES.has(code) || code.startsWith('08') || NETWORK_ERRNOS.has(code))) return true;
  // Any other SQLSTATE (five characters) is a real answer from the server: wrong password, no such
  // database, a constraint — not something a retry fixes.
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code)) return false;
  return where.checkingOut || where.connectionLost;
}

/** What a client sees instead: retryable, and naming nothing about the database (its URL holds a password). */
export const dependencyTimeout = (): KmsError =>
  new KmsError('DependencyTimeoutException', 'keyhold could not reach its database in time. Retry the request.');
