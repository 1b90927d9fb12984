// Request ids (x-amzn-requestid, the audit event's requestID): UUIDs of version 7 (RFC 9562), whose
// first 48 bits are the time in milliseconds. Time-ordered ids keep the audit trail's request-id
// index appending at its end instead of touching a random page per event.
import { randomFillSync } from 'node:crypto';

const POOL_IDS = 256;
const pool = Buffer.alloc(16 * POOL_IDS);
let next = POOL_IDS;

export function newRequestId(now = Date.now()): string {
  if (next === POOL_IDS) {
    randomFillSync(pool); // one call for many ids, as node's randomUUID does
    next = 0;
  }
  const b = pool.subarray(next * 16, ++next * 16);
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | ((b[6] as number) & 0x0f); // version 7
  b[8] = 0x80 | ((b[8] as number) & 0x3f); // RFC 9562 variant
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
