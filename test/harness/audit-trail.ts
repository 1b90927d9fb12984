// Reads a server's audit trail straight from its audit.db (read-only), as an auditor would.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditEvent } from '../../src/audit/event.js';
import { pinnedDatabase } from '../../src/store/sqlite/pin.js';

export function auditEvents(dataDir: string, where = '1 = 1', ...params: unknown[]): AuditEvent[] {
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
