// Signed digests: every few minutes (and on demand) a statement "the chain's head is event N with
// hash H, and the digest before this one was D" is signed with the audit signing key and stored in
// audit_digests. The chain makes every event depend on those before it; the signature makes the
// head impossible to rewrite without the private key, which audit.db never holds.
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { pin } from '../store/sqlite/pin.js';
import { digestBodyText, digestHash, type DigestBody } from './digest-body.js';
import type { DigestSigner } from './signing-key.js';

/** How often the scheduler signs the head: the most events a truncation of the tail can hide. */
export const DIGEST_INTERVAL_MS = 5 * 60_000;

interface Statements {
  readonly head: Database.Statement;
  readonly lastDigest: Database.Statement;
  readonly insert: Database.Statement;
}
const prepared = new WeakMap<Database.Database, Statements>();

// Prepared once per connection and pinned: see store/sqlite/pin.ts.
function statementsOf(db: Database.Database): Statements {
  let s = prepared.get(db);
  if (!s) {
    s = {
      head: pin(db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1')),
      lastDigest: pin(db.prepare('SELECT seq, head_seq, body FROM audit_digests ORDER BY seq DESC LIMIT 1')),
      insert: pin(db.prepare('INSERT INTO audit_digests (seq, created_at, head_seq, body, signature) VALUES (?, ?, ?, ?, ?)')),
    };
    prepared.set(db, s);
  }
  return s;
}

/**
 * Signs the current head and appends the digest; returns it, or undefined when no event was
 * appended since the last digest. One IMMEDIATE transaction: the head read here is the head at
 * commit, and processes running this at once write one digest per new head, not one each.
 */
export function createDigest(db: Database.Database, signer: DigestSigner, now: Date): DigestBody | undefined {
  const s = statementsOf(db);
  return db.transaction(() => {
    const head = s.head.get() as { seq: number; hash: Buffer } | undefined;
    const last = s.lastDigest.get() as { seq: number; head_seq: number; body: string } | undefined;
    if (head === undefined || (last !== undefined && last.head_seq >= head.seq)) return undefined;
    const body: DigestBody = {
      version: 1,
      digestSeq: (last?.seq ?? 0) + 1,
      createdAt: now.toISOString(),
      headSeq: head.seq,
      headHash: head.hash.toString('hex'),
      previousDigestHash: last ? digestHash(last.body) : null,
    };
    const text = digestBodyText(body);
    s.insert.run(body.digestSeq, now.getTime(), body.headSeq, text, signer.sign(Buffer.from(text, 'utf8')));
    return body;
  }).immediate();
}

export interface DigestSchedulerDeps {
  /** A connection to audit.db of this process (the writer thread has its own). */
  readonly auditDb: Database.Database;
  /** Usually an AuditSigningKey: the key pair is created on the first digest. */
  readonly signingKey: { signer(): Promise<DigestSigner> };
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Runs createDigest now and then every `intervalMs` until stopped; failures are logged and retried
 *  at the next run. runNow() is for tests and on-demand digests. */
export function startDigestScheduler(deps: DigestSchedulerDeps, intervalMs = DIGEST_INTERVAL_MS): { stop(): void; runNow(): Promise<void> } {
  const runNow = async (): Promise<void> => {
    try {
      const digest = createDigest(deps.auditDb, await deps.signingKey.signer(), deps.clock.now());
      if (digest) deps.logger.info({ digestSeq: digest.digestSeq, headSeq: digest.headSeq }, 'audit digest signed');
    } catch (err) {
      deps.logger.error({ err }, 'audit digest failed; will retry');
    }
  };
  void runNow();
  const timer = setInterval(() => void runNow(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), runNow };
}
