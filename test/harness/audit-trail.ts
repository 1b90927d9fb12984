// Reads a server's audit trail straight from its audit.db, as an auditor would — after chaining what
// its journal holds (a response is sent once its event is journaled; chaining follows within
// milliseconds, and a test asking at once would race it).
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openAuditDb } from '../../src/audit/audit-db.js';
import type { AuditEvent } from '../../src/audit/event.js';
import { JournalIngester } from '../../src/audit/journal-ingest.js';
import { JOURNAL_DIR } from '../../src/audit/journal-format.js';
import { pinnedDatabase } from '../../src/store/sqlite/pin.js';

/** Chains every event the data dir's journal holds, as the server's own ingester would. */
export function chainJournal(dataDir: string): void {
  const db = openAuditDb(join(dataDir, 'audit.db'), { busyTimeoutMs: 0 });
  try {
    new JournalIngester(db, join(dataDir, JOURNAL_DIR)).pass({ busyTimeoutMs: 5000 });
  } finally {
    db.close();
  }
}

export function auditEvents(dataDir: string, where = '1 = 1', ...params: unknown[]): AuditEvent[] {
  chainJournal(dataDir);
  return chainedEvents(dataDir, where, ...params);
}

/** What audit.db holds now, without chaining the journal first. */
export function chainedEvents(dataDir: string, where = '1 = 1', ...params: unknown[]): AuditEvent[] {
  const db = pinnedDatabase(new Database(join(dataDir, 'audit.db'), { readonly: true, fileMustExist: true }));
  try {
    return (db.prepare(`SELECT record FROM audit_events WHERE ${where} ORDER BY seq`).pluck().all(...params) as string[]).map((r) => JSON.parse(r) as AuditEvent);
  } finally {
    db.close();
  }
}

/** The events recorded for one request id (there must be exactly one). */
export const eventsOfRequest = (dataDir: string, requestId: string | undefined): AuditEvent[] =>
  auditEvents(dataDir, 'request_id = ?', requestId ?? '');
