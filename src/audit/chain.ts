// The hash chain that makes the trail tamper-evident: each event's hash covers the previous hash,
// its own position and its exact stored text, so changing, removing, reordering or inserting an
// event breaks every hash from there on (verify.ts says where).
import { createHash } from 'node:crypto';

/** The "previous hash" of the first event of a trail. */
export const GENESIS_HASH = Buffer.alloc(32);

export function chainHash(previous: Buffer, seq: number, record: string): Buffer {
  return createHash('sha256').update('keyhold-audit-v1\n').update(previous).update(`${seq}\n`).update(record, 'utf8').digest();
}
