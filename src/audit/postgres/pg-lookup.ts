// LookupEvents on the PostgreSQL trail: lookup.ts's semantics (newest first by seq, the same
// filters, windows of seqs under a time budget, NextToken = the seq to continue below), over a pool.
// Security contract (lookup.ts's): with an account scope, only events that account made or that
// name one of its keys are ever returned, whatever the filters and the page token say.
// Every value is a bound parameter ($n); only fixed SQL text is assembled.
import type pg from 'pg';
import { DEFAULT_SCAN_LIMITS, type EventFilter, type EventPage, type LookupScope, type PageRequest, type ScanLimits } from '../lookup.js';
import { bigintColumn } from './pg-locked-tx.js';
import { PG_KEY_ACCOUNT_OF_ARN, PG_KEY_ID_OF_ARN } from './pg-audit-schema.js';

/** A pool, or one connection (tests read query plans through one). */
export type PgQueryable = Pick<pg.Pool, 'query'> | Pick<pg.ClientBase, 'query'>;

interface Row {
  readonly seq: number;
  readonly record: string;
}

export async function pgLookupEvents(db: PgQueryable, filter: EventFilter, scope: LookupScope, page: PageRequest, limits: ScanLimits = DEFAULT_SCAN_LIMITS): Promise<EventPage> {
  const bounds = (await db.query<{ low: string | null; high: string | null }>('SELECT (SELECT MIN(seq) FROM audit_events) AS low, (SELECT MAX(seq) FROM audit_events) AS high')).rows[0];
  if (bounds?.low == null || bounds.high == null) return { records: [] };
  const low = bigintColumn(bounds.low, 'seq');
  const high = bigintColumn(bounds.high, 'seq');
  const { sql, params } = pageQuery(filter, scope);
  const started = performance.now();
  const found: Row[] = [];
  let upper = Math.min(page.beforeSeq ?? Infinity, high + 1);
  while (upper > low) {
    const lower = Math.max(low, upper - limits.windowSeqs);
    // One more than the page holds: its presence says whether a next page exists.
    const result = await db.query<{ seq: string; record: string }>(sql, [lower, upper, page.maxResults + 1 - found.length, ...params]);
    found.push(...result.rows.map((r) => ({ seq: bigintColumn(r.seq, 'seq'), record: r.record })));
    upper = lower;
    if (found.length > page.maxResults) {
      const rows = found.slice(0, page.maxResults);
      return { records: rows.map((r) => r.record), nextBeforeSeq: (rows.at(-1) as Row).seq };
    }
    if (performance.now() - started >= limits.budgetMs) break;
  }
  return { records: found.map((r) => r.record), ...(upper > low && { nextBeforeSeq: upper }) };
}

/** The query of one window [$1, $2) limited to $3 rows, with a condition per filter given (values
 *  from $4 on); each filter that lives in audit_event_keys is a subquery bounded by the window. */
function pageQuery(filter: EventFilter, scope: LookupScope): { sql: string; params: (string | number)[] } {
  const where = ['e.seq >= $1', 'e.seq < $2'];
  const params: (string | number)[] = [];
  const bind = (value: string | number): string => `$${params.push(value) + 3}`;
  const keysWhere = (expression: string, param: string): string =>
    `e.seq IN (SELECT seq FROM audit_event_keys WHERE ${expression} = ${param} AND seq >= $1 AND seq < $2)`;
  const add = (value: string | number | undefined, condition: (param: string) => string): void => {
    if (value !== undefined) where.push(condition(bind(value)));
  };
  if (filter.key && 'arn' in filter.key) add(filter.key.arn, (p) => keysWhere('key_arn', p));
  if (filter.key && 'id' in filter.key) add(filter.key.id, (p) => keysWhere(PG_KEY_ID_OF_ARN, p));
  add(filter.principalArn, (p) => `e.principal_arn = ${p}`);
  add(filter.accountId, (p) => `e.caller_account = ${p}`);
  add(filter.eventName, (p) => `e.event_name = ${p}`);
  add(filter.errorCode, (p) => `e.error_code = ${p}`);
  add(filter.requestId, (p) => `e.request_id = ${p}`);
  // Times may have fractions of a millisecond (epoch seconds × 1000) and event_time is an integer:
  // rounding inwards keeps SQLite's numeric comparison, and a BIGINT parameter keeps the index.
  add(filter.startTime === undefined ? undefined : Math.ceil(filter.startTime), (p) => `e.event_time >= ${p}`);
  add(filter.endTime === undefined ? undefined : Math.floor(filter.endTime), (p) => `e.event_time <= ${p}`);
  if ('account' in scope) {
    // key_account is the first key's owner; a request naming keys of two accounts (ReEncrypt) is
    // found for the second through audit_event_keys.
    add(scope.account, (p) => `(e.caller_account = ${p} OR e.key_account = ${p} OR ${keysWhere(PG_KEY_ACCOUNT_OF_ARN, p)})`);
  }
  return { sql: `SELECT e.seq, e.record FROM audit_events e WHERE ${where.join(' AND ')} ORDER BY e.seq DESC LIMIT $3`, params };
}
