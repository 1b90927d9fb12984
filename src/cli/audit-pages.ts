// The pages of KeyholdAudit.LookupEvents for the CLI, one request at a time: only one page is ever
// held, so an export of millions of events runs in bounded memory.
import { callKeyhold, type AdminConnection } from './admin-client.js';
import type { LookupFilters } from './audit-query-args.js';
import { CommandError } from './command-error.js';

/** The API's largest page. */
const PAGE_SIZE = 1000;

export type AuditRecord = Readonly<Record<string, unknown>>;

/** Yields each page's events, newest first, until the server says there are no more or `limit`
 *  events have been yielded. A page may be empty while more follow: the server bounds the work of
 *  each call and says where to go on. */
export async function* eventPages(connection: AdminConnection, filters: LookupFilters, limit = Infinity): AsyncGenerator<readonly AuditRecord[]> {
  let token: string | undefined;
  let remaining = limit;
  do {
    const input = { ...filters, MaxResults: Math.min(PAGE_SIZE, remaining), ...(token !== undefined && { NextToken: token }) };
    const page = await callKeyhold(connection, 'KeyholdAudit.LookupEvents', input);
    const events = page.Events;
    if (!Array.isArray(events) || !events.every((e) => typeof e === 'object' && e !== null && !Array.isArray(e))) throw unexpected('Events');
    if (page.NextToken !== undefined && typeof page.NextToken !== 'string') throw unexpected('NextToken');
    token = page.NextToken;
    remaining -= events.length;
    yield events as AuditRecord[];
  } while (token !== undefined && remaining > 0);
}

const unexpected = (member: string): CommandError => new CommandError(`unexpected answer from the server: no valid ${member}`);
