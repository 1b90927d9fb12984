// Finds audit events for LookupEvents: newest first (by seq, the chain's order), narrowed by
// filters and by what the caller may see, a page at a time.
// Security contract: with an account scope, only events that account made or that name one of its
// keys are ever returned, whatever the filters and the page token say.
import type Database from 'better-sqlite3';
import { KEY_ACCOUNT_OF_ARN, KEY_ID_OF_ARN } from './audit-db.js';

export interface EventFilter {
  /** A key ARN (matched exactly) or a bare key id (matched in any account). */
  readonly key?: { readonly arn: string } | { readonly id: string };
  readonly principalArn?: string;
  /** The caller's account. */
  readonly accountId?: string;
  readonly eventName?: string;
  readonly errorCode?: string;
  readonly requestId?: string;
  /** Epoch milliseconds, both inclusive, as CloudTrail LookupEvents' StartTime and EndTime are. */
  readonly startTime?: number;
  readonly endTime?: number;
}

/** Who is asking: the administrator sees every event; an account, the events it made and every
 *  event that names one of its keys, whoever made it. */
export type LookupScope = { readonly everything: true } | { readonly account: string };

export interface PageRequest {
  readonly maxResults: number;
  /** Only events below this seq: where the previous page stopped. */
  readonly beforeSeq?: number | undefined;
}

export interface EventPage {
  /** The CloudTrail records as stored (JSON text), newest first. */
  readonly records: readonly string[];
  /** Where the next page starts, while older events may remain. */
  readonly nextBeforeSeq?: number;
}

/** How much one call may read: it reads the trail in windows of `windowSeqs` sequence numbers and
 *  starts no new window after `budgetMs`, so a sparse filter over a long trail cannot hold the
 *  event loop (a page may then be short, even empty, with a next page to ask for, as CloudTrail's are). */
export interface ScanLimits {
  readonly windowSeqs: number;
  readonly budgetMs: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { windowSeqs: 20_000, budgetMs: 50 };

/** What lookups need of a connection; AuditTrailReader caches and pins the statements. */
export interface Queryable {
  prepare(sql: string): Database.Statement;
}

interface Row {
  readonly seq: number;
  readonly record: string;
}

export function lookupEvents(db: Queryable, filter: EventFilter, scope: LookupScope, page: PageRequest, limits = DEFAULT_SCAN_LIMITS): EventPage {
  // Two subqueries: SQLite reads MIN or MAX from the end of the index only when it is alone.
  const bounds = db.prepare('SELECT (SELECT MIN(seq) FROM audit_events) AS low, (SELECT MAX(seq) FROM audit_events) AS high').get() as { low: number | null; high: number | null };
  if (bounds.low === null || bounds.high === null) return { records: [] };
  const low = bounds.low;
  const { sql, params } = pageQuery(filter, scope);
  const statement = db.prepare(sql);
  const started = performance.now();
  const found: Row[] = [];
  let upper = Math.min(page.beforeSeq ?? Infinity, bounds.high + 1);
  while (upper > low) {
    const lower = Math.max(low, upper - limits.windowSeqs);
    // One more than the page holds: its presence says whether a next page exists.
    found.push(...(statement.all({ ...params, lower, upper, limit: page.maxResults + 1 - found.length }) as Row[]));
    upper = lower;
    if (found.length > page.maxResults) {
      const rows = found.slice(0, page.maxResults);
      return { records: rows.map((r) => r.record), nextBeforeSeq: (rows.at(-1) as Row).seq };
    }
    if (performance.now() - started >= limits.budgetMs) break;
  }
  return { records: found.map((r) => r.record), ...(upper > low && { nextBeforeSeq: upper }) };
}

/** The query of one window [@lower, @upper), with a condition per filter given; each filter that
 *  lives in audit_event_keys is a subquery bounded by the window, so its result stays small. */
function pageQuery(filter: EventFilter, scope: LookupScope): { sql: string; params: Record<string, string | number> } {
  const where = ['e.seq >= @lower', 'e.seq < @upper'];
  const params: Record<string, string | number> = {};
  const keysWhere = (expression: string, param: string): string =>
    `e.seq IN (SELECT seq FROM audit_event_keys WHERE ${expression} = @${param} AND seq >= @lower AND seq < @upper)`;
  const add = (condition: string, param: string, value: string | number | undefined): void => {
    if (value === undefined) return;
    where.push(condition);
    params[param] = value;
  };
  if (filter.key && 'arn' in filter.key) add(keysWhere('key_arn', 'keyArn'), 'keyArn', filter.key.arn);
  if (filter.key && 'id' in filter.key) add(keysWhere(KEY_ID_OF_ARN, 'keyId'), 'keyId', filter.key.id);
  add('e.principal_arn = @principalArn', 'principalArn', filter.principalArn);
  add('e.caller_account = @accountId', 'accountId', filter.accountId);
  add('e.event_name = @eventName', 'eventName', filter.eventName);
  add('e.error_code = @errorCode', 'errorCode', filter.errorCode);
  add('e.request_id = @requestId', 'requestId', filter.requestId);
  add('e.event_time >= @startTime', 'startTime', filter.startTime);
  add('e.event_time <= @endTime', 'endTime', filter.endTime);
  if ('account' in scope) {
    // key_account is the first key's owner; a request naming keys of two accounts (ReEncrypt) is
    // found for the second through audit_event_keys.
    add(`(e.caller_account = @scope OR e.key_account = @scope OR ${keysWhere(KEY_ACCOUNT_OF_ARN, 'scope')})`, 'scope', scope.account);
  }
  return { sql: `SELECT e.seq, e.record FROM audit_events e WHERE ${where.join(' AND ')} ORDER BY e.seq DESC LIMIT @limit`, params };
}
