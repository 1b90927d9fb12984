// The digest half of verification: each digest's signature, its link to the digest before it, and
// whether the chain still holds the head it signed. Streams the digests (one row at a time).
import { verify, type KeyObject } from 'node:crypto';
import type Database from 'better-sqlite3';
import { pin } from '../store/sqlite/pin.js';
import { digestHash, parseDigestBody, type DigestBody } from './digest-body.js';
import { describeEvent, seqRange, type ProblemList } from './trail-problems.js';

interface DigestRow {
  readonly seq: number;
  readonly created_at: number;
  readonly head_seq: number;
  readonly body: string;
  readonly signature: unknown;
  /** The stored event at head_seq, if there is one. */
  readonly event_hash: Buffer | null;
  readonly event_id: string | null;
}

/** The events' extent: first and last stored seq (undefined when there are none). */
export interface EventSpan {
  readonly first: number | undefined;
  readonly last: number | undefined;
}

export interface DigestFindings {
  readonly count: number;
  /** For a trail that starts after seq 1: the hash it continues from, signed by a digest at first − 1. */
  readonly checkpoint: Buffer | undefined;
  /** The highest seq whose chain hash a valid digest signed and the chain still holds. */
  readonly signedThrough: number | undefined;
}

export function verifyDigests(db: Database.Database, publicKey: KeyObject, span: EventSpan, problems: ProblemList): DigestFindings {
  const rows = pin(db.prepare(`SELECT d.seq, d.created_at, d.head_seq, d.body, d.signature, e.hash AS event_hash, e.event_id
    FROM audit_digests d LEFT JOIN audit_events e ON e.seq = d.head_seq ORDER BY d.seq`));
  const walk = new DigestWalk(publicKey, span, problems);
  for (const row of rows.iterate() as IterableIterator<DigestRow>) walk.visit(row);
  return walk.finish();
}

const digests = (from: number, to: number): string => (from === to ? `digest ${from} is` : `digests ${from}–${to} are`);

class DigestWalk {
  readonly #publicKey: KeyObject;
  readonly #span: EventSpan;
  readonly #problems: ProblemList;
  #count = 0;
  #previous: { seq: number; body: string; trusted: boolean } | undefined;
  /** A digest whose signature failed, kept until the next digest tells whether its body changed. */
  #forged: { seq: number; body: string } | undefined;
  #lastGoodHead: number;
  #checkpoint: Buffer | undefined;
  #signedThrough: number | undefined;
  #pastEnd: { digestSeq: number; headSeq: number; createdAt: string } | undefined;

  constructor(publicKey: KeyObject, span: EventSpan, problems: ProblemList) {
    this.#publicKey = publicKey;
    this.#span = span;
    this.#problems = problems;
    this.#lastGoodHead = (span.first ?? 1) - 1;
  }

  visit(row: DigestRow): void {
    this.#count++;
    const gap = this.#gap(row.seq);
    const authentic = Buffer.isBuffer(row.signature) && verify(null, Buffer.from(row.body, 'utf8'), this.#publicKey, row.signature);
    const body = authentic ? parseDigestBody(row.body) : undefined;
    this.#reportForged(gap === 0 ? body : undefined);
    if (authentic && !body) this.#problems.add({ kind: 'digest-changed', digestSeq: row.seq, message: `digest ${row.seq}: its body carries a valid signature but is not a digest body` });
    if (body) {
      const columns = [['seq', row.seq, body.digestSeq], ['head_seq', row.head_seq, body.headSeq], ['created_at', row.created_at, Date.parse(body.createdAt)]] as const;
      for (const [column, stored, signed] of columns) {
        if (stored !== signed) this.#problems.add({ kind: 'digest-changed', digestSeq: row.seq, message: `digest ${row.seq}: its ${column} column says ${stored} but its signed body says ${signed} (column changed)` });
      }
      this.#link(row.seq, body, gap);
      this.#head(row, body);
    }
    if (!authentic) this.#forged = { seq: row.seq, body: row.body };
    this.#previous = { seq: row.seq, body: row.body, trusted: body !== undefined };
  }

  finish(): DigestFindings {
    this.#reportForged(undefined);
    const end = this.#pastEnd;
    if (end) {
      const last = this.#span.last ?? 0;
      const holds = this.#span.last === undefined ? 'holds no events' : `ends at seq ${last}`;
      this.#problems.add({ kind: 'tail-truncated', seq: last + 1, message: `the trail ${holds}, but digest ${end.digestSeq} (signed ${end.createdAt}) covers events up to seq ${end.headSeq}: events ${seqRange(last + 1, end.headSeq)} were removed (tail truncated)` });
    }
    return { count: this.#count, checkpoint: this.#checkpoint, signedThrough: this.#signedThrough };
  }

  /** How many digests are missing before `seq`; a link across a gap cannot be checked. */
  #gap(seq: number): number {
    const retained = this.#span.first !== undefined && this.#span.first > 1; // retention removes the first digests too
    const gap = this.#previous ? seq - this.#previous.seq - 1 : retained ? 0 : seq - 1;
    if (gap > 0) {
      const after = this.#previous ? `digest ${this.#previous.seq}` : 'the start';
      this.#problems.add({ kind: 'digest-missing', digestSeq: seq - gap, message: `${digests(seq - gap, seq - 1)} missing (removed): digest ${seq} follows ${after}` });
    }
    return gap;
  }

  /** Reports the digest whose signature failed; `next`, the following digest if it is authentic,
   *  signed the hash of the body it followed, so it tells a changed body from a replaced signature. */
  #reportForged(next: DigestBody | undefined): void {
    const forged = this.#forged;
    this.#forged = undefined;
    if (!forged) return;
    const base = `digest ${forged.seq}: its signature does not verify with the audit public key`;
    const named = next?.previousDigestHash ?? undefined;
    if (named === undefined) return this.#problems.add({ kind: 'digest-signature', digestSeq: forged.seq, message: `${base}: its body or its signature was changed, or another key signed it` });
    if (named === digestHash(forged.body)) return this.#problems.add({ kind: 'digest-signature', digestSeq: forged.seq, message: `${base}, though its body is the one digest ${forged.seq + 1} names: its signature was replaced (forged)` });
    this.#problems.add({ kind: 'digest-changed', digestSeq: forged.seq, message: `${base}, and digest ${forged.seq + 1} names another body as its predecessor: its body was changed` });
  }

  #link(seq: number, body: DigestBody, gap: number): void {
    const previous = this.#previous;
    if (gap > 0 || !previous?.trusted) return;
    if (body.previousDigestHash !== digestHash(previous.body)) {
      this.#problems.add({ kind: 'digest-link', digestSeq: seq, message: `digest ${seq} does not follow digest ${previous.seq}: it signed another digest as its predecessor (digests replaced or reordered)` });
    }
  }

  /** Does the chain still hold, at the head this digest signed, the hash it signed? */
  #head(row: DigestRow, body: DigestBody): void {
    const { first, last } = this.#span;
    if (last === undefined || body.headSeq > last) {
      if (!this.#pastEnd || body.headSeq > this.#pastEnd.headSeq) this.#pastEnd = { digestSeq: body.digestSeq, headSeq: body.headSeq, createdAt: body.createdAt };
      return;
    }
    if (first !== undefined && body.headSeq < first) {
      if (body.headSeq === first - 1) this.#checkpoint = Buffer.from(body.headHash, 'hex');
      return;
    }
    // A missing head event is reported by the event pass; a changed head_seq column above.
    if (row.event_hash === null || row.head_seq !== body.headSeq) return;
    if (!row.event_hash.equals(Buffer.from(body.headHash, 'hex'))) {
      const since = seqRange(this.#lastGoodHead + 1, body.headSeq);
      this.#problems.add({ kind: 'digest-head', digestSeq: body.digestSeq, seq: body.headSeq, message: `digest ${body.digestSeq} signed another chain hash for seq ${body.headSeq} than ${describeEvent(body.headSeq, row.event_id ?? undefined)} now has: events in ${since} were changed, removed, reordered or inserted after it was signed` });
      return;
    }
    this.#lastGoodHead = Math.max(this.#lastGoodHead, body.headSeq);
    this.#signedThrough = Math.max(this.#signedThrough ?? 0, body.headSeq);
  }
}
