// What `verifyTrail` reports: each problem names the event (seq and eventID) or the digest that is
// wrong and how. The list is bounded, so a wholly rewritten trail of a million events does not
// become a million problems in memory.

export type ProblemKind =
  | 'changed' // an event's record (or stored hash) is not what was chained
  | 'missing' // events removed from the middle or the start
  | 'out-of-order' // an event moved to another seq
  | 'inserted' // an event that was never chained
  | 'renumbered' // chained events whose seq was changed, after an insertion or removal before them
  | 'index-mismatch' // lookup columns or key rows that disagree with the stored record
  | 'tail-truncated' // a signed digest covers events that are gone
  | 'digest-missing'
  | 'digest-changed'
  | 'digest-signature'
  | 'digest-link' // a digest's previousDigestHash names a digest that is not the one before it
  | 'digest-head'; // a digest's signed head hash differs from the chain's hash at that seq

export interface TrailProblem {
  readonly kind: ProblemKind;
  readonly seq?: number;
  readonly eventId?: string;
  readonly digestSeq?: number;
  readonly message: string;
}

export const MAX_PROBLEMS = 1000;

export class ProblemList {
  readonly #items: TrailProblem[] = [];
  #omitted = 0;

  add(problem: TrailProblem): void {
    if (this.#items.length < MAX_PROBLEMS) this.#items.push(problem);
    else this.#omitted++;
  }

  get omitted(): number {
    return this.#omitted;
  }

  /** Event problems by seq, then digest problems by digest seq. */
  sorted(): TrailProblem[] {
    const rank = (p: TrailProblem): [number, number] => (p.digestSeq === undefined ? [0, p.seq ?? 0] : [1, p.digestSeq]);
    return [...this.#items].sort((a, b) => {
      const [ga, na] = rank(a);
      const [gb, nb] = rank(b);
      return ga - gb || na - nb;
    });
  }
}

/** Names an event in a message: `event seq 42 (eventID 1f0e…)`. */
export const describeEvent = (seq: number, eventId: string | undefined): string =>
  eventId === undefined ? `event seq ${seq}` : `event seq ${seq} (eventID ${quoted(eventId)})`;

/** Stored text echoed into a message: JSON-quoted only if it holds anything unusual, and cut short,
 *  since a tampered row may hold anything (terminal escapes included). */
export function quoted(text: string): string {
  const cut = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return /^[\w:/.@+=,-]*$/.test(cut) ? cut : JSON.stringify(cut);
}

/** "seq 5" or "seq 5–9". */
export const seqRange = (from: number, to: number): string => (from === to ? `seq ${from}` : `seq ${from}–${to}`);
