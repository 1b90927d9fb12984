// Signed digests on the PostgreSQL trail: digests.ts's createDigest, with the cluster's nodes
// serialised by an advisory lock instead of SQLite's IMMEDIATE transaction. Same canonical body
// (digest-body.ts), same signature over its bytes, same columns.
import type pg from 'pg';
import { digestBodyText, digestHash, type DigestBody } from '../digest-body.js';
import type { DigestSigner } from '../signing-key.js';
import { AUDIT_LOCK } from './pg-audit-schema.js';
import { bigintColumn, lockedTransaction } from './pg-locked-tx.js';

/**
 * Signs the current head and appends the digest; returns it, or undefined when no event was
 * appended since the last digest. One transaction under the digest lock: nodes running this at
 * once write one digest per new head, not one each (the second reads, after the lock, the digest
 * the first committed).
 */
export function pgCreateDigest(pool: pg.Pool, signer: DigestSigner, now: Date): Promise<DigestBody | undefined> {
  return lockedTransaction(pool, AUDIT_LOCK.digest, async (client) => {
    const head = (await client.query<{ seq: string; hash: Buffer }>('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1')).rows[0];
    const last = (await client.query<{ seq: string; head_seq: string; body: string }>('SELECT seq, head_seq, body FROM audit_digests ORDER BY seq DESC LIMIT 1')).rows[0];
    if (head === undefined) return undefined;
    const headSeq = bigintColumn(head.seq, 'seq');
    if (last !== undefined && bigintColumn(last.head_seq, 'head_seq') >= headSeq) return undefined;
    const body: DigestBody = {
      version: 1,
      digestSeq: (last === undefined ? 0 : bigintColumn(last.seq, 'seq')) + 1,
      createdAt: now.toISOString(),
      headSeq,
      headHash: head.hash.toString('hex'),
      previousDigestHash: last ? digestHash(last.body) : null,
    };
    const text = digestBodyText(body);
    await client.query('INSERT INTO audit_digests (seq, created_at, head_seq, body, signature) VALUES ($1, $2, $3, $4, $5)',
      [body.digestSeq, now.getTime(), body.headSeq, text, signer.sign(Buffer.from(text, 'utf8'))]);
    return body;
  });
}
