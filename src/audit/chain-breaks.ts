// Explains where the chain breaks. Each stored hash was made from the hash before it and the seq the
// event had when it was recorded, so for a row that no longer chains we look for its origin: the
// stored hash and the seq it was made with. Found at another seq, the row moved (out of order, or
// renumbered by an insertion or removal before it); not found anywhere, its record was changed or
// it was never chained (inserted). The search runs only over the few rows that broke.
import { chainHash } from './chain.js';
import { describeEvent, seqRange, type TrailProblem } from './trail-problems.js';

export interface RowRef {
  readonly seq: number;
  /** undefined for the chain start (genesis or checkpoint), which is no event. */
  readonly eventId: string | undefined;
  readonly hash: Buffer;
}

/** A row that does not chain from `p1`, the row stored before it. */
export interface Break extends RowRef {
  readonly eventId: string;
  readonly record: string;
  readonly p1: RowRef;
  readonly p2: RowRef | undefined;
  next: RowRef | undefined;
}

/** Consecutive rows that each chain from the row before them, but at seq + shift. */
export interface Run {
  start: number;
  end: number;
  readonly shift: number;
  firstEventId: string;
  lastEventId: string;
}

/** Where a row's hash says it was chained: after the row whose hash is `after`, at `seq`. */
interface Origin {
  readonly after: Buffer;
  readonly seq: number;
}

export function explainBreaks(breaks: readonly Break[], runs: Run[]): TrailProblem[] {
  const origins = new Map(breaks.map((b) => [b, originOf(b, breaks)]));
  const broken = new Set(breaks.map((b) => b.seq));
  /** The row before `b` is an event that chains correctly yet is skipped by `b`'s origin. */
  const skipsEventBefore = (b: Break, origin: Origin): boolean => origin.after.equals(b.p2?.hash ?? Buffer.alloc(0)) && b.p1.eventId !== undefined && !broken.has(b.p1.seq);
  const problems: TrailProblem[] = [];
  const consumed = new Set<Run>();
  for (const b of breaks) {
    const origin = origins.get(b);
    const runAfter = runs.find((r) => r.start === b.seq + 1 && !consumed.has(r));
    const who = describeEvent(b.seq, b.eventId);
    // A row found at its own seq is in its place, chained after a row that now stands elsewhere:
    // that row is reported, not this one.
    if (origin && origin.seq !== b.seq) {
      const shift = origin.seq - b.seq;
      const inserted = shift < 0 && skipsEventBefore(b, origin);
      if (inserted) problems.push(insertedProblem(b.p1));
      if (runAfter?.shift === shift) Object.assign(runAfter, { start: b.seq, firstEventId: b.eventId });
      else if (inserted) problems.push(renumberedProblem({ start: b.seq, end: b.seq, shift, firstEventId: b.eventId, lastEventId: b.eventId }));
      else problems.push({ kind: 'out-of-order', seq: b.seq, eventId: b.eventId, message: `${who} is out of order: it was recorded as seq ${origin.seq}` });
    } else if (!origin) {
      const recordOf = breaks.find((o) => o !== b && chainHash(o.p1.hash, o.seq, b.record).equals(o.hash));
      if (recordOf) {
        problems.push({ kind: 'out-of-order', seq: b.seq, eventId: b.eventId, message: `${who}: its record is the one recorded at seq ${recordOf.seq} (records moved)` });
      } else if (breaks.some((n) => n.seq === b.seq + 1 && origins.get(n)?.after.equals(b.p1.hash))) {
        problems.push(insertedProblem(b));
      } else if (runAfter && runAfter.shift > 0) {
        consumed.add(runAfter);
        problems.push(removedBefore(b, runAfter));
      } else {
        const orBefore = b.p1.eventId !== undefined && !broken.has(b.p1.seq) ? `, or ${describeEvent(b.p1.seq, b.p1.eventId)} before it was replaced with a recomputed hash` : '';
        problems.push({ kind: 'changed', seq: b.seq, eventId: b.eventId, message: `${who} was changed: its record no longer matches its hash${orBefore}` });
      }
    }
  }
  for (const run of runs) if (!consumed.has(run)) problems.push(renumberedProblem(run));
  return problems;
}

/** Tries every hash and seq the breaks make plausible: the rows around this one and the other breaks. */
function originOf(b: Break, breaks: readonly Break[]): Origin | undefined {
  const afters = distinct([b.p1.hash, b.p2?.hash, b.next?.hash, ...breaks.flatMap((o) => [o.hash, o.p1.hash, o.p2?.hash])]);
  const seqs = [...new Set([-2, -1, 0, 1, 2].map((d) => b.seq + d).concat(breaks.flatMap((o) => [o.seq - 1, o.seq, o.seq + 1])))].filter((s) => s >= 1);
  for (const after of afters) {
    for (const seq of seqs) {
      if (seq === b.seq && after.equals(b.p1.hash)) continue; // the link that already failed
      if (chainHash(after, seq, b.record).equals(b.hash)) return { after, seq };
    }
  }
  return undefined;
}

function distinct(hashes: readonly (Buffer | undefined)[]): Buffer[] {
  const seen = new Map<string, Buffer>();
  for (const h of hashes) if (h) seen.set(h.toString('hex'), h);
  return [...seen.values()];
}

const ids = (ref: RowRef): { eventId?: string } => (ref.eventId === undefined ? {} : { eventId: ref.eventId });

function insertedProblem(row: RowRef): TrailProblem {
  return { kind: 'inserted', seq: row.seq, ...ids(row), message: `${describeEvent(row.seq, row.eventId)} was inserted: it was never chained (the event after it was chained right after seq ${row.seq - 1})` };
}

function removedBefore(b: Break, run: Run): TrailProblem {
  const n = run.shift;
  const removed = n === 1 ? 'an event was' : `${n} events were`;
  return { kind: 'missing', seq: b.seq, eventId: b.eventId, message: `${removed} removed before ${describeEvent(b.seq, b.eventId)}: the events ${seqRange(b.seq, run.end)} were renumbered down (recorded as ${seqRange(b.seq + n, run.end + n)})` };
}

export function renumberedProblem(run: Run): TrailProblem {
  const n = Math.abs(run.shift);
  const cause = `${n === 1 ? 'an event' : `${n} events`} ${run.shift < 0 ? 'inserted' : 'removed'} before them`;
  const events = run.start === run.end ? describeEvent(run.start, run.firstEventId) : `events ${seqRange(run.start, run.end)} (eventIDs ${run.firstEventId} … ${run.lastEventId})`;
  return { kind: 'renumbered', seq: run.start, eventId: run.firstEventId, message: `${events} were renumbered: recorded as ${seqRange(run.start + run.shift, run.end + run.shift)} (${cause})` };
}
