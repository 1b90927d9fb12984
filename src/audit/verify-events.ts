// The event half of verification: streams every event in seq order (one row in memory at a time)
// and checks that the seqs run without gaps, that each stored hash chains from the one before it,
// and that the lookup index agrees with the record. A row that does not chain is either part of a
// renumbered run (its hash was made at another seq, right after the row before it) or a break,
// kept, up to a bound, for chain-breaks.ts to explain as changed, moved or inserted.
import type Database from 'better-sqlite3';
import { pin } from '../store/sqlite/pin.js';
import { chainHash } from './chain.js';
import { explainBreaks, renumberedProblem, type Break, type RowRef, type Run } from './chain-breaks.js';
import { describeEvent, MAX_PROBLEMS, seqRange, type ProblemList } from './trail-problems.js';
import { checkIndex, type IndexedRow } from './verify-index.js';

/** The breaks analysed in full (their records kept); later ones are reported as they are found. */
const ANALYSED_BREAKS = 32;
/** The largest renumbering (events inserted or removed before a run) recognised as such. */
const MAX_SHIFT = 8;

export interface ChainStart {
  /** The seq before the first stored event: 0, or the checkpoint retention left. */
  readonly seq: number;
  /** The hash the first stored event must chain from; undefined when nothing vouches for it. */
  readonly hash: Buffer | undefined;
}

interface EventRow extends IndexedRow {
  readonly hash: unknown;
}

/** Checks every event; returns how many there are. */
export function verifyEvents(db: Database.Database, start: ChainStart, problems: ProblemList): number {
  const rows = pin(db.prepare(`SELECT e.seq, e.event_id, e.event_time, e.event_name, e.event_source, e.caller_account, e.key_account,
      e.principal_arn, e.error_code, e.request_id, e.record, e.hash,
      json_group_array(k.key_arn) FILTER (WHERE k.key_arn IS NOT NULL) AS key_arns
    FROM audit_events e LEFT JOIN audit_event_keys k ON k.seq = e.seq GROUP BY e.seq ORDER BY e.seq`));
  const walk = new ChainWalk(start, problems);
  for (const row of rows.iterate() as IterableIterator<EventRow>) {
    checkIndex(row, problems);
    walk.visit(row);
  }
  return walk.finish();
}

class ChainWalk {
  readonly #problems: ProblemList;
  readonly #breaks: Break[] = [];
  readonly #runs: Run[] = [];
  #count = 0;
  #expected: number;
  /** The previous two rows: what the current one chains from, and the one before. */
  #p1: RowRef | undefined;
  #p2: RowRef | undefined;
  #run: Run | undefined;
  /** The last break, until the row after it is known. */
  #awaitingNext: Break | undefined;

  constructor(start: ChainStart, problems: ProblemList) {
    this.#problems = problems;
    this.#expected = start.seq + 1;
    this.#p1 = start.hash ? { seq: start.seq, eventId: undefined, hash: start.hash } : undefined;
  }

  visit(row: EventRow): void {
    this.#count++;
    const hash = Buffer.isBuffer(row.hash) ? row.hash : Buffer.alloc(0);
    const ref: RowRef = { seq: row.seq, eventId: row.event_id, hash };
    if (this.#awaitingNext) this.#awaitingNext.next = ref;
    this.#awaitingNext = undefined;
    // After a gap the hash of the row before is unknown: the link cannot be checked.
    const previous = this.#gapBefore(row) ? undefined : this.#p1;
    if (previous === undefined || chainHash(previous.hash, row.seq, row.record).equals(hash)) this.#endRun();
    else this.#misfit(row, ref, previous);
    this.#p2 = this.#p1;
    this.#p1 = ref;
    this.#expected = row.seq + 1;
  }

  finish(): number {
    this.#endRun();
    for (const problem of explainBreaks(this.#breaks, this.#runs)) this.#problems.add(problem);
    return this.#count;
  }

  #gapBefore(row: EventRow): boolean {
    const missing = row.seq - this.#expected;
    if (missing <= 0) return false;
    const what = missing === 1 ? `event seq ${this.#expected} is` : `events ${seqRange(this.#expected, row.seq - 1)} are`;
    const after = this.#expected === 1 ? 'the start of the trail' : `seq ${this.#expected - 1}`;
    this.#problems.add({ kind: 'missing', seq: this.#expected, message: `${what} missing (removed): ${describeEvent(row.seq, row.event_id)} follows ${after}` });
    return true;
  }

  /** A row that does not chain from the one before at its own seq: renumbered, or a break. */
  #misfit(row: EventRow, ref: RowRef, previous: RowRef): void {
    const shift = this.#shiftOf(row, ref.hash, previous.hash);
    if (shift !== undefined && this.#run?.shift === shift && this.#run.end === row.seq - 1) {
      this.#run.end = row.seq;
      this.#run.lastEventId = row.event_id;
      return;
    }
    this.#endRun();
    if (shift !== undefined) {
      this.#run = { start: row.seq, end: row.seq, shift, firstEventId: row.event_id, lastEventId: row.event_id };
      return;
    }
    if (this.#breaks.length < ANALYSED_BREAKS) {
      const broken: Break = { seq: row.seq, eventId: row.event_id, hash: ref.hash, record: row.record, p1: previous, p2: this.#p2, next: undefined };
      this.#breaks.push(broken);
      this.#awaitingNext = broken;
      return;
    }
    this.#problems.add({ kind: 'changed', seq: row.seq, eventId: row.event_id, message: `${describeEvent(row.seq, row.event_id)} does not chain from the event before it (changed, moved or inserted; too many problems to tell which)` });
  }

  /** The d for which the row's hash was made at seq + d right after `previous`: it was renumbered. */
  #shiftOf(row: EventRow, hash: Buffer, previous: Buffer): number | undefined {
    const fits = (d: number): boolean => row.seq + d >= 1 && chainHash(previous, row.seq + d, row.record).equals(hash);
    if (this.#run && fits(this.#run.shift)) return this.#run.shift;
    // Searching costs up to 2·MAX_SHIFT hashes per row: only while the breaks are few.
    if (this.#breaks.length >= ANALYSED_BREAKS) return undefined;
    for (let d = 1; d <= MAX_SHIFT; d++) {
      if (fits(-d)) return -d;
      if (fits(d)) return d;
    }
    return undefined;
  }

  #endRun(): void {
    if (!this.#run) return;
    if (this.#runs.length < MAX_PROBLEMS) this.#runs.push(this.#run);
    else this.#problems.add(renumberedProblem(this.#run));
    this.#run = undefined;
  }
}
