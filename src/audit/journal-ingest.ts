// Moves journaled events into audit.db: chained and indexed, in one transaction that also records
// how far into each segment it has read. Any process may run it on any data dir's journal at any
// time: the offsets are read and advanced under audit.db's write lock, so an event is chained once
// however many processes ingest. A segment is deleted once it is wholly chained and its writer will
// not write to it again (a later segment of the same writer exists, the writer closed, or died).
import { closeSync, fdatasyncSync, openSync, readdirSync, readSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { pin } from '../store/sqlite/pin.js';
import { appendEvents, type PendingEvent } from './audit-db.js';
import { indexOf, type AuditEvent } from './event.js';
import { parseSegmentName, readFrames, type Segment } from './journal-format.js';

/** How long unreadable bytes in a live writer's segment are given before the trail is declared stuck. */
const DAMAGE_GRACE_MS = 1000;
const LOCK_POLL_MS = 0.2;

export interface IngestPass {
  readonly chained: number;
  /** Partial or damaged frames skipped at the end of segments whose writer died or gave them up
   *  after a failed write: events never acknowledged. */
  readonly tornTails: readonly { readonly segment: string; readonly offset: number }[];
}

export interface IngestOptions {
  /** A writer that has closed: its last segment is sealed too. */
  readonly closedWriter?: string;
  /** How long to wait for another process's write lock before failing. */
  readonly busyTimeoutMs: number;
}

export class JournalIngester {
  readonly #db: Database.Database;
  readonly #dir: string;
  /** How far each segment is chained, as last committed (audit_journal_offsets is authoritative). */
  readonly #offsets = new Map<string, number>();
  readonly #damagedSince = new Map<string, number>();
  readonly #readOffset: Database.Statement;
  readonly #saveOffset: Database.Statement;
  readonly #dropOffset: Database.Statement;

  constructor(db: Database.Database, dir: string) {
    this.#db = db;
    this.#dir = dir;
    this.#readOffset = pin(db.prepare('SELECT chained FROM audit_journal_offsets WHERE segment = ?').pluck());
    this.#saveOffset = pin(db.prepare('INSERT INTO audit_journal_offsets (segment, chained) VALUES (?, ?) ON CONFLICT (segment) DO UPDATE SET chained = excluded.chained'));
    this.#dropOffset = pin(db.prepare('DELETE FROM audit_journal_offsets WHERE segment = ?'));
    for (const row of pin(db.prepare('SELECT segment, chained FROM audit_journal_offsets')).all() as { segment: string; chained: number }[]) {
      this.#offsets.set(row.segment, row.chained);
    }
  }

  /** Chains every whole event the journal holds now. Throws when it cannot (the trail then fails closed). */
  pass(options: IngestOptions): IngestPass {
    const segments = this.#segments(options.closedWriter);
    const grown = segments.filter((s) => s.size > (this.#offsets.get(s.name) ?? 0));
    const present = new Set(segments.map((s) => s.name));
    const gone = [...this.#offsets.keys()].filter((name) => !present.has(name));
    let result: IngestPass = { chained: 0, tornTails: [] };
    if (grown.length > 0 || gone.length > 0) {
      const committed = new Map<string, number>();
      result = this.#underWriteLock(options.busyTimeoutMs, () => this.#chain(grown, gone, committed));
      for (const [name, chained] of committed) this.#offsets.set(name, chained);
      for (const name of gone) this.#offsets.delete(name);
    }
    // Only what a commit chained is deleted, so a rolled-back pass never loses a segment; and only
    // once that commit is on disk (the ingester commits without fsync: synchronous=NORMAL).
    const chained = segments.filter((s) => s.sealed && this.#offsets.get(s.name) === s.size);
    if (chained.length > 0) {
      syncWal(this.#db.name);
      for (const s of chained) removeIfPresent(join(this.#dir, s.name));
    }
    return result;
  }

  #chain(grown: readonly SegmentState[], gone: readonly string[], committed: Map<string, number>): IngestPass {
    const events: PendingEvent[] = [];
    const tornTails: { segment: string; offset: number }[] = [];
    for (const s of grown) {
      const from = (this.#readOffset.get(s.name) as number | undefined) ?? 0; // another process may have chained more
      if (from >= s.size) {
        committed.set(s.name, from);
        continue;
      }
      const bytes = readRange(join(this.#dir, s.name), from, s.size);
      const frames = readFrames(bytes);
      let chained = from + frames.consumed;
      if (frames.consumed < bytes.length && s.sealed) {
        // Its writer will not finish this frame: it died writing it, or gave the segment up.
        tornTails.push({ segment: s.name, offset: chained });
        chained = s.size;
      } else if (frames.damaged) this.#stillDamaged(s.name, chained);
      else this.#damagedSince.delete(s.name);
      for (const record of frames.records) events.push(pendingOfRecord(record));
      if (chained !== from) this.#saveOffset.run(s.name, chained);
      committed.set(s.name, chained);
    }
    for (const name of gone) this.#dropOffset.run(name);
    appendEvents(this.#db, events);
    return { chained: events.length, tornTails };
  }

  /** A live writer's segment with bytes that cannot be a frame: a moment's grace, then an error. */
  #stillDamaged(segment: string, offset: number): void {
    const since = this.#damagedSince.get(segment) ?? Date.now();
    this.#damagedSince.set(segment, since);
    if (Date.now() - since > DAMAGE_GRACE_MS) throw new Error(`the audit journal segment ${segment} is damaged at byte ${offset}`);
  }

  #segments(closedWriter: string | undefined): SegmentState[] {
    let names: string[];
    try {
      names = readdirSync(this.#dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const segments = names.map(parseSegmentName).filter((s): s is Segment => s !== undefined);
    const newest = new Map<string, number>();
    for (const s of segments) newest.set(s.writer, Math.max(newest.get(s.writer) ?? 0, s.n));
    const states: SegmentState[] = [];
    for (const s of segments) {
      const size = sizeOf(join(this.#dir, s.name));
      // Its writer writes to it no more: it closed, moved on to a later segment, or died.
      const sealed = s.writer === closedWriter || s.n < (newest.get(s.writer) ?? 0) || (s.pid !== process.pid && !isAlive(s.pid));
      if (size !== undefined) states.push({ ...s, size, sealed });
    }
    return states;
  }

  /** Runs `work` in an IMMEDIATE transaction, polling for another process's lock in short steps
   *  (SQLite's own busy handler sleeps whole milliseconds, then longer). */
  #underWriteLock<T>(busyTimeoutMs: number, work: () => T): T {
    const transaction = this.#db.transaction(work);
    const deadline = performance.now() + busyTimeoutMs;
    for (;;) {
      try {
        return transaction.immediate();
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'SQLITE_BUSY' || performance.now() >= deadline) throw err;
        Atomics.wait(pause, 0, 0, LOCK_POLL_MS);
      }
    }
  }
}

interface SegmentState extends Segment {
  readonly size: number;
  readonly sealed: boolean;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

function pendingOfRecord(record: string): PendingEvent {
  const event = JSON.parse(record) as AuditEvent;
  return { eventId: event.eventID, record, index: indexOf(event) };
}

function readRange(path: string, from: number, to: number): Buffer {
  const bytes = Buffer.allocUnsafe(to - from);
  const fd = openSync(path, 'r');
  try {
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, from + read);
      if (n === 0) break;
      read += n;
    }
    return bytes.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function sizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // deleted by another ingester
    throw err;
  }
}

/** Makes every commit so far durable: the WAL holds those not yet checkpointed, and a checkpoint
 *  syncs the database file before it resets the WAL. */
function syncWal(dbPath: string): void {
  let fd: number;
  try {
    fd = openSync(`${dbPath}-wal`, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // nothing since the last checkpoint
    throw err;
  }
  try {
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; // another ingester removed it
  }
}

/** Whether a process is running. Processes sharing a data dir must share a PID namespace. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
