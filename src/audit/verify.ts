// Verifies a whole audit trail with nothing but audit.db and the audit public key: every digest's
// signature and link, every event's place in the hash chain and its index, and that every signed
// head is still there. Streams both tables, so a trail of millions of events verifies in bounded
// memory. Reads one snapshot, so it may run beside a live server.
import { createPublicKey, type KeyObject } from 'node:crypto';
import type Database from 'better-sqlite3';
import { pin } from '../store/sqlite/pin.js';
import { GENESIS_HASH } from './chain.js';
import { ProblemList, seqRange, type TrailProblem } from './trail-problems.js';
import { verifyDigests } from './verify-digests.js';
import { verifyEvents, type ChainStart } from './verify-events.js';
import { checkOrphanKeys } from './verify-index.js';

export interface TrailReport {
  readonly ok: boolean;
  readonly events: number;
  readonly digests: number;
  readonly firstSeq: number | undefined;
  readonly lastSeq: number | undefined;
  /** The highest seq a valid digest vouches for; the events after it are chained but not yet signed. */
  readonly signedThrough: number | undefined;
  readonly problems: readonly TrailProblem[];
  /** How many problems were found beyond those listed (the list is bounded). */
  readonly omittedProblems: number;
}

/** The audit public key from its SPKI PEM; throws if it is not an Ed25519 public key. */
export function parseAuditPublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new Error('the audit public key is not a PEM public key');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the audit public key is ${key.asymmetricKeyType ?? 'of an unknown type'}, not Ed25519`);
  return key;
}

export function verifyTrail(db: Database.Database, publicKeyPem: string): TrailReport {
  const publicKey = parseAuditPublicKey(publicKeyPem);
  const span = pin(db.prepare('SELECT min(seq) AS first, max(seq) AS last FROM audit_events'));
  return db.transaction((): TrailReport => {
    const problems = new ProblemList();
    const extent = span.get() as { first: number | null; last: number | null };
    const first = extent.first ?? undefined;
    const last = extent.last ?? undefined;
    const digests = verifyDigests(db, publicKey, { first, last }, problems);
    const events = verifyEvents(db, chainStart(first, digests.checkpoint, problems), problems);
    checkOrphanKeys(db, problems);
    const found = problems.sorted();
    return { ok: found.length === 0, events, digests: digests.count, firstSeq: first, lastSeq: last, signedThrough: digests.signedThrough, problems: found, omittedProblems: problems.omitted };
  })();
}

/** What the first stored event chains from: genesis for seq 1; after retention, the hash a signed
 *  digest at the seq before it names. Nothing else vouches for a trail that starts later. */
function chainStart(first: number | undefined, checkpoint: Buffer | undefined, problems: ProblemList): ChainStart {
  if (first === undefined || first <= 1) return { seq: 0, hash: GENESIS_HASH };
  if (checkpoint) return { seq: first - 1, hash: checkpoint };
  problems.add({ kind: 'missing', seq: 1, message: `events ${seqRange(1, first - 1)} are missing (removed): the trail starts at seq ${first}, and no signed digest at seq ${first - 1} vouches for a retention checkpoint` });
  return { seq: first - 1, hash: undefined };
}
