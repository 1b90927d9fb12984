// `keyhold audit lookup`: the newest matching audit events, as JSON or a table.
import type { AdminConnection } from './admin-client.js';
import { eventPages, type AuditRecord } from './audit-pages.js';
import type { LookupFilters } from './audit-query-args.js';
import { textTable } from './table.js';

export async function auditLookup(connection: AdminConnection, filters: LookupFilters, maxResults: number, output: 'json' | 'table'): Promise<void> {
  const events: AuditRecord[] = [];
  for await (const page of eventPages(connection, filters, maxResults)) events.push(...page);
  process.stdout.write(output === 'table' ? eventsTable(events) : `${JSON.stringify(events, null, 2)}\n`);
}

/** One line per event: when, what, who, on which keys, how it ended, and the request to quote. */
export function eventsTable(events: readonly AuditRecord[]): string {
  return textTable(['TIME', 'EVENT', 'CALLER', 'KEYS', 'ERROR', 'REQUEST ID'], events.map((e) => {
    const identity = object(e.userIdentity);
    const source = text(e.eventSource).replace(/\.amazonaws\.com$/, '');
    const keys = Array.isArray(e.resources) ? e.resources.map((r) => text(object(r).ARN).replace(/^.*:key\//, '')) : [];
    return [
      text(e.eventTime), `${source}:${text(e.eventName)}`, text(identity.arn) || text(identity.accessKeyId) || '-',
      keys.join(',') || '-', text(e.errorCode) || '-', text(e.requestID),
    ].map(printable);
  }));
}

const object = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
/** Events carry what callers sent; control characters must not reach the terminal. */
const printable = (cell: string): string => cell.replace(/\p{C}/gu, '?');
