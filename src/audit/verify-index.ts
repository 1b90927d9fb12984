// Verification of the lookup index: the columns of audit_events and the rows of audit_event_keys
// are copies of what the record says (indexOf). The hash covers only the record, so a lookup that
// trusts a changed column would silently hide or misattribute an event; this finds such columns.
import type Database from 'better-sqlite3';
import { pin } from '../store/sqlite/pin.js';
import { indexOf, type AuditEvent, type EventIndex } from './event.js';
import { describeEvent, quoted, type ProblemList } from './trail-problems.js';

/** One audit_events row with its key rows (JSON array) joined. */
export interface IndexedRow {
  readonly seq: number;
  readonly event_id: string;
  readonly event_time: number;
  readonly event_name: string;
  readonly event_source: string;
  readonly caller_account: string | null;
  readonly key_account: string | null;
  readonly principal_arn: string | null;
  readonly error_code: string | null;
  readonly request_id: string;
  readonly record: string;
  readonly key_arns: string;
}

export function checkIndex(row: IndexedRow, problems: ProblemList): void {
  const who = describeEvent(row.seq, row.event_id);
  let event: AuditEvent;
  let index: EventIndex;
  try {
    event = JSON.parse(row.record) as AuditEvent;
    index = indexOf(event);
  } catch {
    return problems.add({ kind: 'index-mismatch', seq: row.seq, eventId: row.event_id, message: `${who}: its record is not an audit event, so its index columns cannot be checked` });
  }
  const columns: [string, Value, Value][] = [
    ['event_id', row.event_id, event.eventID], ['event_time', row.event_time, index.eventTime], ['event_name', row.event_name, index.eventName],
    ['event_source', row.event_source, index.eventSource], ['caller_account', row.caller_account, index.callerAccount],
    ['key_account', row.key_account, index.keyAccount], ['principal_arn', row.principal_arn, index.principalArn],
    ['error_code', row.error_code, index.errorCode], ['request_id', row.request_id, index.requestId],
    ['key rows', keySet(JSON.parse(row.key_arns) as string[]), keySet(index.keyArns)],
  ];
  const differences = columns.filter(([, stored, recorded]) => stored !== recorded).map(([name, stored, recorded]) => `${name} ${name === 'key rows' ? 'say' : 'says'} ${shown(name, stored)}, the record ${shown(name, recorded)}`);
  if (differences.length > 0) {
    problems.add({ kind: 'index-mismatch', seq: row.seq, eventId: row.event_id, message: `${who}: its index disagrees with its record (index changed): ${differences.join('; ')}` });
  }
}

/** Key rows that name a seq holding no event: left behind when events were removed. One problem
 *  per hole (orphans with the same stored event before them), not per row. */
export function checkOrphanKeys(db: Database.Database, problems: ProblemList): void {
  const holes = pin(db.prepare(`SELECT min(seq) AS first, max(seq) AS last FROM (
      SELECT DISTINCT k.seq, (SELECT max(e.seq) FROM audit_events e WHERE e.seq < k.seq) AS after
      FROM audit_event_keys k WHERE NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.seq = k.seq))
    GROUP BY after ORDER BY first`));
  for (const { first, last } of holes.iterate() as IterableIterator<{ first: number; last: number }>) {
    const where = first === last ? `seq ${first}, which holds no event` : `seq ${first}–${last}, where no event is stored`;
    problems.add({ kind: 'index-mismatch', seq: first, message: `key rows (audit_event_keys) name ${where}` });
  }
}

/** Key ARNs as a set, comparable and printable as one JSON text (each ARN is kept once per event). */
const keySet = (arns: readonly string[]): string => JSON.stringify([...new Set(arns)].sort());

type Value = string | number | null;

/** A tampered record may hold anything where a string belongs: never assume the declared type. */
const shown = (name: string, value: Value): string =>
  typeof value !== 'string' ? String(value) : name === 'key rows' ? value.slice(0, 300) : quoted(value);
